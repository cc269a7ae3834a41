// Sweep files: which scenario, which parameters over which values, and how to explore them.
//
//   scenario: ../scenarios/saler-baseline.yaml     # relative to this file
//   sweep:
//     mode: grid                 # grid | random | search
//     replications: 3            # seeds per point (default 1): SLOs judged on the noise
//     samples: 40                # random: points drawn
//     seed: 1                    # random: the draw of the points
//     set: { duration: 30m }     # fixed overrides, path: value (as --set)
//     parameters:
//       web:  { path: components.web.instances, range: { from: 2, to: 12 } }
//       hpa:  { path: components.web.autoscaling.spec.metrics[0].resource.target.averageUtilization, values: [50, 60, 70] }
//       load: { path: traffic.rate, multiply: [1, 1.5, 2] }      # a traffic multiplier
//
// Why a separate file naming a scenario, not a `sweep:` key inside the scenario: a scenario stays
// one system under one traffic, runnable as it is by run, check and bench; one scenario can have
// several sweeps (a CI grid, a capacity search) without copies; and the scenario format (and its
// schema, validated by src/scenario) does not grow a key that only one command reads.
//
// A parameter's values reach the scenario as `--set` overrides do (src/scenario/overrides.ts),
// so each is validated exactly as if written in the scenario file.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { applyOverrides, loadScenario, parseOverride, ScenarioError, type Scenario } from '../scenario/index.ts';
import { child, fail, type Where } from '../scenario/errors.ts';
import { Fields, integer, isMapping, list, number, oneOf } from '../scenario/fields.ts';
import { formatPath, parsePath } from '../scenario/overrides.ts';

export type SweepMode = 'grid' | 'random' | 'search';

/** One value a parameter takes: how it shows in tables, and the override that sets it. */
export interface Level {
  label: string | number;
  set: string;
  /** The number this level stands for, when it is one (instance counts, targets, multipliers). */
  numeric: number | null;
}

export interface Parameter {
  name: string;
  path: string;
  kind: 'values' | 'range' | 'multiply';
  /** Grid and search: every level in order (ascending for ranges). Random: the levels to pick from (values/multiply). */
  levels: Level[];
  /** Random over a range: uniform in [from, to], integers when both ends and step are integers. */
  range?: { from: number; to: number; step: number | null; integer: boolean };
  /** Search: more of it never makes an SLO fail (instance counts, workers). */
  monotone: boolean;
}

export interface SweepSpec {
  file: string;
  scenarioFile: string;
  mode: SweepMode;
  replications: number;
  samples: number;
  seed: number;
  /** Fixed overrides, as `path=value` strings; the command line's --set come after them. */
  set: string[];
  parameters: Parameter[];
  /** The scenario as loaded with the fixed overrides (validated). */
  scenario: Scenario;
  /** Fingerprint of everything that decides the results: shards of different sweeps never merge. */
  fingerprint: string;
}

const TOP = ['$schema', 'scenario', 'sweep'] as const;
const SWEEP_KEYS = ['mode', 'replications', 'samples', 'seed', 'set', 'parameters'] as const;
const PARAM_KEYS = ['path', 'values', 'range', 'multiply', 'monotone'] as const;
const NAME_RE = /^[A-Za-z][A-Za-z0-9_.-]*$/;

/** Paths whose growth never hurts an SLO (when the pool does not autoscale): search bisects them. */
const MONOTONE_RE = /\.(instances|workers)$/;

export function isSweepDocument(raw: unknown): boolean {
  return isMapping(raw) && 'sweep' in raw;
}

export function loadSweep(file: string, cliSet: readonly string[] = []): SweepSpec {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ScenarioError(file, '', '', undefined, { detail: `cannot read file (${(e as NodeJS.ErrnoException).code ?? 'error'})` });
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new ScenarioError(file, '', '', undefined, { detail: `invalid YAML: ${(e as Error).message.split('\n')[0]}` });
  }
  return parseSweep(raw, file, cliSet);
}

export function parseSweep(raw: unknown, file: string, cliSet: readonly string[]): SweepSpec {
  const root: Where = { file, path: '' };
  const top = new Fields(raw, root, TOP, 'a sweep file: { scenario: FILE, sweep: { mode, parameters } }');
  const scenarioRel = top.req('scenario', (v, at) => (typeof v === 'string' && v !== '' ? v : fail(at, 'the path of a scenario file, relative to this one', v)));
  const scenarioFile = path.isAbsolute(scenarioRel) ? scenarioRel : path.join(path.dirname(file), scenarioRel);
  const s = new Fields(top.raw.sweep, top.where('sweep'), SWEEP_KEYS, 'a mapping with mode and parameters');
  const mode = s.opt('mode', oneOf(['grid', 'random', 'search'] as const), 'grid');
  const replications = s.opt('replications', integer(1), 1);
  const samples = s.opt('samples', integer(1), 0);
  if (mode === 'random' && samples === 0) fail(s.where('samples'), 'the number of points to draw (random mode), like 40', s.raw.samples);
  const seed = s.opt('seed', number({ integer: true }), 1);
  const fixed = s.opt('set', (v, at) => {
    if (!isMapping(v)) fail(at, 'a mapping of scenario paths to values, like { duration: 30m }', v);
    return Object.entries(v as Record<string, unknown>).map(([k, val]) => `${k}=${JSON.stringify(val)}`);
  }, [] as string[]);
  const set = [...fixed, ...cliSet];
  const scenario: Scenario = loadScenario(scenarioFile, { set });
  const base = baseDocument(scenarioFile, set);
  const params = s.req('parameters', (v, at) => {
    if (!isMapping(v) || Object.keys(v).length === 0) fail(at, 'a mapping of parameter names to { path, values | range | multiply }', v);
    return Object.entries(v as Record<string, unknown>).map(([name, p]) => parseParameter(name, p, child(at, name), mode, base, scenarioFile, set));
  });
  if (mode === 'search') {
    for (const p of params) {
      if (p.kind === 'multiply') {
        fail(child(child(s.where('parameters'), p.name), 'multiply'),
          'no traffic multiplier in search mode (search finds the cheapest fleet for one traffic: fix it with set:, or use grid mode to vary it)', p.levels.map((l) => l.numeric));
      }
    }
  }
  const grid = mode === 'random' ? samples : params.reduce((n, p) => n * p.levels.length, 1);
  if (grid === 0) fail(s.where('parameters'), 'at least one value for every parameter', s.raw.parameters);
  const fingerprint = createHash('sha256')
    .update(JSON.stringify({ scenario: readFileSync(scenarioFile, 'utf8'), mode, replications, samples, seed, set, params: params.map(({ name, path: p, kind, levels, range }) => ({ name, p, kind, levels, range })) }))
    .digest('hex').slice(0, 16);
  return { file, scenarioFile, mode, replications, samples, seed, set, parameters: params, scenario, fingerprint };
}

/** The scenario document as parsed, fixed overrides applied: where a multiplier finds the curve it multiplies. */
function baseDocument(scenarioFile: string, set: readonly string[]): unknown {
  const raw = parseYaml(readFileSync(scenarioFile, 'utf8'));
  return applyOverrides(raw, set.map((o) => parseOverride(o, scenarioFile)), scenarioFile, path.dirname(scenarioFile));
}

function valueAt(doc: unknown, steps: Array<string | number>): unknown {
  let node = doc;
  for (const st of steps) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[st];
  }
  return node;
}

function parseParameter(name: string, raw: unknown, at: Where, mode: SweepMode, base: unknown, scenarioFile: string, set: readonly string[]): Parameter {
  if (!NAME_RE.test(name)) fail(at, 'a parameter name of letters, digits, ".", "-" and "_", starting with a letter', name);
  const f = new Fields(raw, at, PARAM_KEYS, 'a parameter like { path: components.web.instances, values: [2, 3, 4] }');
  const p = f.req('path', (v, a) => {
    const steps = typeof v === 'string' ? parsePath(v) : null;
    if (steps === null) fail(a, 'a scenario path like components.web.instances or slo[0].max', v);
    return formatPath(steps!);
  });
  const kinds = (['values', 'range', 'multiply'] as const).filter((k) => f.has(k));
  if (kinds.length !== 1) fail(at, 'exactly one of values, range or multiply', raw);
  const kind = kinds[0];
  let levels: Level[] = [];
  let range: Parameter['range'];
  const lvl = (label: string | number, value: unknown, numeric: number | null): Level => ({ label, set: `${p}=${JSON.stringify(value)}`, numeric });
  if (kind === 'values') {
    const vals = f.req('values', list((v) => v, 1, 'a list of values'));
    levels = vals.map((v) => lvl(typeof v === 'number' ? v : typeof v === 'string' ? v : JSON.stringify(v), v, typeof v === 'number' ? v : null));
  } else if (kind === 'range') {
    const r = new Fields(f.raw.range, f.where('range'), ['from', 'to', 'step'], 'a range like { from: 2, to: 12, step: 1 }');
    const from = r.req('from', number()), to = r.req('to', number({ min: from }));
    const stepGiven = r.has('step');
    const step = r.opt('step', number({ above: 0 }), Number.isInteger(from) && Number.isInteger(to) ? 1 : NaN);
    if (!Number.isFinite(step) && mode !== 'random') fail(r.where('step'), 'a step > 0 (needed when from or to is not an integer)', r.raw.step);
    const integerRange = Number.isInteger(from) && Number.isInteger(to) && (!Number.isFinite(step) || Number.isInteger(step));
    range = { from, to, step: stepGiven ? step : null, integer: integerRange };
    if (mode !== 'random') {
      const count = Math.floor((to - from) / step + 1e-9) + 1;
      if (count > 100_000) fail(f.where('range'), 'a range of at most 100000 steps', f.raw.range);
      for (let i = 0; i < count; i++) {
        const v = Number((from + i * step).toPrecision(12));
        levels.push(lvl(v, v, v));
      }
    }
  } else {
    const factors = f.req('multiply', list(number({ above: 0 }), 1, 'a list of factors > 0, like [1, 1.5, 2]'));
    const steps = parsePath(p)!;
    const current = valueAt(base, steps);
    if (current === undefined) fail(f.where('path'), `a path that is set in the scenario (multiply scales its value)`, p);
    levels = factors.map((k) => {
      // A number is scaled; anything else (a rate like "10r/s", a curve) becomes the product curve { product: [it, k] }.
      const value = typeof current === 'number' ? current * k : { product: [current, k] };
      return { label: `×${k}`, set: `${p}=${JSON.stringify(value)}`, numeric: k };
    });
  }
  const monotone = f.opt('monotone', (v, a) => (typeof v === 'boolean' ? v : fail(a, 'true or false', v)), MONOTONE_RE.test(p));
  if (mode === 'search' && monotone) {
    if (kind === 'values' && levels.some((l) => l.numeric === null)) {
      fail(f.where('values'), 'numbers (search bisects a monotone parameter: it must be ordered)', f.raw.values);
    }
    levels.sort((a, b) => a.numeric! - b.numeric!);
  }
  // Every level must make a valid scenario on its own: say which value of which parameter is wrong.
  if (range && mode === 'random') for (const v of [range.from, range.to]) checkLevel(lvl(v, v, v), f.where('range'), scenarioFile, set);
  for (const [i, l] of levels.entries()) checkLevel(l, kind === 'multiply' ? child(f.where('multiply'), i) : kind === 'values' ? child(f.where('values'), i) : f.where('range'), scenarioFile, set);
  return { name, path: p, kind, levels, range, monotone };
}

function checkLevel(l: Level, at: Where, scenarioFile: string, set: readonly string[]): void {
  try {
    loadScenario(scenarioFile, { set: [...set, l.set] });
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    const msg = e.message.replace(/ \(from --set [^)]*\)$/, '');
    throw new ScenarioError(at.file, at.path, '', undefined, { detail: `value ${JSON.stringify(l.label)}: ${msg}` });
  }
}
