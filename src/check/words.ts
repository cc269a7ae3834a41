// How a check's results read, shared by the terminal, Markdown, JUnit and annotation outputs.
import { fmtPct, fmtSloValue } from '../report/format.ts';
import type { FigureComparison } from '../stats/compare-figures.ts';
import type { SloOverRuns } from './replicated.ts';

export const op = (o: '<=' | '>='): string => (o === '<=' ? '≤' : '≥');

/** `latency.p99 = 420 ms, bound ≤ 300 ms` (one run) or `latency.p99 mean 420 ms (95% CI 400 ms – 440 ms, 5 replications), bound ≤ 300 ms`. */
export function sloValueText(s: SloOverRuns, currency: string): string {
  const f = (v: number) => fmtSloValue(s.metric, v, currency);
  const j = s.judgement;
  const bound = `bound ${op(s.op)} ${f(s.threshold)}`;
  if (j.n === 1) return `${s.metric} = ${f(j.mean)}, ${bound}`;
  return `${s.metric} mean ${f(j.mean)} (95% CI ${f(j.low)} – ${f(j.high)}, ${j.n} replications, met in ${s.passed}), ${bound}`;
}

export function verdictWord(s: SloOverRuns): 'PASS' | 'FAIL' | 'INCONCLUSIVE' {
  return s.judgement.verdict === 'pass' ? 'PASS' : s.judgement.verdict === 'fail' ? 'FAIL' : 'INCONCLUSIVE';
}

/** What would decide an inconclusive SLO. */
export function neededText(s: SloOverRuns): string {
  const j = s.judgement;
  if (j.verdict !== 'inconclusive') return '';
  return j.needed === null || j.needed === undefined
    ? 'the mean is on the bound: no number of replications decides it'
    : `about ${j.needed} replications would decide it (--replications ${j.needed})`;
}

export function changeText(c: FigureComparison, currency: string): string {
  const f = (v: number) => fmtSloValue(c.metric.startsWith('peakInstances') ? 'instances' : c.metric, v, currency);
  const rel = c.relative === null ? '' : ` (${c.relative >= 0 ? '+' : '−'}${fmtPct(Math.abs(c.relative), 1)})`;
  return `${f(c.base.mean)} → ${f(c.current.mean)}${rel}`;
}

export function figureVerdictText(c: FigureComparison): string {
  const p = c.p < 1e-4 ? 'p < 0.0001' : `p = ${c.p.toPrecision(2)}`;
  return c.verdict === 'within-noise' ? `within noise (${p})` : `${c.verdict} (${p})`;
}
