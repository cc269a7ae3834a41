// One run of a scenario: the event loop and the path of a request through balancers and pools.
// Events are (time, kind, int) in the kernel's heap; a request is a slot in the RequestTable; an
// instance is an index into its pool's arrays. Nothing is allocated per request or per event.
import type { Scenario } from '../scenario/types.ts';
import { EventHeap, MAX_EVENT_ARG } from '../sim/event-heap.ts';
import { stream, type Rng } from '../sim/rng.ts';
import { sampler } from '../sim/distribution.ts';
import { compileCurve } from '../traffic/curve.ts';
import { ArrivalProcess } from '../traffic/arrivals.ts';
import { WeightedChoice, clientAddress } from '../traffic/mix.ts';
import { LatencyHistogram } from '../stats/latency.ts';
import { TimeWeighted } from '../stats/time-weighted.ts';
import type { ScalingEvent } from '../stats/results.ts';
import { RequestTable, ReqState, MAX_TRIED } from './requests.ts';
import {
  PoolRuntime, Counters, Life,
  CAUSE_RATE_LIMITED, CAUSE_BACKLOG_FULL, CAUSE_TIMEOUT, CAUSE_NO_UPSTREAM,
} from './pool.ts';
import { BalancerRuntime, COND_ERROR, COND_TIMEOUT } from './balancer.ts';
import { PoolScaler } from './scaler.ts';
import { SeriesRecorder } from './series.ts';

const enum Ev {
  Departure = 1,
  Timeout = 2,
  LimitDone = 3,
  ThinkDone = 4,
  Booted = 5,
  Ready = 6,
  DrainKill = 7,
  Sample = 8,
  Scrape = 9,
  Sync = 10,
}

// Instance events carry (instance, pool) packed in one int: 256 pools of up to 2^20 instances each.
const POOL_BITS = 8;
const POOL_MASK = (1 << POOL_BITS) - 1;
const MAX_INSTANCES = (MAX_EVENT_ARG + 1) >>> POOL_BITS;

/** Per request class, when the mix has more than one: Gatling's per-request table. */
export class ClassTotals {
  readonly counters = new Counters();
  readonly latency = new LatencyHistogram(3);
  constructor(readonly name: string) {}
}

/** System-wide totals, the `_all` component. */
export class SystemTotals {
  readonly counters = new Counters();
  classes: ClassTotals[] = [];
  readonly latency = new LatencyHistogram(3);
  readonly iLatency = new LatencyHistogram(2);
  readonly inSystem = new TimeWeighted(0);
  sojournDone = 0; // Σ (exit − born) over requests that left
  bornInFlight = 0; // Σ born over requests still in the system
  inFlight = 0;
}

export interface RunState {
  scenario: Scenario;
  now: number;
  pools: PoolRuntime[];
  balancers: BalancerRuntime[];
  system: SystemTotals;
  scaling: ScalingEvent[];
  series: SeriesRecorder;
  requests: RequestTable;
}

export interface RunOptions {
  /** Called now and then with the fraction of simulated time done. */
  onProgress?: (fraction: number) => void;
}

export class Simulation {
  private readonly sc: Scenario;
  private readonly heap = new EventHeap(1024);
  private readonly req = new RequestTable(1024);
  private now = 0;
  private readonly horizon: number;
  private readonly warmup: number;

  // Components by index: component i is a pool when poolOf[i] >= 0, else balancer balancerOf[i].
  private readonly poolOf: Int32Array;
  private readonly balancerOf: Int32Array;
  private readonly pools: PoolRuntime[] = [];
  private readonly balancers: BalancerRuntime[] = [];
  private readonly nextOf: Int32Array; // per pool: component index after it, or -1
  private readonly serviceOf: Array<() => number> = [];
  private readonly bootOf: Array<() => number> = [];
  private readonly frontedBy: BalancerRuntime[][] = []; // per pool: balancers whose upstream it is
  private readonly scalers: Array<PoolScaler | null> = [];

  private readonly system = new SystemTotals();
  private readonly scaling: ScalingEvent[] = [];
  private readonly series: SeriesRecorder;

  private readonly entryOf: Int32Array; // per class
  private readonly scaleOf: Float64Array; // per class
  private readonly mix: WeightedChoice;
  private readonly clientRng: Rng;
  private readonly clients: number;
  private readonly arrivals: ArrivalProcess | null;
  private readonly think: (() => number) | null;
  private readonly scratchTried = new Int32Array(MAX_TRIED);
  private readonly addrOf: Uint32Array; // client id → IPv4
  /** With one request class the system totals are the class's: nothing is kept twice. */
  private readonly perClass: boolean;
  /** Client ids matter to ip_hash and per-client limit_req only; without them none is drawn. */
  private readonly drawsClient: boolean;

  constructor(scenario: Scenario) {
    const sc = (this.sc = scenario);
    this.horizon = sc.duration;
    this.warmup = sc.warmup;
    const seed = sc.seed;
    const n = sc.components.length;
    const indexOf = new Map(sc.components.map((c, i) => [c.name, i]));
    this.poolOf = new Int32Array(n).fill(-1);
    this.balancerOf = new Int32Array(n).fill(-1);

    sc.components.forEach((c, i) => {
      if (c.kind !== 'pool') return;
      if (this.pools.length > POOL_MASK) throw new Error(`at most ${POOL_MASK + 1} pools`);
      this.poolOf[i] = this.pools.length;
      this.pools.push(new PoolRuntime(c, i, this.pools.length));
      this.serviceOf.push(sampler(c.serviceTime, stream(seed, `service:${c.name}`)));
      this.bootOf.push(sampler(c.bootTime, stream(seed, `boot:${c.name}`)));
      this.frontedBy.push([]);
    });
    this.nextOf = new Int32Array(this.pools.length).fill(-1);
    this.pools.forEach((p, k) => {
      if (p.cfg.next !== null) this.nextOf[k] = indexOf.get(p.cfg.next)!;
    });
    this.clients = sc.clients;
    sc.components.forEach((c, i) => {
      if (c.kind !== 'loadBalancer') return;
      const pool = this.pools[this.poolOf[indexOf.get(c.upstream)!]];
      const b = new BalancerRuntime(c, i, this.balancers.length, pool, stream(seed, `balance:${c.name}`), this.clients);
      this.balancerOf[i] = this.balancers.length;
      this.balancers.push(b);
      this.frontedBy[pool.k].push(b);
    });

    this.drawsClient = this.balancers.some((b) => b.cfg.balancing === 'ip_hash' || b.cfg.limitReq?.key === 'client');
    this.perClass = sc.mix.length > 1;
    if (this.perClass) this.system.classes = sc.mix.map((m) => new ClassTotals(m.name));
    this.entryOf = Int32Array.from(sc.mix.map((m) => indexOf.get(m.entry)!));
    this.scaleOf = Float64Array.from(sc.mix.map((m) => m.serviceTimeScale));
    this.mix = new WeightedChoice(sc.mix.map((m) => m.weight), stream(seed, 'mix'));
    this.clientRng = stream(seed, 'clients');
    this.addrOf = new Uint32Array(this.clients);
    for (let c = 0; c < this.clients; c++) this.addrOf[c] = clientAddress(c);

    if (sc.workload.model === 'open') {
      const clock = sc.startTime ? (Date.parse(sc.startTime) / 1000) % 86400 : 0;
      this.arrivals = new ArrivalProcess(compileCurve(sc.workload.rate, clock), stream(seed, 'arrivals'));
      this.think = null;
    } else {
      this.arrivals = null;
      this.think = sampler(sc.workload.thinkTime, stream(seed, 'think'));
    }
    this.series = new SeriesRecorder(sc, this.pools, this.balancers, this.system, this.scalers);
  }

  run(opts: RunOptions = {}): RunState {
    const heap = this.heap, req = this.req, horizon = this.horizon;
    // Initial fleet: ready at t = 0.
    this.pools.forEach((p, k) => {
      for (let i = 0; i < p.cfg.instances; i++) this.becomeReady(k, p.create(0, Life.Ready), 0);
      p.low = p.peak = p.existing.current; // the fleet's range counts from the initial size
      const policy = p.cfg.autoscaling;
      if (policy) {
        const s = new PoolScaler(p, policy, 0);
        this.scalers.push(s);
        heap.push(p.cfg.metrics.scrapeInterval, Ev.Scrape, k);
        heap.push(s.period, Ev.Sync, k);
      } else this.scalers.push(null);
    });
    // Open-model arrivals are one stream in time order: the next one waits in a register beside
    // the heap instead of in it, which saves a push and a pop per request.
    const arrivals = this.arrivals;
    let nextArrival = arrivals ? arrivals.next(0, horizon) : Infinity;
    if (!arrivals) {
      const users = (this.sc.workload as { users: number }).users;
      for (let u = 0; u < users; u++) heap.push(this.think!(), Ev.ThinkDone, u % this.clients);
    }
    heap.push(Math.min(this.sc.sampleInterval, horizon), Ev.Sample, 0);

    const progressEvery = 1 << 16;
    let steps = 0;
    for (;;) {
      let now: number;
      // An arrival goes before a heap event at the same instant.
      if (nextArrival <= heap.peekTime() && nextArrival <= horizon) {
        now = this.now = nextArrival;
        nextArrival = arrivals!.next(now, horizon);
        this.newRequest(this.drawsClient ? (this.clientRng() * this.clients) | 0 : 0, now);
      } else if (heap.popUntil(horizon)) {
        now = this.now = heap.time;
        this.dispatch(heap.kind, heap.arg, now);
      } else break;
      if (opts.onProgress && (++steps & (progressEvery - 1)) === 0) opts.onProgress(now / horizon);
    }
    this.now = horizon;
    this.series.finish(horizon);
    return {
      scenario: this.sc, now: horizon, pools: this.pools, balancers: this.balancers, system: this.system,
      scaling: this.scaling, series: this.series, requests: req,
    };
  }

  private dispatch(kind: number, arg: number, now: number): void {
    const heap = this.heap, req = this.req, horizon = this.horizon;
    switch (kind) {
      case Ev.Departure: this.onDeparture(arg, now); break;
      case Ev.Timeout: this.onTimer(arg, now); break;
      case Ev.LimitDone:
        if (req.state[arg] === ReqState.Delayed) this.forward(arg, this.balancers[this.balancerOf[req.comp[arg]]], now);
        break;
      case Ev.ThinkDone: this.newRequest(arg, now); break;
      case Ev.Booted: this.onBooted(arg & POOL_MASK, arg >> POOL_BITS, now); break;
      case Ev.Ready: this.onReady(arg & POOL_MASK, arg >> POOL_BITS, now); break;
      case Ev.DrainKill: this.kill(arg & POOL_MASK, arg >> POOL_BITS, now); break;
      case Ev.Sample: {
        this.series.sample(now);
        const next = now + this.sc.sampleInterval;
        if (now < horizon) heap.push(Math.min(next, horizon), Ev.Sample, 0);
        break;
      }
      case Ev.Scrape: {
        this.scalers[arg]!.scrape(now);
        heap.push(now + this.pools[arg].cfg.metrics.scrapeInterval, Ev.Scrape, arg);
        break;
      }
      case Ev.Sync: {
        this.sync(arg, now);
        heap.push(now + this.scalers[arg]!.period, Ev.Sync, arg);
        break;
      }
    }
  }

  // ---- a request's path ----

  private newRequest(client: number, now: number): void {
    const req = this.req, s = req.alloc(), sys = this.system;
    req.born[s] = now;
    const cls = this.mix.pick();
    req.cls[s] = cls;
    req.client[s] = client;
    sys.counters.arrivals++;
    sys.counters.iArrivals++;
    if (this.perClass) sys.classes[cls].counters.arrivals++;
    sys.inFlight++;
    sys.bornInFlight += now;
    sys.inSystem.add(now, 1);
    this.route(s, this.entryOf[cls], now);
  }

  private route(s: number, comp: number, now: number): void {
    this.req.comp[s] = comp;
    const k = this.poolOf[comp];
    if (k >= 0) {
      const p = this.pools[k];
      const inst = p.pickDirect();
      if (inst < 0) {
        p.counters.arrivals++;
        p.counters.iArrivals++;
        p.counters.error(CAUSE_NO_UPSTREAM);
        this.fail(s, CAUSE_NO_UPSTREAM, now);
      } else if (!this.accept(s, k, inst, -1, -1, now)) this.fail(s, CAUSE_BACKLOG_FULL, now);
      return;
    }
    const b = this.balancers[this.balancerOf[comp]], req = this.req;
    b.counters.arrivals++;
    b.counters.iArrivals++;
    req.lbStart[s] = now;
    req.triedCount[s] = 0;
    if (b.limit) {
      const key = b.cfg.limitReq!.key === 'client' ? req.client[s] : 0;
      const delay = b.limit.admit(key, now);
      if (delay < 0) {
        b.counters.error(CAUSE_RATE_LIMITED);
        this.fail(s, CAUSE_RATE_LIMITED, now);
        return;
      }
      if (delay > 0) {
        req.state[s] = ReqState.Delayed;
        this.heap.push(now + delay, Ev.LimitDone, s);
        return;
      }
    }
    this.forward(s, b, now);
  }

  /** nginx's upstream loop: pick a peer, connect; on a refused connection try the next one. */
  private forward(s: number, b: BalancerRuntime, now: number): void {
    const req = this.req, tried = this.scratchTried, base = s * MAX_TRIED;
    for (;;) {
      const n = req.triedCount[s];
      for (let i = 0; i < n; i++) tried[i] = req.tried[base + i];
      const peer = b.upstream.pick(now, this.addrOf[req.client[s]], tried, n);
      if (peer < 0) {
        b.counters.error(CAUSE_NO_UPSTREAM);
        this.fail(s, CAUSE_NO_UPSTREAM, now);
        return;
      }
      if (n < MAX_TRIED) req.tried[base + n] = peer;
      req.triedCount[s] = n + 1;
      b.forwarded++;
      b.perPeer[peer]++;
      const inst = b.peerInstance[peer];
      if (this.accept(s, b.pool.k, inst, b.index, peer, now)) return;
      b.upstream.free(peer, now, true); // connection refused: an `error` for max_fails
      if (!b.mayRetry(COND_ERROR, n + 1, now - req.lbStart[s])) {
        b.counters.error(CAUSE_BACKLOG_FULL);
        this.fail(s, CAUSE_BACKLOG_FULL, now);
        return;
      }
      b.retries++;
    }
  }

  /** An instance takes the request onto a worker or into its backlog; false when the backlog is full. */
  private accept(s: number, k: number, inst: number, lb: number, peer: number, now: number): boolean {
    const p = this.pools[k], req = this.req, cfg = p.cfg;
    p.counters.arrivals++;
    p.counters.iArrivals++;
    if (p.busy[inst] < cfg.workers) {
      p.touch(inst, now);
      p.busy[inst]++;
      p.busyTotal.add(now, 1);
      req.entered[s] = now;
      this.startService(s, k, now);
    } else {
      const q = p.backlogs[inst];
      if (q.live >= cfg.backlog) {
        p.counters.error(CAUSE_BACKLOG_FULL);
        if (p.perInstance) p.failed[inst]++;
        return false;
      }
      p.touch(inst, now);
      q.push(s, req.gen[s]);
      p.queued.add(now, 1);
      req.state[s] = ReqState.Queued;
      req.entered[s] = now;
    }
    req.comp[s] = p.component;
    req.inst[s] = inst;
    req.lb[s] = lb;
    req.peer[s] = peer;
    if (cfg.timeout < Infinity) {
      const d = now + cfg.timeout;
      req.deadline[s] = d;
      p.deadlines.push(s, d);
      if (!p.deadlines.armed) {
        p.deadlines.armed = true;
        this.heap.push(d, Ev.Timeout, k);
      }
    }
    return true;
  }

  private startService(s: number, k: number, now: number): void {
    const req = this.req, p = this.pools[k];
    req.state[s] = ReqState.Service;
    const entered = req.entered[s];
    if (entered >= this.warmup) {
      p.waitSum += now - entered;
      p.waitCount++;
      if (now > entered) p.waitedCount++;
    }
    this.heap.push(now + this.serviceOf[k]() * this.scaleOf[req.cls[s]], Ev.Departure, s);
  }

  private onDeparture(s: number, now: number): void {
    const req = this.req, k = this.poolOf[req.comp[s]], p = this.pools[k], inst = req.inst[s];
    const alive = p.life[inst] !== Life.Gone;
    if (alive) p.touch(inst, now);
    if (req.state[s] === ReqState.Abandoned) {
      req.release(s);
    } else {
      req.deadline[s] = -1;
      const took = now - req.entered[s];
      p.counters.completions++;
      p.counters.iCompletions++;
      if (p.perInstance) {
        p.served[inst]++;
        p.respSum[inst] += took;
      }
      if (req.entered[s] >= this.warmup) {
        p.latency.record(took);
        p.iLatency.record(took);
      }
      if (req.lb[s] >= 0) this.balancers[req.lb[s]].upstream.free(req.peer[s], now, false);
      const next = this.nextOf[k];
      if (next >= 0) this.route(s, next, now);
      else this.complete(s, now);
    }
    if (!alive) return;
    // The worker takes the next waiting request straight away (busy count unchanged), or goes idle.
    const nx = p.backlogs[inst].shift(req.gen);
    if (nx >= 0) {
      p.queued.add(now, -1);
      this.startService(nx, k, now);
    } else {
      p.busy[inst]--;
      p.busyTotal.add(now, -1);
      if (p.life[inst] === Life.Draining && p.busy[inst] === 0) this.retire(k, inst, now);
    }
  }

  /** Pool k's timer: every request whose deadline has come times out, then the timer moves on. */
  private onTimer(k: number, now: number): void {
    const q = this.pools[k].deadlines, pending = this.req.deadline;
    // Stays armed while handling, so retries landing back on this pool don't start a second timer.
    for (q.prune(pending); !q.empty && q.headTime <= now; q.prune(pending)) {
      const s = q.headSlot;
      q.drop();
      this.onTimeout(s, now);
    }
    if (q.empty) q.armed = false;
    else this.heap.push(q.headTime, Ev.Timeout, k);
  }

  private onTimeout(s: number, now: number): void {
    const req = this.req, k = this.poolOf[req.comp[s]], p = this.pools[k], inst = req.inst[s];
    req.deadline[s] = -1;
    p.counters.error(CAUSE_TIMEOUT);
    if (p.perInstance) p.failed[inst]++;
    let r = s;
    if (req.state[s] === ReqState.Queued) {
      p.touch(inst, now);
      p.backlogs[inst].forget();
      req.gen[s]++; // its backlog entry is now stale
      p.queued.add(now, -1);
    } else {
      // On a worker: the instance does not know the client left and finishes the work for nothing.
      r = req.clone(s);
      req.state[s] = ReqState.Abandoned;
    }
    const lb = req.lb[s];
    if (lb >= 0) {
      const b = this.balancers[lb];
      b.upstream.free(req.peer[s], now, true);
      if (b.mayRetry(COND_TIMEOUT, req.triedCount[r], now - req.lbStart[r])) {
        b.retries++;
        req.comp[r] = b.component;
        this.forward(r, b, now);
        return;
      }
      b.counters.error(CAUSE_TIMEOUT);
    }
    this.fail(r, CAUSE_TIMEOUT, now);
  }

  private complete(s: number, now: number): void {
    const req = this.req, sys = this.system, born = req.born[s];
    sys.counters.completions++;
    sys.counters.iCompletions++;
    this.leave(born, now);
    if (born >= this.warmup) {
      sys.latency.record(now - born);
      sys.iLatency.record(now - born);
    }
    if (this.perClass) {
      const c = sys.classes[req.cls[s]];
      c.counters.completions++;
      if (born >= this.warmup) c.latency.record(now - born);
    }
    if (this.think) this.heap.push(now + this.think(), Ev.ThinkDone, req.client[s]);
    req.release(s);
  }

  /** The request ends in error. A slot still on a worker stays allocated until the worker is done. */
  private fail(s: number, cause: number, now: number): void {
    const req = this.req, sys = this.system;
    sys.counters.error(cause);
    if (this.perClass) sys.classes[req.cls[s]].counters.error(cause);
    this.leave(req.born[s], now);
    if (this.think) this.heap.push(now + this.think(), Ev.ThinkDone, req.client[s]);
    if (req.state[s] === ReqState.Service) req.state[s] = ReqState.Abandoned;
    else req.release(s);
  }

  private leave(born: number, now: number): void {
    const sys = this.system;
    sys.inFlight--;
    sys.bornInFlight -= born;
    sys.sojournDone += now - born;
    sys.inSystem.add(now, -1);
  }

  // ---- instance lifecycle ----

  private becomeReady(k: number, inst: number, now: number): void {
    const p = this.pools[k];
    if (p.life[inst] !== Life.Ready) p.markReady(inst, now);
    for (const b of this.frontedBy[k]) b.addInstance(inst);
  }

  private onBooted(k: number, inst: number, now: number): void {
    const p = this.pools[k];
    if (p.life[inst] !== Life.Provisioning) return; // scaled in before it booted
    p.life[inst] = Life.Starting;
    p.lifeChanged[inst] = now;
    p.lastTouch[inst] = now;
    this.heap.push(now + p.cfg.readinessDelay, Ev.Ready, (inst << POOL_BITS) | k);
  }

  private onReady(k: number, inst: number, now: number): void {
    if (this.pools[k].life[inst] !== Life.Starting) return;
    this.becomeReady(k, inst, now);
  }

  private launch(k: number, now: number): void {
    const p = this.pools[k];
    if (p.n >= MAX_INSTANCES) throw new RangeError(`pool ${p.cfg.name}: more than ${MAX_INSTANCES} instances created`);
    const inst = p.create(now, Life.Provisioning);
    this.heap.push(now + this.bootOf[k](), Ev.Booted, (inst << POOL_BITS) | k);
  }

  /** Scale-in: no new requests; in-flight ones get drainTimeout to finish. */
  private drain(k: number, inst: number, now: number): void {
    const p = this.pools[k];
    for (const b of this.frontedBy[k]) b.removeInstance(inst);
    if (p.life[inst] !== Life.Ready) {
      p.unready(inst, now, Life.Gone); // never served: nothing to drain
      return;
    }
    p.unready(inst, now, Life.Draining);
    if (p.busy[inst] === 0 && p.backlogs[inst].live === 0) this.retire(k, inst, now);
    else this.heap.push(now + p.cfg.drainTimeout, Ev.DrainKill, (inst << POOL_BITS) | k);
  }

  private retire(k: number, inst: number, now: number): void {
    const p = this.pools[k];
    p.touch(inst, now);
    p.unready(inst, now, Life.Gone);
  }

  /** The drain timeout passed: whatever the instance still holds fails with it. */
  private kill(k: number, inst: number, now: number): void {
    const p = this.pools[k], req = this.req;
    if (p.life[inst] !== Life.Draining) return;
    p.touch(inst, now);
    for (let s = p.backlogs[inst].shift(req.gen); s >= 0; s = p.backlogs[inst].shift(req.gen)) {
      p.queued.add(now, -1);
      this.dropAtKill(s, k, now);
    }
    // In-service requests: found by scanning the table, which happens only at a kill.
    for (let s = 0; s < req.capacity; s++) {
      const st = req.state[s];
      if ((st !== ReqState.Service && st !== ReqState.Abandoned) || req.inst[s] !== inst || this.poolOf[req.comp[s]] !== k) continue;
      p.busyTotal.add(now, -1); // the worker is gone; an abandoned slot is released by its departure
      if (st === ReqState.Service) this.dropAtKill(s, k, now);
    }
    p.busy[inst] = 0;
    p.unready(inst, now, Life.Gone);
  }

  private dropAtKill(s: number, k: number, now: number): void {
    const req = this.req, p = this.pools[k];
    p.counters.error(CAUSE_NO_UPSTREAM);
    req.deadline[s] = -1;
    if (req.lb[s] >= 0) this.balancers[req.lb[s]].upstream.free(req.peer[s], now, true);
    this.fail(s, CAUSE_NO_UPSTREAM, now);
  }

  // ---- autoscaling ----

  private sync(k: number, now: number): void {
    const p = this.pools[k], scaler = this.scalers[k]!;
    const d = scaler.decide(now);
    const from = p.desired;
    if (d.desired === from) return;
    this.scaling.push({ time: now, pool: p.cfg.name, from, to: d.desired, rule: d.rule, reasons: d.reasons, unclamped: d.unclamped, observed: d.observed });
    p.desired = d.desired;
    let active = p.active();
    while (active < d.desired) { this.launch(k, now); active++; }
    if (active > d.desired) {
      // Like the ReplicaSet controller: not-yet-ready before ready, newest first.
      const victims: number[] = [];
      for (let i = 0; i < p.n; i++) if (p.life[i] <= Life.Ready) victims.push(i);
      victims.sort((a, b) => p.life[a] - p.life[b] || p.created[b] - p.created[a] || b - a);
      for (let j = 0; j < active - d.desired; j++) this.drain(k, victims[j], now);
    }
  }
}

export { CAUSE_RATE_LIMITED, CAUSE_BACKLOG_FULL, CAUSE_TIMEOUT, CAUSE_NO_UPSTREAM };
