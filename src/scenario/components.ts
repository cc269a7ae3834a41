// The `components:` section: nginx load balancers and service pools, each validated by kind,
// and a pool's autoscaling policy (inline, or `{ file: PATH }` beside the scenario); the data
// tier's kinds (cache, queue, CDN) are read in data-kinds.ts, a database in database.ts, a pool's
// calls and routes in calls.ts, its supervision in deploy.ts.
import type { PolicyConfig } from '../autoscale/types.ts';
import { parseVpa } from '../autoscale/vpa-parse.ts';
import type { Dist } from '../sim/distribution-types.ts';
import { parseDist } from './dist.ts';
import { child, fail, type Where } from './errors.ts';
import { Fields, boolean, integer, isMapping, list, number, oneOf, string } from './fields.ts';
import { parseCalls, parseConnections, parseNext } from './calls.ts';
import { DATA_KINDS, DATA_KIND_KEYS, parseDataKind } from './data-kinds.ts';
import { DATABASE_KEYS, parseDatabase } from './database.ts';
import { parseSupervision } from './deploy.ts';
import { poolSizing } from './instance-type.ts';
import { parseCpuPerWorker } from './nodes.ts';
import { readReferencedFile } from './files.ts';
import { parsePoolZones } from './timeline.ts';
import { parsePolicyText, policyAt } from './text.ts';
import type {
  Balancing,
  ComponentConfig,
  LimitReqConfig,
  LoadBalancerConfig,
  NextUpstreamCondition,
  PoolConfig,
} from './types.ts';
import { EXPECTED, parseBytes, parseCpu, parseDuration, parsePositiveDuration, parseRate } from './units.ts';

export const LB_KEYS = [
  'kind', 'upstream', 'balancing', 'weights', 'maxFails', 'failTimeout', 'connectTimeout', 'nextUpstream', 'limitReq', 'overhead',
] as const;
export const POOL_KEYS = [
  'kind', 'instances', 'workers', 'backlog', 'serviceTime', 'timeout', 'bootTime', 'readinessDelay', 'drainTimeout',
  'pricePerHour', 'cpuRequest', 'cpuLimit', 'memoryRequest', 'memory', 'next', 'calls', 'connections', 'metrics', 'autoscaling',
  'zones', 'version', 'deploy', 'restartPolicy', 'healthCheck', 'replacement', 'instanceType', 'workersPerVcpu', 'nodePool', 'cpuPerWorker',
  'verticalAutoscaling',
] as const;
export const BALANCING: readonly Balancing[] = ['round_robin', 'least_conn', 'ip_hash', 'random_two_least_conn', 'random'];
export const NEXT_UPSTREAM_ON: readonly NextUpstreamCondition[] = ['error', 'timeout', 'http_500', 'http_502', 'http_503', 'http_504'];

const NAME_RE = /^[A-Za-z][A-Za-z0-9_-]*$/;
const MIB = 2 ** 20;

export function parseComponents(value: unknown, at: Where, baseDir: string, zones: string[]): ComponentConfig[] {
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
  if (kindRaw === 'database') return parseDatabase(name, raw, at, baseDir, (n, r, a, b) => parsePool(n, r, a, b, zones)); // database.ts
  return [parseDataKind(kindRaw as (typeof DATA_KINDS)[number], name, raw, at, baseDir)]; // cache, queue, cdn: data-kinds.ts
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
    connectTimeout: f.opt('connectTimeout', parsePositiveDuration, 60),
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
    ...(f.has('verticalAutoscaling') ? { vertical: f.req('verticalAutoscaling', (v, a) => parseAutoscaling(v, a, baseDir, parseVpa)) } : {}),
  };
}

/**
 * A policy inline (an HPA manifest, an AWS set, orchestrator settings), or `{ file: PATH }` naming
 * one kept beside the scenario — the very file a team applies in production. Errors in a policy
 * file name that file and the path inside it.
 */
function parseAutoscaling<T = PolicyConfig>(value: unknown, at: Where, baseDir: string, parse?: (raw: unknown) => T): T {
  if (!(isMapping(value) && Object.keys(value).length === 1 && 'file' in value)) return policyAt(value, at, parse);
  const { display, text } = readReferencedFile(value.file, child(at, 'file'), baseDir, 'policy');
  return parsePolicyText(text, display, parse);
}
