// Conservation through the data tier, as a property: on random fleets with a CDN edge, a balancer,
// a cache (fixed or LRU, sharded, restarted, with maxclients) whose misses call a database through
// a balancer that times out and retries, and a bounded queue drained by a consumer pool that scales
// in (killing consumers mid-message), with faults (instances killed or crashed, 5xx answers) on the
// called database and on the consumers: every request that arrived completed, failed or is in flight;
// L = λW; and the live request slots are exactly the requests in flight plus the messages the queue
// still holds (waiting or on a consumer).
import t from 'tap';
import fc from 'fast-check';
import { parseScenario } from '../../src/scenario/index.ts';
import { Simulation } from '../../src/model/index.ts';
import { summarise } from '../../src/model/summary.ts';
import { ERROR_CAUSES, errorTotal, type ErrorCause } from '../../src/stats/results.ts';
import type { CacheSummary, QueueSummary } from '../../src/stats/data-tier.ts';

const scenario = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  rate: fc.integer({ min: 5, max: 300 }),
  edge: fc.double({ min: 0, max: 0.9, noNaN: true }),
  lru: fc.boolean(),
  shards: fc.integer({ min: 1, max: 3 }),
  connections: fc.integer({ min: 1, max: 200 }),
  restart: fc.boolean(),
  dbWorkers: fc.integer({ min: 1, max: 8 }),
  dbTimeoutMs: fc.integer({ min: 20, max: 500 }),
  capacity: fc.integer({ min: 0, max: 50 }),
  consumers: fc.integer({ min: 1, max: 4 }),
  jobMs: fc.integer({ min: 10, max: 3000 }),
  // Faults where a caller waits (the database behind the cache) and where messages are held (the consumers).
  faults: fc.array(fc.oneof(
    fc.record({ at: fc.integer({ min: 1, max: 55 }), kill: fc.constantFrom('db', 'workers'), count: fc.integer({ min: 1, max: 2 }) }),
    fc.record({ at: fc.integer({ min: 1, max: 55 }), crash: fc.constantFrom('db', 'workers'), count: fc.integer({ min: 1, max: 2 }), for: fc.constantFrom('5s', '20s') }),
    fc.record({ at: fc.integer({ min: 1, max: 55 }), errors: fc.constantFrom('db', 'workers'), fraction: fc.constantFrom('10%', '50%'), status: fc.constantFrom(500, 503), for: fc.constant('10s') }),
  ), { maxLength: 3 }),
});

t.test('data tier: arrivals = completions + errors + in flight; live slots = in flight + messages held', async (t) => {
  let fills = 0, refused = 0, redelivered = 0, timeouts = 0;
  const causesSeen = new Set<ErrorCause>();
  fc.assert(
    fc.property(scenario, (p) => {
      const raw = {
        name: 'prop', seed: p.seed, duration: '60s', sampleInterval: '5s',
        faults: p.faults.map((f) => ({ ...f, at: `${f.at}s` })),
        traffic: { rate: p.rate, mix: [{ name: 'page', weight: 3, entry: 'edge' }, { name: 'order', weight: 1, entry: 'jobs' }] },
        components: {
          edge: { kind: 'cdn', origin: 'cache', edge: p.edge, edgeTime: '5ms' },
          cache: {
            kind: 'cache', backend: 'dblb', shards: p.shards, connections: p.connections, opTime: { dist: 'exponential', mean: '1ms' },
            ...(p.lru ? { lru: { size: 50, keys: 1000, zipf: 1, ttl: '5s' }, start: 'cold' } : { hitRatio: 0.5 }),
            ...(p.restart ? { restarts: ['30s'] } : {}),
          },
          dblb: { kind: 'loadBalancer', upstream: 'db', nextUpstream: { on: ['error', 'timeout'], tries: 2 } },
          db: { kind: 'pool', instances: 2, workers: p.dbWorkers, backlog: 20, serviceTime: { dist: 'exponential', mean: '20ms' }, timeout: `${p.dbTimeoutMs}ms` },
          jobs: { kind: 'queue', consumers: 'workers', capacity: p.capacity },
          workers: {
            kind: 'pool', instances: p.consumers, workers: 2, serviceTime: { dist: 'exponential', mean: `${p.jobMs}ms` }, drainTimeout: '100ms',
            autoscaling: {
              apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'w' },
              spec: { scaleTargetRef: { name: 'w' }, pollingInterval: 15, cooldownPeriod: 10, maxReplicaCount: 6,
                triggers: [{ type: 'rabbitmq', metadata: { queueName: 'jobs', host: 'amqp://r/', value: '3', mode: 'QueueLength' } }] },
            },
          },
        },
      };
      const run = new Simulation(parseScenario(raw, 'prop.yaml', '.')).run();
      const s = summarise(run);
      const q = s.components.jobs as QueueSummary, c = s.components.cache as CacheSummary;
      fills += c.fills; refused += q.rejected; redelivered += q.redelivered; timeouts += s.totals.errors.timeout;
      for (const comp of Object.values(s.components)) for (const k of ERROR_CAUSES) if (comp.errors[k] > 0) causesSeen.add(k);
      if (s.totals.arrivals !== s.totals.completions + errorTotal(s.totals.errors) + s.totals.inFlight) return false;
      const L = s.totals.meanInSystem, lw = s.totals.offeredRate * s.totals.meanResponse;
      if (Math.abs(L - lw) > 1e-9 * Math.max(1, L)) return false;
      let live = 0;
      const req = run.requests;
      for (let i = 0; i < req.capacity; i++) if (req.state[i] >= 1 && req.state[i] <= 3) live++;
      if (live !== s.totals.inFlight + q.atEnd.waiting + q.atEnd.onWorkers) return false;
      if (q.enqueued !== q.consumed + q.atEnd.waiting + q.atEnd.onWorkers) return false; // no message lost
      return true;
    }),
    { numRuns: 60, seed: 7 },
  );
  t.pass('conservation held on 60 random data-tier scenarios');
  t.ok(fills > 0 && refused > 0 && redelivered > 0 && timeouts > 0, `reached fills (${fills}), queueFull (${refused}), redeliveries (${redelivered}), timeouts (${timeouts})`);
  // Both the data tier's cause and the faults' were produced somewhere in the fleet.
  for (const k of ['queueFull', 'killed', 'refused', 'serverError'] as const) t.ok(causesSeen.has(k), `some component failed requests with ${k}`);
});
