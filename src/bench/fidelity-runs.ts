// Predicted vs measured for a set of loaded runs: each run's load levels from its recorded curve
// (./run-levels.ts), matched and tabulated by src/report/fidelity.ts.
import type { CompareRun } from '../report/compare.ts';
import { fidelityHtml, fidelityRows, fidelityText, type FidelityRow } from '../report/fidelity.ts';
import { runLevels } from './run-levels.ts';

/** null unless the runs hold both a simulated and a measured run. */
export function fidelityFor(runs: CompareRun[]): { rows: FidelityRow[]; text: string; html: string } | null {
  const rows = fidelityRows(runs.map((r) => ({ label: r.label, summary: r.summary, levels: runLevels(r.summary, r.rows) })));
  return rows === null ? null : { rows, text: fidelityText(rows), html: fidelityHtml(rows) };
}
