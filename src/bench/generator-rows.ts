// The generator's own figures per interval (generator.csv) and what they say about the run: where
// it could not keep the schedule, the latencies it measured include its own delay.
import { errorColumns, type SeriesRow } from '../stats/results.ts';
import type { DriverStats, IntervalFigures } from './driver/stats.ts';

export interface GeneratorRow {
  time: number; // s, end of the interval
  due: number; // requests due per s (the schedule)
  sent: number; // requests written per s
  late: number; // sent later than LATE after due, count
  lagP99: number; // s
  lagMax: number; // s
  cpu: number; // the generator's CPU, share of one core
}

/** The end-to-end row of an interval, as the simulator's `_all` row. */
export function allRow(time: number, dt: number, f: IntervalFigures): SeriesRow {
  return {
    time, component: '_all',
    offered: f.arrivals / dt, throughput: f.completions / dt,
    ...errorColumns({ rateLimited: f.errors[0], backlogFull: f.errors[1], timeout: f.errors[2], noUpstream: f.errors[3] }),
    latency_p50: f.latency?.p50 ?? null, latency_p95: f.latency?.p95 ?? null, latency_p99: f.latency?.p99 ?? null, latency_max: f.latency?.max ?? null,
    in_flight: f.inFlight, queue_mean: 0, utilisation: null,
    instances_desired: null, instances_ready: null, instances_total: null, cost: null,
  };
}

export function generatorCsv(rows: GeneratorRow[]): string {
  const f = (x: number) => (Number.isInteger(x) ? String(x) : x.toPrecision(6));
  return ['time,due_per_s,sent_per_s,late,lag_p99_s,lag_max_s,generator_cpu']
    .concat(rows.map((r) => [r.time, r.due, r.sent, r.late, r.lagP99, r.lagMax, r.cpu].map(f).join(',')))
    .join('\n') + '\n';
}

/** One line per way the generator fell short, with its figures. */
export function generatorWarnings(rows: GeneratorRow[], st: DriverStats, connections: number, maxConnections: number): string[] {
  const out: string[] = [];
  const behind = rows.filter((r) => r.due * 0.95 > r.sent && r.due > 20);
  if (behind.length > 0) {
    const worst = behind.reduce((a, b) => (b.sent / b.due < a.sent / a.due ? b : a));
    out.push(`generator behind schedule in ${behind.length} of ${rows.length} intervals (worst: ${worst.sent.toFixed(0)} of ${worst.due.toFixed(0)} req/s sent, interval ending ${worst.time} s)`);
  }
  const [lag99] = st.lag.percentiles([99]);
  if (st.lag.count > 0 && lag99 > 0.01) out.push(`send lag p99 ${(lag99 * 1000).toFixed(1)} ms (max ${(st.lag.max * 1000).toFixed(1)} ms): measured latencies include up to that much of the generator's own delay`);
  const busy = rows.filter((r) => r.cpu > 0.9);
  if (busy.length > 0) out.push(`the generator used over 90% of a core in ${busy.length} intervals: it may be the bottleneck`);
  if (connections >= maxConnections) out.push(`all ${maxConnections} connections were busy at times: due requests waited for one (counted in the lag)`);
  return out;
}
