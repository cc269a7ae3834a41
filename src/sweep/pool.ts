// Simulations on all cores: a piscina pool of worker threads, each running worker.ts. Results
// come back in task order whatever the order they finish in, so a table built from them is the
// same on 1 worker as on 8. One worker runs the tasks in this thread (the same function, without
// a thread to start), which is also the fair single-core baseline bench:sweep measures against.
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { Piscina } from 'piscina';
import type { RunOutcome, RunTask } from './task.ts';

/** worker.ts today (TypeScript through tsx); worker.js beside this module in a precompiled build. */
const HERE = fileURLToPath(import.meta.url);
const WORKER = path.join(path.dirname(HERE), `worker${path.extname(HERE)}`);

export function defaultWorkers(): number {
  return availableParallelism();
}

type Inline = (task: RunTask, onFraction?: (fraction: number) => void) => RunOutcome;

let batches = 0;

export class RunPool {
  private constructor(private readonly pool: Piscina | null, private readonly inline: Inline | null, readonly workers: number) {}

  static async open(workers: number): Promise<RunPool> {
    if (!Number.isInteger(workers) || workers < 1) throw new Error(`--workers: expected an integer of at least 1, got ${workers}`);
    if (workers === 1) return new RunPool(null, (await import(WORKER)).default as Inline, 1);
    const { Piscina } = await import('piscina');
    // A .ts worker needs tsx's loader in its thread (loaders registered in the main thread do not
    // reach workers on Node 20); a compiled .js worker needs nothing.
    const execArgv = WORKER.endsWith('.ts') ? [...process.execArgv, '--import', import.meta.resolve('tsx')] : process.execArgv;
    const pool = new Piscina({ filename: WORKER, minThreads: workers, maxThreads: workers, idleTimeout: 60_000, execArgv });
    return new RunPool(pool, null, workers);
  }

  /**
   * Runs every task; onProgress gets the fraction of the work done (tasks weighted equally, each
   * counted by its simulated time as it goes). Rejects on the first task that throws.
   */
  async run(tasks: RunTask[], onProgress?: (fraction: number) => void): Promise<RunOutcome[]> {
    if (tasks.length === 0) return [];
    const buffer = new SharedArrayBuffer(8 * tasks.length);
    const cells = new Float64Array(buffer);
    const report = () => onProgress?.(cells.reduce((a, b) => a + b, 0) / tasks.length);
    // A worker keeps the scenario it loaded last; the batch says when that may be stale.
    const batch = ++batches;
    const withProgress = (t: RunTask, slot: number): RunTask => ({ ...t, batch, progress: onProgress ? { buffer, slot } : undefined });
    if (this.inline !== null) {
      let last = 0;
      const tick = () => {
        const now = Date.now();
        if (now - last >= 200) { last = now; report(); }
      };
      const out: RunOutcome[] = [];
      for (const [slot, t] of tasks.entries()) {
        out.push(this.inline(withProgress(t, slot), onProgress ? tick : undefined));
        await new Promise((r) => setImmediate(r)); // let signals and timers in between runs
      }
      report();
      return out;
    }
    const timer = onProgress ? setInterval(report, 200) : null;
    try {
      return await Promise.all(tasks.map((t, slot) => this.pool!.run(withProgress(t, slot)) as Promise<RunOutcome>));
    } finally {
      if (timer) clearInterval(timer);
    }
  }

  async close(): Promise<void> {
    await this.pool?.destroy();
  }
}

/** Runs tasks on a pool opened for the purpose (and closed, also on failure). */
export async function runOnPool(tasks: RunTask[], workers: number, onProgress?: (fraction: number) => void): Promise<RunOutcome[]> {
  const pool = await RunPool.open(Math.max(1, Math.min(workers, tasks.length)));
  try {
    return await pool.run(tasks, onProgress);
  } finally {
    await pool.close();
  }
}
