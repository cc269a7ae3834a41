// A load balancer's own time per request (`overhead`: nginx's request_time − upstream time): a pure
// delay once per request that passes, with no capacity limit.
import t from 'tap';
import { parseScenario } from '../../src/scenario/index.ts';
import { messageOf } from '../scenario/helpers.ts';
import { runScenario } from '../../src/model/index.ts';
import { errorTotal } from '../../src/stats/results.ts';

function scenario(overhead: unknown, service: unknown, workers: number, rate: unknown, seed = 11) {
  return parseScenario({
    name: 'overhead', seed, duration: '1h', sampleInterval: '5m',
    traffic: { rate },
    components: {
      lb: { kind: 'loadBalancer', upstream: 'web', ...(overhead === undefined ? {} : { overhead }) },
      web: { kind: 'pool', instances: 2, workers, serviceTime: service },
    },
  }, 'overhead.yaml', '.');
}

t.test('a constant overhead adds exactly that to every latency', async (t) => {
  // No queueing (1000 workers per instance) and arrivals that stop at 50 min, so every request
  // completes in both runs: the same requests, the same service draws in the same order (a constant
  // delay keeps their order, round robin picks the same peers), each 5 ms later.
  const rate = { step: { initial: 20, steps: [{ at: '50m', rate: 0 }] } };
  const service = { dist: 'exponential', mean: '40ms' };
  const base = runScenario(scenario(undefined, service, 1000, rate)).summary;
  const slow = runScenario(scenario('5ms', service, 1000, rate)).summary;
  t.equal(base.totals.inFlight, 0);
  t.equal(slow.totals.inFlight, 0);
  t.equal(slow.totals.completions, base.totals.completions, 'same requests');
  t.ok(base.totals.completions > 50_000);
  t.ok(Math.abs(slow.latency.mean - base.latency.mean - 0.005) < 1e-12, `mean +5 ms: ${base.latency.mean} → ${slow.latency.mean}`);
  t.ok(Math.abs(slow.latency.max - base.latency.max - 0.005) < 1e-12, `max +5 ms: ${base.latency.max} → ${slow.latency.max}`);
  t.ok(Math.abs(slow.totals.meanResponse - base.totals.meanResponse - 0.005) < 1e-12, 'W +5 ms');
  const pool = (s: typeof base) => s.components.web;
  t.same(pool(slow), pool(base), 'the pool sees the same work: the overhead is not the pool\'s time');
});

t.test("Little's law holds with a random overhead in front of a loaded pool", async (t) => {
  for (const seed of [1, 2, 3]) {
    const s = runScenario(scenario({ dist: 'lognormal', median: '2ms', p99: '30ms' }, { dist: 'exponential', mean: '50ms' }, 4, 140, seed)).summary;
    const L = s.totals.meanInSystem, lw = s.totals.offeredRate * s.totals.meanResponse;
    t.ok(Math.abs(L - lw) <= 1e-9 * L, `seed ${seed}: L = ${L}, λW = ${lw}`);
    t.equal(s.totals.arrivals, s.totals.completions + errorTotal(s.totals.errors) + s.totals.inFlight);
    const web = s.components.web;
    if (web.kind !== 'pool') throw new Error('web is a pool');
    // End to end = overhead + time at the pool; the lognormal's mean is exp(mu + sigma²/2) = 2 ms · exp(sigma²/2).
    const sigma = Math.log(15) / 2.3263478740408408, overheadMean = 0.002 * Math.exp((sigma * sigma) / 2);
    t.ok(Math.abs(s.latency.mean - web.latency.mean - overheadMean) < 0.1 * overheadMean, `end to end − pool ≈ mean overhead ${overheadMean.toFixed(5)} s`);
  }
});

t.test('overhead is a distribution field: bad values name the field', async (t) => {
  t.equal(
    messageOf(() => scenario('fast', '20ms', 10, 5)),
    'overhead.yaml: components.lb.overhead: expected a duration like "20ms", got "fast"',
  );
  t.match(messageOf(() => scenario({ dist: 'exponential', mean: '1ms', p99: '2ms' }, '20ms', 10, 5)), /^overhead\.yaml: components\.lb\.overhead\./);
  const lb = scenario(undefined, '20ms', 10, 5).components[0];
  t.same(lb.kind === 'loadBalancer' ? lb.overhead : 'not a balancer', { kind: 'constant', value: 0 }, 'default: none (a constant 0, which the balancer never draws)');
  const c = scenario({ dist: 'exponential', mean: '1ms' }, '20ms', 10, 5).components[0];
  t.same(c.kind === 'loadBalancer' ? c.overhead : null, { kind: 'exponential', mean: 0.001 });
});
