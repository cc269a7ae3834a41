// The sweep report: one self-contained HTML page from sweep.json — the cheapest point meeting
// every SLO, cost against p99 for every point with the frontier, and the table of points.
import type { SweepResult } from '../stats/sweep-results.ts';
import { baseConfig, CHART_WIDTH, OKABE_ITO } from './charts.ts';
import { esc, fmtSloValue, sig } from './format.ts';
import { badge } from './sections.ts';
import { latencyUnit } from './run-view.ts';
import { page, renderChart, type ChartDef } from './page.ts';

type Obj = Record<string, unknown>;

function frontierChart(r: SweepResult): ChartDef {
  const maxP99 = Math.max(...r.points.map((p) => p.figures['latency.p99'].mean), 0);
  const lat = latencyUnit(maxP99);
  const names = r.parameters.map((p) => p.name);
  const data = r.points.map((p) => ({
    cost: sig(p.figures.cost.mean), p99: sig(p.figures['latency.p99'].mean * lat.factor),
    verdict: p.verdict, point: `#${p.index} ${names.map((n) => `${n}=${p.params[n]}`).join(' ')}`,
    frontier: r.frontier.includes(p.index), cheapest: p.index === r.cheapest,
  }));
  const slo = r.slo.filter((s) => s.metric === 'latency.p99').map((s) => ({ y: sig(s.threshold * lat.factor), label: `SLO p99 ${s.op === '<=' ? '≤' : '≥'} ${fmtSloValue(s.metric, s.threshold)}` }));
  const x = { field: 'cost', type: 'quantitative', title: `cost (${r.currency}, mean per run)`, scale: { zero: false } };
  const y = { field: 'p99', type: 'quantitative', title: `latency p99 (${lat.unit}, mean)`, scale: { zero: false } };
  const domain = ['pass', 'inconclusive', 'fail'];
  return {
    id: 'frontier', title: 'Cost against p99',
    caption: 'Each point run, by mean cost and mean p99 over its replications. The line joins the frontier (no other point is both cheaper and faster); the ringed point is the cheapest that met every SLO.',
    alt: `Scatter plot of ${r.points.length} sweep points, cost against p99 latency; ${r.points.filter((p) => p.verdict === 'pass').length} passed every SLO.`,
    build: (interactive): Obj => ({
      width: CHART_WIDTH, height: 320, config: baseConfig(), data: { values: data },
      layer: [
        { transform: [{ filter: 'datum.frontier' }], mark: { type: 'line', color: 'currentColor', opacity: 0.5, strokeDash: [4, 3] }, encoding: { x, y, order: { field: 'cost', type: 'quantitative' } } },
        {
          mark: { type: 'point', filled: true, size: 70 },
          encoding: {
            x, y,
            color: { field: 'verdict', type: 'nominal', title: 'SLOs', scale: { domain, range: [OKABE_ITO.blue, OKABE_ITO.orange, OKABE_ITO.vermillion] } },
            shape: { field: 'verdict', type: 'nominal', scale: { domain, range: ['circle', 'diamond', 'cross'] } },
            ...(interactive ? { tooltip: [{ field: 'point' }, { field: 'verdict' }, { field: 'cost', format: ',.4~r' }, { field: 'p99', title: `p99 (${lat.unit})`, format: ',.4~r' }] } : {}),
          },
        },
        { transform: [{ filter: 'datum.cheapest' }], mark: { type: 'point', size: 420, strokeWidth: 2, color: 'currentColor' }, encoding: { x, y } },
        ...slo.map((s) => ({ data: { values: [s] }, mark: { type: 'rule', strokeDash: [2, 2], color: 'currentColor', opacity: 0.6 }, encoding: { y: { field: 'y', type: 'quantitative' } } })),
      ],
    }),
  };
}

export async function renderSweep(r: SweepResult): Promise<string> {
  const names = r.parameters.map((p) => p.name);
  const f = (m: string, v: number) => esc(fmtSloValue(m, v, r.currency));
  const chart = r.points.length > 0 ? await renderChart(frontierChart(r)) : null;
  const c = r.points.find((p) => p.index === r.cheapest);
  const verdict = c
    ? `<section class="verdict pass"><div class="verdict-head">${badge(true)} Cheapest point meeting every SLO: #${c.index}</div>
<p>${names.map((n) => `<b>${esc(n)}</b> = ${esc(c.params[n])}`).join(' · ')} — cost ${f('cost', c.figures.cost.mean)}, p99 ${f('latency.p99', c.figures['latency.p99'].mean)}, error rate ${f('errorRate', c.figures.errorRate.mean)}</p></section>`
    : `<section class="verdict fail"><div class="verdict-head">${badge(false)} No point met every SLO</div></section>`;
  const rows = r.points.map((p) => `<tr${p.index === r.cheapest ? ' class="best"' : ''}><td class="num">${p.index}</td>${names.map((n) => `<td>${esc(p.params[n])}</td>`).join('')}<td>${esc(p.verdict)}</td><td class="num">${f('latency.p99', p.figures['latency.p99'].mean)}</td><td class="num">${f('errorRate', p.figures.errorRate.mean)}</td><td class="num">${f('cost', p.figures.cost.mean)}</td><td>${p.index === r.cheapest ? '★' : r.frontier.includes(p.index) ? 'frontier' : ''}</td></tr>`).join('\n');
  const params = r.parameters.map((p) => `<li><b>${esc(p.name)}</b>: <code>${esc(p.path)}</code> (${esc(p.kind)}${r.bisected === p.name ? ', bisected' : ''})</li>`).join('');
  const body = `<header>
<p class="eyebrow">headroom sweep</p>
<h1>${esc(r.name)}: ${esc(r.mode)} over ${names.map(esc).join(', ')}</h1>
<p class="meta">${esc(r.sweep)} · scenario ${esc(r.scenario)} · ${r.points.length} points × ${r.replications} replication${r.replications === 1 ? '' : 's'}</p>
</header>
${verdict}
<ul>${params}</ul>
${chart ? chart.figure : ''}
<h2 id="points">Points</h2>
<div class="wide"><table><thead><tr><th class="num">#</th>${names.map((n) => `<th>${esc(n)}</th>`).join('')}<th>SLOs</th><th class="num">p99</th><th class="num">Error rate</th><th class="num">Cost</th><th></th></tr></thead><tbody>${rows}</tbody></table></div>
<footer>Generated by headroom ${esc(r.headroom)} from sweep.json. Figures are means over each point's replications; SLO verdicts are on their 95% confidence intervals.</footer>`;
  return page({ title: `headroom sweep — ${r.name}`, body, charts: chart ? [chart] : [], generator: `headroom ${r.headroom}` });
}
