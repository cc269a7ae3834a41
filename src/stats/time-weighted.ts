// Time-weighted mean of a piecewise-constant quantity (number in system, queue length, busy
// workers): the integral is advanced on every change, so nothing between samples is lost. Two
// windows: the whole run, and the current sample interval.
export class TimeWeighted {
  private area = 0; // whole run
  private windowArea = 0;
  private last: number;
  private value = 0;
  private readonly start: number;
  private windowStart: number;

  constructor(start = 0) {
    this.last = this.start = this.windowStart = start;
  }

  /** Sets the value from time `now` on. */
  set(now: number, value: number): void {
    const a = this.value * (now - this.last);
    this.area += a;
    this.windowArea += a;
    this.last = now;
    this.value = value;
  }

  add(now: number, delta: number): void {
    this.set(now, this.value + delta);
  }

  get current(): number {
    return this.value;
  }

  /** ∫ value dt over the whole run up to now. */
  integral(now: number): number {
    return this.area + this.value * (now - this.last);
  }

  /** Mean over the whole run up to now. */
  mean(now: number): number {
    const span = now - this.start;
    return span > 0 ? this.integral(now) / span : this.value;
  }

  /** Mean over the current window, then starts the next window at now. */
  windowMean(now: number): number {
    const area = this.windowArea + this.value * (now - this.last);
    const span = now - this.windowStart;
    this.set(now, this.value);
    this.windowArea = 0;
    this.windowStart = now;
    return span > 0 ? area / span : this.value;
  }
}
