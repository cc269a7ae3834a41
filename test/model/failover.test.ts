// A database failover (issue 11: "failover restores writes after the configured time"): writes
// fail from the fault until detection + promotion, then the primary serves again on a promoted
// replica (one fewer), while reads on the replicas go on.
import t from 'tap';
import { parseScenario } from '../../src/scenario/index.ts';
import { runScenario } from '../../src/model/index.ts';
import { messageOf } from '../scenario/helpers.ts';
import type { DatabaseSummary, PoolSummary, RunSummary, SeriesRow } from '../../src/stats/results.ts';

const AT = 100;

function scenario(failover: Record<string, unknown>, db: Record<string, unknown> = {}) {
  return parseScenario({
    name: 'failover', seed: 3, duration: '300s', sampleInterval: '5s',
    traffic: { rate: 100, clients: 1000, mix: [{ name: 'read', weight: 80 }, { name: 'write', weight: 20 }] },
    components: {
      app: {
        kind: 'pool', instances: 2, workers: 200, serviceTime: '1ms',
        calls: [{ to: 'db' }], connections: { db: { size: 20, acquireTimeout: '1s' } },
      },
      db: { kind: 'database', primary: { workers: 20, serviceTime: '2ms' }, replicas: { instances: 2 }, writes: ['write'], ...db },
    },
    faults: [{ at: `${AT}s`, failover: 'db', ...failover }],
  }, 'failover.yaml', '.');
}

const rowsOf = (rows: SeriesRow[], name: string) => rows.filter((r) => r.component === name);

for (const [detection, promotion] of [[30, 20], [10, 5]] as const) {
  t.test(`writes fail from the fault until detection ${detection} s + promotion ${promotion} s, then the primary serves again`, async (t) => {
    const back = AT + detection + promotion;
    const { summary: s, rows } = runScenario(scenario({ detection: `${detection}s`, promotion: `${promotion}s` }));
    const primary = rowsOf(rows, 'db/primary'), app = rowsOf(rows, 'app'), replicas = rowsOf(rows, 'db/replicas');
    // Writes are Poisson at 20/s: 100 per 5 s interval, so an interval without one is as good as impossible (e^-100).
    t.ok(primary.filter((r) => r.time <= AT).every((r) => r.throughput > 0), 'the primary serves the writes before the fault');
    t.ok(primary.filter((r) => r.time > AT && r.time <= back).every((r) => r.throughput === 0), `no query answered at the primary in (${AT}, ${back}] s`);
    t.ok(primary.filter((r) => r.time > back).every((r) => r.throughput > 0), `the primary answers writes in every interval after ${back} s`);
    // A write finds no connection (the primary's sessions closed and none open) and fails after acquireTimeout (1 s).
    const failing = app.filter((r) => r.time > AT + 1 && r.time <= back);
    t.ok(failing.every((r) => r.errors_connection_timeout > 0), 'writes fail with connectionTimeout during the failover');
    t.ok(app.filter((r) => r.time <= AT || r.time > back).every((r) => r.errors_connection_timeout === 0), 'and at no other time');
    const failed = failing.reduce((a, r) => a + r.errors_connection_timeout, 0);
    const writes = s.classes!.write.arrivals * (back - AT - 1) / 300;
    t.ok(Math.abs(failed - writes) < 5 * Math.sqrt(writes), `the failed ones are the writes of that window (${failed} of ≈${writes.toFixed(0)})`);
    t.ok(replicas.filter((r) => r.time > AT && r.time <= back).every((r) => r.throughput > 50), 'reads go on at the replicas');
    const d = s.components.db as DatabaseSummary;
    t.same(d.failovers, [{ at: AT, writesBackAt: back, promoted: 'db/replicas-0' }], 'the summary names the promoted replica and when writes came back');
    t.equal((s.components['db/replicas'] as PoolSummary).instances.final, 1, 'one replica fewer');
    t.ok((s.events ?? []).some((e) => e.component === 'db' && e.time === back && /promoted to primary/.test(e.detail)), 'the promotion is an event');
    t.equal(s.disruptions?.[0]?.kind, 'failover');
    t.equal(s.disruptions?.[0]?.target, 'db');
  });
}

t.test('the same seed gives the same results with a failover', async (t) => {
  const a = runScenario(scenario({ detection: '30s', promotion: '20s' }));
  const b = runScenario(scenario({ detection: '30s', promotion: '20s' }));
  t.equal(JSON.stringify(b.rows), JSON.stringify(a.rows));
});

t.test('bad failovers name the field', async (t) => {
  t.equal(messageOf(() => scenario({ detection: '30s', promotion: '20s', failover: 'dbb' })),
    'failover.yaml: faults[0].failover: expected the name of a database with replicas (did you mean "db"?), got "dbb"');
  t.equal(messageOf(() => scenario({ detection: '30s', promotion: '20s', failover: 'app' })),
    'failover.yaml: faults[0].failover: expected the name of a database with replicas ("app" is a pool), got "app"');
  t.equal(messageOf(() => scenario({ promotion: '20s' })),
    "failover.yaml: faults[0].detection: expected a duration: how long until the primary's loss is noticed, like \"30s\", got nothing");
  t.equal(messageOf(() => scenario({ detection: '30s', promotion: '20s', for: '1m' })),
    'failover.yaml: faults[0].for: expected nothing: a failover lasts its detection and promotion, got "1m"');
  t.equal(messageOf(() => scenario({ detection: '30s', promotion: '20s' }, { replicas: undefined })),
    'failover.yaml: faults[0].failover: expected the name of a database with replicas ("db" has no replicas to promote), got "db"');
});
