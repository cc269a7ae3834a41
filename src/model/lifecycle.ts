// A pool's instances over their lives: launched into a zone at a version, booted, ready, drained;
// and, when something breaks, crashed (the process exits: restarted by the restart policy) or lost
// (the host or pod is gone: it refuses connections until its manager notices and replaces it). The
// manager keeps as many instances of each version as that version's `want` says, the way a
// ReplicaSet keeps its spec.replicas, an ASG its desired capacity, Swarm a service's replicas.
//
// A balancer keeps addressing a crashed or lost instance — the guide's nginx lists its servers
// statically, so it learns of the failure only from refused connections (max_fails / fail_timeout)
// — until the instance is replaced. Work in flight on a crashed or lost instance fails with `killed`.
import type { PoolConfig, PoolSize } from '../scenario/types.ts';
import { sampler } from '../sim/distribution.ts';
import { ReqState } from './requests.ts';
import { Fleet, Life } from './fleet.ts';
import { CAUSE_KILLED, CAUSE_NO_UPSTREAM } from './counters.ts';
import { REQUEST, TIMER, MAX_TIMER_X, timerArg, type InstanceListener, type RunContext } from './component.ts';
import { RestartTracker } from './restart.ts';
import { Versions } from './versions.ts';
import { launchZone, scaleInVictims } from './zones.ts';
import type { HealthChecker } from './health.ts';
import type { Rollout } from './rollout.ts';
import type { Cluster, PlacedPool } from './cluster.ts';
import type { VerticalScaler } from './vertical.ts';

/** A pool's one request event: s's service ends. */
export const DEPARTURE = 0;

// Timer codes of a pool (its own range, ./component.ts).
export const DEADLINE = 0; // the earliest pending deadline is due
export const BOOTED = 1; // x = instance: provisioning done, the process starts
export const READY = 2; // x = instance: readiness passed
export const DRAIN_KILL = 3; // x = instance: drainTimeout passed
export const PROBE = 4; // x = instance: a health check is due
export const PROBE_TIMEOUT = 5; // x = instance: the health check in flight ran out of time
export const REVIVE = 6; // x = instance: a crashed process restarts, or a lost instance's manager notices
export const CONTROL = 7; // x = sub | arg << 3: faults, releases, rollout steps

/** Instances a pool may create over a run (event arguments pack component and instance): the work estimate refuses more up front. */
export const MAX_INSTANCES = MAX_TIMER_X + 1;

export abstract class Lifecycle extends Fleet implements PlacedPool {
  protected readonly listeners: InstanceListener[] = [];
  protected readonly boot: () => number;
  readonly versions: Versions;
  /** Instances each version should have (its ReplicaSet's spec.replicas). */
  readonly want: number[] = [];
  /** Zones that are up (an outage takes one down); launches go only there. */
  readonly zonesUp: Uint8Array;
  readonly restarts: RestartTracker;
  health: HealthChecker | null = null;
  rollout: Rollout | null = null;
  /** Its VerticalPodAutoscaler (./vertical.ts), or null. */
  vertical: VerticalScaler | null = null;
  /** The nodes its instances are pods on (./cluster.ts); null: each instance is a machine of its own. */
  protected readonly cluster: Cluster | null;

  constructor(override readonly cfg: PoolConfig, readonly index: number, protected readonly run: RunContext) {
    super(cfg);
    this.boot = sampler(cfg.bootTime, run.stream(`boot:${cfg.name}`));
    this.versions = new Versions((n) => run.stream(n), cfg.name);
    const { instanceType, workers, pricePerHour, cpuRequest, cpuLimit, memoryRequest } = cfg;
    this.versions.add(cfg.version, cfg.serviceTime, 0, { ...(instanceType !== undefined ? { instanceType } : {}), workers, pricePerHour, cpuRequest, cpuLimit, memoryRequest });
    this.want.push(cfg.instances);
    this.zonesUp = new Uint8Array(Math.max(1, cfg.zones.length)).fill(1);
    this.restarts = new RestartTracker(cfg.supervision.restart);
    this.cluster = run.nodes?.attach(this) ? run.nodes : null;
  }

  /** A resized pool bills each instance at its version's price (./versions.ts). */
  protected override billed(i: number, now: number, delta: number): void {
    if (this.versions.resized) this.versions.stats![this.version[i]].existing.add(now, delta);
  }

  /** Instance-hours and cost up to `end`: each instance at its own price when the pool was resized. */
  billing(end: number): { instanceHours: number; cost: number } {
    const instanceHours = this.existing.integral(end) / 3600;
    if (!this.versions.resized) return { instanceHours, cost: instanceHours * this.cfg.pricePerHour };
    let cost = 0;
    for (let v = 0; v < this.versions.sizes.length; v++) cost += this.versions.billing(v, end).cost;
    return { instanceHours, cost };
  }

  /** The size instance inst runs at: the VPA's admission, else its version's. */
  sizeOf(inst: number): PoolSize {
    return this.vertical?.sizeOf(inst) ?? this.versions.sizes[this.version[inst]];
  }

  /** An instance's life changed: a rollout in progress reconsiders. */
  protected changed(): void {
    this.rollout?.onChange();
  }

  /** Leaves the ready set; a process that is gone (drained, crashed, lost) takes its connections with it; on nodes a gone pod leaves its node. */
  override unready(i: number, now: number, life: Life): void {
    super.unready(i, now, life);
    if (life === Life.Gone || life === Life.Down) this.processGone(i);
    if (life === Life.Gone && this.cluster !== null) this.cluster.release(this.index, i);
  }

  /** Instance inst's process is gone: what it held beyond its workers goes too (a caller's connection pools). */
  protected processGone(_inst: number): void {}

  /** Request s lost its worker with its instance (a caller's request waiting on its calls hears it). */
  protected workerLost(_s: number): void {}

  /** The run's clock. */
  get clock(): number {
    return this.run.now;
  }

  /** Logs an event of this pool (summary.json `events`). */
  record(kind: string, detail: string): void {
    this.run.record({ time: this.run.now, component: this.cfg.name, kind, detail });
  }

  /** Swarm's failure_action rollback: start the update back (the pool's timeline holds the rollouts). */
  abstract startRollback(failed: Rollout): void;

  timer(at: number, code: number, x: number): void {
    this.run.heap.push(at, TIMER + code, timerArg(this.index, x));
  }

  // ---- the manager: launch and drain toward each version's `want` ----

  /** Launches or drains each version toward its `want`. */
  reconcile(): void {
    for (let v = 0; v < this.want.length; v++) {
      let active = this.activeOf(v);
      while (active < this.want[v] && this.launch(v) >= 0) active++;
      if (active > this.want[v]) for (const i of scaleInVictims(this, this.zonesUp.length, v, active - this.want[v])) this.drain(i);
    }
    // During a rollout `desired` stays the replicas asked for (a Deployment's spec.replicas), whatever the surge.
    if (this.rollout === null) this.desired = this.want.reduce((a, b) => a + b, 0);
  }

  /** A new instance of `version` in the emptiest zone that is up; −1 when every zone is down. */
  launch(version: number): number {
    const zone = launchZone(this, this.zonesUp);
    if (zone < 0) return -1;
    if (this.n >= MAX_INSTANCES) throw new RangeError(`pool ${this.cfg.name}: more than ${MAX_INSTANCES} instances created`);
    const now = this.run.now, inst = this.create(now, Life.Provisioning, zone, version, this.versions.sizes[version].workers);
    this.vertical?.admit(inst, this.versions.sizes[version]); // before it asks for a node: its requests are the VPA's
    // On nodes the pod first needs one: it boots once bound (at once, or when a node has room).
    if (this.cluster === null || this.cluster.request(this.index, inst)) this.timer(now + this.boot(), BOOTED, inst);
    return inst;
  }

  // ---- on nodes (./cluster.ts) ----

  placed(inst: number): void {
    if (this.life[inst] === Life.Provisioning) this.timer(this.run.now + this.boot(), BOOTED, inst);
  }

  evict(inst: number): void {
    this.record('evicted', `${this.cfg.name}-${inst}: its node is removed`);
    this.drain(inst);
    this.reconcile();
  }

  /** On nodes: millicore-seconds instance inst's pod has used so far (what cAdvisor reports); NaN off nodes. */
  cpuSeconds(inst: number): number {
    return this.cluster === null ? NaN : this.cluster.cpuSeconds(this.index, inst);
  }

  /** Its request events; DEPARTURE ends a service (./pool.ts). */
  abstract onRequest(code: number, s: number): void;

  /** On nodes: the cluster's departure of s. */
  finish(s: number): void {
    this.onRequest(DEPARTURE, s);
  }

  departNow(s: number): void {
    this.run.heap.push(this.run.now, REQUEST + DEPARTURE, s);
  }

  /** One of the initial fleet, in `zone`: ready at the start — on nodes only if its pod fits on the initial nodes, else Pending like any new pod. */
  protected initial(zone: number): void {
    const now = this.run.now;
    if (this.cluster === null) this.becomeReady(this.create(now, Life.Ready, zone), now);
    else {
      const inst = this.create(now, Life.Provisioning, zone);
      if (this.cluster.request(this.index, inst)) this.becomeReady(inst, now);
    }
  }

  protected booted(inst: number, now: number): void {
    if (this.life[inst] !== Life.Provisioning) return; // scaled in (or lost) before it booted
    this.startProcess(inst, now);
  }

  /** The process starts; it passes readiness after readinessDelay — unless it is crash-looping. */
  protected startProcess(inst: number, now: number): void {
    this.life[inst] = Life.Starting;
    this.lifeChanged[inst] = now;
    this.lastTouch[inst] = now;
    this.restarts.onStart(inst, now);
    if (this.crashLoopUntil[inst] > now || this.versions.crashOnStart[this.version[inst]]) {
      this.exited(inst, now, 'crashed on start');
      return;
    }
    this.timer(now + this.cfg.readinessDelay, READY, inst);
  }

  protected becomeReady(inst: number, now: number): void {
    if (this.life[inst] !== Life.Ready) this.markReady(inst, now);
    if (this.versions.routed[this.version[inst]]) this.register(inst);
    this.health?.begin(inst, now);
    this.changed();
  }

  /** A balancer starts addressing it (once: a restarted instance is the same server to nginx). */
  protected register(inst: number): void {
    if (this.registered[inst] === 1) return;
    this.registered[inst] = 1;
    for (const l of this.listeners) l.addInstance(inst);
  }

  protected deregister(inst: number): void {
    if (this.registered[inst] === 0) return;
    this.registered[inst] = 0;
    for (const l of this.listeners) l.removeInstance(inst);
  }

  /** Traffic to a version's ready instances on or off (blue-green's switch). */
  route(version: number, on: boolean): void {
    this.versions.routed[version] = on;
    for (let i = 0; i < this.n; i++) {
      if (this.version[i] !== version || this.life[i] !== Life.Ready) continue;
      if (on) this.register(i);
      else this.deregister(i);
    }
  }

  /** Scale-in: no new requests; in-flight ones get drainTimeout to finish. */
  drain(inst: number): void {
    const now = this.run.now;
    this.deregister(inst);
    if (this.life[inst] !== Life.Ready) {
      this.unready(inst, now, Life.Gone); // never served: nothing to drain
      this.changed();
      return;
    }
    this.unready(inst, now, Life.Draining);
    if (this.busy[inst] === 0 && this.backlogs[inst].live === 0) this.retire(inst, now);
    else this.timer(now + this.cfg.drainTimeout, DRAIN_KILL, inst);
    this.changed();
  }

  protected retire(inst: number, now: number): void {
    this.touch(inst, now);
    this.unready(inst, now, Life.Gone);
    this.changed();
  }

  /** The drain timeout passed: whatever the instance still holds fails with it (as before faults: no upstream). */
  protected drainKill(inst: number, now: number): void {
    if (this.life[inst] !== Life.Draining) return;
    this.abortWork(inst, now, CAUSE_NO_UPSTREAM, false);
    this.unready(inst, now, Life.Gone);
    this.changed();
  }

  // ---- failures ----

  /**
   * The process exits (a crash, or killed as unhealthy): its work fails with `killed`, it refuses
   * connections, and the restart policy decides when it starts again.
   */
  crash(inst: number, reason: string): void {
    const now = this.run.now, life = this.life[inst];
    if (life === Life.Gone || life === Life.Draining || life === Life.Provisioning || this.lost[inst] === 1) return;
    if (life === Life.Down) return; // already down
    this.unready(inst, now, Life.Down); // first: a retry of its work must not come back to it
    this.abortWork(inst, now, CAUSE_KILLED, true);
    this.exited(inst, now, reason);
  }

  /** The process is down: the restart policy says when (if ever) it starts again. */
  private exited(inst: number, now: number, reason: string): void {
    this.unready(inst, now, Life.Down);
    const delay = this.restarts.onExit(inst, now, true);
    this.record('crashed', `${this.cfg.name}-${inst}: ${reason}${delay < 0 ? '; not restarted (restart policy)' : delay > 0 ? `; restarts in ${delay} s` : '; restarts now'}`);
    if (delay >= 0) this.reviveIn(inst, now, delay);
    this.changed();
  }

  /**
   * The host is gone (a kill, a zone outage): work fails with `killed`; the instance refuses
   * connections and still counts as one of its version's until its manager notices `detectAfter`
   * seconds later (never when Infinity) and replaces it.
   */
  lose(inst: number, detectAfter: number, reason: string): void {
    const now = this.run.now, life = this.life[inst];
    if (life === Life.Gone || this.lost[inst] === 1) return;
    if (life === Life.Draining) {
      this.unready(inst, now, Life.Gone);
      this.abortWork(inst, now, CAUSE_KILLED, true);
      this.changed();
      return;
    }
    this.lost[inst] = 1;
    this.unready(inst, now, Life.Down); // first: a retry of its work must not come back to it
    this.abortWork(inst, now, CAUSE_KILLED, true);
    this.record('lost', `${this.cfg.name}-${inst} (${this.zoneName(inst)}): ${reason}`);
    this.reviveAt[inst] = -1; // a restart that was pending will not happen: the host is gone
    if (detectAfter < Infinity) this.reviveIn(inst, now, detectAfter);
    this.changed();
  }

  private reviveIn(inst: number, now: number, delay: number): void {
    const at = now + delay;
    this.reviveAt[inst] = at;
    this.timer(at, REVIVE, inst);
  }

  /**
   * A lost instance is back before its manager replaced it (its zone is back: the host was
   * unreachable, not gone; a database's failover put its primary on a promoted replica): its
   * process starts again (readinessDelay, as after a restart).
   */
  regain(inst: number, why = 'its zone is back'): void {
    if (this.lost[inst] !== 1 || this.life[inst] !== Life.Down) return;
    this.lost[inst] = 0;
    this.reviveAt[inst] = -1; // its manager will not replace it now
    this.record('restarted', `${this.cfg.name}-${inst}: ${why}`);
    this.startProcess(inst, this.run.now);
  }

  /** REVIVE: a lost instance's manager notices (it is replaced), or a crashed process starts again. */
  protected revive(inst: number, now: number): void {
    if (this.life[inst] !== Life.Down || this.reviveAt[inst] !== now) return; // stale: superseded since
    this.reviveAt[inst] = -1;
    if (this.lost[inst] === 1) {
      this.deregister(inst);
      this.unready(inst, now, Life.Gone);
      this.record('replaced', `${this.cfg.name}-${inst}: its manager noticed and launches a replacement`);
      this.reconcile();
      this.changed();
      return;
    }
    this.record('restarted', `${this.cfg.name}-${inst}`);
    this.startProcess(inst, now);
  }

  /**
   * Everything instance `inst` holds fails with `cause`: its backlog, and the requests on its
   * workers, working or waiting on their calls (found by scanning the table; this happens only at a kill). With `toGrave` the
   * instance lives on, so the requests still on its workers move to the graveyard slot: their
   * pending departures then find a dead worker and only free the slot.
   */
  protected abortWork(inst: number, now: number, cause: number, toGrave: boolean): void {
    const req = this.run.req;
    this.touch(inst, now);
    for (let s = this.backlogs[inst].shift(req.gen); s >= 0; s = this.backlogs[inst].shift(req.gen)) {
      this.queued.add(now, -1);
      this.dropRequest(s, cause, false);
    }
    // Its workers are gone (counted from busy: a request departing right now, whose answer set this off, holds one too).
    this.busyTotal.add(now, -this.busy[inst]);
    this.busy[inst] = 0;
    const grave = toGrave ? this.graveyard() : -1;
    for (let s = 0; s < req.capacity; s++) {
      const st = req.state[s];
      if ((st !== ReqState.Service && st !== ReqState.Abandoned && st !== ReqState.Calling) || req.inst[s] !== inst || req.comp[s] !== this.index) continue;
      this.workerLost(s);
      if (toGrave) req.inst[s] = grave; // an abandoned slot is released by its departure (or its calls' end)
      if (st === ReqState.Service) this.dropRequest(s, cause, toGrave);
      else if (st === ReqState.Calling) this.dropRequest(s, cause, true); // its calls come back to s: it fails as a copy
    }
    this.cluster?.abort(this.index, inst); // on nodes, those departures are the pod's: they come now
  }

  /** A request lost with its instance (`onWorker`: its worker's departure is still pending). */
  protected abstract dropRequest(s: number, cause: number, onWorker: boolean): void;

  zoneName(inst: number): string {
    return this.cfg.zones[this.zone[inst]] ?? 'default';
  }
}
