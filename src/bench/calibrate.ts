// `headroom calibrate`: from an access log (of a bench run, or of production nginx) to
// calibration.json — per pool the service-time distribution, per load balancer nginx's own
// overhead, and (from CPU figures at several load levels) per-instance capacity.
//
// What a log line gives, and what is taken from it:
//   service time  the response time of the request's last upstream try, when that try answered
//                 below 500: $upstream_response_time is the time at the upstream, its queueing
//                 included, so it is taken at the lowest load level there is (a bench run's lowest
//                 step, or the whole of a production log — give it a quiet hour), and the
//                 utilisation then is reported beside the fit so a reader sees how close to pure
//                 service it was. Failed tries (5xx, timeouts, refusals) are counted, not fitted.
//   overhead      $request_time − Σ $upstream_response_time over all tries: nginx's own time.
//                 Both are differences of nginx's millisecond clock, so the result is ≥ 0.
//   redirects     tries before an internal redirect went to a group $proxy_host does not name
//                 (it names the last): counted, not attributed.
import { readAccessLog, AccessLogError, type LogRecord } from './access-log.ts';
import { fitSample, ValueCounts, type FitReport } from './fit.ts';
import { fitCapacity, type CapacityResult, type CapacityRun } from './capacity.ts';
import { describeDist, distSyntax } from './dist-syntax.ts';
import { mean } from '../sim/distribution.ts';
import type { Dist } from '../sim/distribution-types.ts';
import type { CalibrationFile } from '../scenario/calibration.ts';

/** The scenario's shape as calibration needs it. */
export interface Topology {
  file: string; // where it came from, for messages
  pools: Array<{ name: string; instances: number; workers: number }>;
  balancers: Array<{ name: string; upstream: string }>;
}

export interface LogSource {
  file: string;
  /** Run time (s) of t = 0 on nginx's clock ($msec); null for a production log (no run axis). */
  start: number | null;
  /** Ranges of run time [from, to) whose requests are fitted; null: every line. */
  window: Array<[number, number]> | null;
  label: string; // how calibration.json names what was fitted
}

export interface CalibrateInput {
  topology: Topology;
  log: LogSource;
  /** nginx upstream name → pool (`--pool saler_backend=web`); otherwise an upstream named like a pool is that pool. */
  poolOf: Record<string, string>;
  skipBadLines: boolean;
  /** Runs with CPU figures, for capacity (bench mode). */
  cpuRuns: CapacityRun[];
  version: string;
  from: Record<string, unknown>;
  /**
   * Mean wait for a worker the bench's upstreams measured themselves, per pool, over exactly the
   * requests fitted (a run that is one load level). Upstream time is wait + service: the fitted
   * distribution is then scaled so its mean is the mean upstream time less this wait.
   */
  upstreamWait?: Record<string, number>;
}

interface PoolTally {
  service: ValueCounts;
  overhead: ValueCounts;
  upstreams: Set<string>;
  served: number;
  failedTries: number; // tries that did not answer below 500
  failedRequests: number; // requests whose last try failed
  redirectedTries: number;
}

const NGINX_RESOLUTION = 0.001;

/** t = 0 of a bench run on nginx's clock: the earliest request start in its log. */
export async function logStart(file: string, skipBadLines: boolean): Promise<number> {
  let start = Infinity;
  await readAccessLog(file, (r) => { start = Math.min(start, r.msec - r.requestTime); }, { skipBadLines });
  if (!Number.isFinite(start)) throw new AccessLogError(`${file}: no request in the log`);
  return start;
}

export async function calibrate(input: CalibrateInput): Promise<CalibrationFile> {
  const { topology, log } = input;
  const poolNames = topology.pools.map((p) => p.name);
  const tallies = new Map<string, PoolTally>();
  const tally = (pool: string) => {
    let t = tallies.get(pool);
    if (!t) tallies.set(pool, (t = { service: new ValueCounts(NGINX_RESOLUTION), overhead: new ValueCounts(NGINX_RESOLUTION), upstreams: new Set(), served: 0, failedTries: 0, failedRequests: 0, redirectedTries: 0 }));
    return t;
  };
  const counts = { lines: 0, outside: 0, noUpstream: 0, unattributed: 0 };
  let first = Infinity, last = -Infinity;

  const resolve = (r: LogRecord): string => {
    const up = r.upstream!;
    const mapped = input.poolOf[up] ?? (poolNames.includes(up) ? up : undefined);
    if (mapped !== undefined) return mapped;
    const hint = poolNames.length ? `; map it with --pool ${up}=<pool> (pools: ${poolNames.join(', ')})` : '';
    throw new AccessLogError(`${log.file}:${r.line}: up=${up}: expected an upstream named like a pool of ${topology.file}${hint}`);
  };
  const inWindow = (t: number) => log.window === null || log.window.some(([a, b]) => t >= a && t < b);

  const read = await readAccessLog(log.file, (r) => {
    counts.lines++;
    if (log.start !== null && !inWindow(r.msec - log.start)) { counts.outside++; return; }
    if (r.tries.length === 0) { counts.noUpstream++; return; }
    if (r.upstream === null) { counts.unattributed++; return; }
    const t = tally(resolve(r));
    first = Math.min(first, r.msec - r.requestTime);
    last = Math.max(last, r.msec);
    t.upstreams.add(r.upstream);
    const lastGroup = r.tries[r.tries.length - 1]!.group;
    let upstreamTime = 0;
    for (const x of r.tries) {
      if (x.response !== null) upstreamTime += x.response;
      if (x.group !== lastGroup) t.redirectedTries++;
    }
    const final = r.tries[r.tries.length - 1]!;
    const group = r.tries.filter((x) => x.group === lastGroup);
    t.failedTries += group.length - 1;
    if (final.status === null || final.status >= 500 || final.response === null) {
      t.failedTries++;
      t.failedRequests++;
      return;
    }
    t.served++;
    t.service.record(final.response);
    t.overhead.record(Math.max(0, r.requestTime - upstreamTime));
  }, { skipBadLines: input.skipBadLines });

  const seconds = log.window === null ? Math.max(0, last - first) : log.window.reduce((s, [a, b]) => s + (b - a), 0);
  const out: CalibrationFile = {
    kind: 'headroom-calibration',
    version: 1,
    headroom: input.version,
    from: {
      ...input.from,
      log: log.file,
      fittedOn: log.label,
      seconds,
      lines: read.lines,
      ...(read.badLines > 0 ? { badLinesSkipped: read.badLines, firstBadLine: read.firstBad } : {}),
      outsideWindow: counts.outside,
      noUpstream: counts.noUpstream,
      unattributed: counts.unattributed,
    },
    pools: {},
    balancers: {},
  };
  const overheadByPool = new Map<string, ValueCounts>();
  for (const pool of topology.pools) {
    const t = tallies.get(pool.name);
    if (!t || t.service.total < 2) continue; // too little to fit: left as the scenario says
    const fit = fitSample(t.service);
    const wait = input.upstreamWait?.[pool.name];
    const correction = wait === undefined ? null : waitCorrection(fit.mean.sample, wait);
    if (correction?.applied) fit.dist = scaled(fit.dist, correction.factor);
    const meanS = mean(fit.dist);
    const rate = seconds > 0 ? t.served / seconds : null;
    const capacity: CapacityResult | null = input.cpuRuns.length > 0 ? fitCapacity(pool.name, input.cpuRuns) : null;
    const entry: CalibrationFile['pools'][string] = {
      serviceTime: distSyntax(fit.dist),
      fit: fitRecord(fit),
      source: {
        upstreams: [...t.upstreams].sort(),
        requests: t.served,
        failedRequests: t.failedRequests,
        failedTries: t.failedTries,
        redirectedTries: t.redirectedTries,
        throughput: rate,
        // Busy workers / workers while fitted (utilisation law on the fitted mean): the lower, the purer the service time.
        utilisation: rate === null ? null : (rate * meanS) / Math.max(1, pool.instances * pool.workers),
        ...(correction !== null ? { upstreamWait: correction } : {}),
      },
    };
    if (capacity !== null) {
      if (capacity.ok) {
        const c = capacity.capacity;
        const workers = Math.min(pool.workers, Math.max(1, Math.round(c.perInstance * meanS)));
        entry.capacity = { ...c, method: 'utilisation law U = U0 + D·X per average instance per interval of every load level; capacity = (1 − U0)/D at one core' };
        if (workers < pool.workers) entry.workers = workers;
      } else entry.capacity = { note: capacity.why };
    }
    out.pools[pool.name] = entry;
    overheadByPool.set(pool.name, t.overhead);
  }
  for (const lb of topology.balancers) {
    const oc = overheadByPool.get(lb.upstream);
    if (!oc || oc.total < 2) continue;
    const fit = fitSample(oc);
    out.balancers[lb.name] = { overhead: distSyntax(fit.dist), fit: fitRecord(fit), source: { pool: lb.upstream, requests: oc.total } };
  }
  return out;
}

/**
 * Upstream time = wait for a worker + service. With the wait measured by the upstream itself, the
 * fit is scaled by (mean upstream time − mean wait)/mean upstream time: the mean is then the
 * service's, the shape the upstream time's (an approximation: waits also widen the distribution,
 * which a scale does not undo). Above half the upstream time the wait is not a correction any more:
 * left alone, and said so.
 */
function waitCorrection(meanUpstream: number, wait: number): { mean: number; share: number; factor: number; applied: boolean; note: string } {
  const share = meanUpstream > 0 ? wait / meanUpstream : 0;
  if (share > 0.5) return { mean: wait, share, factor: 1, applied: false, note: 'the upstreams waited for a worker over half of their time: fit a run at lower load' };
  return { mean: wait, share, factor: 1 - share, applied: true, note: 'scaled by 1 − mean wait / mean upstream time, the wait measured by the upstreams' };
}

function scaled(d: Dist, k: number): Dist {
  switch (d.kind) {
    case 'lognormal': return { kind: 'lognormal', mu: d.mu + Math.log(k), sigma: d.sigma };
    case 'gamma': return { kind: 'gamma', shape: d.shape, scale: d.scale * k };
    case 'empirical': return { kind: 'empirical', samples: d.samples.map((x) => x * k) };
    default: return d;
  }
}

function fitRecord(f: FitReport): Record<string, unknown> {
  return {
    family: f.family,
    summary: describeDist(f.dist),
    criterion: f.criterion,
    n: f.n,
    resolution: f.resolution,
    ks: f.ks,
    aic: f.aic,
    quantiles: f.quantiles,
    mean: f.mean,
    candidates: { lognormal: f.candidates.lognormal && distSyntax(f.candidates.lognormal), gamma: f.candidates.gamma && distSyntax(f.candidates.gamma) },
  };
}
