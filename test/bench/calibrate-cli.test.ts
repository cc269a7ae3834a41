// `headroom calibrate` end to end, as a user runs it: a bench run folder with known truth
// (./bench-run-fixture.ts), a production-style log with its own upstream names, and bad input.
import t from 'tap';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBenchRun } from './bench-run-fixture.ts';
import { headroom } from '../cli/spawn.ts';
import { parseDuration } from '../../src/scenario/units.ts';


const tmp = mkdtempSync(join(tmpdir(), 'headroom-calibrate-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));

const LOW = { kind: 'lognormal' as const, mu: Math.log(0.035), sigma: 0.5 };
// Upstream time grows with load (queueing): calibration must fit the lowest level only.
const service = (rate: number) => (rate === 10 ? LOW : { kind: 'lognormal' as const, mu: Math.log(0.035 * rate / 10), sigma: 0.5 });

const run = join(tmp, 'bench');
writeBenchRun(run, { service, cpu: { idle: 0.02, perRequest: 0.03 } });

t.test('a bench run folder: service time at the lowest level, overhead, capacity → DIR/calibration.json', async (t) => {
  const r = headroom(['calibrate', run]);
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /calibrated on the 10 req\/s level of .*bench \(6 sample intervals\)/);
  t.match(r.stdout, /pool web: lognormal, median 3[45]\.\d ms/);
  t.match(r.stdout, /capacity 32\.7 req\/s per instance .*: workers → 1/);
  const c = JSON.parse(readFileSync(join(run, 'calibration.json'), 'utf8'));
  t.equal(c.kind, 'headroom-calibration');
  const web = c.pools.web;
  t.equal(web.fit.family, 'lognormal');
  t.equal(web.source.requests, 600, 'the 600 requests of the 10 req/s level, none of the others');
  // 600 draws: μ̂ has standard error σ/√600 = 0.020; 4 standard errors is a wrong fit, not chance.
  t.ok(Math.abs(web.serviceTime.mu - Math.log(0.035)) < 0.08, `mu ${web.serviceTime.mu} vs ${Math.log(0.035)}`);
  t.ok(Math.abs(web.serviceTime.sigma - 0.5) < 0.06, `sigma ${web.serviceTime.sigma}`);
  t.ok(web.source.utilisation > 0 && web.source.utilisation < 0.05, `utilisation while fitted ${web.source.utilisation}`);
  for (const q of ['p50', 'p90', 'p99']) t.type(web.fit.quantiles[q].error, 'number');
  // Utilisation law: U = 0.02 + 0.03·X exactly in the fixture.
  t.ok(Math.abs(web.capacity.cpuPerRequest - 0.03) < 1e-6, `D ${web.capacity.cpuPerRequest}`);
  t.ok(Math.abs(web.capacity.idleCpu - 0.02) < 1e-6, `U0 ${web.capacity.idleCpu}`);
  t.equal(web.capacity.levels, 3);
  t.equal(web.workers, 1, 'one request at a time is all one CPU-bound instance holds');
  const o = c.balancers.nginx;
  t.equal(o.fit.family, 'empirical', 'overhead: 70 % of 0 ms, no shape to fit');
  t.ok(Math.abs(o.fit.mean.sample - 0.0003) < 0.0001, `overhead mean ${o.fit.mean.sample} (30 % of 1 ms)`);
});

t.test('cpu mode: an instance runs `workers` threads, so it saturates at min(workers, cores) cores, not one', async (t) => {
  const dir = join(tmp, 'bench-2cores');
  writeBenchRun(dir, { service, cpu: { idle: 0.02, perRequest: 0.03 }, cores: 2 });
  const r = headroom(['calibrate', dir]);
  t.equal(r.status, 0, r.stderr);
  const web = JSON.parse(readFileSync(join(dir, 'calibration.json'), 'utf8')).pools.web;
  t.equal(web.capacity.cores, 2, 'min(8 workers, 2 cores)');
  // U = 0.02 + 0.03·X reaches 2 cores at X = (2 − 0.02)/0.03 = 66.0 req/s.
  t.ok(Math.abs(web.capacity.perInstance - 66) < 1e-6, `capacity ${web.capacity.perInstance}`);
  const mean = web.fit.mean.fitted as number;
  t.equal(web.workers, Math.round(66 * mean), `workers = capacity × mean service time (${mean.toFixed(4)} s), Little's law at saturation`);
  t.ok(web.workers >= 2, 'two threads on two cores hold at least two requests at once');
  t.match(r.stdout, /capacity 66\.0 req\/s per instance at 2 cores/);
});

t.test('--nginx-log with --scenario: upstream names mapped by --pool, --out where asked', async (t) => {
  const dir = join(tmp, 'prod');
  writeBenchRun(dir, { service: () => LOW, upstreamName: 'saler_backend' });
  const scenario = join(tmp, 'stack.yaml');
  writeFileSync(scenario, `duration: 1h
traffic: { rate: 10 }
components:
  nginx: { kind: loadBalancer, upstream: web }
  web: { kind: pool, instances: 2, workers: 8, serviceTime: 20ms }
`);
  const out = join(tmp, 'prod-cal.json');
  const r = headroom(['calibrate', '--nginx-log', join(dir, 'access.log'), '--scenario', scenario, '--pool', 'saler_backend=web', '--out', out]);
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /calibrated on every line of the log/);
  const c = JSON.parse(readFileSync(out, 'utf8'));
  t.equal(c.pools.web.source.requests, 4200, 'every line');
  t.same(c.pools.web.source.upstreams, ['saler_backend']);
  t.ok(c.balancers.nginx.overhead, 'overhead for the balancer in front of web');
});

t.test("a one-level run: the fit's mean becomes the service the upstreams measured, nginx's extra time the overhead's", async (t) => {
  const dir = join(tmp, 'one-level');
  writeBenchRun(dir, { service: () => LOW, constantRate: 10 });
  const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
  // as the bench's upstreams report it: 30 ms at the pool of which 8 ms waiting for a worker
  summary.components.web.wait = { mean: 0.008, probWait: 0.2, count: 1000 };
  summary.components.web.latency.mean = 0.030;
  summary.components.web.latency.count = 1000;
  writeFileSync(join(dir, 'summary.json'), JSON.stringify(summary));
  const r = headroom(['calibrate', dir]);
  t.equal(r.status, 0, r.stderr);
  const cal = JSON.parse(readFileSync(join(dir, 'calibration.json'), 'utf8'));
  const web = cal.pools.web, nginxMean = web.fit.mean.sample;
  t.ok(nginxMean > 0.030, `nginx's mean upstream time ${nginxMean} is above the 30 ms at the pool (the fixture's LOW has mean 39.7 ms)`);
  const u = web.source.upstreamTimes;
  t.equal(u.applied, true);
  t.ok(Math.abs(u.service - 0.022) < 1e-12, 'service = time at the pool − wait');
  t.ok(Math.abs(u.transport - (nginxMean - 0.030)) < 1e-12, 'transport = nginx\'s upstream time − time at the pool');
  const fitted = web.fit.candidates.lognormal;
  t.ok(Math.abs(web.serviceTime.mu - (fitted.mu + Math.log(0.022 / nginxMean))) < 1e-5, 'the fit scaled to the service mean');
  t.equal(web.serviceTime.sigma, fitted.sigma, 'shape kept');
  const o = cal.balancers.nginx;
  t.equal(o.source.transportAdded, u.transport);
  t.equal(o.overhead.dist, 'empirical');
  // calibration.json writes durations with their unit, as a scenario file must
  const overhead = (o.overhead.samples as string[]).map((x) => parseDuration(x));
  t.ok(Math.min(...overhead) >= u.transport - 1e-6, `every overhead value carries the transport (${Math.min(...overhead)} ≥ ${u.transport})`);
  t.match(r.stdout, /held a worker 22\.00 ms \(waited 8\.00 ms\)/);
});

t.test('the upstreams waited over half their time: the mean is still theirs, and the shape is said to be wide', async (t) => {
  const dir = join(tmp, 'one-level-busy');
  writeBenchRun(dir, { service: () => LOW, constantRate: 10 });
  const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
  summary.components.web.wait = { mean: 0.030, probWait: 0.9, count: 1000 };
  summary.components.web.latency.mean = 0.039;
  summary.components.web.latency.count = 1000;
  writeFileSync(join(dir, 'summary.json'), JSON.stringify(summary));
  const r = headroom(['calibrate', dir]);
  t.equal(r.status, 0, r.stderr);
  const web = JSON.parse(readFileSync(join(dir, 'calibration.json'), 'utf8')).pools.web;
  const u = web.source.upstreamTimes;
  t.equal(u.applied, true);
  t.ok(u.share > 0.5, `wait share ${u.share}`);
  t.ok(Math.abs(web.serviceTime.mu - (web.fit.candidates.lognormal.mu + Math.log(0.009 / web.fit.mean.sample))) < 1e-5, 'scaled to the 9 ms service');
  t.match(u.note, /shape .* wider than the service's/);
  t.match(r.stdout, /waited over half of their time/);
});

/** Runs calibrate on a copy of the bench folder with `edit` applied to its log; expects exit 2 and no calibration.json. */
function badCase(t: Tap, name: string, edit: (log: string) => string, args: (dir: string) => string[], message: RegExp) {
  t.test(name, async (t) => {
    const dir = join(tmp, name.replace(/\W+/g, '-'));
    writeBenchRun(dir, { service: () => LOW });
    writeFileSync(join(dir, 'access.log'), edit(readFileSync(join(dir, 'access.log'), 'utf8')));
    const before = readdirSync(dir).sort();
    const r = headroom(args(dir));
    t.equal(r.status, 2, 'exit 2');
    t.match(r.stderr, message);
    t.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
    t.same(readdirSync(dir).sort(), before, 'nothing written');
  });
}
type Tap = typeof t;

badCase(t, 'an unknown pool in the log',
  (log) => log.replace(/up=web\n/, 'up=mystery\n'),
  (dir) => ['calibrate', dir],
  /^headroom: .*access\.log:1: up=mystery: expected an upstream named like a pool of .*summary\.json \(scenarioSource\); map it with --pool mystery=<pool> \(pools: web\)$/m);

badCase(t, 'an unreadable log line',
  (log) => log.split('\n').map((l, i) => (i === 2 ? l.replace(/rt=[\d.]+ /, 'rt=soon ') : l)).join('\n'),
  (dir) => ['calibrate', dir],
  /^headroom: .*access\.log:3: expected the headroom log format \(rt=<seconds\.milliseconds> \(\$request_time\)\), got "127\.0\.0\.1 /m);

badCase(t, 'a missing log file',
  (log) => log,
  (dir) => ['calibrate', '--nginx-log', join(dir, 'nope.log'), '--scenario', join(dir, 'nope.yaml')],
  /^headroom: .*nope\.log: not found \(the nginx access log to calibrate from\)$/m);

badCase(t, 'a --pool naming no pool',
  (log) => log,
  (dir) => ['calibrate', dir, '--pool', 'web=wbe'],
  /^headroom: --pool web=wbe: no pool "wbe" in .*summary\.json \(scenarioSource\); did you mean "web"\?$/m);

t.test('--skip-bad-lines: the run goes on and says how many lines it skipped', async (t) => {
  const dir = join(tmp, 'skip');
  writeBenchRun(dir, { service: () => LOW, extraLines: ['garbage', 'more garbage'] });
  const r = headroom(['calibrate', dir, '--skip-bad-lines']);
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /skipped 2 unreadable lines; the first: .*access\.log:4201: expected the headroom log format/);
  const c = JSON.parse(readFileSync(join(dir, 'calibration.json'), 'utf8'));
  t.equal(c.from.badLinesSkipped, 2);
});

t.test('a simulated run has no access log: said so, exit 2', async (t) => {
  const dir = join(tmp, 'sim');
  writeBenchRun(dir, { service: () => LOW });
  rmSync(join(dir, 'access.log'));
  const r = headroom(['calibrate', dir]);
  t.equal(r.status, 2);
  t.match(r.stderr, /access\.log: not found \(calibrate reads the nginx access log a bench run keeps; a simulated run has none\)/);
  t.notOk(existsSync(join(dir, 'calibration.json')));
});
