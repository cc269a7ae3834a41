// A log-linear histogram in the HdrHistogram manner (Gil Tene): each power of two is split into
// 2^subBits equal sub-buckets, so every recorded value keeps a relative precision of 2^-subBits
// whatever its magnitude, in memory fixed at construction. The bucket comes straight from the
// IEEE-754 bits of the value (exponent, top mantissa bits): no logarithm, no division, ~5 ns.
// This is the project's one percentile routine.
//
// A histogram may also keep a coarser view (counts per run of 2^(subBits − viewBits) buckets):
// a simulator's sample interval records each latency once, reads its percentiles at the view's
// precision and moves its counts into the run's histogram (flushInto), walking the view and only
// the fine buckets under non-empty view buckets, instead of recording every value twice.
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0; // high word index (little-endian: 1)
const MAX_COUNT = 0xffffffff;

export class LogHistogram {
  // Numbers get initial values: a field only declared starts as `undefined` (ES2022 class fields)
  // and V8 then boxes every float later stored in it.
  private readonly counts: Uint32Array;
  private readonly view: Uint32Array | null; // counts per 2^shift buckets, or none
  private readonly shift: number = 0;
  private readonly f64 = new Float64Array(1); // the value's IEEE-754 bits, read as words
  private readonly u32 = new Uint32Array(this.f64.buffer);
  private readonly subBits: number = 0;
  private readonly minExp: number = 0;
  private readonly maxExp: number = 0;
  private total = 0;
  private sum = 0;
  private maxValue = 0;
  private lowIndex = Infinity; // touched range, so reset and walks cost what was used
  private highIndex = -1;

  /**
   * subBits: 10 keeps 3 significant digits (0.1%), 7 keeps about 2 (0.8%).
   * Values from 2^minExp to 2^maxExp are resolved; smaller ones count in the first bucket, larger in the last.
   * viewBits < subBits: also keep the view at that precision (flushInto).
   */
  constructor(subBits = 10, minExp = -20, maxExp = 16, viewBits = subBits) {
    if (!(Number.isInteger(viewBits) && viewBits >= 0 && viewBits <= subBits)) throw new RangeError(`viewBits ${viewBits}: expected 0..${subBits}`);
    this.subBits = subBits;
    this.minExp = minExp;
    this.maxExp = maxExp;
    this.counts = new Uint32Array((maxExp - minExp) << subBits);
    this.shift = subBits - viewBits;
    this.view = viewBits < subBits ? new Uint32Array(this.counts.length >>> this.shift) : null;
  }

  /** The highest value that lands in bucket i, as HdrHistogram's highestEquivalentValue. */
  private upper(i: number): number {
    const exp = (i >>> this.subBits) + this.minExp;
    const sub = i & ((1 << this.subBits) - 1);
    return 2 ** exp * (1 + (sub + 1) / (1 << this.subBits));
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
    if (this.view !== null) this.view[i >>> this.shift]++;
    this.total++;
    this.sum += v;
    if (v > this.maxValue) this.maxValue = v;
    if (i < this.lowIndex) this.lowIndex = i;
    if (i > this.highIndex) this.highIndex = i;
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

  /**
   * Several percentiles (ascending) in one walk. With `subBits` below the histogram's own, they are
   * what a histogram of that coarser precision holding the same values would answer: its buckets
   * are runs of 2^(own − subBits) of these, so the first coarse bucket to reach a rank is the one
   * holding the first fine bucket to reach it, and only the reported upper edge differs.
   */
  percentiles(ps: readonly number[], subBits = this.subBits): number[] {
    const out = new Array<number>(ps.length).fill(0);
    if (this.total === 0) return out;
    if (!(Number.isInteger(subBits) && subBits >= 0 && subBits <= this.subBits)) throw new RangeError(`subBits ${subBits}: expected 0..${this.subBits}`);
    const roundUp = (1 << (this.subBits - subBits)) - 1; // last fine bucket of a coarse one
    const ranks = this.ranks(ps), c = this.counts, last = ps.length;
    let acc = 0, j = 0;
    for (let i = this.lowIndex; i <= this.highIndex && j < last; i++) {
      acc += c[i];
      while (j < last && acc >= ranks[j]) out[j++] = Math.min(this.upper(i | roundUp), this.maxValue);
    }
    while (j < last) out[j++] = this.maxValue;
    return out;
  }

  /** Adds every value `other` holds (same geometry). */
  add(other: LogHistogram): void {
    this.checkGeometry(other);
    const c = this.counts, o = other.counts, view = this.view, shift = this.shift;
    for (let i = other.lowIndex; i <= other.highIndex; i++) {
      const n = o[i];
      if (n === 0) continue;
      if (c[i] + n > MAX_COUNT) throw new RangeError('LogHistogram: more than 2^32 samples in one bucket');
      c[i] += n;
      if (view !== null) view[i >>> shift] += n;
    }
    this.addTotals(other);
  }

  /**
   * The percentiles ps at the view's precision (as percentiles(ps, viewBits)), every value moved
   * into `total` (same geometry), this one left empty: closing a sample interval whose histogram
   * joins the run's. Walks the view, and the fine buckets only under non-empty view buckets.
   */
  flushInto(total: LogHistogram, ps: readonly number[]): number[] {
    this.checkGeometry(total);
    const view = this.view;
    if (view === null) throw new Error('LogHistogram.flushInto: needs a histogram with a view (viewBits)');
    const out = new Array<number>(ps.length).fill(0);
    if (this.total === 0) return out;
    const shift = this.shift, width = 1 << shift, ranks = this.ranks(ps), last = ps.length;
    const c = this.counts, t = total.counts, tView = total.view, max = this.maxValue;
    let acc = 0, j = 0;
    for (let k = this.lowIndex >>> shift, end = this.highIndex >>> shift; k <= end; k++) {
      const n = view[k];
      if (n === 0) continue;
      view[k] = 0;
      acc += n;
      while (j < last && acc >= ranks[j]) out[j++] = Math.min(this.upper(k * width + width - 1), max);
      for (let i = k * width, stop = i + width; i < stop; i++) {
        const m = c[i];
        if (m === 0) continue;
        if (t[i] + m > MAX_COUNT) throw new RangeError('LogHistogram: more than 2^32 samples in one bucket');
        t[i] += m;
        if (tView !== null) tView[i >>> total.shift] += m;
        c[i] = 0;
      }
    }
    while (j < last) out[j++] = max;
    total.addTotals(this);
    this.clearTotals();
    return out;
  }

  reset(): void {
    if (this.highIndex >= 0) {
      this.counts.fill(0, this.lowIndex, this.highIndex + 1);
      this.view?.fill(0, this.lowIndex >>> this.shift, (this.highIndex >>> this.shift) + 1);
    }
    this.clearTotals();
  }

  /** ceil(p/100 × count) per percentile, at least 1: the ranks HdrHistogram reads. */
  private ranks(ps: readonly number[]): number[] {
    return ps.map((p) => Math.max(1, Math.ceil((Math.min(100, Math.max(0, p)) / 100) * this.total)));
  }

  private checkGeometry(other: LogHistogram): void {
    if (other.subBits !== this.subBits || other.minExp !== this.minExp || other.maxExp !== this.maxExp) {
      throw new RangeError('LogHistogram: histograms of different geometry');
    }
  }

  private addTotals(other: LogHistogram): void {
    if (other.total === 0) return;
    this.total += other.total;
    this.sum += other.sum;
    if (other.maxValue > this.maxValue) this.maxValue = other.maxValue;
    if (other.lowIndex < this.lowIndex) this.lowIndex = other.lowIndex;
    if (other.highIndex > this.highIndex) this.highIndex = other.highIndex;
  }

  private clearTotals(): void {
    this.total = 0;
    this.sum = 0;
    this.maxValue = 0;
    this.lowIndex = Infinity;
    this.highIndex = -1;
  }
}
