// From a finished run to its RunSummary: totals, per-component figures, cost, SLO verdicts.
import type { Scenario, SloConfig } from '../scenario/types.ts';
import {
  errorTotal, type RunSummary, type ComponentSummary, type SloResult, type LatencySummary, type ClassSummary,
} from '../stats/results.ts';
import { errorCounts as errors } from './counters.ts';
import type { RunState } from './simulation.ts';
import { disruptions } from './disruptions.ts';
import pkg from '../../package.json' with { type: 'json' };

export const VERSION: string = pkg.version; // one version: package.json's

export function summarise(run: RunState): RunSummary {
  const sc = run.scenario, T = run.now, sys = run.system;
  const components: Record<string, ComponentSummary> = {};
  let cost = 0, instanceHours = 0;
  const peakInstances: Record<string, number> = {};
  for (const c of run.components) {
    components[c.cfg.name] = c.summary(T);
    const bill = c.billing(T);
    if (bill === null) continue;
    cost += bill.cost;
    instanceHours += bill.instanceHours;
    peakInstances[c.cfg.name] = bill.peak;
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
    ...(run.events.length > 0 ? { events: run.events } : {}),
    ...(sc.faults.length + sc.releases.length > 0 ? { disruptions: disruptions(run) } : {}),
    scenarioSource: scenarioForReport(sc),
  };
  summary.slo = sc.slo.map((s) => judge(s, summary));
  return summary;
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
