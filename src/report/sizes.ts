// What a report shows of a resized pool (a release with a new size: src/scenario/resize.ts): each
// size it ran, side by side — what one instance of it is, what it answered and how fast at the
// pool, and what its instances cost at their own price for the time they existed. The capacity
// dip of the resize is on the instances chart (ready per version) and in the recovery table. A pool
// under a VerticalPodAutoscaler: its pods' request against the recommendation.
import type { PoolSummary, RunSummary, SeriesRow, VersionSummary } from '../stats/results.ts';
import { OKABE_ITO, seriesList, timeChart } from './charts.ts';
import type { ChartDef } from './page.ts';
import { bucketNote, wideSeries, type RunView } from './run-view.ts';
import { esc, fmtInt, fmtLatency, fmtMoney, fmtNum } from './format.ts';

type Size = NonNullable<VersionSummary['size']>;

/** "m6i.xlarge: 4 workers, 4 vCPU, 16 GiB" or "2 workers, cpu 1500m (limit 1500m), 512 MiB". */
export function describeSize(z: Size): string {
  const workers = `${z.workers} worker${z.workers === 1 ? '' : 's'}`;
  const mem = z.memoryRequest >= 2 ** 30 ? `${fmtNum(z.memoryRequest / 2 ** 30, 1)} GiB` : `${Math.round(z.memoryRequest / 2 ** 20)} MiB`;
  if (z.instanceType !== undefined) return `${z.instanceType}: ${workers}, ${fmtNum(z.cpuRequest / 1000, 2)} vCPU, ${mem}`;
  return `${workers}, cpu ${z.cpuRequest}m${z.cpuLimit !== z.cpuRequest ? ` (limit ${z.cpuLimit}m)` : ''}, ${mem}`;
}

/** A price per hour to the tenth of a cent ("$0.096"): instance prices differ below the cent. */
function fmtPrice(n: number, currency: string): string {
  try {
    return n.toLocaleString('en-US', { style: 'currency', currency, maximumFractionDigits: 4 });
  } catch {
    return `${n} ${currency}`;
  }
}

/** Pools whose versions carry a size: their names and versions. */
function resized(s: RunSummary): Array<[string, Array<[string, VersionSummary]>]> {
  return Object.entries(s.components)
    .filter(([, c]) => c.kind === 'pool' && Object.values((c as PoolSummary).versions ?? {}).some((v) => v.size !== undefined))
    .map(([name, c]) => [name, Object.entries((c as PoolSummary).versions!)]);
}

/** The HTML table: one row per size of each resized pool. */
export function sizesTable(s: RunSummary): string {
  const pools = resized(s);
  if (pools.length === 0) return '';
  const cur = s.cost.currency;
  const rows = pools.flatMap(([pool, versions]) => versions.map(([v, x]) => `<tr><td>${esc(pool)}@${esc(v)}</td><td>${esc(describeSize(x.size!))}</td>
<td class="num">${esc(fmtPrice(x.size!.pricePerHour, cur))}/h</td><td class="num">${esc(fmtInt(x.completions))}</td><td class="num">${esc(fmtLatency(x.latency.p50))}</td><td class="num">${esc(fmtLatency(x.latency.p99))}</td>
<td class="num">${esc(fmtNum(x.instanceHours ?? 0, 2))} h</td><td class="num">${esc(fmtMoney(x.cost ?? 0, cur))}</td><td class="num">${esc(fmtInt(x.instancesFinal))}</td></tr>`));
  return `<h3>Sizes</h3><p>Each size a resized pool ran: latency at the pool (queue and service) of the requests its instances took after the warm-up, and its instances' cost at their own price for the time they existed (provisioning to gone).</p>
<div class="wide"><table class="sizes"><thead><tr><th>Version</th><th>Instance</th><th class="num">Price</th><th class="num">Answered</th><th class="num">p50</th><th class="num">p99</th><th class="num">Instance-hours</th><th class="num">Cost</th><th class="num">At the end</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table></div>`;
}

/** The terminal's lines of pools under a VerticalPodAutoscaler: its mode, last recommendation and evictions. */
export function verticalLines(s: RunSummary): string[] {
  return Object.entries(s.components).flatMap(([name, c]) => {
    const v = c.kind === 'pool' ? (c as PoolSummary).vertical : undefined;
    if (v === undefined) return [];
    const r = v.recommendation;
    const rec = r === null ? 'no recommendation yet' : `target ${r.target}m, range [${r.lowerBound}m, ${r.upperBound}m]`;
    return [`${name} (${v.updateMode}): ${rec} from ${v.samples} samples; ${v.evictions} pod${v.evictions === 1 ? '' : 's'} evicted`];
  });
}

/** The terminal's lines: one per size. */
export function sizeLines(s: RunSummary): string[] {
  const cur = s.cost.currency;
  return resized(s).flatMap(([pool, versions]) => versions.map(([v, x]) =>
    `${pool}@${v} (${describeSize(x.size!)}, ${fmtPrice(x.size!.pricePerHour, cur)}/h): p99 ${fmtLatency(x.latency.p99)}, ${fmtNum(x.instanceHours ?? 0, 2)} instance-h, ${fmtMoney(x.cost ?? 0, cur)}`));
}

/** A pool under a VPA: its pods' mean CPU request against the recommendation over time (millicores). */
export function verticalChart(v: RunView, pool: string, index: number): ChartDef | null {
  const c = v.summary.components?.[pool];
  const vert = c?.kind === 'pool' ? (c as PoolSummary).vertical : undefined;
  const rows = v.comps.get(pool) ?? [];
  if (vert === undefined || rows.length === 0) return null;
  const col = (t: string) => `threshold:vpa cpu request:${t}`;
  const series = seriesList(['pods\' mean request', 'target', 'lower bound', 'upper bound'], {
    colours: [OKABE_ITO.blue, OKABE_ITO.vermillion, OKABE_ITO.grey, OKABE_ITO.grey], dashes: [[1, 0], [6, 3], [2, 2], [2, 2]],
  });
  // With little history the upper bound is many times the target (×(1 + 1/confidence)): drawn from when it is within 4× of it.
  const upper = (r: SeriesRow) => {
    const u = r.policy?.[col('upperBound')], tg = r.policy?.[col('target')];
    return u !== undefined && tg !== undefined && u <= 4 * tg ? u : null;
  };
  const data = wideSeries(v, [
    { key: 's0', rows, get: (r) => r.policy?.['observed:vpa cpu request'] ?? null, how: 'mean' },
    { key: 's1', rows, get: (r) => r.policy?.[col('target')] ?? null, how: 'mean' },
    { key: 's2', rows, get: (r) => r.policy?.[col('lowerBound')] ?? null, how: 'mean' },
    { key: 's3', rows, get: upper, how: 'mean' },
  ]);
  return {
    id: `vertical-${index}`,
    title: `VerticalPodAutoscaler: ${pool}`,
    caption: `The CPU its ready pods request (their mean) and the VPA's recommendation (${vert.updateMode}): the target and the range the updater leaves pods alone in, in millicores; ${vert.evictions} pod${vert.evictions === 1 ? '' : 's'} evicted.${bucketNote(v, 'values are means')}`,
    alt: `Step chart over time of pool ${pool}'s mean CPU request against the VPA's target, lower and upper bound.`,
    build: (interactive) => timeChart({
      ax: v.ax, data, series, kind: 'line', interpolate: 'step-after', yTitle: 'CPU (millicores)', tipFormat: ',d', interactive, height: 160, yScale: { zero: true },
    }),
  };
}
