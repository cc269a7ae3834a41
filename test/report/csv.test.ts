import t from 'tap';
import { ERROR_COLUMNS, FIRST_CAUSES, SERIES_COLUMNS, SERIES_OPTIONAL_COLUMNS, type SeriesRow } from '../../src/stats/results.ts';
import { SERIES_NAME_COLUMNS } from '../../src/stats/bottleneck.ts';
import { formatCsvNumber, parseCsv, readSeriesCsv, roundForCsv, writeSeriesCsv } from '../../src/report/series-csv.ts';
import { makeRun } from './fixture.ts';

t.test('round trip: readSeriesCsv(writeSeriesCsv(rows)) deep-equals rows, nulls included', async (t) => {
  const { rows } = makeRun({ duration: 3600, interval: 10, extraPools: 2 });
  t.ok(rows.some((r) => r.latency_p50 === null) && rows.some((r) => r.utilisation === null), 'fixture has nulls');
  const csv = writeSeriesCsv(rows);
  t.equal(csv.split('\n')[0], [...SERIES_COLUMNS, ...SERIES_OPTIONAL_COLUMNS, ...SERIES_NAME_COLUMNS, 'observed:cpu utilization', 'threshold:cpu utilization:target'].join(','),
    'header: SERIES_COLUMNS, the optional columns, the bottleneck names, then one column per policy figure');
  t.ok(rows.some((r) => r.bottleneck_util === 'api') && rows.some((r) => r.bottleneck_queue !== null), 'fixture names bottlenecks');
  t.ok(rows.some((r) => r.policy) && rows.some((r) => r.marked_down), 'fixture has policy figures and marked-down counts');
  const back = readSeriesCsv(csv);
  t.equal(back.length, rows.length);
  t.strictSame(back, rows);
  t.equal(writeSeriesCsv(back), csv, 'writing again gives the same bytes');
});

t.test('component names that need quoting survive', async (t) => {
  const base = makeRun({ duration: 60, interval: 10 }).rows[0]!;
  const names = ['a,b', 'say "hi"', 'multi\nline', ' padded ', 'crlf\r\nname', '', 'ünïcødé ✓', '=SUM(A1)'];
  const rows: SeriesRow[] = names.map((component, i) => ({ ...base, component, time: i * 10 }));
  const csv = writeSeriesCsv(rows);
  t.strictSame(readSeriesCsv(csv), rows);
  t.strictSame(readSeriesCsv(csv.replace(/\n/g, '\r\n')).map((r) => r.time), rows.map((r) => r.time), 'CRLF line ends read too');
});

t.test('numbers: no float noise, enough precision', async (t) => {
  t.equal(formatCsvNumber(0.1 + 0.2), '0.3');
  t.equal(formatCsvNumber(1234.5678901234), '1234.56789');
  t.equal(formatCsvNumber(86400), '86400');
  t.equal(formatCsvNumber(0.000012345678), '0.0000123457', 'small latencies keep 6 significant digits');
  t.equal(formatCsvNumber(-0.0000001), '-1e-7');
  t.equal(formatCsvNumber(2.5e-9), '2.5e-9');
  t.equal(formatCsvNumber(-1e-20 * 0), '0');
  for (const x of [0.1 + 0.2, 1 / 3, 12345.678912345, 1e-7 / 3, 0.999999999]) {
    t.equal(Number(formatCsvNumber(x)), roundForCsv(x));
    t.ok(Math.abs(roundForCsv(x) - x) <= Math.max(5e-7, Math.abs(x) * 5e-6), `${x} within precision`);
  }
});

t.test('parse errors name the line and the column', async (t) => {
  const { rows } = makeRun({ duration: 60, interval: 10 });
  const csv = writeSeriesCsv(rows);
  const lines = csv.split('\n');
  t.throws(() => readSeriesCsv(''), /empty file/);
  t.throws(() => readSeriesCsv('time,component\n1,a\n'), /line 1: header lacks column\(s\) offered/);
  const badNum = [...lines];
  badNum[2] = badNum[2]!.replace(/^(\d+),([^,]*),[^,]*,/, '$1,$2,abc,');
  t.throws(() => readSeriesCsv(badNum.join('\n')), /line 3: column offered: not a number: "abc"/);
  const emptyReq = [...lines];
  emptyReq[1] = emptyReq[1]!.replace(/^(\d+),([^,]*),[^,]*,/, '$1,$2,,');
  t.throws(() => readSeriesCsv(emptyReq.join('\n')), /line 2: column offered is empty/);
  t.throws(() => readSeriesCsv(`${lines[0]}\n1,2\n`), new RegExp(`line 2: 2 fields, header has ${lines[0]!.split(',').length}`));
  t.throws(() => parseCsv('a,"b\n'), /unterminated quoted field/);
});

t.test('policy figures: several per pool, any pool, values left out when the engine had none', async (t) => {
  const base = makeRun({ duration: 60, interval: 10 }).rows[0]!;
  const rows: SeriesRow[] = [
    { ...base, component: 'web', time: 10, wanted: 13, policy: {
      'observed:ASGAverageCPUUtilization Average 60s': 92.5,
      'threshold:ASGAverageCPUUtilization Average 60s:TargetTracking-p-AlarmHigh': 70,
      'threshold:ASGAverageCPUUtilization Average 60s:TargetTracking-p-AlarmLow': 63,
    } },
    { ...base, component: 'api', time: 10, wanted: 4, policy: { 'observed:cpu utilization': 76, 'threshold:cpu utilization:target': 70, 'threshold:pods rps:target': 100 } },
    { ...base, component: 'nginx', time: 10, marked_down: 41 },
  ];
  const csv = writeSeriesCsv(rows);
  t.equal(csv.split('\n')[0]!.split(',').length, SERIES_COLUMNS.length + SERIES_OPTIONAL_COLUMNS.length + SERIES_NAME_COLUMNS.length + 6, 'one column per distinct figure');
  t.strictSame(readSeriesCsv(csv), rows);
});

t.test('files written before the policy columns existed still read', async (t) => {
  const { rows } = makeRun({ duration: 120, interval: 10 });
  // the writer of earlier versions: SERIES_COLUMNS only
  const old = [SERIES_COLUMNS.join(','), ...rows.map((r) => SERIES_COLUMNS.map((c) => {
    const v = r[c];
    return v === null || v === undefined ? '' : /[,"\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v);
  }).join(','))].join('\n') + '\n';
  const back = readSeriesCsv(old);
  t.equal(back.length, rows.length);
  const strip = ({ wanted: _w, marked_down: _m, hit_ratio: _h, oldest_age: _o, calls: _c, call_retries: _r, waiting_share: _ws, policy: _p, bottleneck_util: _u, bottleneck_queue: _q, ...rest }: SeriesRow) => rest;
  t.strictSame(back, rows.map(strip), 'same rows, no optional or policy fields');
  t.ok(back.every((r) => !('wanted' in r) && !('policy' in r)), 'absent, not invented');
});

t.test('a file from before the later causes (killed … queueFull … downstream) reads them as 0', async (t) => {
  const { rows } = makeRun({ duration: 60, interval: 10 });
  const csv = writeSeriesCsv(rows).split('\n');
  const header = csv[0]!.split(',');
  const later = ERROR_COLUMNS.slice(FIRST_CAUSES);
  t.ok(later.includes('errors_killed') && later.includes('errors_queue_full'), 'both branches\' causes are later ones');
  const drop = later.map((c) => header.indexOf(c));
  t.ok(drop.every((i) => i > 0), 'the later columns are written');
  const old = csv.map((line) => line === '' ? line : line.split(',').filter((_, i) => !drop.includes(i)).join(',')).join('\n');
  const back = readSeriesCsv(old);
  t.equal(back.length, rows.length);
  t.ok(back.every((r) => later.every((c) => r[c] === 0)), 'missing causes are 0');
  t.equal(back[3]!.errors_timeout, rows[3]!.errors_timeout, 'the other columns are kept');
});
