// Two runs' key figures compared on their run-to-run noise: which way is better for each figure,
// Welch's t per figure (noise.ts) and Holm over the figures of one comparison.
import { holm, welch, type Difference, type Sample } from './noise.ts';

/** Every key figure is better lower but throughput. */
export function betterWhen(metric: string): 'lower' | 'higher' {
  return metric === 'throughput' ? 'higher' : 'lower';
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
