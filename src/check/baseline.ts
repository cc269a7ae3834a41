// Baselines: a stored run of each scenario (its key figures in every replication), against which
// `check --baseline DIR` judges a change on the run-to-run noise (figures.ts: Welch + Holm).
// One JSON file per scenario, DIR/<scenario name>.json, small enough to commit beside the scenarios.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Sample } from '../stats/noise.ts';
import { sampleOf } from '../stats/noise.ts';
import { compareFigures, type FigureComparison } from '../stats/compare-figures.ts';

export const BASELINE_FORMAT = 'headroom-baseline/1';

export interface BaselineFile {
  format: typeof BASELINE_FORMAT;
  headroom: string;
  scenario: string;
  file: string;
  set: string[];
  seeds: number[];
  /** Key figure → its value in each replication, in seed order. */
  figures: Record<string, number[]>;
}

export function baselinePath(dir: string, scenarioName: string): string {
  return path.join(dir, `${scenarioName}.json`);
}

/** A problem with a baseline file: bad input (exit 2). */
export class BaselineError extends Error {
  override name = 'BaselineError';
}

/** The stored baseline of a scenario, or null when there is none yet. */
export function readBaseline(dir: string, scenarioName: string): BaselineFile | null {
  const file = baselinePath(dir, scenarioName);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new BaselineError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new BaselineError(`${file}: invalid JSON: ${(e as Error).message}`);
  }
  const b = v as Partial<BaselineFile>;
  if (typeof v !== 'object' || v === null || b.format !== BASELINE_FORMAT) {
    throw new BaselineError(`${file}: format: expected "${BASELINE_FORMAT}" (a file written by check --update-baseline), got ${JSON.stringify(b?.format)}`);
  }
  if (typeof b.figures !== 'object' || b.figures === null) throw new BaselineError(`${file}: figures: expected a mapping of figure names to lists of numbers`);
  for (const [k, vals] of Object.entries(b.figures)) {
    if (!Array.isArray(vals) || vals.length < 2 || !vals.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      throw new BaselineError(`${file}: figures.${k}: expected a list of at least 2 numbers (one per replication), got ${JSON.stringify(vals)?.slice(0, 60)}`);
    }
  }
  if (!Array.isArray(b.seeds) || b.seeds.length < 2) throw new BaselineError(`${file}: seeds: expected a list of at least 2 seeds`);
  return b as BaselineFile;
}

export function baselineText(b: Omit<BaselineFile, 'format'>): string {
  return JSON.stringify({ format: BASELINE_FORMAT, ...b }, null, 2) + '\n';
}

export function samples(figures: Record<string, number[]>): Record<string, Sample> {
  return Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, sampleOf(v)]));
}

/** Current figures (values per replication) against a baseline's. */
export function compareWithBaseline(baseline: BaselineFile, current: Record<string, number[]>, minChange = 0): FigureComparison[] {
  return compareFigures(samples(baseline.figures), samples(current), minChange);
}
