// The worker-thread entry of the simulation pool (pool.ts): runs one RunTask. This file is the
// only worker entry point, so a precompiled build lists exactly one extra entry for it.
import { loadScenario, ScenarioError, type Scenario } from '../scenario/index.ts';
import { runScenario } from '../model/index.ts';
import { applyCalibration } from '../scenario/calibration.ts';
import { keyFigures } from '../check/figures.ts';
import type { RunOutcome, RunTask } from './task.ts';

// Replications of one point arrive one after another: keep the last scenario loaded (within one
// call of the pool: files may change between calls).
let lastKey = '';
let last: Scenario | null = null;

/** Runs one task; `onFraction` (in-thread use only) hears how far the simulation is. */
export default function runTask(task: RunTask, onFraction?: (fraction: number) => void): RunOutcome {
  const key = JSON.stringify([task.batch ?? null, task.file, task.set, task.calibration ?? null]);
  try {
    if (key !== lastKey || last === null) {
      const loaded = loadScenario(task.file, { set: task.set });
      last = task.calibration !== undefined ? applyCalibration(loaded, task.calibration).scenario : loaded;
      lastKey = key;
    }
  } catch (e) {
    if (e instanceof ScenarioError) return { ok: false, message: e.message };
    throw e;
  }
  const cells = task.progress ? new Float64Array(task.progress.buffer) : null;
  const slot = task.progress?.slot ?? 0;
  const onProgress = cells || onFraction ? (f: number) => {
    if (cells) cells[slot] = f;
    onFraction?.(f);
  } : undefined;
  const result = runScenario({ ...last, seed: task.seed }, onProgress ? { onProgress } : {});
  if (cells) cells[slot] = 1;
  const outcome: RunOutcome = { ok: true, slo: result.summary.slo, figures: keyFigures(result.summary) };
  if (task.full) outcome.full = result;
  return outcome;
}
