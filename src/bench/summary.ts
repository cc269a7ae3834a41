// A measured run as a RunSummary (src/stats/results.ts): the same fields, meaning what they mean
// for a simulated run, so `report` and `compare` read it unchanged. Totals and latency come from
// the driver (end to end, from each request's due time); pools from their instances' reports;
// balancers from nginx's access log. Figures are taken at the end of the traffic (T = duration),
// as the simulator stops at its horizon: requests still unanswered then count as in flight.
import type { Scenario } from '../scenario/types.ts';
import {
  completeErrors, errorTotal, type BenchInfo, type ClassSummary, type ComponentSummary, type ErrorCounts,
  type RunSummary, type ScalingEvent, type SeriesRow,
} from '../stats/results.ts';
import { judge, scenarioForReport } from '../stats/slo.ts';
import pkg from '../../package.json' with { type: 'json' };
import type { DriverStats } from './driver/stats.ts';

const counts = (e: Float64Array | number[]): ErrorCounts => completeErrors({ rateLimited: e[0], backlogFull: e[1], timeout: e[2], noUpstream: e[3] });

export interface MeasuredRun {
  scenario: Scenario;
  duration: number; // bench s
  warmup: number; // bench s
  sampleInterval: number; // bench s
  stats: DriverStats;
  components: Record<string, ComponentSummary>;
  rows: SeriesRow[];
  /** The live policies' scaling actions, in time order (bench s). */
  scaling: ScalingEvent[];
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
    scaling: m.scaling,
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
