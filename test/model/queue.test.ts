// The message queue against closed forms, each inside the 95 % CI of independent replications:
// an M/M/c consumer pool behind an unbounded queue (Erlang C: the message's wait for a worker),
// and a bounded queue as M/M/1/K (the fraction of producers refused: P_K).
import t from 'tap';
import { parseScenario } from '../../src/scenario/index.ts';
import { runScenario } from '../../src/model/index.ts';
import { ci95 } from '../../src/stats/confidence.ts';
import type { PoolSummary, RunSummary } from '../../src/stats/results.ts';
import type { CdnSummary, QueueSummary } from '../../src/stats/data-tier.ts';

function run(raw: Record<string, unknown>, seed: number) {
  return runScenario(parseScenario({ name: 'q', sampleInterval: '1h', ...raw, seed }, 'test.yaml', '.'));
}
const seeds = (n: number) => Array.from({ length: n }, (_, i) => 900 + i);
const queueOf = (r: RunSummary) => r.components.jobs as QueueSummary;

/** Erlang C: probability an arrival waits in M/M/c with offered load a = λ/μ (a < c). */
function erlangC(c: number, a: number): number {
  let term = 1, sum = 1;
  for (let k = 1; k < c; k++) { term *= a / k; sum += term; }
  const top = ((term * a) / c) * (c / (c - a));
  return top / (sum + top);
}

t.test('M/M/10 consumers behind an unbounded queue: Erlang C for the message wait', async (t) => {
  const lambda = 9, c = 10, pw = erlangC(c, lambda), wq = pw / (c - lambda);
  const runs = seeds(12).map((seed) => run({
    duration: 40000, warmup: 4000, traffic: { rate: lambda },
    components: {
      jobs: { kind: 'queue', consumers: 'workers', enqueueTime: '2ms' },
      workers: { kind: 'pool', instances: 1, workers: c, serviceTime: { dist: 'exponential', mean: '1s' } },
    },
  }, seed).summary);
  const wait = ci95(runs.map((r) => queueOf(r).wait.mean)), prob = ci95(runs.map((r) => queueOf(r).wait.probWait));
  t.ok(wait.low <= wq && wq <= wait.high, `Wq = ${wq.toFixed(4)} in CI [${wait.low.toFixed(4)}, ${wait.high.toFixed(4)}]`);
  t.ok(prob.low <= pw && pw <= prob.high, `P(wait) = ${pw.toFixed(4)} in CI [${prob.low.toFixed(4)}, ${prob.high.toFixed(4)}]`);
  t.ok(wait.halfWidth < 0.1 * wq, `informative: half-width ${wait.halfWidth.toFixed(4)}`);
  // The producer's latency is the enqueue, not the work: it is answered in 2 ms.
  for (const r of runs.slice(0, 2)) t.ok(Math.abs(r.latency.mean - 0.002) < 1e-6, `producer latency ${r.latency.mean} = the 2 ms enqueue`);
  // Messages are not client requests: completions count producers only.
  const r0 = runs[0];
  t.equal(r0.totals.completions + r0.totals.inFlight, r0.totals.arrivals, 'every producer request answered or in flight');
  t.ok(Math.abs(queueOf(r0).consumed - (r0.components.workers as PoolSummary).completions) <= 0, 'consumed = the pool\'s completions');
});

t.test('bounded queue, one consumer: M/M/1/K refuses a fraction P_K = (1−ρ)ρ^K / (1−ρ^{K+1})', async (t) => {
  for (const [rho, K] of [[0.9, 5], [1.3, 8]] as const) {
    const pk = ((1 - rho) * rho ** K) / (1 - rho ** (K + 1));
    const runs = seeds(10).map((seed) => run({
      duration: 30000, warmup: 1000, traffic: { rate: rho },
      components: {
        jobs: { kind: 'queue', consumers: 'workers', capacity: K - 1, enqueueTime: 0 },
        workers: { kind: 'pool', instances: 1, workers: 1, serviceTime: { dist: 'exponential', mean: '1s' } },
      },
    }, seed).summary);
    const refused = ci95(runs.map((r) => queueOf(r).rejected / queueOf(r).arrivals));
    t.ok(refused.low <= pk && pk <= refused.high, `ρ=${rho} K=${K}: P_K = ${pk.toFixed(4)} in CI [${refused.low.toFixed(4)}, ${refused.high.toFixed(4)}]`);
    const r0 = runs[0];
    t.equal(r0.totals.errors.queueFull, queueOf(r0).rejected, 'refusals are the queueFull errors of the run');
  }
});

t.test('depth and the oldest message age reach the series', async (t) => {
  const res = run({
    duration: 600, traffic: { rate: { step: { initial: 5, steps: [{ at: '200s', rate: 30 }, { at: '400s', rate: 5 }] } } },
    sampleInterval: '20s',
    components: {
      jobs: { kind: 'queue', consumers: 'workers' },
      workers: { kind: 'pool', instances: 2, workers: 5, serviceTime: '1s' },
    },
  }, 1);
  const rows = res.rows.filter((r) => r.component === 'jobs');
  const during = rows.filter((r) => r.time > 220 && r.time <= 400), before = rows.filter((r) => r.time <= 200);
  t.ok(Math.max(...before.map((r) => r.in_flight)) <= 10, 'little depth at 5/s with 10 workers');
  t.ok(during.at(-1)!.in_flight > 2000, `depth grows at 30/s into 10/s of capacity: ${during.at(-1)!.in_flight}`);
  t.ok(during.at(-1)!.oldest_age! > 100, `the oldest message has waited ${during.at(-1)!.oldest_age!.toFixed(0)} s`);
  t.ok(rows.every((r) => r.oldest_age !== null && r.oldest_age !== undefined), 'every queue row has an oldest age');
  t.ok(res.rows.filter((r) => r.component !== 'jobs').every((r) => r.oldest_age === undefined || r.oldest_age === null), 'other components have none');
});
