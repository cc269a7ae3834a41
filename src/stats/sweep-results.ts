// The results of a sweep (sweep.json): every point run, its SLO verdicts and key figures, the
// cheapest point meeting every SLO and the cost/p99 frontier. A shard's file has the same shape
// with `shard` set; merging the shards gives, byte for byte, the unsharded file.
import type { Verdict } from './noise.ts';

export const SWEEP_FORMAT = 'headroom-sweep/1';

export interface SweepPointResult {
  /** Position in the grid (or the random draw): the same whatever the shard or worker count. */
  index: number;
  /** Parameter name → the value this point gives it (a multiplier shows as "×1.5"). */
  params: Record<string, string | number>;
  /** Replications run. */
  n: number;
  /** Worst SLO verdict: fail over inconclusive over pass (pass when there are no SLOs). */
  verdict: Verdict;
  slo: Array<{ name: string; verdict: Verdict; mean: number; low: number; high: number; needed?: number | null }>;
  /** Key figure → its mean and 95% interval over the replications (low = high = mean with one). */
  figures: Record<string, { mean: number; low: number; high: number }>;
}

export interface SweepResult {
  format: typeof SWEEP_FORMAT;
  headroom: string;
  sweep: string; // the sweep file, as named on the command line
  scenario: string;
  name: string; // the scenario's name
  currency: string;
  mode: 'grid' | 'random' | 'search';
  replications: number;
  parameters: Array<{ name: string; path: string; kind: 'values' | 'range' | 'multiply'; monotone: boolean }>;
  /** Search: the parameter bisected on each line (null: every point was run). */
  bisected: string | null;
  /** SLOs as the scenario states them (name, metric, op, threshold). */
  slo: Array<{ name: string; metric: string; op: '<=' | '>='; threshold: number }>;
  /** Fingerprint of the sweep and its scenario: only shards of the same sweep merge. */
  fingerprint: string;
  /** Set in a shard's file; null in a whole (or merged) result. */
  shard: { index: number; count: number } | null;
  /** Items the sweep divides among shards: points (grid, random) or lines (search). */
  items: number;
  points: SweepPointResult[];
  /** Index of the cheapest point (mean cost) whose every SLO passed; null if none did. */
  cheapest: number | null;
  /** Indices of the points no other point beats on both mean cost and mean p99, by cost. */
  frontier: number[];
}
