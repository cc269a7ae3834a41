// A run with nodes in the report: the nodes chart (nodes ready and billed, pods pending) drawn from
// the series row `nodes`, the node pools table, and the row kept out of the per-pool charts.
import t from 'tap';
import { parseScenario } from '../../src/scenario/index.ts';
import { runScenario } from '../../src/model/index.ts';
import { renderHtml } from '../../src/report/html.ts';
import { runView } from '../../src/report/run-view.ts';
import { formatSummary } from '../../src/cli/summary-table.ts';

const { summary, rows } = runScenario(parseScenario({
  name: 'report-nodes', duration: '400s', sampleInterval: '10s', traffic: { rate: 20 },
  components: { app: { kind: 'pool', instances: 6, serviceTime: '10ms', cpuRequest: '500m', memoryRequest: '1Gi' } },
  nodes: { pools: { general: { instanceType: 'm6i.large', count: 1, max: 3, bootTime: '90s' } } },
}, 'nodes.yaml', '.'));

t.test('the report draws the nodes and lists the node pools', async (t) => {
  const html = await renderHtml(summary, rows);
  const fig = html.slice(html.indexOf('id="fig-nodes"'), html.indexOf('</figure>', html.indexOf('id="fig-nodes"')));
  t.match(fig, /Nodes and pending pods/, 'the nodes chart');
  t.match(fig, /class="mark-line/, 'with lines drawn');
  t.match(html, /<table class="nodes">[\s\S]*general[\s\S]*m6i\.large: 2 vCPU, 8 GiB/, 'the node pools table');
  t.match(html, /2 pods waited for a node: 100 s on average, at most 100 s/, 'the pods that waited and for how long');
  const v = runView(summary, rows);
  t.notOk(v.names.includes('nodes'), 'the nodes row is not a component');
  t.same(v.pools, ['app'], 'nor a pool');
});

t.test('the terminal summary has a nodes line', async (t) => {
  const text = formatSummary(summary);
  t.match(text, /nodes {6}general m6i\.large 1→2 \(peak 2\); 1 scale-ups, 0 removed; 2 pods waited for a node \(mean 100 s, max 100 s\)/);
  t.match(text, /node-hours/);
});
