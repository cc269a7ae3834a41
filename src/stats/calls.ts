// What a pool's calls and a database report in summary.json (see ./results.ts, which includes them).
import type { ErrorCounts } from './results.ts';

/** A pool's calls, per component called, and what its own timeouts were waiting on. */
export interface CallsSummary {
  to: Record<string, CallSummary>;
  /** Of the time its workers were busy, the share they spent waiting on calls (0..1). */
  waitingShare: number;
  /** The pool's own timeouts (504s) by what the request was doing when its deadline passed. */
  timedOutWhile: {
    queued: number; // waiting for a worker
    working: number; // on its own work
    /** waiting for a connection to that database */
    connection: Record<string, number>;
    /** waiting on a call to that component */
    call: Record<string, number>;
    /** waiting out a retry's backoff for a call to that component */
    backoff: Record<string, number>;
  };
}

export interface CallSummary {
  made: number; // calls made (a request's call, however many attempts it took)
  attempts: number; // first attempts and retries
  retries: number;
  /** Calls that failed for good (their last attempt), by how: the cause the caller answers with. */
  failed: { callTimeout: number; connectionTimeout: number; downstream: number };
  /** Attempts the callee failed, by the callee's cause. */
  downstreamCauses: Partial<ErrorCounts>;
  /** A database's connection pool, summed over the caller's instances. */
  connections?: ConnectionPoolSummary;
}

export interface ConnectionPoolSummary {
  size: number; // per instance and endpoint
  acquireTimeout: number; // s
  /** Waiting for a connection (Erlang C's W_q and P(wait) at the pool), connections taken after warmup. */
  wait: { mean: number; probWait: number; count: number };
  acquireTimeouts: number;
  /** Sessions the database refused ("too many clients") when a pool opened. */
  refused: number;
  meanInUse: number; // time-weighted connections in use, all instances
  meanOpen: number; // time-weighted sessions open, all instances
}

/** A database: its queries and sessions (its primary and replicas are pools of their own). */
export interface DatabaseSummary {
  kind: 'database';
  arrivals: number; // queries
  completions: number;
  errors: ErrorCounts;
  primary: string;
  replicas: string | null;
  queries: {
    reads: number;
    writes: number;
    readsOnPrimary: number; // reads sent to the primary (no replica ready, or read-your-writes)
    readYourWrites: number; // … of which because the client wrote within readYourWrites
    staleReads: number; // reads on a replica before the client's last write reached it (replication lag)
  };
  /** Sessions (Postgres backends) per side: the most open at once, the limit, and refused attempts. */
  sessions: { primary: SessionSummary; replicas: SessionSummary | null };
  /** Its primary's failovers (a `failover:` fault): when, when it took writes again, the replica promoted (null: none was ready). */
  failovers?: Array<{ at: number; writesBackAt: number | null; promoted: string | null }>;
}

export interface SessionSummary {
  peak: number;
  maxConnections: number; // per server
  refused: number;
}
