// The CDN edge thins a Poisson stream: the origin sees λ(1 − f), still Poisson — an M/M/1 origin
// waits as M/M/1 at that rate (inside the 95 % CI of replications) — with per-class fractions
// weighted by the mix, and the run's cost gains exactly the edge requests × the price per request.
import t from 'tap';
import { parseScenario } from '../../src/scenario/index.ts';
import { runScenario } from '../../src/model/index.ts';
import { ci95 } from '../../src/stats/confidence.ts';
import type { PoolSummary, RunSummary } from '../../src/stats/results.ts';
import type { CdnSummary } from '../../src/stats/data-tier.ts';

function run(seed: number): RunSummary {
  return runScenario(parseScenario({
    name: 'cdn', seed, duration: 60000, warmup: 6000, sampleInterval: '1h',
    traffic: {
      rate: 2,
      mix: [{ name: 'static', weight: 1, entry: 'edge' }, { name: 'api', weight: 1, entry: 'edge' }],
    },
    components: {
      edge: { kind: 'cdn', origin: 'app', edge: { default: 0.3, classes: { static: 0.9 } }, edgeTime: '20ms', pricePerRequest: 0.0001 },
      app: { kind: 'pool', instances: 1, workers: 1, serviceTime: { dist: 'exponential', mean: '1s' }, pricePerHour: 0.5 },
    },
  }, 'test.yaml', '.')).summary;
}

t.test('CDN edge: the origin sees λ(1 − f), Poisson (M/M/1 waits), and cost adds edge requests × price', async (t) => {
  const lambda = 2, f = 0.5 * 0.9 + 0.5 * 0.3, origin = lambda * (1 - f); // 0.8
  const runs = Array.from({ length: 12 }, (_, i) => run(700 + i));
  const app = (r: RunSummary) => r.components.app as PoolSummary, edge = (r: RunSummary) => r.components.edge as CdnSummary;
  const rate = ci95(runs.map((r) => app(r).arrivals / r.scenario.duration));
  const wq = ci95(runs.map((r) => app(r).wait.mean)), Wq = origin / (1 - origin); // ρ/(μ−λ) with μ = 1: 4
  const frac = ci95(runs.map((r) => edge(r).edgeFraction));
  t.ok(rate.low <= origin && origin <= rate.high, `origin rate λ(1−f) = ${origin} in CI [${rate.low.toFixed(4)}, ${rate.high.toFixed(4)}]`);
  t.ok(frac.low <= f && f <= frac.high, `edge fraction ${f} in CI [${frac.low.toFixed(4)}, ${frac.high.toFixed(4)}]`);
  t.ok(wq.low <= Wq && Wq <= wq.high, `origin Wq = ${Wq} (M/M/1 at λ(1−f)) in CI [${wq.low.toFixed(3)}, ${wq.high.toFixed(3)}]`);
  for (const r of runs.slice(0, 3)) {
    const e = edge(r), poolCost = app(r).cost;
    t.equal(e.cost, e.atEdge * 0.0001, `edge cost = ${e.atEdge} edge requests × 0.0001`);
    t.ok(Math.abs(r.cost.total - (poolCost + e.cost)) < 1e-9, `run cost ${r.cost.total.toFixed(4)} = pool ${poolCost.toFixed(4)} + edge ${e.cost.toFixed(4)}`);
    t.equal(e.atEdge + e.toOrigin, e.arrivals, 'every request answered at the edge or passed on');
  }
  const byClass = runs[0].classes!;
  t.ok(byClass.static.latency.p50 < 0.05 && byClass.api.latency.p50 > 0.05, 'static answered mostly at the edge (20 ms), api mostly at the origin');
});

t.test('a per-class fraction naming an unknown class is an error with a did-you-mean', async (t) => {
  t.throws(() => parseScenario({
    duration: 10, traffic: { rate: 1, mix: [{ name: 'static', entry: 'edge' }] },
    components: { edge: { kind: 'cdn', origin: 'app', edge: { classes: { statc: 0.9 } } }, app: { kind: 'pool', instances: 1, serviceTime: '1ms' } },
  }, 'x.yaml', '.'), { message: 'x.yaml: components.edge.edge.classes.statc: expected a request class of traffic.mix (did you mean "static"?), got "statc"' });
});
