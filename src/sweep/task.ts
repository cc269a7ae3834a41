// One simulation a worker thread runs: a scenario file with overrides and a seed. Shared by the
// pool (main thread) and worker.ts, which must stay one file (the build lists it as an entry point).
import type { RunResult } from '../model/index.ts';
import type { SloResult } from '../stats/results.ts';

export interface RunTask {
  file: string;
  /** `path=value` overrides (src/scenario/overrides.ts). */
  set: string[];
  seed: number;
  /** A calibration.json (headroom calibrate) applied over the scenario, as `run --calibration` does. */
  calibration?: string;
  /** Return the whole result (summary and time series), not only the figures. */
  full?: boolean;
  /** The pool's call this task came in: a worker reloads the scenario rather than trust one loaded for another call. */
  batch?: number;
  /** Where the worker writes the fraction of this task done: a Float64Array over shared memory, and this task's slot. */
  progress?: { buffer: SharedArrayBuffer; slot: number };
}

export type RunOutcome =
  | { ok: true; slo: SloResult[]; figures: Record<string, number>; full?: RunResult }
  /** Bad input found only when this combination of overrides was validated: a ScenarioError's message. */
  | { ok: false; message: string };
