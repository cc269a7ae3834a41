// Open-model arrivals: a non-homogeneous Poisson process over a rate curve, drawn by thinning
// (Lewis & Shedler 1979) against the curve's bound on fixed windows.
import type { Rng } from '../sim/rng.ts';
import type { RateFunction } from './curve.ts';

const WINDOW = 60; // s; bounds are taken per window, so a spike only costs inside its minutes

export class ArrivalProcess {
  /** The current arrival time: 0 before the first advance(), Infinity once none is left before the horizon. */
  time = 0;
  private windowEnd = -1;
  private bound = 0;

  constructor(private readonly curve: RateFunction, private readonly rng: Rng) {}

  /**
   * Moves `time` to the first arrival strictly after it and before `horizon` (or Infinity). The
   * result stays in a field rather than being returned: the simulator's loop reads it without V8
   * boxing a float on every call.
   */
  advance(horizon: number): void {
    let t = this.time;
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
      if (r >= this.bound || rng() * this.bound <= r) {
        this.time = t < horizon ? t : Infinity;
        return;
      }
    }
    this.time = Infinity;
  }
}
