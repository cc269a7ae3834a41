// Replications run on the pool and gathered: the `Replications` block of summary.json (the same
// figures and intervals src/model/replicate.ts gives, which test/check/replicated.test.ts checks)
// plus each SLO judged on the confidence interval of its mean (stats/noise.ts).
import type { RunResult } from '../model/index.ts';
import { ci95 } from '../stats/confidence.ts';
import { judgeOnNoise, type SloJudgement } from '../stats/noise.ts';
import type { Replications, ReplicationStat, SloResult } from '../stats/results.ts';
import type { RunOutcome } from '../sweep/task.ts';

export type Outcome = Extract<RunOutcome, { ok: true }>;

/** One SLO over every replication. */
export interface SloOverRuns {
  name: string;
  metric: string;
  op: '<=' | '>=';
  threshold: number;
  values: number[];
  passed: number;
  judgement: SloJudgement;
}

export function sloOverRuns(outcomes: readonly Outcome[]): SloOverRuns[] {
  const first = outcomes[0].slo;
  return first.map((s: SloResult, k) => {
    const values = outcomes.map((o) => o.slo[k].value);
    return {
      name: s.name, metric: s.metric, op: s.op, threshold: s.threshold, values,
      passed: outcomes.filter((o) => o.slo[k].pass).length,
      judgement: judgeOnNoise(values, s.op, s.threshold),
    };
  });
}

/** Each key figure's values across the replications, in keyFigures order. */
export function figureValues(outcomes: readonly Outcome[]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const m of Object.keys(outcomes[0].figures)) out[m] = outcomes.map((o) => o.figures[m]);
  return out;
}

export function replicationsBlock(outcomes: readonly Outcome[], seeds: number[]): Replications {
  const stats: ReplicationStat[] = Object.entries(figureValues(outcomes)).map(([metric, values]) => {
    const ci = ci95(values);
    return { metric, mean: ci.mean, low: ci.low, high: ci.high, min: Math.min(...values), max: Math.max(...values) };
  });
  const slo = sloOverRuns(outcomes).map((s) => ({ name: s.name, passed: s.passed, of: outcomes.length, judgement: s.judgement }));
  return { n: outcomes.length, seeds, stats, slo };
}

/** The first replication's full results with the replications block attached (what `run --replications` writes). */
export function withReplications(first: RunResult, outcomes: readonly Outcome[], seeds: number[]): RunResult {
  return { summary: { ...first.summary, replications: replicationsBlock(outcomes, seeds) }, rows: first.rows };
}

/** Outcomes that are all ok, or the first bad-input message. */
export function okOutcomes(outcomes: readonly RunOutcome[]): Outcome[] {
  const bad = outcomes.find((o) => !o.ok);
  if (bad && !bad.ok) throw new BadRunInput(bad.message);
  return outcomes as Outcome[];
}

/** A combination of overrides that validation refused inside a worker: bad input (exit 2). */
export class BadRunInput extends Error {
  override name = 'BadRunInput';
}
