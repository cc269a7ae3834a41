// The shipped JSON Schema and the hand-written loader agree: on every shipped example scenario
// (both accept) and on a set of bad files (both reject). The checker below implements just the
// subset of JSON Schema 2020-12 the schema uses, and refuses any other keyword.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { parse as parseYaml } from 'yaml';
import { ScenarioError, parseScenario } from '../../src/scenario/index.ts';
import { BYTES_PATTERN, CPU_PATTERN, DURATION_PATTERN, RATE_PATTERN } from '../../src/scenario/units.ts';
import { MAX_DESCRIPTION, SCENARIO_NAME_PATTERN } from '../../src/scenario/parse.ts';
import { minimal } from './helpers.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '../..');
const schemaFile = path.join(root, 'src/scenario/scenario.schema.json');
const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as Schema;

type Schema = Record<string, any> | boolean;

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description']);
const KEYWORDS = new Set([
  ...ANNOTATIONS, '$defs', '$ref', 'type', 'properties', 'required', 'additionalProperties', 'propertyNames',
  'minProperties', 'enum', 'const', 'pattern', 'minLength', 'oneOf', 'anyOf', 'items', 'minItems', 'minimum',
  'maximum', 'exclusiveMinimum', 'maxLength',
]);

function typeOf(v: unknown): string[] {
  if (v === null) return ['null'];
  if (Array.isArray(v)) return ['array'];
  if (typeof v === 'number') return Number.isInteger(v) ? ['number', 'integer'] : ['number'];
  return [typeof v];
}

/** Errors of `value` against `s` (empty when valid); `at` is a JSON-pointer-ish path. */
function check(s: Schema, value: unknown, at = ''): string[] {
  if (s === true) return [];
  if (s === false) return [`${at}: not allowed`];
  for (const k of Object.keys(s)) if (!KEYWORDS.has(k)) throw new Error(`schema keyword outside the checker's subset: ${k}`);
  const errors: string[] = [];
  if (s.$ref !== undefined) {
    const m = /^#\/\$defs\/(.+)$/.exec(s.$ref);
    if (!m) throw new Error(`unsupported $ref ${s.$ref}`);
    const target = (schema as Record<string, any>).$defs[m[1]];
    if (target === undefined) throw new Error(`dangling $ref ${s.$ref}`);
    errors.push(...check(target, value, at));
  }
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (!typeOf(value).some((x) => types.includes(x))) return [...errors, `${at}: not of type ${types.join('|')}`];
  }
  if (s.const !== undefined && value !== s.const) errors.push(`${at}: not ${JSON.stringify(s.const)}`);
  if (s.enum !== undefined && !s.enum.includes(value)) errors.push(`${at}: not one of ${s.enum.join(', ')}`);
  if (typeof value === 'string') {
    if (s.pattern !== undefined && !new RegExp(s.pattern, 'u').test(value)) errors.push(`${at}: does not match ${s.pattern}`);
    if (s.minLength !== undefined && [...value].length < s.minLength) errors.push(`${at}: too short`);
    if (s.maxLength !== undefined && [...value].length > s.maxLength) errors.push(`${at}: too long`);
  }
  if (typeof value === 'number') {
    if (s.minimum !== undefined && !(value >= s.minimum)) errors.push(`${at}: < ${s.minimum}`);
    if (s.maximum !== undefined && !(value <= s.maximum)) errors.push(`${at}: > ${s.maximum}`);
    if (s.exclusiveMinimum !== undefined && !(value > s.exclusiveMinimum)) errors.push(`${at}: ≤ ${s.exclusiveMinimum}`);
  }
  if (Array.isArray(value)) {
    if (s.minItems !== undefined && value.length < s.minItems) errors.push(`${at}: fewer than ${s.minItems} items`);
    if (s.items !== undefined) value.forEach((v, i) => errors.push(...check(s.items, v, `${at}/${i}`)));
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o);
    for (const r of s.required ?? []) if (!(r in o)) errors.push(`${at}: missing ${r}`);
    if (s.minProperties !== undefined && keys.length < s.minProperties) errors.push(`${at}: fewer than ${s.minProperties} properties`);
    for (const k of keys) {
      if (s.propertyNames !== undefined) errors.push(...check(s.propertyNames, k, `${at}/${k} (name)`));
      if (s.properties?.[k] !== undefined) errors.push(...check(s.properties[k], o[k], `${at}/${k}`));
      else if (s.additionalProperties !== undefined) errors.push(...check(s.additionalProperties, o[k], `${at}/${k}`));
    }
  }
  if (s.anyOf !== undefined && !s.anyOf.some((sub: Schema) => check(sub, value, at).length === 0)) errors.push(`${at}: matches none of anyOf`);
  if (s.oneOf !== undefined) {
    const n = s.oneOf.filter((sub: Schema) => check(sub, value, at).length === 0).length;
    if (n !== 1) errors.push(`${at}: matches ${n} of oneOf`);
  }
  return errors;
}

function loaderAccepts(raw: unknown, baseDir: string): string | true {
  try {
    parseScenario(raw, 'x.yaml', baseDir);
    return true;
  } catch (err) {
    if (err instanceof ScenarioError) return err.message;
    throw err;
  }
}

t.test('the schema itself', async (t) => {
  t.equal(schema instanceof Object && (schema as any).$schema, 'https://json-schema.org/draft/2020-12/schema');
  // every field has a description; no keyword outside the subset (check() throws on those)
  const missing: string[] = [];
  const walk = (s: any, at: string) => {
    if (typeof s !== 'object' || s === null) return;
    if (Array.isArray(s)) return s.forEach((x, i) => walk(x, `${at}/${i}`));
    for (const [k, v] of Object.entries(s.properties ?? {})) {
      if (typeof (v as any).description !== 'string') missing.push(`${at}/properties/${k}`);
    }
    for (const [k, v] of Object.entries(s)) walk(v, `${at}/${k}`);
  };
  walk(schema, '#');
  t.same(missing, [], 'every property has a description');
  const defs = (schema as any).$defs;
  t.equal(defs.duration.anyOf[1].pattern, DURATION_PATTERN, 'the duration pattern is the parser\'s');
  t.equal(defs.rate.anyOf[1].pattern, RATE_PATTERN, 'the rate pattern is the parser\'s');
  t.equal(defs.bytes.anyOf[1].pattern, BYTES_PATTERN, 'the bytes pattern is the parser\'s');
  t.equal(defs.cpu.anyOf[1].pattern, CPU_PATTERN, 'the cpu pattern is the parser\'s');
  t.equal((schema as any).properties.name.pattern, SCENARIO_NAME_PATTERN, 'the name pattern is the loader\'s');
  t.equal((schema as any).properties.description.maxLength, MAX_DESCRIPTION, 'the description cap is the loader\'s');
});

t.test('every shipped example scenario is valid for both', async (t) => {
  const dir = path.join(root, 'scenarios');
  const files = ['', 'data'].flatMap((sub) => readdirSync(path.join(dir, sub)).filter((f) => /\.ya?ml$/.test(f)).map((f) => path.join(dir, sub, f)));
  const fixtures = ['full.yaml', 'curves.yaml', 'closed.json'].map((f) => path.join(here, 'fixtures', f));
  t.ok(files.length >= 3, `${files.length} example scenarios`);
  for (const file of [...files, ...fixtures]) {
    const text = readFileSync(file, 'utf8');
    const raw = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text, { merge: true });
    t.same(check(schema, raw), [], `schema accepts ${path.relative(root, file)}`);
    t.equal(loaderAccepts(raw, path.dirname(file)), true, `loader accepts ${path.relative(root, file)}`);
  }
});

t.test('bad scenarios are rejected by both', async (t) => {
  const bad: Array<[string, (s: Record<string, any>) => void]> = [
    ['unknown key', (s) => (s.components.web.worker = 16)],
    ['unknown top-level key', (s) => (s.sample_interval = '5s')],
    ['bad duration', (s) => (s.components.web.serviceTime = 'fast')],
    ['negative duration', (s) => (s.warmup = '-5m')],
    ['units out of order', (s) => (s.duration = '30m1h')],
    ['missing duration', (s) => delete s.duration],
    ['missing components', (s) => delete s.components],
    ['empty components', (s) => (s.components = {})],
    ['bad component name', (s) => (s.components['web app'] = s.components.web)],
    ['wrong kind', (s) => (s.components.web.kind = 'service')],
    ['missing instances', (s) => delete s.components.web.instances],
    ['negative instances', (s) => (s.components.web.instances = -1)],
    ['fractional workers', (s) => (s.components.web.workers = 1.5)],
    ['bad backlog', (s) => (s.components.web.backlog = 'infinite')],
    ['pool key on a load balancer', (s) => (s.components.nginx.workers = 4)],
    ['bad balancing', (s) => (s.components.nginx.balancing = 'least-conn')],
    ['bad next_upstream condition', (s) => (s.components.nginx.nextUpstream = { on: ['http_404'] })],
    ['limitReq without rate', (s) => (s.components.nginx.limitReq = { burst: 5 })],
    ['mixed lognormal forms', (s) => (s.components.web.serviceTime = { dist: 'lognormal', median: '20ms', cv: 1 })],
    ['unknown distribution', (s) => (s.components.web.serviceTime = { dist: 'weibull', shape: 1 })],
    ['distribution without dist', (s) => (s.components.web.serviceTime = { mean: '1s' })],
    ['empty samples', (s) => (s.components.web.serviceTime = { dist: 'empirical', samples: [] })],
    ['bad rate', (s) => (s.traffic.rate = '10 rps')],
    ['two curve kinds', (s) => (s.traffic.rate = { constant: 1, ramp: { from: 1, to: 2, end: 60 } })],
    ['trace without file', (s) => (s.traffic.rate = { trace: { interpolate: 'linear' } })],
    ['both open and closed', (s) => (s.traffic.closed = { users: 5, thinkTime: '1s' })],
    ['neither open nor closed', (s) => delete s.traffic.rate],
    ['bad percent', (s) => (s.slo = [{ metric: 'errorRate', max: '150%' }])],
    ['slo with both max and min', (s) => (s.slo = [{ metric: 'latency.p99', max: '1s', min: '1ms' }])],
    ['unknown slo metric', (s) => (s.slo = [{ metric: 'latency.p98', max: '1s' }])],
    ['bad currency', (s) => (s.currency = 'dollars')],
    ['startTime without a zone', (s) => (s.startTime = '2026-11-27T00:00:00')],
    ['bad memory size', (s) => (s.components.web.memoryRequest = '128m')],
    ['bad cpu', (s) => (s.components.web.cpuRequest = '1.5m')],
    ['a bare number as a duration', (s) => (s.components.web.serviceTime = { dist: 'lognormal', median: 40, p99: '300ms' })],
    ['a bare number as the run duration', (s) => (s.duration = 3600)],
    ['a bare number in a string', (s) => (s.warmup = '60')],
    ['a name that leaves reports/', (s) => (s.name = '../../../tmp/x')],
    ['a name that is the parent folder', (s) => (s.name = '..')],
    ['a name with a slash', (s) => (s.name = 'a/b')],
    ['a hidden name', (s) => (s.name = '.x')],
    ['a description over the cap', (s) => (s.description = 'x'.repeat(MAX_DESCRIPTION + 1))],
    ['a clock time that is not one', (s) => (s.traffic.rate = { spike: { base: 1, peak: 2, at: '25:00' } })],
    ['call without to', (s) => (s.components.web.calls = [{ p: 0.5 }])],
    ['call probability above 1', (s) => (s.components.web.calls = [{ to: 'web', p: 1.5 }])],
    ['unknown call key', (s) => (s.components.web.calls = [{ to: 'web', retry: 2 }])],
    ['bad jitter', (s) => (s.components.web.calls = [{ to: 'web', retries: { max: 2, jitter: 'random' } }])],
    ['empty parallel step', (s) => (s.components.web.calls = [{ parallel: [] }])],
    ['route without p', (s) => (s.components.web.next = [{ to: 'web' }])],
    ['connection pool of 0', (s) => (s.components.web.connections = { db: { size: 0 } })],
    ['database without primary', (s) => (s.components.db = { kind: 'database' })],
    ['database primary without workers', (s) => (s.components.db = { kind: 'database', primary: { serviceTime: '4ms' } })],
    ['replicas without instances', (s) => (s.components.db = { kind: 'database', primary: { workers: 4, serviceTime: '4ms' }, replicas: { syncTime: '1m' } })],
    ['pool key on a database', (s) => (s.components.db = { kind: 'database', primary: { workers: 4, serviceTime: '4ms' }, instances: 2 })],
    // a release names its version unless it resizes (src/scenario/resize.ts)
    ['release with neither a version nor a new size', (s) => { s.components.web.deploy = { apiVersion: 'apps/v1', kind: 'Deployment', spec: {} }; s.releases = [{ at: '10m', pool: 'web' }]; }],
    ['resize to 0 workers', (s) => { s.components.web.deploy = { apiVersion: 'apps/v1', kind: 'Deployment', spec: {} }; s.releases = [{ at: '10m', pool: 'web', workers: 0 }]; }],
  ];
  for (const [name, change] of bad) {
    const s = minimal();
    change(s);
    t.not(check(schema, s).length, 0, `schema rejects: ${name}`);
    t.not(loaderAccepts(s, '.'), true, `loader rejects: ${name}`);
  }
  t.same(check(schema, minimal()), [], 'the unchanged scenario is valid');
});

t.test('zero may stand bare; a clock time is a spike time; a dotted name is a name', async (t) => {
  const good: Array<[string, (s: Record<string, any>) => void]> = [
    ['a bare zero', (s) => (s.warmup = 0)],
    ['a clock time with startTime', (s) => {
      s.startTime = '2026-11-27T17:00:00Z';
      s.duration = '6h';
      s.traffic.rate = { spike: { base: 1, peak: 2, at: '20:30', rise: '1m' } };
    }],
    ['a name with dots and digits', (s) => (s.name = 'v1.2-black_friday')],
    ['a description at the cap', (s) => (s.description = 'x'.repeat(MAX_DESCRIPTION))],
  ];
  for (const [name, change] of good) {
    const s = minimal();
    change(s);
    t.same(check(schema, s), [], `schema accepts: ${name}`);
    t.equal(loaderAccepts(s, '.'), true, `loader accepts: ${name}`);
  }
});
