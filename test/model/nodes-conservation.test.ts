// Conservation with pods on nodes, as a property: through pending pods, node boots, scale-down
// evictions, crashes and kills of pods mid-flight, CFS caps and contended nodes, every request that
// arrived has completed, failed or is in flight; every request a pod has in service is one its
// instance's workers hold; and each node's requested CPU is the sum of its pods' requests.
import t from 'tap';
import fc from 'fast-check';
import { parseScenario } from '../../src/scenario/index.ts';
import { Simulation } from '../../src/model/index.ts';
import { summarise } from '../../src/model/summary.ts';
import { errorTotal } from '../../src/stats/results.ts';
import { Life } from '../../src/model/fleet.ts';
import { NodeLife, PodState } from '../../src/model/cluster-state.ts';
import { fastHpa } from './fast-hpa.ts';

const scenario = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  rate: fc.integer({ min: 5, max: 300 }),
  instances: fc.integer({ min: 1, max: 6 }),
  workers: fc.integer({ min: 1, max: 6 }),
  meanMs: fc.integer({ min: 5, max: 200 }),
  cpuRequest: fc.constantFrom(250, 500, 1000), // millicores
  cpuPerWorker: fc.constantFrom('200m', '500m', '1'),
  limitFactor: fc.constantFrom(1, 2, 4), // cpuLimit = cpuRequest × this
  nodeType: fc.constantFrom('m6i.large', 'c6i.xlarge'),
  count: fc.integer({ min: 1, max: 2 }),
  scoring: fc.constantFrom('LeastAllocated', 'MostAllocated'),
  timeoutMs: fc.option(fc.integer({ min: 50, max: 2000 }), { nil: undefined }),
  faults: fc.array(fc.oneof(
    fc.record({ at: fc.integer({ min: 1, max: 80 }), kill: fc.constant('web'), count: fc.integer({ min: 1, max: 3 }) }),
    fc.record({ at: fc.integer({ min: 1, max: 80 }), crash: fc.constant('web'), count: fc.integer({ min: 1, max: 3 }) }),
  ), { maxLength: 2 }),
});

t.test('with nodes: arrivals = completions + errors + in flight, pods and nodes agree with the pools', async (t) => {
  let pendingRuns = 0, contended = 0, removed = 0, faulted = 0;
  fc.assert(
    fc.property(scenario, (p) => {
      const raw = {
        name: 'prop-nodes', seed: p.seed, duration: '120s', sampleInterval: '5s',
        faults: p.faults.map((f) => ({ ...f, at: `${f.at}s` })),
        traffic: { rate: { step: { initial: p.rate, steps: [{ at: '30s', rate: p.rate * 4 }, { at: '60s', rate: Math.max(1, p.rate / 4) }] } } },
        components: {
          lb: { kind: 'loadBalancer', upstream: 'web', maxFails: 0, nextUpstream: { on: ['error'], tries: 2 } },
          web: {
            kind: 'pool', instances: p.instances, workers: p.workers, backlog: 50, bootTime: '2s', readinessDelay: '1s', drainTimeout: '1s',
            serviceTime: { dist: 'exponential', mean: `${p.meanMs}ms` },
            cpuRequest: `${p.cpuRequest}m`, cpuLimit: `${p.cpuRequest * p.limitFactor}m`, cpuPerWorker: p.cpuPerWorker,
            ...(p.timeoutMs ? { timeout: `${p.timeoutMs}ms` } : {}),
            metrics: { scrapeInterval: '5s', window: '5s' },
            autoscaling: fastHpa(16),
          },
        },
        nodes: {
          scoring: p.scoring,
          pools: { g: { instanceType: p.nodeType, count: p.count, min: 1, max: 4, bootTime: '8s' } },
          autoscaler: { scaleDownUnneededTime: '15s', scaleDownDelayAfterAdd: '10s' },
        },
      };
      const run = new Simulation(parseScenario(raw, 'prop.yaml', '.')).run();
      const s = summarise(run);
      if (s.nodes!.pending.waited > 0) pendingRuns++;
      if (s.nodes!.scaleDowns > 0) removed++;
      if (s.totals.errors.killed > 0) faulted++;
      if (s.totals.arrivals !== s.totals.completions + errorTotal(s.totals.errors) + s.totals.inFlight) return false;
      // Live request slots are the requests in flight: none leaks when a pod dies with work on it.
      let live = 0;
      for (let i = 0; i < run.requests.capacity; i++) if (run.requests.state[i] >= 1 && run.requests.state[i] <= 3 && run.requests.cls[i] !== run.scenario.mix.length) live++;
      if (live !== s.totals.inFlight) return false;
      const cluster = run.nodes!, pods = cluster.pods, nodes = cluster.nodes, web = run.pools[0];
      // Each live pod's requests in service are its instance's busy workers.
      for (let q = 0; q < pods.n; q++) {
        if (pods.state[q] !== PodState.Bound) continue;
        const inst = pods.inst[q], life = web.life[inst];
        if (life === Life.Gone) return false; // a gone instance keeps no pod
        const busy = life === Life.Down ? 0 : web.busy[inst];
        if (pods.count[q] !== busy) return false;
      }
      // Each node's requested CPU is its pods' requests; a removed node holds none.
      for (let n = 0; n < nodes.n; n++) {
        const sum = nodes.pods[n].reduce((a, q) => a + pods.cpuRequest[q], 0);
        if (Math.abs(sum - nodes.cpuRequested[n]) > 1e-6) return false;
        if (nodes.life[n] === NodeLife.Gone && nodes.pods[n].length > 0) return false;
        if (nodes.want[n] > nodes.cpu[n] * 1.0000001) contended++;
      }
      return true;
    }),
    { numRuns: 60, seed: 7 },
  );
  t.pass('conservation held on 60 random scenarios with nodes');
  t.ok(pendingRuns >= 10, `pods waited for a node in ${pendingRuns} runs`);
  t.ok(removed >= 5, `nodes were removed in ${removed} runs`);
  t.ok(faulted >= 5, `pods were killed or crashed mid-flight in ${faulted} runs`);
  t.ok(contended >= 1, `a node was contended at the end in ${contended} runs`);
});
