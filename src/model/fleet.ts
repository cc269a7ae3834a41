// A fleet of instances as struct-of-arrays: lifecycle (provisioning → starting → ready → draining
// → gone; down: the process crashed or the host is lost, not yet restarted or replaced), the zone
// and version each runs, busy workers and backlogs, the per-instance integrals an autoscaler's metrics come
// from, and the fleet-wide time-weighted totals. The state a pool (./pool.ts) serves requests on;
// it schedules nothing itself.
import type { PoolConfig } from '../scenario/types.ts';
import { LatencyHistogram } from '../stats/latency.ts';
import { TimeWeighted } from '../stats/time-weighted.ts';
import { Backlog } from './backlog.ts';
import { Counters } from './counters.ts';
import { DeadlineQueue } from './deadlines.ts';
import { grown } from '../sim/grown.ts';

/** In the order a ReplicaSet deletes pods on scale-in: not yet running, then not ready, then ready. */
export const enum Life {
  Provisioning = 0,
  Starting = 1,
  /** The process is not running (crashed, waiting for a restart) or its host is lost: refuses connections, still counted. */
  Down = 2,
  Ready = 3,
  Draining = 4,
  Gone = 5,
}

export class Fleet {
  readonly counters = new Counters();
  readonly deadlines = new DeadlineQueue();
  /** Time at the pool (queue + service): the run's at 3 digits, the sample interval's at 2. */
  readonly latency = new LatencyHistogram(3, 2);
  // Erlang C's observables: time waiting for a worker, and whether a request waited at all.
  waitSum = 0;
  waitCount = 0;
  waitedCount = 0;

  n = 0; // instance slots ever created
  life = new Uint8Array(8);
  busy = new Int32Array(8);
  created = new Float64Array(8);
  zone = new Uint8Array(8); // index into the pool's zones
  version = new Uint8Array(8); // index into the pool's versions
  /** Its workers (its version's size: a resize changes them for the instances it launches). */
  workers = new Int32Array(8);
  /** 1 while the host is lost (a kill or a zone outage): it never restarts; its manager replaces it once it notices. */
  lost = new Uint8Array(8);
  /** 1 while a balancer addresses it (from first ready until drained or replaced). */
  registered = new Uint8Array(8);
  /** When its pending restart (or its manager's noticing its loss) is due; a REVIVE timer for another time is stale. */
  reviveAt = new Float64Array(8);
  /** The process crashes again on every start until this time (a crash-loop fault). */
  crashLoopUntil = new Float64Array(8);
  /** Last lifecycle change: for a ready instance when it became ready (k8s' Ready lastTransitionTime). */
  lifeChanged = new Float64Array(8);
  /** Cumulative per-instance integrals and counts, read by the metrics scraper as differences. */
  busyArea = new Float64Array(8);
  queueArea = new Float64Array(8); // requests waiting × time, for memory
  lastTouch = new Float64Array(8);
  served = new Float64Array(8);
  failed = new Float64Array(8);
  respSum = new Float64Array(8);
  backlogs: Backlog[] = [];

  ready: number[] = []; // ready instances, for direct dispatch
  private cursor = 0;
  desired: number;
  /**
   * An instance slot that is always gone: work a crashed or lost instance was doing is moved here,
   * so that its pending departures find a dead worker whatever happens to the instance next.
   */
  grave = -1;
  /** Per-instance integrals and counts feed only the autoscaler's metrics: off when nothing scales this pool. */
  readonly perInstance: boolean;

  readonly queued = new TimeWeighted(0);
  readonly busyTotal = new TimeWeighted(0);
  readonly capacity = new TimeWeighted(0); // workers of ready instances
  readonly existing = new TimeWeighted(0); // instances billed (provisioning to gone)
  peak = 0;
  low = Infinity;

  constructor(readonly cfg: PoolConfig) {
    this.desired = cfg.instances;
    this.perInstance = cfg.autoscaling !== null;
  }

  /** A new instance in `life` at `now`; returns its index, which is also its place in creation order. */
  create(now: number, life: Life, zone = 0, version = 0, workers = this.cfg.workers): number {
    if (this.n === this.life.length) this.grow();
    const i = this.n++;
    this.life[i] = life;
    this.busy[i] = 0;
    this.created[i] = now;
    this.zone[i] = zone;
    this.version[i] = version;
    this.workers[i] = workers;
    this.lifeChanged[i] = now;
    this.lastTouch[i] = now;
    this.backlogs.push(new Backlog());
    this.existing.add(now, 1);
    this.billed(i, now, 1);
    this.countInstances();
    if (life === Life.Ready) this.markReady(i, now);
    return i;
  }

  markReady(i: number, now: number): void {
    this.life[i] = Life.Ready;
    this.lifeChanged[i] = now;
    this.ready.push(i);
    this.capacity.add(now, this.workers[i]);
  }

  /** Leaves the ready set (draining or killed before ready). */
  unready(i: number, now: number, life: Life): void {
    if (this.life[i] === Life.Ready) {
      this.ready.splice(this.ready.indexOf(i), 1);
      this.capacity.add(now, -this.workers[i]);
    }
    this.life[i] = life;
    this.lifeChanged[i] = now;
    if (life === Life.Gone) {
      this.existing.add(now, -1);
      this.billed(i, now, -1);
      this.countInstances();
    }
  }

  /** Instance i starts (+1) or stops (−1) being billed: a pool billed per version counts it there too. */
  protected billed(_i: number, _now: number, _delta: number): void {}

  /** The graveyard slot (made on first use): never counted, never billed, never ready. */
  graveyard(): number {
    if (this.grave < 0) {
      if (this.n === this.life.length) this.grow();
      const g = (this.grave = this.n++);
      this.life[g] = Life.Gone;
      this.busy[g] = 0;
      this.backlogs.push(new Backlog());
    }
    return this.grave;
  }

  /** Round robin over ready instances, for requests that reach the pool without a balancer. */
  pickDirect(): number {
    const r = this.ready;
    if (r.length === 0) return -1;
    if (this.cursor >= r.length) this.cursor = 0;
    return r[this.cursor++];
  }

  /** Advances instance i's integrals to `now` before its busy or waiting count changes (callers on the hot path test perInstance first). */
  touch(i: number, now: number): void {
    if (!this.perInstance) return;
    const dt = now - this.lastTouch[i];
    if (dt > 0) {
      this.busyArea[i] += this.busy[i] * dt;
      this.queueArea[i] += this.backlogs[i].live * dt;
      this.lastTouch[i] = now;
    }
  }

  /** Instances that exist and are not on their way out: what the scaler counts as current. */
  active(): number {
    let k = 0;
    for (let i = 0; i < this.n; i++) if (this.life[i] <= Life.Ready) k++;
    return k;
  }

  /** Active instances of one version. */
  activeOf(version: number): number {
    let k = 0;
    for (let i = 0; i < this.n; i++) if (this.life[i] <= Life.Ready && this.version[i] === version) k++;
    return k;
  }

  readyCount(): number {
    return this.ready.length;
  }

  private countInstances(): void {
    const e = this.existing.current;
    if (e > this.peak) this.peak = e;
    if (e < this.low) this.low = e;
  }

  private grow(): void {
    const cap = this.life.length * 2;
    this.life = grown(this.life, cap);
    this.zone = grown(this.zone, cap);
    this.version = grown(this.version, cap);
    this.lost = grown(this.lost, cap);
    this.registered = grown(this.registered, cap);
    this.busy = grown(this.busy, cap);
    this.workers = grown(this.workers, cap);
    this.created = grown(this.created, cap);
    this.reviveAt = grown(this.reviveAt, cap);
    this.crashLoopUntil = grown(this.crashLoopUntil, cap);
    this.lifeChanged = grown(this.lifeChanged, cap);
    this.busyArea = grown(this.busyArea, cap);
    this.queueArea = grown(this.queueArea, cap);
    this.lastTouch = grown(this.lastTouch, cap);
    this.served = grown(this.served, cap);
    this.failed = grown(this.failed, cap);
    this.respSum = grown(this.respSum, cap);
  }
}
