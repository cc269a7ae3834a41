// Vega-Lite spec builders. Each chart is built twice: a lean static variant (rendered to SVG in Node, the
// no-JavaScript / print fallback) and an interactive variant (hover tooltips, zoom/pan on the time axis)
// that the inlined vega-embed runtime renders in the browser.
import type { TimeAxis } from './format.ts';

type Obj = Record<string, unknown>;

/** Okabe–Ito: distinguishable with the common colour-vision deficiencies. */
export const OKABE_ITO = {
  blue: '#0072B2',
  orange: '#E69F00',
  green: '#009E73',
  vermillion: '#D55E00',
  purple: '#CC79A7',
  sky: '#56B4E9',
  yellow: '#F0E442',
  grey: '#999999',
  black: '#000000',
} as const;
export const SERIES_COLOURS = [
  OKABE_ITO.blue, OKABE_ITO.orange, OKABE_ITO.green, OKABE_ITO.vermillion,
  OKABE_ITO.purple, OKABE_ITO.sky, OKABE_ITO.grey, OKABE_ITO.yellow,
];
/** Dash patterns so series stay apart in greyscale print. */
export const SERIES_DASHES: number[][] = [[1, 0], [7, 3], [2, 2], [9, 3, 2, 3], [14, 4], [4, 2, 1, 2], [1, 4], [10, 2, 2, 2, 2, 2]];

export const CHART_WIDTH = 820;
export const CHART_HEIGHT = 210;

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

/** Colours that follow the page: text and axes use currentColor, so CSS decides light or dark. */
export function baseConfig(): Obj {
  const ink = 'currentColor';
  return {
    background: null,
    font: FONT,
    aria: false, // the figure carries the description; per-mark aria labels would bloat the SVG
    padding: { left: 4, right: 12, top: 6, bottom: 4 },
    view: { stroke: null },
    axis: {
      labelColor: ink, titleColor: ink, domainColor: ink, tickColor: ink, gridColor: ink,
      gridOpacity: 0.13, domainOpacity: 0.45, tickOpacity: 0.45,
      labelFontSize: 11, titleFontSize: 11, titleFontWeight: 600, titlePadding: 8,
      labelOverlap: true, labelFlush: true,
    },
    axisX: { tickCount: 8, grid: false },
    axisY: { tickCount: 5, titleAngle: -90 },
    legend: {
      labelColor: ink, titleColor: ink, labelFontSize: 11, titleFontSize: 11, titleFontWeight: 600,
      orient: 'top', direction: 'horizontal', symbolStrokeWidth: 2, symbolSize: 120, columnPadding: 14,
      labelLimit: 220,
    },
    title: { color: ink },
    text: { color: ink },
    line: { strokeWidth: 1.75, strokeCap: 'butt' },
    range: { category: SERIES_COLOURS },
  };
}

export interface Series {
  /** Field name in the wide data rows (synthetic: s0, s1… so scenario names never reach a field path). */
  key: string;
  label: string;
  colour: string;
  dash: number[];
}

export function seriesList(labels: string[], opts: { colours?: string[]; dashes?: number[][]; prefix?: string } = {}): Series[] {
  const colours = opts.colours ?? SERIES_COLOURS;
  const dashes = opts.dashes ?? SERIES_DASHES;
  return labels.map((label, i) => ({
    key: `${opts.prefix ?? 's'}${i}`,
    label,
    colour: colours[i % colours.length]!,
    dash: dashes[i % dashes.length]!,
  }));
}

// ---- time axis ------------------------------------------------------------------------------

/** Transforms that add the x field ("time" epoch ms, or "t" seconds as is). */
export function timeCalc(ax: TimeAxis, field = 't', as = 'time'): Obj[] {
  if (ax.mode === 's') return [];
  return [{ calculate: `datum[${JSON.stringify(field)}] * 1000 + ${ax.baseMs}`, as }];
}

export function xField(ax: TimeAxis, field = 't', as = 'time'): string {
  return ax.mode === 's' ? field : as;
}

export function xEnc(ax: TimeAxis, field = 't', as = 'time', title: string | null = ax.title): Obj {
  if (ax.mode === 's') {
    return { field, type: 'quantitative', title, scale: { nice: false, zero: false }, axis: { format: ',d' } };
  }
  // a utc scale makes vega-lite format the labels with utcFormat (the scenario's wall-clock, not the viewer's zone)
  const axis: Obj = { title, format: ax.format, labelFlush: true };
  if (ax.mode === 'hm' && ax.multiDay) {
    axis.labelExpr = "(datum.value >= 86400000 ? 'day ' + (floor(datum.value / 86400000) + 1) + ' ' : '') + utcFormat(datum.value, '%H:%M')";
  }
  return { field: as, type: 'temporal', scale: { type: 'utc', nice: false }, axis };
}

/** Transforms adding "when": the time as text for tooltips (utcFormat, so the viewer's zone never applies). */
export function whenCalc(ax: TimeAxis, field = 't'): Obj[] {
  if (ax.mode === 's') return [{ calculate: `format(datum[${JSON.stringify(field)}], ',.1f') + ' s'`, as: 'when' }];
  const ms = `(datum[${JSON.stringify(field)}] * 1000 + ${ax.baseMs})`;
  if (ax.mode === 'wall') return [{ calculate: `utcFormat(${ms}, '%Y-%m-%d %H:%M:%S')`, as: 'when' }];
  const day = ax.multiDay ? `'day ' + (floor(${ms} / 86400000) + 1) + ' ' + ` : '';
  return [{ calculate: `${day}utcFormat(${ms}, '%H:%M:%S')`, as: 'when' }];
}

export function timeTooltip(ax: TimeAxis): Obj {
  return { field: 'when', type: 'nominal', title: ax.mode === 'wall' ? ax.title : ax.mode === 's' ? 't' : 'elapsed' };
}

const ZOOM = { name: 'zoom', select: { type: 'interval', encodings: ['x'] }, bind: 'scales' };

// ---- generic time-series chart ----------------------------------------------------------------

export interface TimeChartOpts {
  ax: TimeAxis;
  /** Wide rows: t (s) and one field per series key. */
  data: Obj[];
  series: Series[];
  kind: 'line' | 'area';
  interpolate?: string;
  yTitle: string;
  yFormat?: string;
  /** d3 format for tooltip values. */
  tipFormat?: string;
  yScale?: Obj;
  height?: number;
  extraLayers?: Obj[];
  interactive: boolean;
  legend?: boolean;
  /** Extra fields shown in the hover tooltip after the series values. */
  tipExtra?: Obj[];
  /** Appended to the zoom/hover parameter names: panels concatenated in one chart need their own. */
  paramSuffix?: string;
}

export function timeChart(o: TimeChartOpts): Obj {
  const labels = o.series.map((s) => s.label);
  const lookupValues = o.series.map((s, i) => ({ key: s.key, label: s.label, idx: i }));
  const legend = o.legend === false ? null : { title: null };
  const encoding: Obj = {
    x: xEnc(o.ax),
    y: {
      field: 'value', type: 'quantitative', title: o.yTitle,
      ...(o.kind === 'area' ? { stack: 'zero' } : { stack: null }),
      ...(o.yScale ? { scale: o.yScale } : {}),
      ...(o.yFormat ? { axis: { format: o.yFormat } } : {}),
    },
    color: { field: 'label', type: 'nominal', scale: { domain: labels, range: o.series.map((s) => s.colour) }, legend, sort: labels },
  };
  if (o.kind === 'line') {
    encoding.strokeDash = { field: 'label', type: 'nominal', scale: { domain: labels, range: o.series.map((s) => s.dash) }, legend, sort: labels };
  } else {
    encoding.order = { field: 'idx', type: 'quantitative' };
  }
  const markLayer: Obj = {
    transform: [
      ...timeCalc(o.ax),
      { fold: o.series.map((s) => s.key), as: ['key', 'value'] },
      { lookup: 'key', from: { data: { values: lookupValues }, key: 'key', fields: ['label', 'idx'] } },
    ],
    mark: o.kind === 'line'
      ? { type: 'line', interpolate: o.interpolate ?? 'linear', clip: true }
      : { type: 'area', interpolate: o.interpolate ?? 'linear', clip: true, stroke: '#ffffff', strokeWidth: 0.4, strokeOpacity: 0.8, fillOpacity: 0.9 },
    encoding,
    ...(o.interactive ? { params: [{ ...ZOOM, name: `zoom${o.paramSuffix ?? ''}` }] } : {}),
  };
  const hover = `hover${o.paramSuffix ?? ''}`;
  const layers: Obj[] = [markLayer, ...(o.extraLayers ?? [])];
  if (o.interactive) {
    layers.push({
      transform: [...timeCalc(o.ax), ...whenCalc(o.ax)],
      mark: { type: 'rule', color: 'currentColor', strokeWidth: 1 },
      encoding: {
        x: xEnc(o.ax),
        opacity: { condition: { param: hover, value: 0.45, empty: false }, value: 0 },
        tooltip: [
          timeTooltip(o.ax),
          ...o.series.map((s) => ({ field: s.key, type: 'quantitative', title: s.label, format: o.tipFormat ?? ',.4~r' })),
          ...(o.tipExtra ?? []),
        ],
      },
      params: [{ name: hover, select: { type: 'point', fields: ['t'], nearest: true, on: 'pointerover', clear: 'pointerout' } }],
    });
  }
  return {
    width: CHART_WIDTH,
    height: o.height ?? CHART_HEIGHT,
    config: baseConfig(),
    data: { values: o.data },
    layer: layers,
  };
}

/** A horizontal threshold line with a label at its right end (SLO lines). */
export function thresholdLayers(lines: Array<{ y: number; label: string }>, colour = 'currentColor'): Obj[] {
  if (!lines.length) return [];
  return [
    {
      data: { values: lines },
      mark: { type: 'rule', color: colour, strokeDash: [4, 4], strokeWidth: 1.25, opacity: 0.85 },
      encoding: { y: { field: 'y', type: 'quantitative' } },
    },
    {
      data: { values: lines },
      mark: { type: 'text', align: 'right', baseline: 'bottom', dy: -3, fontSize: 11, fontWeight: 600, color: colour },
      encoding: { y: { field: 'y', type: 'quantitative' }, x: { value: CHART_WIDTH - 4 }, text: { field: 'label' } },
    },
  ];
}

// ---- heatmap ---------------------------------------------------------------------------------

export interface HeatmapOpts {
  ax: TimeAxis;
  /** Cells: t0, t1 (s), c (row index), v. */
  cells: Obj[];
  rows: string[];
  valueTitle: string;
  valueFormat: string;
  scale?: Obj;
  interactive: boolean;
}

export function heatmap(o: HeatmapOpts): Obj {
  const rowLookup = o.rows.map((label, c) => ({ c, label }));
  const rowHeight = Math.max(12, Math.min(24, Math.floor(360 / Math.max(1, o.rows.length))));
  return {
    width: CHART_WIDTH,
    height: rowHeight * o.rows.length,
    config: baseConfig(),
    data: { values: o.cells },
    transform: [
      ...timeCalc(o.ax, 't0', 'time0'),
      ...timeCalc(o.ax, 't1', 'time1'),
      ...(o.interactive ? whenCalc(o.ax, 't1') : []),
      { lookup: 'c', from: { data: { values: rowLookup }, key: 'c', fields: ['label'] } },
    ],
    mark: { type: 'rect', clip: true },
    encoding: {
      x: xEnc(o.ax, 't0', 'time0'),
      x2: { field: xField(o.ax, 't1', 'time1') },
      y: { field: 'label', type: 'nominal', sort: o.rows, title: null, axis: { labelLimit: 160 } },
      color: {
        field: 'v', type: 'quantitative', title: o.valueTitle,
        scale: { scheme: 'viridis', ...(o.scale ?? {}) },
        legend: { orient: 'right', direction: 'vertical', format: o.valueFormat, gradientLength: Math.max(60, rowHeight * o.rows.length - 20) },
      },
      ...(o.interactive
        ? { tooltip: [{ field: 'label', type: 'nominal', title: 'component' }, timeTooltip(o.ax), { field: 'v', type: 'quantitative', title: o.valueTitle, format: o.valueFormat }] }
        : {}),
    },
    ...(o.interactive ? { params: [ZOOM] } : {}),
  };
}

// ---- latency distribution (HdrHistogram percentile plot) --------------------------------------

export interface DistSeries {
  label: string;
  colour: string;
  dash: number[];
  /** [latency in display unit, percentile 0..100) */
  points: Array<[number, number]>;
}

/** x = 1/(1-p): the HdrHistogram "percentile distribution" plot, labelled 0%, 90%, 99%, 99.9%… */
export function distributionChart(o: {
  series: DistSeries[];
  yTitle: string;
  tipFormat: string;
  thresholds: Array<{ y: number; label: string }>;
  interactive: boolean;
}): Obj {
  const values: Obj[] = [];
  let maxX = 10;
  o.series.forEach((s, si) => {
    for (const [lat, p] of s.points) {
      if (!(p < 100)) continue;
      const x = 1 / (1 - p / 100);
      if (!Number.isFinite(x)) continue;
      maxX = Math.max(maxX, x);
      values.push({ x: Number(x.toPrecision(6)), p, lat, s: si });
    }
  });
  const decades = Math.max(1, Math.ceil(Math.log10(maxX) - 1e-9));
  const ticks = Array.from({ length: decades + 1 }, (_, i) => 10 ** i);
  const tickLabel = (v: number) => (v === 1 ? '0%' : `${Number((100 - 100 / v).toFixed(6))}%`);
  const labelExpr = ticks.reduceRight((acc, v) => `datum.value == ${v} ? '${tickLabel(v)}' : ${acc}`, "''");
  const labels = o.series.map((s) => s.label);
  const lookup = o.series.map((s, i) => ({ s: i, label: s.label }));
  const multi = o.series.length > 1;
  const layer: Obj = {
    transform: [{ lookup: 's', from: { data: { values: lookup }, key: 's', fields: ['label'] } }],
    mark: { type: 'line', interpolate: 'linear', clip: true, point: o.interactive ? { size: 18, filled: true } : false },
    encoding: {
      x: {
        field: 'x', type: 'quantitative', title: 'percentile',
        scale: { type: 'log', domain: [1, ticks[ticks.length - 1]], nice: false },
        axis: { values: ticks, labelExpr, grid: true },
      },
      y: { field: 'lat', type: 'quantitative', title: o.yTitle },
      color: { field: 'label', type: 'nominal', scale: { domain: labels, range: o.series.map((s) => s.colour) }, legend: multi ? { title: null } : null },
      strokeDash: { field: 'label', type: 'nominal', scale: { domain: labels, range: o.series.map((s) => s.dash) }, legend: multi ? { title: null } : null },
      ...(o.interactive
        ? { tooltip: [
            ...(multi ? [{ field: 'label', type: 'nominal', title: 'run' }] : []),
            { field: 'p', type: 'quantitative', title: 'percentile', format: '.4~f' },
            { field: 'lat', type: 'quantitative', title: o.yTitle, format: o.tipFormat },
          ] }
        : {}),
    },
  };
  return {
    width: CHART_WIDTH,
    height: 240,
    config: baseConfig(),
    data: { values },
    layer: [layer, ...thresholdLayers(o.thresholds)],
  };
}
