// What `headroom validate` does with one file: a sweep file (it has a `sweep:` key) is checked
// with its scenario and every parameter value; anything else is checked as a scenario.
import { readUserFile } from '../io/user-file.ts';
import { loadScenario } from '../scenario/index.ts';
import { parseDataText } from '../scenario/text.ts';
import { isSweepDocument, loadSweep } from './spec.ts';

export function validateFile(file: string, set: readonly string[]): 'scenario' | 'sweep' {
  let raw: unknown = null;
  try {
    raw = parseDataText(readUserFile(file, 'scenario'), file);
  } catch {
    // unreadable (a FIFO is refused, never opened), too large or invalid: loadScenario says so, with the line
  }
  if (isSweepDocument(raw)) {
    loadSweep(file, set);
    return 'sweep';
  }
  loadScenario(file, { set });
  return 'scenario';
}
