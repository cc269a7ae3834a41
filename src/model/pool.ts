// A service pool: instances with `workers` concurrent slots and a FIFO backlog each (the state is
// the Fleet, ./fleet.ts), a deadline per request, and the instance lifecycle an autoscaler drives.
// Requests reach an instance straight (round robin over ready ones) or through a balancer that
// addresses instances itself (offer). A request that waits or runs past `timeout` fails with 504;
// its worker still finishes it, as a real server would. A pool with `calls` makes them after its
// own work, holding the worker until they end (./calls.ts); `next` routes the answered request on.
import type { PoolConfig } from '../scenario/types.ts';
import type { PoolSummary, SeriesRow } from '../stats/results.ts';
import { sampler } from '../sim/distribution.ts';
import { ReqState } from './requests.ts';
import { Fleet, Life } from './fleet.ts';
import { CAUSE_BACKLOG_FULL, CAUSE_NO_UPSTREAM, CAUSE_TIMEOUT, OK } from './counters.ts';
import {
  REQUEST, TIMER, MAX_TIMER_X, timerArg,
  type Addressable, type Billing, type Component, type InstanceListener, type RunContext, type Scalable,
} from './component.ts';
import { PoolScaler } from './scaler.ts';
import { poolRow, poolSummary } from './pool-report.ts';
import { Routes } from './routes.ts';
import { Caller } from './calls.ts';

export { Life } from './fleet.ts';

// Its request event and timers (numbered in its own ranges, ./component.ts).
const DEPARTURE = 0; // s's service ends
const DEADLINE = 0; // the earliest pending deadline is due
const BOOTED = 1; // x = instance: provisioning done, the process starts
const READY = 2; // x = instance: readiness passed
const DRAIN_KILL = 3; // x = instance: drainTimeout passed

const MAX_INSTANCES = MAX_TIMER_X + 1;

export class PoolRuntime extends Fleet implements Component, Addressable {
  readonly readsClient = false;
  readonly scaling: Scalable | null;
  private readonly routes: Routes; // where an answered request goes next
  /** Its calls, when it makes any. */
  readonly caller: Caller | null;
  /** A request's service time; a kind that owns the pool may choose it per request (serveWith). */
  private service: (s: number) => number;
  private readonly boot: () => number;
  private readonly listeners: InstanceListener[] = [];
  // Hot configuration as fields of this class, each with an initial number (see Simulation's note).
  private readonly warmup: number = 0;
  private readonly workers: number = 0;
  private readonly backlog: number = 0.5; // a float from the start: it may be Infinity
  private readonly deadlineAfter: number = 0.5; // cfg.timeout

  constructor(override readonly cfg: PoolConfig, readonly index: number, private readonly run: RunContext) {
    super(cfg);
    this.service = sampler(cfg.serviceTime, run.stream(`service:${cfg.name}`));
    this.boot = sampler(cfg.bootTime, run.stream(`boot:${cfg.name}`));
    this.warmup = run.warmup;
    this.workers = cfg.workers;
    this.backlog = cfg.backlog;
    this.deadlineAfter = cfg.timeout;
    this.routes = new Routes(cfg.next, run, cfg.name);
    this.caller = cfg.calls.length > 0 ? new Caller(this, run) : null;
    const policy = cfg.autoscaling, pool = this; // eslint-disable-line @typescript-eslint/no-this-alias
    this.scaling = policy === null ? null : {
      scaler: new PoolScaler(this, policy, 0),
      scrapeInterval: cfg.metrics.scrapeInterval,
      get desired(): number { return pool.desired; },
      resize(desired: number): void { pool.resize(desired, pool.run.now); },
    };
  }

  link(): void {
    this.routes.link();
    this.caller?.link();
  }

  /** Service times chosen per request (a database's primary: reads and writes differ). */
  serveWith(service: (s: number) => number): void {
    this.service = service;
  }

  /** The initial fleet: ready at the start. */
  start(): void {
    const now = this.run.now;
    for (let i = 0; i < this.cfg.instances; i++) this.becomeReady(this.create(now, Life.Ready), now);
    this.low = this.peak = this.existing.current; // the fleet's range counts from the initial size
  }

  listen(l: InstanceListener): void {
    this.listeners.push(l);
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
    const cause = inst < 0 ? CAUSE_NO_UPSTREAM : CAUSE_BACKLOG_FULL;
    if (!this.run.ended(s, cause)) this.run.fail(s, cause);
  }

  /** Instance inst takes s onto a worker or into its backlog; false when the backlog is full. */
  offer(s: number, inst: number, via: number, handle: number): boolean {
    const req = this.run.req, now = this.run.now;
    this.counters.arrivals++;
    if (this.busy[inst] < this.workers) {
      if (this.perInstance) this.touch(inst, now);
      this.busy[inst]++;
      this.busyTotal.add(now, 1);
      req.entered[s] = now;
      this.startService(s);
    } else {
      const q = this.backlogs[inst];
      if (q.live >= this.backlog) {
        this.counters.error(CAUSE_BACKLOG_FULL);
        if (this.perInstance) this.failed[inst]++;
        return false;
      }
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
    if (this.deadlineAfter < Infinity) {
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

  private startService(s: number): void {
    const req = this.run.req, now = this.run.now;
    req.state[s] = ReqState.Service;
    const entered = req.entered[s];
    if (entered >= this.warmup) {
      this.waitSum += now - entered;
      this.waitCount++;
      if (now > entered) this.waitedCount++;
    }
    this.run.heap.push(now + this.service(s) * this.run.serviceScale[req.cls[s]], REQUEST + DEPARTURE, s);
  }

  /** DEPARTURE, its only request event: s's service ended. */
  onRequest(_code: number, s: number): void {
    const req = this.run.req, inst = req.inst[s], now = this.run.now;
    const alive = this.life[inst] !== Life.Gone;
    if (alive && this.perInstance) this.touch(inst, now);
    if (req.state[s] === ReqState.Abandoned) req.release(s);
    else if (this.caller !== null && this.caller.begin(s)) return; // the worker waits on its calls
    else this.answer(s, inst);
    if (alive) this.freeWorker(inst);
  }

  /** s's calls are over (./calls.ts): answered (OK) or failed with `cause`; the worker is free again. */
  callsDone(s: number, cause: number): void {
    const req = this.run.req, inst = req.inst[s], now = this.run.now;
    const alive = this.life[inst] !== Life.Gone;
    if (alive && this.perInstance) this.touch(inst, now);
    if (req.state[s] === ReqState.Abandoned) req.release(s); // it timed out or was cut meanwhile
    else if (cause === OK) this.answer(s, inst);
    else {
      req.deadline[s] = -1;
      this.counters.error(cause);
      if (this.perInstance) this.failed[inst]++;
      if (!this.run.ended(s, cause)) this.run.fail(s, cause); // not on a worker any more: its slot is released
    }
    if (alive) this.freeWorker(inst);
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
    if (req.via[s] < 0 || !this.run.ended(s, OK)) {
      const next = this.routes.pick();
      if (next >= 0) this.run.route(s, next);
      else this.run.complete(s);
    }
  }

  /** The worker takes the next waiting request straight away (busy count unchanged), or goes idle. */
  private freeWorker(inst: number): void {
    const req = this.run.req, now = this.run.now; // read here: a float passed as an argument may be boxed
    const nx = this.backlogs[inst].shift(req.gen);
    if (nx >= 0) {
      this.queued.add(now, -1);
      this.startService(nx);
    } else {
      this.busy[inst]--;
      this.busyTotal.add(now, -1);
      if (this.life[inst] === Life.Draining && this.busy[inst] === 0) this.retire(inst, now);
    }
  }

  /** One of its calls ended (./calls.ts). */
  onReturn(s: number, cause: number): boolean {
    return this.caller!.onReturn(s, cause);
  }

  onTimer(code: number, x: number): void {
    const now = this.run.now;
    switch (code) {
      case DEADLINE: this.onDeadline(now); break;
      case BOOTED: this.booted(x, now); break;
      case READY: if (this.life[x] === Life.Starting) this.becomeReady(x, now); break;
      case DRAIN_KILL: this.kill(x, now); break;
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

  // ---- instance lifecycle ----

  private becomeReady(inst: number, now: number): void {
    if (this.life[inst] !== Life.Ready) this.markReady(inst, now);
    for (const l of this.listeners) l.addInstance(inst);
  }

  private booted(inst: number, now: number): void {
    if (this.life[inst] !== Life.Provisioning) return; // scaled in before it booted
    this.life[inst] = Life.Starting;
    this.lifeChanged[inst] = now;
    this.lastTouch[inst] = now;
    this.run.heap.push(now + this.cfg.readinessDelay, TIMER + READY, timerArg(this.index, inst));
  }

  private launch(now: number): void {
    if (this.n >= MAX_INSTANCES) throw new RangeError(`pool ${this.cfg.name}: more than ${MAX_INSTANCES} instances created`);
    const inst = this.create(now, Life.Provisioning);
    this.run.heap.push(now + this.boot(), TIMER + BOOTED, timerArg(this.index, inst));
  }

  /** The autoscaler's decision: launch, or drain (like the ReplicaSet controller: not-yet-ready before ready, newest first). */
  private resize(desired: number, now: number): void {
    this.desired = desired;
    let active = this.active();
    while (active < desired) { this.launch(now); active++; }
    if (active > desired) {
      const victims: number[] = [];
      for (let i = 0; i < this.n; i++) if (this.life[i] <= Life.Ready) victims.push(i);
      victims.sort((a, b) => this.life[a] - this.life[b] || this.created[b] - this.created[a] || b - a);
      for (let j = 0; j < active - desired; j++) this.drain(victims[j], now);
    }
  }

  /** Scale-in: no new requests; in-flight ones get drainTimeout to finish. */
  private drain(inst: number, now: number): void {
    for (const l of this.listeners) l.removeInstance(inst);
    if (this.life[inst] !== Life.Ready) {
      this.gone(inst, now); // never served: nothing to drain
      return;
    }
    this.unready(inst, now, Life.Draining);
    if (this.busy[inst] === 0 && this.backlogs[inst].live === 0) this.retire(inst, now);
    else this.run.heap.push(now + this.cfg.drainTimeout, TIMER + DRAIN_KILL, timerArg(this.index, inst));
  }

  private retire(inst: number, now: number): void {
    this.touch(inst, now);
    this.gone(inst, now);
  }

  private gone(inst: number, now: number): void {
    this.unready(inst, now, Life.Gone);
    this.caller?.instanceGone(inst);
  }

  /** The drain timeout passed: whatever the instance still holds fails with it. */
  private kill(inst: number, now: number): void {
    const req = this.run.req;
    if (this.life[inst] !== Life.Draining) return;
    this.touch(inst, now);
    for (let s = this.backlogs[inst].shift(req.gen); s >= 0; s = this.backlogs[inst].shift(req.gen)) {
      this.queued.add(now, -1);
      this.dropAtKill(s, now);
    }
    // In-service requests: found by scanning the table, which happens only at a kill.
    for (let s = 0; s < req.capacity; s++) {
      const st = req.state[s];
      if ((st !== ReqState.Service && st !== ReqState.Abandoned && st !== ReqState.Calling) || req.inst[s] !== inst || req.comp[s] !== this.index) continue;
      this.busyTotal.add(now, -1); // the worker is gone; an abandoned slot is released by its departure (or its calls' end)
      this.caller?.workerGone(s);
      if (st === ReqState.Service) this.dropAtKill(s, now);
      else if (st === ReqState.Calling) {
        // Its calls are still out and will come back to s: it fails as a copy, s stays until then.
        const r = req.clone(s);
        req.state[s] = ReqState.Abandoned;
        req.deadline[s] = -1;
        this.dropAtKill(r, now);
      }
    }
    this.busy[inst] = 0;
    this.gone(inst, now);
  }

  private dropAtKill(s: number, now: number): void {
    this.counters.error(CAUSE_NO_UPSTREAM);
    this.run.req.deadline[s] = -1;
    if (!this.run.ended(s, CAUSE_NO_UPSTREAM)) this.run.fail(s, CAUSE_NO_UPSTREAM);
  }

  // ---- reports (./pool-report.ts) ----

  sample(now: number, dt: number): SeriesRow {
    return poolRow(this, now, dt);
  }

  billing(end: number): Billing {
    const instanceHours = this.existing.integral(end) / 3600;
    return { instanceHours, cost: instanceHours * this.cfg.pricePerHour, peak: this.peak };
  }

  summary(end: number): PoolSummary {
    return poolSummary(this, end);
  }
}
