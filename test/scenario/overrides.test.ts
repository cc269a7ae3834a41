// --set path=value: applied to the raw document before validation, so an overridden value meets
// the same checks and messages as the file; unknown paths are refused with a did-you-mean.
import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario, parseOverride, applyOverrides, ScenarioError } from '../../src/scenario/index.ts';
import { parsePath } from '../../src/scenario/overrides.ts';
import { messageOf } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'headroom-set-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'x.yaml');
writeFileSync(join(dir, 'hpa.yaml'), `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: web }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
  minReplicas: 2
  maxReplicas: 10
  metrics:
    - type: Resource
      resource: { name: cpu, target: { type: Utilization, averageUtilization: 60 } }
`);
writeFileSync(file, `
duration: 10m
traffic: { rate: 40 }
components:
  lb: { kind: loadBalancer, upstream: web }
  web: { kind: pool, instances: 3, workers: 4, serviceTime: { dist: exponential, mean: 40ms }, timeout: 30s, autoscaling: { file: hpa.yaml } }
slo:
  - { metric: latency.p99, max: 2s }
`);

t.test('paths are written as error messages print them', async (t) => {
  t.strictSame(parsePath('components.web.instances'), ['components', 'web', 'instances']);
  t.strictSame(parsePath('slo[0].max'), ['slo', 0, 'max']);
  t.strictSame(parsePath('a.b[2][3].c'), ['a', 'b', 2, 3, 'c']);
  t.equal(parsePath('[0].x'), null);
  t.equal(parsePath('a..b'), null);
  t.equal(parsePath(''), null);
});

t.test('values are YAML: numbers, units, mappings; empty removes the field', async (t) => {
  const pool = (s: ReturnType<typeof loadScenario>) => s.components.find((c) => c.name === 'web')!;
  const s = loadScenario(file, { set: ['components.web.instances=5', 'slo[0].max=300ms', 'duration=1h'] });
  t.equal((pool(s) as { instances: number }).instances, 5);
  t.equal(s.slo[0].threshold, 0.3);
  t.equal(s.duration, 3600);
  const d = loadScenario(file, { set: ['traffic.rate={ ramp: { from: 1, to: 9, end: 5m } }'] });
  t.equal(d.workload.model === 'open' && d.workload.rate.kind, 'ramp');
  const slower = loadScenario(file, { set: ['components.web.serviceTime.mean=48ms'] });
  t.match(JSON.stringify(pool(slower)), /0\.048/, 'a key inside a pool (whose schema also says instances-or-deploy)');
  const noTimeout = loadScenario(file, { set: ['components.web.timeout='] });
  t.equal((pool(noTimeout) as { timeout: number }).timeout, Infinity, 'the default (no timeout) applies');
});

t.test('a path into a policy kept in its own file reads the file in', async (t) => {
  const s = loadScenario(file, { set: ['components.web.autoscaling.spec.metrics[0].resource.target.averageUtilization=75'] });
  const web = s.components.find((c) => c.name === 'web') as { autoscaling: unknown };
  t.match(JSON.stringify(web.autoscaling), /75/);
  t.notMatch(JSON.stringify(web.autoscaling), /"averageUtilization":60/);
});

t.test('the parsed document is not modified', async (t) => {
  const raw = { duration: '1h', traffic: { rate: 10 }, components: { web: { kind: 'pool', instances: 2, serviceTime: '20ms' } } };
  const before = JSON.stringify(raw);
  const out = applyOverrides(raw, [parseOverride('components.web.instances=7', 'x.yaml')], 'x.yaml', '.') as typeof raw;
  t.equal(JSON.stringify(raw), before);
  t.equal(out.components.web.instances, 7);
});

t.test('kinds whose schema also holds anyOf/oneOf constraints (a pool, a cache) take their own keys', async (t) => {
  const raw = {
    duration: '1h', traffic: { rate: 10 },
    components: {
      cache: { kind: 'cache', backend: 'db', hitRatio: 0.5 },
      db: { kind: 'pool', instances: 2, serviceTime: '20ms' },
    },
  };
  const out = applyOverrides(raw, [parseOverride('components.cache.hitRatio=0.9', 'x.yaml'), parseOverride('components.db.workers=3', 'x.yaml')], 'x.yaml', '.') as {
    components: { cache: { hitRatio: number }; db: { workers: number } };
  };
  t.equal(out.components.cache.hitRatio, 0.9);
  t.equal(out.components.db.workers, 3);
  t.throws(() => applyOverrides(raw, [parseOverride('components.cache.hitRatoi=0.9', 'x.yaml')], 'x.yaml', '.'), /unknown key "hitRatoi"; did you mean "hitRatio"\?/);
});

const bad: Array<[string, RegExp]> = [
  ['components.web.wrokers=4', /x\.yaml: --set components\.web\.wrokers=4: unknown key "wrokers"; did you mean "workers"\? \(at components\.web\)$/],
  ['components.wbe.instances=4', /--set components\.wbe\.instances=4: no "wbe" in the file; did you mean "web"\?/],
  ['durtion=3h', /--set durtion=3h: unknown key "durtion"; did you mean "duration"\?/],
  ['components.lb.instances=3', /unknown key "instances"/],
  ['slo[4].max=1s', /--set slo\[4\]\.max=1s: no item \[4\]: the list has 1/],
  ['nonsense', /--set "nonsense": expected path=value/],
  ['components.web.instances=abc', /x\.yaml: components\.web\.instances: expected an integer ≥ 0, got "abc" \(from --set components\.web\.instances=abc\)$/],
  ['slo[0].max=fast', /slo\[0\]\.max: expected a duration like "20ms", got "fast" \(from --set slo\[0\]\.max=fast\)/],
  ['components.web.autoscaling.spec.minReplica=4', /minReplica.*did you mean "minReplicas".*\(from --set/],
];
for (const [set, message] of bad) {
  t.test(`bad --set ${set}: one clear line`, async (t) => {
    const msg = messageOf(() => loadScenario(file, { set: [set] }));
    t.match(msg, message);
    t.notMatch(msg, /\n/);
  });
}

t.test('errors are ScenarioErrors (exit 2 at the command line)', async (t) => {
  t.throws(() => loadScenario(file, { set: ['nope=1'] }), ScenarioError);
});
