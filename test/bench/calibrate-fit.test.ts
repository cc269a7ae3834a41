// The fitter against known answers: samples drawn from a lognormal and a gamma with known
// parameters (the simulator's own samplers, seeded), fitted again. The true parameters must lie in
// the 95 % confidence interval of the estimates over independent replications, and the interval
// must be narrow enough to mean something. Samples are also put through nginx's millisecond clock
// (a true d logs as ⌊u + d/1ms⌋ ms, u uniform: two truncated clocks subtracted) to check that the
// log's resolution neither biases the fit nor makes KS reject a right family.
import t, { type Test } from 'tap';
import { ValueCounts, fitSample, type FitReport } from '../../src/bench/fit.ts';
import { sampler } from '../../src/sim/distribution.ts';
import type { Dist } from '../../src/sim/distribution-types.ts';
import { stream } from '../../src/sim/rng.ts';
import { ci95 } from '../../src/stats/confidence.ts';

const R = 20, N = 2000;

function draw(dist: Dist, seed: number, n: number, grid: 'continuous' | 'nginx'): ValueCounts {
  const s = sampler(dist, stream(seed, 'fit-test'));
  const phase = stream(seed, 'clock-phase');
  const c = new ValueCounts(grid === 'nginx' ? 0.001 : 1e-9);
  for (let i = 0; i < n; i++) {
    const d = s();
    c.record(grid === 'nginx' ? Math.floor(phase() + d / 0.001) * 0.001 : d);
  }
  return c;
}

function replications(dist: Dist, grid: 'continuous' | 'nginx'): FitReport[] {
  return Array.from({ length: R }, (_, i) => fitSample(draw(dist, 100 + i, N, grid)));
}

function inCi(t: Test, name: string, truth: number, xs: number[], maxRelHalfWidth: number) {
  const ci = ci95(xs);
  t.ok(ci.low <= truth && truth <= ci.high, `${name} = ${truth.toPrecision(5)} in CI [${ci.low.toPrecision(5)}, ${ci.high.toPrecision(5)}]`);
  t.ok(ci.halfWidth < maxRelHalfWidth * Math.abs(truth), `${name}: CI half-width ${ci.halfWidth.toPrecision(3)} under ${maxRelHalfWidth * 100}% of it`);
}

const LOGNORMAL: Dist = { kind: 'lognormal', mu: Math.log(0.035), sigma: 0.6 }; // median 35 ms, p99 141 ms
const GAMMA: Dist = { kind: 'gamma', shape: 2.5, scale: 0.01 }; // mean 25 ms, cv 0.63

for (const grid of ['continuous', 'nginx'] as const) {
  t.test(`lognormal (median 35 ms, σ 0.6), ${grid} values: parameters recovered, family chosen`, async (t) => {
    const fits = replications(LOGNORMAL, grid);
    const ln = fits.map((f) => f.candidates.lognormal!) as Array<{ mu: number; sigma: number }>;
    inCi(t, 'mu', Math.log(0.035), ln.map((p) => p.mu), 0.01);
    inCi(t, 'sigma', 0.6, ln.map((p) => p.sigma), 0.01);
    t.equal(fits.filter((f) => f.family === 'lognormal').length, R, 'lognormal chosen in every replication');
    // At α = 1 % a right family is rejected in about 1 of 100 samples: more than 2 of 20 would be the KS grid model failing.
    t.ok(fits.filter((f) => f.ks.distance > f.ks.critical).length <= 2, 'KS rejects the true family at most twice in 20');
  });

  t.test(`gamma (shape 2.5, scale 10 ms), ${grid} values: parameters recovered, family chosen`, async (t) => {
    const fits = replications(GAMMA, grid);
    const g = fits.map((f) => f.candidates.gamma!) as Array<{ shape: number; scale: number }>;
    inCi(t, 'shape', 2.5, g.map((p) => p.shape), 0.02);
    inCi(t, 'scale', 0.01, g.map((p) => p.scale), 0.02);
    t.equal(fits.filter((f) => f.family === 'gamma').length, R, 'gamma chosen in every replication');
  });
}

t.test('the fit error is reported against the sample: p50/p90/p99 and KS', async (t) => {
  const f = fitSample(draw(LOGNORMAL, 7, 20000, 'nginx'));
  t.equal(f.family, 'lognormal');
  t.equal(f.n, 20000);
  t.equal(f.resolution, 0.001);
  for (const q of ['p50', 'p90', 'p99'] as const) {
    t.ok(Math.abs(f.quantiles[q].error) < 0.05, `${q}: fitted ${f.quantiles[q].fitted.toFixed(4)} vs sample ${f.quantiles[q].sample.toFixed(4)}`);
  }
  t.ok(f.ks.distance < f.ks.critical, `KS ${f.ks.distance.toFixed(4)} < ${f.ks.critical.toFixed(4)}`);
  t.same(f.dist, f.candidates.lognormal, 'the distribution written is the chosen candidate');
});

t.test('neither family fits a two-peaked sample: empirical, and the reason says KS', async (t) => {
  // A cache in front of a database: 70 % hits around 2 ms, 30 % misses around 40 ms.
  const hits = sampler({ kind: 'lognormal', mu: Math.log(0.002), sigma: 0.2 }, stream(3, 'hits'));
  const misses = sampler({ kind: 'lognormal', mu: Math.log(0.04), sigma: 0.2 }, stream(3, 'misses'));
  const which = stream(3, 'which');
  const c = new ValueCounts(1e-9);
  for (let i = 0; i < 5000; i++) c.record(which() < 0.7 ? hits() : misses());
  const f = fitSample(c);
  t.equal(f.family, 'empirical');
  t.match(f.criterion, /rejected by KS/);
  t.equal((f.dist as { samples: number[] }).samples.length, 1000, '1000 quantiles kept');
  for (const q of ['p50', 'p90', 'p99'] as const) t.ok(Math.abs(f.quantiles[q].error) < 0.02, `${q} error ${f.quantiles[q].error}`);
});

t.test('times below the log resolution: empirical (nginx overhead is mostly 0 ms)', async (t) => {
  const c = new ValueCounts(0.001);
  c.record(0, 800);
  c.record(0.001, 200);
  const f = fitSample(c);
  t.equal(f.family, 'empirical');
  t.match(f.criterion, /80\.0 % of the values are below the log's resolution/);
  t.ok(Math.abs(f.mean.fitted - 0.0002) < 1e-9, `mean kept: ${f.mean.fitted}`);
});

t.test('too small a sample is refused', async (t) => {
  const c = new ValueCounts(0.001);
  c.record(0.01);
  t.throws(() => fitSample(c), /at least 2 values/);
});
