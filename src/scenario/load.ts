// Scenario files (YAML or JSON) → the normalised `Scenario`: every default applied, durations in
// seconds, rates per second, percentages as fractions, cross-references checked.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { PolicyError, parsePolicy } from '../autoscale/index.ts';
import type { PolicyConfig } from '../autoscale/types.ts';
import type { Dist } from '../sim/distribution-types.ts';
import { parseCalls, parseConnections, parseNext } from './calls.ts';
import { DATABASE_KEYS, parseDatabase } from './database.ts';
import { checkTopology } from './topology.ts';
import { parseSupervision } from './deploy.ts';
import { clockTime, parseFaults, parsePoolZones, parseRecovery, parseReleases, parseZones, type TimelineContext } from './timeline.ts';
import { parseDist } from './dist.ts';
import { poolSizing } from './instance-type.ts';
import { checkPlacement, parseCpuPerWorker, parseNodes } from './nodes.ts';
import { DATA_KINDS, DATA_KIND_KEYS, parseDataKind, resolveEdgeClasses } from './data-kinds.ts';
import { checkReferences } from './references.ts';
import { parseTraffic } from './traffic.ts';
import { ScenarioError, child, fail, renderGot, type Where } from './errors.ts';
import { Fields, boolean, integer, isMapping, list, number, oneOf, string } from './fields.ts';
import { applyOverrides, blameOverrides, parseOverride } from './overrides.ts';
import { parseSlo } from './slo.ts';
import type {
  Balancing,
  ComponentConfig,
  LimitReqConfig,
  LoadBalancerConfig,
  NextUpstreamCondition,
  PoolConfig,
  Scenario,
} from './types.ts';
import {
  EXPECTED,
  parseBytes,
  parseCpu,
  parseDuration,
  parsePositiveDuration,
  parseRate,
} from './units.ts';

export const TOP_KEYS = [
  '$schema', 'name', 'description', 'seed', 'duration', 'warmup', 'sampleInterval', 'startTime', 'currency',
  'traffic', 'components', 'slo', 'zones', 'faults', 'releases', 'recovery', 'nodes',
] as const;
export const LB_KEYS = [
  'kind', 'upstream', 'balancing', 'weights', 'maxFails', 'failTimeout', 'nextUpstream', 'limitReq', 'overhead',
] as const;
export const POOL_KEYS = [
  'kind', 'instances', 'workers', 'backlog', 'serviceTime', 'timeout', 'bootTime', 'readinessDelay', 'drainTimeout',
  'pricePerHour', 'cpuRequest', 'cpuLimit', 'memoryRequest', 'memory', 'next', 'calls', 'connections', 'metrics', 'autoscaling',
  'zones', 'version', 'deploy', 'restartPolicy', 'healthCheck', 'replacement', 'instanceType', 'workersPerVcpu', 'nodePool', 'cpuPerWorker',
] as const;
export const BALANCING: readonly Balancing[] = ['round_robin', 'least_conn', 'ip_hash', 'random_two_least_conn', 'random'];
export const NEXT_UPSTREAM_ON: readonly NextUpstreamCondition[] = ['error', 'timeout', 'http_500', 'http_502', 'http_503', 'http_504'];

const NAME_RE = /^[A-Za-z][A-Za-z0-9_-]*$/;
const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;
const MIB = 2 ** 20;

/**
 * Reads a `.yaml`, `.yml` or `.json` scenario file and returns it normalised. `overrides.seed`
 * replaces the file's seed; `overrides.set` are `path=value` overrides (see overrides.ts), applied
 * to the document before it is validated.
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
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new ScenarioError(file, '', 'a readable file', file, { detail: `cannot read file (${code})` });
  }
  const sets = (overrides.set ?? []).map((o) => parseOverride(o, file));
  const raw = applyOverrides(ext === '.json' ? parseJsonText(text, file) : parseYamlText(text, file), sets, file, path.dirname(file));
  const scenario = blameOverrides(sets, () => parseScenario(raw, file, path.dirname(file)));
  if (overrides.seed !== undefined) {
    if (!Number.isSafeInteger(overrides.seed)) {
      throw new ScenarioError(file, 'seed', 'an integer (the seed override)', overrides.seed);
    }
    scenario.seed = overrides.seed;
  }
  return scenario;
}

function syntaxError(file: string, line: number | undefined, col: number | undefined, kind: string, message: string): ScenarioError {
  const at = line !== undefined ? `${file}:${line}:${col ?? 1}` : file;
  return new ScenarioError(at, '', `valid ${kind}`, message, { detail: `invalid ${kind}: ${message}` });
}

function parseYamlText(text: string, file: string): unknown {
  const doc = parseDocument(text, { merge: true, prettyErrors: true });
  const err = doc.errors[0];
  if (err !== undefined) {
    const pos = err.linePos?.[0];
    const message = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw syntaxError(file, pos?.line, pos?.col, 'YAML', message);
  }
  return doc.toJS({ maxAliasCount: 1000 });
}

function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const m = /at position (\d+)/.exec(message);
    if (m === null) throw syntaxError(file, undefined, undefined, 'JSON', message);
    const before = text.slice(0, Number(m[1])).split('\n');
    const cleaned = message.replace(/ in JSON at position \d+.*$/, '');
    throw syntaxError(file, before.length, before[before.length - 1].length + 1, 'JSON', cleaned);
  }
}

/** Validates and normalises a parsed scenario. `file` names it in errors; files it refers to are relative to `baseDir`. */
export function parseScenario(raw: unknown, file: string, baseDir: string): Scenario {
  const root: Where = { file, path: '' };
  const f = new Fields(raw, root, TOP_KEYS, 'a mapping with at least duration, traffic and components');
  const defaultName = path.basename(file, path.extname(file));
  const duration = f.req('duration', parsePositiveDuration);
  const warmup = f.opt('warmup', parseDuration, 0);
  if (warmup >= duration) fail(f.where('warmup'), `a duration shorter than duration (${renderGot(f.raw.duration)})`, f.raw.warmup);

  const partial = {
    name: f.opt('name', string('a non-empty string'), defaultName),
    description: f.opt('description', (v, at) => (typeof v === 'string' ? v : fail(at, 'a string', v)), ''),
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
  const traffic = f.req('traffic', (v, at) => parseTraffic(v, at, baseDir, components));
  const slo = f.opt('slo', list(parseSlo, 0, 'a list of objectives like { metric: latency.p99, max: 500ms }'), []);
  checkReferences(components, f.where('components'), f.raw.components as Record<string, Record<string, unknown>>);
  resolveEdgeClasses(components, traffic.mix, f.where('components'));
  checkTopology(components, traffic.mix, f.where('components'), f.raw.components as Record<string, Record<string, unknown>>);
  const ctx: TimelineContext = { components, zones, duration, baseDir, clockAt: (v, at) => clockTime(v, at, partial.startTime) };
  const faults = f.opt('faults', (v, at) => parseFaults(v, at, ctx), []);
  const releases = f.opt('releases', (v, at) => parseReleases(v, at, ctx), []);
  const recoveryHold = f.opt('recovery', parseRecovery, 60);
  const nodes = f.opt('nodes', parseNodes, undefined);
  checkPlacement(components, nodes, f.where('components'));

  return { ...partial, ...traffic, components, slo, zones, faults, releases, recoveryHold, ...(nodes ? { nodes } : {}) };
}

function parseStartTime(value: unknown, at: Where): string {
  const expected = 'an ISO 8601 time with a zone like "2026-11-27T00:00:00Z"';
  if (typeof value !== 'string' || !ISO_RE.test(value) || !Number.isFinite(Date.parse(value))) fail(at, expected, value);
  return new Date(value as string).toISOString();
}

// ------------------------------------------------------------------------------- components

function parseComponents(value: unknown, at: Where, baseDir: string, zones: string[]): ComponentConfig[] {
  if (!isMapping(value) || Object.keys(value).length === 0) {
    fail(at, 'a mapping of component names to components, like { web: { kind: pool, ... } }', value);
  }
  return Object.entries(value as Record<string, unknown>).flatMap(([name, raw]) => {
    const where = child(at, name);
    if (!NAME_RE.test(name)) fail(where, 'a component name of letters, digits, "-" and "_", starting with a letter', name);
    return parseComponent(name, raw, where, baseDir, zones);
  });
}

/** One component of the file; a database is three (itself, its primary's and its replicas' pools). */
function parseComponent(name: string, raw: unknown, at: Where, baseDir: string, zones: string[]): ComponentConfig[] {
  const kinds = ['loadBalancer', 'pool', 'database', ...DATA_KINDS] as const;
  if (!isMapping(raw)) fail(at, 'a component like { kind: pool, instances: 3, serviceTime: 20ms }', raw);
  const kindRaw = (raw as Record<string, unknown>).kind;
  if (!kinds.includes(kindRaw as (typeof kinds)[number])) {
    new Fields(raw, at, [...new Set([...LB_KEYS, ...POOL_KEYS, ...DATABASE_KEYS, ...DATA_KIND_KEYS])]); // report typos before the kind
    oneOf(kinds)(kindRaw, child(at, 'kind'));
  }
  if (kindRaw === 'pool') return [parsePool(name, raw, at, baseDir, zones)];
  if (kindRaw === 'loadBalancer') return [parseLoadBalancer(name, raw, at, baseDir)];
  if (kindRaw === 'database') return parseDatabase(name, raw, at, baseDir, (n, r, a, b) => parsePool(n, r, a, b, zones));
  return [parseDataKind(kindRaw as (typeof DATA_KINDS)[number], name, raw, at, baseDir)];
}

function otherKindNote(thisKind: string, otherKeys: readonly string[]) {
  return (key: string) =>
    otherKeys.includes(key) ? `${key} is a ${thisKind === 'pool' ? 'loadBalancer' : 'pool'} setting, this is a ${thisKind}` : undefined;
}

function parseLoadBalancer(name: string, raw: unknown, at: Where, baseDir: string): LoadBalancerConfig {
  const f = new Fields(raw, at, LB_KEYS, 'a loadBalancer', otherKindNote('loadBalancer', POOL_KEYS));
  return {
    kind: 'loadBalancer',
    name,
    upstream: f.req('upstream', string('the name of a pool')),
    balancing: f.opt('balancing', oneOf(BALANCING), 'round_robin'),
    weights: f.opt('weights', list(integer(1), 0, 'a list of integer weights ≥ 1, one per instance'), []),
    maxFails: f.opt('maxFails', integer(0), 1),
    failTimeout: f.opt('failTimeout', parseDuration, 10),
    nextUpstream: f.opt('nextUpstream', parseNextUpstream, { on: ['error', 'timeout'], tries: 0, timeout: 0 }),
    limitReq: f.opt('limitReq', parseLimitReq, null),
    overhead: f.opt('overhead', (v, a) => parseDist(v, a, baseDir), { kind: 'constant', value: 0 } as Dist),
  };
}

function parseNextUpstream(value: unknown, at: Where): LoadBalancerConfig['nextUpstream'] {
  const f = new Fields(value, at, ['on', 'tries', 'timeout'], 'a mapping like { on: [error, timeout], tries: 3, timeout: 10s }');
  const on = f.opt('on', (v, a): NextUpstreamCondition[] => {
    if (v === 'off') return [];
    return [...new Set(list(oneOf(NEXT_UPSTREAM_ON), 0, `off or a list of ${NEXT_UPSTREAM_ON.join(', ')}`)(v, a))];
  }, ['error', 'timeout'] as NextUpstreamCondition[]);
  return { on, tries: f.opt('tries', integer(0), 0), timeout: f.opt('timeout', parseDuration, 0) };
}

function parseLimitReq(value: unknown, at: Where): LimitReqConfig {
  const f = new Fields(value, at, ['rate', 'burst', 'nodelay', 'delay', 'key'], 'a mapping like { rate: 100r/s, burst: 20 }');
  const rate = f.req('rate', parseRate);
  if (rate <= 0) fail(f.where('rate'), 'a rate greater than 0, like "10r/s"', f.raw.rate);
  const burst = f.opt('burst', integer(0), 0);
  const nodelay = f.opt('nodelay', boolean, false);
  if (nodelay && f.has('delay')) fail(f.where('delay'), 'no delay together with nodelay: true (nginx takes one or the other)', f.raw.delay);
  const delay = nodelay ? burst : f.opt('delay', integer(0), 0);
  return { rate, burst, nodelay, delay, key: f.opt('key', oneOf(['client', 'global'] as const), 'client') };
}

function parsePool(name: string, raw: unknown, at: Where, baseDir: string, zones: string[]): PoolConfig {
  const f = new Fields(raw, at, POOL_KEYS, 'a pool', otherKindNote('pool', LB_KEYS));
  const dist = (v: unknown, a: Where): Dist => parseDist(v, a, baseDir);
  const sizing = poolSizing(f);
  const memoryRequest = f.opt('memoryRequest', parseBytes, sizing.memoryRequest);
  const memory = f.opt('memory', (v, a) => {
    const m = new Fields(v, a, ['base', 'perRequest', 'perQueued'], 'a mapping like { base: 120Mi, perRequest: 2Mi, perQueued: 64Ki }');
    return {
      base: m.opt('base', parseBytes, Math.round(0.3 * memoryRequest)),
      perRequest: m.opt('perRequest', parseBytes, MIB),
      perQueued: m.opt('perQueued', parseBytes, 64 * 1024),
    };
  }, { base: Math.round(0.3 * memoryRequest), perRequest: MIB, perQueued: 64 * 1024 });
  const cpuMillicores = (v: unknown, a: Where) => {
    const m = parseCpu(v, a);
    if (m <= 0) fail(a, `${EXPECTED.cpu} greater than 0`, v);
    return m;
  };
  const cpuRequest = f.opt('cpuRequest', cpuMillicores, sizing.cpuRequest);
  const cpuLimit = f.opt('cpuLimit', (v, a) => {
    const m = cpuMillicores(v, a);
    if (m < cpuRequest) fail(a, `${EXPECTED.cpu} not below cpuRequest (${cpuRequest}m)`, v);
    return m;
  }, cpuRequest);
  const autoscaling = f.opt('autoscaling', (v, a) => parseAutoscaling(v, a, baseDir), null);
  const { supervision, replicas } = parseSupervision(f, autoscaling, baseDir);
  // instances: the pool's own count, else the replicas its deploy manifest asks for
  const instances = f.has('instances') || replicas === null ? f.req('instances', integer(0)) : replicas;
  return {
    kind: 'pool',
    name,
    instances,
    workers: f.opt('workers', integer(1), sizing.workers),
    backlog: f.opt('backlog', (v, a) => {
      if (v === 'unlimited' || v === Infinity) return Infinity;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) fail(a, 'an integer ≥ 0 or "unlimited"', v);
      return v as number;
    }, Infinity),
    serviceTime: f.req('serviceTime', dist),
    timeout: f.opt('timeout', (v, a) => {
      if (v === 'none') return Infinity;
      if (typeof v === 'number' || typeof v === 'string') {
        const seconds = parseDuration(v, a);
        if (seconds > 0) return seconds;
      }
      return fail(a, 'a duration greater than 0, like "60s", or "none"', v);
    }, Infinity),
    bootTime: f.opt('bootTime', dist, { kind: 'constant', value: 0 }),
    readinessDelay: f.opt('readinessDelay', parseDuration, 0),
    drainTimeout: f.opt('drainTimeout', parseDuration, 30),
    pricePerHour: f.opt('pricePerHour', number({ min: 0 }), sizing.pricePerHour),
    cpuRequest,
    cpuLimit,
    memoryRequest,
    memory,
    next: f.opt('next', parseNext, []),
    calls: f.opt('calls', parseCalls, []),
    connections: f.opt('connections', parseConnections, {}),
    metrics: f.opt('metrics', (v, a) => {
      const m = new Fields(v, a, ['scrapeInterval', 'window'], 'a mapping like { scrapeInterval: 15s, window: 60s }');
      const scrapeInterval = m.opt('scrapeInterval', parsePositiveDuration, 15);
      const window = m.opt('window', parsePositiveDuration, 60);
      if (window < scrapeInterval) {
        fail(m.where('window'), `a duration ≥ scrapeInterval (${scrapeInterval}s)`, m.raw.window);
      }
      return { scrapeInterval, window };
    }, { scrapeInterval: 15, window: 60 }),
    autoscaling,
    zones: f.opt('zones', (v, a) => parsePoolZones(v, a, zones), zones),
    version: f.opt('version', string('a version label like "v1"'), 'v1'),
    supervision,
    // Present only when given, so that a scenario without them reads (and reports) as before.
    ...(sizing.type !== null ? { instanceType: sizing.type.name } : {}),
    ...(f.has('nodePool') ? { nodePool: f.req('nodePool', string('a node pool name, or "none"')) } : {}),
    ...(f.has('cpuPerWorker') ? { cpuPerWorker: f.req('cpuPerWorker', parseCpuPerWorker) } : {}),
  };
}

/**
 * A policy inline (an HPA manifest, an AWS set, orchestrator settings), or `{ file: PATH }` naming
 * one kept beside the scenario — the very file a team applies in production. Errors in a policy
 * file name that file and the path inside it.
 */
function parseAutoscaling(value: unknown, at: Where, baseDir: string): PolicyConfig {
  if (!(isMapping(value) && Object.keys(value).length === 1 && 'file' in value)) return policyAt(value, at);
  const rel = value.file;
  if (typeof rel !== 'string' || rel === '') fail(child(at, 'file'), 'a path relative to the scenario file', rel);
  const file = path.isAbsolute(rel as string) ? (rel as string) : path.join(baseDir, rel as string);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    fail(child(at, 'file'), `a readable policy file relative to the scenario (${code}: ${file})`, rel);
  }
  return parsePolicyText(text!, file);
}

/** A policy file's text (YAML, or JSON by its extension) as a policy; errors name the file, line and path inside it. */
export function parsePolicyText(text: string, file: string): PolicyConfig {
  const raw = path.extname(file).toLowerCase() === '.json' ? parseJsonText(text, file) : parseYamlText(text, file);
  return policyAt(raw, { file, path: '' });
}

/** The decision engine's parser, its errors placed at `where` (a scenario field, or a policy file's root). */
function policyAt(raw: unknown, where: Where): PolicyConfig {
  try {
    return parsePolicy(raw);
  } catch (err) {
    if (!(err instanceof PolicyError)) throw err;
    const sub = err.path === '' || err.path === '(root)' ? '' : err.path.startsWith('[') ? err.path : `.${err.path}`;
    const p = where.path + sub;
    throw new ScenarioError(where.file, p.startsWith('.') ? p.slice(1) : p, err.expected, undefined, { gotText: err.got });
  }
}
