// Bad data-tier topology is one clear error naming the field: unknown names with a did-you-mean,
// the wrong kind where a pool is needed, a consumer pool with a request timeout, a cache cycle,
// hitRatio and lru together, sizes out of range.
import t from 'tap';
import { parseScenario } from '../../src/scenario/index.ts';

const base = () => ({
  duration: 60, traffic: { rate: 1 },
  components: {
    redis: { kind: 'cache', backend: 'db', hitRatio: 0.8 } as Record<string, unknown>,
    db: { kind: 'pool', instances: 1, serviceTime: '5ms' } as Record<string, unknown>,
    jobs: { kind: 'queue', consumers: 'workers' } as Record<string, unknown>,
    workers: { kind: 'pool', instances: 1, serviceTime: '50ms' } as Record<string, unknown>,
  },
});
const message = (change: (s: ReturnType<typeof base>) => void) => {
  const s = base();
  change(s);
  try { parseScenario(s, 'x.yaml', '.'); return 'accepted'; } catch (e) { return (e as Error).message; }
};

t.test('data kinds: errors name the file and the field', async (t) => {
  t.equal(message(() => {}), 'accepted');
  t.equal(message((s) => (s.components.redis.backend = 'dbb')), 'x.yaml: components.redis.backend: expected the name of a component (did you mean "db"?), got "dbb"');
  t.equal(message((s) => (s.components.jobs.consumers = 'redis')), 'x.yaml: components.jobs.consumers: expected the name of a pool ("redis" is a cache), got "redis"');
  t.equal(message((s) => (s.components.workers.timeout = '30s')), 'x.yaml: components.jobs.consumers: expected a pool without a request timeout ("workers" has timeout 30 s; a consumer answers no client — remove it), got "workers"');
  t.equal(message((s) => (s.components.db.next = 'redis')), 'x.yaml: components.db.next: expected a component that does not lead back in a cycle (redis → db → redis), got "redis"');
  t.equal(message((s) => (s.components.redis.lru = { size: 10, keys: 100, zipf: 1 })), 'x.yaml: components.redis: expected exactly one of hitRatio (a fixed hit ratio) or lru (hits from an LRU over Zipf keys), got {"kind":"cache","backend":"db","hitRatio":0.8,"lru":{"size"…');
  t.equal(message((s) => { delete s.components.redis.hitRatio; s.components.redis.lru = { size: 1000, keys: 100, zipf: 1 }; }), 'x.yaml: components.redis.lru.size: expected entries per shard ≤ keys (100), got 1000');
  t.equal(message((s) => (s.components.redis.hitRatio = 1.5)), 'x.yaml: components.redis.hitRatio: expected a percentage like "70%" (a bare number is a fraction in [0, 1]), got 1.5');
  t.equal(message((s) => (s.components.jobs.capacty = 10)), 'x.yaml: components.jobs.capacty: unknown key; did you mean "capacity"?');
  t.equal(message((s) => (s.components.redis.kind = 'cach')), 'x.yaml: components.redis.kind: expected one of loadBalancer, pool, database, cache, queue, cdn (did you mean "cache"?), got "cach"');
});
