// Calls, connection pools and routing loops against queueing theory's closed forms. Each check runs
// independent replications (seeds 1000, 1001, …) and asserts that the theoretical value lies in the
// 95% confidence interval of the replication means (the house pattern, test/model/queueing.test.ts).
import t from 'tap';
import { parseScenario } from '../../src/scenario/index.ts';
import { runScenario } from '../../src/model/index.ts';
import { ci95 } from '../../src/stats/confidence.ts';
import type { PoolSummary, RunSummary } from '../../src/stats/results.ts';

function run(raw: Record<string, unknown>, seed: number): RunSummary {
  return runScenario(parseScenario({ name: 'calls', sampleInterval: '10m', ...raw, seed }, 'calls.yaml', '.')).summary;
}

function replicate(n: number, f: (seed: number) => RunSummary): RunSummary[] {
  return Array.from({ length: n }, (_, i) => f(1000 + i));
}

const pool = (s: RunSummary, name: string) => s.components[name] as PoolSummary;

/** Erlang C: probability an arrival waits in M/M/c with offered load a = λ/μ (a < c). */
function erlangC(c: number, a: number): number {
  let term = 1, sum = 1;
  for (let k = 1; k < c; k++) { term *= a / k; sum += term; }
  const top = ((term * a) / c) * (c / (c - a));
  return top / (sum + top);
}

const inCi = (t: { ok: (ok: boolean, message: string) => void }, name: string, theory: number, xs: number[]) => {
  const ci = ci95(xs);
  t.ok(ci.low <= theory && theory <= ci.high, `${name}: theory ${theory.toFixed(5)} in CI [${ci.low.toFixed(5)}, ${ci.high.toFixed(5)}]`);
  return ci;
};

t.test('fork-join of two exponential calls at low load: E[max] = 1/a + 1/b − 1/(a+b)', async (t) => {
  // The caller does no work of its own and never queues (workers ≫ load); the callees are
  // infinite-server-like, so a request's time at the caller is max(X, Y), X ~ Exp(a), Y ~ Exp(b).
  const a = 10, b = 4; // per second
  const theory = 1 / a + 1 / b - 1 / (a + b); // 0.27857…
  const runs = replicate(12, (seed) => run({
    duration: '2000s', warmup: '20s',
    traffic: { rate: 10 },
    components: {
      caller: { kind: 'pool', instances: 1, workers: 500, serviceTime: '0ms', calls: [{ parallel: [{ to: 'x' }, { to: 'y' }] }] },
      x: { kind: 'pool', instances: 1, workers: 500, serviceTime: { dist: 'exponential', rate: a } },
      y: { kind: 'pool', instances: 1, workers: 500, serviceTime: { dist: 'exponential', rate: b } },
    },
  }, seed));
  const ci = inCi(t, 'mean time at the caller', theory, runs.map((r) => pool(r, 'caller').latency.mean));
  t.ok(ci.halfWidth < 0.02 * theory, `CI half-width ${ci.halfWidth.toFixed(5)} under 2% of E[max]`);
  // Not the sum (sequential calls) nor the slower call alone: the check tells fork-join apart.
  t.ok(ci.high < 1 / a + 1 / b && ci.low > 1 / b, 'between max(E[X], E[Y]) and E[X] + E[Y]');
  t.ok(runs.every((r) => pool(r, 'x').arrivals === pool(r, 'caller').arrivals), 'every request made both calls');
});

t.test('a pool whose workers wait on a slow dependency saturates at workers / (own + call time) per instance', async (t) => {
  // 2 instances × 4 workers, own work 20 ms, the call 80 ms: 2 · 4 / 0.1 = 80 requests/s, whatever
  // is offered beyond (here 120/s and 200/s; the excess is refused at the backlog), while the
  // dependency (200 workers, 80·0.08 = 6.4 busy) is nowhere near saturation.
  const capacity = (2 * 4) / (0.02 + 0.08);
  for (const offered of [120, 200]) {
    const runs = replicate(12, (seed) => run({
      duration: '1000s',
      traffic: { rate: offered },
      components: {
        app: { kind: 'pool', instances: 2, workers: 4, backlog: 20, serviceTime: { dist: 'exponential', mean: '20ms' }, calls: [{ to: 'dep' }] },
        dep: { kind: 'pool', instances: 1, workers: 200, serviceTime: { dist: 'exponential', mean: '80ms' } },
      },
    }, seed));
    inCi(t, `throughput at ${offered}/s offered`, capacity, runs.map((r) => r.totals.throughput));
    // Of each worker's cycle, the call takes 80 / (20 + 80): the share of busy time spent waiting.
    inCi(t, 'share of busy worker time waiting on the call', 0.08 / 0.1, runs.map((r) => pool(r, 'app').calls!.waitingShare));
    t.ok(runs.every((r) => pool(r, 'app').utilisation > 0.99), 'the callers\' workers are all busy (own work or waiting)');
    t.ok(runs.every((r) => pool(r, 'dep').utilisation < 0.05), `the dependency is not saturated (${pool(runs[0], 'dep').utilisation.toFixed(3)})`);
  }
});

t.test('a connection pool of size k in front of a database is an M/M/k queue (Erlang C wait for a connection)', async (t) => {
  // One caller instance with a pool of k = 5 connections; its own work is nil and its workers
  // plentiful, so calls arrive at the pool as the Poisson arrivals do (λ = 40/s). A connection is
  // held for the query, Exp(μ = 10/s) at a primary that runs more queries at once than there are
  // connections: the pool is M/M/5 with a = 4 (ρ = 0.8).
  const k = 5, lambda = 40, mu = 10, a = lambda / mu;
  const pw = erlangC(k, a), wq = pw / (k * mu - lambda);
  const runs = replicate(12, (seed) => run({
    duration: '3000s', warmup: '30s',
    traffic: { rate: lambda },
    components: {
      app: { kind: 'pool', instances: 1, workers: 1000, serviceTime: '0ms', calls: [{ to: 'db' }], connections: { db: { size: k, acquireTimeout: 'none' } } },
      db: { kind: 'database', primary: { workers: 16, serviceTime: { dist: 'exponential', rate: mu } } },
    },
  }, seed));
  const conn = (r: RunSummary) => pool(r, 'app').calls!.to.db.connections!;
  inCi(t, 'P(wait for a connection)', pw, runs.map((r) => conn(r).wait.probWait));
  const w = inCi(t, 'mean wait for a connection (s)', wq, runs.map((r) => conn(r).wait.mean));
  t.ok(w.halfWidth < 0.1 * wq, 'the interval is informative (half-width under 10% of Wq)');
  inCi(t, 'connections in use (= a)', a, runs.map((r) => conn(r).meanInUse));
  t.ok(runs.every((r) => pool(r, 'db/primary').wait.probWait === 0), 'the database itself never queues: the pool does');
});

t.test("two M/M/1 stations with feedback match Jackson's product form", async (t) => {
  // λ = 1/s enters A; A routes every request to B; B sends it back to A with p = 0.3, else it leaves.
  // Traffic equations: λA = λB = λ / (1 − p). Mean number at a station: ρ / (1 − ρ).
  const lambda = 1, p = 0.3, muA = 2, muB = 2.5;
  const lA = lambda / (1 - p), rhoA = lA / muA, rhoB = lA / muB;
  const LA = rhoA / (1 - rhoA), LB = rhoB / (1 - rhoB);
  const runs = replicate(12, (seed) => run({
    duration: '30000s',
    traffic: { rate: lambda },
    components: {
      a: { kind: 'pool', instances: 1, workers: 1, serviceTime: { dist: 'exponential', rate: muA }, next: 'b' },
      b: { kind: 'pool', instances: 1, workers: 1, serviceTime: { dist: 'exponential', rate: muB }, next: [{ to: 'a', p }] },
    },
  }, seed));
  inCi(t, 'mean number at A', LA, runs.map((r) => pool(r, 'a').meanInPool));
  inCi(t, 'mean number at B', LB, runs.map((r) => pool(r, 'b').meanInPool));
  inCi(t, 'visits to A per request', 1 / (1 - p), runs.map((r) => pool(r, 'a').arrivals / r.totals.arrivals));
  inCi(t, 'mean time in system W = (LA + LB) / λ', (LA + LB) / lambda, runs.map((r) => r.totals.meanResponse));
});
