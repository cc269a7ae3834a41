// What a pool reports: its time-series row (with, when a policy scales it, the policy's wish and
// the figures it acted on, held from its last decision; when it calls, its call attempts and
// retries) and its summary (with the policy's bounds and how long the pool sat at its maximum
// while the policy wanted more; its calls, ./calls.ts).
import { policyCells, type PoolAutoscaling, type PoolSummary, type SeriesRow } from '../stats/results.ts';
import { Counters, errorCounts } from './counters.ts';
import type { PoolRuntime } from './pool.ts';
import { intervalRow } from './series.ts';
import { versionSummaries } from './version-report.ts';

export function poolRow(p: PoolRuntime, now: number, dt: number): SeriesRow {
  const busy = p.busyTotal.windowMean(now), cap = p.capacity.windowMean(now);
  const row = intervalRow(now, p.cfg.name, dt, p.counters, p.latency, p.busyTotal.current + p.queued.current, p.queued.windowMean(now));
  row.utilisation = cap > 0 ? Math.min(1, busy / cap) : busy > 0 ? 1 : 0;
  row.instances_desired = p.desired;
  row.instances_ready = p.readyCount();
  row.instances_total = p.existing.current;
  row.cost = p.billing(now).cost;
  const last = p.scaling?.scaler.last;
  if (last) {
    // sample and hold: the figures of the policy's latest decision at or before `now`
    row.wanted = last.unclamped;
    const policy = policyCells(last.observed);
    if (policy) row.policy = policy;
  }
  if (p.vertical !== null) {
    const cells = policyCells(p.vertical.figures()); // the VPA's recommendation beside the pods' mean request
    if (cells) row.policy = { ...row.policy, ...cells };
  }
  if (p.caller !== null) {
    const c = p.caller.stats.interval();
    row.calls = c.calls;
    row.call_retries = c.retries;
    // Of its busy workers, those only waiting on calls: the bottleneck counts that time as the callee's.
    const waiting = p.caller.calling.windowMean(now); // read every interval: it starts the next window
    row.waiting_share = busy > 0 ? Math.min(1, waiting / busy) : 0;
  }
  return row;
}

const NO_COUNTS = new Counters(); // a connection pool's row counts no requests of its own
const NO_ROWS: SeriesRow[] = [];

/**
 * A calling pool's connection pools, one row per database called (`app/db-pool`, summed over its
 * instances and endpoints): connections in use of those open as its utilisation, attempts waiting
 * for a connection as its queue. A connection in use only waits on the database (waiting_share 1),
 * so the bottleneck can name the pool's queue, never its utilisation.
 */
export function connectionRows(p: PoolRuntime, now: number, dt: number): SeriesRow[] {
  const refs = p.caller?.stats.refs;
  if (!refs?.length) return NO_ROWS;
  return refs.map(({ to, stats }) => {
    const inUse = stats.inUse.windowMean(now), open = stats.open.windowMean(now), waiting = stats.waiting;
    const row = intervalRow(now, `${p.cfg.name}/${to}-pool`, dt, NO_COUNTS, null, stats.inUse.current + waiting.current, waiting.windowMean(now));
    row.utilisation = open > 0 ? Math.min(1, inUse / open) : inUse > 0 ? 1 : 0;
    row.waiting_share = 1;
    return row;
  });
}

export function poolSummary(p: PoolRuntime, end: number): PoolSummary {
  const { instanceHours, cost } = p.billing(end), cap = p.capacity.integral(end), k = p.counters;
  const summary: PoolSummary = {
    kind: 'pool',
    arrivals: k.arrivals,
    completions: k.completions,
    errors: errorCounts(k),
    latency: p.latency.summary(),
    wait: {
      mean: p.waitCount > 0 ? p.waitSum / p.waitCount : 0,
      probWait: p.waitCount > 0 ? p.waitedCount / p.waitCount : 0,
      count: p.waitCount,
    },
    utilisation: cap > 0 ? p.busyTotal.integral(end) / cap : 0,
    meanQueue: p.queued.mean(end),
    meanInPool: p.busyTotal.mean(end) + p.queued.mean(end),
    instances: { min: p.low, max: p.peak, mean: p.existing.mean(end), final: p.existing.current },
    instanceHours,
    cost,
    pricePerHour: p.cfg.pricePerHour,
  };
  const scaling = autoscaling(p, end);
  if (scaling) summary.autoscaling = scaling;
  if (p.caller !== null) summary.calls = p.caller.summary(end);
  const versions = versionSummaries(p, end);
  if (versions) summary.versions = versions;
  if (p.vertical !== null) summary.vertical = p.vertical.summary();
  return summary;
}

/** The policy's figures and bounds, and how long the pool sat at max wanting more. */
function autoscaling(p: PoolRuntime, end: number): PoolAutoscaling | null {
  return p.scaling?.scaler.runner.report(end) ?? null;
}
