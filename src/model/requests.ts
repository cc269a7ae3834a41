// In-flight requests as a slab of parallel typed arrays: a request is a slot index, reused once
// the request is done, so memory follows the number in flight, never the number served.
import { MAX_EVENT_ARG } from '../sim/event-heap.ts';

export const enum ReqState {
  Free = 0,
  Delayed = 1, // held by a balancer: limit_req's delay, its own overhead
  Queued = 2, // in an instance's backlog
  Service = 3, // on a worker
  Abandoned = 4, // on a worker, but the request already failed (timed out / instance killed): the worker finishes for nothing
}

export const MAX_TRIED = 32; // peers remembered per request for proxy_next_upstream

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
    return c;
  }

  private grow(cap: number): void {
    if (cap - 1 > MAX_EVENT_ARG) throw new RangeError(`more than ${MAX_EVENT_ARG} requests in flight`);
    const old = this.capacity;
    const f64 = (a: Float64Array) => { const b = new Float64Array(cap); b.set(a); return b; };
    const i32 = (a: Int32Array, k = 1) => { const b = new Int32Array(cap * k); b.set(a); return b; };
    const u8 = new Uint8Array(cap); u8.set(this.state); this.state = u8;
    this.gen = i32(this.gen);
    this.born = f64(this.born);
    this.cls = i32(this.cls);
    this.client = i32(this.client);
    this.comp = i32(this.comp);
    this.inst = i32(this.inst);
    this.via = i32(this.via);
    this.handle = i32(this.handle);
    this.entered = f64(this.entered);
    this.deadline = f64(this.deadline);
    this.deadline.fill(-1, old); // no deadline pending: release() keeps it so
    this.firstTry = f64(this.firstTry);
    this.triedCount = i32(this.triedCount);
    this.tried = i32(this.tried, MAX_TRIED);
    const free = new Int32Array(cap);
    free.set(this.free.subarray(0, this.freeTop));
    // New slots go on the free stack highest first, so low indices are handed out first.
    for (let s = cap - 1; s >= old; s--) free[this.freeTop++] = s;
    this.free = free;
    this.capacity = cap;
  }
}
