// The statistics that judge SLOs and changes on the noise, against outside references.
import t from 'tap';
import { holm, judgeOnNoise, replicationsNeeded, sampleFromInterval, sampleOf, welch } from '../../src/stats/noise.ts';
import { ci95 } from '../../src/stats/confidence.ts';

t.test("Welch's t against SciPy (Wikipedia's Welch's t-test, example 1)", async (t) => {
  // Data: en.wikipedia.org/wiki/Welch%27s_t-test "Examples", example 1.
  // Reference: scipy 1.17.1 stats.ttest_ind(b, a, equal_var=False): t = 2.455356, p = 0.021378; df = 24.98853.
  const a = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4];
  const b = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4];
  const d = welch(sampleOf(a), sampleOf(b));
  t.ok(Math.abs(d.df - 24.98853) < 1e-4, `df ${d.df}`);
  t.ok(Math.abs(d.p - 0.021378) < 1e-5, `p ${d.p}`);
  // 95% CI of the difference: diff ± t(0.975, df)·se, t(0.975, 24.98853) = 2.059587 (scipy stats.t.ppf)
  const se = d.diff / 2.455356;
  t.ok(Math.abs((d.high - d.diff) - 2.059587 * se) < 1e-4, 'interval half-width');
});

t.test('no spread: the difference is exact', async (t) => {
  t.equal(welch({ n: 5, mean: 2, sd: 0 }, { n: 5, mean: 2, sd: 0 }).p, 1);
  t.equal(welch({ n: 5, mean: 2, sd: 0 }, { n: 5, mean: 2.1, sd: 0 }).p, 0);
});

t.test("Holm's step-down, worked by hand", async (t) => {
  // sorted 0.005 ≤ 0.05/4, 0.01 ≤ 0.05/3, 0.03 > 0.05/2: stop
  t.strictSame(holm([0.01, 0.04, 0.03, 0.005], 0.05), [true, false, false, true]);
  t.strictSame(holm([0.2, 0.3], 0.05), [false, false]);
  t.strictSame(holm([0.001, 0.049], 0.05), [true, true]); // 0.049 ≤ 0.05/1 once the first is out
});

t.test('SLO verdicts on the interval of the mean', async (t) => {
  const xs = [0.20, 0.22, 0.21, 0.23, 0.19];
  const ci = ci95(xs); // 0.21 ± 2.776·0.01581/√5 = 0.21 ± 0.01963
  t.equal(judgeOnNoise(xs, '<=', 0.25).verdict, 'pass');
  t.equal(judgeOnNoise(xs, '<=', 0.18).verdict, 'fail');
  const inc = judgeOnNoise(xs, '<=', 0.22);
  t.equal(inc.verdict, 'inconclusive');
  t.ok(Math.abs(inc.high - ci.high) < 1e-12 && Math.abs(inc.low - ci.low) < 1e-12, 'the same interval as confidence.ts');
  t.ok(inc.needed! > 5, `needs more than the 5 it has: ${inc.needed}`);
  t.equal(judgeOnNoise(xs, '>=', 0.15).verdict, 'pass');
  t.equal(judgeOnNoise([0.3], '<=', 0.25).verdict, 'fail', 'one run: its value decides');
  t.equal(judgeOnNoise([0, 0, 0], '<=', 0.001).verdict, 'pass', 'no spread: exact');
  t.equal(judgeOnNoise([1, 2, 3], '<=', 2).needed, null, 'a mean on the bound cannot be decided');
});

t.test('replications needed: the one-sample t-test sample size at 80% power', async (t) => {
  // Reference (scipy 1.17.1): smallest n with (t.ppf(.975, n−1) + t.ppf(.8, n−1))·s/√n ≤ d
  t.equal(replicationsNeeded({ n: 3, mean: 0, sd: 1 }, 1), 10);
  t.equal(replicationsNeeded({ n: 3, mean: 0, sd: 3 }, 0.5), 285);
  // and never below the normal-theory figure ((1.96 + 0.8416)·s/d)² = 7.85
  t.ok(replicationsNeeded({ n: 2, mean: 0, sd: 1 }, 1)! >= 7.85);
});

t.test('a sample recovered from its 95% interval', async (t) => {
  const xs = [3, 5, 4, 6, 7];
  const ci = ci95(xs), s = sampleOf(xs);
  const back = sampleFromInterval(5, ci.mean, ci.low, ci.high);
  t.ok(Math.abs(back.sd - s.sd) < 1e-3, `${back.sd} vs ${s.sd}`);
});
