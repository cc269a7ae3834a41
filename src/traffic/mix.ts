// The request mix: a weighted choice of request class, and the client a request comes from.
import type { Rng } from '../sim/rng.ts';

/** Picks an index with probability proportional to its weight (inverse CDF over a prefix table). */
export class WeightedChoice {
  private readonly cumulative: Float64Array;

  constructor(weights: number[], private readonly rng: Rng) {
    this.cumulative = new Float64Array(weights.length);
    // Scaled by the largest weight first: a sum of weights near 1.8e308 would overflow to Infinity
    // and every class but the last would get a share of 0 (two weights of 1e308 sent everything to one).
    const top = Math.max(...weights);
    let s = 0;
    weights.forEach((w, i) => { s += w / top; this.cumulative[i] = s; });
    for (let i = 0; i < weights.length; i++) this.cumulative[i] /= s;
  }

  pick(): number {
    const c = this.cumulative;
    if (c.length === 1) return 0; // one class: no draw
    const u = this.rng();
    for (let i = 0; i < c.length - 1; i++) if (u < c[i]) return i;
    return c.length - 1;
  }
}

/**
 * A simulated client's IPv4 address from its id: spread over many /24s by a fixed integer hash, so
 * ip_hash (which hashes the first three octets) sees realistic address diversity.
 */
export function clientAddress(id: number): number {
  let x = (id + 1) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b) >>> 0;
  x = (x ^ (x >>> 16)) >>> 0;
  return ((10 << 24) | (x & 0xffffff)) >>> 0; // 10.x.y.z: private space, never a real target
}
