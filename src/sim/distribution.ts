// Samplers and moments for the one distribution type (./distribution-types.ts).
import type { Dist } from './distribution-types.ts';
import type { Rng } from './rng.ts';

export type { Dist } from './distribution-types.ts';

/** Standard normal draws by the polar method; keeps the spare for the next call. */
function normalSource(rng: Rng): () => number {
  let spare = NaN;
  return () => {
    if (spare === spare) { const s = spare; spare = NaN; return s; }
    let u: number, v: number, q: number;
    do {
      u = 2 * rng() - 1;
      v = 2 * rng() - 1;
      q = u * u + v * v;
    } while (q >= 1 || q === 0);
    const f = Math.sqrt((-2 * Math.log(q)) / q);
    spare = v * f;
    return u * f;
  };
}

/** Marsaglia & Tsang (2000); shape < 1 boosted by U^(1/shape). */
function gammaSource(shape: number, rng: Rng): () => number {
  const normal = normalSource(rng);
  const boost = shape < 1;
  const a = boost ? shape + 1 : shape;
  const d = a - 1 / 3, c = 1 / Math.sqrt(9 * d);
  return () => {
    for (;;) {
      let x: number, v: number;
      do { x = normal(); v = 1 + c * x; } while (v <= 0);
      v = v * v * v;
      const u = rng();
      if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
        const g = d * v;
        return boost ? g * Math.pow(1 - rng(), 1 / shape) : g;
      }
    }
  };
}

/** A sampler drawing from `dist` with `rng`. */
export function sampler(dist: Dist, rng: Rng): () => number {
  switch (dist.kind) {
    case 'constant': { const v = dist.value; return () => v; }
    case 'exponential': { const m = dist.mean; return () => -m * Math.log(1 - rng()); }
    case 'uniform': { const lo = dist.min, w = dist.max - dist.min; return () => lo + w * rng(); }
    case 'normal': {
      const n = normalSource(rng), m = dist.mean, sd = dist.sd;
      return () => { for (;;) { const x = m + sd * n(); if (x >= 0) return x; } };
    }
    case 'lognormal': { const n = normalSource(rng), mu = dist.mu, s = dist.sigma; return () => Math.exp(mu + s * n()); }
    case 'gamma': { const g = gammaSource(dist.shape, rng), sc = dist.scale; return () => sc * g(); }
    case 'pareto': { const xm = dist.scale, inv = 1 / dist.shape; return () => xm / Math.pow(1 - rng(), inv); }
    case 'empirical': { const xs = Float64Array.from(dist.samples), n = xs.length; return () => xs[Math.floor(rng() * n)]; }
  }
}

/** The mean (Infinity for a Pareto with shape <= 1). The truncated normal's mean is exact too. */
export function mean(dist: Dist): number {
  switch (dist.kind) {
    case 'constant': return dist.value;
    case 'exponential': return dist.mean;
    case 'uniform': return (dist.min + dist.max) / 2;
    case 'normal': {
      if (dist.sd === 0) return Math.max(0, dist.mean);
      const a = -dist.mean / dist.sd; // truncation point in standard units
      return dist.mean + dist.sd * phi(a) / (1 - bigPhi(a));
    }
    case 'lognormal': return Math.exp(dist.mu + dist.sigma * dist.sigma / 2);
    case 'gamma': return dist.shape * dist.scale;
    case 'pareto': return dist.shape <= 1 ? Infinity : dist.shape * dist.scale / (dist.shape - 1);
    case 'empirical': return dist.samples.reduce((s, x) => s + x, 0) / dist.samples.length;
  }
}

/** Squared coefficient of variation, E[X²]/E[X]² − 1, as Pollaczek–Khinchine wants it. */
export function scv(dist: Dist): number {
  switch (dist.kind) {
    case 'constant': return 0;
    case 'exponential': return 1;
    case 'uniform': { const m = mean(dist), w = dist.max - dist.min; return m === 0 ? 0 : (w * w / 12) / (m * m); }
    case 'normal': {
      if (dist.sd === 0) return 0;
      const a = -dist.mean / dist.sd, lam = phi(a) / (1 - bigPhi(a));
      const v = dist.sd * dist.sd * (1 + a * lam - lam * lam), m = mean(dist);
      return v / (m * m);
    }
    case 'lognormal': return Math.exp(dist.sigma * dist.sigma) - 1;
    case 'gamma': return 1 / dist.shape;
    case 'pareto': return dist.shape <= 2 ? Infinity : 1 / (dist.shape * (dist.shape - 2));
    case 'empirical': {
      const m = mean(dist);
      const v = dist.samples.reduce((s, x) => s + (x - m) * (x - m), 0) / dist.samples.length;
      return v / (m * m);
    }
  }
}

function phi(x: number): number {
  return Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
}

/** Standard normal CDF via erfc (W. J. Cody's rational approximations are overkill here: Abramowitz–Stegun 7.1.26 is 1.5e-7). */
function bigPhi(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-z * z);
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}
