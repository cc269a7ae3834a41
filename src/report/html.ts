// The run report: one self-contained HTML file from summary.json + timeseries.csv.
// Views of the data in run-view.ts, charts in run-charts.ts and policy-chart.ts, sections in sections.ts.
import type { RunSummary, SeriesRow } from '../stats/results.ts';
import { esc } from './format.ts';
import { page, renderChart, type ChartDef } from './page.ts';
import { costChart, distributionDef, errorsChart, instancesChart, latencyChart, loadChart, perComponentChart } from './run-charts.ts';
import { policyChart } from './policy-chart.ts';
import { runView } from './run-view.ts';
import { nodesChart, nodesTable } from './nodes.ts';
import { disruptionSection, eventsTable, poolAttempts } from './disruptions.ts';
import { sizesTable, verticalChart } from './sizes.ts';
import { bottleneckChart, bottleneckSection } from './bottleneck.ts';
import {
  classTable, componentTable, explanationSection, headerMeta, keyFigures, replicationSection, scalingTable, scenarioYaml, verdictSection,
} from './sections.ts';

export async function renderHtml(summary: RunSummary, rows: SeriesRow[]): Promise<string> {
  const v = runView(summary, rows);
  const defs: Array<[section: string, ChartDef | null]> = [];
  defs.push(['traffic', v.all.length ? loadChart(v) : null]);
  defs.push(['traffic', v.all.length ? latencyChart(v) : null]);
  defs.push(['traffic', v.all.length ? errorsChart(v) : null]);
  // What nginx met at the instances (and retried, or not): attempts that failed there, by cause
  if (summary.disruptions?.length) defs.push(['traffic', errorsChart(v, 'attempts', {
    rows: poolAttempts(v.comps, v.pools),
    title: 'Failed attempts at the instances',
    caption: 'Requests that failed at an instance, summed over the pools, per second by cause: killed in flight with a crashed or lost instance, refused by one whose process is down, refused by a full backlog, timed out, answered with a 5xx. nginx counts each toward max_fails (max_fails within fail_timeout take a server out for fail_timeout) and retries it on another server as proxy_next_upstream allows; the errors chart above shows what reached the client.',
  })]);
  defs.push(['traffic', distributionDef(v)]);
  defs.push(['capacity', nodesChart(v)]);
  v.pools.forEach((p, i) => {
    defs.push(['capacity', instancesChart(v, p, i)]);
    defs.push(['capacity', policyChart(v, p, i)]);
    defs.push(['capacity', verticalChart(v, p, i)]);
  });
  defs.push(['bottleneck', bottleneckChart(v)]);
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
  const disruptions = disruptionSection(s, v.ax) + sizesTable(s);
  const body = `<header>
<p class="eyebrow">headroom capacity report</p>
<h1>${esc(s.scenario.name || 'Unnamed scenario')}</h1>
${s.scenario.description ? `<p class="desc">${esc(s.scenario.description)}</p>` : ''}
<p class="meta">${headerMeta(s, v.ax)}</p>
</header>
${verdictSection(s)}
${keyFigures(v)}
${explanationSection(v)}
${replicationSection(s)}
<nav class="toc" aria-label="Contents">${disruptions ? '<a href="#disruptions">Faults &amp; releases</a>' : ''}<a href="#traffic">Traffic &amp; latency</a><a href="#bottleneck">Bottleneck</a><a href="#capacity">Capacity</a><a href="#cost">Cost</a><a href="#scaling">Scaling actions</a><a href="#components">Components</a><a href="#scenario">Scenario</a></nav>
${disruptions ? `<h2 id="disruptions">Faults &amp; releases</h2>\n${disruptions}` : ''}
<h2 id="traffic">Traffic &amp; latency</h2>
${figs('traffic')}
${noErrors}
<h2 id="bottleneck">Bottleneck</h2>
${bottleneckSection(v)}
${figs('bottleneck')}
<h2 id="capacity">Capacity</h2>
${figs('capacity')}
<h2 id="cost">Cost</h2>
${figs('cost') || '<p class="muted">No cost recorded.</p>'}
<h2 id="scaling">Scaling actions</h2>
${scalingTable(v)}
${eventsTable(s, v.ax)}
<h2 id="components">Components</h2>
${classTable(s)}
${componentTable(v)}
${nodesTable(s)}
<details id="scenario"><summary>Scenario as run</summary><pre>${esc(scenarioYaml(s.scenarioSource))}</pre></details>
<footer>Generated by headroom ${esc(s.headroom)} from summary.json and timeseries.csv; re-render with <code>headroom report DIR</code>. Times are ${esc(v.ax.mode === 'wall' ? `wall-clock${v.ax.zone ? ` (${v.ax.zone})` : ''}` : 'elapsed since the start of the run')}.</footer>`;
  return page({ title: `${s.scenario.name || 'headroom run'} — headroom report`, body, charts: rendered, generator: `headroom ${s.headroom}` });
}
