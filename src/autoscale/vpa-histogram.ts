// The Vertical Pod Autoscaler recommender's histograms, re-expressed from kubernetes/autoscaler
// vertical-pod-autoscaler/pkg/recommender/util:
//   histogram_options.go  linear and exponential bucketing: an exponential bucket n ≥ 1 starts at
//                         first × (ratio^n − 1) / (ratio − 1); a value below the first bucket's size
//                         goes to bucket 0, one past the last bucket's start to the last.
//   histogram.go          a weight per bucket; Percentile(p) is the END of the first bucket where the
//                         running sum reaches p × total (the last bucket's start for the last one), 0
//                         when empty; a bucket under epsilon counts as empty.
//   decaying_histogram.go a sample's weight is multiplied by 2^((t − reference) / halfLife); when that
//                         exponent would pass 100 the reference moves forward (to a multiple of the half
//                         life) and every weight is scaled down by the same power of two.
// Weights live in one Float64Array per histogram (allocated once): the recommender adds a sample per
// pod per loop, never per request.

export interface BucketOptions {
  readonly numBuckets: number;
  readonly epsilon: number;
  findBucket(value: number): number;
  bucketStart(bucket: number): number;
}

/** NewLinearHistogramOptions: buckets of `size` from 0, the last starting at or past maxValue. */
export function linearBuckets(maxValue: number, size: number, epsilon: number): BucketOptions {
  const numBuckets = Math.ceil(maxValue / size) + 1;
  return {
    numBuckets, epsilon,
    findBucket: (v) => Math.min(numBuckets - 1, Math.max(0, Math.trunc(v / size))),
    bucketStart: (b) => b * size,
  };
}

/** NewExponentialHistogramOptions: the first bucket covers [0, first); each next one is `ratio` times wider. */
export function exponentialBuckets(maxValue: number, first: number, ratio: number, epsilon: number): BucketOptions {
  const log = (x: number) => Math.log(x) / Math.log(ratio);
  const numBuckets = Math.ceil(log((maxValue * (ratio - 1)) / first + 1)) + 1;
  return {
    numBuckets, epsilon,
    findBucket: (v) => (v < first ? 0 : Math.min(numBuckets - 1, Math.trunc(log((v * (ratio - 1)) / first + 1)))),
    bucketStart: (b) => (b === 0 ? 0 : (first * (ratio ** b - 1)) / (ratio - 1)),
  };
}

export class Histogram {
  readonly weights: Float64Array;
  total = 0;
  private minBucket: number;
  private maxBucket = 0;

  constructor(readonly options: BucketOptions) {
    this.weights = new Float64Array(options.numBuckets);
    this.minBucket = options.numBuckets - 1;
  }

  add(value: number, weight: number): void {
    if (weight < 0) throw new RangeError('sample weight must be non-negative');
    const b = this.options.findBucket(value), eps = this.options.epsilon;
    this.weights[b] += weight;
    this.total += weight;
    if (b < this.minBucket && this.weights[b] >= eps) this.minBucket = b;
    if (b > this.maxBucket && this.weights[b] >= eps) this.maxBucket = b;
  }

  subtract(value: number, weight: number): void {
    if (weight < 0) throw new RangeError('sample weight must be non-negative');
    const b = this.options.findBucket(value);
    if (weight > this.weights[b] - this.options.epsilon) weight = this.weights[b];
    this.total -= weight;
    this.weights[b] -= weight;
    this.updateMinMax();
  }

  isEmpty(): boolean {
    return this.weights[this.minBucket] < this.options.epsilon;
  }

  /** The end of the bucket where the cumulative weight reaches p × total (p in 0..1). */
  percentile(p: number): number {
    if (this.isEmpty()) return 0;
    const threshold = p * this.total;
    let sum = 0, b = this.minBucket;
    for (; b < this.maxBucket; b++) {
      sum += this.weights[b];
      if (sum >= threshold) break;
    }
    return b < this.options.numBuckets - 1 ? this.options.bucketStart(b + 1) : this.options.bucketStart(b);
  }

  /** Every weight × factor (percentiles unchanged); buckets that fall under epsilon become empty. */
  scale(factor: number): void {
    for (let b = this.minBucket; b <= this.maxBucket; b++) this.weights[b] *= factor;
    this.total *= factor;
    this.updateMinMax();
  }

  private updateMinMax(): void {
    const eps = this.options.epsilon, last = this.options.numBuckets - 1;
    while (this.weights[this.minBucket] < eps && this.minBucket < last) this.minBucket++;
    while (this.weights[this.maxBucket] < eps && this.maxBucket > 0) this.maxBucket--;
  }
}

const MAX_DECAY_EXPONENT = 100;

/** A histogram whose samples lose half their weight every `halfLife` seconds (times in seconds). */
export class DecayingHistogram extends Histogram {
  private reference = 0;

  constructor(options: BucketOptions, readonly halfLife: number) {
    super(options);
  }

  override add(value: number, weight: number, t = 0): void {
    super.add(value, weight * this.decayFactor(t));
  }

  override subtract(value: number, weight: number, t = 0): void {
    super.subtract(value, weight * this.decayFactor(t));
  }

  private decayFactor(t: number): number {
    if (t > this.reference + this.halfLife * MAX_DECAY_EXPONENT) this.shiftReference(t);
    return 2 ** ((t - this.reference) / this.halfLife);
  }

  private shiftReference(t: number): void {
    const next = Math.round(t / this.halfLife) * this.halfLife; // time.Round(halfLife)
    const exponent = Math.floor((this.reference - next) / this.halfLife + 0.5);
    this.scale(2 ** exponent);
    this.reference = next;
  }
}
