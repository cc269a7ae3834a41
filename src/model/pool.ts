// A service pool: instances with `workers` concurrent slots and a FIFO backlog each (the state is
// the Fleet, ./fleet.ts; their lives, faults and replacement ./lifecycle.ts), a deadline per
// request, and the instance lifecycle an autoscaler drives. Requests reach an instance straight
// (round robin over ready ones) or through a balancer that addresses instances itself (offer). A
// request that waits or runs past `timeout` fails with 504; its worker still finishes it, as a real
// server would. An instance whose process is down refuses connections. A pool with `calls` makes
// them after its own work, holding the worker until they end (./calls.ts); `next` routes the
// answered request on (./routes.ts).
import type { PoolConfig } from '../scenario/types.ts';
import type { PoolSummary, SeriesRow } from '../stats/results.ts';
import { ReqState } from './requests.ts';
import { Life } from './fleet.ts';
import { CAUSE_BACKLOG_FULL, CAUSE_NO_UPSTREAM, CAUSE_REFUSED, CAUSE_SERVER_ERROR, CAUSE_TIMEOUT, OK, callFailureStatus } from './counters.ts';
import {
  REQUEST, TIMER, timerArg, type Addressable, type Billing, type Component, type InstanceListener, type RunContext, type Scalable,
} from './component.ts';
import { PoolScaler } from './scaler.ts';
import { connectionRows, poolRow, poolSummary } from './pool-report.ts';
import { Lifecycle, BOOTED, CONTROL, DEADLINE, DEPARTURE, DRAIN_KILL, PROBE, PROBE_TIMEOUT, READY, REVIVE } from './lifecycle.ts';
import { launchZone } from './zones.ts';
import { HealthChecker } from './health.ts';
import { PoolTimeline } from './timeline.ts';
import type { Rollout } from './rollout.ts';
import { versionRows } from './version-report.ts';
import type { VersionStats } from './versions.ts';
import type { MetricsSource } from './queue.ts';
import { Routes } from './routes.ts';
import { Caller } from './calls.ts';
import { VerticalScaler } from './vertical.ts';

export { Life } from './fleet.ts';

export class PoolRuntime extends Lifecycle implements Component, Addressable {
  readonly readsClient = false;
  readonly scaling: Scalable | null;
  refusal = CAUSE_BACKLOG_FULL;
  status = 500;
  /** The status an `errors` fault answers with. */
  faultStatus = 500;
  private readonly routes: Routes; // where an answered request goes next
  /** Its calls, when it makes any. */
  readonly caller: Caller | null;
  /** Service times chosen per request by a kind that owns the pool (serveWith), or null. */
  private perRequest: ((s: number) => number) | null = null;
  // Hot configuration as fields of this class, each with an initial number (see Simulation's note).
  private readonly warmup: number = 0;
  private readonly backlog: number = 0.5; // a float from the start: it may be Infinity
  private readonly deadlineAfter: number = 0.5; // cfg.timeout
  /** Components whose figures its autoscaler reads as External metrics (a queue it consumes). */
  readonly metricSources: MetricsSource[] = [];
  /** Service times are multiplied by this (a `slow` fault). */
  slow = 1;
  /** Fraction of answers that are 5xx whatever the version (an `errors` fault), and the status they carry. */
  faultErrors = 0;
  /** Any version or fault answers with 5xx: only then is a draw made per answer. */
  private injecting = false;
  private readonly errorRng: () => number;
  readonly timeline: PoolTimeline;
  // Read on every request: a pool with one version draws from its one sampler and keeps no per-version figures.
  private readonly service0: () => number;
  private readonly multiVersion: boolean;
  private readonly vstats: VersionStats[] | null;

  constructor(override readonly cfg: PoolConfig, index: number, run: RunContext) {
    super(cfg, index, run);
    this.warmup = run.warmup;
    this.backlog = cfg.backlog;
    this.deadlineAfter = cfg.timeout;
    this.errorRng = run.stream(`errors:${cfg.name}`);
    if (cfg.supervision.healthCheck) this.health = new HealthChecker(this, cfg.supervision.healthCheck, run);
    this.timeline = new PoolTimeline(this, run);
    this.updateInjection();
    this.service0 = this.versions.services[0];
    this.multiVersion = this.versions.names.length > 1;
    this.vstats = this.versions.stats;
    this.routes = new Routes(cfg.next, run, cfg.name);
    this.caller = cfg.calls.length > 0 ? new Caller(this, run) : null;
    if (cfg.vertical) this.vertical = new VerticalScaler(this, cfg.vertical);
    const policy = cfg.autoscaling, pool = this; // eslint-disable-line @typescript-eslint/no-this-alias
    this.scaling = policy === null ? null : {
      scaler: new PoolScaler(this, policy, 0),
      scrapeInterval: cfg.metrics.scrapeInterval,
      get desired(): number { return pool.desired; },
      resize(desired: number): void { pool.resize(desired); },
    };
  }

  link(): void {
    this.routes.link();
    this.caller?.link();
  }

  /** Service times chosen per request (a database's primary: reads and writes differ). */
  serveWith(service: (s: number) => number): void {
    this.perRequest = service;
  }

  /** The initial fleet, ready at the start, spread over the zones; then the faults and releases are scheduled. */
  start(): void {
    for (let i = 0; i < this.cfg.instances; i++) this.initial(launchZone(this, this.zonesUp));
    this.low = this.peak = this.existing.current; // the fleet's range counts from the initial size
    this.timeline.start();
    this.vertical?.start();
  }

  listen(l: InstanceListener): void {
    this.listeners.push(l);
  }

  startRollback(failed: Rollout): void {
    this.timeline.rollback(failed);
  }

  /** Errors injected by versions or faults: whether answers need a draw. */
  updateInjection(): void {
    this.injecting = this.faultErrors > 0 || this.versions.errorRate.some((r) => r > 0);
  }

  // ---- requests ----

  /** Reached without a balancer (routed, or called: req.via is then the caller): round robin over ready instances. */
  admit(s: number): void {
    const req = this.run.req, inst = this.pickDirect();
    if (inst >= 0 && this.offer(s, inst, req.via[s], req.handle[s])) return;
    if (inst < 0) {
      this.counters.arrivals++;
      this.counters.error(CAUSE_NO_UPSTREAM);
    }
    const cause = inst < 0 ? CAUSE_NO_UPSTREAM : this.refusal;
    if (!this.run.ended(s, cause)) this.run.fail(s, cause);
  }

  /** Instance inst takes s onto a worker or into its backlog; false when it refuses (backlog full, process down). */
  offer(s: number, inst: number, via: number, handle: number): boolean {
    const req = this.run.req, now = this.run.now;
    this.counters.arrivals++;
    const vs = this.vstats;
    if (vs !== null) vs[this.version[inst]].counters.arrivals++;
    if (this.life[inst] !== Life.Ready) return this.refuse(inst, CAUSE_REFUSED);
    if (this.busy[inst] < this.workers[inst]) {
      if (this.perInstance) this.touch(inst, now);
      this.busy[inst]++;
      this.busyTotal.add(now, 1);
      req.entered[s] = now;
      this.startService(s, inst);
    } else {
      const q = this.backlogs[inst];
      if (q.live >= this.backlog) return this.refuse(inst, CAUSE_BACKLOG_FULL);
      if (this.perInstance) this.touch(inst, now);
      q.push(s, req.gen[s]);
      this.queued.add(now, 1);
      req.state[s] = ReqState.Queued;
      req.entered[s] = now;
    }
    req.comp[s] = this.index;
    req.inst[s] = inst;
    req.via[s] = via;
    req.handle[s] = handle;
    // A health check keeps its own time limit (./health.ts).
    if (this.deadlineAfter < Infinity && via !== this.index) {
      const d = now + this.deadlineAfter;
      req.deadline[s] = d;
      this.deadlines.push(s, d);
      if (!this.deadlines.armed) {
        this.deadlines.armed = true;
        this.run.heap.push(d, TIMER + DEADLINE, timerArg(this.index, 0));
      }
    }
    return true;
  }

  unreachable(inst: number): boolean {
    return this.lost[inst] === 1 && this.life[inst] === Life.Down;
  }

  private refuse(inst: number, cause: number): false {
    this.counters.error(cause);
    this.versions.stats?.[this.version[inst]].failed(cause);
    if (this.perInstance) this.failed[inst]++;
    this.refusal = cause;
    return false;
  }

  private startService(s: number, inst: number): void {
    const req = this.run.req, now = this.run.now;
    req.state[s] = ReqState.Service;
    const entered = req.entered[s];
    if (entered >= this.warmup) {
      this.waitSum += now - entered;
      this.waitCount++;
      if (now > entered) this.waitedCount++;
    }
    const took = this.perRequest !== null ? this.perRequest(s) : this.multiVersion ? this.versions.services[this.version[inst]]() : this.service0();
    const work = took * this.slow * this.run.serviceScale[req.cls[s]];
    // On nodes the pod's share of its node's cores sets when it ends (./cpu-share.ts).
    if (this.cluster !== null) this.cluster.begin(this.index, inst, s, work);
    else this.run.heap.push(now + work, REQUEST + DEPARTURE, s);
  }

  /** DEPARTURE, its only request event: s's service ended. */
  onRequest(_code: number, s: number): void {
    const req = this.run.req, inst = req.inst[s], now = this.run.now;
    if (this.perInstance && this.life[inst] !== Life.Gone) this.touch(inst, now);
    if (req.state[s] === ReqState.Abandoned) req.release(s);
    else if (this.injecting && this.answersError(inst)) this.fail5xx(s, inst, CAUSE_SERVER_ERROR);
    else if (this.caller !== null && this.caller.begin(s)) return; // the worker waits on its calls
    else this.answer(s, inst);
    this.freeWorker(inst);
  }

  /** s's calls are over (./calls.ts): answered (OK) or failed with `cause`; the worker is free again. */
  callsDone(s: number, cause: number): void {
    const req = this.run.req, inst = req.inst[s];
    if (this.perInstance && this.life[inst] !== Life.Gone) this.touch(inst, this.run.now);
    if (req.state[s] === ReqState.Abandoned) req.release(s); // it timed out or was cut meanwhile
    else if (cause === OK) this.answer(s, inst);
    else {
      this.status = callFailureStatus(cause); // the application answers its calls' failure with a 5xx
      this.fail5xx(s, inst, cause);
    }
    this.freeWorker(inst);
  }

  /** s answered at this pool: its caller or balancer hears first (nginx frees the peer), then it goes on or leaves. */
  private answer(s: number, inst: number): void {
    const req = this.run.req, now = this.run.now;
    req.deadline[s] = -1;
    const entered = req.entered[s], took = now - entered;
    this.counters.completions++;
    if (this.perInstance) {
      this.served[inst]++;
      this.respSum[inst] += took;
    }
    if (entered >= this.warmup) this.latency.record(took);
    if (this.vstats !== null) this.vstats[this.version[inst]].served(took, entered >= this.warmup);
    if (req.via[s] < 0 || !this.run.ended(s, OK)) {
      const next = this.routes.pick();
      if (next >= 0) this.run.route(s, next);
      else this.run.complete(s);
    }
  }

  /** The worker takes the next waiting request straight away (busy count unchanged), or goes idle. */
  private freeWorker(inst: number): void {
    // Gone (drained, or the graveyard of a crashed one), or down since (a failed health check on the way out): no worker to free.
    const life = this.life[inst];
    if (life === Life.Gone || life === Life.Down) return;
    const req = this.run.req, now = this.run.now; // read here: a float passed as an argument may be boxed
    const nx = this.backlogs[inst].shift(req.gen);
    if (nx >= 0) {
      this.queued.add(now, -1);
      this.startService(nx, inst);
    } else {
      this.busy[inst]--;
      this.busyTotal.add(now, -1);
      if (this.life[inst] === Life.Draining && this.busy[inst] === 0) this.retire(inst, now);
    }
  }

  /** Does this answer come out as a 5xx: the version's own bug (500), or an `errors` fault (its status)? */
  private answersError(inst: number): boolean {
    const pv = this.versions.errorRate[this.version[inst]], pf = this.faultErrors;
    if (pv === 0 && pf === 0) return false;
    const u = this.errorRng();
    if (u < pv) this.status = 500;
    else if (u < 1 - (1 - pv) * (1 - pf)) this.status = this.faultStatus;
    else return false;
    return true;
  }

  /**
   * The application answered with a 5xx (`status`): serverError, or its calls' failure. The
   * balancer may count it against the peer and retry.
   */
  private fail5xx(s: number, inst: number, cause: number): void {
    const req = this.run.req;
    req.deadline[s] = -1;
    req.state[s] = ReqState.Delayed; // off the worker (the answer is back at whoever sent it): failing it frees the slot
    this.counters.error(cause);
    this.versions.stats?.[this.version[inst]].failed(cause);
    if (this.perInstance) this.failed[inst]++;
    if (!this.run.ended(s, cause)) this.run.fail(s, cause);
  }

  /** What this pool sends to its own instances and waits on: its health checks. */
  onReturn(s: number, cause: number): boolean {
    return this.health !== null && this.health.onReturn(s, cause);
  }

  /** The answer to one of its calls (./calls.ts; `a`: the attempt). */
  onAnswer(s: number, a: number, cause: number): void {
    this.caller!.onAnswer(s, a, cause);
  }

  onTimer(code: number, x: number): void {
    const now = this.run.now;
    switch (code) {
      case DEADLINE: this.onDeadline(now); break;
      case BOOTED: this.booted(x, now); break;
      case READY:
        // A readiness timer from before a crash and restart is stale: the process started again since.
        if (this.life[x] === Life.Starting && this.lifeChanged[x] + this.cfg.readinessDelay === now) this.becomeReady(x, now);
        break;
      case DRAIN_KILL: this.drainKill(x, now); break;
      case PROBE: this.health?.probe(x); break;
      case PROBE_TIMEOUT: this.health?.timedOut(x); break;
      case REVIVE: this.revive(x, now); break;
      case CONTROL: this.timeline.onControl(x); break;
      default: this.caller!.onTimer(code, x); // its codes start at CALLER_TIMERS
    }
  }

  /** Every request whose deadline has come times out, then the one timer moves on to the next deadline. */
  private onDeadline(now: number): void {
    const q = this.deadlines, pending = this.run.req.deadline;
    // Stays armed while handling, so retries landing back on this pool don't start a second timer.
    for (q.prune(pending); !q.empty && q.headTime <= now; q.prune(pending)) {
      const s = q.headSlot;
      q.drop();
      this.timeout(s, now);
    }
    if (q.empty) q.armed = false;
    else this.run.heap.push(q.headTime, TIMER + DEADLINE, timerArg(this.index, 0));
  }

  private timeout(s: number, now: number): void {
    const req = this.run.req, inst = req.inst[s];
    req.deadline[s] = -1;
    this.counters.error(CAUSE_TIMEOUT);
    this.versions.stats?.[this.version[inst]].failed(CAUSE_TIMEOUT);
    if (this.perInstance) this.failed[inst]++;
    this.caller?.noteTimeout(s); // what it was waiting on: the chain of causes names it
    let r = s;
    if (req.state[s] === ReqState.Queued) {
      this.touch(inst, now);
      this.backlogs[inst].forget();
      req.gen[s]++; // its backlog entry is now stale
      this.queued.add(now, -1);
    } else {
      // On a worker (working or waiting on its calls): the instance does not know the client left
      // and finishes the work for nothing.
      r = req.clone(s);
      req.state[s] = ReqState.Abandoned;
    }
    if (!this.run.ended(r, CAUSE_TIMEOUT)) this.run.fail(r, CAUSE_TIMEOUT);
  }

  /** A request lost with its instance; one still on a worker goes on as a copy (its departure only frees the slot). */
  protected dropRequest(s: number, cause: number, onWorker: boolean): void {
    const req = this.run.req;
    this.counters.error(cause);
    this.versions.stats?.[this.version[req.inst[s]]].failed(cause);
    req.deadline[s] = -1;
    let r = s;
    if (onWorker) {
      r = req.clone(s);
      req.state[s] = ReqState.Abandoned;
    }
    if (!this.run.ended(r, cause)) this.run.fail(r, cause);
  }

  /** Its process is gone (crashed, lost, drained): its connection pools close with it. */
  protected override processGone(inst: number): void {
    this.caller?.instanceGone(inst);
  }

  protected override workerLost(s: number): void {
    this.caller?.workerGone(s); // its worker is gone before its calls end
  }

  // ---- the autoscaler ----

  /** The autoscaler's decision: the rollout in progress shares it out, else the current version takes it. */
  private resize(desired: number): void {
    if (this.rollout !== null && this.rollout.onResize(desired)) return;
    this.want[this.versions.current] = desired;
    for (let v = 0; v < this.want.length; v++) if (v !== this.versions.current) this.want[v] = 0;
    this.reconcile();
    this.desired = desired;
  }

  // ---- reports ----

  sample(now: number, dt: number): SeriesRow { return poolRow(this, now, dt); }
  partRows(now: number, dt: number): SeriesRow[] { return connectionRows(this, now, dt); } // its connection pools (app/db-pool): the bottleneck may name them
  /** Rows `<pool>@<version>` per version, when the pool has releases (./version-report.ts). */
  subRows(now: number, dt: number): SeriesRow[] { return versionRows(this, now, dt); }

  override billing(end: number): Billing {
    return { ...super.billing(end), peak: this.peak };
  }

  summary(end: number): PoolSummary { return poolSummary(this, end); } // with its versions' figures (./version-report.ts)
}
