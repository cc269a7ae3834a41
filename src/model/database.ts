// A database: a primary and optional read replicas. Each side is a pool of its own (`<db>/primary`,
// `<db>/replicas`: workers = queries a server runs at once, the backlog = queries waiting, the
// replicas scaled by a policy like any pool, a new replica serving only after its `syncTime`);
// this component holds what is the database's as a whole:
// - where a query goes: writes (a call's `query: write`, or a class listed in `writes`) to the
//   primary; reads to a ready replica (round robin per query), or to the primary when none is
//   ready or when the client wrote less than `readYourWrites` ago (Rails' DatabaseSelector: "read
//   from the primary if a write occurred less than 2 seconds ago", per session = client here);
// - replication lag: each write draws how long until replicas show it; a read of that client on a
//   replica before then is counted as a stale read (what read-your-writes is there to prevent);
// - sessions: Postgres's max_connections per server — callers' connection pools open sessions on
//   the primary and on the replicas (their reader endpoint: ready replicas × max_connections);
//   beyond that a session is refused ("FATAL: sorry, too many clients already").
// Queries reach it only through its callers' calls (./calls.ts), which hold the connections.
//
// - failover of the primary (a `failover:` fault, ./failover.ts): no primary sessions from the
//   loss until the promoted primary is ready.
//
// Left out: replaying the WAL on replicas (lag costs them no work), lag growing with write load,
// locks and transactions, a replica's own lag per server.
import type { DatabaseConfig } from '../scenario/types.ts';
import type { DatabaseSummary, SeriesRow } from '../stats/results.ts';
import { sampler } from '../sim/distribution.ts';
import { Counters, OK, errorCounts } from './counters.ts';
import { PRIMARY, type SessionHost } from './connections.ts';
import { Failovers, type FailoverHost } from './failover.ts';
import type { Component, InstanceListener, RunContext } from './component.ts';
import type { PoolRuntime } from './pool.ts';
import { intervalRow } from './series.ts';
import { grown } from '../sim/grown.ts';

/** Where a query goes (route's answer): a read on the primary, a write, a read on a replica. */
export const READ_PRIMARY = 0;
export const WRITE = 1;
export const READ_REPLICA = 2;

export class DatabaseRuntime implements Component, SessionHost, InstanceListener, FailoverHost {
  readonly counters = new Counters();
  readonly scaling = null;
  readonly readsClient: boolean;
  primary!: PoolRuntime;
  replicas: PoolRuntime | null = null;
  private readonly writeClass: Uint8Array; // per request class
  private readonly lag: () => number;
  private readonly rywUntil: Float64Array; // per client: its reads go to the primary until then
  private readonly visibleAt: Float64Array; // per client: when its last write reaches the replicas
  private isWrite = new Uint8Array(0); // per request slot: the query at the primary is a write
  private readonly sessions = [0, 0];
  private readonly peak = [0, 0];
  private readonly refused = [0, 0];
  private readonly freed: Array<() => void> = [];
  private readonly resets: Array<(side: number) => void> = [];
  readonly failovers: Failovers;
  private readonly q = { reads: 0, writes: 0, readsOnPrimary: 0, readYourWrites: 0, staleReads: 0 };

  constructor(readonly cfg: DatabaseConfig, readonly index: number, private readonly run: RunContext) {
    this.writeClass = Uint8Array.from(run.classNames, (n) => (cfg.writes.includes(n) ? 1 : 0));
    this.lag = sampler(cfg.replicationLag, run.stream(`lag:${cfg.name}`));
    this.readsClient = cfg.replicas !== null || cfg.readYourWrites > 0;
    const clients = run.clientAddress.length;
    this.rywUntil = new Float64Array(clients).fill(-Infinity);
    this.visibleAt = new Float64Array(clients).fill(-Infinity);
    this.failovers = new Failovers(this, run);
  }

  get name(): string {
    return this.cfg.name;
  }

  link(): void {
    this.primary = this.run.component(this.cfg.primary) as PoolRuntime;
    const read = sampler(this.primary.cfg.serviceTime, this.run.stream(`service:${this.cfg.primary}`));
    const write = sampler(this.cfg.writeTime, this.run.stream(`write:${this.cfg.name}`));
    this.primary.serveWith((s) => (this.isWrite[s] === 1 ? write() : read()));
    if (this.cfg.replicas !== null) {
      this.replicas = this.run.component(this.cfg.replicas) as PoolRuntime;
      this.replicas.listen(this);
    }
  }

  start(): void {
    this.failovers.start();
  }

  /** Where a query of request s goes; `query` is the call's kind, null to follow the `writes` classes. */
  route(s: number, query: 'read' | 'write' | null): number {
    const req = this.run.req, now = this.run.now, client = req.client[s];
    if (query === 'write' || (query === null && this.writeClass[req.cls[s]] === 1)) {
      this.q.writes++;
      if (this.cfg.readYourWrites > 0) this.rywUntil[client] = now + this.cfg.readYourWrites;
      if (this.replicas !== null) this.visibleAt[client] = now + this.lag();
      return WRITE;
    }
    this.q.reads++;
    if (now < this.rywUntil[client]) {
      this.q.readYourWrites++;
      this.q.readsOnPrimary++;
      return READ_PRIMARY;
    }
    if (this.replicas === null || this.replicas.readyCount() === 0) {
      this.q.readsOnPrimary++;
      return READ_PRIMARY;
    }
    if (now < this.visibleAt[client]) this.q.staleReads++;
    return READ_REPLICA;
  }

  /** The query `ch` is sent: the server side it goes to (a write is served at the primary's write time). */
  query(ch: number, write: boolean, replica: boolean): Component {
    if (this.run.req.capacity > this.isWrite.length) {
      this.isWrite = grown(this.isWrite, this.run.req.capacity);
    }
    this.isWrite[ch] = write ? 1 : 0;
    this.counters.arrivals++;
    return replica ? this.replicas! : this.primary;
  }

  /** A query came back to its caller: answered (OK) or failed. */
  queryEnded(cause: number): void {
    if (cause === OK) this.counters.completions++;
    else this.counters.error(cause);
  }

  admit(): void {
    throw new Error(`${this.cfg.name}: a database is reached through calls (its callers hold the connections)`);
  }

  onRequest(): void {}
  onTimer(code: number, x: number): void {
    this.failovers.onTimer(code, x);
  }
  onReturn(): boolean {
    return false;
  }

  // ---- sessions (max_connections) ----

  private limit(side: number): number {
    if (side === PRIMARY) return this.failovers.down ? 0 : this.cfg.maxConnections.primary;
    return (this.replicas?.readyCount() ?? 0) * this.cfg.maxConnections.replica;
  }

  openSessions(side: number, want: number, first: boolean): number {
    const got = Math.max(0, Math.min(want, this.limit(side) - this.sessions[side]));
    this.sessions[side] += got;
    if (first) this.refused[side] += want - got; // a short pool asking again is not counted again
    if (this.sessions[side] > this.peak[side]) this.peak[side] = this.sessions[side];
    return got;
  }

  closeSessions(side: number, n: number): void {
    this.sessions[side] -= n;
    this.wake();
  }

  onSessionsFreed(refill: () => void): void {
    this.freed.push(refill);
  }

  onSessionsReset(reset: (side: number) => void): void {
    this.resets.push(reset);
  }

  resetSessions(side: number): void {
    for (const r of this.resets) r(side);
  }

  wake(): void {
    for (const f of this.freed) f();
  }

  /** A replica became ready: the reader endpoint takes more sessions. */
  addInstance(): void {
    this.wake();
  }

  removeInstance(): void {}

  // ---- reports ----

  sample(now: number, dt: number): SeriesRow {
    return intervalRow(now, this.cfg.name, dt, this.counters, null, 0, 0);
  }

  billing(): null {
    return null; // its primary and replicas bill as pools
  }

  summary(): DatabaseSummary {
    const side = (i: number, max: number) => ({ peak: this.peak[i], maxConnections: max, refused: this.refused[i] });
    return {
      kind: 'database',
      arrivals: this.counters.arrivals,
      completions: this.counters.completions,
      errors: errorCounts(this.counters),
      primary: this.cfg.primary,
      replicas: this.cfg.replicas,
      queries: { ...this.q },
      sessions: {
        primary: side(0, this.cfg.maxConnections.primary),
        replicas: this.cfg.replicas === null ? null : side(1, this.cfg.maxConnections.replica),
      },
      ...(this.failovers.any ? { failovers: this.failovers.records.map((r) => ({ ...r })) } : {}),
    };
  }
}
