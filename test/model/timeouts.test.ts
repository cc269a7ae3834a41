// Deadlines: a request at a pool longer than its timeout fails with 504 at exactly that moment,
// and a balancer with `proxy_next_upstream timeout` tries the next peer, as nginx does.
import t from 'tap';
import { parseScenario } from '../../src/scenario/index.ts';
import { runScenario } from '../../src/model/index.ts';

function scenario(service: string, timeout: string, extra: Record<string, unknown> = {}) {
  return parseScenario({
    name: 'timeouts', seed: 5, duration: '2h', sampleInterval: '10m',
    traffic: { rate: 0.2 },
    components: {
      web: { kind: 'pool', instances: 2, workers: 50, serviceTime: service, timeout, ...extra },
    },
  }, 'timeouts.yaml', '.');
}

t.test('service longer than the timeout: every request times out after exactly the timeout', async (t) => {
  const { summary } = runScenario(scenario('2s', '1s'));
  const done = summary.totals.arrivals - summary.totals.inFlight;
  t.ok(done > 1000, `${done} requests ended`);
  t.equal(summary.totals.errors.timeout, done, 'all of them by timeout');
  t.equal(summary.totals.completions, 0);
  // W over finished requests is exactly 1 s; in-flight ones at the end count up to T (Little).
  t.ok(Math.abs(summary.totals.meanInSystem - summary.totals.offeredRate * summary.totals.meanResponse) < 1e-9);
  t.ok(summary.totals.meanResponse <= 1 + 1e-9 && summary.totals.meanResponse > 0.99, `mean time to fail ${summary.totals.meanResponse}`);
});

t.test('service shorter than the timeout: none times out', async (t) => {
  const { summary } = runScenario(scenario('900ms', '1s'));
  t.equal(summary.totals.errors.timeout, 0);
  t.equal(summary.totals.completions + summary.totals.inFlight, summary.totals.arrivals);
});

t.test('proxy_next_upstream timeout: the second peer is tried, the request fails after two timeouts', async (t) => {
  const sc = parseScenario({
    name: 'retry', seed: 5, duration: '2h', sampleInterval: '10m',
    traffic: { rate: 0.2 },
    components: {
      lb: { kind: 'loadBalancer', upstream: 'web', maxFails: 0, nextUpstream: { on: ['timeout'], tries: 2 } },
      web: { kind: 'pool', instances: 3, workers: 50, serviceTime: '5s', timeout: '1s' },
    },
  } as never, 'retry.yaml', '.');
  const { summary } = runScenario(sc);
  const lb = summary.components.lb, pool = summary.components.web;
  t.ok(lb.kind === 'loadBalancer' && pool.kind === 'pool');
  if (lb.kind !== 'loadBalancer' || pool.kind !== 'pool') return;
  const ended = summary.totals.arrivals - summary.totals.inFlight;
  t.equal(summary.totals.errors.timeout, ended, 'every request ends in 504');
  t.equal(lb.retries, pool.arrivals - summary.totals.arrivals, 'each retry is one more attempt at the pool');
  t.ok(lb.retries >= ended, 'every ended request was retried once');
  const inFlight = summary.totals.inFlight;
  t.ok(pool.errors.timeout >= 2 * ended && pool.errors.timeout <= 2 * ended + inFlight, 'two timed-out attempts at the pool per ended request');
  t.ok(summary.totals.meanResponse <= 2 + 1e-9 && summary.totals.meanResponse > 1.98, `time to fail ≈ 2 s (${summary.totals.meanResponse})`);
});
