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

  /** Arrivals end at `horizon` (the run's or the bench's duration). */
  constructor(private readonly curve: RateFunction, private readonly rng: Rng, private readonly horizon: number) {}

  /**
   * Moves `time` to the first arrival strictly after it and before the horizon (or Infinity). No
   * float crosses the call either way: the result stays in a field, and the horizon is the
   * process's own, since V8 boxes a float passed to (or returned from) a call it does not inline,
   * one allocation per arrival in the simulator's loop.
   */
  advance(): void {
    let t = this.time;
    const rng = this.rng, curve = this.curve, horizon = this.horizon;
    while (t < horizon) {
      if (t >= this.windowEnd) {
        this.windowEnd = (Math.floor(t / WINDOW) + 1) * WINDOW;
        this.bound = curve.maxOn(t, this.windowEnd);
      }
      if (this.bound <= 0) { t = this.windowEnd; continue; }
      const candidate = t - Math.log(1 - rng()) / this.bound;
      if (candidate >= this.windowEnd) { t = this.windowEnd; continue; } // memoryless: restart at the edge
      t = candidate;
      // Where the curve sits at its bound (always, for a constant rate) no acceptance draw is
      // needed; a flat curve is not even evaluated (a call V8 would not inline, boxing t).
      if (curve.flat || accepts(curve.rate(t), this.bound, rng)) {
        this.time = t < horizon ? t : Infinity;
        return;
      }
    }
    this.time = Infinity;
  }
}

/** Thinning's test of a candidate where the curve is at r under the bound: kept at once when r reaches the bound, else with probability r / bound. */
function accepts(r: number, bound: number, rng: Rng): boolean {
  return r >= bound || rng() * bound <= r;
}
