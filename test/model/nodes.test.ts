// Nodes against what outside the code says they must do: processor sharing on a node against the
// M/G/1-PS closed form (mean response S/(1−ρ) whatever the service distribution; with background
// work b on c cores, the same at speed c − b), a CFS quota
// stretching service by limit/demand, the scheduler's scoring, pods waiting Pending for a node the
// Cluster Autoscaler boots, and scale-down of an unneeded node after scale-down-unneeded-time.
import t from 'tap';
import { parseScenario } from '../../src/scenario/index.ts';
import { Simulation, runScenario } from '../../src/model/index.ts';
import { summarise } from '../../src/model/summary.ts';
import { ci95 } from '../../src/stats/confidence.ts';
import type { PoolSummary, RunSummary } from '../../src/stats/results.ts';

const load = (raw: Record<string, unknown>) => parseScenario(raw, 'test.yaml', '.');

/** k single-core-hungry instances on one 1-vCPU node, requests spread over them round robin. */
function psNode(lambda: number, service: unknown, seed: number, duration = 3000): RunSummary {
  return runScenario(load({
    name: 'ps', seed, duration: `${duration}s`, warmup: `${duration / 10}s`, sampleInterval: '10m',
    traffic: { rate: lambda },
    components: {
      app: {
        kind: 'pool', instances: 3, workers: 200, serviceTime: service,
        cpuRequest: '300m', cpuLimit: 1, cpuPerWorker: 1, memoryRequest: '256Mi',
      },
    },
    nodes: { pools: { one: { instanceType: 'm6g.medium', count: 1 } } },
  })).summary;
}

const pool = (s: RunSummary, name = 'app') => s.components[name] as PoolSummary;

t.test('M/G/1-PS: three instances sharing one core answer in S/(1−ρ) on average', async (t) => {
  // ρ = λS = 70 × 10 ms = 0.7 → E[T] = 10 ms / 0.3 = 33.3 ms, insensitive to the service distribution.
  const expected = 0.01 / 0.3;
  for (const [label, service] of [['deterministic', '10ms'], ['exponential', { dist: 'exponential', mean: '10ms' }]] as const) {
    const runs = Array.from({ length: 10 }, (_, i) => psNode(70, service, 500 + i));
    const mean = ci95(runs.map((r) => pool(r).latency.mean));
    t.ok(mean.low <= expected && expected <= mean.high,
      `${label}: S/(1−ρ) = ${(expected * 1000).toFixed(2)} ms in CI [${(mean.low * 1000).toFixed(2)}, ${(mean.high * 1000).toFixed(2)}] ms`);
    t.ok(mean.halfWidth < 0.05 * expected, `${label}: CI half-width ${(mean.halfWidth * 1000).toFixed(2)} ms under 5%`);
  }
  // Not what the pool alone would say (each instance its own M/D/∞ with 200 workers: 10 ms), nor FCFS M/D/1 (21.7 ms).
  const alone = ci95(Array.from({ length: 4 }, (_, i) => pool(psNode(70, '10ms', 900 + i)).latency.mean));
  t.ok(alone.low > 0.0217 * 1.2, `sharing one core is slower than FCFS M/D/1 would be: ${(alone.mean * 1000).toFixed(1)} ms`);
});

t.test('background work takes its CPU first: 2 cores with 1.5 busy elsewhere are M/G/1-PS at half speed', async (t) => {
  // The pods share c − b = 0.5 core: a 10 ms request alone takes 20 ms, so at λ = 35/s ρ = 0.7 and
  // E[T] = 20 ms / (1 − 0.7) = 66.7 ms (M/G/1-PS, any service distribution).
  const expected = 0.02 / 0.3;
  const run = (service: unknown, seed: number) => runScenario(load({
    name: 'bg', seed, duration: '3000s', warmup: '300s', sampleInterval: '10m',
    traffic: { rate: 35 },
    components: { app: { kind: 'pool', instances: 3, workers: 200, serviceTime: service, cpuRequest: '300m', cpuLimit: 1, cpuPerWorker: 1 } },
    nodes: { pools: { two: { instanceType: 'm6i.large', count: 1, backgroundCpu: '1500m' } } },
  })).summary;
  for (const [label, service] of [['deterministic', '10ms'], ['exponential', { dist: 'exponential', mean: '10ms' }]] as const) {
    const mean = ci95(Array.from({ length: 10 }, (_, i) => pool(run(service, 700 + i)).latency.mean));
    t.ok(mean.low <= expected && expected <= mean.high,
      `${label}: S/(c−b)/(1−ρ) = ${(expected * 1000).toFixed(2)} ms in CI [${(mean.low * 1000).toFixed(2)}, ${(mean.high * 1000).toFixed(2)}] ms`);
    t.ok(mean.halfWidth < 0.05 * expected, `${label}: CI half-width ${(mean.halfWidth * 1000).toFixed(2)} ms under 5%`);
  }
});

t.test('a CFS quota below what busy workers want stretches service by limit / demand', async (t) => {
  // One worker wanting a whole core under a 250m limit runs at a quarter speed: 40 ms of work take 160 ms.
  const run = (limit: string) => runScenario(load({
    name: 'cfs', seed: 3, duration: '2000s', sampleInterval: '10m',
    traffic: { rate: 0.05 },
    components: { app: { kind: 'pool', instances: 1, workers: 1, serviceTime: '40ms', cpuRequest: '250m', cpuLimit: limit, cpuPerWorker: 1 } },
    nodes: { pools: { big: { instanceType: 'm6i.2xlarge', count: 1 } } },
  })).summary;
  const throttled = pool(run('250m')).latency, free = pool(run('1')).latency;
  // At 0.05 req/s almost no request waits: the median is the service time itself (HDR histogram: 3 digits).
  t.ok(Math.abs(throttled.p50 - 0.16) < 0.16 * 0.002, `throttled median ${throttled.p50} s ≈ 0.16 s`);
  t.ok(Math.abs(free.p50 - 0.04) < 0.04 * 0.002, `with limit 1 core the median is the service time, ${free.p50} s`);
});

function placement(scoring: string): number[] {
  const sc = load({
    name: 'bp', duration: '60s', traffic: { rate: 1 },
    components: { app: { kind: 'pool', instances: 5, serviceTime: '10ms', cpuRequest: '500m', memoryRequest: '1Gi' } },
    nodes: { scoring, pools: { g: { instanceType: 'm6i.large', count: 3 } } },
  });
  const state = new Simulation(sc).run();
  return Array.from({ length: state.nodes!.nodes.n }, (_, n) => state.nodes!.nodes.pods[n].length);
}

t.test('the scheduler spreads (LeastAllocated) or packs (MostAllocated) as kube-scheduler scores', async (t) => {
  // m6i.large: 2000m, 8Gi; a pod asks 500m and 1Gi, so four fit on a node.
  t.same(placement('MostAllocated'), [4, 1, 0], 'MostAllocated fills the first node, then the next');
  t.same(placement('LeastAllocated'), [2, 2, 1], 'LeastAllocated puts each pod on the emptiest node');
});

t.test('pods that fit nowhere stay Pending until the Cluster Autoscaler\'s node boots', async (t) => {
  const sc = load({
    name: 'pending', duration: '400s', sampleInterval: '10s', traffic: { rate: 20 },
    components: { app: { kind: 'pool', instances: 6, serviceTime: '10ms', cpuRequest: '500m', memoryRequest: '1Gi', bootTime: '5s', readinessDelay: '2s' } },
    nodes: { pools: { g: { instanceType: 'm6i.large', count: 1, max: 3, bootTime: '90s' } } },
  });
  const state = new Simulation(sc).run();
  const s = summarise(state);
  const nodes = s.nodes!;
  // Four pods fit on the one node; two wait. The CA's first scan (10 s) adds one node (both fit on it), Ready at 100 s.
  t.equal(nodes.pending.waited, 2, 'two pods waited for a node');
  t.equal(nodes.pending.waitMax, 100, 'placed when the node became Ready: scan at 10 s + 90 s boot');
  t.equal(nodes.scaleUps, 1, 'one scale-up');
  t.equal(nodes.pools.g.nodes.peak, 2, 'one node added, not two: both pods fit on it');
  const up = s.events!.find((e) => e.kind === 'scale-up');
  t.equal(up?.time, 10, 'scale-up at the first scan');
  const rows = state.series.rows.filter((r) => r.component === 'nodes');
  t.equal(rows.find((r) => r.time === 50)?.in_flight, 2, 'series: two pods pending at 50 s');
  t.equal(rows.find((r) => r.time === 110)?.in_flight, 0, 'series: none pending after the node is Ready');
  t.equal(rows.find((r) => r.time === 110)?.instances_ready, 2, 'series: two nodes ready');
  // The pending instances become ready only after the node, their own boot (5 s) and readiness (2 s).
  const app = rows.length > 0 ? state.series.rows.filter((r) => r.component === 'app') : [];
  t.equal(app.find((r) => r.time === 100)?.instances_ready, 4, 'four instances ready before the new node');
  t.equal(app.find((r) => r.time === 110)?.instances_ready, 6, 'six once the placed pods booted');
});

t.test('an unneeded node goes after scale-down-unneeded-time (10 min), not before', async (t) => {
  // Two nodes, one pod: the second node is empty (and the first below 50%) from the start.
  const s = runScenario(load({
    name: 'down', duration: '1200s', traffic: { rate: 1 },
    components: { app: { kind: 'pool', instances: 1, serviceTime: '10ms', cpuRequest: '500m' } },
    nodes: { scoring: 'MostAllocated', pools: { g: { instanceType: 'm6i.large', count: 2, min: 1, max: 2 } } },
  })).summary;
  const downs = s.events!.filter((e) => e.kind === 'scale-down');
  t.equal(downs.length, 1, 'one node removed (min 1 keeps the other)');
  t.equal(downs[0].time, 610, 'unneeded from the first scan (10 s), removed 600 s later');
  t.equal(s.nodes!.pools.g.nodes.final, 1, 'one node left');
  t.ok(Math.abs(s.nodes!.pools.g.nodeHours - (1200 + 610) / 3600) < 1e-9, 'billed for the time each node existed');
});

t.test('pools not on nodes run as before: same figures, byte for byte', async (t) => {
  // The Saler web tier under an HPA, with and without a cluster its pool does not use (nodePool: none).
  const base = () => ({
    name: 'same', seed: 11, duration: '1800s', warmup: '60s', sampleInterval: '30s',
    traffic: { rate: { ramp: { from: 50, to: 600, start: '60s', end: '1500s' } } },
    components: {
      lb: { kind: 'loadBalancer', upstream: 'web', balancing: 'least_conn', maxFails: 3 },
      web: {
        kind: 'pool', instances: 2, workers: 4, serviceTime: { dist: 'lognormal', median: '20ms', p99: '150ms' }, bootTime: '30s', timeout: '2s',
        autoscaling: {
          apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler',
          spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 12,
            metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }] },
        },
      },
    },
  });
  const plain = runScenario(load(base()));
  const withNodes = base() as Record<string, any>;
  withNodes.components.web.nodePool = 'none';
  withNodes.nodes = { pools: { idle: { instanceType: 'm6i.large', count: 0 } } };
  const other = runScenario(load(withNodes));
  t.ok(other.summary.nodes, 'the second run has nodes');
  const strip = (s: RunSummary) => {
    const { nodes: _n, scenarioSource: _s, ...rest } = s;
    const { nodeHours: _h, ...cost } = rest.cost;
    return JSON.stringify({ ...rest, cost });
  };
  t.equal(strip(other.summary), strip(plain.summary), 'summary.json identical but for the nodes themselves');
  t.equal(JSON.stringify(other.rows.filter((r) => r.component !== 'nodes')), JSON.stringify(plain.rows), 'series identical but for the nodes row');
  t.ok(plain.summary.scaling.length > 2, `the run scaled (${plain.summary.scaling.length} actions): the comparison covers the autoscaler`);
});

t.test('on a contended node the HPA reads the CPU a pod gets, not what its workers want', async (t) => {
  // Two always-busy single-worker pods (each wants a core, limit a core, request 500m) on a 1-vCPU
  // node: each gets half a core, 100 % of its request. Off the node the same pool reads 200 %.
  const run = (onNodes: boolean) => runScenario(load({
    name: 'hpa-cpu', seed: 2, duration: '300s', sampleInterval: '60s',
    traffic: { rate: 400 },
    components: {
      app: {
        kind: 'pool', instances: 2, workers: 1, backlog: 10, serviceTime: '10ms', cpuRequest: '500m', cpuLimit: 1, ...(onNodes ? { cpuPerWorker: 1 } : { nodePool: 'none' }),
        metrics: { scrapeInterval: '15s', window: '60s' },
        autoscaling: {
          apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler',
          spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'app' }, minReplicas: 2, maxReplicas: 2,
            metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] },
        },
      },
    },
    nodes: { pools: { one: { instanceType: 'm6g.medium', count: 1 } } },
  })).summary;
  const cpu = (s: RunSummary) => pool(s).autoscaling!.figures[0].value!;
  const on = cpu(run(true)), off = cpu(run(false));
  t.ok(Math.abs(on - 100) < 1, `on the node: ${on.toFixed(1)} % of the request (half a core each)`);
  t.ok(Math.abs(off - 200) < 1, `off the node: ${off.toFixed(1)} % (each worker's whole core)`);
});
