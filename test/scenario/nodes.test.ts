// instanceType and nodes: in the loader: what a catalogued type sets, and each bad input's exact
// one-line message (file, field path, what was expected).
import t from 'tap';
import { parseScenario } from '../../src/scenario/index.ts';
import type { PoolConfig } from '../../src/scenario/types.ts';
import { messageOf, minimal } from './helpers.ts';

const F = 'scenarios/x.yaml';
const parse = (raw: unknown) => parseScenario(raw, F, 'scenarios');
function withChange(change: (s: Record<string, any>) => void): () => unknown {
  const s = minimal();
  change(s);
  return () => parse(s);
}
const web = (s: ReturnType<typeof parse>) => s.components.find((c) => c.name === 'web') as PoolConfig;

t.test('an instance type sets workers, CPU, memory and price from the catalogue', async (t) => {
  const s = minimal();
  s.components.web.instanceType = 'm6i.2xlarge';
  const p = web(parse(s));
  t.equal(p.instanceType, 'm6i.2xlarge');
  t.equal(p.workers, 8, 'one worker per vCPU');
  t.equal(p.cpuRequest, 8000);
  t.equal(p.memoryRequest, 32 * 2 ** 30);
  t.equal(p.pricePerHour, 0.384, 'us-east-1 on-demand');
  s.components.web.workersPerVcpu = 4;
  t.equal(web(parse(s)).workers, 32, 'workersPerVcpu scales them');
  delete s.components.web.workersPerVcpu;
  s.components.web.workers = 3;
  t.equal(web(parse(s)).workers, 3, 'workers given win');
  t.notOk('instanceType' in web(parse(minimal())), 'no type: the key is absent (summary.json as before)');
});

t.test('bad instance types and sizing', async (t) => {
  t.equal(messageOf(withChange((s) => (s.components.web.instanceType = 'm6i.lrage'))),
    'scenarios/x.yaml: components.web.instanceType: expected a catalogued instance type (did you mean "m6i.large"?), got "m6i.lrage"');
  t.equal(messageOf(withChange((s) => (s.components.web.instanceType = 'm6i.huge'))),
    'scenarios/x.yaml: components.web.instanceType: expected a catalogued instance type (one of m6i.large, m6i.xlarge, m6i.2xlarge, m6i.4xlarge, m6i.8xlarge, m6i.12xlarge, m6i.16xlarge, m6i.24xlarge, m6i.32xlarge), got "m6i.huge"');
  t.equal(messageOf(withChange((s) => Object.assign(s.components.web, { instanceType: 'm6i.large', pricePerHour: 0.1 }))),
    'scenarios/x.yaml: components.web.pricePerHour: expected no pricePerHour beside instanceType (m6i.large costs $0.096/h in the catalogue), got 0.1');
  t.equal(messageOf(withChange((s) => (s.components.web.workersPerVcpu = 2))),
    'scenarios/x.yaml: components.web.workersPerVcpu: expected no workersPerVcpu without instanceType (workers says how many), got 2');
});

const cluster = (s: Record<string, any>) => {
  s.nodes = { pools: { general: { instanceType: 'm6i.large', count: 2, max: 5 } } };
  return s;
};

t.test('nodes: defaults from the Cluster Autoscaler FAQ, the type from the catalogue', async (t) => {
  const n = parse(cluster(minimal())).nodes!;
  t.same(n.autoscaler, { scanInterval: 10, scaleDownUnneededTime: 600, scaleDownUtilizationThreshold: 0.5, scaleDownDelayAfterAdd: 600, maxEmptyBulkDelete: 10 });
  t.same(n.pools[0], { name: 'general', instanceType: 'm6i.large', cpu: 2000, memory: 8 * 2 ** 30, pricePerHour: 0.096, count: 2, min: 2, max: 5, bootTime: 90 });
  t.equal(n.scoring, 'LeastAllocated');
  t.notOk('nodes' in parse(minimal()), 'no nodes: the key is absent');
  t.notOk('backgroundCpu' in n.pools[0], 'no backgroundCpu: the key is absent (summary.json as before)');
  const bg = cluster(minimal());
  bg.nodes.pools.general.backgroundCpu = '350m';
  t.equal(parse(bg).nodes!.pools[0].backgroundCpu, 350, 'backgroundCpu in millicores');
});

t.test('bad nodes input', async (t) => {
  t.equal(messageOf(withChange((s) => { cluster(s); s.nodes.pools.general.instanceType = 'c6i.xlarg'; })),
    'scenarios/x.yaml: nodes.pools.general.instanceType: expected a catalogued instance type (did you mean "c6i.xlarge"?), got "c6i.xlarg"');
  // A pod bigger than any node it may go to would stay Pending for ever: refused up front.
  t.equal(messageOf(withChange((s) => { cluster(s); s.components.web.cpuRequest = 4; })),
    'scenarios/x.yaml: components.web.cpuRequest: expected a pod request that fits on a node it may go to (m6i.large: 2000m, 8Gi), got "4000m"');
  t.equal(messageOf(withChange((s) => { cluster(s); s.components.web.memoryRequest = '16Gi'; })),
    'scenarios/x.yaml: components.web.memoryRequest: expected a pod request that fits on a node it may go to (m6i.large: 2000m, 8Gi), got "16384Mi"');
  t.equal(messageOf(withChange((s) => { cluster(s); s.components.web.nodePool = 'gpu'; })),
    'scenarios/x.yaml: components.web.nodePool: expected a node pool\'s name or "none" (one of general), got "gpu"');
  t.equal(messageOf(withChange((s) => (s.components.web.nodePool = 'general'))),
    'scenarios/x.yaml: components.web.nodePool: expected no nodePool without a top-level nodes: (there are no nodes to place on), got "general"');
  t.equal(messageOf(withChange((s) => { cluster(s); s.components.web.instanceType = 'm6i.large'; })),
    'scenarios/x.yaml: components.web.instanceType: expected no instanceType on a pool whose pods run on nodes (the node pool has the type; the pod has cpuRequest and memoryRequest), or nodePool: none, got "m6i.large"');
  t.equal(messageOf(withChange((s) => { cluster(s); s.nodes.pools.general.max = 1; })),
    'scenarios/x.yaml: nodes.pools.general.max: expected an integer ≥ count (2), got 1');
  t.equal(messageOf(withChange((s) => { cluster(s); s.nodes.pools.general.backgroundCpu = 2; })),
    'scenarios/x.yaml: nodes.pools.general.backgroundCpu: expected CPU below the node\'s 2000m (m6i.large), like 250m: the pods need some of it, got 2');
  t.equal(messageOf(withChange((s) => { cluster(s); s.nodes.pools.general.backgroundCpu = '-1'; })).split(': expected')[0],
    'scenarios/x.yaml: nodes.pools.general.backgroundCpu', 'a negative CPU names the field');
  t.equal(messageOf(withChange((s) => { cluster(s); s.nodes.autoscaler = { scanInterva: '5s' }; })),
    'scenarios/x.yaml: nodes.autoscaler.scanInterva: unknown key; did you mean "scanInterval"?');
});
