// `--set path=value`: one field of a scenario changed from the command line (as k6's `-e` and
// Artillery's `--overrides`), and the way a sweep varies its parameters.
//
// Overrides are applied to the RAW parsed document, before validation, so an overridden value
// goes through exactly the checks (and messages) a value written in the file would. Paths are
// written as error messages print them: `components.web.instances`, `slo[0].max`,
// `components.web.autoscaling.spec.metrics[0].resource.target.averageUtilization`. A value is
// read as YAML (`5` is a number, `300ms` a string, `{ diurnal: { min: 1, max: 9, peakHour: 20 } }`
// a mapping; an empty value removes the field so its default applies).
//
// Which paths exist comes from the shipped JSON Schema (scenario.schema.json): a key the schema
// does not allow is refused with a did-you-mean; names of components and list indices must exist
// in the file (a typo in a component name would otherwise create a new, half-written component).
// Policies kept in their own file (`autoscaling: { file: … }`) are read into the document when a
// path goes inside them, so a sweep can vary an HPA target the team keeps in its manifest.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { didYouMean } from '../autoscale/did-you-mean.ts';
import { ScenarioError } from './errors.ts';
import schemaJson from './scenario.schema.json' with { type: 'json' };

type Schema = Record<string, unknown> | boolean;
type Step = string | number;

/** One `path=value`, parsed. `text` is what the user wrote, for messages. */
export interface Override {
  text: string;
  path: Step[];
  value: unknown;
}

const STEP_RE = /^([A-Za-z_$][\w$-]*)?((?:\[\d+\])*)$/;

/** `a.b[2].c` → ['a', 'b', 2, 'c']; null when malformed. */
export function parsePath(text: string): Step[] | null {
  if (text === '') return null;
  const steps: Step[] = [];
  for (const part of text.split('.')) {
    const m = STEP_RE.exec(part);
    if (m === null || (m[1] === undefined && m[2] === '')) return null;
    if (m[1] !== undefined) steps.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) steps.push(Number(idx[1]));
  }
  if (typeof steps[0] !== 'string') return null;
  return steps;
}

export function formatPath(steps: readonly Step[]): string {
  return steps.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

/** Parses `path=value`; `file` names the scenario in the error. */
export function parseOverride(text: string, file: string): Override {
  const eq = text.indexOf('=');
  const steps = eq > 0 ? parsePath(text.slice(0, eq).trim()) : null;
  if (steps === null) {
    throw new ScenarioError(file, '', '', undefined, {
      detail: `--set ${JSON.stringify(text)}: expected path=value, like components.web.instances=4 or slo[0].max=300ms`,
    });
  }
  const rawValue = text.slice(eq + 1);
  let value: unknown;
  try {
    value = rawValue.trim() === '' ? null : parseYaml(rawValue);
  } catch (e) {
    throw new ScenarioError(file, '', '', undefined, {
      detail: `--set ${text}: the value is not valid YAML (${(e as Error).message.split('\n')[0]})`,
    });
  }
  return { text, path: steps, value };
}

const ROOT = schemaJson as unknown as Record<string, unknown>;

function resolve(s: Schema): Schema {
  let cur = s;
  for (let i = 0; i < 20 && typeof cur === 'object' && typeof cur.$ref === 'string'; i++) {
    const ref = cur.$ref as string;
    if (!ref.startsWith('#/$defs/')) break;
    cur = (ROOT.$defs as Record<string, Schema>)[ref.slice('#/$defs/'.length)] ?? true;
  }
  return cur;
}

/** The object branches of a schema that could describe `value` (a component's `kind` picks its branch). */
function branches(s: Schema, value: unknown): Array<Record<string, unknown>> {
  const r = resolve(s);
  if (typeof r !== 'object') return [];
  // An object with its own properties may also carry anyOf/oneOf constraints (a pool needs
  // instances or deploy, a cache hitRatio or lru): those name no keys, so it stays one branch.
  const own = r.type === 'object' || r.properties !== undefined || r.additionalProperties !== undefined ? [r] : [];
  const alts = (r.oneOf ?? r.anyOf) as Schema[] | undefined;
  if (alts === undefined) return own;
  const all = [...own, ...alts.flatMap((a) => branches(a, value))];
  const kind = isMapping(value) ? value.kind : undefined;
  const byKind = all.filter((b) => ((b.properties as Record<string, Record<string, unknown>> | undefined)?.kind?.const) === kind);
  return kind !== undefined && byKind.length > 0 ? byKind : all;
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * What the schema says about key `key` of the mapping `value` described by `s`:
 * its schema, 'existing-only' (a map of names: only names in the file), or the allowed keys when it is not allowed.
 */
function childSchema(s: Schema, value: unknown, key: string): { schema: Schema } | { namesOnly: true } | { allowed: string[] } {
  if (s === true) return { schema: true };
  const bs = branches(s, value);
  if (bs.length === 0) return { schema: true };
  const allowed: string[] = [];
  for (const b of bs) {
    const props = (b.properties ?? {}) as Record<string, Schema>;
    if (key in props) return { schema: props[key] };
    allowed.push(...Object.keys(props));
    if (isMapping(b.additionalProperties) || (b.additionalProperties === undefined && b.properties === undefined)) {
      return isMapping(b.additionalProperties) ? { namesOnly: true } : { schema: true };
    }
  }
  return { allowed: [...new Set(allowed)].filter((k) => k !== '$schema') };
}

function itemSchema(s: Schema): Schema {
  const r = resolve(s);
  if (typeof r !== 'object') return true;
  if (r.items !== undefined) return r.items as Schema;
  const alts = (r.oneOf ?? r.anyOf) as Schema[] | undefined;
  const arr = alts?.map(resolve).find((a) => typeof a === 'object' && a.items !== undefined);
  return typeof arr === 'object' ? (arr.items as Schema) : true;
}

/**
 * Applies overrides to a parsed scenario document and returns the changed copy (the input is not
 * modified). `file` names the scenario in errors; `baseDir` is where its policy files are.
 */
export function applyOverrides(raw: unknown, overrides: readonly Override[], file: string, baseDir: string): unknown {
  if (overrides.length === 0) return raw;
  const doc = structuredClone(raw);
  if (!isMapping(doc)) return doc; // the loader reports a document that is not a mapping
  for (const o of overrides) applyOne(doc, o, file, baseDir);
  return doc;
}

function applyOne(doc: Record<string, unknown>, o: Override, file: string, baseDir: string): void {
  const bad = (at: number, detail: string): never => {
    const where = formatPath(o.path.slice(0, at));
    throw new ScenarioError(file, '', '', undefined, { detail: `--set ${o.text}: ${detail}${where ? ` (at ${where})` : ''}` });
  };
  let node: unknown = doc;
  let schema: Schema = ROOT;
  for (let i = 0; i < o.path.length; i++) {
    const step = o.path[i];
    const last = i === o.path.length - 1;
    if (typeof step === 'number') {
      if (!Array.isArray(node)) bad(i, `${formatPath(o.path.slice(0, i))} is not a list`);
      const list = node as unknown[];
      if (step >= list.length) bad(i, `no item [${step}]: the list has ${list.length}`);
      schema = itemSchema(schema);
      if (last) list[step] = o.value;
      else node = list[step];
      continue;
    }
    if (!isMapping(node)) bad(i, `${formatPath(o.path.slice(0, i)) || 'the document'} is not a mapping`);
    const map = node as Record<string, unknown>;
    const c = childSchema(schema, map, step);
    if ('allowed' in c) {
      const hint = didYouMean(step, c.allowed);
      bad(i, `unknown key "${step}"; ${hint !== undefined ? `did you mean "${hint}"?` : `expected one of ${c.allowed.join(', ')}`}`);
    } else if ('namesOnly' in c) {
      if (!(step in map)) {
        const names = Object.keys(map);
        const hint = didYouMean(step, names);
        bad(i, `no "${step}" in the file; ${hint !== undefined ? `did you mean "${hint}"?` : `there are ${names.join(', ') || 'none'}`}`);
      }
      schema = resolve((branches(schema, map)[0]?.additionalProperties as Schema) ?? true);
    } else {
      schema = c.schema;
    }
    if (last) {
      if (o.value === null) delete map[step];
      else map[step] = o.value;
      return;
    }
    if (step === 'autoscaling' && isMapping(map[step]) && Object.keys(map[step] as object).length === 1 && 'file' in (map[step] as object)) {
      map[step] = readPolicy((map[step] as { file: unknown }).file, baseDir, () => bad(i + 1, 'cannot read the policy file it names'));
    }
    if (map[step] === undefined || map[step] === null) map[step] = typeof o.path[i + 1] === 'number' ? [] : {};
    node = map[step];
  }
}

function readPolicy(rel: unknown, baseDir: string, onError: () => never): unknown {
  if (typeof rel !== 'string') return onError();
  try {
    return parseYaml(readFileSync(path.isAbsolute(rel) ? rel : path.join(baseDir, rel), 'utf8'));
  } catch {
    return onError();
  }
}

/**
 * Runs `fn` (validation of an overridden document) and, when it rejects a field an override set,
 * says so: `x.yaml: components.web.instances: expected an integer ≥ 0, got "abc" (from --set components.web.instances=abc)`.
 */
export function blameOverrides<T>(overrides: readonly Override[], fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof ScenarioError) || e.path === '') throw e;
    const culprit = [...overrides].reverse().find((o) => {
      const p = formatPath(o.path);
      return e.path === p || e.path.startsWith(`${p}.`) || e.path.startsWith(`${p}[`) || p.startsWith(`${e.path}.`) || p.startsWith(`${e.path}[`);
    });
    if (culprit !== undefined) e.message += ` (from --set ${culprit.text})`;
    throw e;
  }
}
