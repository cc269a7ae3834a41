// Latency histograms: HdrHistogram (fixed memory whatever the request count), in microseconds.
// This is the project's one percentile routine: every latency percentile comes from here.
import * as hdr from 'hdr-histogram-js';
import type { LatencySummary } from './results.ts';

// The WebAssembly build records in ~25 ns against ~150 ns for the JS one (measured here), and
// recording is on the simulator's hot path. Its memory is outside the JS heap: destroy() frees it.
hdr.initWebAssemblySync();

const MICROS = 1e6;

export class LatencyHistogram {
  private h: hdr.Histogram;
  private sum = 0;

  /** digits: significant decimal digits kept (3 for run totals; 2 is plenty for a sample interval). */
  constructor(digits: 2 | 3 = 3) {
    this.h = hdr.build({
      bitBucketSize: 64,
      autoResize: true,
      lowestDiscernibleValue: 1,
      highestTrackableValue: 3_600_000_000, // 1 h in µs; grows on its own beyond
      numberOfSignificantValueDigits: digits,
      useWebAssembly: true,
    });
  }

  destroy(): void {
    this.h.destroy();
  }

  /** Records one latency in seconds. */
  record(seconds: number): void {
    const us = Math.round(seconds * MICROS);
    this.h.recordValue(us < 1 ? 1 : us);
    this.sum += seconds;
  }

  get count(): number {
    return this.h.totalCount;
  }

  get mean(): number {
    return this.count === 0 ? 0 : this.sum / this.count;
  }

  /** Value at percentile p (0..100), seconds; 0 when empty. */
  percentile(p: number): number {
    return this.count === 0 ? 0 : this.h.getValueAtPercentile(p) / MICROS;
  }

  get max(): number {
    return this.count === 0 ? 0 : this.h.maxValue / MICROS;
  }

  reset(): void {
    this.h.reset();
    this.sum = 0;
  }

  summary(): LatencySummary {
    return {
      count: this.count,
      mean: this.mean,
      p50: this.percentile(50),
      p90: this.percentile(90),
      p95: this.percentile(95),
      p99: this.percentile(99),
      p999: this.percentile(99.9),
      max: this.max,
      distribution: this.distribution(),
    };
  }

  /**
   * The percentile distribution as HdrHistogram's outputPercentileDistribution walks it: ticks
   * halve the distance to 100% each step, five ticks per halving, until the last recorded value.
   */
  distribution(ticksPerHalfDistance = 5): Array<[number, number, number]> {
    const total = this.count;
    if (total === 0) return [];
    const out: Array<[number, number, number]> = [];
    for (let half = 0; half < 30; half++) {
      const lo = 100 - 100 / 2 ** half, hi = 100 - 100 / 2 ** (half + 1);
      for (let k = 0; k < ticksPerHalfDistance; k++) {
        const p = lo + ((hi - lo) * k) / ticksPerHalfDistance;
        const atOrBelow = Math.min(total, Math.ceil((p / 100) * total));
        out.push([this.percentile(p), round(p), atOrBelow]);
      }
      if (total * (100 / 2 ** (half + 1)) / 100 < 1) break; // finer ticks than one sample say nothing
    }
    out.push([this.max, 100, total]);
    return out;
  }
}

function round(p: number): number {
  return Math.round(p * 1e6) / 1e6;
}
