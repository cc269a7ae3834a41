// Judging figures on the run-to-run noise of independent replications (seeds seed, seed+1, …).
//
// An SLO over replications is about the figure's expected value (the mean over seeds): it passes
// when the whole 95% confidence interval of the mean (Student's t, confidence.ts) is within the
// bound, fails when the whole interval is beyond it, and is inconclusive otherwise — each verdict
// is wrong with probability at most 2.5% when the replications are independent and their mean is
// close to normal (a run's p99 or error rate is a statistic of thousands of requests).
//
// How many replications would decide an inconclusive SLO: the textbook sample size for a
// one-sample t-test (e.g. Montgomery, Design and Analysis of Experiments, §2.4; the replication
// count of Law, Simulation Modeling and Analysis, §9.4.1, with power added), with the observed
// standard deviation s and distance d = |mean − bound| plugged in: the smallest n with
//   (t(0.975, n−1) + t(0.80, n−1)) · s / √n ≤ d,
// i.e. the interval would exclude the bound with 80% probability if the mean and s stay as seen.
// It is an estimate from a noisy s: take it as an order of magnitude.
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { mean, sampleStandardDeviation } from 'simple-statistics';
import { ci95 } from './confidence.ts';

export type Verdict = 'pass' | 'fail' | 'inconclusive';

/** n observations summarised: what a significance test needs. */
export interface Sample {
  n: number;
  mean: number;
  sd: number;
}

export function sampleOf(values: readonly number[]): Sample {
  if (values.length === 0) throw new Error('sampleOf: no values');
  return { n: values.length, mean: mean(values as number[]), sd: values.length > 1 ? sampleStandardDeviation(values as number[]) : 0 };
}

/** Back from a 95% interval (Student's t, as confidence.ts builds it) to n, mean and sd. */
export function sampleFromInterval(n: number, meanValue: number, low: number, high: number): Sample {
  if (n < 2) return { n, mean: meanValue, sd: 0 };
  return { n, mean: meanValue, sd: ((high - low) / 2) * Math.sqrt(n) / tQuantile(0.975, n - 1) };
}

export interface SloJudgement {
  verdict: Verdict;
  mean: number;
  /** The 95% confidence interval of the mean (equal to mean with one replication). */
  low: number;
  high: number;
  n: number;
  /** Inconclusive only: replications that would decide it (see the header), or null when the mean sits on the bound. */
  needed?: number | null;
}

/** Caps the sample-size search: beyond it the answer is "more than this". */
export const MAX_NEEDED = 100_000;

export function judgeOnNoise(values: readonly number[], op: '<=' | '>=', bound: number): SloJudgement {
  const s = sampleOf(values);
  // The same interval the replications table shows (confidence.ts).
  const { low, high } = s.n > 1 ? ci95(values as number[]) : { low: s.mean, high: s.mean };
  const within = op === '<=' ? high <= bound : low >= bound;
  const beyond = op === '<=' ? low > bound : high < bound;
  const base = { mean: s.mean, low, high, n: s.n };
  if (within) return { verdict: 'pass', ...base };
  if (beyond || s.n === 1) return { verdict: 'fail', ...base };
  return { verdict: 'inconclusive', ...base, needed: replicationsNeeded(s, Math.abs(s.mean - bound)) };
}

/** The smallest n with (t(.975, n−1) + t(.80, n−1))·sd/√n ≤ distance; null when distance is 0. */
export function replicationsNeeded(s: Sample, distance: number): number | null {
  if (distance <= 0) return null;
  if (s.sd === 0) return s.n;
  const enough = (n: number) => (tQuantile(0.975, n - 1) + tQuantile(0.8, n - 1)) * s.sd / Math.sqrt(n) <= distance;
  let hi = Math.max(2, s.n);
  while (!enough(hi)) {
    if (hi >= MAX_NEEDED) return MAX_NEEDED;
    hi = Math.min(MAX_NEEDED, hi * 2);
  }
  let lo = Math.max(1, Math.floor(hi / 2)); // enough(lo) false or lo < 2
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (mid >= 2 && enough(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

export interface Difference {
  /** b − a. */
  diff: number;
  /** 95% confidence interval of the difference (Welch). */
  low: number;
  high: number;
  /** Two-sided p-value of "no difference". */
  p: number;
  df: number;
}

/**
 * Welch's t-test of b against a (unequal variances, Welch–Satterthwaite degrees of freedom).
 * Why Welch and not a permutation or bootstrap test: replications are few (3–10 a side), where
 * a bootstrap's intervals are too narrow (it sees only the spread of 5 values) and a permutation
 * test has few distinct permutations and assumes equal spreads under the null — while a changed
 * policy changes the spread, not only the mean. Each replication's figure summarises thousands of
 * requests, so its distribution across seeds is close to normal, which is what Welch needs; the
 * false-alarm test in test/check/baseline.test.ts measures the rate this gives.
 * With no spread on either side the difference is exact: p is 0 (different) or 1 (equal).
 */
export function welch(a: Sample, b: Sample): Difference {
  const diff = b.mean - a.mean;
  const va = a.n > 1 ? (a.sd * a.sd) / a.n : 0, vb = b.n > 1 ? (b.sd * b.sd) / b.n : 0;
  const se = Math.sqrt(va + vb);
  const scale = Math.max(Math.abs(a.mean), Math.abs(b.mean), 1e-300);
  if (se <= scale * 1e-12) {
    const same = Math.abs(diff) <= scale * 1e-12;
    return { diff, low: diff, high: diff, p: same ? 1 : 0, df: Infinity };
  }
  const df = (va + vb) ** 2 / ((va > 0 ? va * va / (a.n - 1) : 0) + (vb > 0 ? vb * vb / (b.n - 1) : 0));
  const t = diff / se;
  const p = Math.min(1, 2 * tCdf(-Math.abs(t), df));
  const hw = tQuantile(0.975, df) * se;
  return { diff, low: diff - hw, high: diff + hw, p, df };
}

/**
 * Holm's step-down procedure: which of the p-values are significant with the family-wise error
 * rate held at alpha (Holm 1979). Comparing a run's seven or more key figures at 5% each would
 * raise a false alarm on about one unchanged run in four; Holm keeps it at 5% for all of them.
 */
export function holm(ps: readonly number[], alpha: number): boolean[] {
  const order = ps.map((p, i) => [p, i] as const).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const out = ps.map(() => false);
  for (let k = 0; k < order.length; k++) {
    if (order[k][0] > alpha / (order.length - k)) break;
    out[order[k][1]] = true;
  }
  return out;
}
