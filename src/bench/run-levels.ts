// The load levels of a run folder (simulated or measured), from the curve recorded in its
// summary.json (scenarioSource: the scenario as run) and the `_all` rows of its time series.
//
// The rule: a load level is the set of sample intervals, after warmup, over which the scenario's
// curve offers one constant rate (src/traffic/levels.ts); intervals with equal rates form one
// level. A run whose curve is not recorded, or is a closed model, is one level: all of its
// intervals after warmup, at its measured offered rate.
import type { RunSummary, SeriesRow } from '../stats/results.ts';
import type { Curve } from '../traffic/curve-types.ts';
import { levelPlan, type LevelPlan } from '../traffic/levels.ts';
import { startClock } from '../traffic/curve.ts';

const KINDS = new Set(['constant', 'ramp', 'step', 'spike', 'diurnal', 'sum', 'product', 'trace']);

/** A curve as serialised in scenarioSource, checked enough to evaluate (long traces are shortened there: unusable). */
function validCurve(v: unknown): v is Curve {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as Record<string, unknown>;
  if (!KINDS.has(c.kind as string)) return false;
  for (const [k, x] of Object.entries(c)) {
    if (k === 'of') {
      if (!Array.isArray(x) || !x.every(validCurve)) return false;
    } else if (k === 'steps') {
      if (!Array.isArray(x) || !x.every((s) => typeof s?.at === 'number' && typeof s?.rate === 'number')) return false;
    } else if (k === 'times' || k === 'rates') {
      if (!Array.isArray(x) || !x.every((n) => typeof n === 'number')) return false;
    } else if (k !== 'kind' && k !== 'interpolate' && k !== 'source' && typeof x !== 'number') return false;
  }
  return true;
}

export function recordedCurve(summary: RunSummary): Curve | null {
  const src = summary.scenarioSource as { workload?: { model?: string; rate?: unknown } } | null;
  const w = src?.workload;
  return w?.model === 'open' && validCurve(w.rate) ? w.rate : null;
}


export interface RunLevels extends LevelPlan {
  /** The `_all` rows the plan indexes. */
  rows: SeriesRow[];
  /** true when the levels come from the curve; false: the whole run after warmup is one level. */
  fromCurve: boolean;
}

export function runLevels(summary: RunSummary, allRows: SeriesRow[]): RunLevels {
  const rows = allRows.filter((r) => r.component === '_all');
  const ends = rows.map((r) => r.time);
  const warmup = summary.scenario.warmup ?? 0;
  const curve = recordedCurve(summary);
  // A bench run may play the scenario's curve faster (summary.bench.timeScale scenario s per run s):
  // its rows are on the run's clock, the recorded curve on the scenario's.
  const k = (summary as { bench?: { timeScale?: unknown } }).bench?.timeScale;
  const scale = typeof k === 'number' && k > 0 ? k : 1;
  if (curve !== null) return { ...levelPlan(curve, ends.map((t) => t * scale), warmup * scale, startClock(summary.scenario.startTime)), rows, fromCurve: true };
  const levelOf = ends.map((_, i) => ((i === 0 ? 0 : ends[i - 1]!) < warmup - 1e-9 ? -1 : 0));
  return { rates: [summary.totals.offeredRate], levelOf, rows, fromCurve: false };
}
