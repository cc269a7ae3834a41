// In-flight requests as a slab of parallel typed arrays: a request is a slot index, reused once
// the request is done, so memory follows the number in flight, never the number served.
import { MAX_EVENT_ARG } from '../sim/event-heap.ts';
import { grown } from '../sim/grown.ts';

export const enum ReqState {
  Free = 0,
  Delayed = 1, // off any worker: held by a balancer (limit_req's delay, its overhead), at a queue's enqueue or a CDN edge, on its way between components
  Queued = 2, // in an instance's backlog
  Service = 3, // on a worker
  Abandoned = 4, // on a worker, but the request already failed (timed out / instance killed): the worker finishes for nothing
  Calling = 5, // on a worker that waits on its calls (./calls.ts)
}

export const MAX_TRIED = 32; // peers remembered per request for proxy_next_upstream
/** Callers a request can wait on at once (RunContext.call: a cache waiting on its backend, …). */
export const MAX_CALL_DEPTH = 8;

export class RequestTable {
  capacity: number;
  state: Uint8Array;
  gen: Int32Array; // bumped whenever a slot leaves a backlog early, so stale backlog entries are skipped
  born: Float64Array; // arrival in the system
  cls: Int32Array;
  client: Int32Array;
  comp: Int32Array; // component it is at
  inst: Int32Array; // instance serving or holding it (while at one)
  /** Component that sent it where it is and waits on the outcome (a balancer), -1 none: it hears how the visit ended. */
  via: Int32Array;
  handle: Int32Array; // that component's own int for the visit (a balancer's peer)
  entered: Float64Array; // when it reached the instance
  deadline: Float64Array; // pending timeout time, -1 none
  firstTry: Float64Array; // when the component forwarding it took it (proxy_next_upstream_timeout counts from there)
  triedCount: Int32Array; // targets that component tried so far
  tried: Int32Array; // MAX_TRIED per slot: which ones
  /** Callers waiting on the request's answer (RunContext.call), a stack of MAX_CALL_DEPTH per slot; set to 0 where a request is born. */
  callDepth: Uint8Array;
  callers: Int32Array; // the waiting component
  callHandles: Int32Array; // its own int for the call
  private free: Int32Array;
  private freeTop = 0;
  live = 0;

  constructor(capacity = 1024) {
    this.capacity = 0;
    this.state = new Uint8Array(0);
    this.gen = new Int32Array(0);
    this.born = new Float64Array(0);
    this.cls = new Int32Array(0);
    this.client = new Int32Array(0);
    this.comp = new Int32Array(0);
    this.inst = new Int32Array(0);
    this.via = new Int32Array(0);
    this.handle = new Int32Array(0);
    this.entered = new Float64Array(0);
    this.deadline = new Float64Array(0);
    this.firstTry = new Float64Array(0);
    this.triedCount = new Int32Array(0);
    this.tried = new Int32Array(0);
    this.callDepth = new Uint8Array(0);
    this.callers = new Int32Array(0);
    this.callHandles = new Int32Array(0);
    this.free = new Int32Array(0);
    this.grow(capacity);
  }

  /** A free slot. Its fields hold whatever its last request left: each is set where it starts to mean something. */
  alloc(): number {
    if (this.freeTop === 0) this.grow(this.capacity * 2);
    const s = this.free[--this.freeTop];
    this.live++;
    return s;
  }

  /** `caller` waits on s's answer, with its own int `handle`. */
  pushCaller(s: number, caller: number, handle: number): void {
    const d = this.callDepth[s];
    if (d >= MAX_CALL_DEPTH) throw new RangeError(`a request waited on by more than ${MAX_CALL_DEPTH} callers at once (a call cycle?)`);
    this.callers[s * MAX_CALL_DEPTH + d] = caller;
    this.callHandles[s * MAX_CALL_DEPTH + d] = handle;
    this.callDepth[s] = d + 1;
  }

  release(s: number): void {
    this.state[s] = ReqState.Free;
    this.gen[s]++;
    this.deadline[s] = -1;
    this.free[this.freeTop++] = s;
    this.live--;
  }

  /** A second slot carrying the same request (a retry while the first attempt's worker is still busy with it). */
  clone(s: number): number {
    const c = this.alloc();
    this.born[c] = this.born[s];
    this.cls[c] = this.cls[s];
    this.client[c] = this.client[s];
    this.comp[c] = this.comp[s];
    this.via[c] = this.via[s];
    this.handle[c] = this.handle[s];
    this.firstTry[c] = this.firstTry[s];
    const n = (this.triedCount[c] = this.triedCount[s]);
    this.tried.copyWithin(c * MAX_TRIED, s * MAX_TRIED, s * MAX_TRIED + n);
    const d = (this.callDepth[c] = this.callDepth[s]);
    this.callers.copyWithin(c * MAX_CALL_DEPTH, s * MAX_CALL_DEPTH, s * MAX_CALL_DEPTH + d);
    this.callHandles.copyWithin(c * MAX_CALL_DEPTH, s * MAX_CALL_DEPTH, s * MAX_CALL_DEPTH + d);
    return c;
  }

  private grow(cap: number): void {
    if (cap - 1 > MAX_EVENT_ARG) throw new RangeError(`more than ${MAX_EVENT_ARG} requests in flight`);
    const old = this.capacity;
    this.state = grown(this.state, cap);
    this.gen = grown(this.gen, cap);
    this.born = grown(this.born, cap);
    this.cls = grown(this.cls, cap);
    this.client = grown(this.client, cap);
    this.comp = grown(this.comp, cap);
    this.inst = grown(this.inst, cap);
    this.via = grown(this.via, cap);
    this.handle = grown(this.handle, cap);
    this.entered = grown(this.entered, cap);
    this.deadline = grown(this.deadline, cap, -1); // no deadline pending: release() keeps it so
    this.firstTry = grown(this.firstTry, cap);
    this.triedCount = grown(this.triedCount, cap);
    this.tried = grown(this.tried, cap * MAX_TRIED);
    this.callDepth = grown(this.callDepth, cap);
    this.callers = grown(this.callers, cap * MAX_CALL_DEPTH);
    this.callHandles = grown(this.callHandles, cap * MAX_CALL_DEPTH);
    const free = new Int32Array(cap);
    free.set(this.free.subarray(0, this.freeTop));
    // New slots go on the free stack highest first, so low indices are handed out first.
    for (let s = cap - 1; s >= old; s--) free[this.freeTop++] = s;
    this.free = free;
    this.capacity = cap;
  }
}
