// Whether one run is better than another on a figure, judged on the run-to-run noise: only runs
// that carry replications (run --replications N) can say; a single seed against a single seed
// cannot tell a real difference from luck. The samples come back from summary.json's mean and
// 95% interval (noise.ts sampleFromInterval), so any replicated run directory can be compared.
import { compareFigures, type FigureComparison } from '../stats/compare-figures.ts';
import { sampleFromInterval, type Sample } from '../stats/noise.ts';
import type { RunSummary } from '../stats/results.ts';

export function replicatedSamples(s: RunSummary): Record<string, Sample> | null {
  const r = s.replications;
  if (!r || r.n < 2) return null;
  return Object.fromEntries(r.stats.map((x) => [x.metric, sampleFromInterval(r.n, x.mean, x.low, x.high)]));
}

/** current against base, figure by figure; null when either run has no replications. */
export function compareRuns(base: RunSummary, current: RunSummary): Map<string, FigureComparison> | null {
  const a = replicatedSamples(base), b = replicatedSamples(current);
  if (a === null || b === null) return null;
  return new Map(compareFigures(a, b).map((c) => [c.metric, c]));
}

export type CellVerdict = 'better' | 'worse' | 'within-noise' | 'cannot-tell';

/** Verdict of run i against the baseline (run 0) on a figure; 'cannot-tell' without replications on both. */
export function cellVerdict(comparisons: Array<Map<string, FigureComparison> | null>, i: number, metric: string | undefined): { verdict: CellVerdict; comparison?: FigureComparison } {
  const c = comparisons[i];
  const x = metric === undefined ? undefined : c?.get(metric);
  if (c === null || x === undefined) return { verdict: 'cannot-tell' };
  return { verdict: x.verdict, comparison: x };
}

/** The run that is best on a figure beyond the noise against every other run, if one is. */
export function bestBeyondNoise(runs: RunSummary[], metric: string | undefined, best: number): boolean {
  if (metric === undefined || runs.length < 2) return false;
  return runs.every((r, j) => j === best || compareRuns(r, runs[best])?.get(metric)?.verdict === 'better');
}
