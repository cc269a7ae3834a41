// Scenario files: loading, validation, defaults. See load.ts for the format and
// scenario.schema.json for the JSON Schema editors use.
export { loadScenario, parseScenario, parsePolicyText } from './load.ts';
export { parseOverride, applyOverrides, type Override } from './overrides.ts';
export { ScenarioError } from './errors.ts';
export { parseDuration, parseRate, parsePercent, parseBytes, parseCpu } from './units.ts';
export type * from './types.ts';
