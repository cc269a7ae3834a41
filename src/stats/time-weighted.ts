// Time-weighted mean of a piecewise-constant quantity (number in system, queue length, busy
// workers): the integral is advanced on every change, so nothing between samples is lost. Two
// windows: the whole run, and the current sample interval. A change advances only the current
// window's area (the hot path pays one multiply-add); a window's area joins the run's when it closes.
export class TimeWeighted {
  // Every field has an initial number: a field only declared starts as `undefined` (ES2022 class
  // fields), V8 then keeps it tagged, and every float stored in it later is a heap allocation.
  private closedArea = 0; // windows closed so far
  private windowArea = 0; // the current window, up to `last`
  private last = 0;
  private value = 0;
  private readonly start: number = 0;
  private windowStart = 0;

  constructor(start = 0) {
    this.last = this.start = this.windowStart = start;
  }

  /** Sets the value from time `now` on. */
  set(now: number, value: number): void {
    this.windowArea += this.value * (now - this.last);
    this.last = now;
    this.value = value;
  }

  add(now: number, delta: number): void {
    // set(), written out: a further call V8 does not inline would box `now` on the hot path.
    this.windowArea += this.value * (now - this.last);
    this.last = now;
    this.value += delta;
  }

  get current(): number {
    return this.value;
  }

  /** ∫ value dt over the whole run up to now. */
  integral(now: number): number {
    return this.closedArea + this.windowArea + this.value * (now - this.last);
  }

  /** Mean over the whole run up to now. */
  mean(now: number): number {
    const span = now - this.start;
    return span > 0 ? this.integral(now) / span : this.value;
  }

  /** Mean over the current window, then starts the next window at now. */
  windowMean(now: number): number {
    this.set(now, this.value);
    const area = this.windowArea, span = now - this.windowStart;
    this.closedArea += area;
    this.windowArea = 0;
    this.windowStart = now;
    return span > 0 ? area / span : this.value;
  }
}
