// A release that resizes its pool, in the simulator: billing at each instance's own price for the
// time it ran (hand-computed), the rolling bounds and the fleet's worker capacity at every event
// of random resizes, the new size's workers as the queue's slots (Erlang C after the resize), a
// bigger pod Pending until the Cluster Autoscaler adds a node, and same seed → same bytes.
import t from 'tap';
import fc from 'fast-check';
import { parseScenario } from '../../src/scenario/index.ts';
import { Simulation, runScenario } from '../../src/model/index.ts';
import { resolveFenceposts } from '../../src/model/rollout-kubernetes.ts';
import { Life } from '../../src/model/fleet.ts';
import type { PoolRuntime } from '../../src/model/pool.ts';
import { ci95 } from '../../src/stats/confidence.ts';
import type { PoolSummary } from '../../src/stats/results.ts';
import { writeSeriesCsv } from '../../src/report/series-csv.ts';

const deployment = (replicas: number, surge: number | string, unavailable: number | string, type = 'RollingUpdate') => ({
  apiVersion: 'apps/v1', kind: 'Deployment',
  spec: { replicas, strategy: type === 'Recreate' ? { type } : { type, rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } } },
});

/** A simulation whose callback runs after every event (as test/model/rollout-kubernetes.test.ts does). */
function instrumented(raw: unknown) {
  const sim = new Simulation(parseScenario(raw, 'resize.yaml', '.')) as unknown as { run(): unknown; dispatch(k: number, a: number): void; components: PoolRuntime[] };
  let after: () => void = () => {};
  const dispatch = sim.dispatch.bind(sim);
  sim.dispatch = (k, a) => { dispatch(k, a); after(); };
  return { pool: sim.components.at(-1)!, onEvent: (f: () => void) => { after = f; }, run: () => sim.run() };
}

t.test('cost over a resize: each instance billed at its own price for the time it existed (hand-computed)', async (t) => {
  // 4 × m6i.large ($0.096/h) resized at t = 600 s to m6i.xlarge ($0.192/h), maxSurge 1, maxUnavailable 0,
  // boot 60 s, no traffic (a drained instance goes at once). The controller: a new instance at 600;
  // each time one is ready (660, 720, 780, 840) an old one goes and the next new one launches.
  //   old: 4 × 600 + (60 + 120 + 180 + 240) = 3000 instance-s;  new: 600 + 540 + 480 + 420 = 2040 instance-s
  //   cost = 3000/3600 × 0.096 + 2040/3600 × 0.192 = 0.08 + 0.1088 = 0.1888
  const { summary } = runScenario(parseScenario({
    name: 'bill', duration: '20m', sampleInterval: '1m', traffic: { rate: 1e-9 },
    components: { api: { kind: 'pool', instanceType: 'm6i.large', serviceTime: '10ms', bootTime: '60s', deploy: deployment(4, 1, 0) } },
    releases: [{ at: '10m', pool: 'api', instanceType: 'm6i.xlarge' }],
  }, 'bill.yaml', '.'));
  const api = summary.components.api as PoolSummary, v = api.versions!;
  t.equal(api.completions, 0, 'no request ran (so no instance drained slowly)');
  t.ok(Math.abs(v.v1.instanceHours! - 3000 / 3600) < 1e-12, `old size: ${v.v1.instanceHours! * 3600} instance-s`);
  t.ok(Math.abs(v['v1+m6i.xlarge'].instanceHours! - 2040 / 3600) < 1e-12, `new size: ${v['v1+m6i.xlarge'].instanceHours! * 3600} instance-s`);
  t.ok(Math.abs(api.cost - 0.1888) < 1e-12, `pool cost ${api.cost}`);
  t.ok(Math.abs(summary.cost.total - 0.1888) < 1e-12, 'and the run\'s total');
  t.ok(Math.abs(api.instanceHours - 5040 / 3600) < 1e-12, 'instance-hours of both sizes');
  t.same(v['v1+m6i.xlarge'].size, { instanceType: 'm6i.xlarge', workers: 4, pricePerHour: 0.192, cpuRequest: 4000, cpuLimit: 4000, memoryRequest: 16 * 2 ** 30 });
  t.equal(api.instances.max, 5, 'never more than replicas + maxSurge');
  const ev = summary.events!.find((e) => e.kind === 'resize');
  t.equal(ev?.time, 600);
  t.match(ev?.detail, /m6i\.large: 2 workers.* → m6i\.xlarge: 4 workers/);
});

t.test('cost over a blue-green resize (hand-computed): the old fleet billed until keepOld after the switch', async (t) => {
  // 4 × m6i.large; at 5 min 4 × m6i.xlarge launch (boot 30 s), traffic switches when all are ready
  // (5.5 min), the old fleet goes keepOld 2 min later (7.5 min). Old: 4 × 7.5 min = 0.5 h at $0.096;
  // new: 4 × 10 min = 0.6667 h at $0.192. Total 0.048 + 0.128 = 0.176.
  const { summary } = runScenario(parseScenario({
    name: 'bg', seed: 3, duration: '15m', sampleInterval: '30s', traffic: { rate: 100 },
    components: { lb: { kind: 'loadBalancer', upstream: 'api' }, api: { kind: 'pool', instanceType: 'm6i.large', instances: 4, serviceTime: '30ms', bootTime: '30s' } },
    releases: [{ at: '5m', pool: 'api', instanceType: 'm6i.xlarge', blueGreen: { keepOld: '2m' } }],
  }, 'bg.yaml', '.'));
  const api = summary.components.api as PoolSummary, v = api.versions!;
  t.ok(Math.abs(v.v1.instanceHours! - 0.5) < 1e-9, `old: ${v.v1.instanceHours} h`);
  t.ok(Math.abs(v['v1+m6i.xlarge'].instanceHours! - 40 / 60) < 1e-9, `new: ${v['v1+m6i.xlarge'].instanceHours} h`);
  t.ok(Math.abs(api.cost - 0.176) < 1e-9, `cost ${api.cost}`);
  t.equal(api.instances.max, 8, 'both fleets while the new one comes up and the old one is kept');
});

t.test('random resizes keep replicas − maxUnavailable ready, ≤ replicas + maxSurge pods, and the capacity each size brings', async (t) => {
  const settings = fc.record({
    replicas: fc.integer({ min: 1, max: 10 }),
    surge: fc.integer({ min: 0, max: 3 }),
    unavailable: fc.integer({ min: 0, max: 3 }),
    from: fc.integer({ min: 1, max: 8 }),
    to: fc.integer({ min: 1, max: 8 }),
    seed: fc.integer({ min: 1, max: 1e6 }),
  }).filter((s) => s.surge + s.unavailable > 0 && s.from !== s.to);
  let runs = 0;
  fc.assert(fc.property(settings, (s) => {
    const sim = instrumented({
      name: 'roll', seed: s.seed, duration: '30m', sampleInterval: '1m', traffic: { rate: 20 },
      components: {
        web: {
          kind: 'pool', workers: s.from, serviceTime: { dist: 'exponential', mean: '50ms' }, bootTime: { dist: 'uniform', min: '5s', max: '40s' },
          readinessDelay: '2s', drainTimeout: '5s', deploy: deployment(s.replicas, s.surge, s.unavailable),
        },
      },
      releases: [{ at: '1m', pool: 'web', workers: s.to }],
    });
    const p = sim.pool;
    const [maxSurge, maxUnavailable] = resolveFenceposts({ value: s.surge, percent: false }, { value: s.unavailable, percent: false }, s.replicas);
    let ok = true;
    sim.onEvent(() => {
      let ready = 0, total = 0, workers = 0;
      for (let i = 0; i < p.n; i++) {
        if (p.life[i] === Life.Ready) { ready++; workers += p.workers[i]; }
        if (p.life[i] <= Life.Ready) total++;
        if (p.life[i] !== Life.Gone && p.workers[i] !== (p.version[i] === 0 ? s.from : s.to)) ok = false;
        if (p.busy[i] > p.workers[i]) ok = false; // a worker slot per worker of its own size
      }
      if (ready < s.replicas - maxUnavailable || total > s.replicas + maxSurge) ok = false;
      if (p.capacity.current !== workers) ok = false; // the fleet's capacity is each ready instance's own workers
      if (workers < (s.replicas - maxUnavailable) * Math.min(s.from, s.to)) ok = false;
    });
    sim.run();
    runs++;
    return ok && p.timeline.rollouts[0].outcome === 'complete' && p.activeOf(1) === s.replicas && p.capacity.current === s.replicas * s.to;
  }), { numRuns: 60, seed: 11 });
  t.equal(runs, 60, 'every random resize stayed within the bounds at every event and ended at the new size');
});

t.test('after a resize the queue has the new size\'s workers: M/M/4 waits (Erlang C) in the CI of replications', async (t) => {
  // One instance of 1 worker, λ = 3/s, μ = 1/s: unstable until it is resized to 4 workers (Recreate at
  // t = 1 s, no boot); the warm-up (10 % of the run) leaves the change out. Then P(wait) = C(4, 3).
  const erlangC4 = (() => {
    const a = 3, c = 4;
    let term = 1, sum = 1;
    for (let k = 1; k < c; k++) { term *= a / k; sum += term; }
    const top = ((term * a) / c) * (c / (c - a));
    return top / (sum + top); // 0.5094…
  })();
  const runs = Array.from({ length: 10 }, (_, i) => runScenario(parseScenario({
    name: 'mmc', seed: 500 + i, duration: '20000s', warmup: '2000s', sampleInterval: '1h', traffic: { rate: 3 },
    components: { server: { kind: 'pool', workers: 1, serviceTime: { dist: 'exponential', mean: '1s' }, deploy: deployment(1, 0, 1, 'Recreate') } },
    releases: [{ at: '1s', pool: 'server', workers: 4 }],
  }, 'mmc.yaml', '.')).summary.components.server as PoolSummary);
  const prob = ci95(runs.map((r) => r.wait.probWait));
  const wait = ci95(runs.map((r) => r.wait.mean));
  const wq = erlangC4 / (4 - 3);
  t.ok(prob.low <= erlangC4 && erlangC4 <= prob.high, `P(wait) = ${erlangC4.toFixed(4)} in CI [${prob.low.toFixed(4)}, ${prob.high.toFixed(4)}]`);
  t.ok(wait.low <= wq && wq <= wait.high, `Wq = ${wq.toFixed(4)} in CI [${wait.low.toFixed(4)}, ${wait.high.toFixed(4)}]`);
  t.ok(prob.halfWidth < 0.05 * erlangC4, 'an informative interval');
});

t.test('on nodes: a bigger pod stays Pending until the Cluster Autoscaler adds a node; its workers run unthrottled', async (t) => {
  // One m6i.large node (2000m) holds both 500m pods; the first 1500m pod fits beside neither, so it
  // waits for a node (boot 60 s); the second fits on the first node once an old pod left it.
  // maxSurge 1, maxUnavailable 0: the old pods serve meanwhile.
  const { summary, rows } = runScenario(parseScenario({
    name: 'vpa', seed: 3, duration: '15m', sampleInterval: '10s', traffic: { rate: 80 },
    components: {
      api: {
        kind: 'pool', workers: 2, cpuRequest: '500m', cpuLimit: '500m', cpuPerWorker: '500m', serviceTime: { dist: 'exponential', mean: '20ms' },
        bootTime: '5s', deploy: deployment(2, 1, 0),
      },
    },
    nodes: { pools: { general: { instanceType: 'm6i.large', count: 1, min: 1, max: 4, bootTime: '60s' } } },
    releases: [{ at: '2m', pool: 'api', cpuRequest: '1500m' }],
  }, 'vpa.yaml', '.'));
  const nodes = summary.nodes!;
  t.equal(nodes.scaleUps, 1, 'one node added');
  t.equal(nodes.pools.general.nodes.final, 2, 'the cluster ends on two nodes');
  t.ok(nodes.pending.waited >= 1 && nodes.pending.waitMax >= 60, `${nodes.pending.waited} pods waited, up to ${nodes.pending.waitMax} s (the node's boot)`);
  const api = summary.components.api as PoolSummary;
  t.equal(api.versions!['v1+cpu1500m'].instancesFinal, 2, 'both pods at the new size in the end');
  t.equal(api.errors.noUpstream + api.errors.refused, 0, 'the old pods served while the new ones waited for nodes');
  const v2 = rows.filter((r) => r.component === 'api@v1+cpu1500m');
  t.ok(v2.some((r) => r.instances_total! > 0 && r.instances_ready === 0 && r.time > 130), 'a new pod existed, not ready, while waiting');
  // The old pods' two busy workers want 1000m under a 500m limit (CFS: each at half speed; 40 req/s ×
  // 20 ms per pod is 80 % of its 500m); the new limit 1500m lets both run at full speed.
  const v = api.versions!;
  t.ok(v['v1+cpu1500m'].latency.p50 < 0.5 * v.v1.latency.p50, `p50 ${v['v1+cpu1500m'].latency.p50} s at the new size vs ${v.v1.latency.p50} s throttled`);
});

t.test('same seed, same bytes with a resize; per-version cost sums to the pool\'s at every sample', async (t) => {
  const raw = {
    name: 'det', seed: 9, duration: '15m', sampleInterval: '15s', traffic: { rate: 150 },
    components: {
      lb: { kind: 'loadBalancer', upstream: 'api' },
      api: {
        kind: 'pool', instanceType: 'm6i.large', backlog: 64, serviceTime: { dist: 'lognormal', median: '30ms', p99: '150ms' }, bootTime: '30s',
        deploy: deployment(6, 0, 1),
      },
    },
    releases: [{ at: '3m', pool: 'api', instanceType: 'm6i.xlarge' }],
  };
  const once = () => {
    const r = runScenario(parseScenario(raw, 'det.yaml', '.'));
    return { bytes: JSON.stringify(r.summary) + writeSeriesCsv(r.rows), rows: r.rows };
  };
  const a = once(), b = once();
  t.equal(a.bytes, b.bytes, 'two runs, byte for byte');
  t.ok(a.bytes.includes('api@v1+m6i.xlarge'), 'both sizes in them');
  let mismatches = 0;
  for (const row of a.rows.filter((r) => r.component === 'api')) {
    const parts = a.rows.filter((r) => r.time === row.time && r.component.startsWith('api@')).reduce((s, r) => s + r.cost!, 0);
    if (Math.abs(parts - row.cost!) > 1e-12) mismatches++;
  }
  t.equal(mismatches, 0, 'the sizes\' costs add up to the pool\'s in every interval');
});
