// A log-linear histogram in the HdrHistogram manner (Gil Tene): each power of two is split into
// 2^subBits equal sub-buckets, so every recorded value keeps a relative precision of 2^-subBits
// whatever its magnitude, in memory fixed at construction. The bucket comes straight from the
// IEEE-754 bits of the value (exponent, top mantissa bits): no logarithm, no division, ~5 ns.
// This is the project's one percentile routine.
//
// A histogram may also keep an interval view: counts since the last resetInterval() at a coarser
// precision (runs of 2^(subBits − intervalBits) buckets). A simulator's component then records a
// latency once and reads both the run's percentiles (3 digits) and the sample interval's (2
// digits); the view is what a histogram of that precision holding the interval's values would be.
/** A histogram's touched buckets, for merging across processes (a live stack's upstreams report theirs). */
export interface HistogramSnapshot {
  subBits: number;
  buckets: number[]; // [index, count, index, count, …]
  sum: number;
  max: number;
}

const EMPTY_LOW = 0x3fffffff; // lowest touched bucket of an empty histogram: above any index, and an integer V8 keeps unboxed
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0; // high word index (little-endian: 1)

export class LogHistogram {
  // Numbers get initial values: a field only declared starts as `undefined` (ES2022 class fields)
  // and V8 then boxes every float later stored in it.
  private readonly counts: Uint32Array;
  private readonly f64 = new Float64Array(1); // the value's IEEE-754 bits, read as words
  private readonly u32 = new Uint32Array(this.f64.buffer);
  private readonly subBits: number = 0;
  private readonly minExp: number = 0;
  private readonly maxExp: number = 0;
  private total = 0;
  private sum = 0;
  private maxValue = 0;
  private lowIndex = EMPTY_LOW; // touched range, so reset and walks cost what was used
  private highIndex = -1;
  // ---- the interval view (when kept) ----
  private readonly view: Uint32Array | null;
  private readonly viewBits: number = 0;
  private readonly shift: number = 0; // fine bucket >>> shift = view bucket
  private iTotal = 0;
  private iMax = 0;
  private iLow = EMPTY_LOW;
  private iHigh = -1;

  /**
   * subBits: 10 keeps 3 significant digits (0.1%), 7 keeps about 2 (0.8%).
   * Values from 2^minExp to 2^maxExp are resolved; smaller ones count in the first bucket, larger in the last.
   * intervalBits (≤ subBits): also keep an interval view at that precision.
   */
  constructor(subBits = 10, minExp = -20, maxExp = 16, intervalBits?: number) {
    this.subBits = subBits;
    this.minExp = minExp;
    this.maxExp = maxExp;
    this.counts = new Uint32Array((maxExp - minExp) << subBits);
    if (intervalBits === undefined) {
      this.view = null;
    } else {
      if (!(Number.isInteger(intervalBits) && intervalBits >= 0 && intervalBits <= subBits)) throw new RangeError(`intervalBits ${intervalBits}: expected 0..${subBits}`);
      this.viewBits = intervalBits;
      this.shift = subBits - intervalBits;
      this.view = new Uint32Array(this.counts.length >>> this.shift);
    }
  }

  record(v: number): void {
    // The bucket, computed here rather than in a helper: on the simulator's hot path V8 may not
    // inline a further call, and a call that is not inlined boxes its float argument (an allocation).
    this.f64[0] = v;
    const hi = this.u32[HI], exp = (hi >>> 20) - 1023;
    const i = exp < this.minExp || v <= 0 ? 0
      : exp >= this.maxExp ? this.counts.length - 1
      : ((exp - this.minExp) << this.subBits) | ((hi & 0xfffff) >>> (20 - this.subBits));
    // Uint32 counts halve the memory the hot path touches; a bucket holds 4.29 billion samples.
    if (++this.counts[i] === 0) throw new RangeError('LogHistogram: more than 2^32 samples in one bucket');
    this.total++;
    this.sum += v;
    if (v > this.maxValue) this.maxValue = v;
    if (i < this.lowIndex) this.lowIndex = i;
    if (i > this.highIndex) this.highIndex = i;
    const view = this.view;
    if (view !== null) {
      const k = i >>> this.shift;
      view[k]++; // a sample interval never holds 2^32 values
      this.iTotal++;
      if (v > this.iMax) this.iMax = v;
      if (k < this.iLow) this.iLow = k;
      if (k > this.iHigh) this.iHigh = k;
    }
  }

  get count(): number {
    return this.total;
  }

  get mean(): number {
    return this.total === 0 ? 0 : this.sum / this.total;
  }

  get max(): number {
    return this.maxValue;
  }

  /**
   * The value at percentile p (0..100) as HdrHistogram defines it: the smallest bucket whose
   * cumulative count reaches ceil(p/100 × count), reported as its highest equivalent value
   * (never above the largest value recorded). 0 when empty.
   */
  percentile(p: number): number {
    return this.percentiles([p])[0];
  }

  /** Several percentiles (ascending) in one walk. */
  percentiles(ps: readonly number[]): number[] {
    return walk(this.counts, this.lowIndex, this.highIndex, ranks(ps, this.total), this.maxValue, (i) => this.upper(i, this.subBits));
  }

  /** The non-empty buckets, sum and max: enough for another histogram of the same shape to add this one. */
  snapshot(): HistogramSnapshot {
    const buckets: number[] = [];
    const c = this.counts;
    for (let i = this.lowIndex; i <= this.highIndex; i++) if (c[i] !== 0) buckets.push(i, c[i]);
    return { subBits: this.subBits, buckets, sum: this.sum, max: this.maxValue };
  }

  /** Adds a snapshot of a histogram with the same sub-bucket resolution (and default range); an interval view counts them in the current interval. */
  addSnapshot(s: HistogramSnapshot): void {
    if (s.subBits !== this.subBits) throw new RangeError(`LogHistogram: snapshot has ${s.subBits} sub-bucket bits, this has ${this.subBits}`);
    const b = s.buckets, c = this.counts, view = this.view;
    for (let k = 0; k < b.length; k += 2) {
      const i = b[k], n = b[k + 1];
      c[i] += n;
      this.total += n;
      if (i < this.lowIndex) this.lowIndex = i;
      if (i > this.highIndex) this.highIndex = i;
      if (view !== null) {
        const v = i >>> this.shift;
        view[v] += n;
        this.iTotal += n;
        if (v < this.iLow) this.iLow = v;
        if (v > this.iHigh) this.iHigh = v;
      }
    }
    this.sum += s.sum;
    if (s.max > this.maxValue) this.maxValue = s.max;
    if (view !== null && b.length > 0 && s.max > this.iMax) this.iMax = s.max;
  }

  /** Values recorded since the interval began (0 without a view). */
  get intervalCount(): number {
    return this.iTotal;
  }

  /** The largest value recorded since the interval began. */
  get intervalMax(): number {
    return this.iMax;
  }

  /** Percentiles (ascending) of the values since the interval began, at the view's precision. */
  intervalPercentiles(ps: readonly number[]): number[] {
    if (this.view === null) throw new Error('LogHistogram: no interval view (intervalBits)');
    return walk(this.view, this.iLow, this.iHigh, ranks(ps, this.iTotal), this.iMax, (k) => this.upper(k, this.viewBits));
  }

  /** The next interval starts: the view is emptied, the run's counts stay. */
  resetInterval(): void {
    if (this.view !== null && this.iHigh >= 0) this.view.fill(0, this.iLow, this.iHigh + 1);
    this.iTotal = 0;
    this.iMax = 0;
    this.iLow = EMPTY_LOW;
    this.iHigh = -1;
  }

  reset(): void {
    if (this.highIndex >= 0) this.counts.fill(0, this.lowIndex, this.highIndex + 1);
    this.total = 0;
    this.sum = 0;
    this.maxValue = 0;
    this.lowIndex = EMPTY_LOW;
    this.highIndex = -1;
    this.resetInterval();
  }

  /** The highest value that lands in bucket i of a histogram with `bits` sub-bucket bits, as HdrHistogram's highestEquivalentValue. */
  private upper(i: number, bits: number): number {
    const exp = (i >>> bits) + this.minExp;
    const sub = i & ((1 << bits) - 1);
    return 2 ** exp * (1 + (sub + 1) / (1 << bits));
  }
}

/** ceil(p/100 × total) per percentile, at least 1: the ranks HdrHistogram reads. */
function ranks(ps: readonly number[], total: number): number[] {
  return ps.map((p) => Math.max(1, Math.ceil((Math.min(100, Math.max(0, p)) / 100) * total)));
}

/** The percentile walk over counts[low..high]: each rank's bucket, as its upper edge, capped at max. 0s when empty. */
function walk(counts: Uint32Array, low: number, high: number, rk: number[], max: number, upper: (i: number) => number): number[] {
  const out = new Array<number>(rk.length).fill(0);
  if (high < 0) return out;
  let acc = 0, j = 0;
  for (let i = low; i <= high && j < rk.length; i++) {
    acc += counts[i];
    while (j < rk.length && acc >= rk[j]) out[j++] = Math.min(upper(i), max);
  }
  while (j < rk.length) out[j++] = max;
  return out;
}
