// From evaluated points to a SweepResult: order, the cheapest passing point, the frontier. One
// function for a whole run, a shard and a merge, so a merge of shards is the unsharded result.
import { SWEEP_FORMAT, type SweepPointResult, type SweepResult } from '../stats/sweep-results.ts';
import { ci95 } from '../stats/confidence.ts';
import type { Verdict } from '../stats/noise.ts';
import { figureValues, sloOverRuns, type Outcome } from '../check/replicated.ts';
import type { Point } from './points.ts';

export type SweepMeta = Omit<SweepResult, 'points' | 'cheapest' | 'frontier'>;

/** One point's replications → its row. */
export function pointResult(p: Point, names: readonly string[], outcomes: readonly Outcome[]): SweepPointResult {
  const slo = sloOverRuns(outcomes).map((s) => ({
    name: s.name, verdict: s.judgement.verdict, mean: s.judgement.mean, low: s.judgement.low, high: s.judgement.high,
    ...(s.judgement.needed !== undefined ? { needed: s.judgement.needed } : {}),
  }));
  const figures: SweepPointResult['figures'] = {};
  for (const [m, values] of Object.entries(figureValues(outcomes))) {
    if (values.length === 1) figures[m] = { mean: values[0], low: values[0], high: values[0] };
    else {
      const ci = ci95(values);
      figures[m] = { mean: ci.mean, low: ci.low, high: ci.high };
    }
  }
  const verdict: Verdict = slo.some((s) => s.verdict === 'fail') ? 'fail' : slo.some((s) => s.verdict === 'inconclusive') ? 'inconclusive' : 'pass';
  return { index: p.index, params: Object.fromEntries(names.map((n, k) => [n, p.levels[k].label])), n: outcomes.length, verdict, slo, figures };
}

export function finalize(meta: SweepMeta, points: readonly SweepPointResult[]): SweepResult {
  const sorted = [...points].sort((a, b) => a.index - b.index);
  const cost = (p: SweepPointResult) => p.figures.cost.mean;
  const p99 = (p: SweepPointResult) => p.figures['latency.p99'].mean;
  let cheapest: SweepPointResult | null = null;
  for (const p of sorted) if (p.verdict === 'pass' && (cheapest === null || cost(p) < cost(cheapest))) cheapest = p;
  const byCost = [...sorted].sort((a, b) => cost(a) - cost(b) || p99(a) - p99(b) || a.index - b.index);
  const frontier: number[] = [];
  let best = Infinity;
  for (const p of byCost) if (p99(p) < best) { frontier.push(p.index); best = p99(p); }
  // Key order is fixed here (not by whoever built meta) so the bytes depend on the content only.
  return {
    format: SWEEP_FORMAT, headroom: meta.headroom, sweep: meta.sweep, scenario: meta.scenario, name: meta.name, currency: meta.currency,
    mode: meta.mode, replications: meta.replications, parameters: meta.parameters, bisected: meta.bisected, slo: meta.slo,
    fingerprint: meta.fingerprint, shard: meta.shard, items: meta.items, points: sorted, cheapest: cheapest?.index ?? null, frontier,
  };
}

export function resultText(r: SweepResult): string {
  return JSON.stringify(r, null, 2) + '\n';
}
