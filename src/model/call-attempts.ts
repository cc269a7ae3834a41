// A caller's attempts as a slab of parallel typed arrays (as the RequestTable holds requests): an
// attempt is one try of one call of one request, from its start (or its backoff) until its child
// request comes back. The child carries the attempt's index as its `handle`, and a copy the callee
// makes of it (a timeout on a worker) carries it too, so the answer always finds its attempt.
import { MAX_TIMER_X } from './component.ts';
import { grown } from '../sim/grown.ts';

export const enum AttemptState {
  Free = 0,
  Backoff = 1, // waiting out its backoff before it starts (a retry)
  Waiting = 2, // waiting for a database connection
  Out = 3, // its child request is at the callee; the caller waits on it
  Orphan = 4, // the caller gave up on it (its timeout passed); its child is still out and holds its connection
}

export class Attempts {
  capacity = 0;
  state = new Uint8Array(0);
  parent = new Int32Array(0); // the calling request's slot
  branch = new Int32Array(0); // which call of the parent's current step
  def = new Int32Array(0); // the call (index into the caller's flattened calls)
  tries = new Int32Array(0); // 0 for the first attempt, n for the n-th retry
  child = new Int32Array(0); // the child request's slot while Out / Orphan
  conn = new Int32Array(0); // the connection pool it holds or waits on, −1 none
  write = new Uint8Array(0); // a database query: a write
  due = new Float64Array(0); // its pending deadline (connection wait or call timeout), for stale-entry checks
  since = new Float64Array(0); // when it began waiting for a connection
  sleep = new Float64Array(0); // its backoff (decorrelated jitter grows from the last one)
  private free = new Int32Array(0);
  private top = 0;
  live = 0;

  constructor(capacity = 256) {
    this.grow(capacity);
  }

  alloc(parent: number, branch: number, def: number, tries: number): number {
    if (this.top === 0) this.grow(this.capacity * 2);
    const a = this.free[--this.top];
    this.live++;
    this.parent[a] = parent;
    this.branch[a] = branch;
    this.def[a] = def;
    this.tries[a] = tries;
    this.child[a] = -1;
    this.conn[a] = -1;
    this.due[a] = -1;
    this.sleep[a] = 0;
    return a;
  }

  release(a: number): void {
    this.state[a] = AttemptState.Free;
    this.free[this.top++] = a;
    this.live--;
  }

  private grow(cap: number): void {
    // A retry's backoff is a timer whose int is the attempt: it must fit the timer's range.
    if (cap - 1 > MAX_TIMER_X) throw new RangeError(`more than ${MAX_TIMER_X + 1} calls in flight at one pool`);
    const old = this.capacity;
    this.state = grown(this.state, cap);
    this.parent = grown(this.parent, cap);
    this.branch = grown(this.branch, cap);
    this.def = grown(this.def, cap);
    this.tries = grown(this.tries, cap);
    this.child = grown(this.child, cap);
    this.conn = grown(this.conn, cap);
    this.write = grown(this.write, cap);
    this.due = grown(this.due, cap);
    this.since = grown(this.since, cap);
    this.sleep = grown(this.sleep, cap);
    const free = new Int32Array(cap);
    free.set(this.free.subarray(0, this.top));
    for (let a = cap - 1; a >= old; a--) free[this.top++] = a;
    this.free = free;
    this.capacity = cap;
  }
}
