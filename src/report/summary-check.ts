// A summary.json is checked before anything reads it: that headroom wrote it, in a format this
// headroom reads, and in the shape of RunSummary (one JSON Schema, validated by ajv). Each
// refusal names the file and the field: `runs/a/summary.json: totals.arrivals: expected a number, got "many"`.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { RUN_SUMMARY_SCHEMA, SUMMARY_FORMAT } from '../stats/results-schema.ts';
import { completeErrors, type RunSummary } from '../stats/results.ts';
import { ReportInputError } from './errors.ts';
import pkg from '../../package.json' with { type: 'json' };

const VERSION: string = pkg.version;

let validate: ValidateFunction | null = null;

/** JSON, cut to 60 characters, for a message. */
function shown(v: unknown): string {
  if (v === undefined) return 'nothing';
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

function valueAt(root: unknown, pointer: string): unknown {
  let v = root;
  for (const part of pointer.split('/').slice(1)) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  }
  return v;
}

/** `/components/web/latency/p99` → `components.web.latency.p99`; `/slo/0/value` → `slo[0].value`. */
function dotted(pointer: string): string {
  return pointer.split('/').slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc === '' ? p : `${acc}.${p}`), '');
}

function expected(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'type': {
      const one = (t: unknown) => (t === 'null' ? 'null' : `${t === 'integer' || t === 'object' || t === 'array' ? 'an' : 'a'} ${t}`);
      return Array.isArray(p.type) ? p.type.map(one).join(' or ') : one(p.type);
    }
    case 'minimum': return `a number ≥ ${p.limit}`;
    case 'maximum': return `a number ≤ ${p.limit}`;
    case 'exclusiveMinimum': return `a number > ${p.limit}`;
    case 'enum': return `one of ${(p.allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(', ')}`;
    case 'const': return JSON.stringify(p.allowedValue);
    case 'minItems': case 'maxItems': return `a list of ${p.limit} numbers`;
    default: return e.message ?? e.keyword;
  }
}

/** The most telling of ajv's errors: a missing field, else the deepest one (not the if/then wrapper). */
function describe(file: string, data: unknown, errors: ErrorObject[]): string {
  const real = errors.filter((e) => e.keyword !== 'if' && e.keyword !== 'anyOf');
  const e = real.find((x) => x.keyword === 'required') ?? real.sort((a, b) => b.instancePath.length - a.instancePath.length)[0] ?? errors[0];
  if (e.keyword === 'required') {
    const field = dotted(`${e.instancePath}/${(e.params as { missingProperty: string }).missingProperty}`);
    return `${file}: ${field}: missing (not a headroom run summary, or one of another version)`;
  }
  const path = dotted(e.instancePath);
  return `${file}: ${path === '' ? '' : `${path}: `}expected ${expected(e)}, got ${shown(valueAt(data, e.instancePath))}`;
}

/** The parsed summary.json, checked: version first (a newer format may differ anywhere), then shape. */
export function checkSummary(file: string, data: unknown): RunSummary {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new ReportInputError(`${file}: expected a headroom run summary (a JSON object), got ${shown(data)}`);
  }
  const o = data as Record<string, unknown>;
  if (typeof o.headroom !== 'string') {
    throw new ReportInputError(`${file}: headroom: missing: not a summary.json written by headroom (it starts with the headroom version, like "headroom": "${VERSION}")`);
  }
  if (o.format !== undefined && !(typeof o.format === 'number' && Number.isInteger(o.format) && o.format >= 1 && o.format <= SUMMARY_FORMAT)) {
    throw new ReportInputError(
      `${file}: format: expected summary format ${SUMMARY_FORMAT === 1 ? '1' : `1 to ${SUMMARY_FORMAT}`} (this is headroom ${VERSION}), got ${shown(o.format)} ` +
      `(written by headroom ${o.headroom}${typeof o.format === 'number' && o.format > SUMMARY_FORMAT ? ': re-render it with that version or newer' : ''})`,
    );
  }
  validate ??= new Ajv({ allErrors: false, strict: true, allowUnionTypes: true }).compile(RUN_SUMMARY_SCHEMA);
  if (!validate(data)) throw new ReportInputError(describe(file, data, validate.errors ?? []));
  const s = data as RunSummary;
  // Causes appended since the file was written read as 0.
  s.totals.errors = completeErrors(s.totals.errors);
  for (const c of Object.values(s.components)) c.errors = completeErrors(c.errors);
  for (const c of Object.values(s.classes ?? {})) c.errors = completeErrors(c.errors);
  return s;
}
