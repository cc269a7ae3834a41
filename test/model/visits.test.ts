// The components a request visits (src/model/visits.ts), which the work estimate prices: by hand on
// the guide's whole stack, and against what the simulator does — the arrivals every component
// counts, per request that entered, over replications (a 99.9 % t interval).
import t from 'tap';
import { loadScenario, parseScenario } from '../../src/scenario/index.ts';
import { runScenario } from '../../src/model/index.ts';
import { visitsPerRequest } from '../../src/model/visits.ts';

t.test('saler-full by hand', async (t) => {
  // nginx → web → api → redis → (every lookup counted as a miss: LRU) app → db → its pool:
  // app 3, redis 4, api 5, web 6, nginx 7. static: the edge answers 95 % (1 + 0.05 × 7); page: the
  // edge answers none (1 + 7); order: the queue, its consumers, the database and its pool (4).
  const want = 0.5 * (1 + 0.05 * 7) + 0.47 * (1 + 7) + 0.03 * 4;
  t.equal(visitsPerRequest(loadScenario('scenarios/saler-full.yaml')).toFixed(6), want.toFixed(6));
});

t.test('what the simulator does: every branch by its probability', async (t) => {
  const raw = (seed: number) => ({
    name: 'visits', seed, duration: '20m', sampleInterval: '1m',
    traffic: { rate: 20, mix: [{ name: 'a', weight: 3, entry: 'edge' }, { name: 'b', weight: 1, entry: 'lb' }, { name: 'c', weight: 1, entry: 'q' }] },
    components: {
      edge: { kind: 'cdn', origin: 'lb', edge: { default: '20%', classes: { a: '60%' } }, edgeTime: '5ms' },
      lb: { kind: 'loadBalancer', upstream: 'web' },
      web: {
        kind: 'pool', instances: 4, workers: 8, serviceTime: '5ms',
        next: [{ to: 'cache', p: 0.5 }],
        calls: [{ to: 'api', p: 0.3, classes: ['b'] }],
      },
      cache: { kind: 'cache', backend: 'api', hitRatio: '75%', opTime: '1ms', workers: 4 },
      api: { kind: 'pool', instances: 4, workers: 8, serviceTime: '5ms' },
      q: { kind: 'queue', consumers: 'jobs', enqueueTime: '1ms' },
      jobs: { kind: 'pool', instances: 2, workers: 8, serviceTime: '5ms' },
    },
  });
  const want = visitsPerRequest(parseScenario(raw(1), 'visits.yaml', '.'));
  // a: 1 + 0.4 × lb; b: lb; c: q (1 + jobs 1) = 2. lb = 1 + web; web = 1 + 0.5 × cache + (b: 0.3 × api);
  // cache = 1 + 0.25 × api = 1.25. web(a) = 1.625, web(b) = 1.925; lb(a) = 2.625, lb(b) = 2.925.
  t.equal(want.toFixed(6), ((3 * (1 + 0.4 * 2.625) + 2.925 + 2) / 5).toFixed(6), 'by hand');
  const seen: number[] = [];
  for (let seed = 1; seed <= 10; seed++) {
    const s = runScenario(parseScenario(raw(seed), 'visits.yaml', '.')).summary;
    const visits = Object.values(s.components).reduce((n, c) => n + c.arrivals, 0);
    seen.push(visits / s.totals.arrivals);
  }
  const m = seen.reduce((a, b) => a + b, 0) / seen.length;
  const sd = Math.sqrt(seen.reduce((a, b) => a + (b - m) ** 2, 0) / (seen.length - 1));
  const half = 4.781 * sd / Math.sqrt(seen.length); // t(0.9995, 9 df)
  t.ok(Math.abs(m - want) <= half, `simulated ${m.toFixed(4)} ± ${half.toFixed(4)} visits per request, estimated ${want.toFixed(4)}`);
});
