// Independent replications of one scenario (seeds seed, seed+1, …): how much of a figure is the
// scenario and how much is the luck of one seed. Each key figure gets its mean and a 95%
// confidence interval across the replications; each SLO, how many replications met it.
import type { Scenario } from '../scenario/types.ts';
import type { RunSummary, Replications, ReplicationStat } from '../stats/results.ts';
import { ci95 } from '../stats/confidence.ts';
import { runScenario, type RunResult } from './index.ts';
import { metricValue } from '../stats/slo.ts';

const FIGURES = ['latency.p50', 'latency.p95', 'latency.p99', 'latency.mean', 'errorRate', 'throughput', 'cost'];

/** Runs n replications; the first one's full results are returned with the replication summary attached. */
export function replicate(scenario: Scenario, n: number, onProgress?: (fraction: number) => void): RunResult {
  if (!Number.isInteger(n) || n < 2) throw new Error(`--replications: expected an integer of at least 2, got ${n}`);
  const summaries: RunSummary[] = [];
  let first: RunResult | null = null;
  for (let i = 0; i < n; i++) {
    const r = runScenario({ ...scenario, seed: scenario.seed + i }, { onProgress: (f) => onProgress?.((i + f) / n) });
    summaries.push(r.summary);
    if (i === 0) first = r;
  }
  const pools = Object.keys(summaries[0].peakInstances);
  const figures: Array<[string, (s: RunSummary) => number]> = [
    ...FIGURES.map((m): [string, (s: RunSummary) => number] => [m, (s) => metricValue(m, s)]),
    ...pools.map((p): [string, (s: RunSummary) => number] => [`peakInstances.${p}`, (s) => s.peakInstances[p]]),
  ];
  const stats: ReplicationStat[] = figures.map(([metric, get]) => {
    const values = summaries.map(get);
    const ci = ci95(values);
    return { metric, mean: ci.mean, low: ci.low, high: ci.high, min: Math.min(...values), max: Math.max(...values) };
  });
  const slo = summaries[0].slo.map((s, k) => ({ name: s.name, passed: summaries.filter((x) => x.slo[k].pass).length, of: n }));
  const replications: Replications = { n, seeds: summaries.map((s) => s.scenario.seed), stats, slo };
  return { summary: { ...first!.summary, replications }, rows: first!.rows };
}
