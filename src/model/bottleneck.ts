// Naming the bottleneck, interval by interval, from what every component kind reports in its series
// row (Component.sample): `utilisation` — the share of its own capacity in use over the interval,
// 0..1, or null for a kind with no capacity limit of its own (a balancer: nginx's time is a pure
// delay) — and `queue_mean` — the time-weighted number of requests waiting for that capacity. Both
// are read at the interval boundary, once per component: nothing here runs per request or event.
//
// The rule (the utilisation law's bottleneck: the station with the highest utilisation is the first
// to saturate; Lazowska et al., Quantitative System Performance, ch. 5): per interval, the busiest
// component is the one with the highest utilisation, ties broken by the longer queue, then by file
// order; the longest queue is the highest queue_mean, ties broken by the higher utilisation, then
// file order. Saturated components all read exactly 1 (a pool's utilisation is capped there), so
// among several saturated ones the queue decides. An interval in which nothing was busy (or nothing
// waited) names none.
import type { SeriesRow } from '../stats/results.ts';
import type { BottleneckFigures, BottleneckSummary } from '../stats/bottleneck.ts';

export class BottleneckTracker {
  private intervals = 0;
  private readonly busiest: Float64Array;
  private readonly busiestUtil: Float64Array; // sum of its utilisation over the intervals it was busiest
  private readonly longest: Float64Array;
  private readonly peakUtil: Float64Array;
  private readonly peakUtilAt: Float64Array;
  private readonly peakQueue: Float64Array;
  private readonly peakQueueAt: Float64Array;
  private readonly hasUtil: Uint8Array;

  /** names: the candidates, in file order (the order `observe` receives their rows in). */
  constructor(private readonly names: readonly string[]) {
    const n = names.length;
    this.busiest = new Float64Array(n);
    this.busiestUtil = new Float64Array(n);
    this.longest = new Float64Array(n);
    this.peakUtil = new Float64Array(n);
    this.peakUtilAt = new Float64Array(n).fill(-1);
    this.peakQueue = new Float64Array(n);
    this.peakQueueAt = new Float64Array(n).fill(-1);
    this.hasUtil = new Uint8Array(n);
  }

  /**
   * The interval ending at `now`: rows[i] is candidate i's row. Writes the names it judged on
   * `all` (the whole system's row: bottleneck_util, bottleneck_queue).
   */
  observe(now: number, rows: readonly SeriesRow[], all: SeriesRow): void {
    this.intervals++;
    let u = -1, q = -1;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i], ui = r.utilisation, qi = r.queue_mean;
      if (ui !== null) {
        this.hasUtil[i] = 1;
        if (ui > this.peakUtil[i] || this.peakUtilAt[i] < 0) {
          this.peakUtil[i] = ui;
          this.peakUtilAt[i] = now;
        }
        if (ui > 0 && (u < 0 || busier(r, rows[u]))) u = i;
      }
      if (qi > 0) {
        if (qi > this.peakQueue[i]) {
          this.peakQueue[i] = qi;
          this.peakQueueAt[i] = now;
        }
        if (q < 0 || longer(r, rows[q])) q = i;
      }
    }
    if (u >= 0) {
      this.busiest[u]++;
      this.busiestUtil[u] += rows[u].utilisation!;
    }
    if (q >= 0) this.longest[q]++;
    all.bottleneck_util = u >= 0 ? this.names[u] : null;
    all.bottleneck_queue = q >= 0 ? this.names[q] : null;
  }

  summary(): BottleneckSummary {
    const components: Record<string, BottleneckFigures> = {};
    let busiest = -1, longest = -1;
    this.names.forEach((name, i) => {
      if (this.busiest[i] > 0 && (busiest < 0 || this.busiest[i] > this.busiest[busiest])) busiest = i;
      if (this.longest[i] > 0 && (longest < 0 || this.longest[i] > this.longest[longest])) longest = i;
      if (!this.hasUtil[i] && this.peakQueueAt[i] < 0) return; // no capacity and never a queue: nothing to say
      components[name] = {
        busiest: this.busiest[i],
        busiestUtilisation: this.busiest[i] > 0 ? this.busiestUtil[i] / this.busiest[i] : null,
        longestQueue: this.longest[i],
        peakUtilisation: this.hasUtil[i] ? this.peakUtil[i] : null,
        peakUtilisationAt: this.hasUtil[i] ? this.peakUtilAt[i] : null,
        peakQueue: this.peakQueue[i],
        peakQueueAt: this.peakQueueAt[i] >= 0 ? this.peakQueueAt[i] : null,
      };
    });
    return {
      intervals: this.intervals,
      busiest: busiest >= 0 ? this.names[busiest] : null,
      longestQueue: longest >= 0 ? this.names[longest] : null,
      components,
    };
  }
}

/** a busier than b: higher utilisation, then the longer queue (file order decides the rest: the earlier stays). */
function busier(a: SeriesRow, b: SeriesRow): boolean {
  return a.utilisation! > b.utilisation! || (a.utilisation === b.utilisation && a.queue_mean > b.queue_mean);
}

/** a's queue longer than b's: longer, then the higher utilisation. */
function longer(a: SeriesRow, b: SeriesRow): boolean {
  return a.queue_mean > b.queue_mean || (a.queue_mean === b.queue_mean && (a.utilisation ?? 0) > (b.utilisation ?? 0));
}
