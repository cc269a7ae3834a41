// Rate curves as functions of time, each with a bound over an interval so arrivals can be drawn
// by thinning window by window (a tight bound keeps thinning cheap through a flash crowd).
import type { Curve } from './curve-types.ts';

export type { Curve } from './curve-types.ts';

export interface RateFunction {
  /** Requests per second at time t. */
  rate(t: number): number;
  /** An upper bound of rate on [t0, t1]. */
  maxOn(t0: number, t1: number): number;
}

/**
 * clock: seconds after midnight (UTC) at t = 0, when the scenario has a wall-clock start time;
 * a diurnal curve's peakHour is then an hour of the day rather than hours after the start.
 */
export function compileCurve(c: Curve, clock = 0): RateFunction {
  switch (c.kind) {
    case 'constant': {
      const r = c.rate;
      return { rate: () => r, maxOn: () => r };
    }
    case 'ramp': {
      const { from, to, start, end } = c;
      const rate = (t: number) =>
        t <= start ? from : t >= end ? to : from + ((to - from) * (t - start)) / (end - start);
      return { rate, maxOn: (t0, t1) => Math.max(rate(t0), rate(t1)) };
    }
    case 'step': {
      const at = c.steps.map((s) => s.at), rates = c.steps.map((s) => s.rate), initial = c.initial;
      const rate = (t: number) => {
        let r = initial;
        for (let i = 0; i < at.length && at[i] <= t; i++) r = rates[i];
        return r;
      };
      return {
        rate,
        maxOn(t0, t1) {
          let m = rate(t0);
          for (let i = 0; i < at.length; i++) if (at[i] > t0 && at[i] <= t1) m = Math.max(m, rates[i]);
          return m;
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
      // Rises, holds, decays: the maximum is the plateau if the interval meets it, else an end.
      return { rate, maxOn: (t0, t1) => (t1 >= top && t0 <= fall ? peak : Math.max(rate(t0), rate(t1))) };
    }
    case 'diurnal': {
      const { min, max, period } = c;
      const peakAt = c.peakHour * 3600 - clock;
      const w = (2 * Math.PI) / period;
      const rate = (t: number) => min + ((max - min) * (1 + Math.cos(w * (t - peakAt)))) / 2;
      return {
        rate,
        maxOn(t0, t1) {
          const k = Math.ceil((t0 - peakAt) / period);
          return peakAt + k * period <= t1 ? max : Math.max(rate(t0), rate(t1));
        },
      };
    }
    case 'sum': {
      const fs = c.of.map((x) => compileCurve(x, clock));
      return {
        rate: (t) => fs.reduce((s, f) => s + f.rate(t), 0),
        maxOn: (t0, t1) => fs.reduce((s, f) => s + f.maxOn(t0, t1), 0),
      };
    }
    case 'product': {
      const fs = c.of.map((x) => compileCurve(x, clock));
      return {
        rate: (t) => fs.reduce((s, f) => s * f.rate(t), 1),
        maxOn: (t0, t1) => fs.reduce((s, f) => s * f.maxOn(t0, t1), 1),
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
        rate,
        maxOn(t0, t1) {
          let m = Math.max(rate(t0), rate(t1));
          for (let i = Math.max(0, index(t0)); i < n && ts[i] <= t1; i++) m = Math.max(m, rs[i]);
          return m;
        },
      };
    }
  }
}
