// A log-linear histogram in the HdrHistogram manner (Gil Tene): each power of two is split into
// 2^subBits equal sub-buckets, so every recorded value keeps a relative precision of 2^-subBits
// whatever its magnitude, in memory fixed at construction. The bucket comes straight from the
// IEEE-754 bits of the value (exponent, top mantissa bits): no logarithm, no division, ~5 ns.
// This is the project's one percentile routine.
/** A histogram's touched buckets, for merging across processes (a live stack's upstreams report theirs). */
export interface HistogramSnapshot {
  subBits: number;
  buckets: number[]; // [index, count, index, count, …]
  sum: number;
  max: number;
}

const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0; // high word index (little-endian: 1)

export class LogHistogram {
  private readonly counts: Uint32Array;
  private readonly f64 = new Float64Array(1); // the value's IEEE-754 bits, read as words
  private readonly u32 = new Uint32Array(this.f64.buffer);
  private readonly subBits: number;
  private readonly minExp: number;
  private readonly maxExp: number;
  private total = 0;
  private sum = 0;
  private maxValue = 0;
  private lowIndex = Infinity; // touched range, so reset and walks cost what was used
  private highIndex = -1;

  /**
   * subBits: 10 keeps 3 significant digits (0.1%), 7 keeps about 2 (0.8%).
   * Values from 2^minExp to 2^maxExp are resolved; smaller ones count in the first bucket, larger in the last.
   */
  constructor(subBits = 10, minExp = -20, maxExp = 16) {
    this.subBits = subBits;
    this.minExp = minExp;
    this.maxExp = maxExp;
    this.counts = new Uint32Array((maxExp - minExp) << subBits);
  }

  private index(v: number): number {
    this.f64[0] = v;
    const hi = this.u32[HI];
    const exp = (hi >>> 20) - 1023;
    if (exp < this.minExp || v <= 0) return 0;
    if (exp >= this.maxExp) return this.counts.length - 1;
    return ((exp - this.minExp) << this.subBits) | ((hi & 0xfffff) >>> (20 - this.subBits));
  }

  /** The highest value that lands in bucket i, as HdrHistogram's highestEquivalentValue. */
  private upper(i: number): number {
    const exp = (i >>> this.subBits) + this.minExp;
    const sub = i & ((1 << this.subBits) - 1);
    return 2 ** exp * (1 + (sub + 1) / (1 << this.subBits));
  }

  record(v: number): void {
    const i = this.index(v);
    // Uint32 counts halve the memory the hot path touches; a bucket holds 4.29 billion samples.
    if (++this.counts[i] === 0) throw new RangeError('LogHistogram: more than 2^32 samples in one bucket');
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
    if (this.total === 0) return 0;
    const rank = Math.max(1, Math.ceil((Math.min(100, Math.max(0, p)) / 100) * this.total));
    return this.valueAtRank(rank);
  }

  /** Several percentiles (ascending) in one walk. */
  percentiles(ps: readonly number[]): number[] {
    const out = new Array<number>(ps.length).fill(0);
    if (this.total === 0) return out;
    const ranks = ps.map((p) => Math.max(1, Math.ceil((Math.min(100, Math.max(0, p)) / 100) * this.total)));
    let acc = 0, j = 0;
    const c = this.counts;
    for (let i = this.lowIndex; i <= this.highIndex && j < ps.length; i++) {
      acc += c[i];
      while (j < ps.length && acc >= ranks[j]) out[j++] = Math.min(this.upper(i), this.maxValue);
    }
    while (j < ps.length) out[j++] = this.maxValue;
    return out;
  }

  private valueAtRank(rank: number): number {
    let acc = 0;
    const c = this.counts;
    for (let i = this.lowIndex; i <= this.highIndex; i++) {
      acc += c[i];
      if (acc >= rank) return Math.min(this.upper(i), this.maxValue);
    }
    return this.maxValue;
  }

  /** The non-empty buckets, sum and max: enough for another histogram of the same shape to add this one. */
  snapshot(): HistogramSnapshot {
    const buckets: number[] = [];
    const c = this.counts;
    for (let i = this.lowIndex; i <= this.highIndex; i++) if (c[i] !== 0) buckets.push(i, c[i]);
    return { subBits: this.subBits, buckets, sum: this.sum, max: this.maxValue };
  }

  /** Adds a snapshot of a histogram with the same sub-bucket resolution (and default range). */
  addSnapshot(s: HistogramSnapshot): void {
    if (s.subBits !== this.subBits) throw new RangeError(`LogHistogram: snapshot has ${s.subBits} sub-bucket bits, this has ${this.subBits}`);
    const b = s.buckets, c = this.counts;
    for (let k = 0; k < b.length; k += 2) {
      const i = b[k], n = b[k + 1];
      c[i] += n;
      this.total += n;
      if (i < this.lowIndex) this.lowIndex = i;
      if (i > this.highIndex) this.highIndex = i;
    }
    this.sum += s.sum;
    if (s.max > this.maxValue) this.maxValue = s.max;
  }

  reset(): void {
    if (this.highIndex >= 0) this.counts.fill(0, this.lowIndex, this.highIndex + 1);
    this.total = 0;
    this.sum = 0;
    this.maxValue = 0;
    this.lowIndex = Infinity;
    this.highIndex = -1;
  }
}
