// Bad topology — calls, routes, databases and their connection pools — each with its exact message.
import t from 'tap';
import { parseScenario } from '../../src/scenario/index.ts';
import { messageOf } from './helpers.ts';

const F = 'scenarios/x.yaml';

/** nginx → web; web calls api and db; api is a pool; db a database with replicas. */
function stack(): Record<string, any> {
  return {
    duration: '1h',
    traffic: { rate: 10, mix: [{ name: 'page', weight: 3, entry: 'nginx' }, { name: 'checkout', weight: 1, entry: 'nginx' }] },
    components: {
      nginx: { kind: 'loadBalancer', upstream: 'web' },
      web: {
        kind: 'pool', instances: 3, workers: 16, serviceTime: '20ms',
        calls: [{ to: 'api', timeout: '1s' }, { parallel: [{ to: 'db', p: 0.6 }, { to: 'db', query: 'write', classes: ['checkout'] }] }],
        connections: { db: { size: 10 } },
      },
      api: { kind: 'pool', instances: 2, serviceTime: '5ms' },
      db: {
        kind: 'database', primary: { workers: 8, serviceTime: { read: '4ms', write: '9ms' } },
        replicas: { instances: 2, syncTime: '5m' }, writes: ['checkout'], readYourWrites: '2s',
      },
    },
  };
}
const parse = (s: Record<string, any>) => () => parseScenario(s, F, 'scenarios');
const withChange = (change: (s: Record<string, any>) => void) => {
  const s = stack();
  change(s);
  return messageOf(parse(s));
};

t.test('the stack itself loads: a database is its component and two pools', async (t) => {
  const sc = parseScenario(stack(), F, 'scenarios');
  t.same(sc.components.map((c) => `${c.name}:${c.kind}`), ['nginx:loadBalancer', 'web:pool', 'api:pool', 'db:database', 'db/primary:pool', 'db/replicas:pool']);
  const web = sc.components[1];
  if (web.kind !== 'pool') throw new Error('web');
  t.same(web.calls.map((s) => s.map((c) => c.to)), [['api'], ['db', 'db']]);
  t.same(web.connections, { db: { size: 10, acquireTimeout: 30 } }, "HikariCP's connection timeout by default");
  t.match(sc.components[4], { name: 'db/primary', instances: 1, workers: 8, serviceTime: { kind: 'constant', value: 0.004 } });
  t.match(sc.components[5], { name: 'db/replicas', instances: 2, workers: 8, readinessDelay: 300, serviceTime: { kind: 'constant', value: 0.004 } });
  t.match(sc.components[3], { maxConnections: { primary: 100, replica: 100 }, writeTime: { kind: 'constant' }, readYourWrites: 2 });
  const db = sc.components[3];
  if (db.kind === 'database' && db.writeTime.kind === 'constant') t.ok(Math.abs(db.writeTime.value - 0.009) < 1e-12, 'writes take 9 ms');
});

t.test('a call to an unknown component: did you mean', async (t) => {
  t.equal(
    withChange((s) => (s.components.web.calls[0].to = 'apl')),
    'scenarios/x.yaml: components.web.calls[0].to: expected the name of a component to call (did you mean "api"?), got "apl"',
  );
  t.equal(
    withChange((s) => (s.components.web.calls[1].parallel[0].to = 'dv')),
    'scenarios/x.yaml: components.web.calls[1].parallel[0].to: expected the name of a component to call (did you mean "db"?), got "dv"',
  );
  t.equal(
    withChange((s) => (s.components.api.next = 'db')),
    'scenarios/x.yaml: components.api.next: expected the name of a component ("db" is a database: it is reached through calls, whose pool holds the connections), got "db"',
  );
  t.equal(
    withChange((s) => (s.traffic.mix[0].entry = 'db')),
    'scenarios/x.yaml: traffic.mix[0].entry: expected the name of a component ("db" is a database: it is reached through calls, whose pool holds the connections), got "db"',
  );
  t.equal(
    withChange((s) => (s.components.web.calls[1].parallel[1].classes = ['chekout'])),
    'scenarios/x.yaml: components.web.calls[1].parallel[1].classes[0]: expected the name of a request class (did you mean "checkout"?), got "chekout"',
  );
  t.equal(
    withChange((s) => (s.components.db.writes = ['pages'])),
    'scenarios/x.yaml: components.db.writes[0]: expected the name of a request class (did you mean "page"?), got "pages"',
  );
  t.equal(
    withChange((s) => (s.components.web.connections = { dbb: { size: 5 } })),
    'scenarios/x.yaml: components.web.connections.dbb: expected the name of a database web calls (did you mean "db"?), got "dbb"',
  );
  t.equal(
    withChange((s) => (s.components.web.calls[0].query = 'read')),
    'scenarios/x.yaml: components.web.calls[0].query: expected no query kind: api is a pool, not a database, got "read"',
  );
  t.equal(
    withChange((s) => { s.components.web.calls[0] = { to: 'redis', query: 'read' }; s.components.redis = { kind: 'cache', backend: 'api', hitRatio: 0.8 }; }),
    'scenarios/x.yaml: components.web.calls[0].query: expected no query kind: redis is a cache, not a database, got "read"',
  );
});

t.test('a call cycle shows the cycle', async (t) => {
  t.equal(
    withChange((s) => (s.components.api.calls = [{ to: 'web' }])),
    'scenarios/x.yaml: components.api.calls[0].to: expected a call that does not lead back to its caller (a cycle: web → api → web), got "web"',
  );
  t.equal(
    withChange((s) => (s.components.web.calls[0].to = 'web')),
    'scenarios/x.yaml: components.web.calls[0].to: expected a call that does not lead back to its caller (a cycle: web → web), got "web"',
  );
  t.equal(
    withChange((s) => {
      s.components.auth = { kind: 'pool', instances: 1, serviceTime: '1ms', calls: [{ parallel: [{ to: 'db' }, { to: 'web' }] }] };
      s.components.api.calls = [{ to: 'auth' }];
    }),
    'scenarios/x.yaml: components.auth.calls[0].parallel[1].to: expected a call that does not lead back to its caller (a cycle: web → api → auth → web), got "web"',
  );
});

t.test('a call waits on the whole path from its callee: a cycle through routes, a balancer or a cache shows', async (t) => {
  t.equal(
    withChange((s) => (s.components.api.next = 'web')),
    'scenarios/x.yaml: components.web.calls[0].to: expected a call that does not lead back to its caller (a cycle: web → api → web), got "api"',
  );
  t.equal(
    withChange((s) => (s.components.web.calls[0].to = 'nginx')),
    'scenarios/x.yaml: components.web.calls[0].to: expected a call that does not lead back to its caller (a cycle: web → nginx → web), got "nginx"',
  );
  t.equal(
    withChange((s) => { s.components.web.calls[0].to = 'redis'; s.components.redis = { kind: 'cache', backend: 'api', hitRatio: 0.8 }; s.components.api.calls = [{ to: 'redis2' }]; s.components.redis2 = { kind: 'cache', backend: 'web', hitRatio: 0.5 }; }),
    'scenarios/x.yaml: components.api.calls[0].to: expected a call that does not lead back to its caller (a cycle: web → redis → api → redis2 → web), got "redis2"',
  );
});

t.test('a pool calls a cache, a queue, a balancer, a CDN edge or a pool with routes', async (t) => {
  const s = stack();
  s.components.web.calls = [{ to: 'redis' }, { to: 'jobs' }, { to: 'inner' }, { to: 'edge' }, { to: 'front' }];
  s.components.redis = { kind: 'cache', backend: 'api', hitRatio: 0.8 };
  s.components.jobs = { kind: 'queue', consumers: 'worker' };
  s.components.worker = { kind: 'pool', instances: 1, serviceTime: '50ms' };
  s.components.inner = { kind: 'loadBalancer', upstream: 'api' };
  s.components.edge = { kind: 'cdn', origin: 'api', edge: 0.5 };
  s.components.front = { kind: 'pool', instances: 1, serviceTime: '1ms', next: 'api' };
  delete s.components.web.connections;
  const web = parseScenario(s, F, 'scenarios').components.find((c) => c.name === 'web');
  t.same(web?.kind === 'pool' && web.calls.map((st) => st.map((c) => c.to)), [['redis'], ['jobs'], ['inner'], ['edge'], ['front']]);
});

t.test('a probability outside [0, 1]', async (t) => {
  t.equal(
    withChange((s) => (s.components.web.calls[1].parallel[0].p = 1.5)),
    'scenarios/x.yaml: components.web.calls[1].parallel[0].p: expected a probability in [0, 1], like 0.6 or "60%", got 1.5',
  );
  t.equal(
    withChange((s) => (s.components.web.calls[0].p = '120%')),
    'scenarios/x.yaml: components.web.calls[0].p: expected a probability in [0, 1], like 0.6 or "60%", got "120%"',
  );
  t.equal(
    withChange((s) => (s.components.web.calls[0].p = -0.1)),
    'scenarios/x.yaml: components.web.calls[0].p: expected a probability in [0, 1], like 0.6 or "60%", got -0.1',
  );
  t.equal(
    withChange((s) => (s.components.api.next = [{ to: 'nginx', p: 0.7 }, { to: 'web', p: 0.6 }])),
    'scenarios/x.yaml: components.api.next: expected routes whose probabilities add up to at most 1 (the rest leave the system), got a sum of 1.3',
  );
});

t.test('routing loops: a certain cycle, or a loop nothing leaves', async (t) => {
  const tandem = (s: Record<string, any>) => {
    s.components = {
      a: { kind: 'pool', instances: 1, serviceTime: '1ms', next: [{ to: 'b', p: 1 }] },
      b: { kind: 'pool', instances: 1, serviceTime: '1ms' },
    };
    s.traffic = { rate: 1 };
  };
  t.equal(
    withChange((s) => { tandem(s); s.components.b.next = [{ to: 'a', p: 1 }]; }),
    'scenarios/x.yaml: components.b.next[0].to: expected a component that does not lead back in a cycle (a → b → a), got "a"',
  );
  t.equal(
    withChange((s) => { tandem(s); s.components.b.next = [{ to: 'a', p: 0.5 }, { to: 'b', p: 0.5 }]; }),
    'scenarios/x.yaml: components.a.next: expected routes that let a request leave: from a no route ever does (a closed loop through a, b; let the probabilities add up to less than 1), got [{"to":"b","p":1}]',
  );
  t.equal(withChange((s) => { tandem(s); s.components.b.next = [{ to: 'a', p: 0.3 }]; }), 'did not throw', 'a loop left with probability 0.7 is fine (a Jackson network)');
});

t.test('connection pools larger than the database accepts (checked at the largest fleet)', async (t) => {
  t.equal(
    withChange((s) => (s.components.web.connections.db.size = 40)),
    'scenarios/x.yaml: components.web.connections.db.size: expected a pool size db accepts: at their largest fleet its callers would open web 3 × 40 = 120 sessions, over db\'s max_connections of 100 on the primary (Postgres refuses the rest: "too many clients"), got 40',
  );
  const hpa = {
    apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler',
    spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas: 3, maxReplicas: 12, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }] },
  };
  t.equal(
    withChange((s) => (s.components.web.autoscaling = hpa)),
    'scenarios/x.yaml: components.web.connections.db.size: expected a pool size db accepts: at their largest fleet its callers would open web 12 × 10 = 120 sessions, over db\'s max_connections of 100 on the primary (Postgres refuses the rest: "too many clients"), got 10',
    'the maximum of the autoscaling policy counts, not the initial fleet',
  );
  t.equal(withChange((s) => { s.components.web.autoscaling = hpa; s.components.db.primary.maxConnections = 120; }), 'did not throw', '12 × 10 fits 120');
  t.equal(
    withChange((s) => { s.components.db.primary.maxConnections = 200; s.components.db.replicas.maxConnections = 10; s.components.web.connections.db.size = 20; }),
    'scenarios/x.yaml: components.web.connections.db.size: expected a pool size db accepts: at their largest fleet its callers would open web 3 × 20 = 60 sessions, over db\'s max_connections of 20 on the 2 replicas (Postgres refuses the rest: "too many clients"), got 20',
  );
  t.equal(
    withChange((s) => { s.components.api.calls = [{ to: 'db' }]; s.components.api.connections = { db: { size: 40 } }; }),
    'scenarios/x.yaml: components.api.connections.db.size: expected a pool size db accepts: at their largest fleet its callers would open web 3 × 10 + api 2 × 40 = 110 sessions, over db\'s max_connections of 100 on the primary (Postgres refuses the rest: "too many clients"), got 40',
    'every caller counts; the largest is named',
  );
});

t.test('database fields', async (t) => {
  t.equal(
    withChange((s) => (s.components.db.primary = { serviceTime: '4ms' })),
    'scenarios/x.yaml: components.db.primary.workers: expected the queries the primary runs at once (an integer ≥ 1), got nothing',
  );
  t.equal(
    withChange((s) => delete s.components.db.replicas.instances),
    'scenarios/x.yaml: components.db.replicas.instances: expected the number of replicas at the start (an integer ≥ 0), got nothing',
  );
  t.equal(
    withChange((s) => (s.components.db.primary.maxConnection = 5)),
    'scenarios/x.yaml: components.db.primary.maxConnection: unknown key; did you mean "maxConnections"?',
  );
  t.equal(
    withChange((s) => (s.components.db.primary.serviceTime = { read: '4ms', write: 'slow' })),
    'scenarios/x.yaml: components.db.primary.serviceTime.write: expected a duration like "20ms", got "slow"',
  );
  t.equal(
    withChange((s) => (s.components.db.replicas.autoscaling = { file: 'nope.yaml' })),
    messageOf(parse({ ...stack(), components: { ...stack().components, db: { ...stack().components.db, replicas: { instances: 2, autoscaling: { file: 'nope.yaml' } } } } })),
    'a replicas policy file is read like a pool\'s',
  );
});
