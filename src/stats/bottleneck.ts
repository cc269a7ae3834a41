// The bottleneck of a run as summary.json and timeseries.csv hold it (src/model/bottleneck.ts judges
// it as the run goes), and what nginx's chain of causes counts of the failures at its pool.
import type { ErrorCounts } from './results.ts';
/**
 * The bottleneck, judged per sample interval from the components' own rows and those of resources
 * inside them (a calling pool's connection pools, `app/db-pool`): the one with the highest
 * utilisation of its own work — utilisation × (1 − waiting_share): a caller's workers that only
 * wait on calls count for the callee — (ties: the longer queue) and the one with the longest queue
 * (time-weighted mean waiting; ties: the higher utilisation). An interval in which nothing was busy
 * (or nothing waited) names none. A pool's versions (`web@v2`) are parts of it, not candidates.
 */
export interface BottleneckSummary {
  intervals: number; // sample intervals judged
  /** The component named busiest in the most intervals, and the one with the longest queue in the most; null: none ever. */
  busiest: string | null;
  longestQueue: string | null;
  /** Per component that was named at least once, or had a utilisation or a queue. */
  components: Record<string, BottleneckFigures>;
}

export interface BottleneckFigures {
  busiest: number; // intervals in which it had the highest utilisation
  /** Its mean utilisation of its own work over those intervals (0..1), null when never the busiest. */
  busiestUtilisation: number | null;
  longestQueue: number; // intervals in which it had the longest queue
  /** Its highest interval utilisation of its own work and the end of that interval (null: no capacity of its own). */
  peakUtilisation: number | null;
  peakUtilisationAt: number | null;
  /** Its longest interval queue (time-weighted mean over the interval) and when (null: never waited). */
  peakQueue: number;
  peakQueueAt: number | null;
}

/** The series columns the bottleneck reads beside every row's utilisation and queue_mean, and writes on the _all rows. */
export interface BottleneckColumns {
  /** Pools that call: the share of their busy worker time only waiting on calls, 0..1; a connection pool's row: 1 (null elsewhere and in older files). */
  waiting_share?: number | null;
  /** The whole system's row (_all): the busiest component of the interval and the one with the longest queue (null: none). */
  bottleneck_util?: string | null;
  bottleneck_queue?: string | null;
}

/** Optional columns holding a component's name (the _all row's bottleneck), after the numeric ones; an empty cell is null. */
export const SERIES_NAME_COLUMNS = ['bottleneck_util', 'bottleneck_queue'] as const;

/** RunSummary's bottleneck. */
export interface WithBottleneck {
  /** Which component was the busiest and which had the longest queue, interval by interval (absent in older and measured runs). */
  bottleneck?: BottleneckSummary;
}

/** UpstreamCauses' failures at the pool, every cause. */
export interface AttemptCauses {
  /**
   * Every failed attempt at the pool by its cause, the counted ones only: besides refusals, timeouts
   * and drains, killed in flight, refused with the process down, and answered with a 5xx — by a
   * fault or a faulty release (serverError) or because the pool's own calls failed
   * (connectionTimeout, callTimeout, downstream), which the pool's `calls` explain further. Absent
   * in older summaries.
   */
  failed?: Partial<ErrorCounts>;
}
