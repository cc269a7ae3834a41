// Scenario files: loading, validation, defaults. See parse.ts for the format and
// scenario.schema.json for the JSON Schema editors use.
export { loadScenario } from './load.ts';
export { parseScenario } from './parse.ts';
export { parsePolicyText } from './text.ts';
export { parseOverride, applyOverrides, type Override } from './overrides.ts';
export { ScenarioError } from './errors.ts';
export { parseDuration, parseRate, parsePercent, parseBytes, parseCpu } from './units.ts';
export type * from './types.ts';
