// The key figures of a run that replications summarise, baselines store and comparisons judge
// (which way is better for each, and the comparison itself: stats/compare-figures.ts).
import type { RunSummary } from '../stats/results.ts';
import { metricValue } from '../stats/slo.ts';

/** The same figures, in the same order, as src/model/replicate.ts summarises (plus peakInstances.<pool>). */
export const KEY_FIGURES = ['latency.p50', 'latency.p95', 'latency.p99', 'latency.mean', 'errorRate', 'throughput', 'cost'] as const;

/** A run's key figures by name, in a stable order. */
export function keyFigures(s: RunSummary): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of KEY_FIGURES) out[m] = metricValue(m, s);
  for (const [pool, n] of Object.entries(s.peakInstances)) out[`peakInstances.${pool}`] = n;
  return out;
}

