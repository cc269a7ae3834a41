// A database as people write it → the database component and its primary's and replicas' pools.
//
//   db:
//     kind: database
//     primary:  { workers: 16, maxConnections: 100, serviceTime: { read: 4ms, write: 9ms }, pricePerHour: 0.68 }
//     replicas: { instances: 2, syncTime: 5m, autoscaling: { … } }   # the primary's workers, limits and read time unless given
//     writes: [checkout]            # request classes whose queries are writes (a call's `query:` overrides)
//     replicationLag: { dist: exponential, mean: 80ms }
//     readYourWrites: 2s            # a client's reads go to the primary this long after its write (Rails' default delay)
//
// The primary and the replicas take a pool's settings (workers: queries a server runs at once;
// backlog, timeout = statement_timeout, bootTime, price, CPU, memory, metrics, autoscaling for the
// replicas) and their own: maxConnections (Postgres's max_connections, default 100), syncTime (a
// new replica serves only once restored and caught up: the pool's readiness delay).
import type { Dist } from '../sim/distribution-types.ts';
import type { ComponentConfig, DatabaseConfig, PoolConfig } from './types.ts';
import { child, fail, type Where } from './errors.ts';
import { Fields, integer, isMapping, list, string } from './fields.ts';
import { parseDist } from './dist.ts';
import { parseDuration } from './units.ts';

export const DATABASE_KEYS = ['kind', 'primary', 'replicas', 'writes', 'replicationLag', 'readYourWrites'] as const;
const SERVER_KEYS = ['workers', 'maxConnections', 'serviceTime', 'backlog', 'timeout', 'pricePerHour', 'cpuRequest', 'cpuLimit', 'memoryRequest', 'memory'];
export const PRIMARY_KEYS = [...SERVER_KEYS];
export const REPLICA_KEYS = [...SERVER_KEYS, 'instances', 'syncTime', 'bootTime', 'drainTimeout', 'metrics', 'autoscaling'];
/** Postgres's default max_connections. */
const MAX_CONNECTIONS = 100;

export type ParsePool = (name: string, raw: unknown, at: Where, baseDir: string) => PoolConfig;

export function parseDatabase(name: string, raw: unknown, at: Where, baseDir: string, parsePool: ParsePool): ComponentConfig[] {
  const f = new Fields(raw, at, DATABASE_KEYS, 'a database like { kind: database, primary: { workers: 16, serviceTime: 4ms } }');
  const dist = (v: unknown, a: Where): Dist => parseDist(v, a, baseDir);
  const p = server(`${name}/primary`, f.raw.primary, f.where('primary'), PRIMARY_KEYS, baseDir, parsePool, null);
  if (p === null) fail(f.where('primary'), 'a mapping like { workers: 16, maxConnections: 100, serviceTime: 4ms }', f.raw.primary);
  const r = f.has('replicas') ? server(`${name}/replicas`, f.raw.replicas, f.where('replicas'), REPLICA_KEYS, baseDir, parsePool, p) : null;
  const db: DatabaseConfig = {
    kind: 'database',
    name,
    primary: p!.pool.name,
    replicas: r?.pool.name ?? null,
    maxConnections: { primary: p!.maxConnections, replica: r?.maxConnections ?? p!.maxConnections },
    writeTime: p!.write,
    writes: f.opt('writes', list(string('a request class name'), 0, 'a list of request class names'), []),
    replicationLag: f.opt('replicationLag', dist, { kind: 'constant', value: 0 } as Dist),
    readYourWrites: f.opt('readYourWrites', (v, a) => (v === 'none' ? 0 : parseDuration(v, a)), 0),
  };
  return r ? [db, p!.pool, r.pool] : [db, p!.pool];
}

interface Server {
  pool: PoolConfig;
  maxConnections: number;
  write: Dist; // the primary's write time (replicas: unused)
}

/** One side as a pool: its own keys read here, the rest by the pool parser (errors keep their paths). */
function server(name: string, raw: unknown, at: Where, keys: string[], baseDir: string, parsePool: ParsePool, primary: Server | null): Server | null {
  if (!isMapping(raw)) return null;
  const what = primary ? 'replicas like { instances: 2, syncTime: 5m }' : 'a primary like { workers: 16, serviceTime: 4ms }';
  const f = new Fields(raw, at, keys, what);
  const maxConnections = f.opt('maxConnections', integer(1), primary?.maxConnections ?? MAX_CONNECTIONS);
  let read: Dist | null = null, write: Dist | null = null;
  const st = f.raw.serviceTime;
  if (isMapping(st) && !('dist' in st) && ('read' in st || 'write' in st)) {
    const s = new Fields(st, f.where('serviceTime'), primary ? ['read'] : ['read', 'write'], 'service times like { read: 4ms, write: 9ms }');
    read = s.req('read', (v, a) => parseDist(v, a, baseDir));
    write = primary ? null : s.req('write', (v, a) => parseDist(v, a, baseDir));
  } else if (f.has('serviceTime')) read = write = parseDist(st, f.where('serviceTime'), baseDir);
  else if (primary) read = primary.pool.serviceTime;
  else fail(f.where('serviceTime'), 'a service time per query, like 4ms or { read: 4ms, write: 9ms }', st);
  if (primary && !f.has('instances')) fail(f.where('instances'), 'the number of replicas at the start (an integer ≥ 0)', undefined);
  if (!primary && !f.has('workers')) fail(f.where('workers'), 'the queries the primary runs at once (an integer ≥ 1)', undefined);
  const syncTime = primary ? f.opt('syncTime', parseDuration, 0) : 0;
  const { maxConnections: _m, syncTime: _y, serviceTime: _s, ...rest } = raw as Record<string, unknown>;
  const pool = parsePool(name, {
    kind: 'pool',
    instances: 1, // the primary; replicas say how many
    workers: primary?.pool.workers,
    ...rest,
    serviceTime: 1, // replaced below: parsed above with its own paths
    readinessDelay: syncTime,
  }, at, baseDir);
  return { pool: { ...pool, serviceTime: read! }, maxConnections, write: write ?? read! };
}
