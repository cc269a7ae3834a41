// From a finished run to its RunSummary: totals, per-component figures, cost, SLO verdicts.
import type { Scenario, SloConfig } from '../scenario/types.ts';
import {
  errorTotal, type RunSummary, type ErrorCounts, type ComponentSummary, type SloResult, type LatencySummary, type ClassSummary,
  type PoolAutoscaling, type PoolSummary, type UpstreamCauses,
} from '../stats/results.ts';
import type { Counters } from './pool.ts';
import type { RunState } from './simulation.ts';
import pkg from '../../package.json' with { type: 'json' };

export const VERSION: string = pkg.version; // one version: package.json's

function errors(k: Counters): ErrorCounts {
  return { rateLimited: k.errors[0], backlogFull: k.errors[1], timeout: k.errors[2], noUpstream: k.errors[3] };
}


export function summarise(run: RunState): RunSummary {
  const sc = run.scenario, T = run.now, sys = run.system;
  const components: Record<string, ComponentSummary> = {};
  let cost = 0, instanceHours = 0;
  const peakInstances: Record<string, number> = {};
  for (const p of run.pools) {
    const hours = p.existing.integral(T) / 3600;
    const poolCost = hours * p.cfg.pricePerHour;
    cost += poolCost;
    instanceHours += hours;
    peakInstances[p.cfg.name] = p.peak;
    const cap = p.capacity.integral(T);
    components[p.cfg.name] = {
      kind: 'pool',
      arrivals: p.counters.arrivals,
      completions: p.counters.completions,
      errors: errors(p.counters),
      latency: p.latency.summary(),
      wait: {
        mean: p.waitCount > 0 ? p.waitSum / p.waitCount : 0,
        probWait: p.waitCount > 0 ? p.waitedCount / p.waitCount : 0,
        count: p.waitCount,
      },
      utilisation: cap > 0 ? p.busyTotal.integral(T) / cap : 0,
      meanQueue: p.queued.mean(T),
      meanInPool: p.busyTotal.mean(T) + p.queued.mean(T),
      instances: { min: p.low, max: p.peak, mean: p.existing.mean(T), final: p.existing.current },
      instanceHours: hours,
      cost: poolCost,
      pricePerHour: p.cfg.pricePerHour,
    };
    const scaling = autoscaling(run, p, T);
    if (scaling) (components[p.cfg.name] as PoolSummary).autoscaling = scaling;
  }
  for (const b of run.balancers) {
    const perPeer: Record<string, number> = {};
    const sent: Array<[number, number]> = [];
    for (let peer = 0; peer < b.upstream.size; peer++) sent.push([peer, b.perPeer[peer]]);
    sent.sort((x, y) => y[1] - x[1] || x[0] - y[0]);
    for (const [peer, n] of sent.slice(0, 50)) perPeer[`${b.pool.cfg.name}-${b.peerInstance[peer]}`] = n;
    components[b.cfg.name] = {
      kind: 'loadBalancer',
      arrivals: b.counters.arrivals,
      forwarded: b.forwarded,
      retries: b.retries,
      errors: errors(b.counters),
      perPeer,
      causes: upstreamCauses(b),
    };
  }
  const done = sys.counters.completions, failed = errorTotal(errors(sys.counters));
  const arrivals = sys.counters.arrivals;
  // W over every request that arrived, in-flight ones counted up to T: then L = λW exactly (Little).
  const sojournAll = sys.sojournDone + (sys.inFlight * T - sys.bornInFlight);
  const latency = sys.latency.summary();
  const summary: RunSummary = {
    headroom: VERSION,
    scenario: {
      name: sc.name,
      description: sc.description,
      file: sc.file,
      seed: sc.seed,
      duration: sc.duration,
      warmup: sc.warmup,
      sampleInterval: sc.sampleInterval,
      ...(sc.startTime ? { startTime: sc.startTime } : {}),
    },
    totals: {
      arrivals,
      completions: done,
      errors: errors(sys.counters),
      errorRate: done + failed > 0 ? failed / (done + failed) : 0,
      inFlight: sys.inFlight,
      throughput: done / T,
      offeredRate: arrivals / T,
      meanInSystem: sys.inSystem.mean(T),
      meanResponse: arrivals > 0 ? sojournAll / arrivals : 0,
    },
    latency,
    ...(sys.classes.length > 0 ? { classes: classSummaries(run) } : {}),
    components,
    cost: { total: cost, currency: sc.currency, instanceHours },
    peakInstances,
    worstInterval: run.series.worst,
    slo: [],
    scaling: run.scaling,
    scenarioSource: scenarioForReport(sc),
  };
  summary.slo = sc.slo.map((s) => judge(s, summary));
  return summary;
}

/** The policy's figures and bounds, and how long the pool sat at max wanting more. */
function autoscaling(run: RunState, p: RunState['pools'][number], T: number): PoolAutoscaling | null {
  const scaler = run.series.scalerOf(p);
  if (!scaler) return null;
  const pinned = scaler.pinned(T);
  return {
    policy: scaler.policy.kind,
    min: scaler.min,
    max: scaler.max,
    figures: scaler.last?.observed ?? [],
    pinnedAtMax: pinned && {
      seconds: pinned.seconds, from: pinned.from, peakWanted: pinned.peakWanted, peakTime: pinned.peakTime, peakFigures: pinned.peakObserved,
    },
  };
}

/** nginx's defaults for max_fails and fail_timeout (ngx_http_upstream_server: 1 and 10 s). */
const NGINX_MAX_FAILS = 1, NGINX_FAIL_TIMEOUT = 10;

function upstreamCauses(b: RunState['balancers'][number]): UpstreamCauses {
  const pool = errors(b.pool.counters);
  return {
    pool: b.pool.cfg.name,
    maxFails: b.cfg.maxFails,
    failTimeout: b.cfg.failTimeout,
    nginxDefaults: b.cfg.maxFails === NGINX_MAX_FAILS && b.cfg.failTimeout === NGINX_FAIL_TIMEOUT,
    refused: pool.backlogFull,
    timedOut: pool.timeout,
    drainKilled: pool.noUpstream,
    markedDown: b.upstream.markedDown,
    noLiveUpstreams: b.counters.errors[3],
  };
}

function classSummaries(run: RunState): Record<string, ClassSummary> {
  const out: Record<string, ClassSummary> = {};
  for (const c of run.system.classes) {
    const done = c.counters.completions, failed = errorTotal(errors(c.counters));
    const { distribution: _, ...latency } = c.latency.summary();
    out[c.name] = {
      arrivals: c.counters.arrivals, completions: done, errors: errors(c.counters),
      errorRate: done + failed > 0 ? failed / (done + failed) : 0, latency,
    };
  }
  return out;
}

function judge(s: SloConfig, r: RunSummary): SloResult {
  const value = metricValue(s.metric, r);
  const pass = s.op === '<=' ? value <= s.threshold : value >= s.threshold;
  return { name: s.name, metric: s.metric, op: s.op, threshold: s.threshold, value, pass };
}

/** A figure of a run by the name SLOs use: latency.p99, errorRate, cost, throughput, … */
export function metricValue(metric: string, r: RunSummary): number {
  if (metric.startsWith('latency.')) {
    const key = metric.slice('latency.'.length) as keyof LatencySummary;
    const v = r.latency[key];
    if (typeof v === 'number') return v;
  }
  switch (metric) {
    case 'errorRate': return r.totals.errorRate;
    case 'cost': return r.cost.total;
    case 'throughput': return r.totals.throughput;
  }
  throw new Error(`unknown SLO metric ${metric}`);
}

/** The scenario as loaded, with Infinity spelled out (JSON has none) and long traces shortened. */
function scenarioForReport(sc: Scenario): unknown {
  return JSON.parse(JSON.stringify(sc, (_k, v) => {
    if (v === Infinity) return 'unlimited';
    if (Array.isArray(v) && v.length > 200 && typeof v[0] === 'number') return [...v.slice(0, 200), `… ${v.length - 200} more`];
    return v;
  }));
}
