// Open-model arrivals: a non-homogeneous Poisson process over a rate curve, drawn by thinning
// (Lewis & Shedler 1979) against the curve's bound on fixed windows.
import type { Rng } from '../sim/rng.ts';
import type { RateFunction } from './curve.ts';

const WINDOW = 60; // s; bounds are taken per window, so a spike only costs inside its minutes

export class ArrivalProcess {
  private windowEnd = -1;
  private bound = 0;

  constructor(private readonly curve: RateFunction, private readonly rng: Rng) {}

  /** The first arrival strictly after `now` and before `horizon`, or Infinity. */
  next(now: number, horizon: number): number {
    let t = now;
    const rng = this.rng, curve = this.curve;
    while (t < horizon) {
      if (t >= this.windowEnd) {
        this.windowEnd = (Math.floor(t / WINDOW) + 1) * WINDOW;
        this.bound = curve.maxOn(t, this.windowEnd);
      }
      if (this.bound <= 0) { t = this.windowEnd; continue; }
      const candidate = t - Math.log(1 - rng()) / this.bound;
      if (candidate >= this.windowEnd) { t = this.windowEnd; continue; } // memoryless: restart at the edge
      t = candidate;
      const r = curve.rate(t);
      // Where the curve sits at its bound (always, for a constant rate) no acceptance draw is needed.
      if (r >= this.bound || rng() * this.bound <= r) return t < horizon ? t : Infinity;
    }
    return Infinity;
  }
}
