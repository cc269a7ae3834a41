// The run report's charts: each a ChartDef (a static SVG and a live, interactive view of one spec).
import { ERROR_CAUSES, causeColumn, type ErrorCause, type SeriesRow } from '../stats/results.ts';
import {
  distributionChart, heatmap, OKABE_ITO, seriesList, thresholdLayers, timeCalc, whenCalc, timeChart, timeTooltip, xEnc, type Series,
} from './charts.ts';
import { agg, bucketSize, buckets, type Agg } from './downsample.ts';
import { fmtDuration, fmtInt, fmtLatency, fmtMoney, fmtRate, sig } from './format.ts';
import type { ChartDef } from './page.ts';
import { bucketNote, wideSeries, type RunView } from './run-view.ts';
import { disruptionMarks, markLayers, versionSeries } from './disruptions.ts';

type Obj = Record<string, unknown>;

export const CAUSE_LABELS: Record<ErrorCause, string> = {
  rateLimited: 'rate limited (503)',
  backlogFull: 'backlog full (503)',
  timeout: 'timeout (504)',
  noUpstream: 'no upstream (502)',
  killed: 'killed in flight (502)',
  refused: 'refused, process down (502)',
  serverError: 'server error (5xx)',
  queueFull: 'queue full (503)',
  connectionTimeout: 'connection timeout (503)',
  callTimeout: 'call timeout (504)',
  downstream: 'downstream failure (502)',
};
const CAUSE_COLUMN = Object.fromEntries(ERROR_CAUSES.map((c) => [c, causeColumn(c)])) as Record<ErrorCause, keyof SeriesRow>;
const CAUSE_COLOURS: Record<ErrorCause, string> = {
  // light / dark / mid / mid-light: apart in hue for colour-blind readers and in lightness in greyscale
  rateLimited: OKABE_ITO.sky,
  backlogFull: OKABE_ITO.blue,
  timeout: OKABE_ITO.vermillion,
  noUpstream: OKABE_ITO.orange,
  killed: OKABE_ITO.purple,
  refused: OKABE_ITO.grey,
  serverError: OKABE_ITO.yellow,
  queueFull: OKABE_ITO.green,
  connectionTimeout: OKABE_ITO.black,
  // Okabe–Ito has no hue left: these two are darker kin of the cause they resemble (timeout, noUpstream).
  callTimeout: '#8F3E00',
  downstream: '#8A5A00',
};

/** More components than this and per-component charts become heatmaps. */
export const HEATMAP_THRESHOLD = 6;
const HEATMAP_COLUMNS = 200;
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
      extraLayers: [...thresholdLayers(slos), ...markLayers(v.ax, disruptionMarks(v.summary), interactive)],
    }),
  };
}

export function errorsChart(
  v: RunView, id = 'errors',
  from: { rows: SeriesRow[]; title: string; caption: string } = { rows: v.all, title: 'Errors by cause', caption: 'Failed requests per second, stacked by cause.' },
): ChartDef | null {
  const causes = ERROR_CAUSES.filter((c) => from.rows.some((r) => (r[CAUSE_COLUMN[c]] as number) > 0));
  if (!causes.length) return null;
  const series: Series[] = causes.map((c, i) => ({ key: `s${i}`, label: CAUSE_LABELS[c], colour: CAUSE_COLOURS[c], dash: [1, 0] }));
  const data = wideSeries(v, causes.map((c, i) => ({
    key: `s${i}`, rows: from.rows, get: (r: SeriesRow) => (r[CAUSE_COLUMN[c]] as number) / v.interval, how: 'max' as Agg,
  })));
  const total = (c: ErrorCause) => from.rows.reduce((a, r) => a + (r[CAUSE_COLUMN[c]] as number), 0);
  return {
    id,
    title: from.title,
    caption: `${from.caption}${bucketNote(v, 'each shows the worst interval')}`,
    alt: `Stacked area chart over time of ${from.title.toLowerCase()} per second by cause: ${causes.map((c) => `${CAUSE_LABELS[c]} ${fmtInt(total(c))} in total`).join(', ')}.`,
    build: (interactive) => timeChart({
      ax: v.ax, data, series, kind: 'area', yTitle: 'per second', tipFormat: ',.2~f', interactive, height: 170,
      extraLayers: markLayers(v.ax, disruptionMarks(v.summary), interactive),
    }),
  };
}

export function instancesChart(v: RunView, pool: string, index: number): ChartDef {
  const rows = v.comps.get(pool) ?? [];
  // a pool that had releases: each version's ready instances too
  const versions = versionSeries(v.comps, pool);
  const series = seriesList(['ready', 'desired', ...versions.map(([name]) => `ready ${name}`)], {
    colours: [OKABE_ITO.blue, OKABE_ITO.orange, OKABE_ITO.green, OKABE_ITO.purple, OKABE_ITO.sky, OKABE_ITO.grey],
    dashes: [[1, 0], [6, 3], ...versions.map(() => [2, 2])],
  });
  const data = wideSeries(v, [
    { key: 's0', rows, get: (r) => r.instances_ready, how: 'max' },
    { key: 's1', rows, get: (r) => r.instances_desired, how: 'max' },
    ...versions.map(([, vr], i) => ({ key: `s${i + 2}`, rows: vr, get: (r: SeriesRow) => r.instances_ready, how: 'max' as Agg })),
  ]);
  const marks = disruptionMarks(v.summary);
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
    caption: `Desired (what the autoscaler asked for) vs ready (serving) instances${versions.length ? ', and ready instances per version' : ''}; triangles mark scaling actions${events.length ? ` (${events.length})` : ''}${marks.length ? ', dotted rules faults, releases and rollbacks' : ''}.${bucketNote(v, 'each shows the maximum')}`,
    alt: `Step chart over time of desired and ready instances of pool ${pool}${peak !== undefined ? `, peaking at ${peak}` : ''}, with ${events.length} scaling actions marked.`,
    build: (interactive) => timeChart({
      ax: v.ax, data, series, kind: 'line', interpolate: 'step-before', yTitle: 'instances', yFormat: 'd', tipFormat: 'd',
      interactive, height: 160, extraLayers: [...eventLayer(interactive), ...markLayers(v.ax, marks, interactive)], yScale: { zero: true },
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

