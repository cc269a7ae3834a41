// The run report: one self-contained HTML file from summary.json + timeseries.csv.
import YAML from 'yaml';
import {
  ERROR_CAUSES, ERROR_CAUSE_INFO, errorColumn, errorTotal, type ErrorCause, type ErrorCounts, type PoolSummary, type RunSummary, type SeriesRow,
} from '../stats/results.ts';
import {
  distributionChart, heatmap, OKABE_ITO, seriesList, thresholdLayers, timeCalc, whenCalc, timeChart, timeTooltip, xEnc, type Series,
} from './charts.ts';
import { agg, bucketSize, buckets, byComponent, MAX_POINTS, type Agg } from './downsample.ts';
import {
  esc, fmtDuration, fmtInt, fmtLatency, fmtMoney, fmtNum, fmtPct, fmtRate, fmtSloValue, fmtTime, sig, sloSentence, timeAxis, type TimeAxis,
} from './format.ts';
import { page, renderChart, type ChartDef } from './page.ts';

type Obj = Record<string, unknown>;

export const CAUSE_LABELS = Object.fromEntries(
  ERROR_CAUSES.map((c) => [c, `${ERROR_CAUSE_INFO[c].label} (${ERROR_CAUSE_INFO[c].status})`]),
) as Record<ErrorCause, string>;
const CAUSE_COLUMN = Object.fromEntries(ERROR_CAUSES.map((c) => [c, errorColumn(c)])) as Record<ErrorCause, keyof SeriesRow>;
// In cause order: light / dark / mid / mid-light first, apart in hue for colour-blind readers and
// in lightness in greyscale; causes beyond the palette take its colours again.
const CAUSE_PALETTE = [OKABE_ITO.sky, OKABE_ITO.blue, OKABE_ITO.vermillion, OKABE_ITO.orange, OKABE_ITO.purple, OKABE_ITO.green, OKABE_ITO.yellow, OKABE_ITO.grey];
const CAUSE_COLOURS = Object.fromEntries(ERROR_CAUSES.map((c, i) => [c, CAUSE_PALETTE[i % CAUSE_PALETTE.length]])) as Record<ErrorCause, string>;

/** More components than this and per-component charts become heatmaps. */
export const HEATMAP_THRESHOLD = 6;
const HEATMAP_COLUMNS = 200;

/** Latency display unit: ms unless values reach seconds. */
export interface LatencyUnit {
  unit: 'ms' | 's';
  factor: number;
  tip: string;
}
export function latencyUnit(maxSeconds: number): LatencyUnit {
  return maxSeconds >= 2 ? { unit: 's', factor: 1, tip: ',.3~f' } : { unit: 'ms', factor: 1000, tip: ',.4~r' };
}

/** Everything the charts and tables derive from the inputs. */
export interface RunView {
  summary: RunSummary;
  ax: TimeAxis;
  comps: Map<string, SeriesRow[]>;
  all: SeriesRow[];
  /** Components other than `_all`, in summary order then series order. */
  names: string[];
  pools: string[];
  interval: number;
  bucket: number;
  lat: LatencyUnit;
}

export function runView(summary: RunSummary, rows: SeriesRow[]): RunView {
  const comps = byComponent(rows);
  const all = comps.get('_all') ?? [];
  const names: string[] = [];
  for (const n of Object.keys(summary.components ?? {})) if (n !== '_all') names.push(n);
  for (const n of comps.keys()) if (n !== '_all' && !names.includes(n)) names.push(n);
  const pools = names.filter((n) => {
    const c = summary.components?.[n];
    if (c) return c.kind === 'pool';
    return (comps.get(n) ?? []).some((r) => r.instances_ready !== null);
  });
  const interval = summary.scenario.sampleInterval > 0 ? summary.scenario.sampleInterval : guessInterval(all);
  const intervals = Math.max(all.length, ...[...comps.values()].map((l) => l.length), 1);
  let maxLat = Math.max(summary.latency?.p99 ?? 0, summary.worstInterval?.p99 ?? 0);
  for (const r of all) if (r.latency_p99 !== null && r.latency_p99 > maxLat) maxLat = r.latency_p99;
  return {
    summary, ax: timeAxis(summary), comps, all, names, pools, interval,
    bucket: bucketSize(intervals, MAX_POINTS), lat: latencyUnit(maxLat),
  };
}

function guessInterval(rows: SeriesRow[]): number {
  if (rows.length >= 2) return rows[1]!.time - rows[0]!.time;
  return rows[0]?.time ?? 1;
}

/** Wide display rows: t plus one value per series, each from its own component rows. */
export function wideSeries(
  v: { bucket: number; interval: number },
  sources: Array<{ key: string; rows: SeriesRow[]; get: (r: SeriesRow) => number | null; how: Agg; scale?: number }>,
): Obj[] {
  const byT = new Map<number, Obj>();
  for (const s of sources) {
    for (const b of buckets(s.rows, v.bucket, v.interval)) {
      let row = byT.get(b.t);
      if (!row) byT.set(b.t, (row = { t: b.t }));
      const x = agg(b.rows, s.get, s.how);
      row[s.key] = x === null ? null : sig(x * (s.scale ?? 1));
    }
  }
  return [...byT.values()].sort((a, b) => (a.t as number) - (b.t as number));
}

function bucketNote(v: RunView, what: string): string {
  if (v.bucket <= 1) return '';
  return ` Each point covers ${v.bucket} sample intervals (${fmtDuration(v.bucket * v.interval)}); ${what}.`;
}

// ---- charts -----------------------------------------------------------------------------------

export function loadChart(v: RunView, id = 'load'): ChartDef {
  const series = seriesList(['offered', 'served'], { colours: [OKABE_ITO.orange, OKABE_ITO.blue], dashes: [[6, 3], [1, 0]] });
  const data = wideSeries(v, [
    { key: 's0', rows: v.all, get: (r) => r.offered, how: 'mean' },
    { key: 's1', rows: v.all, get: (r) => r.throughput, how: 'mean' },
  ]);
  return {
    id,
    title: 'Offered load vs served throughput',
    caption: `Requests per second arriving at the system and completed by it.${bucketNote(v, 'values are means')}`,
    alt: `Line chart over time of offered load and served throughput in requests per second. Mean offered ${fmtRate(v.summary.totals.offeredRate)}, mean served ${fmtRate(v.summary.totals.throughput)}.`,
    build: (interactive) => timeChart({ ax: v.ax, data, series, kind: 'line', yTitle: 'req/s', tipFormat: ',.1f', interactive }),
  };
}

function latencySlos(v: RunView): Array<{ y: number; label: string; pct: number | null }> {
  return (v.summary.slo ?? [])
    .filter((s) => /^latency\.(p\d+|max|mean)$/.test(s.metric))
    .map((s) => {
      const m = /^latency\.p(\d+)$/.exec(s.metric);
      const pct = m ? Number(`${m[1]!.slice(0, 2)}.${m[1]!.slice(2)}`) : null;
      return { y: sig(s.threshold * v.lat.factor)!, label: `SLO ${s.metric.replace('latency.', '')} ${s.op === '<=' ? '≤' : '≥'} ${fmtLatency(s.threshold)}`, pct };
    });
}

export function latencyChart(v: RunView, id = 'latency'): ChartDef {
  const series = seriesList(['p50', 'p95', 'p99'], {
    colours: [OKABE_ITO.green, OKABE_ITO.orange, OKABE_ITO.blue],
    dashes: [[2, 2], [7, 3], [1, 0]],
  });
  const f = v.lat.factor;
  const data = wideSeries(v, [
    { key: 's0', rows: v.all, get: (r) => r.latency_p50, how: 'max', scale: f },
    { key: 's1', rows: v.all, get: (r) => r.latency_p95, how: 'max', scale: f },
    { key: 's2', rows: v.all, get: (r) => r.latency_p99, how: 'max', scale: f },
  ]);
  const slos = latencySlos(v);
  return {
    id,
    title: 'Latency over time',
    caption: `End-to-end latency percentiles per sample interval${slos.length ? ', with the SLO as a dashed line' : ''}.${bucketNote(v, 'each shows the worst interval')}`,
    alt: `Line chart over time of p50, p95 and p99 latency in ${v.lat.unit}. Run p99 ${fmtLatency(v.summary.latency.p99)}.`,
    build: (interactive) => timeChart({
      ax: v.ax, data, series, kind: 'line', yTitle: `latency (${v.lat.unit})`, tipFormat: v.lat.tip, interactive,
      extraLayers: thresholdLayers(slos),
    }),
  };
}

export function errorsChart(v: RunView, id = 'errors'): ChartDef | null {
  const causes = ERROR_CAUSES.filter((c) => v.all.some((r) => (r[CAUSE_COLUMN[c]] as number) > 0));
  if (!causes.length) return null;
  const series: Series[] = causes.map((c, i) => ({ key: `s${i}`, label: CAUSE_LABELS[c], colour: CAUSE_COLOURS[c], dash: [1, 0] }));
  const data = wideSeries(v, causes.map((c, i) => ({
    key: `s${i}`, rows: v.all, get: (r: SeriesRow) => (r[CAUSE_COLUMN[c]] as number) / v.interval, how: 'max' as Agg,
  })));
  const e = v.summary.totals.errors;
  return {
    id,
    title: 'Errors by cause',
    caption: `Failed requests per second, stacked by cause.${bucketNote(v, 'each shows the worst interval')}`,
    alt: `Stacked area chart over time of errors per second by cause: ${causes.map((c) => `${CAUSE_LABELS[c]} ${fmtInt(e[c])} in total`).join(', ')}.`,
    build: (interactive) => timeChart({ ax: v.ax, data, series, kind: 'area', yTitle: 'errors/s', tipFormat: ',.2~f', interactive, height: 170 }),
  };
}

export function instancesChart(v: RunView, pool: string, index: number): ChartDef {
  const rows = v.comps.get(pool) ?? [];
  const series = seriesList(['ready', 'desired'], { colours: [OKABE_ITO.blue, OKABE_ITO.orange], dashes: [[1, 0], [6, 3]] });
  const data = wideSeries(v, [
    { key: 's0', rows, get: (r) => r.instances_ready, how: 'max' },
    { key: 's1', rows, get: (r) => r.instances_desired, how: 'max' },
  ]);
  const events = (v.summary.scaling ?? []).filter((e) => e.pool === pool).map((e) => ({
    t: e.time, to: e.to, from: e.from, dir: e.to >= e.from ? 'scale out' : 'scale in',
    change: `${e.from} → ${e.to}`, rule: e.rule, reasons: e.reasons.join('; '),
  }));
  const peak = v.summary.peakInstances?.[pool];
  const eventLayer = (interactive: boolean): Obj[] => events.length ? [{
    data: { values: events },
    transform: [...timeCalc(v.ax), ...whenCalc(v.ax)],
    mark: { type: 'point', filled: true, size: 70, opacity: 1, stroke: 'currentColor', strokeWidth: 0.6 },
    encoding: {
      x: xEnc(v.ax),
      y: { field: 'to', type: 'quantitative' },
      shape: { field: 'dir', type: 'nominal', scale: { domain: ['scale out', 'scale in'], range: ['triangle-up', 'triangle-down'] }, legend: { title: null } },
      color: { value: OKABE_ITO.vermillion },
      ...(interactive ? { tooltip: [
        timeTooltip(v.ax),
        { field: 'change', type: 'nominal', title: 'instances' },
        { field: 'rule', type: 'nominal', title: 'rule' },
        { field: 'reasons', type: 'nominal', title: 'reasons' },
      ] } : {}),
    },
  }] : [];
  return {
    id: `instances-${index}`,
    title: `Instances: ${pool}`,
    caption: `Desired (what the autoscaler asked for) vs ready (serving) instances; triangles mark scaling actions${events.length ? ` (${events.length})` : ''}.${bucketNote(v, 'each shows the maximum')}`,
    alt: `Step chart over time of desired and ready instances of pool ${pool}${peak !== undefined ? `, peaking at ${peak}` : ''}, with ${events.length} scaling actions marked.`,
    build: (interactive) => timeChart({
      ax: v.ax, data, series, kind: 'line', interpolate: 'step-before', yTitle: 'instances', yFormat: 'd', tipFormat: 'd',
      interactive, height: 160, extraLayers: eventLayer(interactive), yScale: { zero: true },
    }),
  };
}

/** One line per component when few; a heatmap when many. */
export function perComponentChart(
  v: RunView,
  o: { id: string; title: string; caption: string; what: string; names: string[]; get: (r: SeriesRow) => number | null; how: Agg; scale: number; yTitle: string; format: string; tip: string; domain?: [number, number] },
): ChartDef | null {
  const names = o.names.filter((n) => (v.comps.get(n) ?? []).some((r) => o.get(r) !== null));
  if (!names.length) return null;
  if (names.length <= HEATMAP_THRESHOLD) {
    const series = seriesList(names);
    const data = wideSeries(v, names.map((n, i) => ({ key: `s${i}`, rows: v.comps.get(n)!, get: o.get, how: o.how, scale: o.scale })));
    return {
      id: o.id, title: o.title,
      caption: `${o.caption}${bucketNote(v, o.how === 'max' ? 'each shows the maximum' : 'values are means')}`,
      alt: `Line chart over time of ${o.what} for ${names.length} components: ${names.join(', ')}.`,
      build: (interactive) => timeChart({
        ax: v.ax, data, series, kind: 'line', yTitle: o.yTitle, yFormat: o.format, tipFormat: o.tip, interactive, height: 180,
        ...(o.domain ? { yScale: { domain: o.domain } } : {}),
      }),
    };
  }
  const hb = bucketSize(Math.max(...names.map((n) => v.comps.get(n)!.length)), HEATMAP_COLUMNS);
  const cells: Obj[] = [];
  names.forEach((n, c) => {
    for (const b of buckets(v.comps.get(n)!, hb, v.interval)) {
      const x = agg(b.rows, o.get, o.how);
      if (x !== null) cells.push({ t0: b.t0, t1: b.t, c, v: sig(x * o.scale, 3) });
    }
  });
  return {
    id: o.id, title: o.title,
    caption: `${o.caption} One row per component; colour is the value.${hb > 1 ? ` Each cell covers ${fmtDuration(hb * v.interval)} (${o.how === 'max' ? 'maximum' : 'mean'}).` : ''}`,
    alt: `Heatmap over time of ${o.what} for ${names.length} components.`,
    build: (interactive) => heatmap({
      ax: v.ax, cells, rows: names, valueTitle: o.yTitle, valueFormat: o.format, interactive,
      ...(o.domain ? { scale: { domain: o.domain } } : {}),
    }),
  };
}

export function distributionDef(v: RunView, id = 'distribution'): ChartDef | null {
  const dist = v.summary.latency?.distribution ?? [];
  if (dist.length < 2) return null;
  const points = dist.map(([lat, p]) => [sig(lat * v.lat.factor)!, p] as [number, number]);
  const slos = latencySlos(v);
  return {
    id,
    title: 'Latency distribution',
    caption: 'Latency at each percentile, as HdrHistogram plots it: the x axis stretches the tail (90%, 99%, 99.9%…) so rare slow requests are visible.',
    alt: `Percentile distribution of end-to-end latency: p50 ${fmtLatency(v.summary.latency.p50)}, p99 ${fmtLatency(v.summary.latency.p99)}, p99.9 ${fmtLatency(v.summary.latency.p999)}, max ${fmtLatency(v.summary.latency.max)}.`,
    build: (interactive) => distributionChart({
      series: [{ label: 'end to end', colour: OKABE_ITO.blue, dash: [1, 0], points }],
      yTitle: `latency (${v.lat.unit})`, tipFormat: v.lat.tip, thresholds: slos.map(({ y, label }) => ({ y, label })), interactive,
    }),
  };
}

export function costChart(v: RunView, id = 'cost'): ChartDef | null {
  const currency = v.summary.cost?.currency || 'USD';
  let names = v.pools.filter((p) => (v.comps.get(p) ?? []).some((r) => r.cost !== null));
  let rowsOf = (n: string) => v.comps.get(n)!;
  if (!names.length) {
    if (!v.all.some((r) => r.cost !== null)) return null;
    names = ['total'];
    rowsOf = () => v.all;
  }
  const series = seriesList(names);
  const data = wideSeries(v, names.map((n, i) => ({ key: `s${i}`, rows: rowsOf(n), get: (r: SeriesRow) => r.cost, how: 'last' as Agg })));
  return {
    id,
    title: 'Cost accumulation',
    caption: `Cumulative instance cost${names.length > 1 ? ', stacked by pool' : ''}; the top edge is the running total (${fmtMoney(v.summary.cost.total, currency)} at the end).`,
    alt: `Stacked area chart of cumulative cost in ${currency} over time by pool, reaching ${fmtMoney(v.summary.cost.total, currency)}.`,
    build: (interactive) => timeChart({
      ax: v.ax, data, series, kind: 'area', yTitle: `cost (${currency})`, yFormat: ',.2~f', tipFormat: ',.2f', interactive, height: 180,
    }),
  };
}

// ---- HTML sections ----------------------------------------------------------------------------

function sloRows(summary: RunSummary): string {
  const cur = summary.cost?.currency || 'USD';
  return (summary.slo ?? []).map((s) => {
    const margin = s.threshold !== 0 ? s.value / s.threshold - 1 : NaN;
    const marginText = Number.isFinite(margin)
      ? `${margin >= 0 ? '+' : '−'}${fmtPct(Math.abs(margin), 1)} ${margin >= 0 ? 'above' : 'below'} target`
      : '';
    return `<tr><td>${badge(s.pass)}</td><td>${esc(s.name)}</td><td>${esc(sloSentence(s, cur))}</td>
<td class="num"><b>${esc(fmtSloValue(s.metric, s.value, cur))}</b></td><td class="num muted">${esc(marginText)}</td></tr>`;
  }).join('\n');
}

export function badge(pass: boolean): string {
  return pass ? '<span class="badge pass">✓ PASS</span>' : '<span class="badge fail">✗ FAIL</span>';
}

export function verdictSection(summary: RunSummary): string {
  const slos = summary.slo ?? [];
  if (!slos.length) {
    return `<section class="verdict" aria-label="Verdict"><div class="verdict-head">No SLOs stated</div>
<p class="muted">The scenario states no expectations; the figures below describe the run.</p></section>`;
  }
  const failed = slos.filter((s) => !s.pass).length;
  const head = failed
    ? `${badge(false)} ${failed} of ${slos.length} SLO${slos.length > 1 ? 's' : ''} missed`
    : `${badge(true)} All ${slos.length} SLO${slos.length > 1 ? 's' : ''} met`;
  return `<section class="verdict ${failed ? 'fail' : 'pass'}" aria-label="Verdict">
<div class="verdict-head">${head}</div>
<table class="slo"><thead><tr><th>Result</th><th>SLO</th><th>Target</th><th class="num">Actual</th><th class="num">Margin</th></tr></thead>
<tbody>${sloRows(summary)}</tbody></table></section>`;
}

function card(k: string, v: string, s = '', extra = ''): string {
  return `<div class="card"><div class="k">${k}</div><div class="v">${v}</div>${s ? `<div class="s">${s}</div>` : ''}${extra}</div>`;
}

export function keyFigures(v: RunView): string {
  const s = v.summary;
  const cur = s.cost?.currency || 'USD';
  const t = s.totals;
  const errs = errorTotal(t.errors);
  const peaks = Object.entries(s.peakInstances ?? {});
  const peakList = peaks.length
    ? `<ul>${peaks.map(([p, n]) => `<li><span>${esc(p)}</span><b>${fmtInt(n)}</b></li>`).join('')}</ul>`
    : '';
  const peakTotal = peaks.reduce((a, [, n]) => a + n, 0);
  const worst = s.worstInterval
    ? card('Worst interval', esc(fmtLatency(s.worstInterval.p99)), `p99 in the interval ending ${esc(fmtTime(v.ax, s.worstInterval.time, true, s.scenario.duration))}`)
    : '';
  return `<section class="figures" aria-label="Key figures">
${card('Total cost', esc(fmtMoney(s.cost.total, cur)), `${esc(fmtNum(s.cost.instanceHours, 1))} instance-hours over ${esc(fmtDuration(s.scenario.duration))}`)}
${peaks.length === 1
    ? card('Peak instances', esc(fmtInt(peakTotal)), `pool ${esc(peaks[0]![0])}`)
    : card('Peak instances', peaks.length ? esc(fmtInt(peakTotal)) : '–', peaks.length ? 'sum of each pool’s peak:' : 'no pools', peakList)}
${card('Latency p99', esc(fmtLatency(s.latency.p99)), `p95 ${esc(fmtLatency(s.latency.p95))} · p50 ${esc(fmtLatency(s.latency.p50))} · max ${esc(fmtLatency(s.latency.max))}`)}
${card('Error rate', esc(fmtPct(t.errorRate, 3)), `${esc(fmtInt(errs))} of ${esc(fmtInt(t.completions + errs))} requests failed`)}
${card('Throughput', esc(fmtRate(t.throughput)), `offered ${esc(fmtRate(t.offeredRate))} · ${esc(fmtInt(t.completions))} completed`)}
${worst}
</section>`;
}

/** The spread across replications, when the run was replicated: how far one seed's answer can be trusted. */
export function replicationSection(s: RunSummary): string {
  const r = s.replications;
  if (!r) return '';
  const cur = s.cost?.currency || 'USD';
  const fmt = (m: string, x: number) => esc(fmtSloValue(m, x, cur));
  const rows = r.stats.map((x) => `<tr><td>${esc(x.metric)}</td><td class="num">${fmt(x.metric, x.mean)}</td><td class="num">${fmt(x.metric, x.low)} – ${fmt(x.metric, x.high)}</td><td class="num">${fmt(x.metric, x.min)}</td><td class="num">${fmt(x.metric, x.max)}</td></tr>`).join('');
  const slo = r.slo.map((k) => `<li>${esc(k.name)}: met in <b>${k.passed} of ${k.of}</b> replications</li>`).join('');
  return `<section aria-label="Replications"><h2 id="replications">Across ${r.n} replications</h2>
<p class="muted">Seeds ${r.seeds[0]}–${r.seeds[r.seeds.length - 1]}. Charts and figures elsewhere on this page are the first replication's; here is how much they move from seed to seed (mean with its 95% confidence interval).</p>
<div class="wide"><table class="replications"><thead><tr><th>Figure</th><th class="num">Mean</th><th class="num">95% CI</th><th class="num">Min</th><th class="num">Max</th></tr></thead><tbody>${rows}</tbody></table></div>
${slo ? `<ul>${slo}</ul>` : ''}</section>`;
}

/** Gatling's per-request table: each request class of the mix, end to end. */
export function classTable(s: RunSummary): string {
  if (!s.classes) return '';
  const rows = Object.entries(s.classes).map(([name, c]) => `<tr><td>${esc(name)}</td><td class="num">${fmtInt(c.arrivals)}</td><td class="num">${fmtInt(c.completions)}</td><td class="num">${esc(fmtPct(c.errorRate, 3))}</td><td class="num">${esc(fmtLatency(c.latency.p50))}</td><td class="num">${esc(fmtLatency(c.latency.p95))}</td><td class="num">${esc(fmtLatency(c.latency.p99))}</td><td class="num">${esc(fmtLatency(c.latency.max))}</td></tr>`).join('');
  return `<h3>Request classes</h3><div class="wide"><table class="classes"><thead><tr><th>Class</th><th class="num">Arrivals</th><th class="num">Completed</th><th class="num">Error rate</th><th class="num">p50</th><th class="num">p95</th><th class="num">p99</th><th class="num">Max</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

export function scalingTable(v: RunView, limit = 300): string {
  const ev = v.summary.scaling ?? [];
  if (!ev.length) return '<p class="muted">No scaling actions during the run.</p>';
  const rows = ev.slice(0, limit).map((e) => {
    const d = e.to - e.from;
    return `<tr><td class="num">${esc(fmtTime(v.ax, e.time, false, v.summary.scenario.duration))}</td><td>${esc(e.pool)}</td>
<td class="num">${esc(e.from)} → <b>${esc(e.to)}</b> <span class="muted">(${d >= 0 ? '▲ +' : '▼ −'}${Math.abs(d)})</span></td>
<td>${esc(e.rule)}</td><td>${e.reasons.length ? `<ul class="reasons">${e.reasons.map((r) => `<li>${esc(r)}</li>`).join('')}</ul>` : ''}</td></tr>`;
  });
  const more = ev.length > limit ? `<p class="muted">… and ${ev.length - limit} more (all are in summary.json).</p>` : '';
  return `<div class="wide"><table class="scaling"><thead><tr><th class="num">${esc(v.ax.mode === 'wall' ? `Time${v.ax.zone ? ` (${v.ax.zone})` : ''}` : v.ax.mode === 's' ? 't' : 'Elapsed')}</th><th>Pool</th><th class="num">Instances</th><th>Rule</th><th>Reasons</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table></div>${more}`;
}

export function componentTable(v: RunView): string {
  const s = v.summary;
  const cur = s.cost?.currency || 'USD';
  const errCell = (e: ErrorCounts) => {
    const total = errorTotal(e);
    if (!total) return '<td class="num muted">0</td>';
    const parts = ERROR_CAUSES.filter((c) => e[c]).map((c) => `${esc(CAUSE_LABELS[c].replace(/ \(\d+\)$/, ''))}&nbsp;${fmtInt(e[c])}`);
    return `<td class="num">${fmtInt(total)}<div class="sub">${parts.join('<br>')}</div></td>`;
  };
  const dash = '<td class="num muted">–</td>';
  const name = (n: string, kind: string) => `<td>${esc(n)}<div class="sub">${esc(kind)}</div></td>`;
  const rows: string[] = [];
  rows.push(`<tr>${name('whole system', 'end to end')}<td class="num">${fmtInt(s.totals.arrivals)}</td><td class="num">${fmtInt(s.totals.completions)}</td>${errCell(s.totals.errors)}
<td class="num">${esc(fmtLatency(s.latency.p50))}</td><td class="num">${esc(fmtLatency(s.latency.p95))}</td><td class="num">${esc(fmtLatency(s.latency.p99))}</td>
${dash}<td class="num">${esc(fmtNum(s.cost.instanceHours, 1))} h</td><td class="num">${esc(fmtMoney(s.cost.total, cur))}</td></tr>`);
  for (const n of v.names) {
    const c = s.components?.[n];
    if (!c) continue;
    if (c.kind === 'pool') {
      const p = c as PoolSummary;
      rows.push(`<tr>${name(n, 'pool')}<td class="num">${fmtInt(p.arrivals)}</td><td class="num">${fmtInt(p.completions)}</td>${errCell(p.errors)}
<td class="num">${esc(fmtLatency(p.latency.p50))}</td><td class="num">${esc(fmtLatency(p.latency.p95))}</td><td class="num">${esc(fmtLatency(p.latency.p99))}</td>
<td class="num">${esc(fmtPct(p.utilisation, 1))}</td><td class="num">${fmtInt(p.instances.min)}–${fmtInt(p.instances.max)}<div class="sub">mean ${esc(fmtNum(p.instances.mean, 1))} · ${esc(fmtNum(p.instanceHours, 1))} h</div></td>
<td class="num">${esc(fmtMoney(p.cost, cur))}<div class="sub">${esc(fmtMoney(p.pricePerHour, cur))}/h each</div></td></tr>`);
    } else if (c.kind === 'database') {
      rows.push(`<tr>${name(n, 'database')}<td class="num">${fmtInt(c.arrivals)}</td><td class="num">${fmtInt(c.completions)}<div class="sub">queries</div></td>${errCell(c.errors)}
${dash}${dash}${dash}${dash}<td class="num">${fmtInt(c.sessions.primary.peak)}/${fmtInt(c.sessions.primary.maxConnections)}<div class="sub">sessions at the primary</div></td>${dash}</tr>`);
    } else {
      rows.push(`<tr>${name(n, 'load balancer')}<td class="num">${fmtInt(c.arrivals)}</td><td class="num">${fmtInt(c.forwarded)}<div class="sub">forwarded${c.retries ? ` · ${fmtInt(c.retries)} retries` : ''}</div></td>${errCell(c.errors)}
${dash}${dash}${dash}${dash}${dash}${dash}</tr>`);
    }
  }
  return `<div class="wide"><table class="components"><thead>
<tr><th>Component</th><th class="num">Arrivals</th><th class="num">Completed</th><th class="num">Errors</th><th class="num">p50</th><th class="num">p95</th><th class="num">p99</th><th class="num">Utilisation</th><th class="num">Instances</th><th class="num">Cost</th></tr>
</thead><tbody>${rows.join('\n')}</tbody></table></div>
<p class="muted small">Latency columns are the time spent at each component (queue + service); the whole-system row is end to end. Instances: min–max during the run.</p>`;
}

export function scenarioYaml(source: unknown): string {
  if (source === undefined || source === null) return '(the run did not record its scenario)';
  try {
    return YAML.stringify(source, { lineWidth: 0 });
  } catch (e) {
    return `(scenario could not be shown as YAML: ${(e as Error).message})`;
  }
}

export function headerMeta(s: RunSummary, ax: TimeAxis): string {
  const bits = [
    `${fmtDuration(s.scenario.duration)} simulated${ax.mode === 'wall' ? ` from ${fmtTime(ax, 0)}` : ''}`,
    `seed ${s.scenario.seed}`,
    `sampled every ${fmtDuration(s.scenario.sampleInterval)}`,
    s.scenario.warmup > 0 ? `first ${fmtDuration(s.scenario.warmup)} excluded as warm-up` : '',
    s.scenario.file ? `scenario ${s.scenario.file}` : '',
  ].filter(Boolean);
  return bits.map(esc).join(' · ');
}

export async function renderHtml(summary: RunSummary, rows: SeriesRow[]): Promise<string> {
  const v = runView(summary, rows);
  const defs: Array<[section: string, ChartDef | null]> = [];
  defs.push(['traffic', v.all.length ? loadChart(v) : null]);
  defs.push(['traffic', v.all.length ? latencyChart(v) : null]);
  defs.push(['traffic', v.all.length ? errorsChart(v) : null]);
  defs.push(['traffic', distributionDef(v)]);
  v.pools.forEach((p, i) => defs.push(['capacity', instancesChart(v, p, i)]));
  defs.push(['capacity', perComponentChart(v, {
    id: 'utilisation', title: 'Utilisation per pool', what: 'utilisation', names: v.pools.length ? v.pools : v.names,
    caption: 'Busy workers as a share of the workers of ready instances.', get: (r) => r.utilisation, how: 'mean', scale: 100,
    yTitle: 'utilisation (%)', format: 'd', tip: '.1f', domain: [0, 100],
  })]);
  defs.push(['capacity', perComponentChart(v, {
    id: 'queue', title: 'Queue length per component', what: 'queue length', names: v.names,
    caption: 'Time-weighted mean backlog (requests waiting) in each sample interval.', get: (r) => r.queue_mean, how: 'max', scale: 1,
    yTitle: 'queue (requests)', format: ',.3~r', tip: ',.2f',
  })]);
  defs.push(['cost', costChart(v)]);
  const present = defs.filter((d): d is [string, ChartDef] => d[1] !== null);
  const rendered = await Promise.all(present.map(([, d]) => renderChart(d)));
  const figs = (section: string) => present.map(([s], i) => (s === section ? rendered[i]!.figure : '')).join('\n');

  const s = summary;
  const noErrors = v.all.length && !present.some(([, d]) => d.id === 'errors') ? '<p class="muted">No request failed.</p>' : '';
  const body = `<header>
<p class="eyebrow">headroom capacity report</p>
<h1>${esc(s.scenario.name || 'Unnamed scenario')}</h1>
${s.scenario.description ? `<p class="desc">${esc(s.scenario.description)}</p>` : ''}
<p class="meta">${headerMeta(s, v.ax)}</p>
</header>
${verdictSection(s)}
${keyFigures(v)}
${replicationSection(s)}
<nav class="toc" aria-label="Contents"><a href="#traffic">Traffic &amp; latency</a><a href="#capacity">Capacity</a><a href="#cost">Cost</a><a href="#scaling">Scaling actions</a><a href="#components">Components</a><a href="#scenario">Scenario</a></nav>
<h2 id="traffic">Traffic &amp; latency</h2>
${figs('traffic')}
${noErrors}
<h2 id="capacity">Capacity</h2>
${figs('capacity')}
<h2 id="cost">Cost</h2>
${figs('cost') || '<p class="muted">No cost recorded.</p>'}
<h2 id="scaling">Scaling actions</h2>
${scalingTable(v)}
<h2 id="components">Components</h2>
${classTable(s)}
${componentTable(v)}
<details id="scenario"><summary>Scenario as run</summary><pre>${esc(scenarioYaml(s.scenarioSource))}</pre></details>
<footer>Generated by headroom ${esc(s.headroom)} from summary.json and timeseries.csv; re-render with <code>headroom report DIR</code>. Times are ${esc(v.ax.mode === 'wall' ? `wall-clock${v.ax.zone ? ` (${v.ax.zone})` : ''}` : 'elapsed since the start of the run')}.</footer>`;
  return page({ title: `${s.scenario.name || 'headroom run'} — headroom report`, body, charts: rendered, generator: `headroom ${s.headroom}` });
}
