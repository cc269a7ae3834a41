// Naming the bottleneck per sample interval (src/model/bottleneck.ts): the utilisation every kind
// reports against a hand computation, a tandem whose slower stage must be named whichever order
// the file lists them in, a saturated pool behind nginx, and the tie rules.
import t from 'tap';
import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { parseScenario } from '../../src/scenario/index.ts';
import { runScenario } from '../../src/model/index.ts';
import { BottleneckTracker } from '../../src/model/bottleneck.ts';
import { formatSummary } from '../../src/cli/summary-table.ts';
import type { SeriesRow } from '../../src/stats/results.ts';

const rowsOf = (rows: SeriesRow[], name: string) => rows.filter((r) => r.component === name);

t.test('utilisation per interval = busy time / (workers × interval), against a hand computation', async (t) => {
  // One closed-model user: think 0.5 s, service 0.4 s, so the pool serves [0.5 + 0.9k, 0.9 + 0.9k]
  // for k = 0, 1, … — services cross the 1.5 s interval ends, so intervals differ.
  const think = 0.5, service = 0.4, interval = 1.5, duration = 9, workers = 2 * 3; // 2 instances × 3 workers
  const { rows } = runScenario(parseScenario({
    name: 'hand', seed: 1, duration: `${duration}s`, sampleInterval: `${interval}s`,
    traffic: { closed: { users: 1, thinkTime: `${think * 1000}ms` } },
    components: { app: { kind: 'pool', instances: 2, workers: 3, serviceTime: `${service * 1000}ms` } },
  }, 'hand.yaml', '.'));
  const app = rowsOf(rows, 'app');
  t.equal(app.length, duration / interval, 'one row per interval');
  app.forEach((r, i) => {
    const from = i * interval, to = from + interval;
    let busy = 0;
    for (let k = 0; think + (think + service) * k < to; k++) {
      const a = think + (think + service) * k, b = a + service;
      busy += Math.max(0, Math.min(b, to) - Math.max(a, from));
    }
    const expected = busy / (workers * interval);
    t.ok(Math.abs(r.utilisation! - expected) < 1e-9, `interval ending ${to} s: ${r.utilisation} = ${busy.toFixed(2)} s busy / (${workers} × ${interval} s) = ${expected}`);
  });
  t.not(app[0]!.utilisation, app[1]!.utilisation, 'per interval, not the run mean');
  t.same(rows.filter((r) => r.component === '_all').map((r) => r.bottleneck_util), app.map(() => 'app'), 'the only busy component is named in every interval');
});

/** A tandem web → api at 50 requests/s; `slow` is the stage with three times the service time. */
function tandem(slow: 'web' | 'api', order: Array<'web' | 'api'> = ['web', 'api']) {
  const stage = (name: 'web' | 'api') => ({
    kind: 'pool', instances: 2, workers: 4,
    serviceTime: { dist: 'exponential', mean: name === slow ? '120ms' : '40ms' }, // utilisation 0.75 vs 0.25
    ...(name === 'web' ? { next: 'api' } : {}),
  });
  return parseScenario({
    name: 'tandem', seed: 3, duration: '10m', sampleInterval: '30s',
    traffic: { rate: 50, mix: [{ name: 'all', weight: 1, entry: 'web' }] },
    components: Object.fromEntries(order.map((n) => [n, stage(n)])),
  }, 'tandem.yaml', '.');
}

for (const [slow, order] of [['api', ['web', 'api']], ['web', ['web', 'api']], ['api', ['api', 'web']]] as const) {
  t.test(`a two-stage tandem names its slower stage (${slow} slower, file order ${order.join(', ')})`, async (t) => {
    const { summary, rows } = runScenario(tandem(slow, [...order]));
    const b = summary.bottleneck!;
    const all = rowsOf(rows, '_all');
    t.equal(b.intervals, all.length, 'every interval judged');
    t.equal(b.busiest, slow, 'the run names the slower stage');
    t.equal(b.components[slow]!.busiest, b.intervals, 'in every interval');
    t.ok(all.every((r) => r.bottleneck_util === slow), 'the series column names it per interval');
    t.ok(Math.abs(b.components[slow]!.busiestUtilisation! - 0.75) < 0.05, `its utilisation while named: ${b.components[slow]!.busiestUtilisation} (λ·E[S]/c = 0.75)`);
    t.equal(b.longestQueue, slow, 'and the longest queue');
    const peak = Math.max(...rowsOf(rows, slow).map((r) => r.utilisation!));
    t.equal(b.components[slow]!.peakUtilisation, peak, 'peak utilisation is its highest interval');
    t.equal(rowsOf(rows, slow).find((r) => r.utilisation === peak)!.time, b.components[slow]!.peakUtilisationAt, '… at that interval');
  });
}

t.test('a saturated pool behind nginx: named busiest with the longest queue; the balancer has no capacity to name', async (t) => {
  const { summary, rows } = runScenario(parseScenario({
    name: 'saturated', seed: 8, duration: '10m', sampleInterval: '30s',
    traffic: { rate: 120 }, // capacity 2 × 4 / 100 ms = 80/s
    components: {
      nginx: { kind: 'loadBalancer', upstream: 'app', maxFails: 0 },
      app: { kind: 'pool', instances: 2, workers: 4, backlog: 50, serviceTime: { dist: 'exponential', mean: '100ms' } },
    },
  }, 'saturated.yaml', '.'));
  const b = summary.bottleneck!;
  t.equal(b.busiest, 'app');
  t.equal(b.longestQueue, 'app');
  t.equal(b.components.app!.busiest, b.intervals, 'busiest in every interval');
  t.ok(b.components.app!.busiestUtilisation! > 0.98, `saturated: ${b.components.app!.busiestUtilisation}`);
  t.ok(b.components.app!.peakQueue > 80, `its backlogs fill (2 × 50): peak ${b.components.app!.peakQueue}`);
  t.notOk('nginx' in b.components, 'a balancer reports no utilisation and no queue');
  t.ok(rowsOf(rows, 'nginx').every((r) => r.utilisation === null), 'nginx rows: utilisation null');
  t.ok(summary.totals.errors.backlogFull > 0, 'the overflow is refused');
  const text = formatSummary(summary);
  t.match(text, /bottleneck +app: highest utilisation in 20 of 20 intervals/, 'the terminal names it');
  t.match(text, /longest queue app/, 'and its queue');
});

t.test('ties: saturated components read 1, the longer queue decides; idle intervals name none', async (t) => {
  const row = (component: string, utilisation: number | null, queue_mean: number) => ({ component, utilisation, queue_mean }) as SeriesRow;
  const tr = new BottleneckTracker();
  const all = () => ({ component: '_all' }) as SeriesRow;
  const r1 = all(), r2 = all(), r3 = all(), r4 = all();
  tr.observe(1, [row('a', 1, 3), row('b', 1, 40), row('c', null, 0)], r1);
  tr.observe(2, [row('a', 1, 40), row('b', 1, 3), row('c', null, 0)], r2);
  tr.observe(3, [row('a', 0, 0), row('b', 0, 0), row('c', null, 0)], r3);
  tr.observe(4, [row('a', 0.5, 2), row('b', 0.5, 2), row('c', null, 9)], r4);
  t.same([r1.bottleneck_util, r1.bottleneck_queue], ['b', 'b'], 'both saturated: the one with the longer queue');
  t.same([r2.bottleneck_util, r2.bottleneck_queue], ['a', 'a'], 'whatever the file order');
  t.same([r3.bottleneck_util, r3.bottleneck_queue], [null, null], 'nothing busy, nothing waiting: none');
  t.same([r4.bottleneck_util, r4.bottleneck_queue], ['a', 'c'], 'a full tie goes to file order; a kind without utilisation can still hold the longest queue');
  const s = tr.summary();
  t.same(s.components.c, {
    busiest: 0, busiestUtilisation: null, longestQueue: 1, peakUtilisation: null, peakUtilisationAt: null, peakQueue: 9, peakQueueAt: 4,
  });
  t.same([s.intervals, s.components.a!.busiest, s.components.b!.busiest, s.busiest], [4, 2, 1, 'a']);
});

t.test('a connection pool is a queue of its own: its waiters per interval against a hand computation', async (t) => {
  // Three users arrive together at 10 s; the app's own work takes 1 ms, then each request needs the
  // instance's one connection for a 1 s query: one gets it at 10.001, two wait until 11.001, one
  // until 12.001. The next round (at 21 s) is past the run's end.
  const { summary, rows } = runScenario(parseScenario({
    name: 'one-connection', seed: 1, duration: '14s', sampleInterval: '500ms',
    traffic: { closed: { users: 3, thinkTime: '10s' } },
    components: {
      app: { kind: 'pool', instances: 1, workers: 3, serviceTime: '1ms', calls: [{ to: 'db', query: 'read' }], connections: { db: { size: 1, acquireTimeout: '30s' } } },
      db: { kind: 'database', primary: { workers: 1, maxConnections: 10, serviceTime: '1s' } },
    },
  }, 'one-connection.yaml', '.'));
  const waitingAt = (x: number) => (x >= 10.001 && x < 11.001 ? 2 : x >= 11.001 && x < 12.001 ? 1 : 0);
  const pool = rowsOf(rows, 'app/db-pool');
  t.equal(pool.length, 28, 'a row per interval');
  pool.forEach((r) => {
    const from = r.time - 0.5;
    // ∫ waiting over (from, r.time] / 0.5, the piecewise-constant function integrated exactly
    const edges = [from, 10.001, 11.001, 12.001, r.time].filter((x) => x >= from && x <= r.time).sort((a, b) => a - b);
    let area = 0;
    for (let k = 0; k + 1 < edges.length; k++) area += waitingAt(edges[k]!) * (edges[k + 1]! - edges[k]!);
    t.ok(Math.abs(r.queue_mean - area / 0.5) < 1e-9, `interval ending ${r.time} s: ${r.queue_mean} waiting = ${area / 0.5}`);
  });
  t.same(pool.filter((r) => r.time > 10.001 && r.time <= 13).map((r) => r.utilisation), pool.filter((r) => r.time > 10.001 && r.time <= 13).map(() => 1), 'its one connection in use throughout the queries');
  const b = summary.bottleneck!;
  t.equal(b.longestQueue, 'app/db-pool', 'the longest queue is the connection pool');
  t.equal(b.busiest, 'db/primary', 'the busiest is the database: the app\'s workers only wait on it');
  t.equal(b.components['app/db-pool']!.busiest, 0, 'a connection pool is never the busiest (it only waits on the database)');
  const app = rowsOf(rows, 'app').find((r) => r.time === 10.5)!;
  // (10, 10.5]: three workers busy from 10 s, working until 10.001 s, then waiting on the query or the connection
  t.ok(Math.abs(app.waiting_share! - (3 * 0.499) / (3 * 0.5)) < 1e-9, `waiting share ${app.waiting_share} = 3 × 0.499 s / 3 × 0.5 s`);
});

t.test('app servers waiting on a saturated Postgres primary: the database is named, the connection pool holds the queue', async (t) => {
  const raw = YAML.parse(readFileSync('scenarios/data/app-db-saturated.yaml', 'utf8'));
  raw.duration = '16m';
  const { summary, rows } = runScenario(parseScenario(raw, 'scenarios/data/app-db-saturated.yaml', 'scenarios/data'));
  const after = rowsOf(rows, '_all').filter((r) => r.time > 11 * 60); // the doubled load from 10 min on
  t.ok(after.every((r) => r.bottleneck_util === 'db/primary'), 'busiest: db/primary in every interval of the overload');
  t.ok(after.every((r) => r.bottleneck_queue === 'app/db-pool'), 'longest queue: the app\'s connection pool');
  const app = rowsOf(rows, 'app').filter((r) => r.time > 11 * 60);
  t.ok(app.every((r) => r.utilisation! > 0.95 && r.waiting_share! > 0.9), 'while the app reads near 100 % busy, almost all of it waiting on calls');
  // before the peak the primary's own queue is the longest (60 of 96 intervals), after it the connection pool's
  t.match(formatSummary(summary), /bottleneck db\/primary: highest utilisation in 96 of 96 intervals .*; longest queue db\/primary in \d+ of 96 .*; also app\/db-pool \(\d+\)/);
});
