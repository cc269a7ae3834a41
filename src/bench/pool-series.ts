// A pool's figures per sample interval and over the run, from its instances' own reports
// (./upstream/protocol.ts UpstreamSample), in the simulator's definitions (src/model/series.ts,
// summary.ts): offered = arrivals at the pool per s, latency = time at the pool (queue + service),
// utilisation = busy-worker time / worker time of the instances, queue_mean = time-weighted
// backlog of the whole pool, in_flight = queued + on workers at the end of the interval.
// Instance counts, cost and the worker time utilisation divides by come from the pool's Fleet
// (./fleet.ts): ready instances' workers, as the simulator's capacity; an autoscaled pool's rows
// hold its policy's last decision (wanted, observed figures and thresholds), as the simulator's.
import type { PoolConfig } from '../scenario/types.ts';
import { LatencyHistogram } from '../stats/latency.ts';
import { completeErrors, errorColumns, policyCells, type PoolSummary, type SeriesRow } from '../stats/results.ts';
import type { Fleet, FleetSnapshot } from './fleet.ts';
import type { UpstreamSample } from './upstream/protocol.ts';

const zeroErrors = () => completeErrors({});

export class PoolSeries {
  readonly rows: SeriesRow[] = [];
  private readySeconds = 0; // ∫ ready instances dt at the previous row
  private busyArea = 0;
  private queueArea = 0;
  private readonly hist = new LatencyHistogram(2);

  constructor(readonly cfg: PoolConfig, readonly fleet: Fleet) {}

  /** One interval ending at `time` (bench s), `dt` long, from the reports of the instances alive in it and the fleet at its end. */
  add(time: number, dt: number, samples: Array<UpstreamSample | null>, f: FleetSnapshot): void {
    const got = samples.filter((s): s is UpstreamSample => s !== null);
    let arrivals = 0, completions = 0, refused = 0, timeouts = 0, busyArea = 0, queueArea = 0, inFlight = 0;
    this.hist.reset();
    for (const s of got) {
      arrivals += s.arrivals; completions += s.completions; refused += s.refused; timeouts += s.timeouts;
      busyArea += s.busyArea; queueArea += s.queueArea; inFlight += s.busy + s.queued;
      this.hist.addSnapshot(s.latency);
    }
    this.busyArea += busyArea;
    this.queueArea += queueArea;
    const cap = (f.readySeconds - this.readySeconds) * this.cfg.workers;
    this.readySeconds = f.readySeconds;
    const has = this.hist.count > 0;
    const [p50, p95, p99] = has ? this.hist.percentiles([50, 95, 99]) : [0, 0, 0];
    this.rows.push({
      time, component: this.cfg.name,
      offered: arrivals / dt, throughput: completions / dt,
      ...errorColumns({ backlogFull: refused, timeout: timeouts }),
      latency_p50: has ? p50 : null, latency_p95: has ? p95 : null, latency_p99: has ? p99 : null, latency_max: has ? this.hist.max : null,
      in_flight: inFlight, queue_mean: queueArea / dt,
      utilisation: cap > 0 ? Math.min(1, busyArea / cap) : null,
      instances_desired: f.desired, instances_ready: f.ready, instances_total: f.existing,
      cost: (f.existingSeconds / 3600) * this.cfg.pricePerHour,
    });
    const d = f.decision;
    if (d) {
      const row = this.rows[this.rows.length - 1]!;
      row.wanted = d.unclamped;
      const policy = policyCells(d.observed);
      if (policy) row.policy = policy;
    }
  }

  /** The run's summary from the instances' whole-run reports (`final` samples) and the intervals seen. */
  summary(T: number, finals: Array<UpstreamSample | null>): PoolSummary {
    const got = finals.filter((s): s is UpstreamSample => s !== null);
    const latency = new LatencyHistogram(3);
    const errors = zeroErrors();
    let arrivals = 0, completions = 0, waitCount = 0, waitSum = 0, waited = 0;
    for (const s of got) {
      arrivals += s.arrivals; completions += s.completions;
      errors.backlogFull += s.refused; errors.timeout += s.timeouts;
      waitCount += s.waitCount; waitSum += s.waitSum; waited += s.waited;
      latency.addSnapshot(s.latency);
    }
    const f = this.fleet, hours = f.existing.integral(T) / 3600;
    const cap = f.ready.integral(T) * this.cfg.workers;
    return {
      kind: 'pool', arrivals, completions, errors, latency: latency.summary(),
      wait: { mean: waitCount > 0 ? waitSum / waitCount : 0, probWait: waitCount > 0 ? waited / waitCount : 0, count: waitCount },
      utilisation: cap > 0 ? this.busyArea / cap : 0,
      meanQueue: T > 0 ? this.queueArea / T : 0,
      meanInPool: T > 0 ? (this.busyArea + this.queueArea) / T : 0,
      instances: { min: f.low, max: f.high, mean: T > 0 ? f.existing.integral(T) / T : 0, final: f.existing.current },
      instanceHours: hours,
      cost: hours * this.cfg.pricePerHour,
      pricePerHour: this.cfg.pricePerHour,
    };
  }
}
