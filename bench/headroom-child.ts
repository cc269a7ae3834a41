// What the live benches (bench/fidelity.ts, bench/node-sharing.ts) share: the headroom CLI run in a
// child process tied to this one (src/bench/procs.ts spawnTied: it gets SIGTERM if this process
// dies; SIGINT/SIGTERM here are passed on, and the child's bench stops its stack before this
// process exits), waiting for a quiet machine, and the load average seen during a run.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { spawnTied } from '../src/bench/procs.ts';

const BIN = resolve(import.meta.dirname, '../bin/headroom.js');

let child: ReturnType<typeof spawnTied> | null = null;
let stopping: NodeJS.Signals | null = null;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    stopping ??= sig;
    if (child) child.kill(sig); // its bench stops the stack, then it exits, and so do we (below)
    else process.exit(sig === 'SIGINT' ? 130 : 143);
  });
}

/** Runs `headroom ...args`; its stdout. Exit 1 (an SLO failed) counts as done. */
export function headroom(args: string[]): Promise<string> {
  return new Promise((res, rej) => {
    const c = (child = spawnTied(process.execPath, [BIN, ...args], 'TERM', { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } }));
    let out = '', err = '';
    c.stdout!.on('data', (d) => { out += d; });
    c.stderr!.on('data', (d) => { err += d; });
    c.on('exit', (code, sig) => {
      child = null;
      if (stopping) process.exit(stopping === 'SIGINT' ? 130 : 143);
      if (code === 0 || code === 1) res(out);
      else rej(new Error(`headroom ${args.join(' ')}: exit ${code ?? sig}\n${err.trim()}`));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const procsRunning = () => Number(/procs_running (\d+)/.exec(readFileSync('/proc/stat', 'utf8'))![1]);

/** Runnable processes, the mean of 10 looks over 1 s, this one's own look left out: the load now, where the load average lags by a minute. */
async function runnable(): Promise<number> {
  let n = 0;
  for (let i = 0; i < 10; i++) { n += procsRunning() - 1; await sleep(100); }
  return n / 10;
}

/** Waits up to `wait` s for fewer than `below` runnable processes; what it saw. */
export async function quiet(below: number, wait: number): Promise<{ waited: number; runnable: number }> {
  const t0 = Date.now();
  let r = await runnable();
  while (r >= below && Date.now() - t0 < wait * 1000) r = await runnable();
  return { waited: (Date.now() - t0) / 1000, runnable: r };
}

/** Runs `f` while sampling the 1-minute load average every second (and calling `tick`, if given): its mean and max over the run. */
export async function withLoad<T>(f: () => Promise<T>, tick?: () => void): Promise<{ value: T; load: { mean: number; max: number } }> {
  const xs = [loadavg()[0]!];
  tick?.();
  const timer = setInterval(() => { xs.push(loadavg()[0]!); tick?.(); }, 1000);
  try {
    const value = await f();
    xs.push(loadavg()[0]!);
    return { value, load: { mean: xs.reduce((a, b) => a + b, 0) / xs.length, max: Math.max(...xs) } };
  } finally {
    clearInterval(timer);
  }
}
