// The component-kind interface. A kind (pool, load balancer; later cache, database, queue, CDN) is
// one class implementing `Component`, registered in ./kinds.ts; the run (./simulation.ts) owns
// the clock, the heap and a request's way between components, and knows no kind by name.
//
// JMT's JSIM builds every station from three sections: input (admission and queue), service,
// output (routing on). Here: `admit` is the input section; service is whatever the kind schedules
// for itself (request events, timers); the output section is the kind sending the request on with
// RunContext.route / complete / fail. A kind that sends a request to one instance and waits on the
// outcome of that visit (a balancer: nginx keeps the peer until the answer; a queue's consumer)
// marks itself in req.via and hears how the visit ended in `onReturn`; a kind that waits on the
// answer of a whole path (a pool's calls, a cache's miss) uses RunContext.call and `onAnswer`.
//
// Events stay (time, kind, int) in the kernel's typed-array heap, with no closure per event: the
// 16 heap kinds are split into the run's own, a range of request events (arg = request slot,
// delivered to the component the request is at, req.comp) and a range of timers (arg = component
// index in the low COMPONENT_BITS bits, the kind's own int above). A kind numbers its codes in
// each range from 0; codes only mean something to the kind they are delivered to.
import type { ComponentConfig, Scenario } from '../scenario/types.ts';
import type { ComponentSummary, RunEvent, SeriesRow } from '../stats/results.ts';
import { EVENT_KINDS, MAX_EVENT_ARG, type EventHeap } from '../sim/event-heap.ts';
import type { Rng } from '../sim/rng.ts';
import type { RequestTable } from './requests.ts';
import type { Counters } from './counters.ts';
import type { PoolScaler } from './scaler.ts';
import type { Cluster } from './cluster.ts';

// ---- heap event kinds ----
export const EV_SAMPLE = 0; // the series' sample interval ends; arg 0
export const EV_THINK = 1; // a closed-model user's think time ends; arg = client id
export const EV_SCRAPE = 2; // an autoscaler scrapes its fleet's metrics; arg = component
export const EV_SYNC = 3; // an autoscaler decides; arg = component
/** Request events: heap kind REQUEST + code, code < REQUEST_CODES; arg = request slot. */
export const REQUEST = 4;
export const REQUEST_CODES = 4;
/** Timers: heap kind TIMER + code, code < TIMER_CODES; arg = timerArg(component, x). */
export const TIMER = REQUEST + REQUEST_CODES;
export const TIMER_CODES = EVENT_KINDS - TIMER;
export const COMPONENT_BITS = 8;
export const COMPONENT_MASK = (1 << COMPONENT_BITS) - 1;
export const MAX_COMPONENTS = 1 << COMPONENT_BITS;
/** Largest `x` a timer carries (2^19 − 1: a pool's instance index, a call attempt). */
export const MAX_TIMER_X = (MAX_EVENT_ARG + 1) / MAX_COMPONENTS - 1;

/** A timer's heap arg: the component in the low bits, its own int above. */
export function timerArg(component: number, x: number): number {
  return (x << COMPONENT_BITS) | component;
}

/** A component at run time; its class is its kind. */
export interface Component {
  readonly cfg: ComponentConfig;
  /** Position among the scenario's components (file order): req.comp, req.via and timers carry it. */
  readonly index: number;
  /** Reads the client id (ip_hash, per-client limit_req)? Without one that does, open-model arrivals draw none. */
  readonly readsClient: boolean;
  /** What an autoscaler sizes, when one does; else null. */
  readonly scaling: Scalable | null;
  /** Its arrivals, completions and errors by cause (the series and summary read them; a balancer reads its upstream's). */
  readonly counters: Counters;

  /** Resolves the components it names (an upstream, a next stage). Every component exists by now; none has started. */
  link(): void;
  /** Before the clock runs: initial instances, first timers. */
  start(): void;
  /** Input section: request s reaches this component (req.comp[s] is this one, req.via[s] is −1). */
  admit(s: number): void;
  /** One of its request events for s came due (code: its own, < REQUEST_CODES). */
  onRequest(code: number, s: number): void;
  /** One of its timers came due (code: its own, < TIMER_CODES; x: its own int). */
  onTimer(code: number, x: number): void;
  /**
   * s, which this component sent to another one and waits on (req.via[s] is this one), ended its
   * visit there: answered (cause OK) or failed with `cause` (CAUSE_*). true: this component carries
   * s on from here (a retry, its own output section). false: the component where the visit ended
   * does (answered: its next stage; failed: the request fails with `cause`).
   */
  onReturn(s: number, cause: number): boolean;
  /**
   * Kinds that wait on another component's answer (RunContext.call: a pool's calls, a cache on its backend): the
   * path s took from there completed (cause OK) or failed with `cause`; s is back at this component
   * (req.comp) and it carries s on. `handle` is the int it gave the call.
   */
  onAnswer?(s: number, handle: number, cause: number): void;
  /** Its time-series row for the interval (now − dt, now]; starts the next interval. */
  sample(now: number, dt: number): SeriesRow;
  /**
   * Rows of resources inside it that can be the bottleneck themselves (a calling pool's connection
   * pools: `app/db-pool`), for the same interval, after its own; optional. Unlike subRows, the
   * bottleneck judges them beside the components.
   */
  partRows?(now: number, dt: number): SeriesRow[];
  /** Rows of its parts for the same interval, after its own (a pool's versions: `web@v2`); optional. */
  subRows?(now: number, dt: number): SeriesRow[];
  /** Its figures in the run's summary. */
  summary(end: number): ComponentSummary;
  /** Instances it runs and bills (for the run's cost and peak instances), or null when it has none. */
  billing(end: number): Billing | null;
}

export interface Billing {
  instanceHours: number;
  cost: number;
  peak: number; // most instances at once
}

/** The face an autoscaler sees: the run scrapes `scaler` every `scrapeInterval`, asks it every period, applies `resize`. */
export interface Scalable {
  readonly scaler: PoolScaler;
  readonly scrapeInterval: number;
  /** Instances wanted (the engine's last decision). */
  readonly desired: number;
  /** Launches or drains instances toward `desired`. */
  resize(desired: number): void;
}

/** A kind whose instances a balancer addresses one by one, as nginx's upstream servers: pools. */
export interface Addressable {
  /** Instance inst takes s, sent by component `via` as its `handle`; false: refused (`refusal` says why), s untouched. */
  offer(s: number, inst: number, via: number, handle: number): boolean;
  /** The cause of the last refused offer: CAUSE_BACKLOG_FULL, or CAUSE_REFUSED when the instance's process is down. */
  readonly refusal: number;
  /**
   * Instance inst's host is lost (a zone outage, a killed machine): a connection attempt gets no
   * answer at all — no SYN-ACK, no reset — so the caller's connect timeout decides, not a refusal.
   */
  unreachable(inst: number): boolean;
  /** The HTTP status of the last answer that failed with CAUSE_SERVER_ERROR (500, 502, 503, 504). */
  readonly status: number;
  /** `l` hears of instances becoming ready and leaving from now on. */
  listen(l: InstanceListener): void;
  readonly cfg: ComponentConfig;
}

export interface InstanceListener {
  /** Instance inst became ready: it takes requests. */
  addInstance(inst: number): void;
  /** Instance inst is draining or gone: no new requests. */
  removeInstance(inst: number): void;
}

export function isAddressable(c: Component): c is Component & Addressable {
  return typeof (c as Partial<Addressable>).offer === 'function' && typeof (c as Partial<Addressable>).listen === 'function';
}

/**
 * What a kind may ask of the run it is part of. The clock is `now`, read where needed (as SimPy's
 * env.now) rather than passed along: a float crossing a call V8 did not inline is boxed on the heap,
 * and the hot path would allocate on every such call.
 */
export interface RunContext {
  /** The simulated clock, s. */
  readonly now: number;
  /** The scenario being run (its timeline: faults and releases). */
  readonly scenario: Scenario;
  readonly heap: EventHeap;
  readonly req: RequestTable;
  /** Requests born before this are left out of latency statistics. */
  readonly warmup: number;
  /** Per request class: the factor on every service time; one more entry (0) for health checks. */
  readonly serviceScale: Float64Array;
  /** The request classes' names, by class index (req.cls). */
  readonly classNames: readonly string[];
  /** The class of health-check requests (their service takes no time; they never reach the run's totals). */
  readonly probeClass: number;
  /** Client id → IPv4 address (ip_hash); its length is the number of clients (limit_req keys). */
  readonly clientAddress: Uint32Array;
  /** A random stream of its own, from (seed, name): adding a component leaves other components' draws alone. */
  stream(name: string): Rng;
  /** The component called `name` (at link time). */
  component(name: string): Component;
  /** Sends s to component `comp`, nobody waiting on the visit (req.via = −1). */
  route(s: number, comp: number): void;
  /**
   * Sends s to component `comp` and waits for its answer: when the path from `comp` on completes or
   * fails, `caller`'s onAnswer(s, handle, cause) hears it instead of the client. Calls nest.
   */
  call(s: number, comp: number, caller: number, handle: number): void;
  /** s's visit where it is ended (cause OK or CAUSE_*): true when req.via's component took s on (onReturn). */
  ended(s: number, cause: number): boolean;
  /** s answered: it leaves the system, or goes back to the caller waiting on it (call). */
  complete(s: number): void;
  /** s failed with `cause`: it leaves the system (its slot stays while a worker still holds it), or the caller waiting on it hears. */
  fail(s: number, cause: number): void;
  /** Logs a fault, failure or release step (summary.json `events`). */
  record(e: RunEvent): void;
  /** The nodes pods run on, when the scenario has `nodes:` (./cluster.ts). */
  readonly nodes?: Cluster | null;
}
