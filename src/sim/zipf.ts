// Zipf key popularity: rank k in 1..n drawn with P(k) ∝ k^(−s), s > 0, in O(1) expected time per
// draw and no allocation, by rejection-inversion (W. Hörmann and G. Derflinger, "Rejection-inversion
// to generate variates from monotone discrete distributions", ACM TOMACS 6(3), 1996; the same
// construction as Apache Commons RNG's RejectionInversionZipfSampler). It inverts the integral H of
// the continuous hat h(x) = x^(−s) and accepts rank k when the uniform falls under k's own mass;
// the acceptance rate is above 90 % for every s and n, so no table of n entries is built (an alias
// table would cost 12 bytes per key and O(n) setup for the same O(1) draw).
import type { Rng } from './rng.ts';

export class ZipfSampler {
  private readonly hX1: number; // H(1.5) − h(1)
  private readonly hN: number; // H(n + 0.5)
  private readonly sC: number; // 2 − H⁻¹(H(2.5) − h(2)): ranks within sC of x are accepted at once

  constructor(readonly n: number, readonly s: number, private readonly rng: Rng) {
    if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`zipf: key count must be an integer ≥ 1, got ${n}`);
    if (!(s > 0 && Number.isFinite(s))) throw new RangeError(`zipf: exponent must be > 0, got ${s}`);
    this.hX1 = this.H(1.5) - 1;
    this.hN = this.H(n + 0.5);
    this.sC = 2 - this.Hinv(this.H(2.5) - this.h(2));
  }

  /** A rank in 1..n (1 the most popular). */
  next(): number {
    const n = this.n, hN = this.hN, span = this.hX1 - hN;
    for (;;) {
      const u = hN + this.rng() * span;
      const x = this.Hinv(u);
      let k = Math.floor(x + 0.5);
      if (k < 1) k = 1;
      else if (k > n) k = n;
      if (k - x <= this.sC || u >= this.H(k + 0.5) - this.h(k)) return k;
    }
  }

  /** h(x) = x^(−s). */
  private h(x: number): number {
    return Math.exp(-this.s * Math.log(x));
  }

  /** H(x) = (x^(1−s) − 1)/(1 − s), written so that s → 1 gives log x without cancellation. */
  private H(x: number): number {
    const lx = Math.log(x);
    return expm1OverX((1 - this.s) * lx) * lx;
  }

  private Hinv(y: number): number {
    const t = y * (1 - this.s);
    return Math.exp(log1pOverX(t < -1 ? -1 : t) * y);
  }
}

/** log(1 + x)/x, 1 at x = 0. */
function log1pOverX(x: number): number {
  return Math.abs(x) > 1e-8 ? Math.log1p(x) / x : 1 - x * (0.5 - x * (1 / 3 - 0.25 * x));
}

/** (e^x − 1)/x, 1 at x = 0. */
function expm1OverX(x: number): number {
  return Math.abs(x) > 1e-8 ? Math.expm1(x) / x : 1 + x * 0.5 * (1 + x / 3 * (1 + 0.25 * x));
}

/** The exact probabilities of ranks 1..n (tests and Che's approximation; O(n)). */
export function zipfPmf(n: number, s: number): Float64Array {
  const p = new Float64Array(n);
  let z = 0;
  for (let k = 1; k <= n; k++) z += p[k - 1] = Math.pow(k, -s);
  for (let k = 0; k < n; k++) p[k] /= z;
  return p;
}
