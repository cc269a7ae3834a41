// The two parametric families calibration fits to service times, each by maximum likelihood on a
// weighted sample (distinct values with their counts, so a log of millions of lines is a few
// thousand numbers):
//   lognormal: μ̂ = mean(ln x), σ̂² = mean((ln x − μ̂)²)                       (closed form)
//   gamma:     ln k − ψ(k) = ln(mean x) − mean(ln x), θ̂ = mean x / k̂         (Newton on k from
//              Minka's starting point, "Estimating a Gamma distribution", 2002)
// ψ and ψ' come from stdlib, the regularised incomplete gamma too; ln Γ and erf from
// simple-statistics. Nothing here is hand-rolled that a library has.
import digamma from '@stdlib/math-base-special-digamma';
import trigamma from '@stdlib/math-base-special-trigamma';
import gammainc from '@stdlib/math-base-special-gammainc';
import { errorFunction, gammaln } from 'simple-statistics';

/** Distinct values (ascending, > 0) with how often each was seen. */
export interface Weighted {
  values: Float64Array;
  counts: Float64Array;
  n: number; // Σ counts
}

export type Parametric =
  | { kind: 'lognormal'; mu: number; sigma: number }
  | { kind: 'gamma'; shape: number; scale: number };

export interface FamilyFit {
  dist: Parametric;
  logLik: number;
  cdf: (x: number) => number;
  quantile: (p: number) => number;
}

function logMoments(w: Weighted): { mean: number; meanLog: number; varLog: number } {
  let s = 0, sl = 0;
  for (let i = 0; i < w.values.length; i++) {
    s += w.counts[i]! * w.values[i]!;
    sl += w.counts[i]! * Math.log(w.values[i]!);
  }
  const mean = s / w.n, meanLog = sl / w.n;
  let v = 0;
  for (let i = 0; i < w.values.length; i++) {
    const d = Math.log(w.values[i]!) - meanLog;
    v += w.counts[i]! * d * d;
  }
  return { mean, meanLog, varLog: v / w.n };
}

const SQRT2 = Math.SQRT2;
const LN_2PI = Math.log(2 * Math.PI);

function normalCdf(z: number): number {
  return 0.5 * (1 + errorFunction(z / SQRT2));
}

export function lognormalFamily(mu: number, sigma: number): Omit<FamilyFit, 'logLik'> {
  return {
    dist: { kind: 'lognormal', mu, sigma },
    cdf: (x) => (x <= 0 ? 0 : normalCdf((Math.log(x) - mu) / sigma)),
    quantile: (p) => Math.exp(mu + sigma * normalQuantile(p)),
  };
}

export function gammaFamily(shape: number, scale: number): Omit<FamilyFit, 'logLik'> {
  const cdf = (x: number) => (x <= 0 ? 0 : gammainc(x / scale, shape, true, false));
  return { dist: { kind: 'gamma', shape, scale }, cdf, quantile: (p) => invert(cdf, p, shape * scale) };
}

export function fitLognormal(w: Weighted): FamilyFit {
  const { meanLog: mu, varLog } = logMoments(w);
  const sigma = Math.sqrt(varLog);
  let ll = 0;
  for (let i = 0; i < w.values.length; i++) {
    const lx = Math.log(w.values[i]!), z = (lx - mu) / sigma;
    ll += w.counts[i]! * (-lx - Math.log(sigma) - 0.5 * LN_2PI - 0.5 * z * z);
  }
  return { ...lognormalFamily(mu, sigma), logLik: ll };
}

export function fitGamma(w: Weighted): FamilyFit {
  const { mean, meanLog } = logMoments(w);
  const s = Math.log(mean) - meanLog; // > 0 unless every value is equal (Jensen)
  let k = s > 0 ? (3 - s + Math.sqrt((s - 3) ** 2 + 24 * s)) / (12 * s) : 1e6;
  for (let i = 0; i < 100 && s > 0; i++) {
    const step = (Math.log(k) - digamma(k) - s) / (1 / k - trigamma(k));
    const next = k - step;
    k = next > 0 ? next : k / 2; // Newton from Minka's start converges; the guard keeps k positive
    if (Math.abs(step) < 1e-12 * k) break;
  }
  const scale = mean / k;
  let ll = 0;
  const norm = k * Math.log(scale) + gammaln(k);
  for (let i = 0; i < w.values.length; i++) {
    const x = w.values[i]!;
    ll += w.counts[i]! * ((k - 1) * Math.log(x) - x / scale - norm);
  }
  return { ...gammaFamily(k, scale), logLik: ll };
}

/** Φ⁻¹(p) by bisection on Φ: p is one of a handful of quantiles asked per fit, so speed does not matter. */
function normalQuantile(p: number): number {
  return invert((z) => normalCdf(z), p, 0, -40, 40);
}

/** x with cdf(x) = p, by bracketing from a guess then bisection (cdf non-decreasing). */
function invert(cdf: (x: number) => number, p: number, guess: number, lo?: number, hi?: number): number {
  let a = lo ?? 0, b = hi ?? Math.max(guess, 1e-9);
  if (hi === undefined) while (cdf(b) < p && b < 1e12) b *= 2;
  for (let i = 0; i < 200 && b - a > 1e-12 * Math.max(1, Math.abs(b)); i++) {
    const m = (a + b) / 2;
    if (cdf(m) < p) a = m;
    else b = m;
  }
  return (a + b) / 2;
}
