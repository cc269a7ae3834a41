// `headroom check`: every scenario's SLOs (over replications: judged on the noise), and with a
// baseline each key figure against the stored run. Everything is loaded and validated before
// anything runs; all scenarios × replications share one pool of worker threads.
import { loadScenario, type Scenario } from '../scenario/index.ts';
import { VERSION } from '../model/index.ts';
import { RunPool } from '../sweep/pool.ts';
import type { RunTask } from '../sweep/task.ts';
import { baselinePath, baselineText, readBaseline, compareWithBaseline, type BaselineFile, BaselineError } from './baseline.ts';
import type { FigureComparison } from '../stats/compare-figures.ts';
import { figureValues, okOutcomes, sloOverRuns, type SloOverRuns } from './replicated.ts';

export interface CheckOptions {
  files: string[];
  set: string[];
  seed?: number;
  /** Replications per scenario; default 1, with a baseline its count (5 when writing one or when there is none yet). */
  replications?: number;
  workers: number;
  baseline?: string;
  updateBaseline: boolean;
  /** Ignore significant changes smaller than this fraction of the baseline. */
  minChange: number;
  onProgress?: (fraction: number) => void;
}

export type BaselineOutcome =
  | { kind: 'compared'; file: string; comparisons: FigureComparison[] }
  | { kind: 'missing'; file: string }
  | { kind: 'written'; file: string; content: string };

export interface ScenarioCheck {
  file: string;
  name: string;
  currency: string;
  seeds: number[];
  slo: SloOverRuns[];
  figures: Record<string, number[]>;
  baseline?: BaselineOutcome;
}

export interface CheckReport {
  scenarios: ScenarioCheck[];
}

export const DEFAULT_BASELINE_REPLICATIONS = 5;

/** Loads every file first (bad input throws before anything runs), then runs and judges. */
export async function runCheck(o: CheckOptions): Promise<CheckReport> {
  if (o.updateBaseline && o.baseline === undefined) throw new Error('--update-baseline: name the directory with --baseline DIR');
  const loaded: Array<{ file: string; scenario: Scenario; baseline: BaselineFile | null }> = [];
  const errors: string[] = [];
  for (const file of o.files) {
    try {
      const scenario = loadScenario(file, { ...(o.seed !== undefined ? { seed: o.seed } : {}), set: o.set });
      const baseline = o.baseline !== undefined && !o.updateBaseline ? readBaseline(o.baseline, scenario.name) : null;
      loaded.push({ file, scenario, baseline });
    } catch (e) {
      errors.push((e as Error).message);
    }
  }
  if (errors.length > 0) throw new Error(errors.join('\n'));
  const names = new Map<string, string>();
  for (const l of loaded) {
    const other = names.get(l.scenario.name);
    if (other !== undefined && o.baseline !== undefined) {
      throw new BaselineError(`${l.file}: name: "${l.scenario.name}" is also the name of ${other}; baselines are stored by scenario name`);
    }
    names.set(l.scenario.name, l.file);
  }
  const plan = loaded.map((l) => {
    const n = o.replications ?? (o.baseline === undefined ? 1 : o.updateBaseline || l.baseline === null ? DEFAULT_BASELINE_REPLICATIONS : l.baseline.seeds.length);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--replications: expected an integer of at least 1, got ${n}`);
    if (o.baseline !== undefined && n < 2) {
      throw new Error(`--replications: a baseline comparison needs at least 2 replications on each side (the noise is measured from them), got ${n}`);
    }
    return { ...l, seeds: Array.from({ length: n }, (_, i) => l.scenario.seed + i) };
  });
  const tasks: RunTask[] = plan.flatMap((p) => p.seeds.map((seed) => ({ file: p.file, set: o.set, seed })));
  const pool = await RunPool.open(Math.max(1, Math.min(o.workers, tasks.length)));
  let outcomes;
  try {
    outcomes = okOutcomes(await pool.run(tasks, o.onProgress));
  } finally {
    await pool.close();
  }
  let at = 0;
  const scenarios = plan.map((p): ScenarioCheck => {
    const mine = outcomes.slice(at, (at += p.seeds.length));
    const figures = figureValues(mine);
    const check: ScenarioCheck = { file: p.file, name: p.scenario.name, currency: p.scenario.currency, seeds: p.seeds, slo: sloOverRuns(mine), figures };
    if (o.baseline !== undefined) {
      const file = baselinePath(o.baseline, p.scenario.name);
      if (o.updateBaseline) {
        const content = baselineText({ headroom: VERSION, scenario: p.scenario.name, file: p.file, set: o.set, seeds: p.seeds, figures });
        check.baseline = { kind: 'written', file, content };
      } else if (p.baseline === null) {
        check.baseline = { kind: 'missing', file };
      } else {
        check.baseline = { kind: 'compared', file, comparisons: compareWithBaseline(p.baseline, figures, o.minChange) };
      }
    }
    return check;
  });
  return { scenarios };
}

export type SloStatus = 'pass' | 'fail' | 'inconclusive';

export function sloStatus(s: SloOverRuns): SloStatus {
  return s.judgement.verdict;
}

export function regressions(c: ScenarioCheck): FigureComparison[] {
  return c.baseline?.kind === 'compared' ? c.baseline.comparisons.filter((x) => x.verdict === 'worse') : [];
}

/** 1 when an SLO failed (or was inconclusive, unless inconclusive counts as a pass) or a figure regressed; else 0. */
export function exitCode(r: CheckReport, inconclusiveFails: boolean): 0 | 1 {
  const bad = r.scenarios.some((c) => regressions(c).length > 0 || c.slo.some((s) => {
    const st = sloStatus(s);
    return st === 'fail' || (st === 'inconclusive' && inconclusiveFails);
  }));
  return bad ? 1 : 0;
}
