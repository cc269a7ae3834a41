// The data tier's component kinds in a scenario file: cache, queue, CDN edge. Same message quality
// as the rest of the loader: file, field path, what was expected, what was there, did-you-mean.
//
//   redis:  { kind: cache, backend: db, lru: { size: 50000, keys: 1000000, zipf: 0.9, ttl: 10m },
//             opTime: 0.3ms, shards: 3, workers: 1, connections: 10000, start: warm, restarts: [30m] }
//   redis:  { kind: cache, backend: db, hitRatio: 80% }
//   jobs:   { kind: queue, consumers: workers, capacity: 10000, enqueueTime: 2ms }
//   edge:   { kind: cdn, origin: nginx, edge: { default: 30%, classes: { static: 95% } }, edgeTime: 15ms,
//             pricePerRequest: 0.00000075 }
import type { Dist } from '../sim/distribution-types.ts';
import { parseDist } from './dist.ts';
import { child, fail, type Where } from './errors.ts';
import { Fields, boolean, didYouMean, integer, isMapping, list, number, oneOf, string } from './fields.ts';
import type { CacheConfig, CdnConfig, ComponentConfig, QueueConfig, RequestClass } from './types.ts';
import { parseDuration, parsePercent } from './units.ts';

export const DATA_KINDS = ['cache', 'queue', 'cdn'] as const;
export type DataKind = (typeof DATA_KINDS)[number];

export const CACHE_KEYS = [
  'kind', 'backend', 'next', 'hitRatio', 'lru', 'fill', 'start', 'restarts', 'opTime', 'shards', 'workers', 'connections', 'pricePerHour',
] as const;
export const QUEUE_KEYS = ['kind', 'consumers', 'capacity', 'enqueueTime', 'next', 'queueName'] as const;
export const CDN_KEYS = ['kind', 'origin', 'edge', 'edgeTime', 'pricePerRequest'] as const;
export const DATA_KIND_KEYS = [...new Set([...CACHE_KEYS, ...QUEUE_KEYS, ...CDN_KEYS])];

const unlimited = (what: string) => (v: unknown, a: Where): number => {
  if (v === 'unlimited' || v === Infinity) return Infinity;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) fail(a, `${what}: an integer ≥ 1 or "unlimited"`, v);
  return v as number;
};

export function parseDataKind(kind: DataKind, name: string, raw: unknown, at: Where, baseDir: string): ComponentConfig {
  const dist = (v: unknown, a: Where): Dist => parseDist(v, a, baseDir);
  switch (kind) {
    case 'cache': return parseCache(name, raw, at, dist);
    case 'queue': return parseQueue(name, raw, at, dist);
    case 'cdn': return parseCdn(name, raw, at, dist);
  }
}

function parseCache(name: string, raw: unknown, at: Where, dist: (v: unknown, a: Where) => Dist): CacheConfig {
  const f = new Fields(raw, at, CACHE_KEYS, 'a cache like { kind: cache, backend: db, hitRatio: 80% }');
  if (f.has('hitRatio') === f.has('lru')) fail(at, 'exactly one of hitRatio (a fixed hit ratio) or lru (hits from an LRU over Zipf keys)', f.raw);
  const lru = f.opt('lru', (v, a) => {
    const l = new Fields(v, a, ['size', 'keys', 'zipf', 'ttl'], 'a mapping like { size: 10000, keys: 1000000, zipf: 0.9, ttl: 10m }');
    const keys = l.req('keys', integer(1));
    const size = l.req('size', integer(0));
    if (size > keys) fail(l.where('size'), `entries per shard ≤ keys (${keys})`, size);
    return {
      size,
      keys,
      zipf: l.req('zipf', number({ above: 0, max: 20 })),
      ttl: l.opt('ttl', (t, w) => (t === 'none' ? Infinity : positiveDuration(t, w)), Infinity),
    };
  }, null);
  return {
    kind: 'cache',
    name,
    backend: f.req('backend', string('the name of the component a miss goes to')),
    next: f.opt('next', string('the name of a component'), null),
    hitRatio: f.opt('hitRatio', parsePercent, null),
    lru,
    fill: f.opt('fill', boolean, true),
    start: f.opt('start', oneOf(['warm', 'cold'] as const), 'warm'),
    restarts: f.opt('restarts', list(parseDuration, 0, 'a list of times like [30m, 2h]'), []),
    opTime: f.opt('opTime', dist, { kind: 'constant', value: 0.0002 }),
    shards: f.opt('shards', integer(1), 1),
    workers: f.opt('workers', integer(1), 1),
    connections: f.opt('connections', unlimited('operations a shard holds'), 10000),
    pricePerHour: f.opt('pricePerHour', number({ min: 0 }), 0),
  };
}

function positiveDuration(v: unknown, a: Where): number {
  const d = parseDuration(v, a);
  if (!(d > 0)) fail(a, 'a duration greater than 0, like "10m", or "none"', v);
  return d;
}

function parseQueue(name: string, raw: unknown, at: Where, dist: (v: unknown, a: Where) => Dist): QueueConfig {
  const f = new Fields(raw, at, QUEUE_KEYS, 'a queue like { kind: queue, consumers: workers, capacity: 10000 }');
  return {
    kind: 'queue',
    name,
    consumers: f.req('consumers', string('the name of the pool that consumes the messages')),
    capacity: f.opt('capacity', (v, a) => {
      if (v === 'unlimited' || v === Infinity) return Infinity;
      return integer(0)(v, a);
    }, Infinity),
    enqueueTime: f.opt('enqueueTime', dist, { kind: 'constant', value: 0.001 }),
    next: f.opt('next', string('the name of a component'), null),
    queueName: f.opt('queueName', string('the queue name KEDA and CloudWatch use'), name),
  };
}

function parseCdn(name: string, raw: unknown, at: Where, dist: (v: unknown, a: Where) => Dist): CdnConfig {
  const f = new Fields(raw, at, CDN_KEYS, 'a CDN edge like { kind: cdn, origin: nginx, edge: 80%, edgeTime: 15ms }');
  const edge = f.req('edge', (v, a) => {
    if (!isMapping(v)) return { default: parsePercent(v, a), classes: {} };
    const e = new Fields(v, a, ['default', 'classes'], 'a fraction like 80%, or { default: 30%, classes: { static: 95% } }');
    const classes: Record<string, number> = {};
    if (e.has('classes')) {
      const c = e.raw.classes;
      if (!isMapping(c)) fail(e.where('classes'), 'a mapping of request class names to fractions', c);
      for (const [k, x] of Object.entries(c as Record<string, unknown>)) classes[k] = parsePercent(x, child(e.where('classes'), k));
    }
    return { default: e.opt('default', parsePercent, 0), classes };
  });
  return {
    kind: 'cdn',
    name,
    origin: f.req('origin', string('the name of the component behind the edge')),
    edge,
    edgeByClass: [],
    edgeTime: f.opt('edgeTime', dist, { kind: 'constant', value: 0.01 }),
    pricePerRequest: f.opt('pricePerRequest', number({ min: 0 }), 0),
  };
}

export interface Ref { key: string; to: string; want: 'component' | 'pool'; follows: boolean }

/** The names a data kind refers to; `follows`: a request goes there (cycle check). */
export function dataKindRefs(c: ComponentConfig): Ref[] {
  switch (c.kind) {
    case 'cache': return [{ key: 'backend', to: c.backend, want: 'component', follows: true }];
    case 'queue': return [{ key: 'consumers', to: c.consumers, want: 'pool', follows: false }];
    case 'cdn': return [{ key: 'origin', to: c.origin, want: 'component', follows: true }];
    default: return [];
  }
}

/** A consumer pool takes messages, not client requests: it has no request timeout to answer within. */
export function checkConsumers(q: QueueConfig, components: ComponentConfig[], at: Where): void {
  const p = components.find((c) => c.name === q.consumers);
  if (p?.kind === 'pool' && p.timeout < Infinity) {
    fail(at, `a pool without a request timeout ("${p.name}" has timeout ${p.timeout} s; a consumer answers no client — remove it)`, q.consumers);
  }
}

/** A CDN's per-class fractions, in mix order; an unknown class name is an error with a did-you-mean. */
export function resolveEdgeClasses(components: ComponentConfig[], mix: RequestClass[], at: Where): void {
  const names = mix.map((m) => m.name);
  for (const c of components) {
    if (c.kind !== 'cdn') continue;
    for (const k of Object.keys(c.edge.classes)) {
      if (!names.includes(k)) {
        const hint = didYouMean(k, names);
        fail(child(child(child(child(at, c.name), 'edge'), 'classes'), k), `a request class of traffic.mix (${hint !== undefined ? `did you mean "${hint}"?` : `one of ${names.join(', ')}`})`, k);
      }
    }
    c.edgeByClass = names.map((n) => c.edge.classes[n] ?? c.edge.default);
  }
}
