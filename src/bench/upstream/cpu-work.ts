// CPU-bound service time: a fixed number of busy-loop iterations per request, so a request costs
// the same CPU work whether the machine is idle or crowded (a wall-clock spin would not: under
// contention it would finish on time having done less). The iteration rate is measured once, in
// CPU time, by the stack before it starts the upstreams.
import { Worker } from 'node:worker_threads';

/** The loop itself, as source, so the calibration and the worker threads run the very same code. */
const SPIN = `function spin(n) {
  let x = 1;
  for (let i = 0; i < n; i++) x = (Math.imul(x, 1664525) + 1013904223) | 0;
  return x;
}`;

/** A worker thread body: receives iteration counts, spins, answers with the count. */
export const SPIN_WORKER_SOURCE = `${SPIN}
const { parentPort } = require('node:worker_threads');
let sink = 0;
parentPort.on('message', (n) => { sink ^= spin(n); parentPort.postMessage(n); });`;

/**
 * Busy-loop iterations per CPU second on this machine, measured on a worker thread running the very
 * code the instances run, timed by that thread's own CPU clock (/proc/thread-self/stat, 10 ms
 * ticks, so it spins for 300 ms of CPU). process.cpuUsage would count every thread of the process
 * (the JIT compiling the loop, GC helpers) and read the loop as slower than it is.
 */
export function measureSpinRate(): Promise<number> {
  const source = `${SPIN}
const { parentPort } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const ticks = () => { const s = readFileSync('/proc/thread-self/stat', 'utf8'); const f = s.slice(s.lastIndexOf(')') + 2).split(' '); return Number(f[11]) + Number(f[12]); };
let sink = spin(2e6);
const t0 = ticks();
let n = 0;
while (ticks() - t0 < 30) { sink ^= spin(1e6); n += 1e6; }
const used = (ticks() - t0) / 100;
parentPort.postMessage(sink === 0.5 ? 0 : n / used);`;
  return new Promise((resolve, reject) => {
    const w = new Worker(source, { eval: true });
    w.once('message', (rate: number) => { void w.terminate(); resolve(rate); });
    w.once('error', reject);
  });
}
