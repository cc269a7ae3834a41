// The data tier's summaries (cache, message queue, CDN): members of results.ts's ComponentSummary,
// kept in their own room so results.ts stays the run's outline.
import type { ErrorCounts, LatencySummary } from './results.ts';

export interface CacheSummary {
  kind: 'cache';
  arrivals: number;
  /** Lookups done (hits + misses). */
  lookups: number;
  hits: number;
  misses: number;
  hitRatio: number; // hits / lookups
  /** Misses the backend answered and that filled their key. */
  fills: number;
  restarts: number;
  errors: ErrorCounts;
  latency: LatencySummary; // time at the node per lookup (queue + operation)
  utilisation: number; // busy workers / workers, all shards
  meanQueue: number; // operations waiting, all shards, time-weighted
  shards: number;
  instanceHours: number;
  cost: number;
}

export interface QueueSummary {
  kind: 'queue';
  arrivals: number; // producers' requests
  enqueued: number;
  rejected: number; // found it full (queueFull)
  consumed: number; // messages the consumers finished
  redelivered: number; // messages put back unacknowledged: their consumer instance was drained, crashed or lost, or answered 5xx
  /** Messages still held at the end: waiting, and on consumer workers (unacknowledged). */
  atEnd: { waiting: number; onWorkers: number };
  /** Time from enqueue to a consumer worker taking it, messages taken after warmup. */
  wait: { mean: number; probWait: number; count: number };
  meanDepth: number; // messages waiting, time-weighted
  maxDepth: number;
  maxOldestAge: number; // s, the oldest message's age at its worst
  errors: ErrorCounts;
}

export interface CdnSummary {
  kind: 'cdn';
  arrivals: number;
  atEdge: number; // answered at the edge
  toOrigin: number;
  edgeFraction: number; // atEdge / arrivals
  errors: ErrorCounts;
  cost: number; // edge requests × price
}
