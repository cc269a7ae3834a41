// The time series: one row per component per sample interval, aggregated as the run goes, so its
// size follows duration / interval and never the number of requests.
import type { Scenario } from '../scenario/types.ts';
import { figureColumns, type SeriesRow } from '../stats/results.ts';
import type { LatencyHistogram } from '../stats/latency.ts';
import { PoolRuntime, type Counters } from './pool.ts';
import type { BalancerRuntime } from './balancer.ts';
import type { SystemTotals } from './simulation.ts';
import type { PoolScaler } from './scaler.ts';

export const ALL = '_all';
const INTERVAL_PERCENTILES = [50, 95, 99] as const;

export class SeriesRecorder {
  readonly rows: SeriesRow[] = [];
  private last = 0;
  /** The sample interval with the highest end-to-end p99. */
  worst: { time: number; p99: number } | null = null;

  /** The components in file order, as their runtimes. */
  private readonly components: Array<PoolRuntime | BalancerRuntime>;
  /** upstream.markedDown at the previous sample, per balancer index. */
  private readonly markedBefore: Float64Array;

  /**
   * `scalers` is indexed like `pools` (null: not autoscaled); the simulation fills it when the run
   * starts. The summary reads it back through `scalerOf` (how long a pool sat at its maximum).
   */
  constructor(
    sc: Scenario, private readonly pools: PoolRuntime[], balancers: BalancerRuntime[], private readonly system: SystemTotals,
    private readonly scalers: ReadonlyArray<PoolScaler | null> = [],
  ) {
    this.components = sc.components.map((c) => (c.kind === 'pool' ? pools.find((p) => p.cfg === c) : balancers.find((b) => b.cfg === c))!);
    this.markedBefore = new Float64Array(balancers.length);
  }

  scalerOf(pool: PoolRuntime): PoolScaler | null {
    return this.scalers[this.pools.indexOf(pool)] ?? null;
  }

  sample(now: number): void {
    const dt = now - this.last;
    if (dt <= 0) return;
    this.last = now;
    const sys = this.system;
    const all = this.row(now, ALL, dt, sys.counters, sys.iLatency, sys.inFlight, 0);
    this.rows.push(all);
    if (all.latency_p99 !== null && (this.worst === null || all.latency_p99 > this.worst.p99)) {
      this.worst = { time: now, p99: all.latency_p99 };
    }
    for (const p of this.components) {
      const c = p.cfg;
      if (p instanceof PoolRuntime) {
        const busy = p.busyTotal.windowMean(now), cap = p.capacity.windowMean(now);
        const row = this.row(now, c.name, dt, p.counters, p.iLatency, p.busyTotal.current + p.queued.current, p.queued.windowMean(now));
        row.utilisation = cap > 0 ? Math.min(1, busy / cap) : busy > 0 ? 1 : 0;
        row.instances_desired = p.desired;
        row.instances_ready = p.readyCount();
        row.instances_total = p.existing.current;
        row.cost = (p.existing.integral(now) / 3600) * p.cfg.pricePerHour;
        const last = this.scalerOf(p)?.last;
        if (last) {
          // sample and hold: the figures of the policy's latest decision at or before `now`
          row.wanted = last.unclamped;
          const policy: Record<string, number> = {};
          for (const f of last.observed) {
            const col = figureColumns(f);
            if (f.value !== null) policy[col.value] ??= f.value;
            policy[col.threshold] = f.target;
          }
          if (Object.keys(policy).length > 0) row.policy = policy;
        }
        this.rows.push(row);
      } else {
        const row = this.row(now, c.name, dt, p.counters, null, 0, 0);
        const marked = p.upstream.markedDown;
        row.marked_down = marked - this.markedBefore[p.index];
        this.markedBefore[p.index] = marked;
        this.rows.push(row);
      }
    }
  }

  /** Closes the last, possibly shorter, interval. */
  finish(now: number): void {
    this.sample(now);
  }

  private row(
    now: number, name: string, dt: number, k: Counters, hist: LatencyHistogram | null, inFlight: number, queue: number,
  ): SeriesRow {
    const has = hist !== null && hist.count > 0;
    const ps = has ? hist.percentiles(INTERVAL_PERCENTILES) : INTERVAL_PERCENTILES;
    const row: SeriesRow = {
      time: now,
      component: name,
      offered: k.iArrivals / dt,
      throughput: k.iCompletions / dt,
      errors_rate_limited: k.iErrors[0],
      errors_backlog_full: k.iErrors[1],
      errors_timeout: k.iErrors[2],
      errors_no_upstream: k.iErrors[3],
      latency_p50: has ? ps[0] : null,
      latency_p95: has ? ps[1] : null,
      latency_p99: has ? ps[2] : null,
      latency_max: has ? hist.max : null,
      in_flight: inFlight,
      queue_mean: queue,
      utilisation: null,
      instances_desired: null,
      instances_ready: null,
      instances_total: null,
      cost: null,
      wanted: null,
      marked_down: null,
    };
    k.resetInterval();
    hist?.reset();
    return row;
  }
}
