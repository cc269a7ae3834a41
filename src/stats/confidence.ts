// Confidence intervals over independent replications (or batch means) by Student's t.
import { mean, sampleStandardDeviation } from 'simple-statistics';

// t_{0.975, df} for df = 1..30, from any table of Student's t (e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2).
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
  2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086,
  2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** Two-sided 97.5% quantile of Student's t with df degrees of freedom. */
export function t975(df: number): number {
  if (df < 1) throw new Error(`t975: df must be at least 1, got ${df}`);
  if (df <= 30) return T975[df - 1];
  // Cornish–Fisher expansion about the normal quantile; within 1e-3 of tables for df > 30.
  const z = 1.959964, z3 = z ** 3, z5 = z ** 5;
  return z + (z3 + z) / (4 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96 * df * df);
}

export interface Interval {
  mean: number;
  halfWidth: number;
  low: number;
  high: number;
  n: number;
}

/** 95% confidence interval for the mean of independent observations. */
export function ci95(xs: number[]): Interval {
  if (xs.length < 2) throw new Error('ci95: needs at least two observations');
  const m = mean(xs);
  const hw = (t975(xs.length - 1) * sampleStandardDeviation(xs)) / Math.sqrt(xs.length);
  return { mean: m, halfWidth: hw, low: m - hw, high: m + hw, n: xs.length };
}
