// A parsed scenario document → the normalised `Scenario`: every default applied, durations in
// seconds, rates per second, percentages as fractions, cross-references checked. The sections
// live in their own rooms (traffic, components and the data tier's kinds, slo, references; the
// timeline of zones, faults and releases; deploy manifests); this one holds the top level.
import path from 'node:path';
import { fail, renderGot, ScenarioError, type Where } from './errors.ts';
import { Fields, list, number } from './fields.ts';
import { parseComponents } from './components.ts';
import { resolveEdgeClasses } from './data-kinds.ts';
import { checkTopology } from './topology.ts';
import { checkPlacement, parseNodes } from './nodes.ts';
import { checkReferences } from './references.ts';
import { parseSlo } from './slo.ts';
import { parseFaults, parseRecovery, parseReleases, parseZones } from './timeline.ts';
import { parseTraffic } from './traffic.ts';
import type { Scenario } from './types.ts';
import { parseDuration, parsePositiveDuration } from './units.ts';

export const TOP_KEYS = [
  '$schema', 'name', 'description', 'seed', 'duration', 'warmup', 'sampleInterval', 'startTime', 'currency',
  'traffic', 'components', 'slo', 'zones', 'faults', 'releases', 'recovery', 'nodes',
] as const;

/**
 * A scenario's name is the folder its results go to by default (`reports/<name>`), so it is one
 * safe path segment: no `/`, no `..`, nothing hidden. The JSON Schema uses this same pattern.
 */
export const SCENARIO_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$';
const SCENARIO_NAME_RE = new RegExp(SCENARIO_NAME_PATTERN);
const NAME_EXPECTED = 'a name of letters, digits, ".", "-" and "_" that starts with a letter or digit, at most 100 characters (results go to reports/<name>)';

/** A description is a sentence or a paragraph; it is printed, embedded in summary.json and the report. */
export const MAX_DESCRIPTION = 4096;

const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** The name a scenario gets from its file when it has none: the file's base name made a safe segment. */
export function defaultName(file: string): string {
  const base = path.basename(file, path.extname(file)).replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 100);
  return base === '' ? 'scenario' : base;
}

function parseName(value: unknown, at: Where): string {
  if (typeof value !== 'string' || !SCENARIO_NAME_RE.test(value)) fail(at, NAME_EXPECTED, value);
  return value as string;
}

function parseDescription(value: unknown, at: Where): string {
  if (typeof value !== 'string') fail(at, 'a string', value);
  const text = value as string;
  if (text.length > MAX_DESCRIPTION) {
    throw new ScenarioError(at.file, at.path, `a string of at most ${MAX_DESCRIPTION} characters`, value, {
      detail: `expected a string of at most ${MAX_DESCRIPTION} characters, got ${text.length.toLocaleString('en-US')} characters`,
    });
  }
  return text;
}

function parseStartTime(value: unknown, at: Where): string {
  const expected = 'an ISO 8601 time with a zone like "2026-11-27T00:00:00Z"';
  if (typeof value !== 'string' || !ISO_RE.test(value) || !Number.isFinite(Date.parse(value))) fail(at, expected, value);
  return new Date(value as string).toISOString();
}

/** Validates and normalises a parsed scenario. `file` names it in errors; files it refers to are relative to `baseDir`. */
export function parseScenario(raw: unknown, file: string, baseDir: string): Scenario {
  const root: Where = { file, path: '' };
  const f = new Fields(raw, root, TOP_KEYS, 'a mapping with at least duration, traffic and components');
  const duration = f.req('duration', parsePositiveDuration);
  const warmup = f.opt('warmup', parseDuration, 0);
  if (warmup >= duration) fail(f.where('warmup'), `a duration shorter than duration (${renderGot(f.raw.duration)})`, f.raw.warmup);

  const partial = {
    name: f.opt('name', parseName, defaultName(file)),
    description: f.opt('description', parseDescription, ''),
    file,
    seed: f.opt('seed', number({ integer: true }), 1),
    duration,
    warmup,
    sampleInterval: f.opt('sampleInterval', parsePositiveDuration, 10),
    startTime: f.opt('startTime', parseStartTime, null),
    currency: f.opt('currency', (v, at) => {
      if (typeof v !== 'string' || !/^[A-Z]{3}$/.test(v)) fail(at, 'a currency code like "USD"', v);
      return v as string;
    }, 'USD'),
  };

  const zones = f.opt('zones', parseZones, [] as string[]);
  const components = f.req('components', (v, at) => parseComponents(v, at, baseDir, zones));
  const ctx = { baseDir, startTime: partial.startTime, duration };
  const traffic = f.req('traffic', (v, at) => parseTraffic(v, at, ctx, components));
  const slo = f.opt('slo', list(parseSlo, 0, 'a list of objectives like { metric: latency.p99, max: 500ms }'), []);
  checkReferences(components, f.where('components'), f.raw.components as Record<string, Record<string, unknown>>);
  resolveEdgeClasses(components, traffic.mix, f.where('components'));
  checkTopology(components, traffic.mix, f.where('components'), f.raw.components as Record<string, Record<string, unknown>>);
  const nodes = f.opt('nodes', parseNodes, undefined); // before releases: a resized pod must fit on a node
  const timeline = { ...ctx, components, zones, nodes };
  const faults = f.opt('faults', (v, at) => parseFaults(v, at, timeline), []);
  const releases = f.opt('releases', (v, at) => parseReleases(v, at, timeline), []);
  const recoveryHold = f.opt('recovery', parseRecovery, 60);
  checkPlacement(components, nodes, f.where('components'));

  return { ...partial, ...traffic, components, slo, zones, faults, releases, recoveryHold, ...(nodes ? { nodes } : {}) };
}

