// How a bench run maps the scenario onto real time and real ports: the curve compressed to the
// bench's duration, the sample interval, where each request class is sent, and how many
// connections the open model may open.
import { readFileSync } from 'node:fs';
import type { Scenario } from '../scenario/types.ts';
import { compileCurve, startClock, type RateFunction } from '../traffic/index.ts';
import type { ClassTarget } from './driver/targets.ts';
import type { LiveStack } from './stack.ts';

/**
 * Open model: connections per target port at most, by default. Past it, due requests wait in the
 * generator (their latency still counts from when they were due): opening a connection costs the
 * generator ~0.5 ms of CPU, and during a stall of the stack thousands would be opened at once.
 */
export const DEFAULT_CONNECTIONS = 1024;

/** The 1-minute load average (/proc/loadavg): how many processes wanted a CPU. */
export function loadAverage(): number {
  try {
    return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]) || 0;
  } catch {
    return 0;
  }
}

/** The scenario's curve, compressed in time by k (scenario s per bench s); rates unchanged. */
export function scaledCurve(sc: Scenario, k: number): RateFunction {
  if (sc.workload.model !== 'open') throw new Error('closed workload has no curve');
  const f = compileCurve(sc.workload.rate, startClock(sc.startTime));
  return k === 1 ? f : { flat: f.flat, rate: (t) => f.rate(t * k), maxOn: (a, b) => f.maxOn(a * k, b * k), integral: (a, b) => f.integral(a * k, b * k) / k };
}

/** The bench's sample interval: the scenario's, compressed like the curve, but at least 1 s. */
export function benchInterval(sc: Scenario, k: number, duration: number): number {
  return Math.min(duration, Math.max(1, sc.sampleInterval / k));
}

export function classTargets(sc: Scenario, stack: LiveStack | null, target: { host: string; port: number; path: string } | undefined): ClassTarget[] {
  if (target) return sc.mix.map(() => ({ host: target.host, ports: [target.port], path: target.path, resendLost: true }));
  return sc.mix.map((m, i) => {
    const c = sc.components.find((x) => x.name === m.entry)!;
    if (c.kind === 'loadBalancer') return { host: '127.0.0.1', ports: [stack!.port], path: `/lb/${c.name}/c${i}`, resendLost: true };
    return { host: '127.0.0.1', ports: stack!.instances.get(c.name)!.map((u) => u.port), path: `/pool/${c.name}/c${i}`, resendLost: false };
  });
}
