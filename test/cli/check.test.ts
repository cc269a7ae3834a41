// `headroom check` and `validate` as CI runs them: real processes, real files; the JUnit XML read
// back by a real XML parser.
import t from 'tap';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { headroom as cli } from './spawn.ts';

// Most calls run on one worker (in-thread, no thread start): the pool itself is tested elsewhere.
function headroom(args: string[], env: Record<string, string> = {}) {
  return cli(args, { timeout: 300_000, env: { GITHUB_ACTIONS: undefined, ...env } });
}

const tmp = mkdtempSync(join(tmpdir(), 'headroom-check-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));

const scenario = (name: string, p99: string) => `name: ${name}
seed: 5
duration: 3m
traffic: { rate: 40 }
components:
  lb: { kind: loadBalancer, upstream: web }
  web: { kind: pool, instances: 3, workers: 1, serviceTime: { dist: exponential, mean: 40ms }, pricePerHour: 0.1 }
slo:
  - { metric: errorRate, max: 1% }
  - { metric: latency.p99, max: ${p99} }
  - { metric: throughput, min: 10r/s }
`;
const good = join(tmp, 'good.yaml'), bad = join(tmp, 'strict.yaml');
writeFileSync(good, scenario('good', '5s'));
writeFileSync(bad, scenario('strict', '50ms'));

t.test('a failing SLO: exit 1, and the line names the metric, the bound and the value', async (t) => {
  const junit = join(tmp, 'junit.xml'), md = join(tmp, 'summary.md');
  // Two scenarios on two worker threads: from the bundle, the pool's threads run dist/worker.js.
  const r = headroom(['check', '--workers', '2', good, bad, '--junit', junit, '--summary', md]);
  t.equal(r.status, 1, r.stderr);
  t.match(r.stdout, /FAIL\s+\S*strict\.yaml: latency\.p99 <= 50ms: latency\.p99 = [\d.]+ ms, bound ≤ 50 ms/);
  t.match(r.stdout, /check: 2 scenarios, 6 SLOs: 5 passed, 1 failed, 0 inconclusive/);

  const xml = readFileSync(junit, 'utf8');
  t.equal(XMLValidator.validate(xml), true, 'well-formed XML');
  const doc = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'testsuite' || name === 'testcase' }).parse(xml);
  const suites = doc.testsuites;
  t.equal(suites['@_tests'], '6');
  t.equal(suites['@_failures'], '1');
  t.equal(suites.testsuite.length, 2, 'a testsuite per scenario');
  const strict = suites.testsuite.find((s: { '@_name': string }) => s['@_name'] === 'strict');
  t.equal(strict.testcase.length, 3, 'a testcase per SLO');
  t.equal(strict['@_failures'], '1');
  const failed = strict.testcase.filter((c: { failure?: unknown }) => c.failure !== undefined);
  t.equal(failed.length, 1);
  t.equal(failed[0]['@_name'], 'SLO latency.p99 <= 50ms');
  t.match(failed[0].failure['@_message'], /latency\.p99 = [\d.]+ ms, bound ≤ 50 ms/);

  const summary = readFileSync(md, 'utf8');
  t.match(summary, /^### headroom check ❌ 5 of 6 SLOs passed, 1 failed/);
  t.match(summary, /\| strict \| latency\.p99 <= 50ms \| ❌ fail \| [\d.]+ ms \| ≤ 50 ms \|/);
});

t.test('all passing: exit 0; on GitHub Actions, annotations point at the SLO line', async (t) => {
  t.equal(headroom(['check', '--workers', '1', good]).status, 0);
  const r = headroom(['check', '--workers', '1', bad], { GITHUB_ACTIONS: 'true' });
  t.equal(r.status, 1);
  // slo[1] is on line 10 of the file
  t.match(r.stdout, /^::error file=[^,]*strict\.yaml,line=10,title=SLO failed%3A latency\.p99 <= 50ms::latency\.p99 = [\d.]+ ms, bound ≤ 50 ms$/m);
});

t.test('with replications: verdicts on the interval; an undecidable SLO says how many runs would decide it', async (t) => {
  // p99 of an M/M/3 at ρ ≈ 0.53 over 3 minutes sits near 280–320 ms: a 300 ms bound is on the edge.
  const edge = join(tmp, 'edge.yaml');
  writeFileSync(edge, scenario('edge', '300ms'));
  const r = headroom(['check', '--workers', '1', edge, '--replications', '3', '--json']);
  const report = JSON.parse(r.stdout);
  const p99 = report.scenarios[0].slo[1];
  t.equal(p99.values.length, 3);
  t.ok(['pass', 'fail', 'inconclusive'].includes(p99.judgement.verdict));
  const txt = headroom(['check', '--workers', '1', edge, '--replications', '3', '--set', 'slo[1].max=' + Math.round(p99.judgement.mean * 1000) + 'ms']);
  t.match(txt.stdout, /INCONCLUSIVE .*about \d+ replications would decide it \(--replications \d+\)|mean is on the bound/, 'a bound at the mean is inconclusive');
  t.equal(txt.status, 1, 'inconclusive fails by default');
  const lenient = headroom(['check', '--workers', '1', edge, '--replications', '3', '--inconclusive', 'pass', '--set', 'slo[1].max=' + Math.round(p99.judgement.mean * 1000) + 'ms']);
  t.equal(lenient.status, 0, '--inconclusive pass');
});

t.test('baselines: write, unchanged passes, 20% slower fails', async (t) => {
  const dir = join(tmp, 'baseline');
  const w = headroom(['check', '--workers', '1', good, '--baseline', dir, '--update-baseline', '--replications', '5']);
  t.equal(w.status, 0, w.stderr);
  const stored = JSON.parse(readFileSync(join(dir, 'good.json'), 'utf8'));
  t.equal(stored.format, 'headroom-baseline/1');
  t.equal(stored.figures['latency.p99'].length, 5);
  const same = headroom(['check', '--workers', '1', good, '--baseline', dir, '--seed', '100']);
  t.equal(same.status, 0, same.stdout);
  t.match(same.stdout, /0 regressions against the baseline/);
  const slow = headroom(['check', '--workers', '1', good, '--baseline', dir, '--seed', '100', '--set', 'components.web.serviceTime.mean=48ms']);
  t.equal(slow.status, 1);
  t.match(slow.stdout, /REGRESSION\s+\S*good\.yaml: latency\.\w+ [\d.]+ ms → [\d.]+ ms \(\+[\d.]+%\), worse \(p/);
  const none = headroom(['check', '--workers', '1', bad, '--baseline', dir]);
  t.match(none.stdout, /no baseline at .*strict\.json/);
});

t.test('bad input: one clear line, exit 2, nothing written', async (t) => {
  const junit = join(tmp, 'never.xml');
  const r = headroom(['check', '--workers', '1', good, '--set', 'components.web.instnaces=4', '--junit', junit]);
  t.equal(r.status, 2);
  t.match(r.stderr, /good\.yaml: --set components\.web\.instnaces=4: unknown key "instnaces"; did you mean "instances"\?/);
  t.equal(r.stderr.trim().split('\n').length, 1);
  t.notOk(existsSync(junit));
  const one = headroom(['check', '--workers', '1', good, '--baseline', join(tmp, 'b2'), '--replications', '1']);
  t.equal(one.status, 2);
  t.match(one.stderr, /needs at least 2 replications/);
});

t.test('validate: files only, every bad file its line', async (t) => {
  const broken = join(tmp, 'broken.yaml');
  writeFileSync(broken, scenario('broken', '5s').replace('workers: 1', 'worker: 1'));
  const ok = headroom(['validate', good, bad]);
  t.equal(ok.status, 0);
  t.match(ok.stdout, /ok  \S*good\.yaml \(scenario\)/);
  const r = headroom(['validate', good, broken]);
  t.equal(r.status, 2);
  t.match(r.stderr, /broken\.yaml: components\.web\.worker: unknown key; did you mean "workers"\?/);
});
