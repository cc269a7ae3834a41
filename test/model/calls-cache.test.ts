// A pool's calls to a cache and to a queue (the Saler guide's app servers → Redis → PostgreSQL, and
// its message queue with workers):
//  - a cache with a fixed hit ratio h in front of an M/M/1 backend, called by a pool: the calls are
//    a Poisson stream (the pool never queues: M/G/∞ departures are Poisson), the hits thin it, so
//    the backend is M/M/1 at λ(1 − h) — its rate and waits inside the 95 % CI of replications —
//    and the caller waits on the whole path: its latency is its own work + (1 − h)·W_backend;
//  - a pool that enqueues answers once the message is stored, whatever the consumer's backlog,
//    and the consumer pool drains every message afterwards.
import t from 'tap';
import { parseScenario } from '../../src/scenario/index.ts';
import { runScenario } from '../../src/model/index.ts';
import { ci95 } from '../../src/stats/confidence.ts';
import { callCauseLines } from '../../src/report/call-causes.ts';
import type { PoolSummary, RunSummary } from '../../src/stats/results.ts';
import type { CacheSummary, QueueSummary } from '../../src/stats/data-tier.ts';

function run(raw: Record<string, unknown>, seed: number): RunSummary {
  return runScenario(parseScenario({ name: 'calls-cache', sampleInterval: '1h', ...raw, seed }, 'test.yaml', '.')).summary;
}

t.test('a pool calls a cache (hit ratio h) in front of M/M/1: the backend is M/M/1 at λ(1 − h)', async (t) => {
  const lambda = 2, h = 0.6, mu = 1, own = 0.001, rate1 = lambda * (1 - h); // backend ρ = 0.8
  const runs = Array.from({ length: 12 }, (_, i) => 900 + i).map((seed) => run({
    duration: '60000s', warmup: '6000s', traffic: { rate: lambda },
    components: {
      app: { kind: 'pool', instances: 1, workers: 1000, serviceTime: { dist: 'exponential', mean: `${own * 1000}ms` }, calls: [{ to: 'redis' }] },
      redis: { kind: 'cache', backend: 'db', hitRatio: h, opTime: 0 },
      db: { kind: 'pool', instances: 1, workers: 1, serviceTime: { dist: 'exponential', mean: '1s' } },
    },
  }, seed));
  const pool = (r: RunSummary, n: string) => r.components[n] as PoolSummary;
  const Wq = (rate1 / mu) / (mu - rate1), W = 1 / (mu - rate1); // 4, 5
  const rate = ci95(runs.map((r) => pool(r, 'db').arrivals / r.scenario.duration));
  const wq = ci95(runs.map((r) => pool(r, 'db').wait.mean)), w = ci95(runs.map((r) => pool(r, 'db').latency.mean));
  const app = ci95(runs.map((r) => pool(r, 'app').latency.mean));
  t.ok(rate.low <= rate1 && rate1 <= rate.high, `backend rate λ(1−h) = ${rate1} in CI [${rate.low.toFixed(4)}, ${rate.high.toFixed(4)}]`);
  t.ok(wq.low <= Wq && Wq <= wq.high, `backend Wq = ${Wq} in CI [${wq.low.toFixed(3)}, ${wq.high.toFixed(3)}]`);
  t.ok(w.low <= W && W <= w.high, `backend W = ${W} in CI [${w.low.toFixed(3)}, ${w.high.toFixed(3)}]`);
  t.ok(wq.halfWidth < 0.1 * Wq, `informative: half-width ${wq.halfWidth.toFixed(3)} under 10 % of Wq`);
  // The caller holds its worker until the cache answers, a miss only after the backend has.
  const T = own + (1 - h) * W;
  t.ok(app.low <= T && T <= app.high, `caller latency own + (1−h)·W = ${T} in CI [${app.low.toFixed(3)}, ${app.high.toFixed(3)}]`);
  for (const r of runs) {
    const calls = pool(r, 'app').calls!.to.redis, redis = r.components.redis as CacheSummary;
    if (redis.arrivals !== calls.attempts || r.totals.arrivals !== r.totals.completions + r.totals.inFlight) {
      t.fail(`a run: every call reaches the cache (${redis.arrivals} of ${calls.attempts}) and every request is answered or in flight`);
    }
  }
  t.equal(runs.reduce((s, r) => s + (r.components.redis as CacheSummary).errors.backlogFull + pool(r, 'app').errors.downstream, 0), 0, 'no call failed');
});

t.test('a pool that enqueues answers at once while the consumer pool drains', async (t) => {
  const enqueue = 0.002, own = 0.01, burst = 30, lambda = 5;
  const r = run({
    duration: '600s', sampleInterval: '10s', traffic: { rate: { step: { initial: lambda, steps: [{ at: `${burst}s`, rate: 0 }] } } },
    components: {
      app: { kind: 'pool', instances: 1, workers: 50, serviceTime: `${own * 1000}ms`, calls: [{ to: 'jobs' }] },
      jobs: { kind: 'queue', consumers: 'worker', enqueueTime: `${enqueue * 1000}ms` },
      worker: { kind: 'pool', instances: 1, workers: 1, serviceTime: { dist: 'exponential', mean: '1s' } },
    },
  }, 3);
  const app = r.components.app as PoolSummary, jobs = r.components.jobs as QueueSummary, worker = r.components.worker as PoolSummary;
  t.ok(app.completions > 100, `${app.completions} requests answered during the burst`);
  t.equal(app.completions, r.totals.arrivals, 'every request answered');
  // Every answer took its own work and the enqueue, nothing of the consumer's backlog.
  t.ok(Math.abs(app.latency.max - (own + enqueue)) < 1e-3 && Math.abs(app.latency.mean - (own + enqueue)) < 1e-5,
    `answers take own + enqueue = ${own + enqueue} s (mean ${app.latency.mean}, max ${app.latency.max})`);
  t.ok(jobs.maxDepth > 0.5 * app.completions, `while the consumer lagged far behind (${jobs.maxDepth} messages waiting at most)`);
  t.ok(jobs.maxOldestAge > 10 * (own + enqueue), `the oldest message waited ${jobs.maxOldestAge.toFixed(1)} s (sampled every 10 s)`);
  t.equal(jobs.enqueued, app.completions, 'one message per answered request');
  t.equal(jobs.consumed, jobs.enqueued, 'the consumer pool drained them all');
  t.equal(worker.completions, jobs.consumed, 'each on a consumer worker');
  t.same(jobs.atEnd, { waiting: 0, onWorkers: 0 }, 'nothing left in the queue');
});

t.test('calls that time out at a saturated cache are explained down to the cache', async (t) => {
  const r = run({
    duration: '60s', traffic: { rate: 100 },
    components: {
      app: { kind: 'pool', instances: 1, workers: 200, serviceTime: '1ms', calls: [{ to: 'redis', timeout: '100ms' }] },
      redis: { kind: 'cache', backend: 'db', hitRatio: 0.8, opTime: '20ms' }, // 50 ops/s against 100 calls/s
      db: { kind: 'pool', instances: 1, workers: 8, serviceTime: '5ms' },
    },
  }, 5);
  const line = callCauseLines(r).find((l) => l.includes('when calls to redis timed out'));
  t.match(line, /^app: [\d,]+ failed \(504\) when calls to redis timed out ← redis 100% busy, [\d.]+ waiting on average, hit ratio 8\d%$/, line ?? 'no such line');
});
