// A measured run as a RunSummary (src/stats/results.ts): the same fields, meaning what they mean
// for a simulated run, so `report` and `compare` read it unchanged. Totals and latency come from
// the driver (end to end, from each request's due time); pools from their instances' reports;
// balancers from nginx's access log. Figures are taken at the end of the traffic (T = duration),
// as the simulator stops at its horizon: requests still unanswered then count as in flight.
import type { Scenario, SloConfig } from '../scenario/types.ts';
import {
  completeErrors, errorTotal, type BenchInfo, type ClassSummary, type ComponentSummary, type ErrorCounts, type LatencySummary,
  type RunSummary, type SeriesRow, type SloResult,
} from '../stats/results.ts';
import pkg from '../../package.json' with { type: 'json' };
import type { DriverStats } from './driver/stats.ts';

const counts = (e: Float64Array | number[]): ErrorCounts => completeErrors({ rateLimited: e[0], backlogFull: e[1], timeout: e[2], noUpstream: e[3] });

/**
 * A figure of a run by the name SLOs use. Mirrors src/model/summary.ts metricValue (bench may not
 * import the model; both belong in src/stats once the model's refactor lands).
 */
function metricValue(metric: string, r: RunSummary): number {
  if (metric.startsWith('latency.')) {
    const v = r.latency[metric.slice('latency.'.length) as keyof LatencySummary];
    if (typeof v === 'number') return v;
  }
  switch (metric) {
    case 'errorRate': return r.totals.errorRate;
    case 'cost': return r.cost.total;
    case 'throughput': return r.totals.throughput;
  }
  throw new Error(`unknown SLO metric ${metric}`);
}

function judge(s: SloConfig, r: RunSummary): SloResult {
  const value = metricValue(s.metric, r);
  return { name: s.name, metric: s.metric, op: s.op, threshold: s.threshold, value, pass: s.op === '<=' ? value <= s.threshold : value >= s.threshold };
}

/** The scenario as loaded, Infinity spelled "unlimited" (JSON has none), long traces shortened — as the simulator writes it. */
function scenarioForReport(sc: Scenario): unknown {
  return JSON.parse(JSON.stringify(sc, (_k, v) => {
    if (v === Infinity) return 'unlimited';
    if (Array.isArray(v) && v.length > 200 && typeof v[0] === 'number') return [...v.slice(0, 200), `… ${v.length - 200} more`];
    return v;
  }));
}

export interface MeasuredRun {
  scenario: Scenario;
  duration: number; // bench s
  warmup: number; // bench s
  sampleInterval: number; // bench s
  stats: DriverStats;
  components: Record<string, ComponentSummary>;
  rows: SeriesRow[];
  bench: BenchInfo;
}

export function measuredSummary(m: MeasuredRun): RunSummary {
  const sc = m.scenario, st = m.stats, T = m.duration;
  const failed = errorTotal(counts(st.errors)), done = st.completions;
  const sojournAll = st.sojournDone + (st.inFlight * T - st.bornInFlight);
  let cost = 0, instanceHours = 0;
  const peakInstances: Record<string, number> = {};
  for (const [name, c] of Object.entries(m.components)) {
    if (c.kind !== 'pool') continue;
    cost += c.cost;
    instanceHours += c.instanceHours;
    peakInstances[name] = c.instances.max;
  }
  let worst: { time: number; p99: number } | null = null;
  for (const r of m.rows) {
    if (r.component === '_all' && r.latency_p99 !== null && (worst === null || r.latency_p99 > worst.p99)) worst = { time: r.time, p99: r.latency_p99 };
  }
  const summary: RunSummary = {
    headroom: pkg.version,
    source: 'measured',
    bench: m.bench,
    scenario: {
      name: sc.name, description: sc.description, file: sc.file, seed: sc.seed,
      duration: T, warmup: m.warmup, sampleInterval: m.sampleInterval,
      ...(sc.startTime ? { startTime: sc.startTime } : {}),
    },
    totals: {
      arrivals: st.arrivals, completions: done, errors: counts(st.errors),
      errorRate: done + failed > 0 ? failed / (done + failed) : 0,
      inFlight: st.inFlight,
      throughput: done / T, offeredRate: st.arrivals / T,
      meanInSystem: st.inSystem.mean(T),
      meanResponse: st.arrivals > 0 ? sojournAll / st.arrivals : 0,
    },
    latency: st.latency.summary(),
    ...(sc.mix.length > 1 ? { classes: classSummaries(sc, st) } : {}),
    components: m.components,
    cost: { total: cost, currency: sc.currency, instanceHours },
    peakInstances,
    worstInterval: worst,
    slo: [],
    scaling: [],
    scenarioSource: scenarioForReport(sc),
  };
  summary.slo = sc.slo.map((s) => judge(s, summary));
  return summary;
}

function classSummaries(sc: Scenario, st: DriverStats): Record<string, ClassSummary> {
  const out: Record<string, ClassSummary> = {};
  sc.mix.forEach((m, i) => {
    const c = st.classes[i], failed = errorTotal(counts(c.errors));
    const { distribution: _, ...latency } = c.latency.summary();
    out[m.name] = {
      arrivals: c.arrivals, completions: c.completions, errors: counts(c.errors),
      errorRate: c.completions + failed > 0 ? failed / (c.completions + failed) : 0, latency,
    };
  });
  return out;
}
