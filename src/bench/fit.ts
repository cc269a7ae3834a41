// Choosing and fitting a service-time (or overhead) distribution from a measured sample.
//
// The sample is counted on the grid it was measured on (nginx logs milliseconds), so memory is
// the number of distinct values, never the number of requests.
//
// The choice, and why:
//   1. lognormal and gamma are fitted by maximum likelihood (./families.ts) and compared by AIC.
//      Both have two parameters, so AIC ranks them by likelihood alone; likelihood weighs every
//      value, the tail included, where a KS distance is decided by the body.
//   2. The better one is kept unless the Kolmogorov–Smirnov test rejects it at the 1 % level
//      (D > 1.628/√n): then the log holds enough requests to show the shape is wrong, and the
//      sample's own quantiles (an empirical distribution) are the better model. With parameters
//      estimated from the same sample the exact critical value is smaller (Lilliefors), so this
//      leans toward keeping the parametric fit, which extrapolates the tail and reads as two numbers.
//   3. When more than 1 % of the values are 0 on the grid (times below the log's resolution), the
//      log cannot show a shape near zero: the empirical distribution is used.
// KS is computed on the measurement grid: a value logged as m ticks is compared with what a
// continuous time X would be logged as. nginx subtracts two millisecond clocks, so a true d logs
// as ⌊d⌋ or ⌈d⌉ with probability 1 − frac(d) and frac(d), whence P(M ≤ m) = ∫ₘ^{m+1} F(t) dt (in
// ticks); without this, ties on the grid alone would inflate D by about half a tick's probability.
import type { Dist } from '../sim/distribution-types.ts';
import { fitGamma, fitLognormal, gammaFamily, lognormalFamily, type FamilyFit, type Parametric, type Weighted } from './families.ts';

export type Family = 'lognormal' | 'gamma' | 'empirical';

/** Values counted on a grid of `resolution` seconds (0.001 for nginx's $request_time). */
export class ValueCounts {
  private readonly counts = new Map<number, number>();
  total = 0;
  constructor(readonly resolution: number) {}

  record(seconds: number, times = 1): void {
    const k = Math.round(seconds / this.resolution);
    this.counts.set(k, (this.counts.get(k) ?? 0) + times);
    this.total += times;
  }

  /** Ascending distinct values (seconds) with their counts; `floor` replaces values ≤ 0. */
  weighted(floor?: number): Weighted {
    const keys = [...this.counts.keys()].sort((a, b) => a - b);
    const values = new Float64Array(keys.length), counts = new Float64Array(keys.length);
    keys.forEach((k, i) => {
      values[i] = k <= 0 && floor !== undefined ? floor : k * this.resolution;
      counts[i] = this.counts.get(k)!;
    });
    return { values, counts, n: this.total };
  }
}

export interface QuantileError {
  sample: number; // s
  fitted: number; // s
  error: number; // (fitted − sample) / sample
}

export interface FitReport {
  family: Family;
  /** In the scenario's distribution syntax (seconds), ready for a scenario's serviceTime / overhead. */
  dist: Dist;
  n: number;
  resolution: number; // s: the grid the sample was measured on
  criterion: string; // why this family, in words
  ks: { distance: number; critical: number; alpha: 0.01 };
  aic: { lognormal: number | null; gamma: number | null };
  candidates: { lognormal: Parametric | null; gamma: Parametric | null };
  quantiles: { p50: QuantileError; p90: QuantileError; p99: QuantileError };
  mean: { sample: number; fitted: number };
}

const KS_C_1PC = 1.628; // √(−ln(0.01/2)/2): the asymptotic 1 % critical value of √n·D
const EMPIRICAL_POINTS = 1000;
const ZERO_SHARE_LIMIT = 0.01;

/** Weighted sample quantile (the smallest value whose cumulative count reaches p·n). */
function sampleQuantile(w: Weighted, p: number): number {
  const rank = Math.max(1, Math.ceil(p * w.n));
  let acc = 0;
  for (let i = 0; i < w.values.length; i++) {
    acc += w.counts[i]!;
    if (acc >= rank) return w.values[i]!;
  }
  return w.values[w.values.length - 1]!;
}

/** KS distance between the sample's CDF and a model CDF as the grid would record it. */
function ksOnGrid(w: Weighted, cdf: (x: number) => number, resolution: number): number {
  // Gauss–Legendre, 3 points on [x, x + resolution]: F is smooth over one tick.
  const g = Math.sqrt(3 / 5), nodes = [0.5 - g / 2, 0.5, 0.5 + g / 2], weights = [5 / 18, 8 / 18, 5 / 18];
  const recorded = (x: number) => nodes.reduce((s, u, j) => s + weights[j]! * cdf(x + u * resolution), 0);
  // On a grid both CDFs are steps at the grid points: the sample's is compared at each value seen,
  // and, before it, at the grid point below it (where the model has risen and the sample has not).
  let below = 0, d = 0;
  for (let i = 0; i < w.values.length; i++) {
    const x = w.values[i]!;
    d = Math.max(d, Math.abs(below / w.n - recorded(x - resolution)));
    below += w.counts[i]!;
    d = Math.max(d, Math.abs(below / w.n - recorded(x)));
  }
  return d;
}

function quantileError(sample: number, fitted: number): QuantileError {
  return { sample, fitted, error: sample > 0 ? (fitted - sample) / sample : 0 };
}

/** EMPIRICAL_POINTS evenly spaced sample quantiles, (i + ½)/k: resampling them is the sample's distribution to 1/k. */
export function empiricalPoints(w: Weighted): number[] {
  const k = Math.min(EMPIRICAL_POINTS, w.n);
  return Array.from({ length: k }, (_, i) => sampleQuantile(w, (i + 0.5) / k));
}

function asDist(p: Parametric): Dist {
  return p.kind === 'lognormal' ? { kind: 'lognormal', mu: p.mu, sigma: p.sigma } : { kind: 'gamma', shape: p.shape, scale: p.scale };
}

/** Fits a sample counted by ValueCounts. Needs at least 2 values. */
export function fitSample(counts: ValueCounts): FitReport {
  const res = counts.resolution;
  const raw = counts.weighted();
  if (raw.n < 2) throw new Error(`a sample of at least 2 values is needed to fit a distribution (got ${raw.n})`);
  const zeros = raw.values[0]! <= 0 ? raw.counts[0]! : 0;
  const sq = { p50: sampleQuantile(raw, 0.5), p90: sampleQuantile(raw, 0.9), p99: sampleQuantile(raw, 0.99) };
  let sampleMean = 0;
  for (let i = 0; i < raw.values.length; i++) sampleMean += raw.counts[i]! * raw.values[i]!;
  sampleMean /= raw.n;
  const critical = KS_C_1PC / Math.sqrt(raw.n);

  let fits: FamilyFit[] = [];
  const distinct = raw.values.length > 1;
  if (zeros / raw.n <= ZERO_SHARE_LIMIT && distinct) {
    // A value logged as 0 lies in [0, 1 tick): counted at half a tick for the logarithms.
    const w = counts.weighted(res / 2);
    fits = [fitLognormal(w), fitGamma(w)].filter((f) => Number.isFinite(f.logLik));
  }
  const aic = (k: Parametric['kind']) => {
    const f = fits.find((x) => x.dist.kind === k);
    return f ? 4 - 2 * f.logLik : null;
  };
  const best = fits.sort((a, b) => b.logLik - a.logLik)[0];
  const bestKs = best ? ksOnGrid(raw, best.cdf, res) : Infinity;
  const candidates = {
    lognormal: fits.find((f) => f.dist.kind === 'lognormal')?.dist ?? null,
    gamma: fits.find((f) => f.dist.kind === 'gamma')?.dist ?? null,
  };
  const base = { n: raw.n, resolution: res, aic: { lognormal: aic('lognormal'), gamma: aic('gamma') }, candidates };

  if (best && bestKs <= critical) {
    const other = best.dist.kind === 'lognormal' ? 'gamma' : 'lognormal';
    return {
      ...base,
      family: best.dist.kind,
      dist: asDist(best.dist),
      criterion: `lowest AIC (${best.dist.kind} ${fmt(aic(best.dist.kind)!)} vs ${other} ${aic(other) === null ? 'n/a' : fmt(aic(other)!)}); KS ${fmt(bestKs, 4)} ≤ 1 % critical ${fmt(critical, 4)}`,
      ks: { distance: bestKs, critical, alpha: 0.01 },
      quantiles: {
        p50: quantileError(sq.p50, best.quantile(0.5)),
        p90: quantileError(sq.p90, best.quantile(0.9)),
        p99: quantileError(sq.p99, best.quantile(0.99)),
      },
      mean: { sample: sampleMean, fitted: best.dist.kind === 'lognormal' ? Math.exp(best.dist.mu + best.dist.sigma ** 2 / 2) : best.dist.shape * best.dist.scale },
    };
  }
  const points = empiricalPoints(raw);
  const ew: Weighted = { values: Float64Array.from(points), counts: new Float64Array(points.length).fill(1), n: points.length };
  const why = !distinct
    ? 'every value is the same: the empirical distribution (a constant)'
    : zeros / raw.n > ZERO_SHARE_LIMIT
      ? `${fmt((100 * zeros) / raw.n, 1)} % of the values are below the log's resolution (${res * 1000} ms): no shape can be fitted near zero, empirical`
      : `the best parametric fit (${best!.dist.kind}) is rejected by KS: ${fmt(bestKs, 4)} > 1 % critical ${fmt(critical, 4)}; empirical (${points.length} quantiles)`;
  const empiricalCdf = (x: number) => {
    let c = 0;
    for (const v of points) if (v <= x) c++;
    return c / points.length;
  };
  return {
    ...base,
    family: 'empirical',
    dist: { kind: 'empirical', samples: points },
    criterion: why,
    ks: { distance: ksOnGrid(raw, empiricalCdf, res), critical, alpha: 0.01 },
    quantiles: {
      p50: quantileError(sq.p50, sampleQuantile(ew, 0.5)),
      p90: quantileError(sq.p90, sampleQuantile(ew, 0.9)),
      p99: quantileError(sq.p99, sampleQuantile(ew, 0.99)),
    },
    mean: { sample: sampleMean, fitted: points.reduce((s, x) => s + x, 0) / points.length },
  };
}

function fmt(x: number, digits = 1): string {
  return Number.isFinite(x) ? x.toFixed(digits) : String(x);
}

export { lognormalFamily, gammaFamily };
