// How long the SLO took to hold again after a fault or a release, judged on the series of the
// whole system (`_all`) one sample interval at a time: an interval holds when each SLO the series
// can judge per interval holds over it — latency.p50/p95/p99/max against the interval's percentile,
// errorRate against the interval's errors / (answers + errors), throughput against its rate.
// (latency.p90, p99.9 and mean, and cost, have no per-interval column and are not judged here.)
//
// After a disruption at t: the first interval ending after t that fails is the breach (breachedAt:
// the end of that interval, as the series stamps it); recovery is
// the start of the first run of `hold` seconds of holding intervals after the breach, and the
// recovery time is that start − t. No breach at all: recovery time 0. No such run before the end:
// not recovered (null).
import type { SloConfig } from '../scenario/types.ts';
import { ERROR_COLUMNS, type Disruption, type SeriesRow } from '../stats/results.ts';

const JUDGED = new Set(['latency.p50', 'latency.p95', 'latency.p99', 'latency.max', 'errorRate', 'throughput']);

/** The SLOs a sample interval can be judged on. */
export function judgedSlos(slos: SloConfig[]): SloConfig[] {
  return slos.filter((s) => JUDGED.has(s.metric));
}

/** Does the interval ending at `row` hold every judged SLO? */
export function intervalHolds(row: SeriesRow, dt: number, slos: SloConfig[]): boolean {
  for (const s of slos) {
    let v: number | null;
    switch (s.metric) {
      case 'errorRate': {
        let errors = 0;
        for (const c of ERROR_COLUMNS) errors += row[c] as number;
        const answered = row.throughput * dt;
        v = answered + errors > 0 ? errors / (answered + errors) : null;
        break;
      }
      case 'throughput': v = row.throughput; break;
      case 'latency.max': v = row.latency_max; break;
      default: v = row[`latency_${s.metric.slice('latency.'.length)}` as 'latency_p99'];
    }
    if (v === null) continue; // nothing answered: no latency to judge
    if (s.op === '<=' ? !(v <= s.threshold) : !(v >= s.threshold)) return false;
  }
  return true;
}

/** Breach and recovery after a disruption at `at`, over the `_all` rows (in time order). */
export function recovery(at: number, all: SeriesRow[], slos: SloConfig[], hold: number): Pick<Disruption, 'breachedAt' | 'recoveredAt' | 'recoveryTime'> {
  const judged = judgedSlos(slos);
  let breachedAt: number | null = null;
  let runStart = -1;
  let prev = 0;
  for (const row of all) {
    const start = prev, dt = row.time - prev;
    prev = row.time;
    if (row.time <= at) continue;
    const ok = judged.length === 0 || intervalHolds(row, dt, judged);
    if (breachedAt === null) {
      if (!ok) breachedAt = row.time;
      continue;
    }
    if (!ok) { runStart = -1; continue; }
    if (runStart < 0) runStart = start;
    if (row.time - runStart >= hold - 1e-9) return { breachedAt, recoveredAt: runStart, recoveryTime: runStart - at };
  }
  if (breachedAt === null) return { breachedAt: null, recoveredAt: null, recoveryTime: 0 };
  return { breachedAt, recoveredAt: null, recoveryTime: null };
}
