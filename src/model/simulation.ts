// One run of a scenario: the event loop and a request's way between components. What happens
// at a component is its kind's (./component.ts, ./kinds.ts); the run only knows that a request is
// born, is routed to a component, and completes or fails. Events are (time, kind, int) in the
// kernel's heap; a request is a slot in the RequestTable. Nothing is allocated per request or event.
import type { Scenario } from '../scenario/types.ts';
import { EventHeap } from '../sim/event-heap.ts';
import { stream, type Rng } from '../sim/rng.ts';
import { sampler } from '../sim/distribution.ts';
import { compileCurve, startClock } from '../traffic/curve.ts';
import { ArrivalProcess } from '../traffic/arrivals.ts';
import { WeightedChoice, clientAddress } from '../traffic/mix.ts';
import type { RunEvent, ScalingEvent } from '../stats/results.ts';
import { RequestTable, ReqState, MAX_CALL_DEPTH } from './requests.ts';
import {
  EV_SAMPLE, EV_THINK, EV_SCRAPE, EV_SYNC, REQUEST, TIMER, COMPONENT_BITS, COMPONENT_MASK, MAX_COMPONENTS,
  type Component, type RunContext,
} from './component.ts';
import { buildComponent, poolsOf, balancersOf } from './kinds.ts';
import type { PoolRuntime } from './pool.ts';
import type { BalancerRuntime } from './balancer.ts';
import { SeriesRecorder } from './series.ts';
import { Cluster } from './cluster.ts';
import { OK } from './counters.ts';
import { ClassTotals, SystemTotals } from './totals.ts';

export { ClassTotals, SystemTotals } from './totals.ts';
export { CAUSE_RATE_LIMITED, CAUSE_BACKLOG_FULL, CAUSE_TIMEOUT, CAUSE_NO_UPSTREAM } from './counters.ts';

export interface RunState {
  scenario: Scenario;
  now: number;
  /** In file order, each its kind's runtime. */
  components: Component[];
  pools: PoolRuntime[];
  balancers: BalancerRuntime[];
  system: SystemTotals;
  scaling: ScalingEvent[];
  /** Faults, failures and release steps, in time order (at most MAX_EVENTS; `eventsDropped` beyond). */
  events: RunEvent[];
  eventsDropped: number;
  series: SeriesRecorder;
  requests: RequestTable;
  /** The nodes pods ran on (null without `nodes:`). */
  nodes: Cluster | null;
}

export interface RunOptions {
  /** Called now and then with the fraction of simulated time done. */
  onProgress?: (fraction: number) => void;
}

/** Events kept in the summary; a crash loop over hours could log without end. */
export const MAX_EVENTS = 2000;

export class Simulation implements RunContext {
  /** The clock (RunContext.now). */
  now = 0;
  readonly scenario: Scenario;
  readonly probeClass: number;
  readonly heap = new EventHeap(1024);
  readonly req = new RequestTable(1024);
  // Numbers get an initial value: a field only declared starts as `undefined` (ES2022 class
  // fields) and V8 then keeps it boxed, which the hot path pays for on every read and write.
  readonly warmup: number = 0;
  readonly serviceScale: Float64Array; // per class
  readonly classNames: readonly string[];
  readonly clientAddress: Uint32Array; // client id → IPv4
  private readonly sc: Scenario;
  private readonly horizon: number = 0;
  /** The next open-model arrival (Infinity: none, or a closed model). */
  private nextArrival = Infinity;
  private readonly components: Component[];
  /** Where a timer goes by its index: the components, then the cluster when there are nodes. */
  private readonly timerTargets: Array<{ onTimer(code: number, x: number): void }>;
  readonly nodes: Cluster | null;
  private readonly byName: Map<string, number>;

  private readonly system = new SystemTotals();
  private readonly scaling: ScalingEvent[] = [];
  private readonly events: RunEvent[] = [];
  private eventsDropped = 0;
  private readonly series: SeriesRecorder;

  private readonly entryOf: Int32Array; // per class
  private readonly mix: WeightedChoice;
  private readonly clientRng: Rng;
  private readonly arrivals: ArrivalProcess | null;
  private readonly think: (() => number) | null;
  /** With one request class the system totals are the class's: nothing is kept twice. */
  private readonly perClass: boolean;
  /** Client ids matter to components that read them (ip_hash, per-client limit_req); without one none is drawn. */
  private readonly drawsClient: boolean;

  constructor(scenario: Scenario) {
    const sc = (this.sc = this.scenario = scenario);
    this.horizon = sc.duration;
    this.warmup = sc.warmup;
    if (sc.components.length > MAX_COMPONENTS) throw new RangeError(`at most ${MAX_COMPONENTS} components`);
    this.byName = new Map(sc.components.map((c, i) => [c.name, i]));
    this.perClass = sc.mix.length > 1;
    if (this.perClass) this.system.classes = sc.mix.map((m) => new ClassTotals(m.name));
    this.entryOf = Int32Array.from(sc.mix.map((m) => this.byName.get(m.entry)!));
    // One more class after the mix's: health checks, whose handler takes no time of its own.
    this.serviceScale = Float64Array.from([...sc.mix.map((m) => m.serviceTimeScale), 0]);
    this.probeClass = sc.mix.length;
    this.classNames = sc.mix.map((m) => m.name);
    this.mix = new WeightedChoice(sc.mix.map((m) => m.weight), stream(sc.seed, 'mix'));
    this.clientRng = stream(sc.seed, 'clients');
    this.clientAddress = new Uint32Array(sc.clients);
    for (let c = 0; c < sc.clients; c++) this.clientAddress[c] = clientAddress(c);

    if (sc.nodes !== undefined && sc.components.length >= MAX_COMPONENTS) throw new RangeError(`at most ${MAX_COMPONENTS - 1} components with nodes`);
    // Before the components: a pool on nodes attaches to the cluster as it is built.
    this.nodes = sc.nodes === undefined ? null : new Cluster(sc.nodes, sc.components, this, sc.components.length);
    this.components = sc.components.map((c, i) => buildComponent(c, i, this));
    this.timerTargets = this.nodes === null ? this.components : [...this.components, this.nodes];
    for (const c of this.components) c.link();
    this.drawsClient = this.components.some((c) => c.readsClient);

    if (sc.workload.model === 'open') {
      this.arrivals = new ArrivalProcess(compileCurve(sc.workload.rate, startClock(sc.startTime)), stream(sc.seed, 'arrivals'), sc.duration);
      this.think = null;
    } else {
      this.arrivals = null;
      this.think = sampler(sc.workload.thinkTime, stream(sc.seed, 'think'));
    }
    this.series = new SeriesRecorder(this.components, this.system, this.nodes);
  }

  run(opts: RunOptions = {}): RunState {
    const heap = this.heap, horizon = this.horizon;
    this.nodes?.start();
    this.components.forEach((c, i) => {
      c.start();
      const sc = c.scaling;
      if (sc) {
        heap.push(sc.scrapeInterval, EV_SCRAPE, i);
        heap.push(sc.scaler.period, EV_SYNC, i);
      }
    });
    // Open-model arrivals are one stream in time order: the next one waits in a register beside
    // the heap instead of in it, which saves a push and a pop per request.
    const arrivals = this.arrivals;
    arrivals?.advance();
    this.nextArrival = arrivals ? arrivals.time : Infinity;
    if (!arrivals) {
      const users = (this.sc.workload as { users: number }).users, clients = this.sc.clients;
      for (let u = 0; u < users; u++) heap.push(this.think!(), EV_THINK, u % clients);
    }
    heap.push(Math.min(this.sc.sampleInterval, horizon), EV_SAMPLE, 0);

    const progressEvery = 1 << 16;
    const onProgress = opts.onProgress;
    // The loop holds no float: run() is entered once, so V8 compiles its loop on-stack (OSR),
    // where every float live around the loop is boxed per turn; step() is an ordinary hot call
    // keeping the clock and the next arrival in fields.
    if (onProgress) {
      for (let steps = 1; this.step(); steps++) if ((steps & (progressEvery - 1)) === 0) onProgress(this.now / horizon);
    } else {
      while (this.step());
    }
    this.now = horizon;
    this.series.finish(horizon);
    return {
      scenario: this.sc, now: horizon, components: this.components,
      pools: poolsOf(this.components), balancers: balancersOf(this.components),
      system: this.system, scaling: this.scaling, events: this.events, eventsDropped: this.eventsDropped, series: this.series, requests: this.req,
      nodes: this.nodes,
    };
  }

  /** Handles the next event (an arrival before a heap event at the same instant); false when none is left before the horizon. */
  private step(): boolean {
    const heap = this.heap, next = this.nextArrival;
    if (next <= heap.peekTime() && next <= this.horizon) {
      this.now = next;
      const arrivals = this.arrivals!;
      arrivals.advance();
      this.nextArrival = arrivals.time;
      this.newRequest(this.drawsClient ? (this.clientRng() * this.sc.clients) | 0 : 0);
      return true;
    }
    // peekTime, not popUntil(horizon): a float passed to a call V8 does not inline is boxed.
    if (heap.peekTime() > this.horizon || !heap.pop()) return false;
    this.now = heap.time;
    this.dispatch(heap.kind, heap.arg);
    return true;
  }

  private dispatch(kind: number, arg: number): void {
    const now = this.now;
    if (kind >= TIMER) {
      this.timerTargets[arg & COMPONENT_MASK].onTimer(kind - TIMER, arg >>> COMPONENT_BITS);
    } else if (kind >= REQUEST) {
      this.components[this.req.comp[arg]].onRequest(kind - REQUEST, arg);
    } else if (kind === EV_SAMPLE) {
      this.series.sample(now);
      if (now < this.horizon) this.heap.push(Math.min(now + this.sc.sampleInterval, this.horizon), EV_SAMPLE, 0);
    } else if (kind === EV_THINK) {
      this.newRequest(arg);
    } else if (kind === EV_SCRAPE) {
      const sc = this.components[arg].scaling!;
      sc.scaler.scrape(now);
      this.heap.push(now + sc.scrapeInterval, EV_SCRAPE, arg);
    } else if (kind === EV_SYNC) {
      this.sync(this.components[arg], now);
      this.heap.push(now + this.components[arg].scaling!.scaler.period, EV_SYNC, arg);
    }
  }

  /** The autoscaler's period: ask the decision engine, log and apply a change. */
  private sync(c: Component, now: number): void {
    const sc = c.scaling!, from = sc.desired;
    const d = sc.scaler.decide(now);
    if (d.desired === from) return;
    this.scaling.push({ time: now, pool: c.cfg.name, from, to: d.desired, rule: d.rule, reasons: d.reasons, unclamped: d.unclamped, observed: d.observed });
    sc.resize(d.desired);
  }

  // ---- RunContext: what kinds ask of the run ----

  stream(name: string): Rng {
    return stream(this.sc.seed, name);
  }

  component(name: string): Component {
    const i = this.byName.get(name);
    if (i === undefined) throw new Error(`no component named ${name}`);
    return this.components[i];
  }

  route(s: number, comp: number): void {
    const req = this.req;
    req.comp[s] = comp;
    req.via[s] = -1;
    // On its way: off the worker that sent it on (a pool's answer routed to `next`, a cache's op
    // done), so a refusal at `comp` fails this slot itself rather than leaving it to that worker.
    req.state[s] = ReqState.Delayed;
    this.components[comp].admit(s);
  }

  call(s: number, comp: number, caller: number, handle: number): void {
    this.req.pushCaller(s, caller, handle);
    this.route(s, comp);
  }

  /** The innermost caller waiting on s hears how its call ended and takes s back. */
  private answer(s: number, cause: number): void {
    const req = this.req, d = req.callDepth[s] - 1, at = s * MAX_CALL_DEPTH + d;
    req.callDepth[s] = d;
    const caller = req.callers[at];
    req.comp[s] = caller;
    req.via[s] = -1;
    this.components[caller].onAnswer!(s, req.callHandles[at], cause);
  }

  ended(s: number, cause: number): boolean {
    const via = this.req.via[s];
    return via >= 0 && this.components[via].onReturn(s, cause);
  }

  complete(s: number): void {
    if (this.req.callDepth[s] > 0) { this.answer(s, OK); return; }
    const req = this.req, sys = this.system, born = req.born[s], now = this.now;
    sys.counters.completions++;
    this.leave(s);
    if (born >= this.warmup) sys.latency.record(now - born);
    if (this.perClass) {
      const c = sys.classes[req.cls[s]];
      c.counters.completions++;
      if (born >= this.warmup) c.latency.record(now - born);
    }
    if (this.think) this.heap.push(now + this.think(), EV_THINK, req.client[s]);
    req.release(s);
  }

  fail(s: number, cause: number): void {
    const req = this.req, sys = this.system, now = this.now;
    if (req.callDepth[s] > 0) {
      // A worker that still holds s finishes it for nothing; the caller carries on with a copy.
      let r = s;
      if (req.state[s] === ReqState.Service) { r = req.clone(s); req.state[s] = ReqState.Abandoned; }
      this.answer(r, cause);
      return;
    }
    sys.counters.error(cause);
    if (this.perClass) sys.classes[req.cls[s]].counters.error(cause);
    this.leave(s);
    if (this.think) this.heap.push(now + this.think(), EV_THINK, req.client[s]);
    if (req.state[s] === ReqState.Service) req.state[s] = ReqState.Abandoned;
    else req.release(s);
  }

  record(e: RunEvent): void {
    if (this.events.length < MAX_EVENTS) this.events.push(e);
    else this.eventsDropped++;
  }

  // ---- a request's life ----

  private newRequest(client: number): void {
    const req = this.req, s = req.alloc(), sys = this.system, now = this.now;
    req.born[s] = now;
    const cls = this.mix.pick();
    req.cls[s] = cls;
    req.client[s] = client;
    req.callDepth[s] = 0;
    sys.counters.arrivals++;
    if (this.perClass) sys.classes[cls].counters.arrivals++;
    sys.inFlight++;
    sys.bornInFlight += now;
    sys.inSystem.add(now, 1);
    this.route(s, this.entryOf[cls]);
  }

  private leave(s: number): void {
    const sys = this.system, born = this.req.born[s], now = this.now;
    sys.inFlight--;
    sys.bornInFlight -= born;
    sys.sojournDone += now - born;
    sys.inSystem.add(now, -1);
  }
}
