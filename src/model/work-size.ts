// The size of a run, estimated before it starts, so that work too big to finish or to fit in
// memory is refused up front with the estimate in the message (and `--force` runs it anyway).
//
// A run's cost is, to a good approximation, linear in four counts:
//   visits            requests — ∫ rate over the run (the curve's integral), or users × duration /
//                     mean think time — times the components each visits (./visits.ts);
//   series rows       duration / sampleInterval × (components + 1): the time series and timeseries.csv;
//   instance scrapes  peak instances × duration / scrapeInterval, per autoscaled pool (metrics + sync);
//   replications      each one repeats the simulation.
// The unit costs below were measured by `npm run bench:work` (bench/work-rates.ts) on this
// project's 2-core machine under load averages of 8–15, and rounded up:
//   per visit, the same whatever the depth: 0.54 µs of CPU on the Saler stack (1.08 µs per request
//     of 2 visits: nginx and a pool), 0.44 µs on plain M/M/c (1 visit), 0.52 µs on saler-full
//     (2.36 µs per request of 4.55 visits: CDN, nginx, web, API, Redis, app, PostgreSQL);
//   17.9–19.3 µs of CPU and 0.8–1.62 KB of peak memory per row of the time series, end to end
//     (`headroom run` building and writing summary.json, timeseries.csv and index.html: the CSV
//     and the report are built in memory, so a row costs five times what the simulation keeps);
//   1.2–3.3 µs per instance scrape, 1.5–1.9 KB per instance; 97 bytes of CSV per row of a busy run.
// A forced run of 5.2 million rows (30 days at 1 s, one pool) grew past 4 GiB and was stopped.
import v8 from 'node:v8';
import { bounds } from '../autoscale/index.ts';
import type { PoolConfig, Scenario } from '../scenario/types.ts';
import { mean } from '../sim/distribution.ts';
import { compileCurve, startClock } from '../traffic/curve.ts';
import { MAX_INSTANCES } from './lifecycle.ts';
import { FILE_LIMITS, formatBytes } from '../io/user-file.ts';
import { visitsPerRequest } from './visits.ts';

export const UNIT_COST = {
  cpuPerVisit: 0.6e-6, // s per component a request visits
  cpuPerRow: 20e-6, // s, end to end
  cpuPerInstanceScrape: 3.5e-6, // s
  memoryPerRow: 1700, // bytes, end to end
  /** What a replication keeps of a row while the later ones run (the simulation's share of memoryPerRow). */
  memoryPerKeptRow: 350, // bytes
  memoryPerInstance: 2048, // bytes
  csvPerRow: 100, // bytes
} as const;

/** What runs without asking: ten minutes of CPU, and half of what this Node process may allocate (all of it even with --force). */
export const LIMITS = {
  cpuSeconds: 600,
  heapBytes: v8.getHeapStatistics().heap_size_limit / 2,
  heapHardBytes: v8.getHeapStatistics().heap_size_limit,
  /** timeseries.csv must stay readable by `headroom report` (and one JavaScript string). */
  csvBytes: FILE_LIMITS.series.bytes,
} as const;

export interface PoolEstimate {
  name: string;
  /** Instances at the peak: the initial count, or what the policy may reach when the traffic needs it. */
  peak: number;
  autoscaled: boolean;
  scrapes: number; // instance scrapes over the run
}

export interface WorkEstimate {
  requests: number; // per replication
  visits: number; // components a request visits, on average
  seriesRows: number;
  pools: PoolEstimate[];
  replications: number;
  cpuSeconds: number;
  heapBytes: number;
  csvBytes: number;
}

function peakRate(sc: Scenario): number {
  if (sc.workload.model === 'closed') return sc.workload.users / Math.max(mean(sc.workload.thinkTime), 1e-9);
  return compileCurve(sc.workload.rate, startClock(sc.startTime)).maxOn(0, sc.duration);
}

/** Requests of one run: the rate curve's integral (exact per kind), or each user once per think time (an upper bound). */
export function expectedRequests(sc: Scenario): number {
  if (sc.workload.model === 'closed') {
    // every user sends at most one request per think time (response times only lower it)
    return (sc.workload.users * sc.duration) / Math.max(mean(sc.workload.thinkTime), 1e-9);
  }
  return compileCurve(sc.workload.rate, startClock(sc.startTime)).integral(0, sc.duration);
}

/**
 * An autoscaled pool's peak: no more than its policy's maximum, and no more than three times the
 * instances the peak rate would keep busy (policies aim at 50–80 % utilisation), whichever is less.
 */
function poolPeak(p: PoolConfig, rate: number, maxScale: number): number {
  if (p.autoscaling === null) return p.instances;
  const { min, max } = bounds(p.autoscaling);
  const busy = (rate * mean(p.serviceTime) * maxScale) / p.workers;
  return Math.max(p.instances, min, Math.min(max, Math.ceil(3 * busy) + 1));
}

/**
 * The work of `replications` runs of the scenario. `files`: the first run's series is written out
 * (run: timeseries.csv and the report are built in memory); `figures`: only key figures come back
 * (check, sweep points), so a row costs memory only while its run lasts, and no CSV is written.
 * CPU per row stays the end-to-end figure either way (an over-estimate for figures only).
 */
export function estimateWork(sc: Scenario, replications: number, sink: 'files' | 'figures' = 'files'): WorkEstimate {
  const requests = expectedRequests(sc), visits = visitsPerRequest(sc);
  const samples = Math.ceil(sc.duration / sc.sampleInterval);
  const seriesRows = samples * (sc.components.length + 1);
  const rate = peakRate(sc);
  const maxScale = Math.max(...sc.mix.map((m) => m.serviceTimeScale));
  const pools: PoolEstimate[] = sc.components.filter((c): c is PoolConfig => c.kind === 'pool').map((p) => {
    const peak = poolPeak(p, rate, maxScale);
    return { name: p.name, peak, autoscaled: p.autoscaling !== null, scrapes: p.autoscaling ? (peak * sc.duration) / p.metrics.scrapeInterval : 0 };
  });
  const scrapes = pools.reduce((s, p) => s + p.scrapes, 0);
  const instances = pools.reduce((s, p) => s + p.peak, 0);
  const u = UNIT_COST;
  const cpuSeconds = replications * (requests * visits * u.cpuPerVisit + seriesRows * u.cpuPerRow + scrapes * u.cpuPerInstanceScrape);
  // Replications keep the first one's rows while the others run.
  const perRow = sink === 'figures' ? u.memoryPerKeptRow : u.memoryPerRow + (replications > 1 ? u.memoryPerKeptRow : 0);
  const heapBytes = seriesRows * perRow + instances * u.memoryPerInstance + sc.clients * 4;
  return { requests, visits, seriesRows, pools, replications, cpuSeconds, heapBytes, csvBytes: sink === 'figures' ? 0 : seriesRows * u.csvPerRow };
}

/** 3.6e14, 412 billion, 2.07 million, 48,000. */
export function big(n: number): string {
  if (n >= 1e12) return n.toExponential(1).replace('e+', 'e');
  if (n >= 1e9) return `${Number((n / 1e9).toPrecision(3))} billion`;
  if (n >= 1e6) return `${Number((n / 1e6).toPrecision(3))} million`;
  return Math.round(n).toLocaleString('en-US');
}

const plural = (n: number, word: string) => `${big(n)} ${word}${Math.round(n) === 1 ? '' : 's'}`;

export function formatCpu(seconds: number): string {
  const year = 86400 * 365;
  if (seconds >= 2 * year) return `${big(seconds / year)} years`;
  if (seconds >= 86400 * 2) return `${big(seconds / 86400)} days`;
  if (seconds >= 7200) return `${(seconds / 3600).toPrecision(3)} hours`;
  if (seconds >= 120) return `${Math.round(seconds / 60)} minutes`;
  return `${Math.max(1, Math.round(seconds))} s`;
}

/** Which field drives the cost most (CPU or memory), for the message. */
function culprit(sc: Scenario, est: WorkEstimate, of: 'cpu' | 'heap'): string {
  const u = UNIT_COST;
  const pool = (p: PoolEstimate) => `components.${p.name}.${p.autoscaled ? 'autoscaling' : 'instances'}`;
  const parts: Array<[string, number]> = of === 'cpu'
    ? [
        [sc.workload.model === 'open' ? 'traffic.rate' : 'traffic.closed', est.requests * est.visits * u.cpuPerVisit],
        ['sampleInterval', est.seriesRows * u.cpuPerRow],
        ...est.pools.map((p): [string, number] => [pool(p), p.scrapes * u.cpuPerInstanceScrape]),
      ]
    : [
        ['sampleInterval', est.seriesRows * u.memoryPerRow],
        ...est.pools.map((p): [string, number] => [pool(p), p.peak * u.memoryPerInstance]),
        ['traffic.clients', sc.clients * 4],
      ];
  return parts.reduce((a, b) => (b[1] > a[1] ? b : a))[0];
}

export interface WorkVerdict {
  /** Refused even with --force: the run cannot succeed (a model limit, a file too large to write). */
  hard: boolean;
  message: string;
}

/** Why this run should not start, or null. Messages name the scenario file and the field at the root of the cost. */
export function judgeWork(sc: Scenario, est: WorkEstimate, limits = LIMITS): WorkVerdict | null {
  const tooMany = sc.components.find((c): c is PoolConfig => c.kind === 'pool' && c.instances > MAX_INSTANCES);
  if (tooMany !== undefined) {
    return { hard: true, message: `${sc.file}: components.${tooMany.name}.instances: expected at most ${MAX_INSTANCES.toLocaleString('en-US')} instances per pool (the simulator's limit), got ${big(tooMany.instances)}` };
  }
  const rows = `${plural(est.seriesRows, 'row')} of time series${est.csvBytes > 0 ? ` (${formatBytes(est.csvBytes)} of timeseries.csv)` : ''}`;
  if (est.csvBytes > limits.csvBytes) {
    return {
      hard: true,
      message: `${sc.file}: sampleInterval: the run would write ${rows}, more than the ${formatBytes(limits.csvBytes)} a run's files may hold; use a longer sampleInterval (${Math.ceil(sc.sampleInterval * est.csvBytes / limits.csvBytes)} s or more) or a shorter duration`,
    };
  }
  if (est.heapBytes > limits.heapHardBytes) {
    return {
      hard: true,
      message: `${sc.file}: ${culprit(sc, est, 'heap')}: too big to fit: about ${formatBytes(est.heapBytes)} of memory for ${rows}, ` +
        `more than the ${formatBytes(limits.heapHardBytes)} this Node process may use (NODE_OPTIONS=--max-old-space-size raises it); shorten the run or sample less often`,
    };
  }
  const what = `about ${plural(est.requests, 'request')}${est.visits > 1.05 ? ` (${est.visits.toFixed(1)} components each)` : ''}${est.replications > 1 ? ` × ${est.replications} replications` : ''}, ${rows}, ` +
    `${plural(est.pools.reduce((s, p) => s + p.peak, 0), 'instance')} at the peak`;
  if (est.cpuSeconds > limits.cpuSeconds) {
    return {
      hard: false,
      message: `${sc.file}: ${culprit(sc, est, 'cpu')}: too much work to run without asking: ${what}: about ${formatCpu(est.cpuSeconds)} of CPU ` +
        `(more than the ${formatCpu(limits.cpuSeconds)} headroom runs unasked); shorten it, or pass --force to run it anyway`,
    };
  }
  if (est.heapBytes > limits.heapBytes) {
    return {
      hard: false,
      message: `${sc.file}: ${culprit(sc, est, 'heap')}: too big to fit: ${what}: about ${formatBytes(est.heapBytes)} of memory ` +
        `(more than the ${formatBytes(limits.heapBytes)} headroom uses unasked); shorten it, or pass --force to run it anyway`,
    };
  }
  return null;
}
