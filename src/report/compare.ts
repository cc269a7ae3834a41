// Run-vs-run comparison: several runs of the same traffic (different policies or seeds) side by side.
import type { RunSummary, SeriesRow } from '../stats/results.ts';
import { distributionChart, seriesList, thresholdLayers, timeChart, type Series } from './charts.ts';
import { agg, buckets, bucketSize, byComponent, MAX_POINTS, type Agg } from './downsample.ts';
import {
  esc, fmtDuration, fmtInt, fmtLatency, fmtMoney, fmtNum, fmtPct, fmtRate, fmtSloValue, sig, sloSentence, timeAxis,
} from './format.ts';
import { latencyUnit } from './run-view.ts';
import { badge } from './sections.ts';
import { page, renderChart, type ChartDef } from './page.ts';
import { bestBeyondNoise, cellVerdict, compareRuns } from './compare-noise.ts';

type Obj = Record<string, unknown>;

export interface CompareRun {
  label: string;
  summary: RunSummary;
  rows: SeriesRow[];
}

/** Which way is better for a metric; 'none' is shown without a verdict. */
export type Better = 'lower' | 'higher' | 'none';

export interface MetricRow {
  name: string;
  /** The key figure this row shows, as replications name it: then it can be judged on the noise. */
  metric?: string;
  better: Better;
  values: Array<number | null>;
  format: (v: number) => string;
  /** Format of a difference (defaults to format). */
  formatDelta?: (v: number) => string;
}

const errorsOf = (s: RunSummary) => Object.values(s.totals.errors).reduce((a, b) => a + b, 0);

export function metricRows(runs: CompareRun[]): MetricRow[] {
  const cur = runs[0]!.summary.cost?.currency || 'USD';
  const S = runs.map((r) => r.summary);
  const rows: MetricRow[] = [
    { name: 'SLOs met', better: 'higher', values: S.map((s) => (s.slo.length ? s.slo.filter((x) => x.pass).length : null)), format: (v) => fmtInt(v) },
    { name: 'Latency p50', metric: 'latency.p50', better: 'lower', values: S.map((s) => s.latency.p50), format: fmtLatency },
    { name: 'Latency p95', metric: 'latency.p95', better: 'lower', values: S.map((s) => s.latency.p95), format: fmtLatency },
    { name: 'Latency p99', metric: 'latency.p99', better: 'lower', values: S.map((s) => s.latency.p99), format: fmtLatency },
    { name: 'Latency mean', metric: 'latency.mean', better: 'lower', values: S.map((s) => s.latency.mean), format: fmtLatency },
    { name: 'Latency p99.9', better: 'lower', values: S.map((s) => s.latency.p999), format: fmtLatency },
    { name: 'Latency max', better: 'lower', values: S.map((s) => s.latency.max), format: fmtLatency },
    { name: 'Worst interval p99', better: 'lower', values: S.map((s) => s.worstInterval?.p99 ?? null), format: fmtLatency },
    { name: 'Error rate', metric: 'errorRate', better: 'lower', values: S.map((s) => s.totals.errorRate), format: (v) => fmtPct(v, 3) },
    { name: 'Errors', better: 'lower', values: S.map(errorsOf), format: fmtInt },
    { name: 'Throughput', metric: 'throughput', better: 'higher', values: S.map((s) => s.totals.throughput), format: fmtRate },
    { name: 'Total cost', metric: 'cost', better: 'lower', values: S.map((s) => s.cost.total), format: (v) => fmtMoney(v, cur) },
    { name: 'Instance-hours', better: 'lower', values: S.map((s) => s.cost.instanceHours), format: (v) => `${fmtNum(v, 1)} h` },
  ];
  const pools = [...new Set(S.flatMap((s) => Object.keys(s.peakInstances ?? {})))];
  for (const p of pools) {
    rows.push({ name: `Peak instances: ${p}`, metric: `peakInstances.${p}`, better: 'lower', values: S.map((s) => s.peakInstances?.[p] ?? null), format: fmtInt });
  }
  rows.push({ name: 'Scaling actions', better: 'none', values: S.map((s) => s.scaling.length), format: fmtInt });
  // A replicated run shows its key figures' means over the replications (what the verdicts judge), not the first seed's.
  for (const row of rows) {
    if (row.metric === undefined) continue;
    row.values = row.values.map((v, i) => S[i].replications?.stats.find((x) => x.metric === row.metric)?.mean ?? v);
  }
  return rows;
}

function deltaText(m: MetricRow, v: number, base: number): string {
  const d = v - base;
  const f = m.formatDelta ?? m.format;
  const sign = d > 0 ? '+' : d < 0 ? '−' : '±';
  const pct = base !== 0 ? ` (${d > 0 ? '+' : d < 0 ? '−' : '±'}${fmtPct(Math.abs(d / base), 1)})` : '';
  return `${sign}${f(Math.abs(d))}${pct}`;
}

export function deltaTable(runs: CompareRun[]): string {
  const rows = metricRows(runs);
  const summaries = runs.map((r) => r.summary);
  const comparisons = summaries.map((s, i) => (i === 0 ? null : compareRuns(summaries[0], s)));
  const head = `<tr><th>Metric</th><th>Better when</th>${runs.map((r, i) => `<th class="num">${esc(r.label)}${i === 0 ? '<div class="sub">baseline</div>' : '<div class="sub">Δ vs baseline</div>'}</th>`).join('')}</tr>`;
  const body = rows.map((m) => {
    const vals = m.values;
    const valid = vals.filter((x): x is number => x !== null && Number.isFinite(x));
    const bestValue = m.better === 'none' || !valid.length ? null : m.better === 'lower' ? Math.min(...valid) : Math.max(...valid);
    const bestIndex = bestValue === null ? -1 : vals.indexOf(bestValue);
    // ★ only for a run better than every other beyond the noise (all runs replicated).
    const starred = bestIndex >= 0 && bestBeyondNoise(summaries, m.metric, bestIndex);
    const cells = vals.map((v, i) => {
      if (v === null || !Number.isFinite(v)) return '<td class="num muted">–</td>';
      const base = vals[0];
      let delta = '';
      let cls = '';
      if (i > 0 && base !== null && base !== undefined && Number.isFinite(base)) {
        let word = '';
        if (m.better !== 'none' && m.metric !== undefined) {
          const { verdict, comparison } = cellVerdict(comparisons, i, m.metric);
          cls = verdict === 'better' || verdict === 'worse' ? verdict : '';
          word = verdict === 'cannot-tell' ? ' · cannot tell (no replications)' : verdict === 'within-noise' ? ` · within noise (p = ${comparison!.p.toPrecision(2)})` : ` · ${verdict} (p = ${comparison!.p < 1e-4 ? '< 0.0001' : comparison!.p.toPrecision(2)})`;
        }
        delta = `<div class="sub ${cls}">${esc(deltaText(m, v, base))}${esc(word)}</div>`;
      }
      const star = starred && i === bestIndex;
      return `<td class="num${star ? ' best' : ''}" data-verdict="${cls || 'none'}">${esc(m.format(v))}${star ? ' <span class="star" title="best of the runs beyond the run-to-run noise">★</span>' : ''}${delta}</td>`;
    });
    return `<tr><td>${esc(m.name)}</td><td class="muted">${m.better === 'none' ? '–' : m.better}</td>${cells.join('')}</tr>`;
  });
  return `<div class="wide"><table class="deltas"><thead>${head}</thead><tbody>${body.join('\n')}</tbody></table></div>
<p class="muted small">Lower is better for latency, errors, cost, instance-hours and peak instances; higher is better for throughput and SLOs met. A key figure is called “better” or “worse” than the baseline (${esc(runs[0]!.label)}) only when the difference is beyond the run-to-run noise: both runs need replications (run --replications N), then Welch's t per figure with Holm's correction holds false alarms to 5% per comparison. ★ marks a run better than every other beyond the noise.</p>`;
}

export function sloTable(runs: CompareRun[]): string {
  const cur = runs[0]!.summary.cost?.currency || 'USD';
  const names: Array<{ name: string; metric: string; text: string }> = [];
  for (const r of runs) for (const s of r.summary.slo) if (!names.some((n) => n.name === s.name && n.metric === s.metric)) names.push({ name: s.name, metric: s.metric, text: sloSentence(s, cur) });
  if (!names.length) return '<p class="muted">No SLOs stated.</p>';
  const rows = names.map((n) => `<tr><td>${esc(n.name)}<div class="sub">${esc(n.text)}</div></td>${runs.map((r) => {
    const s = r.summary.slo.find((x) => x.name === n.name && x.metric === n.metric);
    return s ? `<td class="num">${badge(s.pass)}<div class="sub">${esc(fmtSloValue(s.metric, s.value, cur))}</div></td>` : '<td class="num muted">–</td>';
  }).join('')}</tr>`);
  return `<div class="wide"><table class="slo"><thead><tr><th>SLO</th>${runs.map((r) => `<th class="num">${esc(r.label)}</th>`).join('')}</tr></thead><tbody>${rows.join('\n')}</tbody></table></div>`;
}

/** Merged wide rows: t plus one key per run (s0, s1…), each run downsampled on its own. */
function overlay(runs: CompareRun[], pick: (rows: Map<string, SeriesRow[]>) => SeriesRow[][], get: (r: SeriesRow) => number | null, how: Agg, combine: 'sum' | 'first' = 'first', scale = 1): Obj[] {
  const byT = new Map<number, Obj>();
  runs.forEach((run, i) => {
    const groups = pick(byComponent(run.rows)).filter((g) => g.length);
    if (!groups.length) return;
    const n = Math.max(...groups.map((g) => g.length));
    const size = bucketSize(n, MAX_POINTS);
    const interval = run.summary.scenario.sampleInterval || 1;
    const acc = new Map<number, number | null>();
    for (const g of groups.slice(0, combine === 'sum' ? groups.length : 1)) {
      for (const b of buckets(g, size, interval)) {
        const x = agg(b.rows, get, how);
        const prev = acc.get(b.t);
        acc.set(b.t, x === null ? (prev ?? null) : (prev ?? 0) + x);
      }
    }
    for (const [t, x] of acc) {
      let row = byT.get(t);
      if (!row) byT.set(t, (row = { t }));
      row[`s${i}`] = x === null ? null : sig(x * scale);
    }
  });
  return [...byT.values()].sort((a, b) => (a.t as number) - (b.t as number));
}

/** Sections a caller adds to the page (HTML, already escaped): `first` goes before the differences table. */
export interface CompareExtra {
  first?: string;
}

export async function renderCompare(runs: CompareRun[], extra: CompareExtra = {}): Promise<string> {
  if (runs.length < 1) throw new Error('renderCompare: no runs');
  const base = runs[0]!.summary;
  const ax = timeAxis(base);
  const series: Series[] = seriesList(runs.map((r) => r.label));
  const all = (m: Map<string, SeriesRow[]>) => [m.get('_all') ?? []];
  const poolsOf = (run: CompareRun) => Object.entries(run.summary.components).filter(([, c]) => c.kind === 'pool').map(([n]) => n);
  const maxLat = Math.max(...runs.map((r) => Math.max(r.summary.latency.p99, r.summary.worstInterval?.p99 ?? 0)));
  const lat = latencyUnit(maxLat);
  const cur = base.cost?.currency || 'USD';

  const defs: ChartDef[] = [];
  const offered = overlay(runs.slice(0, 1), all, (r) => r.offered, 'mean');
  const thr = overlay(runs, all, (r) => r.throughput, 'mean');
  const offeredByT = new Map(offered.map((o) => [o.t as number, o.s0]));
  for (const row of thr) row.off = offeredByT.get(row.t as number) ?? null;
  const thrSeries: Series[] = [...series, { key: 'off', label: `offered (${runs[0]!.label})`, colour: '#999999', dash: [1, 3] }];
  defs.push({
    id: 'cmp-throughput', title: 'Served throughput',
    caption: 'Completed requests per second for each run; the dotted grey line is the load offered to the baseline.',
    alt: `Line chart of served throughput over time for ${runs.length} runs.`,
    build: (interactive) => timeChart({ ax, data: thr, series: thrSeries, kind: 'line', yTitle: 'req/s', tipFormat: ',.1f', interactive }),
  });
  const latSlos = base.slo.filter((s) => s.metric === 'latency.p99').map((s) => ({ y: sig(s.threshold * lat.factor)!, label: `SLO p99 ${s.op === '<=' ? '≤' : '≥'} ${fmtLatency(s.threshold)}` }));
  defs.push({
    id: 'cmp-p99', title: 'Latency p99 over time',
    caption: 'End-to-end p99 per sample interval (worst interval per point when aggregated).',
    alt: `Line chart of p99 latency over time for ${runs.length} runs.`,
    build: (interactive) => timeChart({
      ax, data: overlay(runs, all, (r) => r.latency_p99, 'max', 'first', lat.factor), series, kind: 'line',
      yTitle: `latency p99 (${lat.unit})`, tipFormat: lat.tip, interactive, extraLayers: thresholdLayers(latSlos),
    }),
  });
  const instData = overlay(runs, (m) => [...m.entries()].filter(([n, rows]) => n !== '_all' && rows.some((r) => r.instances_ready !== null)).map(([, rows]) => rows), (r) => r.instances_ready, 'max', 'sum');
  defs.push({
    id: 'cmp-instances', title: 'Ready instances (all pools)',
    caption: 'Serving instances summed over the pools of each run.',
    alt: `Step chart of ready instances over time for ${runs.length} runs.`,
    build: (interactive) => timeChart({ ax, data: instData, series, kind: 'line', interpolate: 'step-before', yTitle: 'instances', yFormat: 'd', tipFormat: 'd', interactive, height: 180 }),
  });
  const costData = overlay(runs, (m) => {
    const pools = [...m.entries()].filter(([n, rows]) => n !== '_all' && rows.some((r) => r.instances_ready !== null) && rows.some((r) => r.cost !== null)).map(([, rows]) => rows);
    return pools.length ? pools : [m.get('_all') ?? []];
  }, (r) => r.cost, 'last', 'sum');
  defs.push({
    id: 'cmp-cost', title: 'Cost accumulation',
    caption: `Cumulative cost of each run; the right end is the total.`,
    alt: `Line chart of cumulative cost over time for ${runs.length} runs: ${runs.map((r) => `${r.label} ${fmtMoney(r.summary.cost.total, cur)}`).join(', ')}.`,
    build: (interactive) => timeChart({ ax, data: costData, series, kind: 'line', yTitle: `cost (${cur})`, yFormat: ',.2~f', tipFormat: ',.2f', interactive, height: 180 }),
  });
  if (runs.every((r) => r.summary.latency.distribution?.length > 1)) {
    defs.push({
      id: 'cmp-distribution', title: 'Latency distribution',
      caption: 'Latency at each percentile (HdrHistogram style: the x axis stretches the tail).',
      alt: `Percentile distributions of latency for ${runs.length} runs.`,
      build: (interactive) => distributionChart({
        series: runs.map((r, i) => ({ label: r.label, colour: series[i]!.colour, dash: series[i]!.dash, points: r.summary.latency.distribution.map(([l, p]) => [sig(l * lat.factor)!, p] as [number, number]) })),
        yTitle: `latency (${lat.unit})`, tipFormat: lat.tip, thresholds: latSlos, interactive,
      }),
    });
  }
  const rendered = await Promise.all(defs.map((d) => renderChart(d)));
  void poolsOf;

  const runList = runs.map((r, i) => `<tr><td><b>${esc(r.label)}</b>${i === 0 ? ' <span class="sub">(baseline)</span>' : ''}</td><td>${esc(r.summary.scenario.name)}</td><td>${esc(r.summary.scenario.file)}</td><td class="num">${esc(r.summary.scenario.seed)}</td><td class="num">${esc(fmtDuration(r.summary.scenario.duration))}</td><td>${r.summary.slo.length ? badge(r.summary.slo.every((s) => s.pass)) : '<span class="muted">no SLOs</span>'}</td></tr>`).join('\n');
  const sameTraffic = runs.every((r) => r.summary.scenario.duration === base.scenario.duration && Math.abs(r.summary.totals.offeredRate - base.totals.offeredRate) <= 0.02 * Math.max(1e-9, base.totals.offeredRate));
  const body = `<header>
<p class="eyebrow">headroom run comparison</p>
<h1>${esc(runs.length)} runs compared</h1>
<p class="meta">Baseline: ${esc(runs[0]!.label)} · ${esc(base.scenario.name)}${sameTraffic ? '' : ' · <b>note: the runs did not see the same offered load</b>'}</p>
</header>
<div class="wide"><table class="runs"><thead><tr><th>Run</th><th>Scenario</th><th>File</th><th class="num">Seed</th><th class="num">Duration</th><th>SLOs</th></tr></thead><tbody>${runList}</tbody></table></div>
${extra.first ?? ''}
<h2 id="deltas">Differences</h2>
${deltaTable(runs)}
<h2 id="slos">SLOs</h2>
${sloTable(runs)}
<h2 id="charts">Over time</h2>
${rendered.map((r) => r.figure).join('\n')}
<footer>Generated by headroom ${esc(base.headroom)} from each run's summary.json and timeseries.csv. Times are ${esc(ax.mode === 'wall' ? `wall-clock${ax.zone ? ` (${ax.zone})` : ''} of the baseline` : 'elapsed since the start of each run')}.</footer>`;
  return page({ title: `headroom comparison — ${runs.map((r) => r.label).join(' vs ')}`, body, charts: rendered, generator: `headroom ${base.headroom}` });
}
