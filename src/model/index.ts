// The model's one entry point: a scenario in, its results out.
import type { Scenario } from '../scenario/types.ts';
import type { RunSummary, SeriesRow } from '../stats/results.ts';
import { Simulation, type RunOptions } from './simulation.ts';
import { summarise } from './summary.ts';

export interface RunResult {
  summary: RunSummary;
  rows: SeriesRow[];
}

export function runScenario(scenario: Scenario, opts: RunOptions = {}): RunResult {
  const state = new Simulation(scenario).run(opts);
  const summary = summarise(state);
  return { summary, rows: state.series.rows };
}

export { Simulation, type RunOptions, type RunState } from './simulation.ts';
export { VERSION } from './summary.ts';
