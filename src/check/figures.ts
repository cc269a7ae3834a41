// The key figures of a run that replications summarise, baselines store and comparisons judge,
// and which way is better for each.
import type { RunSummary } from '../stats/results.ts';
import { holm, welch, type Difference, type Sample } from '../stats/noise.ts';
import { metricValue } from '../model/summary.ts';

/** The same figures, in the same order, as src/model/replicate.ts summarises (plus peakInstances.<pool>). */
export const KEY_FIGURES = ['latency.p50', 'latency.p95', 'latency.p99', 'latency.mean', 'errorRate', 'throughput', 'cost'] as const;

/** Every figure is better lower but throughput. */
export function betterWhen(metric: string): 'lower' | 'higher' {
  return metric === 'throughput' ? 'higher' : 'lower';
}

/** A run's key figures by name, in a stable order. */
export function keyFigures(s: RunSummary): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of KEY_FIGURES) out[m] = metricValue(m, s);
  for (const [pool, n] of Object.entries(s.peakInstances)) out[`peakInstances.${pool}`] = n;
  return out;
}

export type FigureVerdict = 'better' | 'worse' | 'within-noise';

export interface FigureComparison extends Difference {
  metric: string;
  better: 'lower' | 'higher';
  base: Sample;
  current: Sample;
  /** Relative change of the mean, (current − base) / |base|; null when base is 0. */
  relative: number | null;
  verdict: FigureVerdict;
}

/** The family-wise false-alarm rate of one comparison of two runs (all its figures together). */
export const ALPHA = 0.05;

/**
 * Each figure present on both sides, current against base: Welch's t (noise.ts) per figure and
 * Holm over the figures, so that an unchanged scenario is called worse (or better) on any figure
 * in at most 5% of comparisons. `minChange` additionally ignores significant changes smaller than
 * that fraction of the base (a difference can be real and too small to matter).
 */
export function compareFigures(base: Record<string, Sample>, current: Record<string, Sample>, minChange = 0): FigureComparison[] {
  const metrics = Object.keys(base).filter((m) => m in current);
  const diffs = metrics.map((m) => welch(base[m], current[m]));
  const significant = holm(diffs.map((d) => d.p), ALPHA);
  return metrics.map((metric, i) => {
    const d = diffs[i], b = base[metric], c = current[metric];
    const relative = b.mean !== 0 ? d.diff / Math.abs(b.mean) : null;
    const big = minChange <= 0 || (relative === null ? d.diff !== 0 : Math.abs(relative) >= minChange);
    const better = betterWhen(metric);
    const improved = better === 'lower' ? d.diff < 0 : d.diff > 0;
    const verdict: FigureVerdict = significant[i] && big && d.diff !== 0 ? (improved ? 'better' : 'worse') : 'within-noise';
    return { metric, better, base: b, current: c, relative, verdict, ...d };
  });
}
