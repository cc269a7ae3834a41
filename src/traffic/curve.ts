// Rate curves as functions of time, each with a bound over an interval so arrivals can be drawn
// by thinning window by window (a tight bound keeps thinning cheap through a flash crowd), and its
// integral: the expected number of arrivals, which sizes the work before a run starts.
import type { Curve } from './curve-types.ts';

export type { Curve } from './curve-types.ts';

export interface RateFunction {
  /** The rate is one value at every t, equal to every bound: thinning keeps every candidate without evaluating rate(t). */
  readonly flat: boolean;
  /** Requests per second at time t. */
  rate(t: number): number;
  /** An upper bound of rate on [t0, t1]. */
  maxOn(t0: number, t1: number): number;
  /** ∫ rate over [t0, t1] (t0 ≤ t1): the expected number of arrivals. Exact but for products (numerical). */
  integral(t0: number, t1: number): number;
}

/** Length of [a, b] ∩ [lo, hi]. */
function overlap(a: number, b: number, lo: number, hi: number): number {
  return Math.max(0, Math.min(b, hi) - Math.max(a, lo));
}

/** ∫ over [a, b] ∩ [lo, hi] of a function linear there: trapezoid, exact. */
function linearPart(a: number, b: number, lo: number, hi: number, rate: (t: number) => number): number {
  const x = Math.max(a, lo), y = Math.min(b, hi);
  return y > x ? ((y - x) * (rate(x) + rate(y))) / 2 : 0;
}

/** Midpoint rule for curves without a closed form (products): at most 200 000 evaluations, 10 s apart or closer. */
function numericIntegral(rate: (t: number) => number, t0: number, t1: number): number {
  const n = Math.min(200_000, Math.max(1000, Math.ceil((t1 - t0) / 10)));
  const h = (t1 - t0) / n;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += rate(t0 + (i + 0.5) * h);
  return sum * h;
}

/** Seconds after midnight UTC at t = 0 of a run starting at `startTime` (ISO); 0 without one. */
export function startClock(startTime: string | null | undefined): number {
  const ms = startTime ? Date.parse(startTime) : NaN;
  return Number.isFinite(ms) ? (ms / 1000) % 86400 : 0;
}

/**
 * clock: seconds after midnight (UTC) at t = 0 (startClock), when the scenario has a wall-clock
 * start time; a diurnal curve's peakHour is then an hour of the day rather than hours after the start.
 */
export function compileCurve(c: Curve, clock = 0): RateFunction {
  switch (c.kind) {
    case 'constant': {
      const r = c.rate;
      return { flat: true, rate: () => r, maxOn: () => r, integral: (t0, t1) => r * (t1 - t0) };
    }
    case 'ramp': {
      const { from, to, start, end } = c;
      const rate = (t: number) =>
        t <= start ? from : t >= end ? to : from + ((to - from) * (t - start)) / (end - start);
      return {
        flat: false,
        rate,
        maxOn: (t0, t1) => Math.max(rate(t0), rate(t1)),
        integral: (t0, t1) =>
          from * overlap(t0, t1, -Infinity, start) + linearPart(t0, t1, start, end, rate) + to * overlap(t0, t1, end, Infinity),
      };
    }
    case 'step': {
      const at = c.steps.map((s) => s.at), rates = c.steps.map((s) => s.rate), initial = c.initial;
      const rate = (t: number) => {
        let r = initial;
        for (let i = 0; i < at.length && at[i] <= t; i++) r = rates[i];
        return r;
      };
      return {
        flat: false,
        rate,
        maxOn(t0, t1) {
          let m = rate(t0);
          for (let i = 0; i < at.length; i++) if (at[i] > t0 && at[i] <= t1) m = Math.max(m, rates[i]);
          return m;
        },
        integral(t0, t1) {
          let sum = initial * overlap(t0, t1, -Infinity, at[0] ?? Infinity);
          for (let i = 0; i < at.length; i++) sum += rates[i] * overlap(t0, t1, at[i], at[i + 1] ?? Infinity);
          return sum;
        },
      };
    }
    case 'spike': {
      const { base, peak, at, rise, hold, decay } = c;
      const top = at + rise, fall = top + hold;
      const rate = (t: number) => {
        if (t < at) return base;
        if (t < top) return base + ((peak - base) * (t - at)) / rise;
        if (t <= fall) return peak;
        return base + (peak - base) * Math.exp(-(t - fall) / decay);
      };
      // ∫ of the decay from fall: (peak − base)·decay·(1 − e^(−x/decay)); nothing when decay is 0.
      const decayed = (t: number) => (t <= fall || decay <= 0 ? 0 : (peak - base) * decay * -Math.expm1(-(t - fall) / decay));
      return {
        flat: false,
        rate,
        // Rises, holds, decays: the maximum is the plateau if the interval meets it, else an end.
        maxOn: (t0, t1) => (t1 >= top && t0 <= fall ? peak : Math.max(rate(t0), rate(t1))),
        integral: (t0, t1) =>
          base * (t1 - t0) + linearPart(t0, t1, at, top, rate) - base * overlap(t0, t1, at, top) +
          (peak - base) * overlap(t0, t1, top, fall) + decayed(t1) - decayed(t0),
      };
    }
    case 'diurnal': {
      const { min, max, period } = c;
      const peakAt = c.peakHour * 3600 - clock;
      const w = (2 * Math.PI) / period;
      const rate = (t: number) => min + ((max - min) * (1 + Math.cos(w * (t - peakAt)))) / 2;
      return {
        flat: false,
        rate,
        maxOn(t0, t1) {
          const k = Math.ceil((t0 - peakAt) / period);
          return peakAt + k * period <= t1 ? max : Math.max(rate(t0), rate(t1));
        },
        integral: (t0, t1) =>
          min * (t1 - t0) + ((max - min) / 2) * (t1 - t0 + (Math.sin(w * (t1 - peakAt)) - Math.sin(w * (t0 - peakAt))) / w),
      };
    }
    case 'sum': {
      const fs = c.of.map((x) => compileCurve(x, clock));
      return {
        flat: false,
        rate: (t) => fs.reduce((s, f) => s + f.rate(t), 0),
        maxOn: (t0, t1) => fs.reduce((s, f) => s + f.maxOn(t0, t1), 0),
        integral: (t0, t1) => fs.reduce((s, f) => s + f.integral(t0, t1), 0),
      };
    }
    case 'product': {
      const fs = c.of.map((x) => compileCurve(x, clock));
      const rate = (t: number) => fs.reduce((s, f) => s * f.rate(t), 1);
      return {
        flat: false,
        rate,
        maxOn: (t0, t1) => fs.reduce((s, f) => s * f.maxOn(t0, t1), 1),
        integral: (t0, t1) => (t1 > t0 ? numericIntegral(rate, t0, t1) : 0),
      };
    }
    case 'trace': {
      const ts = Float64Array.from(c.times), rs = Float64Array.from(c.rates), n = ts.length;
      const linear = c.interpolate === 'linear';
      // Index of the last sample at or before t (-1 before the first).
      const index = (t: number) => {
        let lo = 0, hi = n - 1, ans = -1;
        while (lo <= hi) {
          const mid = (lo + hi) >> 1;
          if (ts[mid] <= t) { ans = mid; lo = mid + 1; } else hi = mid - 1;
        }
        return ans;
      };
      const rate = (t: number) => {
        const i = index(t);
        if (i < 0) return rs[0];
        if (i >= n - 1 || !linear) return rs[i];
        return rs[i] + ((rs[i + 1] - rs[i]) * (t - ts[i])) / (ts[i + 1] - ts[i]);
      };
      return {
        flat: false,
        rate,
        maxOn(t0, t1) {
          let m = Math.max(rate(t0), rate(t1));
          for (let i = Math.max(0, index(t0)); i < n && ts[i] <= t1; i++) m = Math.max(m, rs[i]);
          return m;
        },
        integral(t0, t1) {
          // The first value holds before the first sample, the last after the last one.
          let sum = rs[0] * overlap(t0, t1, -Infinity, ts[0]) + rs[n - 1] * overlap(t0, t1, ts[n - 1], Infinity);
          for (let i = Math.max(0, index(t0)); i < n - 1 && ts[i] < t1; i++) {
            sum += linear ? linearPart(t0, t1, ts[i], ts[i + 1], rate) : rs[i] * overlap(t0, t1, ts[i], ts[i + 1]);
          }
          return sum;
        },
      };
    }
  }
}
