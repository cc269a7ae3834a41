// `run --calibration FILE`: the calibration's values replace the scenario's, and the predictions
// move as queueing theory says they must. An M/M/1 (λ = 0.8/s, service mean 1 s: Wq = 4 s) has its
// service time replaced by a calibration with a gamma of shape 1 (an exponential) of mean 0.5 s:
// then ρ = 0.4 and Wq = ρ/(μ − λ) = 0.4/1.2 = 1/3 s, which the replications' CI must contain.
import t from 'tap';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScenario } from '../../src/scenario/index.ts';
import { applyCalibration } from '../../src/scenario/calibration.ts';
import { runScenario } from '../../src/model/index.ts';
import { ci95 } from '../../src/stats/confidence.ts';
import type { PoolSummary } from '../../src/stats/results.ts';
import { headroom } from '../cli/spawn.ts';


const tmp = mkdtempSync(join(tmpdir(), 'headroom-runcal-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));

const MM1 = {
  name: 'mm1', seed: 1, duration: '60000s', warmup: '6000s', sampleInterval: '10m',
  traffic: { rate: 0.8 },
  components: { lb: { kind: 'loadBalancer', upstream: 'server' }, server: { kind: 'pool', instances: 1, workers: 1, serviceTime: { dist: 'exponential', mean: '1s' } } },
};
const calibration = (pools: unknown, balancers: unknown = {}) => ({ kind: 'headroom-calibration', version: 1, headroom: '0.1.0', from: {}, pools, balancers });
writeFileSync(join(tmp, 'small.yaml'), JSON.stringify({ ...MM1, duration: '600s', warmup: '60s' }));
const calFile = join(tmp, 'calibration.json');
writeFileSync(calFile, JSON.stringify(calibration(
  { server: { serviceTime: { dist: 'gamma', shape: 1, scale: '500ms' }, fit: { family: 'gamma' } } },
  { lb: { overhead: { dist: 'empirical', samples: [0, 0, '1ms'] } } },
)));

t.test('M/M/1 with the calibrated service mean: Wq in the CI of 12 replications, and not the uncalibrated one', async (t) => {
  const base = parseScenario(MM1, join(tmp, 'mm1.yaml'), tmp);
  const { scenario, applied } = applyCalibration(base, calFile);
  t.same(applied, ['server.serviceTime', 'lb.overhead']);
  t.same(base.components[1]!.kind === 'pool' && base.components[1]!.serviceTime, { kind: 'exponential', mean: 1 }, 'the loaded scenario is left as it was');
  const waits = Array.from({ length: 12 }, (_, i) => {
    const s = runScenario({ ...scenario, seed: 1000 + i }).summary;
    return (s.components.server as PoolSummary).wait.mean;
  });
  const ci = ci95(waits);
  t.ok(ci.low <= 1 / 3 && 1 / 3 <= ci.high, `Wq = 1/3 in CI [${ci.low.toFixed(4)}, ${ci.high.toFixed(4)}]`);
  t.ok(ci.high < 4, 'far from the uncalibrated Wq = 4');
  t.ok(ci.halfWidth < 0.1 / 3, `CI half-width ${ci.halfWidth.toFixed(4)} under 10 % of Wq`);
});

t.test('the summary records the calibration that was applied; workers replaced too', async (t) => {
  const cal2 = join(tmp, 'cal2.json');
  writeFileSync(cal2, JSON.stringify(calibration({ server: { serviceTime: { dist: 'lognormal', mu: -3, sigma: 0.5 }, workers: 3 } })));
  const out = join(tmp, 'out');
  const r = headroom(['run', join(tmp, 'small.yaml'), '--calibration', cal2, '--out', out, '--no-html']);
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /calibrated by .*cal2\.json: server\.serviceTime, server\.workers 1 → 3/);
  const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  t.same(s.calibration, { file: cal2, applied: ['server.serviceTime', 'server.workers 1 → 3'] });
  t.same(s.scenarioSource.components[1].serviceTime, { kind: 'lognormal', mu: -3, sigma: 0.5 }, 'the scenario as run is the calibrated one');
  t.equal(s.scenarioSource.components[1].workers, 3);
});

const bad: Array<[string, unknown, RegExp]> = [
  ['a pool the scenario lacks', calibration({ sever: { serviceTime: '20ms' } }), /bad\.json: pools\.sever: no pool "sever" in .*small\.yaml; did you mean "server"\?$/],
  ['a load balancer named as a pool', calibration({ lb: { serviceTime: '20ms' } }), /bad\.json: pools\.lb: no pool "lb" in .*small\.yaml; "lb" is a loadBalancer there$/],
  ['a bad distribution', calibration({ server: { serviceTime: { dist: 'lognormal', mu: -3 } } }), /bad\.json: pools\.server\.serviceTime\.sigma: expected a number ≥ 0, got nothing$/],
  ['an unknown key', calibration({ server: { serviceTim: '20ms' } }), /bad\.json: pools\.server\.serviceTim: unknown key; did you mean "serviceTime"\?$/],
  ['not a calibration', { hello: 1 }, /bad\.json: hello: unknown key/],
];
for (const [name, content, message] of bad) {
  t.test(`bad calibration: ${name} → one line, exit 2, nothing written`, async (t) => {
    const file = join(tmp, 'bad.json');
    writeFileSync(file, JSON.stringify(content));
    const out = join(tmp, `bad-out-${name.replace(/\W+/g, '-')}`);
    const r = headroom(['run', join(tmp, 'small.yaml'), '--calibration', file, '--out', out]);
    t.equal(r.status, 2);
    t.match(r.stderr.trim(), message);
    t.equal(r.stderr.trim().split('\n').length, 1);
    t.notOk(existsSync(out), 'nothing written');
  });
}

t.test('a missing calibration file', async (t) => {
  const r = headroom(['run', join(tmp, 'small.yaml'), '--calibration', join(tmp, 'nope.json'), '--out', join(tmp, 'x')]);
  t.equal(r.status, 2);
  t.match(r.stderr, /nope\.json: cannot read the calibration file \(ENOENT\)/);
});
