// Shared by the live-stack tests: scenario files, the real CLI as a child, /proc polling.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { processesOf } from '../../src/bench/procs.ts';
import { stream } from '../../src/sim/rng.ts';
import { ArrivalProcess, type RateFunction } from '../../src/traffic/index.ts';
import { BIN, cliEnv } from '../cli/spawn.ts';

export function tempDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `headroom-${tag}-`));
}

export function writeScenario(dir: string, name: string, yaml: string): string {
  const f = join(dir, `${name}.yaml`);
  writeFileSync(f, yaml);
  return f;
}

/** The real CLI as a child; its stale-stack records go to `registry`. */
export function headroom(args: string[], registry: string, extraEnv: Record<string, string> = {}): ChildProcess & { out: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: cliEnv({ HEADROOM_STACK_REGISTRY: registry, ...extraEnv }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '', stderr = '';
  child.stdout!.on('data', (d) => { stdout += d; });
  child.stderr!.on('data', (d) => { stderr += d; });
  const out = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
    child.on('exit', (code, signal) => {
      // let the pipes drain
      setImmediate(() => resolve({ code, signal, stdout, stderr }));
    });
  });
  return Object.assign(child, { out });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls /proc until no process runs from `dir` (command line or open files under it); returns the
 * stragglers after `ms`. An "eventually": it returns as soon as they are gone, so the limit only
 * needs to be long enough for a crowded machine to schedule their exits (CI saw load 25 on 2
 * cores); a process that is never stopped is still caught.
 */
export async function noProcessesUnder(dir: string, ms = 60_000): Promise<number[]> {
  const end = Date.now() + ms;
  for (;;) {
    const left = processesOf(dir);
    if (left.length === 0 || Date.now() > end) return left;
    await sleep(50);
  }
}

/** Polls until `n` processes run from `dir` (the stack is up), or throws after `ms` (an "eventually", as above). */
export async function processesUp(dir: string, n: number, ms = 180_000): Promise<number[]> {
  const end = Date.now() + ms;
  for (;;) {
    const p = processesOf(dir);
    if (p.length >= n) return p;
    if (Date.now() > end) throw new Error(`only ${p.length} of ${n} processes under ${dir} after ${ms / 1000} s`);
    await sleep(100);
  }
}

/** Two-sided Poisson interval holding at least 1 − alpha of the mass, by summing the pmf. */
export function poissonBounds(lambda: number, alpha = 0.001): [number, number] {
  let p = Math.exp(-lambda), cdf = p, k = 0, lo = -1;
  if (cdf > alpha / 2) lo = 0;
  while (cdf < 1 - alpha / 2) {
    k++;
    p *= lambda / k;
    cdf += p;
    if (lo < 0 && cdf > alpha / 2) lo = k;
  }
  return [Math.max(0, lo), k];
}

/**
 * The event loop's lateness while `run` runs: the largest delay of a 1 ms timer (s). A timer of
 * this process — a closed-model user's think time, a sleep — fires at most this much late (plus
 * the 1 ms resolution), whatever else the machine is doing.
 */
export async function loopLateness<T>(run: () => Promise<T>): Promise<{ result: T; lateness: number }> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  try {
    const result = await run();
    return { result, lateness: h.max / 1e9 + 0.001 };
  } finally {
    h.disable();
  }
}

/**
 * Bounds on the requests `users` closed-model users send in `T` s with a constant think time:
 * each waits `think` before its first request and between an answer and its next one (so at most
 * (T + lateness)/think each: the run's end is a timer too), and each cycle takes at most think +
 * the slowest answer (from write) + the loop's lateness (so at least 1 + ⌊(T − think − lateness) /
 * cycle⌋ each). Both come from the mechanism, not from how fast this machine is today: a driver
 * that drops users, stops looping or thinks in the wrong unit falls outside them.
 */
export function closedBounds(users: number, T: number, think: number, slowest: number, lateness: number): [number, number] {
  const cycle = think + slowest + lateness, first = think + lateness;
  const end = T - 0.001; // the run's end timer may fire a millisecond early
  const lo = end < first ? 0 : users * (1 + Math.floor((end - first) / cycle));
  // (a timer may fire up to a millisecond early: Node counts whole milliseconds of its loop's clock)
  return [lo, users * Math.floor((T + lateness) / (think - 0.001))];
}

/** The open driver's schedule: the due times its arrival process draws (same process, same stream) up to the horizon. */
export function scheduled(curve: RateFunction, seed: number, T: number): number[] {
  const a = new ArrivalProcess(curve, stream(seed, 'arrivals'), T), out: number[] = [];
  for (a.advance(); a.time < Infinity; a.advance()) out.push(a.time);
  return out;
}
