// The command line end to end, as a user runs it: real processes, real files.
import t from 'tap';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { headroom, refusedRun } from './spawn.ts';

const tmp = mkdtempSync(join(tmpdir(), 'headroom-cli-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));

const small = `
name: small
seed: 3
duration: 20m
sampleInterval: 1m
traffic: { rate: 40 }
components:
  lb: { kind: loadBalancer, upstream: web, weights: [3, 2, 2] }
  web: { kind: pool, instances: 3, workers: 4, backlog: 50, serviceTime: { dist: lognormal, median: 40ms, p99: 300ms }, pricePerHour: 0.05 }
slo:
  - { metric: latency.p99, max: 2s }
`;
writeFileSync(join(tmp, 'small.yaml'), small);

t.test('run writes summary.json, timeseries.csv and index.html, and prints a summary', async (t) => {
  const out = join(tmp, 'out1');
  const r = headroom(['run', join(tmp, 'small.yaml'), '--out', out]);
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /latency\s+p50/);
  t.match(r.stdout, /PASS/);
  for (const f of ['summary.json', 'timeseries.csv', 'index.html']) t.ok(existsSync(join(out, f)), f);
  const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  t.equal(s.scenario.name, 'small');
  t.ok(s.totals.arrivals > 40 * 1200 * 0.9 && s.totals.arrivals < 40 * 1200 * 1.1, `about 48000 arrivals: ${s.totals.arrivals}`);
});

t.test('same seed, byte-identical summary.json; another seed, a different one', async (t) => {
  const a = join(tmp, 'a'), b = join(tmp, 'b'), c = join(tmp, 'c');
  t.equal(headroom(['run', join(tmp, 'small.yaml'), '--out', a, '--no-html']).status, 0);
  t.equal(headroom(['run', join(tmp, 'small.yaml'), '--out', b, '--no-html']).status, 0);
  t.equal(headroom(['run', join(tmp, 'small.yaml'), '--out', c, '--no-html', '--seed', '4']).status, 0);
  const [sa, sb, sc] = [a, b, c].map((d) => readFileSync(join(d, 'summary.json')));
  t.ok(sa.equals(sb), 'summary.json identical for the same seed');
  t.ok(readFileSync(join(a, 'timeseries.csv')).equals(readFileSync(join(b, 'timeseries.csv'))), 'timeseries.csv identical too');
  t.notOk(sa.equals(sc), 'a different seed changes the results');
});

t.test('--json prints the summary JSON on stdout', async (t) => {
  const r = headroom(['run', join(tmp, 'small.yaml'), '--out', join(tmp, 'j'), '--json', '--no-html']);
  t.equal(r.status, 0);
  const s = JSON.parse(r.stdout);
  t.equal(s.scenario.seed, 3);
  t.type(s.latency.p99, 'number');
});

t.test('an SLO that fails gives exit code 1', async (t) => {
  writeFileSync(join(tmp, 'strict.yaml'), small.replace('max: 2s', 'max: 1ms'));
  const r = headroom(['run', join(tmp, 'strict.yaml'), '--out', join(tmp, 'strict'), '--no-html']);
  t.equal(r.status, 1);
  t.match(r.stdout, /FAIL/);
});

const badCases: Array<[string, string, RegExp]> = [
  ['bad duration', small.replace('median: 40ms', 'median: fast'), /bad-duration\.yaml: components\.web\.serviceTime\.median: expected a duration with a unit like "40ms" or "40s", got "fast"/],
  ['unknown key', small.replace('workers: 4', 'worker: 4'), /unknown-key\.yaml: components\.web\.worker: .*did you mean "workers"/],
  ['bad rate', small.replace('rate: 40', 'rate: lots'), /bad-rate\.yaml: traffic\.rate/],
  ['bad reference', small.replace('upstream: web', 'upstream: wbe'), /bad-reference\.yaml: components\.lb\.upstream/],
  ['yaml syntax', small.replace('traffic: { rate: 40 }', 'traffic: { rate: 40'), /yaml-syntax\.yaml/],
];

for (const [label, text, message] of badCases) {
  t.test(`bad input (${label}): clear message, exit 2, nothing written`, async (t) => refusedRun(t, tmp, label, text, message));
}

t.test('a missing file names the file', async (t) => {
  const r = headroom(['run', join(tmp, 'nope.yaml'), '--out', join(tmp, 'nope')]);
  t.equal(r.status, 2);
  t.match(r.stderr, /nope\.yaml/);
});

t.test('an unknown option is refused', async (t) => {
  const r = headroom(['run', join(tmp, 'small.yaml'), '--sead', '3']);
  t.equal(r.status, 2);
});

t.test('report re-renders from the run files alone; compare puts runs side by side', async (t) => {
  const a = join(tmp, 'ra'), b = join(tmp, 'rb');
  t.equal(headroom(['run', join(tmp, 'small.yaml'), '--out', a]).status, 0);
  t.equal(headroom(['run', join(tmp, 'small.yaml'), '--out', b, '--seed', '9', '--no-html']).status, 0);
  const before = readFileSync(join(a, 'index.html'), 'utf8');
  rmSync(join(a, 'index.html'));
  const r = headroom(['report', a]);
  t.equal(r.status, 0, r.stderr);
  t.equal(readFileSync(join(a, 'index.html'), 'utf8'), before, 'the same report, byte for byte, without re-running');
  const out = join(tmp, 'cmp.html');
  const c = headroom(['compare', a, b, '--out', out]);
  t.equal(c.status, 0, c.stderr);
  const html = readFileSync(out, 'utf8');
  t.match(html, /ra/);
  t.match(html, /rb/);
  const bad = headroom(['report', join(tmp, 'nowhere')]);
  t.equal(bad.status, 2);
  t.match(bad.stderr, /nowhere/);
});
