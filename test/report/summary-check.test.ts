// report and compare read only what headroom wrote, in a format it reads (issue 8, point 6): a
// summary.json of another shape or version, or a timeseries.csv that does not belong to it, is
// refused with the file and the field, and nothing is written.
import t from 'tap';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkSummary } from '../../src/report/summary-check.ts';
import { loadRun, writeCompare, writeReport } from '../../src/report/files.ts';
import { writeSeriesCsv } from '../../src/report/series-csv.ts';
import { loadScenario, parseScenario } from '../../src/scenario/index.ts';
import { runScenario } from '../../src/model/index.ts';
import { RUN_SUMMARY_SCHEMA, SUMMARY_FORMAT } from '../../src/stats/results-schema.ts';
import { makeRun } from './fixture.ts';
import { thrownMessage } from '../thrown.ts';

const work = mkdtempSync(join(tmpdir(), 'headroom-summary-'));
t.teardown(() => rmSync(work, { recursive: true, force: true }));

const base = () => JSON.parse(JSON.stringify(makeRun().summary));

t.test('what headroom writes is accepted: a real run, the fixture, and additions a newer writer may make', async (t) => {
  const sc = parseScenario({
    duration: '10m', traffic: { rate: 20 }, slo: [{ metric: 'throughput', min: 10 }],
    components: { lb: { kind: 'loadBalancer', upstream: 'web' }, web: { kind: 'pool', instances: 2, serviceTime: '20ms' } },
  }, 'x.yaml', '.');
  const real = JSON.parse(JSON.stringify(runScenario(sc).summary));
  t.equal(real.format, SUMMARY_FORMAT);
  t.equal(thrownMessage(() => checkSummary('s.json', real)), 'accepted', 'a simulated run');
  t.equal(thrownMessage(() => checkSummary('s.json', base())), 'accepted', 'the report fixture');
  const measured = { ...base(), source: 'measured', bench: { target: '127.0.0.1', connections: 10 } };
  t.equal(thrownMessage(() => checkSummary('s.json', measured)), 'accepted', 'a measured run with a bench block');
  const older = base();
  delete older.format;
  t.equal(thrownMessage(() => checkSummary('s.json', older)), 'accepted', 'no format field: format 1');
  t.equal(RUN_SUMMARY_SCHEMA.$id, 'headroom/summary.json');
});

t.test('another shape or version: the file and the field', async (t) => {
  const cases: Array<[string, (s: any) => unknown, string]> = [
    ['not an object', () => [1, 2], 's.json: expected a headroom run summary (a JSON object), got [1,2]'],
    ['another tool', () => ({ hello: 1 }), 's.json: headroom: missing: not a summary.json written by headroom (it starts with the headroom version, like "headroom": "0.1.0")'],
    ['a newer format', (s) => ({ ...s, format: 2, headroom: '9.0.0' }), 's.json: format: expected summary format 1 (this is headroom 0.1.0), got 2 (written by headroom 9.0.0: re-render it with that version or newer)'],
    ['a field of the wrong type', (s) => ((s.totals.arrivals = 'many'), s), 's.json: totals.arrivals: expected a number, got "many"'],
    ['a missing section', (s) => (delete s.latency, s), 's.json: latency: missing (not a headroom run summary, or one of another version)'],
    ['a missing field deep down', (s) => (delete s.components.api.instances.max, s), 's.json: components.api.instances.max: missing (not a headroom run summary, or one of another version)'],
    ['an unknown component kind', (s) => ((s.components.api.kind = 'teapot'), s), 's.json: components.api.kind: expected one of "pool", "loadBalancer", "cache", "queue", "cdn", "database", got "teapot"'],
    ['a kind\'s own block checked', (s) => ((s.components.api.kind = 'cache'), s), 's.json: components.api.lookups: missing (not a headroom run summary, or one of another version)'],
    ['an SLO without a value', (s) => ((s.slo[0].value = null), s), 's.json: slo[0].value: expected a number, got null'],
    ['an error rate over 1', (s) => ((s.totals.errorRate = 3), s), 's.json: totals.errorRate: expected a number ≤ 1, got 3'],
    ['a zero duration', (s) => ((s.scenario.duration = 0), s), 's.json: scenario.duration: expected a number > 0, got 0'],
  ];
  for (const [label, change, message] of cases) t.equal(thrownMessage(() => checkSummary('s.json', change(base()))), message, label);
});

function runDir(name: string, summary: unknown, csv?: string): string {
  const dir = join(work, name);
  mkdirSync(dir);
  const { rows } = makeRun();
  writeFileSync(join(dir, 'summary.json'), JSON.stringify(summary));
  writeFileSync(join(dir, 'timeseries.csv'), csv ?? writeSeriesCsv(rows));
  return dir;
}

t.test('report and compare refuse before writing anything', async (t) => {
  const good = runDir('good', base());
  const bad = runDir('bad', { ...base(), totals: { ...base().totals, throughput: '412' } });
  await t.rejects(writeReport(bad), { message: `${join(bad, 'summary.json')}: totals.throughput: expected a number, got "412"` });
  t.strictSame(readdirSync(bad).sort(), ['summary.json', 'timeseries.csv'], 'no index.html');
  const out = join(work, 'cmp', 'c.html');
  await t.rejects(writeCompare([good, bad], out), { message: /bad\/summary\.json: totals\.throughput/ });
  t.notOk(existsSync(join(work, 'cmp')), 'no comparison, no folder for it');
});

t.test('a timeseries.csv that does not belong to its summary', async (t) => {
  const { rows } = makeRun();
  const changed = (i: number, change: Partial<(typeof rows)[number]>) => writeSeriesCsv(rows.map((r, k) => (k === i ? { ...r, ...change } : r)));
  t.equal(rows[1].component === rows[0].component, false, 'the fixture interleaves components');
  const stranger = runDir('stranger', base(), changed(1, { component: 'db' }));
  await t.rejects(loadRun(stranger), { message: `${join(stranger, 'timeseries.csv')}:3: component: expected _all or a component of summary.json (edge, api), got "db"` });
  const allRows = rows.map((r, i) => [r, i] as const).filter(([r]) => r.component === '_all');
  const backwards = runDir('backwards', base(), changed(allRows[1][1], { time: allRows[0][0].time }));
  await t.rejects(loadRun(backwards), {
    message: new RegExp(`timeseries\\.csv:${allRows[1][1] + 2}: time: expected a time after the previous row of _all and within the run \\(0 to 21600 s\\), got ${allRows[0][0].time}$`),
  });
  const late = runDir('late', base(), changed(0, { time: 99999 }));
  await t.rejects(loadRun(late), { message: /timeseries\.csv:2: time: .*got 99999$/ });
});

t.test('a run with faults and a release: events, disruptions, versions and the later causes are accepted', async (t) => {
  const sc = parseScenario({
    duration: '20m', sampleInterval: '10s', traffic: { rate: 40 }, zones: ['a', 'b'],
    slo: [{ metric: 'latency.p99', max: '200ms' }],
    components: {
      lb: { kind: 'loadBalancer', upstream: 'web' },
      web: { kind: 'pool', instances: 4, workers: 2, serviceTime: '20ms', restartPolicy: { condition: 'any', delay: '5s' } },
    },
    faults: [{ at: '3m', zoneOutage: 'a', for: '2m' }, { at: '8m', crash: 'web', count: 1 }],
    releases: [{ at: '11m', pool: 'web', version: 'v2', errorRate: '5%', canary: { steps: [{ weight: '50%', pause: '2m' }] } }],
  }, 'x.yaml', '.');
  const { summary, rows } = runScenario(sc);
  const s = JSON.parse(JSON.stringify(summary));
  t.ok(s.events.length > 0 && s.disruptions.length === 3, 'events and one disruption per fault and release');
  t.ok(s.components.web.versions.v2, 'per-version figures');
  t.ok(s.totals.errors.serverError > 0, 'a cause appended after the first four');
  t.ok(rows.some((r) => r.component === 'web@v2'), 'per-version series rows');
  t.equal(thrownMessage(() => checkSummary('s.json', s)), 'accepted');
  const dir = join(work, 'faults');
  mkdirSync(dir);
  writeFileSync(join(dir, 'summary.json'), JSON.stringify(s));
  writeFileSync(join(dir, 'timeseries.csv'), writeSeriesCsv(rows));
  const loaded = await loadRun(dir);
  t.equal(loaded.rows.length, rows.length, 'its timeseries.csv belongs to it, web@v2 rows included');

  const older = JSON.parse(JSON.stringify(s));
  for (const e of [older.totals.errors, older.components.web.errors]) for (const c of ['killed', 'refused', 'serverError']) delete e[c];
  t.equal(checkSummary('s.json', older).totals.errors.serverError, 0, 'a file written before a cause existed reads it as 0');
  const cases: Array<[(x: any) => unknown, string]> = [
    [(x) => ((x.disruptions[0].recoveryTime = 'soon'), x), 's.json: disruptions[0].recoveryTime: expected a number or null, got "soon"'],
    [(x) => (delete x.events[0].kind, x), 's.json: events[0].kind: missing (not a headroom run summary, or one of another version)'],
    [(x) => ((x.components.web.versions.v2.errors.serverError = -1), x), 's.json: components.web.versions.v2.errors.serverError: expected a number ≥ 0, got -1'],
    [(x) => ((x.totals.errors.killed = 'x'), x), 's.json: totals.errors.killed: expected a number, got "x"'],
  ];
  for (const [change, message] of cases) t.equal(thrownMessage(() => checkSummary('s.json', change(JSON.parse(JSON.stringify(s))))), message);
});

t.test('the data tier (cache, queue, CDN, a KEDA-scaled pool) is accepted, and its blocks are checked', async (t) => {
  const sc = loadScenario('scenarios/data/cache-restart-and-queue.yaml', { set: ['duration=30m'] });
  const s = JSON.parse(JSON.stringify(runScenario(sc).summary));
  t.strictSame([...new Set(Object.values(s.components).map((c: any) => c.kind))].sort(), ['cache', 'cdn', 'pool', 'queue']);
  t.equal(thrownMessage(() => checkSummary('s.json', s)), 'accepted');
  const [cache] = Object.entries(s.components).find(([, c]: any) => c.kind === 'cache')!;
  s.components[cache].hitRatio = 7;
  t.equal(thrownMessage(() => checkSummary('s.json', s)), `s.json: components.${cache}.hitRatio: expected a number ≤ 1, got 7`);
});

t.test('calls, a database with replicas and its failover are accepted, and their blocks are checked', async (t) => {
  const sc = parseScenario({
    name: 'failover', seed: 3, duration: '300s', sampleInterval: '5s',
    traffic: { rate: 100, clients: 1000, mix: [{ name: 'read', weight: 80 }, { name: 'write', weight: 20 }] },
    components: {
      app: { kind: 'pool', instances: 2, workers: 200, serviceTime: '1ms', calls: [{ to: 'db' }], connections: { db: { size: 20, acquireTimeout: '1s' } } },
      db: { kind: 'database', primary: { workers: 20, serviceTime: '2ms' }, replicas: { instances: 2 }, writes: ['write'] },
    },
    faults: [{ at: '100s', failover: 'db', detection: '30s', promotion: '20s' }],
  }, 'failover.yaml', '.');
  const { summary, rows } = runScenario(sc);
  const s = JSON.parse(JSON.stringify(summary));
  t.equal(s.components.db.kind, 'database');
  t.ok(s.components.app.calls.to.db.connections, 'the caller\'s connection pool');
  t.equal(s.components.db.failovers.length, 1);
  t.ok(s.totals.errors.connectionTimeout > 0, 'a cause the calls work produces');
  t.equal(thrownMessage(() => checkSummary('s.json', s)), 'accepted');
  const dir = join(work, 'failover');
  mkdirSync(dir);
  writeFileSync(join(dir, 'summary.json'), JSON.stringify(s));
  writeFileSync(join(dir, 'timeseries.csv'), writeSeriesCsv(rows));
  t.equal((await loadRun(dir)).rows.length, rows.length, 'db/primary and db/replicas rows belong to it');
  const cases: Array<[(x: any) => unknown, string]> = [
    [(x) => ((x.components.db.failovers[0].promoted = 3), x), 's.json: components.db.failovers[0].promoted: expected a string or null, got 3'],
    [(x) => ((x.components.app.calls.waitingShare = 2), x), 's.json: components.app.calls.waitingShare: expected a number ≤ 1, got 2'],
    [(x) => (delete x.components.db.queries.staleReads, x), 's.json: components.db.queries.staleReads: missing (not a headroom run summary, or one of another version)'],
  ];
  for (const [change, message] of cases) t.equal(thrownMessage(() => checkSummary('s.json', change(JSON.parse(JSON.stringify(s))))), message);
});

t.test('a run on nodes: its summary and its cluster-wide `nodes` rows are accepted', async (t) => {
  const { summary, rows } = runScenario(loadScenario('scenarios/saler-spike-nodes.yaml', { set: ['duration=20m'] }));
  const s = JSON.parse(JSON.stringify(summary));
  t.ok(s.nodes, 'the summary has nodes');
  t.ok(rows.some((r) => r.component === 'nodes'), 'the series has the nodes row');
  const dir = join(work, 'nodes');
  mkdirSync(dir);
  writeFileSync(join(dir, 'summary.json'), JSON.stringify(s));
  writeFileSync(join(dir, 'timeseries.csv'), writeSeriesCsv(rows));
  t.equal((await loadRun(dir)).rows.length, rows.length);
});
