// A cache node or cluster (Redis). A request's key is drawn from a Zipf popularity (ZipfSampler,
// rejection-inversion: O(1), no table) and hashed to one of `shards` nodes; the shard serves one
// lookup per request on `workers` threads (Redis: 1) in FIFO order, holding at most `connections`
// operations (maxclients) — beyond that the request is refused (backlogFull). The lookup's result
// is the shard's LRU at the moment the operation completes (./lru.ts, TTL included), or a
// Bernoulli draw when the scenario gives a fixed hit ratio. A hit is answered (or goes to `next`);
// a miss is sent to `backend` with RunContext.call, and when the backend answers, its key is
// inserted (fill) and the request goes on as a hit would. A restart empties every shard (the
// method `restart` is what a fault calls; `restarts:` in the scenario schedules it).
//
// Left out, on purpose: the SET a fill costs the shard is not charged to its worker (a fill is one
// more operation per miss; with opTime ≪ backend time it does not move the node's utilisation
// much); a restart has no downtime (the node answers misses at once); Redis' approximated LRU
// (sampling 5 keys) is modelled as exact LRU, which is what Che's approximation describes; memory
// is counted in entries, not bytes; keys are independent draws (IRM), no temporal locality.
import type { CacheConfig } from '../scenario/types.ts';
import type { SeriesRow } from '../stats/results.ts';
import type { CacheSummary } from '../stats/data-tier.ts';
import { sampler } from '../sim/distribution.ts';
import { ZipfSampler } from '../sim/zipf.ts';
import type { Rng } from '../sim/rng.ts';
import { LatencyHistogram } from '../stats/latency.ts';
import { TimeWeighted } from '../stats/time-weighted.ts';
import { Backlog } from './backlog.ts';
import { Lru } from './lru.ts';
import { ReqState } from './requests.ts';
import { Counters, CAUSE_BACKLOG_FULL, OK, errorCounts } from './counters.ts';
import { REQUEST, TIMER, timerArg, type Billing, type Component, type RunContext } from './component.ts';
import { intervalRow } from './series.ts';

const DONE = 0; // request event: s's lookup operation completes
const RESTART = 0; // timer: x = index into cfg.restarts

export class CacheRuntime implements Component {
  readonly readsClient = false;
  readonly scaling = null;
  readonly counters = new Counters();
  private backend = -1;
  private next = -1;
  private readonly op: () => number;
  private readonly rng: Rng;
  private readonly zipf: ZipfSampler | null;
  private readonly lrus: Lru[] = [];
  private readonly ttl: number;
  private readonly busy: Int32Array;
  private readonly backlogs: Backlog[] = [];
  private readonly held: Int32Array; // per shard: operations in service + waiting
  private readonly busyTotal = new TimeWeighted(0);
  private readonly queued = new TimeWeighted(0);
  private readonly latency = new LatencyHistogram(3, 2);
  private hits = 0; // after warmup, for the summary
  private misses = 0;
  private iHits = 0; // in the current sample interval
  private iMisses = 0;
  private fills = 0;
  private restartCount = 0;

  constructor(readonly cfg: CacheConfig, readonly index: number, private readonly run: RunContext) {
    this.op = sampler(cfg.opTime, run.stream(`cache-op:${cfg.name}`));
    this.rng = run.stream(`cache:${cfg.name}`);
    this.busy = new Int32Array(cfg.shards);
    this.held = new Int32Array(cfg.shards);
    for (let i = 0; i < cfg.shards; i++) this.backlogs.push(new Backlog());
    const lru = cfg.lru;
    this.ttl = lru ? lru.ttl : Infinity;
    this.zipf = lru ? new ZipfSampler(lru.keys, lru.zipf, run.stream(`cache-keys:${cfg.name}`)) : null;
    if (lru) {
      const slotOf = new Int32Array(lru.keys).fill(-1); // shared: a key lives on one shard only
      for (let i = 0; i < cfg.shards; i++) this.lrus.push(new Lru(lru.size, slotOf));
    }
  }

  /** The shard a key hashes to (Fibonacci hashing, so neighbouring ranks spread over shards). */
  shardOf(key: number): number {
    return this.cfg.shards === 1 ? 0 : (Math.imul(key + 1, 0x9e3779b1) >>> 0) % this.cfg.shards;
  }

  link(): void {
    this.backend = this.run.component(this.cfg.backend).index;
    if (this.cfg.next !== null) this.next = this.run.component(this.cfg.next).index;
  }

  start(): void {
    if (this.cfg.start === 'warm') this.warm();
    this.cfg.restarts.forEach((t, i) => this.run.heap.push(t, TIMER + RESTART, timerArg(this.index, i)));
  }

  /** Each shard full of its most popular keys, the most popular most recent; TTLs spread over one TTL. */
  private warm(): void {
    const lru = this.cfg.lru;
    if (!lru) return;
    const room = Int32Array.from(this.lrus, (l) => l.capacity);
    let left = room.reduce((a, b) => a + b, 0);
    const keys: number[] = [];
    for (let k = 0; k < lru.keys && left > 0; k++) {
      const sh = this.shardOf(k);
      if (room[sh] > 0) { room[sh]--; left--; keys.push(k); }
    }
    for (let i = keys.length - 1; i >= 0; i--) {
      const k = keys[i], ttl = this.ttl === Infinity ? Infinity : this.ttl * (1 - this.rng());
      this.lrus[this.shardOf(k)].put(k, 0, ttl);
    }
  }

  /** Every shard restarts: its keys are gone (a fault's entry point). */
  restart(): void {
    for (const l of this.lrus) l.clear();
    this.restartCount++;
  }

  // ---- requests ----

  admit(s: number): void {
    const req = this.run.req, now = this.run.now;
    this.counters.arrivals++;
    const key = this.zipf ? this.zipf.next() - 1 : 0;
    const sh = this.zipf ? this.shardOf(key) : this.cfg.shards === 1 ? 0 : (this.rng() * this.cfg.shards) | 0;
    if (this.held[sh] >= this.cfg.connections) {
      this.counters.error(CAUSE_BACKLOG_FULL);
      this.run.fail(s, CAUSE_BACKLOG_FULL);
      return;
    }
    this.held[sh]++;
    req.inst[s] = sh;
    req.handle[s] = key;
    req.entered[s] = now;
    if (this.busy[sh] < this.cfg.workers) {
      this.busy[sh]++;
      this.busyTotal.add(now, 1);
      this.startOp(s);
    } else {
      this.backlogs[sh].push(s, req.gen[s]);
      this.queued.add(now, 1);
      req.state[s] = ReqState.Queued;
    }
  }

  private startOp(s: number): void {
    this.run.req.state[s] = ReqState.Service;
    this.run.heap.push(this.run.now + this.op(), REQUEST + DONE, s);
  }

  onRequest(_code: number, s: number): void {
    const req = this.run.req, now = this.run.now, sh = req.inst[s];
    // The worker takes the next waiting operation, or goes idle.
    this.held[sh]--;
    const nx = this.backlogs[sh].shift(req.gen);
    if (nx >= 0) {
      this.queued.add(now, -1);
      this.startOp(nx);
    } else {
      this.busy[sh]--;
      this.busyTotal.add(now, -1);
    }
    const entered = req.entered[s];
    if (entered >= this.run.warmup) this.latency.record(now - entered);
    this.counters.completions++;
    const hit = this.zipf ? this.lrus[sh].get(req.handle[s], now) : this.rng() < this.cfg.hitRatio!;
    const counted = now >= this.run.warmup;
    if (hit) {
      this.iHits++;
      if (counted) this.hits++;
      this.carryOn(s);
    } else {
      this.iMisses++;
      if (counted) this.misses++;
      this.run.call(s, this.backend, this.index, req.handle[s]);
    }
  }

  /** The backend answered a miss (cause OK): fill its key, then on as a hit; a failure fails the request here. */
  onAnswer(s: number, key: number, cause: number): void {
    if (cause !== OK) {
      this.run.fail(s, cause);
      return;
    }
    if (this.cfg.fill && this.zipf) {
      this.lrus[this.shardOf(key)].put(key, this.run.now, this.ttl);
      this.fills++;
    }
    this.carryOn(s);
  }

  private carryOn(s: number): void {
    if (this.next >= 0) this.run.route(s, this.next);
    else this.run.complete(s);
  }

  onReturn(): boolean {
    return false; // it offers to no instance directly: nothing returns through `via`
  }

  onTimer(code: number): void {
    if (code === RESTART) this.restart();
  }

  // ---- reports ----

  private get workers(): number {
    return this.cfg.shards * this.cfg.workers;
  }

  sample(now: number, dt: number): SeriesRow {
    const inFlight = this.busyTotal.current + this.queued.current;
    const row = intervalRow(now, this.cfg.name, dt, this.counters, this.latency, inFlight, this.queued.windowMean(now));
    row.utilisation = Math.min(1, this.busyTotal.windowMean(now) / this.workers);
    const lookups = this.iHits + this.iMisses;
    row.hit_ratio = lookups > 0 ? this.iHits / lookups : null;
    this.iHits = this.iMisses = 0;
    row.instances_desired = row.instances_ready = row.instances_total = this.cfg.shards;
    row.cost = (this.cfg.shards * now / 3600) * this.cfg.pricePerHour;
    return row;
  }

  billing(end: number): Billing {
    const instanceHours = (this.cfg.shards * end) / 3600;
    return { instanceHours, cost: instanceHours * this.cfg.pricePerHour, peak: this.cfg.shards };
  }

  summary(end: number): CacheSummary {
    const lookups = this.hits + this.misses, bill = this.billing(end);
    return {
      kind: 'cache',
      arrivals: this.counters.arrivals,
      lookups,
      hits: this.hits,
      misses: this.misses,
      hitRatio: lookups > 0 ? this.hits / lookups : 0,
      fills: this.fills,
      restarts: this.restartCount,
      errors: errorCounts(this.counters),
      latency: this.latency.summary(),
      utilisation: end > 0 ? this.busyTotal.integral(end) / (this.workers * end) : 0,
      meanQueue: this.queued.mean(end),
      shards: this.cfg.shards,
      instanceHours: bill.instanceHours,
      cost: bill.cost,
    };
  }
}
