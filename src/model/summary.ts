// From a finished run to its RunSummary: totals, per-component figures, cost, SLO verdicts.
import {
  errorTotal, type RunSummary, type ComponentSummary, type ClassSummary,
} from '../stats/results.ts';
import { errorCounts as errors } from './counters.ts';
import type { RunState } from './simulation.ts';
import { SUMMARY_FORMAT } from '../stats/results-schema.ts';
import { disruptions } from './disruptions.ts';
import { judge, scenarioForReport } from '../stats/slo.ts';
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
  const nodeBill = run.nodes?.billing(T);
  if (nodeBill) cost += nodeBill.cost;
  const done = sys.counters.completions, failed = errorTotal(errors(sys.counters));
  const arrivals = sys.counters.arrivals;
  // W over every request that arrived, in-flight ones counted up to T: then L = λW exactly (Little).
  const sojournAll = sys.sojournDone + (sys.inFlight * T - sys.bornInFlight);
  const latency = sys.latency.summary();
  const summary: RunSummary = {
    headroom: VERSION,
    format: SUMMARY_FORMAT,
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
    cost: { total: cost, currency: sc.currency, instanceHours, ...(nodeBill ? { nodeHours: nodeBill.nodeHours } : {}) },
    peakInstances,
    worstInterval: run.series.worst,
    bottleneck: run.series.bottleneck.summary(),
    slo: [],
    scaling: run.scaling,
    ...(run.events.length > 0 ? { events: run.events } : {}),
    ...(run.nodes ? { nodes: run.nodes.summary(T) } : {}),
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
