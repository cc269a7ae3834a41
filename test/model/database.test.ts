// The database: where reads and writes go, read-your-writes and stale reads against the Poisson
// process that drives them, replicas that serve only once synced, and max_connections at run time.
import t from 'tap';
import { parseScenario } from '../../src/scenario/index.ts';
import { runScenario } from '../../src/model/index.ts';
import { ci95 } from '../../src/stats/confidence.ts';
import type { DatabaseSummary, PoolSummary, RunSummary, SeriesRow } from '../../src/stats/results.ts';

function run(raw: Record<string, unknown>, seed = 1): { summary: RunSummary; rows: SeriesRow[] } {
  return runScenario(parseScenario({ name: 'db', sampleInterval: '10s', ...raw, seed }, 'db.yaml', '.'));
}
const db = (s: RunSummary) => s.components.db as DatabaseSummary;
const pool = (s: RunSummary, name: string) => s.components[name] as PoolSummary;
const hpa = (min: number, max: number) => ({
  apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler',
  spec: { scaleTargetRef: { kind: 'Deployment', name: 'replicas' }, minReplicas: min, maxReplicas: max, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }] },
});

/** One client sending reads and writes (a tenth) as a Poisson process, each request one query. */
function oneClient(db: Record<string, unknown>, seed: number) {
  return run({
    duration: '1000s',
    traffic: { rate: 10, clients: 1, mix: [{ name: 'read', weight: 9 }, { name: 'write', weight: 1 }] },
    components: {
      app: { kind: 'pool', instances: 1, workers: 100, serviceTime: '0ms', calls: [{ to: 'db' }], connections: { db: { size: 50 } } },
      db: { kind: 'database', primary: { workers: 50, serviceTime: '1ms' }, replicas: { instances: 1 }, writes: ['write'], ...db },
    },
  }, seed).summary;
}

t.test('writes go to the primary, reads to the replicas', async (t) => {
  const s = oneClient({}, 1);
  t.equal(db(s).queries.writes, s.classes!.write.arrivals, 'one write per write request');
  t.equal(pool(s, 'db/primary').arrivals, db(s).queries.writes, 'the primary serves the writes only');
  t.equal(pool(s, 'db/replicas').arrivals, db(s).queries.reads, 'the replica serves every read');
});

t.test("read-your-writes: a client's reads within 2 s of its write go to the primary (1 − e^(−λw·2) of them)", async (t) => {
  // Writes are Poisson at λw = 1/s; by PASTA a read finds the last write less than 2 s ago with
  // probability 1 − e^{−2}.
  const theory = 1 - Math.exp(-2);
  const runs = Array.from({ length: 12 }, (_, i) => oneClient({ readYourWrites: '2s' }, 100 + i));
  const ci = ci95(runs.map((s) => db(s).queries.readYourWrites / db(s).queries.reads));
  t.ok(ci.low <= theory && theory <= ci.high, `theory ${theory.toFixed(4)} in CI [${ci.low.toFixed(4)}, ${ci.high.toFixed(4)}]`);
  t.ok(runs.every((s) => db(s).queries.staleReads === 0), 'no stale read without lag');
  t.ok(runs.every((s) => pool(s, 'db/primary').arrivals === db(s).queries.writes + db(s).queries.readYourWrites), 'the primary serves those reads');
});

t.test('replication lag: reads on a replica before the last write reached it are stale (1 − e^(−λw·lag))', async (t) => {
  const lag = 0.5, theory = 1 - Math.exp(-lag);
  const runs = Array.from({ length: 12 }, (_, i) => oneClient({ replicationLag: `${lag * 1000}ms` }, 200 + i));
  const ci = ci95(runs.map((s) => db(s).queries.staleReads / db(s).queries.reads));
  t.ok(ci.low <= theory && theory <= ci.high, `theory ${theory.toFixed(4)} in CI [${ci.low.toFixed(4)}, ${ci.high.toFixed(4)}]`);
  const both = oneClient({ replicationLag: '500ms', readYourWrites: '2s' }, 1);
  t.equal(db(both).queries.staleReads, 0, 'read-your-writes longer than the lag prevents stale reads');
});

t.test('replicas scale like a pool; a new one serves only after its sync time', async (t) => {
  // One replica and an HPA asking for two: the second is launched at the first sync (15 s) and
  // serves from 15 + 60 s on.
  const { summary: s, rows } = run({
    duration: '3m', sampleInterval: '5s',
    traffic: { rate: 50 },
    components: {
      app: { kind: 'pool', instances: 2, workers: 50, serviceTime: '1ms', calls: [{ to: 'db' }] },
      db: { kind: 'database', primary: { workers: 8, serviceTime: '2ms' }, replicas: { instances: 1, syncTime: '60s', autoscaling: hpa(2, 2) } },
    },
  });
  const r = rows.filter((x) => x.component === 'db/replicas');
  const at = (time: number) => r.find((x) => x.time === time)!;
  t.equal(at(10).instances_total, 1);
  t.equal(at(20).instances_total, 2, 'launched at the first sync');
  t.equal(at(70).instances_ready, 1, 'still syncing at 70 s');
  t.equal(at(80).instances_ready, 2, 'serving from 75 s');
  t.equal(s.scaling.filter((e) => e.pool === 'db/replicas').length, 1);
  t.equal(db(s).queries.readsOnPrimary, 0, 'a ready replica always took the reads');
});

t.test('max_connections at run time: a replica that joins later accepts only so many sessions ("too many clients")', async (t) => {
  // No replica at the start (nothing to check at load time); the Auto Scaling group's MinSize of 1
  // brings one at its first decision (60 s), ready at 70 s, which takes 5 sessions. The app's reader pool wants 10: 5 are refused; reads until
  // then went to the primary.
  const { summary: s } = run({
    duration: '3m',
    traffic: { rate: 20 },
    components: {
      app: { kind: 'pool', instances: 1, workers: 50, serviceTime: '1ms', calls: [{ to: 'db' }], connections: { db: { size: 10 } } },
      db: {
        kind: 'database', primary: { workers: 8, serviceTime: '2ms' },
        replicas: { instances: 0, syncTime: '10s', maxConnections: 5, autoscaling: { autoScalingGroup: { MinSize: 1, MaxSize: 1 }, policies: [], alarms: [] } },
      },
    },
  });
  t.same(db(s).sessions.replicas, { peak: 5, maxConnections: 5, refused: 5 });
  t.equal(pool(s, 'app').calls!.to.db.connections!.refused, 5, 'the caller counts the refusals too');
  t.ok(db(s).queries.readsOnPrimary > 0 && pool(s, 'db/replicas').arrivals > 0, 'reads on the primary first, then on the replica');
  t.equal(s.totals.errors.connectionTimeout, 0, 'five connections were enough for this load');
});
