// A resized pool in the report: one row per size in the HTML table and the terminal's lines, with
// each size's p99 and cost as summary.json has them; nothing for a pool that was never resized.
import t from 'tap';
import { parseScenario } from '../../src/scenario/index.ts';
import { runScenario } from '../../src/model/index.ts';
import { sizeLines, sizesTable, verticalLines } from '../../src/report/sizes.ts';
import { renderHtml } from '../../src/report/html.ts';
import type { PoolSummary } from '../../src/stats/results.ts';

const raw = (releases: unknown[]) => ({
  name: 'sizes', seed: 2, duration: '10m', sampleInterval: '30s', traffic: { rate: 40 },
  components: {
    api: {
      kind: 'pool', instanceType: 'm6i.large', serviceTime: '30ms', bootTime: '20s',
      deploy: { apiVersion: 'apps/v1', kind: 'Deployment', spec: { replicas: 3 } },
    },
  },
  releases,
});

t.test('a resize: a row and a line per size, with its p99 and cost', async (t) => {
  const { summary } = runScenario(parseScenario(raw([{ at: '3m', pool: 'api', instanceType: 'm6i.xlarge' }]), 'sizes.yaml', '.'));
  const v = (summary.components.api as PoolSummary).versions!;
  const html = sizesTable(summary);
  t.match(html, /<h3>Sizes<\/h3>/);
  t.equal(html.match(/<tr><td>api@/g)?.length, 2, 'one row per size');
  t.match(html, /api@v1\+m6i\.xlarge<\/td><td>m6i\.xlarge: 4 workers, 4 vCPU, 16 GiB<\/td>\s*<td class="num">\$0\.192\/h/);
  const lines = sizeLines(summary);
  t.equal(lines.length, 2);
  t.match(lines[0], /^api@v1 \(m6i\.large: 2 workers, 2 vCPU, 8 GiB, \$0\.096\/h\): p99 [\d.]+ ms, [\d.]+ instance-h, \$[\d.]+$/);
  t.ok(lines[1].includes(`$${v['v1+m6i.xlarge'].cost!.toFixed(2)}`), `${lines[1]} shows the new size's cost`);
});

t.test('a release without a resize: no sizes', async (t) => {
  const { summary } = runScenario(parseScenario(raw([{ at: '3m', pool: 'api', version: 'v2' }]), 'sizes.yaml', '.'));
  t.equal(sizesTable(summary), '');
  t.same(sizeLines(summary), []);
  t.equal((summary.components.api as PoolSummary).versions!.v2.size, undefined, 'and no size in summary.json');
});

t.test('a VPA: its chart in the report and its line in the terminal', async (t) => {
  const { summary, rows } = runScenario(parseScenario({
    name: 'vpa', seed: 1, duration: '8m', sampleInterval: '30s', traffic: { rate: 300 },
    components: {
      api: {
        kind: 'pool', workers: 2, cpuRequest: '100m', cpuLimit: '1', cpuPerWorker: '250m', serviceTime: '10ms',
        deploy: { apiVersion: 'apps/v1', kind: 'Deployment', spec: { replicas: 2 } },
        verticalAutoscaling: {
          apiVersion: 'autoscaling.k8s.io/v1', kind: 'VerticalPodAutoscaler',
          spec: { targetRef: { kind: 'Deployment', name: 'api' }, updatePolicy: { updateMode: 'Auto' }, resourcePolicy: { containerPolicies: [{ controlledResources: ['cpu'] }] } },
        },
      },
    },
    nodes: { pools: { general: { instanceType: 'm6i.xlarge', count: 1, min: 1, max: 2 } } },
  }, 'vpa.yaml', '.'));
  const v = (summary.components.api as PoolSummary).vertical!;
  t.ok(v.evictions > 0, `${v.evictions} evictions`);
  t.same(verticalLines(summary), [`api (Auto): target ${v.recommendation!.target}m, range [${v.recommendation!.lowerBound}m, ${v.recommendation!.upperBound}m] from ${v.samples} samples; ${v.evictions} pods evicted`]);
  const html = await renderHtml(summary, rows);
  t.match(html, /VerticalPodAutoscaler: api/);
  t.match(html, new RegExp(`${v.evictions} pods evicted`));
});
