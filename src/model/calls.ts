// A pool's calls: once its own work is done, a request calls other components — steps in order,
// the calls of a step in parallel (fork-join: the step ends when its slowest call does) — and
// holds its worker until the last one ends. A call is a child request (a slot in the RequestTable)
// sent with RunContext.call: this pool waits on the answer of the whole path from the callee on
// (a pool and its `next` stages, a balancer and its upstream, a cache and, on a miss, its backend,
// a queue's enqueue), the attempt being the call's handle; the answer comes back through
// onAnswer. It is the one way a component waits on another's answer (a cache waits on its
// backend the same way). Per attempt: a timeout at the caller, then retries with exponential
// backoff and jitter (./backoff.ts) up to `retries.max`; a call to a database first takes a
// connection from the instance's pool (./connections.ts) and holds it until the answer.
//
// Semantics, where a real client could differ:
// - A step waits for all its calls (Promise.allSettled, not fail-fast); then a failed required
//   call fails the request: `callTimeout` (504) when its last attempt timed out at the caller,
//   `connectionTimeout` (503) when no connection came in time, `downstream` (502) when the
//   callee failed it. A failed optional call (`required: false`) is counted and ignored.
// - A request that timed out at this pool (or was cut by a drain) lets the attempts it has out
//   run to their end but starts no retry and no further step; then its worker is free.
// - An attempt the caller gave up on (its timeout) is not cancelled at the callee: the callee
//   finishes it, and a database connection stays in use until the database answers.
// - A retry is a new attempt: it takes a connection again and may go to another replica.
// - A call to a queue is answered once the message is stored (the enqueue time): the caller does
//   not wait for the consumer.
import type { CallConfig, PoolConfig } from '../scenario/types.ts';
import type { CallsSummary } from '../stats/results.ts';
import type { Rng } from '../sim/rng.ts';
import { ReqState } from './requests.ts';
import { CAUSE_CALL_TIMEOUT, CAUSE_CONNECTION_TIMEOUT, CAUSE_DOWNSTREAM, OK } from './counters.ts';
import { TIMER, TIMER_CODES, timerArg, type RunContext } from './component.ts';
import { CONTROL } from './lifecycle.ts';
import { AttemptState as A, Attempts } from './call-attempts.ts';
import { backoffDelay } from './backoff.ts';
import { ConnectionPools, PRIMARY, REPLICAS } from './connections.ts';
import { CallStats } from './call-stats.ts';
import type { DatabaseRuntime } from './database.ts';
import { Life } from './fleet.ts';
import type { PoolRuntime } from './pool.ts';
import { SlotRing } from './slot-ring.ts';
import { TimeWeighted } from '../stats/time-weighted.ts';
import { grown } from '../sim/grown.ts';

/** The pool's timer codes from here on are the caller's (the pool's own are DEADLINE..CONTROL, ./lifecycle.ts). */
export const CALLER_TIMERS = CONTROL + 1;
const CALL_DEADLINE = CALLER_TIMERS; // x = call: its earliest pending attempt deadline is due
const ACQUIRE_DEADLINE = CALLER_TIMERS + 1; // x = database ref: its earliest connection wait is due
const RETRY = CALLER_TIMERS + 2; // x = attempt: its backoff is over
if (RETRY >= TIMER_CODES) throw new Error('a pool has more timer codes than the event heap holds');

/** A call, resolved. */
interface Call {
  cfg: CallConfig;
  step: number;
  target: number; // the component called (its index); −1 for a database: the query picks the side
  db: DatabaseRuntime | null;
  ref: number; // the database's connection pool ref, −1 for a pool
  classes: Uint8Array | null; // per request class: makes the call
  deadlines: SlotRing; // (attempt, deadline) in deadline order: the timeout is the same for every attempt
  armed: boolean;
}

export class Caller {
  readonly stats: CallStats;
  private calls: Call[] = [];
  private stepStart: number[] = []; // calls of step k are stepStart[k] .. stepStart[k+1]−1
  private readonly width: number; // most calls in one step
  private readonly at = new Attempts();
  private conns!: ConnectionPools;
  private acquireRings: SlotRing[] = [];
  private acquireArmed: boolean[] = [];
  private readonly pick: Rng;
  private readonly jitter: Rng;
  // Per request slot (the parent, at this pool): its step, calls pending, first failure.
  private cap = 0;
  private step = new Int32Array(0);
  private pending = new Int32Array(0);
  private cause = new Int32Array(0);
  private branch = new Int32Array(0); // width per slot: the branch's current attempt, −1 when done
  private gone = new Uint8Array(0); // per slot: its worker went with a killed instance while its calls were out
  /** Workers waiting on their requests' calls (time-weighted): how much of the pool only waits. */
  readonly calling = new TimeWeighted(0);
  private readonly refill = () => this.onRefill();
  private readonly gained: number[] = [];

  constructor(private readonly pool: PoolRuntime, private readonly run: RunContext) {
    const cfg: PoolConfig = pool.cfg;
    this.width = Math.max(...cfg.calls.map((s) => s.length));
    this.pick = run.stream(`calls:${cfg.name}`);
    this.jitter = run.stream(`backoff:${cfg.name}`);
    this.stats = new CallStats(cfg.calls.flat().map((c) => c.to));
  }

  link(): void {
    const cfg = this.pool.cfg, classes = this.run.classNames, refs: Array<{ name: string; db: DatabaseRuntime }> = [];
    cfg.calls.forEach((calls, step) => {
      this.stepStart.push(this.calls.length);
      for (const c of calls) {
        const comp = this.run.component(c.to);
        const db = comp.cfg.kind === 'database' ? (comp as DatabaseRuntime) : null;
        let ref = -1;
        if (db) {
          ref = refs.findIndex((r) => r.db === db);
          if (ref < 0) ref = refs.push({ name: c.to, db }) - 1;
        }
        this.calls.push({
          cfg: c, step, target: db ? -1 : comp.index, db, ref, deadlines: new SlotRing(), armed: false,
          classes: c.classes && Uint8Array.from(classes, (n) => (c.classes!.includes(n) ? 1 : 0)),
        });
      }
    });
    this.stepStart.push(this.calls.length);
    this.conns = new ConnectionPools(
      refs.map((r) => ({ host: r.db, cfg: cfg.connections[r.name] })),
      (inst) => this.pool.life[inst] !== Life.Gone && this.pool.life[inst] !== Life.Down,
      this.run,
    );
    this.acquireRings = refs.map(() => new SlotRing());
    this.acquireArmed = refs.map(() => false);
    refs.forEach((r, ref) => {
      r.db.onSessionsFreed(this.refill);
      r.db.onSessionsReset((side) => this.conns.reset(ref, side));
    });
    this.stats.connections(refs.map((r) => ({ to: r.name, cfg: cfg.connections[r.name] })), this.conns.stats);
  }

  // ---- a request's calls ----

  /** s's own work is done: its calls start (true), or it makes none (false: the pool answers it). */
  begin(s: number): boolean {
    if (this.run.req.cls[s] === this.run.probeClass) return false; // a health check's handler calls nothing
    if (this.run.req.capacity > this.cap) this.grow(this.run.req.capacity);
    this.step[s] = -1;
    this.gone[s] = 0;
    this.calling.add(this.run.now, 1); // before the calls start: they may all end at once
    if (this.nextStep(s)) return true;
    this.calling.add(this.run.now, -1);
    return false;
  }

  /** s's instance was killed: if its calls are out, its worker is gone before them. */
  workerGone(s: number): void {
    if (s >= this.cap || this.pending[s] <= 0 || this.gone[s] === 1) return; // not waiting on calls here
    this.gone[s] = 1;
    this.calling.add(this.run.now, -1);
  }

  /** Starts the next step that makes at least one call; false when none is left. */
  private nextStep(s: number): boolean {
    const req = this.run.req, cls = req.cls[s], w = this.width, base = s * w;
    for (let k = this.step[s] + 1; k < this.stepStart.length - 1; k++) {
      let made = 0;
      for (let d = this.stepStart[k]; d < this.stepStart[k + 1]; d++) {
        const c = this.calls[d];
        const makes = (c.classes === null || c.classes[cls] === 1) && (c.cfg.p >= 1 || (c.cfg.p > 0 && this.pick() < c.cfg.p));
        this.branch[base + (d - this.stepStart[k])] = makes ? this.at.alloc(s, d - this.stepStart[k], d, 0) : -1;
        if (makes) made++;
      }
      if (made === 0) continue;
      this.step[s] = k;
      this.pending[s] = made;
      this.cause[s] = OK;
      req.state[s] = ReqState.Calling;
      // Read the attempts first: an attempt may end at once (a refusal) and its step with it.
      const n = this.stepStart[k + 1] - this.stepStart[k];
      for (let b = 0; b < n; b++) {
        const a = this.branch[base + b];
        if (a >= 0) this.stats.made[this.at.def[a]]++;
      }
      // Once the last one has started the step may be over (every call refused at once) and the
      // next one begun in these entries: nothing is read after it.
      for (let b = 0, left = made; left > 0; b++) {
        const a = this.branch[base + b];
        if (a >= 0) { left--; this.start(a); }
      }
      return true;
    }
    return false;
  }

  /** An attempt starts: a call goes out; a call to a database takes a connection first. */
  private start(a: number): void {
    const at = this.at, c = this.calls[at.def[a]];
    this.stats.attempt(at.def[a], at.tries[a] > 0);
    if (c.db === null) return this.send(a);
    const code = c.db.route(at.parent[a], c.cfg.query);
    at.write[a] = code === 1 ? 1 : 0;
    const cp = this.conns.index(this.run.req.inst[at.parent[a]], c.ref, code === 2 ? REPLICAS : PRIMARY);
    at.conn[a] = cp;
    at.since[a] = this.run.now;
    if (this.conns.take(cp)) return this.acquired(a);
    at.state[a] = A.Waiting;
    this.conns.stats[c.ref].waiting.add(this.run.now, 1);
    const due = (at.due[a] = this.run.now + this.conns.refs[c.ref].cfg.acquireTimeout);
    this.conns.waiters(cp).push(a, due);
    this.acquireRings[c.ref].push(a, due);
    if (!this.acquireArmed[c.ref]) {
      this.acquireArmed[c.ref] = true;
      this.run.heap.push(due, TIMER + ACQUIRE_DEADLINE, timerArg(this.pool.index, c.ref));
    }
  }

  private acquired(a: number): void {
    const since = this.at.since[a], st = this.conns.stats[this.calls[this.at.def[a]].ref];
    if (since >= this.run.warmup) {
      const w = this.run.now - since;
      st.waitSum += w;
      st.waitCount++;
      if (w > 0) st.waitedCount++;
    }
    this.send(a);
  }

  /** The attempt's child request goes to the callee; this pool waits on its answer (onAnswer). */
  private send(a: number): void {
    const at = this.at, run = this.run, req = run.req, p = at.parent[a], c = this.calls[at.def[a]];
    const ch = req.alloc();
    req.born[ch] = req.born[p];
    req.cls[ch] = req.cls[p];
    req.client[ch] = req.client[p];
    req.callDepth[ch] = 0; // a request of its own: only this pool waits on it
    at.child[a] = ch;
    at.state[a] = A.Out;
    if (c.cfg.timeout < Infinity) {
      const due = (at.due[a] = run.now + c.cfg.timeout);
      c.deadlines.push(a, due);
      if (!c.armed) {
        c.armed = true;
        run.heap.push(due, TIMER + CALL_DEADLINE, timerArg(this.pool.index, at.def[a]));
      }
    }
    const target = c.target >= 0 ? c.target : c.db!.query(ch, at.write[a] === 1, (at.conn[a] & 1) === REPLICAS).index;
    run.call(ch, target, this.pool.index, a);
  }

  /**
   * The path the child `ch` of attempt `a` took answered (OK) or failed with `cause`. The child
   * leaves: the run hands back a copy when a callee's worker still holds the failed one.
   */
  onAnswer(ch: number, a: number, cause: number): void {
    const at = this.at;
    this.run.req.release(ch);
    const c = this.calls[at.def[a]];
    c.db?.queryEnded(cause);
    if (at.conn[a] >= 0) this.putConnection(at.conn[a]);
    if (at.state[a] === A.Orphan) at.release(a);
    else if (cause === OK) this.branchEnd(a, OK);
    else {
      this.stats.downstream(at.def[a], cause);
      this.failed(a, CAUSE_DOWNSTREAM);
    }
  }

  /** Attempt a failed (`how`: the cause the caller would answer with): retry after a backoff, or the call fails. */
  private failed(a: number, how: number): void {
    const at = this.at, d = at.def[a], p = at.parent[a], policy = this.calls[d].cfg.retries;
    if (at.tries[a] < policy.max && this.run.req.state[p] !== ReqState.Abandoned) {
      const b = at.branch[a], r = this.at.alloc(p, b, d, at.tries[a] + 1);
      at.state[r] = A.Backoff;
      at.sleep[r] = backoffDelay(policy, at.tries[a], at.sleep[a], this.jitter);
      this.branch[p * this.width + b] = r;
      this.run.heap.push(this.run.now + at.sleep[r], TIMER + RETRY, timerArg(this.pool.index, r));
      if (at.state[a] !== A.Orphan) at.release(a);
      return;
    }
    this.stats.gaveUp(d, how);
    this.branchEnd(a, this.calls[d].cfg.required ? how : OK);
  }

  /** The branch of attempt a is over: a's record is freed unless its child is still out. */
  private branchEnd(a: number, cause: number): void {
    const at = this.at, p = at.parent[a];
    this.branch[p * this.width + at.branch[a]] = -1;
    if (at.state[a] !== A.Orphan) at.release(a);
    if (cause !== OK && this.cause[p] === OK) this.cause[p] = cause;
    if (--this.pending[p] > 0) return;
    // The step is over.
    const req = this.run.req;
    if (req.state[p] !== ReqState.Abandoned && this.cause[p] === OK && this.nextStep(p)) return;
    if (this.gone[p] === 0) this.calling.add(this.run.now, -1);
    this.pool.callsDone(p, this.cause[p]);
  }

  /** A connection came back to pool cp: the longest waiter on it takes it. */
  private putConnection(cp: number): void {
    if (this.conns.put(cp)) this.handOver(cp);
  }

  private handOver(cp: number): void {
    const ring = this.conns.waiters(cp), at = this.at;
    while (ring.size > 0 && this.conns.idle(cp)) {
      const a = ring.headSlot, due = ring.headTag;
      ring.drop();
      if (at.state[a] !== A.Waiting || at.due[a] !== due) continue; // timed out meanwhile
      this.conns.stats[this.conns.refOf(cp)].waiting.add(this.run.now, -1);
      this.conns.handOver(cp);
      this.acquired(a);
    }
  }

  private onRefill(): void {
    this.conns.refill(this.gained);
    for (const cp of this.gained) this.handOver(cp);
    this.gained.length = 0;
  }

  // ---- timers ----

  onTimer(code: number, x: number): void {
    if (code === RETRY) {
      const a = x;
      if (this.run.req.state[this.at.parent[a]] === ReqState.Abandoned) this.branchEnd(a, OK); // nobody waits for it any more
      else this.start(a);
    } else if (code === CALL_DEADLINE) this.callDeadline(this.calls[x], x);
    else if (code === ACQUIRE_DEADLINE) this.acquireDeadline(x);
  }

  /** Attempts of call c whose timeout has come are given up (the child stays out, orphaned). */
  private callDeadline(c: Call, d: number): void {
    const ring = c.deadlines, at = this.at, now = this.run.now;
    for (;;) {
      while (ring.size > 0 && (at.state[ring.headSlot] !== A.Out || at.due[ring.headSlot] !== ring.headTag)) ring.drop();
      if (ring.size === 0 || ring.headTag > now) break;
      const a = ring.headSlot;
      ring.drop();
      at.state[a] = A.Orphan;
      this.failed(a, CAUSE_CALL_TIMEOUT);
    }
    if (ring.size === 0) c.armed = false;
    else this.run.heap.push(ring.headTag, TIMER + CALL_DEADLINE, timerArg(this.pool.index, d));
  }

  /** Connection waits of database ref whose acquire timeout has come fail. */
  private acquireDeadline(ref: number): void {
    const ring = this.acquireRings[ref], at = this.at, now = this.run.now;
    for (;;) {
      while (ring.size > 0 && (at.state[ring.headSlot] !== A.Waiting || at.due[ring.headSlot] !== ring.headTag)) ring.drop();
      if (ring.size === 0 || ring.headTag > now) break;
      const a = ring.headSlot;
      ring.drop();
      at.state[a] = A.Free; // leaves the connection's queue (its entry there is now stale)
      at.conn[a] = -1;
      this.conns.stats[ref].acquireTimeouts++;
      this.conns.stats[ref].waiting.add(now, -1);
      this.failed(a, CAUSE_CONNECTION_TIMEOUT);
    }
    if (ring.size === 0) this.acquireArmed[ref] = false;
    else this.run.heap.push(ring.headTag, TIMER + ACQUIRE_DEADLINE, timerArg(this.pool.index, ref));
  }

  // ---- the pool's instances and timeouts ----

  /** The instance is gone: its connections close. */
  instanceGone(inst: number): void {
    this.conns?.close(inst);
  }

  /** s timed out at the pool: what it was waiting on is counted (the chain of causes names it). */
  noteTimeout(s: number): void {
    const req = this.run.req, st = req.state[s];
    if (st !== ReqState.Calling) return this.stats.timedOutAt(st === ReqState.Queued ? 'queued' : 'working', -1);
    let found = -1, kind: 'connection' | 'call' | 'backoff' = 'call';
    for (let b = 0; b < this.width; b++) {
      const a = this.branch[s * this.width + b];
      if (a < 0 || this.at.parent[a] !== s) continue;
      const st2 = this.at.state[a];
      if (st2 === A.Waiting) { found = a; kind = 'connection'; break; }
      if (found < 0) { found = a; kind = st2 === A.Backoff ? 'backoff' : 'call'; }
    }
    this.stats.timedOutAt(kind, found >= 0 ? this.at.def[found] : -1);
  }

  summary(end: number): CallsSummary {
    const busy = this.pool.busyTotal.integral(end);
    return { ...this.stats.summary(end), waitingShare: busy > 0 ? Math.min(1, this.calling.integral(end) / busy) : 0 };
  }

  private grow(min: number): void {
    let cap = Math.max(this.cap, 64);
    while (cap < min) cap *= 2;
    this.step = grown(this.step, cap);
    this.pending = grown(this.pending, cap);
    this.cause = grown(this.cause, cap);
    this.branch = grown(this.branch, cap * this.width);
    this.gone = grown(this.gone, cap);
    this.cap = cap;
  }
}
