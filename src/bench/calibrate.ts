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
//                 From a bench run, plus the transport to the upstream (upstreamCorrection).
//   redirects     tries before an internal redirect went to a group $proxy_host does not name
//                 (it names the last): counted, not attributed.
import { readAccessLog, AccessLogError, type LogRecord } from './access-log.ts';
import { empiricalPoints, fitSample, ValueCounts, type FitReport } from './fit.ts';
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
   * What the bench's upstreams measured themselves, per pool, over exactly the requests fitted (a
   * run that is one load level): mean time at the pool (arrival to answer) and mean wait for a
   * worker. nginx's upstream time is transport + wait + service: the fit is scaled so its mean is
   * the service's, and the transport moves to the balancer's overhead (see upstreamCorrection).
   */
  upstreamOwn?: Record<string, { atPool: number; wait: number }>;
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
  const transportByPool = new Map<string, number>();
  for (const pool of topology.pools) {
    const t = tallies.get(pool.name);
    if (!t || t.service.total < 2) continue; // too little to fit: left as the scenario says
    const fit = fitSample(t.service);
    const own = input.upstreamOwn?.[pool.name];
    const correction = own === undefined ? null : upstreamCorrection(fit.mean.sample, own);
    if (correction?.applied) {
      fit.dist = scaled(fit.dist, correction.factor);
      if (correction.transport > 0) transportByPool.set(pool.name, correction.transport);
    }
    const meanS = mean(fit.dist);
    const rate = seconds > 0 ? t.served / seconds : null;
    const capacity: CapacityResult | null = input.cpuRuns.length > 0 ? fitCapacity(pool.name, input.cpuRuns, pool.workers) : null;
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
        ...(correction !== null ? { upstreamTimes: correction } : {}),
      },
    };
    if (capacity !== null) {
      if (capacity.ok) {
        const c = capacity.capacity;
        const workers = Math.min(pool.workers, Math.max(1, Math.round(c.perInstance * meanS)));
        entry.capacity = { ...c, method: 'utilisation law U = U0 + D·X per average instance per interval of every load level; capacity = (cores − U0)/D, cores = min(workers, the machine\'s)' };
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
    const transport = transportByPool.get(lb.upstream) ?? 0;
    if (transport > 0) fit.dist = shifted(fit.dist, oc, transport);
    out.balancers[lb.name] = {
      overhead: distSyntax(fit.dist), fit: fitRecord(fit),
      source: { pool: lb.upstream, requests: oc.total, ...(transport > 0 ? { transportAdded: transport } : {}) },
    };
  }
  return out;
}

/** What calibration.json says of the correction (`source.upstreamTimes`). */
export interface UpstreamCorrection {
  atPool: number; // s, mean, as the upstreams measured it
  wait: number; // s, mean wait for a worker, as the upstreams measured it
  service: number; // s, mean: atPool − wait, the time a worker was held
  transport: number; // s, mean: nginx's upstream time − atPool, ≥ 0
  share: number; // wait / nginx's mean upstream time
  factor: number; // the fit's scale: service / nginx's mean upstream time
  applied: boolean;
  note: string;
}

/**
 * nginx's $upstream_response_time runs from its connect to the upstream's last byte: the loopback
 * round trip and the upstream's HTTP parsing and writing (transport), the wait for a worker, and
 * the service. Only the service holds a worker; in the model a worker is held for the whole service
 * time, so fitting nginx's time as service overstates utilisation (by ~8 % for a 20 ms service on
 * a loaded 2-core machine, which near saturation multiplies the queueing). With the upstreams'
 * own figures the fit is scaled by service / mean upstream time (mean the service's, shape the
 * upstream time's: an approximation, since waits also widen the distribution) and the transport,
 * a delay that holds nothing, is added to the balancer's overhead. When the upstreams waited for
 * over half of nginx's time, the mean is still the one they measured, but the shape is mostly
 * waiting (wider than the service's): said so in the note — fit a run at lower load for the shape.
 */
export function upstreamCorrection(meanUpstream: number, own: { atPool: number; wait: number }): UpstreamCorrection {
  const service = Math.max(0, own.atPool - own.wait);
  const transport = Math.max(0, meanUpstream - own.atPool);
  const share = meanUpstream > 0 ? own.wait / meanUpstream : 0;
  const base = { atPool: own.atPool, wait: own.wait, service, transport, share };
  if (meanUpstream <= 0 || service <= 0) return { ...base, transport: 0, factor: 1, applied: false, note: 'no time measured: the fit is left as it is' };
  const note = 'scaled to the service time the upstreams measured (time at the pool less the wait); nginx\'s time beyond the pool (transport) added to the balancer\'s overhead';
  return {
    ...base, factor: Math.min(1, service / meanUpstream), applied: true,
    note: share > 0.5 ? `${note}; the upstreams waited over half of their time, so the shape (nginx's upstream time, mostly waiting) is wider than the service's: fit a run at lower load for it` : note,
  };
}

/** `d` + c. A parametric fit has no shift in the scenario's syntax: the sample's own quantiles, shifted, instead. */
function shifted(d: Dist, sample: ValueCounts, c: number): Dist {
  switch (d.kind) {
    case 'constant': return { kind: 'constant', value: d.value + c };
    case 'empirical': return { kind: 'empirical', samples: d.samples.map((x) => x + c) };
    default: return { kind: 'empirical', samples: empiricalPoints(sample.weighted()).map((x) => x + c) };
  }
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
