// How much work a sweep is, before any of it runs: requests to simulate, and the CPU time that
// takes at the simulator's measured speed. A sweep over the budget is refused with the estimate.
import type { Scenario } from '../scenario/index.ts';
import { compileCurve } from '../traffic/index.ts';
import { mean } from '../sim/distribution.ts';

/**
 * Requests simulated per CPU-second, rounded down from a measurement on this project's 2-core
 * machine: scenarios/saler-baseline.yaml (nginx + web + API stack) with --set duration=40m,
 * 1.03 M requests in 1.78 s of CPU = 0.58 M/s (the plain M/M/c of bench:engine reaches 2 M/s).
 * Multi-stage fleets are the slow case, and an estimate too low is worse than one too high.
 */
export const REQUESTS_PER_CPU_SECOND = 500_000;

/** Expected arrivals of one run: the rate curve integrated over the run (open), or users cycling through think time (closed, an upper bound). */
export function requestsPerRun(s: Scenario): number {
  if (s.workload.model === 'closed') {
    const think = mean(s.workload.thinkTime);
    return think > 0 && Number.isFinite(think) ? (s.workload.users * s.duration) / think : s.workload.users * s.duration * 1000;
  }
  const f = compileCurve(s.workload.rate);
  const steps = 2000, dt = s.duration / steps;
  let sum = 0;
  for (let i = 0; i < steps; i++) sum += f.rate((i + 0.5) * dt) * dt;
  return sum;
}

export interface WorkEstimate {
  runs: number;
  requests: number;
  cpuSeconds: number;
}

export function estimate(runs: number, perRun: number): WorkEstimate {
  const requests = runs * perRun;
  return { runs, requests, cpuSeconds: requests / REQUESTS_PER_CPU_SECOND };
}

const big = (n: number) => (n >= 1e9 ? `${(n / 1e9).toFixed(1)} G` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : n.toFixed(0));
export const hours = (s: number) => (s >= 3600 ? `${(s / 3600).toFixed(1)} h` : s >= 60 ? `${(s / 60).toFixed(0)} min` : `${s.toFixed(0)} s`);

export function describe(e: WorkEstimate, workers: number): string {
  return `${e.runs} runs × ~${big(e.requests / Math.max(1, e.runs))} requests ≈ ${big(e.requests)} requests, about ${hours(e.cpuSeconds)} of CPU (${hours(e.cpuSeconds / workers)} on ${workers} worker${workers === 1 ? '' : 's'})`;
}
