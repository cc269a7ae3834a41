// The run report's nodes: the node count and pods waiting for a node over time (the series row
// `nodes`), and per node pool its type, nodes, node-hours and cost, with how long pods waited.
import type { RunSummary } from '../stats/results.ts';
import { OKABE_ITO, seriesList, timeChart } from './charts.ts';
import { esc, fmtDuration, fmtInt, fmtMoney, fmtNum, fmtPct } from './format.ts';
import type { ChartDef } from './page.ts';
import { bucketNote, wideSeries, type RunView } from './run-view.ts';

/** The series row the cluster writes (src/model/cluster.ts): not a component of its own. */
export const NODES_ROW = 'nodes';

export function nodesChart(v: RunView): ChartDef | null {
  const rows = v.comps.get(NODES_ROW);
  if (!v.summary.nodes || !rows?.length) return null;
  const series = seriesList(['nodes ready', 'nodes billed', 'pods pending'], {
    colours: [OKABE_ITO.blue, OKABE_ITO.grey, OKABE_ITO.vermillion], dashes: [[1, 0], [6, 3], [2, 2]],
  });
  const data = wideSeries(v, [
    { key: 's0', rows, get: (r) => r.instances_ready, how: 'max' },
    { key: 's1', rows, get: (r) => r.instances_total, how: 'max' },
    { key: 's2', rows, get: (r) => r.in_flight, how: 'max' },
  ]);
  return {
    id: 'nodes',
    title: 'Nodes and pending pods',
    caption: `Nodes ready to take pods, nodes billed (booting, ready, or draining for removal), and pods waiting for a node (Pending) at the end of each interval.${bucketNote(v, 'each shows the maximum')}`,
    alt: `Step chart over time of ready and billed nodes and of pending pods; ${v.summary.nodes.scaleUps} scale-ups and ${v.summary.nodes.scaleDowns} nodes removed.`,
    build: (interactive) => timeChart({
      ax: v.ax, data, series, kind: 'line', interpolate: 'step-before', yTitle: 'count', yFormat: 'd', tipFormat: 'd',
      interactive, height: 160, yScale: { zero: true },
    }),
  };
}

export function nodesTable(s: RunSummary): string {
  const n = s.nodes;
  if (!n) return '';
  const cur = s.cost?.currency || 'USD';
  const rows = Object.entries(n.pools).map(([name, p]) => `<tr><td>${esc(name)}<div class="sub">${esc(p.instanceType)}: ${fmtNum(p.cpu / 1000, 0)} vCPU, ${fmtNum(p.memory / 2 ** 30, 0)} GiB</div></td>
<td class="num">${fmtInt(p.nodes.start)}</td><td class="num">${fmtInt(p.nodes.peak)}</td><td class="num">${esc(fmtNum(p.nodes.mean, 1))}</td><td class="num">${fmtInt(p.nodes.final)}</td>
<td class="num">${esc(fmtNum(p.nodeHours, 1))} h</td><td class="num">${esc(fmtMoney(p.cost, cur))}<div class="sub">${esc(fmtMoney(p.pricePerHour, cur))}/h each</div></td></tr>`).join('\n');
  const w = n.pending;
  const waited = w.waited > 0
    ? `${fmtInt(w.waited)} pod${w.waited === 1 ? '' : 's'} waited for a node: ${esc(fmtDuration(w.waitMean))} on average, at most ${esc(fmtDuration(w.waitMax))}`
    : 'No pod waited for a node';
  const left = w.final > 0 ? `; ${fmtInt(w.final)} still Pending at the end` : '';
  return `<h3>Nodes</h3><div class="wide"><table class="nodes"><thead><tr><th>Node pool</th><th class="num">Start</th><th class="num">Peak</th><th class="num">Mean</th><th class="num">End</th><th class="num">Node-hours</th><th class="num">Cost</th></tr></thead>
<tbody>${rows}</tbody></table></div>
<p class="muted small">${waited}${left}. The Cluster Autoscaler scaled up ${fmtInt(n.scaleUps)} time${n.scaleUps === 1 ? '' : 's'} and removed ${fmtInt(n.scaleDowns)} node${n.scaleDowns === 1 ? '' : 's'}; the scheduler scored nodes ${esc(n.scoring)}. Mean pods pending: ${esc(fmtNum(n.pending.mean, 2))}. Node cost is part of the total cost${s.cost.total > 0 ? ` (${esc(fmtPct(n ? Object.values(n.pools).reduce((a, p) => a + p.cost, 0) / s.cost.total : 0, 0))} of it)` : ''}.</p>`;
}
