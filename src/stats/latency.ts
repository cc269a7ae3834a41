// Latency in seconds: a LogHistogram with the run's summary and HdrHistogram's percentile
// distribution. Memory is fixed whatever the number of requests.
import { LogHistogram } from './log-histogram.ts';
import type { LatencySummary } from './results.ts';

const SUMMARY_PERCENTILES = [50, 90, 95, 99, 99.9] as const;

/** Sub-bucket bits for a number of significant digits: 3 (0.1%) for run totals, 2 (0.8%) for a sample interval. */
export function subBitsFor(digits: 2 | 3): number {
  return digits === 3 ? 10 : 7;
}

export class LatencyHistogram extends LogHistogram {
  /** intervalDigits: also keep the sample interval's values at that precision (LogHistogram's interval view). */
  constructor(digits: 2 | 3 = 3, intervalDigits?: 2 | 3) {
    super(subBitsFor(digits), undefined, undefined, intervalDigits === undefined ? undefined : subBitsFor(intervalDigits));
  }

  summary(): LatencySummary {
    const [p50, p90, p95, p99, p999] = this.percentiles(SUMMARY_PERCENTILES);
    return { count: this.count, mean: this.mean, p50, p90, p95, p99, p999, max: this.max, distribution: this.distribution() };
  }

  /**
   * The percentile distribution as HdrHistogram's outputPercentileDistribution walks it: ticks
   * halve the distance to 100% each step, five ticks per halving, until finer ticks would be
   * finer than one sample.
   */
  distribution(ticksPerHalfDistance = 5): Array<[number, number, number]> {
    const total = this.count;
    if (total === 0) return [];
    const ps: number[] = [];
    for (let half = 0; half < 40; half++) {
      const lo = 100 - 100 / 2 ** half, hi = 100 - 100 / 2 ** (half + 1);
      for (let k = 0; k < ticksPerHalfDistance; k++) ps.push(lo + ((hi - lo) * k) / ticksPerHalfDistance);
      if (total / 2 ** (half + 1) < 1) break;
    }
    const values = this.percentiles(ps);
    const out = ps.map((p, i): [number, number, number] => [values[i], Math.round(p * 1e6) / 1e6, Math.min(total, Math.max(1, Math.ceil((p / 100) * total)))]);
    out.push([this.max, 100, total]);
    return out;
  }
}
