// What a simulated and a measured run share once their RunSummary is built: a figure by the name
// SLOs use, the SLO verdict on it, and the scenario as a report shows it. One copy for the model
// (src/model/summary.ts) and the bench (src/bench/summary.ts), which may not import each other.
import type { LatencySummary, RunSummary, SloResult } from './results.ts';

/** A figure of a run by the name SLOs use: latency.p99, errorRate, cost, throughput, … */
export function metricValue(metric: string, r: RunSummary): number {
  if (metric.startsWith('latency.')) {
    const v = r.latency[metric.slice('latency.'.length) as keyof LatencySummary];
    if (typeof v === 'number') return v;
  }
  switch (metric) {
    case 'errorRate': return r.totals.errorRate;
    case 'cost': return r.cost.total;
    case 'throughput': return r.totals.throughput;
  }
  throw new Error(`unknown SLO metric ${metric}`);
}

/** One SLO (the scenario's `slo:` entry, as loaded) judged on a run. */
export function judge(s: Omit<SloResult, 'value' | 'pass'>, r: RunSummary): SloResult {
  const value = metricValue(s.metric, r);
  const pass = s.op === '<=' ? value <= s.threshold : value >= s.threshold;
  return { name: s.name, metric: s.metric, op: s.op, threshold: s.threshold, value, pass };
}

/** The scenario as loaded, for summary.json: Infinity spelled "unlimited" (JSON has none), long traces shortened. */
export function scenarioForReport(scenario: unknown): unknown {
  return JSON.parse(JSON.stringify(scenario, (_k, v) => {
    if (v === Infinity) return 'unlimited';
    if (Array.isArray(v) && v.length > 200 && typeof v[0] === 'number') return [...v.slice(0, 200), `… ${v.length - 200} more`];
    return v;
  }));
}
