// The bottleneck of a run as summary.json holds it (src/model/bottleneck.ts judges it as the run goes).
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
