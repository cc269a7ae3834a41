// The time series: one row per component per sample interval, aggregated as the run goes, so its
// size follows duration / interval and never the number of requests. Each component writes its
// own row (Component.sample); `intervalRow` is the part every row shares.
import { ERROR_COLUMNS, errorColumns, type SeriesRow } from '../stats/results.ts';
import type { LatencyHistogram } from '../stats/latency.ts';
import type { Counters } from './counters.ts';
import type { Component } from './component.ts';
import type { SystemTotals } from './totals.ts';
import { BottleneckTracker } from './bottleneck.ts';

export const ALL = '_all';
const INTERVAL_PERCENTILES = [50, 95, 99] as const;
/** The error columns at 0, in their order: built once (each name is a regex replace), spread into every row. */
const NO_ERRORS = errorColumns({});

export class SeriesRecorder {
  readonly rows: SeriesRow[] = [];
  private last = 0;
  /** The sample interval with the highest end-to-end p99. */
  worst: { time: number; p99: number } | null = null;
  /** Which component was the busiest and which had the longest queue, per interval (./bottleneck.ts). */
  readonly bottleneck = new BottleneckTracker();
  private readonly candidates: SeriesRow[] = []; // scratch: the interval's rows the bottleneck judges

  /** components: in file order. */
  /** extra: a row after the components' (the cluster's `nodes` row), or null. */
  constructor(
    private readonly components: readonly Component[],
    private readonly system: SystemTotals,
    private readonly extra: { sample(now: number, dt: number): SeriesRow } | null = null,
  ) {}

  sample(now: number): void {
    const dt = now - this.last;
    if (dt <= 0) return;
    this.last = now;
    const sys = this.system;
    const all = intervalRow(now, ALL, dt, sys.counters, sys.latency, sys.inFlight, 0);
    this.rows.push(all);
    if (all.latency_p99 !== null && (this.worst === null || all.latency_p99 > this.worst.p99)) {
      this.worst = { time: now, p99: all.latency_p99 };
    }
    const judged = this.candidates;
    judged.length = 0;
    for (const c of this.components) {
      const row = c.sample(now, dt);
      judged.push(row);
      this.rows.push(row);
      if (c.partRows) for (const r of c.partRows(now, dt)) { judged.push(r); this.rows.push(r); }
      if (c.subRows) for (const r of c.subRows(now, dt)) this.rows.push(r);
    }
    if (this.extra !== null) this.rows.push(this.extra.sample(now, dt));
    this.bottleneck.observe(now, judged, all);
  }

  /** Closes the last, possibly shorter, interval. */
  finish(now: number): void {
    this.sample(now);
  }
}

/**
 * The columns every component has, for the interval ending now; starts the next interval of
 * `k` and of `hist`'s interval view (a latency histogram that keeps one).
 */
export function intervalRow(
  now: number, name: string, dt: number, k: Counters, hist: LatencyHistogram | null, inFlight: number, queue: number,
): SeriesRow {
  const has = hist !== null && hist.intervalCount > 0;
  const ps = has ? hist.intervalPercentiles(INTERVAL_PERCENTILES) : INTERVAL_PERCENTILES;
  const row: SeriesRow = {
    time: now,
    component: name,
    offered: k.iArrivals / dt,
    throughput: k.iCompletions / dt,
    ...NO_ERRORS, // filled from k below, one per cause
    latency_p50: has ? ps[0] : null,
    latency_p95: has ? ps[1] : null,
    latency_p99: has ? ps[2] : null,
    latency_max: has ? hist.intervalMax : null,
    in_flight: inFlight,
    queue_mean: queue,
    utilisation: null,
    instances_desired: null,
    instances_ready: null,
    instances_total: null,
    cost: null,
    wanted: null,
    marked_down: null,
    calls: null,
    call_retries: null,
    waiting_share: null,
    bottleneck_util: null, // the _all row's: set by BottleneckTracker
    bottleneck_queue: null,
    hit_ratio: null,
    oldest_age: null,
  };
  for (let c = 0; c < ERROR_COLUMNS.length; c++) (row as unknown as Record<string, number>)[ERROR_COLUMNS[c]] = k.iErrors(c);
  k.resetInterval();
  hist?.resetInterval();
  return row;
}
