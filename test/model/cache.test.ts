// The cache against closed forms, each inside the 95 % CI of independent replications:
//  - a fixed hit ratio h thins the Poisson stream: the backend (an M/M/1 pool) sees λ(1 − h) and
//    waits as M/M/1 at that rate;
//  - an LRU over Zipf keys matches Che's approximation (H. Che, Y. Tung, Z. Wang, "Hierarchical Web
//    caching systems: modeling, design and experimental results", IEEE JSAC 20(7), 2002): the
//    characteristic time T_C solves Σ (1 − e^{−p_i T_C}) = C and the hit ratio is Σ p_i (1 − e^{−p_i T_C});
//    per shard of a cluster, over the keys that hash to it;
//  - a TTL cache without eviction (entries live `ttl` from their fill) is a renewal process per key:
//    h = Σ p_i λp_i·ttl / (1 + λp_i·ttl) (Jung, Berger, Balakrishnan, INFOCOM 2003).
import t from 'tap';
import { parseScenario } from '../../src/scenario/index.ts';
import { runScenario } from '../../src/model/index.ts';
import { ci95 } from '../../src/stats/confidence.ts';
import { zipfPmf } from '../../src/sim/zipf.ts';
import { CacheRuntime } from '../../src/model/cache.ts';
import type { PoolSummary, RunSummary } from '../../src/stats/results.ts';
import type { CacheSummary } from '../../src/stats/data-tier.ts';

function run(raw: Record<string, unknown>, seed: number): RunSummary {
  return runScenario(parseScenario({ name: 'c', sampleInterval: '1h', ...raw, seed }, 'test.yaml', '.')).summary;
}
const seeds = (n: number) => Array.from({ length: n }, (_, i) => 500 + i);

t.test('fixed hit ratio h in front of M/M/1: the backend is M/M/1 at λ(1 − h)', async (t) => {
  const lambda = 2, h = 0.6, mu = 1, rho = (lambda * (1 - h)) / mu; // 0.8
  const runs = seeds(12).map((seed) => run({
    duration: 60000, warmup: 6000, traffic: { rate: lambda },
    components: {
      redis: { kind: 'cache', backend: 'db', hitRatio: h, opTime: 0 },
      db: { kind: 'pool', instances: 1, workers: 1, serviceTime: { dist: 'exponential', mean: '1s' } },
    },
  }, seed));
  const db = (r: RunSummary) => r.components.db as PoolSummary, redis = (r: RunSummary) => r.components.redis as CacheSummary;
  const wq = ci95(runs.map((r) => db(r).wait.mean)), w = ci95(runs.map((r) => db(r).latency.mean));
  const hit = ci95(runs.map((r) => redis(r).hitRatio));
  const rate = ci95(runs.map((r) => db(r).arrivals / r.scenario.duration));
  const Wq = rho / (mu - lambda * (1 - h)), W = 1 / (mu - lambda * (1 - h)); // 4, 5
  t.ok(hit.low <= h && h <= hit.high, `hit ratio ${h} in CI [${hit.low.toFixed(4)}, ${hit.high.toFixed(4)}]`);
  t.ok(rate.low <= lambda * (1 - h) && lambda * (1 - h) <= rate.high, `backend rate λ(1−h) = 0.8 in CI [${rate.low.toFixed(4)}, ${rate.high.toFixed(4)}]`);
  t.ok(wq.low <= Wq && Wq <= wq.high, `backend Wq = ${Wq} in CI [${wq.low.toFixed(3)}, ${wq.high.toFixed(3)}]`);
  t.ok(w.low <= W && W <= w.high, `backend W = ${W} in CI [${w.low.toFixed(3)}, ${w.high.toFixed(3)}]`);
  t.ok(wq.halfWidth < 0.1 * Wq, `informative: half-width ${wq.halfWidth.toFixed(3)} under 10 % of Wq`);
  // Not the unthinned answer: at λ = 2 the backend would be overloaded.
  t.ok(wq.high < 10, 'the thinning is what keeps the backend stable');
});

/** Che's approximation for an LRU of C entries over probabilities p (bisection on T_C). */
function che(p: Float64Array | number[], C: number): number {
  if (C >= p.length) return 1;
  const filled = (T: number) => { let s = 0; for (const x of p) s += 1 - Math.exp(-x * T); return s; };
  let lo = 0, hi = 1;
  while (filled(hi) < C) hi *= 2;
  for (let i = 0; i < 200; i++) { const mid = (lo + hi) / 2; if (filled(mid) < C) lo = mid; else hi = mid; }
  const T = (lo + hi) / 2;
  let h = 0;
  for (const x of p) h += x * (1 - Math.exp(-x * T));
  return h;
}

/** Che per shard: each shard an LRU over the keys hashing to it, weighted by its share of requests. */
function cheCluster(keys: number, s: number, size: number, shards: number): number {
  const p = zipfPmf(keys, s), shardOf = CacheRuntime.prototype.shardOf.bind({ cfg: { shards } } as never) as (k: number) => number;
  let h = 0;
  for (let sh = 0; sh < shards; sh++) {
    const mine: number[] = [];
    for (let k = 0; k < keys; k++) if (shardOf(k) === sh) mine.push(p[k]);
    const share = mine.reduce((a, b) => a + b, 0);
    h += share * che(mine.map((x) => x / share), size);
  }
  return h;
}

for (const { s, keys, size, shards } of [
  { s: 0.8, keys: 2000, size: 200, shards: 1 },
  { s: 1.1, keys: 20000, size: 500, shards: 1 },
  { s: 0.9, keys: 6000, size: 250, shards: 3 },
]) {
  t.test(`LRU hit ratio under Zipf(s=${s}, ${keys} keys), ${size} entries × ${shards} shard(s): Che's approximation`, async (t) => {
    const expected = cheCluster(keys, s, size, shards);
    const runs = seeds(10).map((seed) => run({
      duration: 2000, warmup: 200, traffic: { rate: 200 },
      components: {
        redis: { kind: 'cache', backend: 'db', lru: { size, keys, zipf: s }, opTime: 0, shards, start: 'cold' },
        db: { kind: 'pool', instances: 1, workers: 100000, serviceTime: '1ms' },
      },
    }, seed));
    const hit = ci95(runs.map((r) => (r.components.redis as CacheSummary).hitRatio));
    t.ok(hit.low <= expected && expected <= hit.high, `Che ${expected.toFixed(4)} in CI [${hit.low.toFixed(4)}, ${hit.high.toFixed(4)}]`);
    t.ok(hit.halfWidth < 0.01, `informative: half-width ${hit.halfWidth.toFixed(4)}`);
  });
}

t.test('TTL without eviction: h = Σ p_i λp_i·ttl / (1 + λp_i·ttl)', async (t) => {
  const keys = 3000, s = 0.9, lambda = 100, ttl = 5;
  const p = zipfPmf(keys, s);
  let expected = 0;
  for (const x of p) expected += (x * (lambda * x * ttl)) / (1 + lambda * x * ttl);
  const runs = seeds(10).map((seed) => run({
    duration: 3000, warmup: 100, traffic: { rate: lambda },
    components: {
      redis: { kind: 'cache', backend: 'db', lru: { size: keys, keys, zipf: s, ttl: `${ttl}s` }, opTime: 0, start: 'cold' },
      db: { kind: 'pool', instances: 1, workers: 100000, serviceTime: 0 },
    },
  }, seed));
  const hit = ci95(runs.map((r) => (r.components.redis as CacheSummary).hitRatio));
  t.ok(hit.low <= expected && expected <= hit.high, `renewal ${expected.toFixed(4)} in CI [${hit.low.toFixed(4)}, ${hit.high.toFixed(4)}]`);
});

t.test('a restart empties the cache: the hit ratio collapses and the backend load jumps in the series', async (t) => {
  const res = runScenario(parseScenario({
    name: 'restart', seed: 3, duration: 600, sampleInterval: '2s', traffic: { rate: 200 },
    components: {
      redis: { kind: 'cache', backend: 'db', lru: { size: 2000, keys: 50000, zipf: 1.1 }, opTime: 0, restarts: ['300s'] },
      db: { kind: 'pool', instances: 1, workers: 50, serviceTime: '5ms' },
    },
  }, 'test.yaml', '.'));
  const at = (c: string, time: number) => res.rows.find((r) => r.component === c && r.time === time)!;
  const before = at('redis', 300).hit_ratio!, after = at('redis', 302).hit_ratio!;
  t.ok(before > 0.6 && after < before - 0.2, `hit ratio ${before.toFixed(3)} → ${after.toFixed(3)} in the interval after the restart`);
  t.ok(at('db', 302).offered > 2 * at('db', 300).offered, `backend load ${at('db', 300).offered.toFixed(0)}/s → ${at('db', 302).offered.toFixed(0)}/s`);
  t.ok(at('redis', 590).hit_ratio! > after + 0.1, 'and recovers as keys are filled again');
  t.equal((res.summary.components.redis as CacheSummary).restarts, 1);
  const cold = runScenario(parseScenario({
    name: 'cold', seed: 3, duration: 60, sampleInterval: '10s', traffic: { rate: 200 },
    components: {
      redis: { kind: 'cache', backend: 'db', lru: { size: 2000, keys: 50000, zipf: 1.1 }, opTime: 0, start: 'cold' },
      db: { kind: 'pool', instances: 1, workers: 50, serviceTime: '5ms' },
    },
  }, 'test.yaml', '.'));
  const warmFirst = res.rows.filter((r) => r.component === 'redis' && r.time <= 10).reduce((a, r) => a + r.hit_ratio!, 0) / 5, coldFirst = cold.rows.find((r) => r.component === 'redis' && r.time === 10)!.hit_ratio!;
  t.ok(coldFirst < warmFirst - 0.2, `start: cold ${coldFirst.toFixed(3)} vs warm ${warmFirst.toFixed(3)} in the first interval`);
});

t.test('a shard saturates: one Redis thread at 1 ms per operation serves 1000/s, and connections cap what waits', async (t) => {
  const res = runScenario(parseScenario({
    name: 'sat', seed: 4, duration: 300, sampleInterval: '1m', traffic: { rate: 1500 },
    components: {
      redis: { kind: 'cache', backend: 'db', hitRatio: 1, opTime: '1ms', connections: 100 },
      db: { kind: 'pool', instances: 1, workers: 10, serviceTime: '1ms' },
    },
  }, 'test.yaml', '.')).summary;
  const c = res.components.redis as CacheSummary;
  t.ok(c.utilisation > 0.99, `utilisation ${c.utilisation.toFixed(3)}`);
  t.ok(Math.abs(c.lookups / 300 - 1000) < 20, `${(c.lookups / 300).toFixed(0)} lookups/s`);
  t.ok(c.errors.backlogFull > 0.3 * 1500 * 300 * 0.9, `over maxclients: ${c.errors.backlogFull} refused`);
  t.ok(c.meanQueue <= 100, `at most 100 held: mean queue ${c.meanQueue.toFixed(1)}`);
});
