// The bottleneck as the terminal and the report say it, from summary.json (`bottleneck`) and the
// _all rows' bottleneck_util / bottleneck_queue columns alone: which component had the highest
// utilisation and which the longest queue, interval by interval (src/model/bottleneck.ts's rule).
import type { BottleneckSummary } from '../stats/bottleneck.ts';
import type { RunSummary } from '../stats/results.ts';
import { OKABE_ITO, SERIES_COLOURS, timeCalc, timeTooltip, whenCalc, xEnc, xField, CHART_WIDTH, baseConfig } from './charts.ts';
import { bucketSize, buckets } from './downsample.ts';
import { esc, fmtDuration, fmtNum, fmtPct, fmtTime } from './format.ts';
import type { ChartDef } from './page.ts';
import type { RunView } from './run-view.ts';

type Obj = Record<string, unknown>;
/** Cells per strip at most: two strips stay within a chart's point budget. */
const STRIP_CELLS = 500;
const pct = (x: number) => `${fmtNum(100 * x, 1)} %`;
const queue = (x: number) => (x < 1 ? String(Number(x.toPrecision(2))) : fmtNum(x, x < 10 ? 1 : 0));

/** Components named in any interval, most often first (ties: file order). */
function ranked(b: BottleneckSummary, key: 'busiest' | 'longestQueue'): string[] {
  return Object.keys(b.components).filter((n) => b.components[n]![key] > 0).sort((x, y) => b.components[y]![key] - b.components[x]![key]);
}

/**
 * One line: "api: highest utilisation in 41 of 60 intervals (97.0 % then, peak 100 % at 20:15); also
 * web (19); longest queue db in 38 of 60 (peak 212 waiting at 20:14)". Null when nothing was busy.
 */
export function bottleneckLine(s: RunSummary, when: (t: number) => string): string | null {
  const b = s.bottleneck;
  if (!b || (b.busiest === null && b.longestQueue === null)) return null;
  const parts: string[] = [];
  const others = (names: string[], key: 'busiest' | 'longestQueue') =>
    names.length > 1 ? `; also ${names.slice(1, 4).map((n) => `${n} (${b.components[n]![key]})`).join(', ')}${names.length > 4 ? ', …' : ''}` : '';
  if (b.busiest !== null) {
    const c = b.components[b.busiest]!;
    const peak = c.peakUtilisation !== null && c.peakUtilisationAt !== null ? `, peak ${pct(c.peakUtilisation)} at ${when(c.peakUtilisationAt)}` : '';
    parts.push(`${b.busiest}: highest utilisation in ${c.busiest} of ${b.intervals} intervals (${pct(c.busiestUtilisation!)} on average then${peak})${others(ranked(b, 'busiest'), 'busiest')}`);
  }
  if (b.longestQueue !== null) {
    const c = b.components[b.longestQueue]!;
    parts.push(`longest queue ${b.longestQueue} in ${c.longestQueue} of ${b.intervals} (peak ${queue(c.peakQueue)} waiting at ${when(c.peakQueueAt!)})${others(ranked(b, 'longestQueue'), 'longestQueue')}`);
  }
  return parts.join('; ');
}

/** The report's section: the line, a table per component, and the strip chart of who was named when. */
export function bottleneckSection(v: RunView): string {
  const s = v.summary, b = s.bottleneck;
  const when = (t: number) => fmtTime(v.ax, t, false, s.scenario.duration);
  const line = bottleneckLine(s, when);
  if (!b || line === null) return '<p class="muted">No component was busy during the run.</p>';
  const rows = Object.entries(b.components).map(([n, c]) => `<tr><td>${esc(n)}</td>
<td class="num">${c.busiest ? `${c.busiest} of ${b.intervals}` : '–'}${c.busiestUtilisation !== null ? `<div class="sub">${esc(fmtPct(c.busiestUtilisation, 1))} on average then</div>` : ''}</td>
<td class="num">${c.peakUtilisation !== null ? `${esc(fmtPct(c.peakUtilisation, 1))}<div class="sub">${esc(when(c.peakUtilisationAt!))}</div>` : '–'}</td>
<td class="num">${c.longestQueue ? `${c.longestQueue} of ${b.intervals}` : '–'}</td>
<td class="num">${c.peakQueueAt !== null ? `${esc(queue(c.peakQueue))}<div class="sub">${esc(when(c.peakQueueAt))}</div>` : '–'}</td></tr>`).join('\n');
  return `<p class="bottleneck">${esc(line)}.</p>
<div class="wide"><table class="bottleneck"><thead><tr><th>Component</th><th class="num">Highest utilisation</th><th class="num">Peak utilisation (own work)</th><th class="num">Longest queue</th><th class="num">Peak queue</th></tr></thead>
<tbody>${rows}</tbody></table></div>
<p class="muted small">Per sample interval, the component with the highest utilisation of its own work — its capacity in use, less what only waits on calls: app servers' workers waiting on a database count for the database (ties: the longer queue) — and the one with the longest queue (time-weighted mean waiting; a connection pool's queue is the requests waiting for a connection). A balancer, a CDN edge and a queue have no capacity of their own in the model and are never the busiest.</p>`;
}

/** Two strips over time: who had the highest utilisation, who the longest queue; a bucket shows the one named most often in it. */
export function bottleneckChart(v: RunView, id = 'bottleneck'): ChartDef | null {
  const b = v.summary.bottleneck;
  if (!b || !v.all.some((r) => r.bottleneck_util || r.bottleneck_queue)) return null;
  const names = Object.keys(b.components);
  const cells: Obj[] = [];
  const strips = [['highest utilisation', 'bottleneck_util'], ['longest queue', 'bottleneck_queue']] as const;
  const size = bucketSize(v.all.length, STRIP_CELLS);
  for (const bk of buckets(v.all, size, v.interval)) {
    for (const [label, col] of strips) {
      const count = new Map<string, number>();
      for (const r of bk.rows) if (r[col]) count.set(r[col]!, (count.get(r[col]!) ?? 0) + 1);
      const top = [...count].sort((x, y) => y[1] - x[1] || names.indexOf(x[0]) - names.indexOf(y[0]))[0];
      if (top) cells.push({ t0: bk.t0, t1: bk.t, strip: label, component: top[0], share: top[1] / bk.rows.length });
    }
  }
  const named = names.filter((n) => cells.some((c) => c.component === n)); // colours for those named only
  const colours = named.map((_, i) => SERIES_COLOURS[i % SERIES_COLOURS.length]!);
  return {
    id,
    title: 'Bottleneck per interval',
    caption: `Which component had the highest utilisation, and which the longest queue, in each sample interval; blank: none busy or none waiting.${size > 1 ? ` Each cell covers ${size} intervals (${fmtDuration(size * v.interval)}) and shows the component named most often in them.` : ''}`,
    alt: `Two strips over time naming the busiest component and the one with the longest queue: ${bottleneckLine(v.summary, (t) => fmtTime(v.ax, t)) ?? ''}.`,
    build: (interactive) => ({
      width: CHART_WIDTH,
      height: 56,
      config: baseConfig(),
      data: { values: cells },
      transform: [...timeCalc(v.ax, 't0', 'time0'), ...timeCalc(v.ax, 't1', 'time1'), ...(interactive ? whenCalc(v.ax, 't1') : [])],
      mark: { type: 'rect', clip: true, stroke: OKABE_ITO.grey, strokeOpacity: 0.15, strokeWidth: 0.5 },
      encoding: {
        x: xEnc(v.ax, 't0', 'time0'),
        x2: { field: xField(v.ax, 't1', 'time1') },
        y: { field: 'strip', type: 'nominal', sort: strips.map(([l]) => l), title: null },
        color: { field: 'component', type: 'nominal', title: 'component', scale: { domain: named, range: colours } },
        ...(interactive ? { tooltip: [
          { field: 'strip', type: 'nominal', title: 'named for' },
          { field: 'component', type: 'nominal', title: 'component' },
          timeTooltip(v.ax),
          ...(size > 1 ? [{ field: 'share', type: 'quantitative', title: 'share of the intervals', format: '.0%' }] : []),
        ] } : {}),
      },
    }),
  };
}
