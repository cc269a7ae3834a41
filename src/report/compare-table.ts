// A comparison in the terminal and as JSON: the same rows as the HTML page's table, each key
// figure of each run against the baseline with its verdict on the noise (compare-noise.ts).
import type { CompareRun } from './compare.ts';
import { metricRows } from './compare.ts';
import { cellVerdict, compareRuns, type CellVerdict } from './compare-noise.ts';

export interface CompareJson {
  baseline: string;
  runs: string[];
  rows: Array<{
    name: string;
    metric: string | null;
    better: 'lower' | 'higher' | 'none';
    values: Array<number | null>;
    /** Per run against the baseline (null for the baseline itself and rows that are not key figures). */
    verdicts: Array<{ verdict: CellVerdict; p?: number; diff?: number; low?: number; high?: number } | null>;
  }>;
  /** Key figures worse than the baseline beyond the noise: run label and figure. */
  regressions: Array<{ run: string; metric: string }>;
  /** Runs that cannot be judged against the baseline (no replications on one side). */
  cannotTell: string[];
}

export function compareJson(runs: CompareRun[]): CompareJson {
  const S = runs.map((r) => r.summary);
  const comps = S.map((s, i) => (i === 0 ? null : compareRuns(S[0], s)));
  const rows = metricRows(runs).map((m) => ({
    name: m.name,
    metric: m.metric ?? null,
    better: m.better,
    values: m.values,
    verdicts: runs.map((_, i) => {
      if (i === 0 || m.metric === undefined || m.better === 'none') return null;
      const { verdict, comparison: c } = cellVerdict(comps, i, m.metric);
      return c ? { verdict, p: c.p, diff: c.diff, low: c.low, high: c.high } : { verdict };
    }),
  }));
  const regressions = rows.flatMap((r) => r.verdicts.flatMap((v, i) => (v?.verdict === 'worse' ? [{ run: runs[i].label, metric: r.metric! }] : [])));
  const cannotTell = runs.filter((_, i) => i > 0 && comps[i] === null).map((r) => r.label);
  return { baseline: runs[0].label, runs: runs.map((r) => r.label), rows, regressions, cannotTell };
}

export function compareText(runs: CompareRun[]): string {
  const rows = metricRows(runs);
  const j = compareJson(runs);
  const head = ['metric', ...runs.map((r, i) => (i === 0 ? `${r.label} (baseline)` : r.label))];
  const body = rows.map((m, k) => [m.name, ...m.values.map((v, i) => {
    if (v === null || !Number.isFinite(v)) return '–';
    const verdict = j.rows[k].verdicts[i];
    const word = verdict === null ? '' : verdict.verdict === 'cannot-tell' ? ' (cannot tell)' : verdict.verdict === 'within-noise' ? ' (within noise)' : ` (${verdict.verdict})`;
    return m.format(v) + word;
  })]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  const out = [line(head), w.map((n) => '-'.repeat(n)).join('  '), ...body.map(line)];
  if (j.cannotTell.length > 0) out.push('', `cannot tell better from luck for ${j.cannotTell.join(', ')}: compare runs made with --replications N (both sides)`);
  for (const r of j.regressions) out.push(`REGRESSION  ${r.run}: ${r.metric} worse than ${j.baseline} beyond the run-to-run noise`);
  return out.join('\n');
}
