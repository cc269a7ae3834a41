// What `headroom validate` does with one file: a sweep file (it has a `sweep:` key) is checked
// with its scenario and every parameter value; anything else is checked as a scenario.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { loadScenario } from '../scenario/index.ts';
import { isSweepDocument, loadSweep } from './spec.ts';

export function validateFile(file: string, set: readonly string[]): 'scenario' | 'sweep' {
  let raw: unknown = null;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch {
    // unreadable or invalid: loadScenario says so, with the line
  }
  if (isSweepDocument(raw)) {
    loadSweep(file, set);
    return 'sweep';
  }
  loadScenario(file, { set });
  return 'scenario';
}
