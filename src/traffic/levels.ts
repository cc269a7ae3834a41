// Load levels: where a rate curve holds one rate over a whole sample interval. A step curve's steps
// are levels; a constant curve is one level; a ramp or a diurnal day has none (no interval sees a
// single offered rate). Predicted vs measured is compared level by level, and calibration fits
// service times on the lowest level.
import type { Curve } from './curve-types.ts';
import { compileCurve } from './curve.ts';

const same = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/**
 * The rate if `c` is constant on [t0, t1), else null. Exact for every curve kind (no sampling);
 * a sum or product counts as constant when each of its terms is.
 */
export function constantRateOn(c: Curve, t0: number, t1: number, clock = 0): number | null {
  switch (c.kind) {
    case 'constant':
      return c.rate;
    case 'ramp':
      if (same(c.from, c.to)) return c.from;
      if (t1 <= c.start) return c.from;
      if (t0 >= c.end) return c.to;
      return null;
    case 'step': {
      const r = compileCurve(c).rate(t0);
      return c.steps.some((s) => s.at > t0 && s.at < t1 && !same(s.rate, r)) ? null : r;
    }
    case 'spike': {
      const top = c.at + c.rise, fall = top + c.hold;
      if (same(c.base, c.peak) || t1 <= c.at) return c.base;
      return t0 >= top && t1 <= fall ? c.peak : null;
    }
    case 'diurnal':
      return same(c.min, c.max) ? c.min : null;
    case 'sum':
    case 'product': {
      const parts = c.of.map((x) => constantRateOn(x, t0, t1, clock));
      if (parts.some((p) => p === null)) return null;
      return c.kind === 'sum' ? parts.reduce((s: number, p) => s + p!, 0) : parts.reduce((s: number, p) => s * p!, 1);
    }
    case 'trace': {
      const f = compileCurve(c, clock);
      const r = f.rate(t0);
      // The rate just before t1, and every sample inside the interval, must equal the rate at t0.
      const end = f.rate(Math.max(t0, t1 - 1e-9 * Math.max(1, t1)));
      if (!same(end, r)) return null;
      for (let i = 0; i < c.times.length; i++) if (c.times[i]! > t0 && c.times[i]! < t1 && !same(c.rates[i]!, r)) return null;
      return r;
    }
  }
}

export interface LevelPlan {
  /** Distinct level rates, ascending (requests per second). */
  rates: number[];
  /** Per sample interval (by index): its level's index in `rates`, or -1 (warmup, or no single rate). */
  levelOf: number[];
}

/**
 * Levels over sample intervals that end at `ends` (each interval starts where the previous ended,
 * the first at 0). Intervals that start before `warmup` belong to no level. Intervals with the
 * same constant rate form one level, wherever they are in the run.
 */
export function levelPlan(c: Curve, ends: number[], warmup: number, clock = 0): LevelPlan {
  const found: number[] = [];
  const rateOf = ends.map((t1, i) => {
    const t0 = i === 0 ? 0 : ends[i - 1]!;
    if (t0 < warmup - 1e-9) return null;
    const r = constantRateOn(c, t0, t1, clock);
    if (r !== null && !found.some((x) => same(x, r))) found.push(r);
    return r;
  });
  const rates = found.sort((a, b) => a - b);
  return { rates, levelOf: rateOf.map((r) => (r === null ? -1 : rates.findIndex((x) => same(x, r)))) };
}
