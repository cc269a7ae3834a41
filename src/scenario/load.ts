// Scenario files (YAML or JSON) → the normalised `Scenario` (see parse.ts for the format).
import path from 'node:path';
import { UserFileError, readUserFile } from '../io/user-file.ts';
import { ScenarioError } from './errors.ts';
import { applyOverrides, blameOverrides, parseOverride } from './overrides.ts';
import { parseScenario } from './parse.ts';
import { checkFinite, parseDataText } from './text.ts';
import type { Scenario } from './types.ts';

/**
 * Reads a `.yaml`, `.yml` or `.json` scenario file and returns it normalised. `overrides.seed`
 * replaces the file's seed; `overrides.set` are `path=value` overrides (see overrides.ts), applied
 * to the document before it is validated, so an overridden value meets every check a value
 * written in the file meets (units, finite numbers, the work estimate after it).
 */
export function loadScenario(file: string, overrides: { seed?: number; set?: readonly string[] } = {}): Scenario {
  const ext = path.extname(file).toLowerCase();
  if (ext !== '.yaml' && ext !== '.yml' && ext !== '.json') {
    throw new ScenarioError(file, '', 'a .yaml, .yml or .json file', ext, {
      detail: 'expected a .yaml, .yml or .json file',
    });
  }
  let text: string;
  try {
    text = readUserFile(file, 'scenario');
  } catch (err) {
    if (!(err instanceof UserFileError)) throw err;
    throw new ScenarioError(file, '', 'a readable scenario file', file, { detail: err.reason });
  }
  const sets = (overrides.set ?? []).map((o) => parseOverride(o, file));
  const raw = applyOverrides(parseDataText(text, file), sets, file, path.dirname(file));
  const scenario = blameOverrides(sets, () => {
    if (sets.length > 0) checkFinite(raw, { file, path: '' }); // `--set x=.inf` or a 400-digit value
    return parseScenario(raw, file, path.dirname(file));
  });
  if (overrides.seed !== undefined) {
    if (!Number.isSafeInteger(overrides.seed)) {
      throw new ScenarioError(file, 'seed', 'an integer (the seed override)', overrides.seed);
    }
    scenario.seed = overrides.seed;
  }
  return scenario;
}
