// Scenario files (YAML or JSON) → the normalised `Scenario` (see parse.ts for the format).
import path from 'node:path';
import { UserFileError, readUserFile } from '../io/user-file.ts';
import { ScenarioError } from './errors.ts';
import { parseScenario } from './parse.ts';
import { parseDataText } from './text.ts';
import type { Scenario } from './types.ts';

/** Reads a `.yaml`, `.yml` or `.json` scenario file and returns it normalised. `overrides.seed` replaces the file's seed. */
export function loadScenario(file: string, overrides: { seed?: number } = {}): Scenario {
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
  const scenario = parseScenario(parseDataText(text, file), file, path.dirname(file));
  if (overrides.seed !== undefined) {
    if (!Number.isSafeInteger(overrides.seed)) {
      throw new ScenarioError(file, 'seed', 'an integer (the seed override)', overrides.seed);
    }
    scenario.seed = overrides.seed;
  }
  return scenario;
}
