// Predicted vs measured: per load level, the error of a simulated run's throughput and latency
// percentiles against a measured run's, error = (predicted − measured) / measured.
//
// The levels come in with each run (the caller works them out from the run's curve: see
// src/bench/run-levels.ts); a predicted level meets a measured one when their rates agree to 1 %.
// Per level:
//   throughput  Σ completions / Σ interval length over the level's intervals: exact.
//   p50/p95/p99 exact when the level is the whole run after warmup (a run per load, as
//               bench:fidelity does): the run's own percentiles from its full histogram.
//               Otherwise (a step curve's steps) each interval's histogram is gone and only its
//               p50/p95/p99 remain in timeseries.csv, which do not merge exactly. The figure shown
//               is then the Vincentized (quantile-averaged) percentile: the mean of the intervals'
//               percentiles weighted by their completions, marked "≈"; the exact pooled percentile
//               is known to lie between the smallest and largest interval percentile (shown).
import type { RunSummary, SeriesRow } from '../stats/results.ts';
import { esc, fmtLatency, fmtNum } from './format.ts';

export interface LevelledRun {
  label: string;
  summary: RunSummary;
  levels: { rates: number[]; levelOf: number[]; rows: SeriesRow[]; fromCurve: boolean };
}

export interface Figure {
  value: number;
  exact: boolean;
  low: number; // bounds of the exact value (equal to value when exact)
  high: number;
}

export interface LevelFigures {
  rate: number;
  intervals: number;
  seconds: number;
  completions: number;
  throughput: Figure;
  p50: Figure | null;
  p95: Figure | null;
  p99: Figure | null;
}

export type Metric = 'throughput' | 'p50' | 'p95' | 'p99';
export const METRICS: Metric[] = ['throughput', 'p50', 'p95', 'p99'];

export interface FidelityRow {
  rate: number;
  predicted: { label: string; level: LevelFigures };
  measured: { label: string; level: LevelFigures };
  /** (predicted − measured) / measured, null when either is missing or measured is 0. */
  error: Record<Metric, number | null>;
}

const exact = (v: number): Figure => ({ value: v, exact: true, low: v, high: v });

/** The figures of each level of one run. */
export function levelFigures(run: LevelledRun): LevelFigures[] {
  const { rates, levelOf, rows } = run.levels;
  const afterWarmup = levelOf.filter((k) => k >= 0).length;
  return rates.map((rate, k) => {
    let seconds = 0, done = 0, n = 0;
    const pct: Record<'p50' | 'p95' | 'p99', Array<[number, number]>> = { p50: [], p95: [], p99: [] };
    rows.forEach((r, i) => {
      if (levelOf[i] !== k) return;
      const dt = r.time - (i === 0 ? 0 : rows[i - 1]!.time);
      const c = r.throughput * dt;
      seconds += dt;
      done += c;
      n++;
      if (c > 0) {
        if (r.latency_p50 !== null) pct.p50.push([r.latency_p50, c]);
        if (r.latency_p95 !== null) pct.p95.push([r.latency_p95, c]);
        if (r.latency_p99 !== null) pct.p99.push([r.latency_p99, c]);
      }
    });
    const whole = n === afterWarmup && rates.length === 1;
    const lat = (key: 'p50' | 'p95' | 'p99'): Figure | null => {
      if (whole && run.summary.latency.count > 0) return exact(run.summary.latency[key]);
      const xs = pct[key];
      if (xs.length === 0) return null;
      const w = xs.reduce((s, [, c]) => s + c, 0);
      const value = xs.reduce((s, [v, c]) => s + v * c, 0) / w;
      const low = Math.min(...xs.map(([v]) => v)), high = Math.max(...xs.map(([v]) => v));
      return xs.length === 1 ? exact(value) : { value, exact: false, low, high };
    };
    return { rate, intervals: n, seconds, completions: done, throughput: exact(seconds > 0 ? done / seconds : 0), p50: lat('p50'), p95: lat('p95'), p99: lat('p99') };
  });
}

const isMeasured = (r: LevelledRun) => r.summary.source === 'measured';

/** Matches every predicted level with the measured level of the same rate (1 %), or null when there is nothing to compare. */
export function fidelityRows(runs: LevelledRun[]): FidelityRow[] | null {
  const measured = runs.filter(isMeasured), predicted = runs.filter((r) => !isMeasured(r));
  if (measured.length === 0 || predicted.length === 0) return null;
  const out: FidelityRow[] = [];
  for (const m of measured) {
    const mLevels = levelFigures(m);
    for (const p of predicted) {
      const pLevels = levelFigures(p);
      // Levels from curves match by rate to 1 %; a run without a recorded curve is one level at its measured offered rate (5 %).
      const tol = m.levels.fromCurve && p.levels.fromCurve ? 0.01 : 0.05;
      for (const ml of mLevels) {
        const pl = pLevels.find((x) => Math.abs(x.rate - ml.rate) <= tol * Math.max(ml.rate, 1e-9));
        if (!pl || ml.intervals === 0 || pl.intervals === 0) continue;
        const err = (a: Figure | null, b: Figure | null) => (a === null || b === null || b.value === 0 ? null : (a.value - b.value) / b.value);
        out.push({
          rate: ml.rate,
          predicted: { label: p.label, level: pl },
          measured: { label: m.label, level: ml },
          error: { throughput: err(pl.throughput, ml.throughput), p50: err(pl.p50, ml.p50), p95: err(pl.p95, ml.p95), p99: err(pl.p99, ml.p99) },
        });
      }
    }
  }
  return out.sort((a, b) => a.rate - b.rate || a.predicted.label.localeCompare(b.predicted.label));
}

function signedPct(e: number | null): string {
  if (e === null) return '–';
  const p = e * 100;
  return `${p > 0 ? '+' : p < 0 ? '−' : '±'}${Math.abs(p).toFixed(1)}%`;
}

function show(metric: Metric, f: Figure | null): string {
  if (f === null) return '–';
  const text = metric === 'throughput' ? fmtNum(f.value, 1) : fmtLatency(f.value);
  return f.exact ? text : `≈${text}`;
}

const LEGEND = 'error = (predicted − measured) / measured. ≈: a step of a longer run, the completions-weighted mean of its intervals\' percentiles (the exact value lies between the smallest and largest of them); unmarked percentiles are exact (the level is the whole run after warmup).';

/** The terminal table. */
export function fidelityText(rows: FidelityRow[]): string {
  if (rows.length === 0) return 'Predicted vs measured: no load level in common (levels are matched by offered rate, 1 %).\n';
  const head = ['level', 'predicted', 'measured', 'throughput r/s', '', 'p50', '', 'p95', '', 'p99', ''];
  const table = rows.map((r) => [
    `${fmtNum(r.rate, 1)} r/s`, r.predicted.label, r.measured.label,
    ...METRICS.flatMap((m) => [`${show(m, r.predicted.level[m])} / ${show(m, r.measured.level[m])}`, signedPct(r.error[m])]),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [
    'Predicted vs measured per load level (predicted / measured, error)',
    line(head),
    ...table.map(line),
    LEGEND,
    '',
  ].join('\n');
}

/** The HTML section of the comparison page. */
export function fidelityHtml(rows: FidelityRow[]): string {
  const body = rows.map((r) => {
    const cells = METRICS.map((m) => {
      const p = r.predicted.level[m], q = r.measured.level[m];
      const bounds = [p, q].some((f) => f !== null && !f.exact)
        ? `<div class="sub">exact between ${[p, q].map((f) => (f === null ? '–' : `${fmtLatency(f.low)}–${fmtLatency(f.high)}`)).join(' / ')}</div>`
        : '';
      return `<td class="num">${esc(show(m, p))} / ${esc(show(m, q))}<div class="sub" data-error="${r.error[m] ?? ''}">${esc(signedPct(r.error[m]))}</div>${bounds}</td>`;
    });
    return `<tr><td>${esc(fmtNum(r.rate, 1))} req/s<div class="sub">${r.predicted.level.intervals} / ${r.measured.level.intervals} intervals</div></td><td>${esc(r.predicted.label)}</td><td>${esc(r.measured.label)}</td>${cells.join('')}</tr>`;
  });
  const table = rows.length === 0
    ? '<p class="muted">No load level in common (levels are matched by offered rate, 1 %).</p>'
    : `<div class="wide"><table class="fidelity"><thead><tr><th>Load level</th><th>Predicted</th><th>Measured</th>${METRICS.map((m) => `<th class="num">${m === 'throughput' ? 'Throughput (req/s)' : `Latency ${m}`}<div class="sub">predicted / measured, error</div></th>`).join('')}</tr></thead><tbody>${body.join('\n')}</tbody></table></div>`;
  return `<h2 id="fidelity">Predicted vs measured</h2>
${table}
<p class="muted small">${esc(LEGEND)} A load level is a set of sample intervals after warmup over which the scenario's curve offers one constant rate.</p>`;
}
