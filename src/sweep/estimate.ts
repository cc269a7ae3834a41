// How much work a sweep is, before any of it runs: requests to simulate, and the CPU time that
// takes — priced as `run` and `check` price one run (src/model/work-size.ts: requests, the
// components each visits, series rows, scrapes). A sweep over the budget is refused with it.
import type { Scenario } from '../scenario/index.ts';
import { UNIT_COST, estimateWork } from '../model/work-size.ts';

export interface WorkEstimate {
  runs: number;
  requests: number;
  cpuSeconds: number;
}

/**
 * `runs` runs of the sweep's scenario whose traffic is `multiply` times the scenario's on average
 * (a multiply parameter's mean level; 1 without one): only the requests' share of a run scales.
 */
export function estimate(runs: number, scenario: Scenario, multiply = 1): WorkEstimate {
  const one = estimateWork(scenario, 1, 'figures');
  const requests = one.requests * multiply;
  const perRun = one.cpuSeconds + (multiply - 1) * one.requests * one.visits * UNIT_COST.cpuPerVisit;
  return { runs, requests: runs * requests, cpuSeconds: runs * perRun };
}

const big = (n: number) => (n >= 1e9 ? `${(n / 1e9).toFixed(1)} G` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : n.toFixed(0));
export const hours = (s: number) => (s >= 3600 ? `${(s / 3600).toFixed(1)} h` : s >= 60 ? `${(s / 60).toFixed(0)} min` : `${s.toFixed(0)} s`);

export function describe(e: WorkEstimate, workers: number): string {
  return `${e.runs} runs × ~${big(e.requests / Math.max(1, e.runs))} requests ≈ ${big(e.requests)} requests, about ${hours(e.cpuSeconds)} of CPU (${hours(e.cpuSeconds / workers)} on ${workers} worker${workers === 1 ? '' : 's'})`;
}
