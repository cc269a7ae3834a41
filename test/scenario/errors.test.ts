// One test per kind of error, each asserting the exact message.
import path from 'node:path';
import t from 'tap';
import { loadScenario, parseScenario } from '../../src/scenario/index.ts';
import { messageOf, minimal } from './helpers.ts';

const F = 'scenarios/x.yaml';
const parse = (raw: unknown) => () => parseScenario(raw, F, 'scenarios');
function withChange(change: (s: Record<string, any>) => void): () => unknown {
  const s = minimal();
  change(s);
  return parse(s);
}

t.test('bad duration', async (t) => {
  t.equal(
    messageOf(withChange((s) => (s.components.web.serviceTime = { dist: 'lognormal', median: 'fast', p99: '150ms' }))),
    'scenarios/x.yaml: components.web.serviceTime.median: expected a duration with a unit like "40ms" or "40s", got "fast"',
  );
  t.equal(messageOf(withChange((s) => (s.warmup = '-5m'))), 'scenarios/x.yaml: warmup: expected a duration with a unit like "40ms" or "40s", got "-5m"');
  t.equal(messageOf(withChange((s) => (s.duration = '0s'))), 'scenarios/x.yaml: duration: expected a duration greater than 0 with a unit, like "40ms" or "10s", got "0s"');
  t.equal(messageOf(withChange((s) => (s.warmup = '2h'))), 'scenarios/x.yaml: warmup: expected a duration shorter than duration ("1h"), got "2h"');
  t.equal(
    messageOf(withChange((s) => (s.components.web.timeout = 0))),
    'scenarios/x.yaml: components.web.timeout: expected a duration greater than 0, like "60s", or "none", got 0',
  );
});

t.test('bad rate', async (t) => {
  t.equal(
    messageOf(withChange((s) => (s.traffic.rate = '100 rps'))),
    'scenarios/x.yaml: traffic.rate: expected a rate like "10r/s" or "600r/m" (a bare number is requests per second), got "100 rps"',
  );
  t.equal(
    messageOf(withChange((s) => (s.traffic.rate = { diurnal: { min: 200, max: '12OO', peakHour: 20 } }))),
    'scenarios/x.yaml: traffic.rate.diurnal.max: expected a rate like "10r/s" or "600r/m" (a bare number is requests per second), got "12OO"',
  );
  t.equal(
    messageOf(withChange((s) => (s.components.nginx.limitReq = { rate: '0r/s' }))),
    'scenarios/x.yaml: components.nginx.limitReq.rate: expected a rate greater than 0, like "10r/s", got "0r/s"',
  );
});

t.test('bad percent', async (t) => {
  t.equal(
    messageOf(withChange((s) => (s.slo = [{ metric: 'errorRate', max: 5 }]))),
    'scenarios/x.yaml: slo[0].max: expected a percentage like "70%" (a bare number is a fraction in [0, 1]), got 5',
  );
  t.equal(
    messageOf(withChange((s) => (s.slo = [{ metric: 'latency.p99', max: '500ms' }, { metric: 'errorRate', max: '0.1 %' }]))),
    'scenarios/x.yaml: slo[1].max: expected a percentage like "70%" (a bare number is a fraction in [0, 1]), got "0.1 %"',
  );
});

t.test('unknown key with did-you-mean', async (t) => {
  t.equal(
    messageOf(withChange((s) => (s.components.web.worker = 16))),
    'scenarios/x.yaml: components.web.worker: unknown key; did you mean "workers"?',
  );
  t.equal(messageOf(withChange((s) => (s.sample_interval = '5s'))), 'scenarios/x.yaml: sample_interval: unknown key; did you mean "sampleInterval"?');
  t.equal(messageOf(withChange((s) => (s.traffic.rate = { diurnl: { min: 1, max: 2, peakHour: 3 } }))), 'scenarios/x.yaml: traffic.rate.diurnl: unknown key; did you mean "diurnal"?');
  t.equal(
    messageOf(withChange((s) => (s.colour = 'blue'))),
    'scenarios/x.yaml: colour: unknown key; expected one of $schema, name, description, seed, duration, warmup, sampleInterval, startTime, currency, traffic, components, slo, zones, faults, releases, recovery, nodes',
  );
  t.equal(
    messageOf(withChange((s) => (s.components.nginx.workers = 4))),
    'scenarios/x.yaml: components.nginx.workers: unknown key (workers is a pool setting, this is a loadBalancer); expected one of kind, upstream, balancing, weights, maxFails, failTimeout, connectTimeout, nextUpstream, limitReq, overhead',
  );
  t.equal(
    messageOf(withChange((s) => (s.components.web.serviceTime = { distribution: 'exponential', mean: '1s' }))),
    'scenarios/x.yaml: components.web.serviceTime.distribution: unknown key; did you mean "dist"?',
  );
  t.equal(
    messageOf(withChange((s) => (s.components.web = { kind: 'pool', instance: 2, serviceTime: '20ms' }))),
    'scenarios/x.yaml: components.web.instance: unknown key; did you mean "instances"?',
    'a typo is reported before the required field it hides',
  );
});

t.test('missing required field', async (t) => {
  t.equal(
    messageOf(withChange((s) => delete s.duration)),
    'scenarios/x.yaml: duration: expected a duration with a unit like "40ms" or "40s", got nothing',
  );
  t.equal(messageOf(withChange((s) => delete s.components.web.instances)), 'scenarios/x.yaml: components.web.instances: expected an integer ≥ 0, got nothing');
  t.equal(
    messageOf(withChange((s) => delete s.components.web.kind)),
    'scenarios/x.yaml: components.web.kind: expected one of loadBalancer, pool, database, cache, queue, cdn, got nothing',
  );
  t.equal(
    messageOf(withChange((s) => (s.traffic = { clients: 5 }))),
    'scenarios/x.yaml: traffic: expected exactly one of rate (an open model) or closed (a closed model), got {"clients":5}',
  );
  t.equal(messageOf(withChange((s) => (s.slo = [{ metric: 'latency.p99' }]))), 'scenarios/x.yaml: slo[0]: expected exactly one of max or min, got {"metric":"latency.p99"}');
});

t.test('wrong type', async (t) => {
  t.equal(messageOf(withChange((s) => (s.components.web.workers = '16'))), 'scenarios/x.yaml: components.web.workers: expected an integer ≥ 1, got "16"');
  t.equal(messageOf(withChange((s) => (s.components.web.workers = 2.5))), 'scenarios/x.yaml: components.web.workers: expected an integer ≥ 1, got 2.5');
  t.equal(
    messageOf(withChange((s) => (s.components = ['web']))),
    'scenarios/x.yaml: components: expected a mapping of component names to components, like { web: { kind: pool, ... } }, got ["web"]',
  );
  t.equal(messageOf(parse('hello')), 'scenarios/x.yaml: expected a mapping with at least duration, traffic and components, got "hello"');
  t.equal(messageOf(parse(null)), 'scenarios/x.yaml: expected a mapping with at least duration, traffic and components, got null');
  t.equal(messageOf(withChange((s) => (s.components.nginx.limitReq = { rate: 5, nodelay: 'yes' }))), 'scenarios/x.yaml: components.nginx.limitReq.nodelay: expected true or false, got "yes"');
  t.equal(
    messageOf(withChange((s) => (s.components.nginx.balancing = 'least-conn'))),
    'scenarios/x.yaml: components.nginx.balancing: expected one of round_robin, least_conn, ip_hash, random_two_least_conn, random (did you mean "least_conn"?), got "least-conn"',
  );
  t.equal(
    messageOf(withChange((s) => (s.description = { long: 'x'.repeat(100) }))),
    `scenarios/x.yaml: description: expected a string, got {"long":"${'x'.repeat(50)}…`,
    'the offending value is truncated to 60 characters',
  );
  t.equal(messageOf(withChange((s) => (s.startTime = '2026-11-27 00:00'))), 'scenarios/x.yaml: startTime: expected an ISO 8601 time with a zone like "2026-11-27T00:00:00Z", got "2026-11-27 00:00"');
});

t.test('bad distribution parameters', async (t) => {
  const st = (serviceTime: unknown) => messageOf(withChange((s) => (s.components.web.serviceTime = serviceTime)));
  t.equal(
    st({ dist: 'lognormal', median: '20ms', p99: '10ms' }),
    'scenarios/x.yaml: components.web.serviceTime.p99: expected a duration greater than the median ("20ms"), got "10ms"',
  );
  t.equal(
    st({ dist: 'lognormal', median: '20ms', cv: 1 }),
    'scenarios/x.yaml: components.web.serviceTime: expected lognormal parameters as median + p99, mean + cv or mu + sigma, got {"dist":"lognormal","median":"20ms","cv":1}',
  );
  t.equal(st({ dist: 'lognormal', median: '20ms' }), 'scenarios/x.yaml: components.web.serviceTime.p99: expected a duration with a unit like "40ms" or "40s", got nothing');
  t.equal(st({ dist: 'uniform', min: '2s', max: '1s' }), 'scenarios/x.yaml: components.web.serviceTime.max: expected a duration ≥ min ("2s"), got "1s"');
  t.equal(st({ dist: 'gamma', shape: 0, scale: '1s' }), 'scenarios/x.yaml: components.web.serviceTime.shape: expected a number > 0, got 0');
  t.equal(st({ dist: 'normal', mean: '1s', sd: '-1s' }), 'scenarios/x.yaml: components.web.serviceTime.sd: expected a duration with a unit like "40ms" or "40s", got "-1s"');
  t.equal(st({ dist: 'empirical', samples: [] }), 'scenarios/x.yaml: components.web.serviceTime.samples: expected a list of durations of at least 1 item, got []');
  t.equal(st({ dist: 'exponential', mean: 0 }), 'scenarios/x.yaml: components.web.serviceTime.mean: expected a duration greater than 0 with a unit, like "40ms" or "10s", got 0');
  t.equal(st({ dist: 'pareto', scale: '10ms', shape: 1.5, value: 1 }), 'scenarios/x.yaml: components.web.serviceTime.value: unknown key; expected one of dist, scale, shape');
  t.equal(
    st({ dist: 'logNormal', median: '20ms', p99: '1s' }),
    'scenarios/x.yaml: components.web.serviceTime.dist: expected one of constant, exponential, uniform, normal, lognormal, gamma, pareto, empirical (did you mean "lognormal"?), got "logNormal"',
  );
});

t.test('bad cross reference', async (t) => {
  t.equal(
    messageOf(withChange((s) => (s.components.nginx.upstream = 'wbe'))),
    'scenarios/x.yaml: components.nginx.upstream: expected the name of a pool (did you mean "web"?), got "wbe"',
  );
  t.equal(
    messageOf(withChange((s) => (s.components.nginx.upstream = 'nginx'))),
    'scenarios/x.yaml: components.nginx.upstream: expected the name of a pool ("nginx" is a loadBalancer), got "nginx"',
  );
  t.equal(
    messageOf(withChange((s) => (s.components.web.next = 'database'))),
    'scenarios/x.yaml: components.web.next: expected the name of a component (one of nginx, web), got "database"',
  );
  t.equal(
    messageOf(withChange((s) => (s.traffic.mix = [{ name: 'page', entry: 'ngnix' }]))),
    'scenarios/x.yaml: traffic.mix[0].entry: expected the name of a component (did you mean "nginx"?), got "ngnix"',
  );
  t.equal(
    messageOf(withChange((s) => (s.traffic.mix = [{ name: 'page' }, { name: 'page' }]))),
    'scenarios/x.yaml: traffic.mix[1].name: expected a name no other class has, got "page"',
  );
});

t.test('cycle', async (t) => {
  t.equal(
    messageOf(withChange((s) => {
      s.components.api = { kind: 'pool', instances: 1, serviceTime: '5ms', next: 'web' };
      s.components.web.next = 'api';
    })),
    'scenarios/x.yaml: components.api.next: expected a component that does not lead back in a cycle (web → api → web), got "web"',
  );
  t.equal(
    messageOf(withChange((s) => (s.components.web.next = 'nginx'))),
    'scenarios/x.yaml: components.web.next: expected a component that does not lead back in a cycle (nginx → web → nginx), got "nginx"',
    'through a load balancer',
  );
  t.equal(
    messageOf(withChange((s) => (s.components.web.next = 'web'))),
    'scenarios/x.yaml: components.web.next: expected a component that does not lead back in a cycle (web → web), got "web"',
  );
});

t.test('autoscaling errors carry the path inside the policy', async (t) => {
  const hpa = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 0 },
  };
  t.equal(
    messageOf(withChange((s) => (s.components.web.autoscaling = hpa))),
    'scenarios/x.yaml: components.web.autoscaling.spec.maxReplicas: expected a number ≥ 1, got 0',
  );
});

t.test('files: YAML syntax, missing file, JSON syntax, extension', async (t) => {
  const dir = t.testdir({
    'bad.yaml': 'duration: 1h\ntraffic:\n  rate: [10,\ncomponents: {}\n',
    'dup.yml': 'duration: 1h\nduration: 2h\n',
    'bad.json': '{\n  "duration": "1h",\n  "traffic": {,\n}\n',
    'x.txt': 'duration: 1h\n',
  });
  const bad = path.join(dir, 'bad.yaml');
  t.match(messageOf(() => loadScenario(bad)), new RegExp(`^${escape(bad)}:4:1: invalid YAML: `));
  t.equal(messageOf(() => loadScenario(path.join(dir, 'dup.yml'))), `${path.join(dir, 'dup.yml')}:2:1: invalid YAML: Map keys must be unique`);
  t.match(messageOf(() => loadScenario(path.join(dir, 'bad.json'))), new RegExp(`^${escape(path.join(dir, 'bad.json'))}:3:15: invalid JSON: `));
  t.equal(messageOf(() => loadScenario(path.join(dir, 'nope.yaml'))), `${path.join(dir, 'nope.yaml')}: not found (ENOENT)`);
  t.equal(messageOf(() => loadScenario(dir + '/sub.yaml/')), `${dir}/sub.yaml/: not found (ENOENT)`);
  t.equal(messageOf(() => loadScenario(path.join(dir, 'x.txt'))), `${path.join(dir, 'x.txt')}: expected a .yaml, .yml or .json file`);
});

t.test('bad trace CSV line', async (t) => {
  const dir = t.testdir({
    'traces': {
      'bad-rate.csv': 'time,rate\n0,100\n15m,lots\n',
      'bad-time.csv': 'time,rate\n0,100\n# a comment\n\n1h,200\n30m,300\n',
      'bad-header.csv': 't,r\n0,1\n',
      'three.csv': 'time,rate\n0,1,2\n',
      'empty.csv': 'time,rate\n',
    },
    'samples.csv': 'seconds\n0.1\n20ms\nslow\n',
  });
  const trace = (file: string) => messageOf(() => parseScenario({ ...minimal(), traffic: { rate: { trace: { file } } } }, 'x.yaml', dir));
  const csv = (name: string) => path.join(dir, 'traces', name);
  t.equal(
    trace('traces/bad-rate.csv'),
    `${csv('bad-rate.csv')}:3: rate: expected a rate like "10r/s" or "600r/m" (a bare number is requests per second), got "lots"`,
  );
  t.equal(trace('traces/bad-time.csv'), `${csv('bad-time.csv')}:6: time: expected a time after the previous row's (3600s); rows are in time order, got "30m"`);
  t.equal(trace('traces/bad-header.csv'), `${csv('bad-header.csv')}:1: expected a header line "time,rate", got "t,r"`);
  t.equal(trace('traces/three.csv'), `${csv('three.csv')}:2: expected two fields "time,rate", got "0,1,2"`);
  t.equal(trace('traces/empty.csv'), `${csv('empty.csv')}: expected at least one row after the header "time,rate", got nothing`);
  t.equal(
    trace('traces/missing.csv'),
    `x.yaml: traffic.rate.trace.file: expected a readable trace file relative to the scenario, got "traces/missing.csv" — ${csv('missing.csv')}: not found (ENOENT)`,
  );
  const samples = messageOf(() => {
    const s = minimal();
    s.components.web.serviceTime = { dist: 'empirical', file: 'samples.csv' };
    return parseScenario(s, 'x.yaml', dir);
  });
  t.equal(samples, `${path.join(dir, 'samples.csv')}:4: expected a duration with a unit like "40ms" or "40s", got "slow"`);
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

t.test('faults: an unknown pool or zone, with did-you-mean', async (t) => {
  const zoned = (change: (s: Record<string, any>) => void) => withChange((s) => { s.zones = ['us-east-1a', 'us-east-1b', 'us-east-1c']; change(s); });
  t.equal(
    messageOf(zoned((s) => (s.faults = [{ at: '10m', kill: 'wbe', count: 1 }]))),
    'scenarios/x.yaml: faults[0].kill: expected the name of a pool (did you mean "web"?), got "wbe"',
  );
  t.equal(
    messageOf(zoned((s) => (s.faults = [{ at: '10m', crash: 'nginx' }]))),
    'scenarios/x.yaml: faults[0].crash: expected the name of a pool ("nginx" is a loadBalancer), got "nginx"',
  );
  t.equal(
    messageOf(zoned((s) => (s.faults = [{ at: '10m', zoneOutage: 'us-east-1d' }]))),
    'scenarios/x.yaml: faults[0].zoneOutage: expected a zone of the scenario (did you mean "us-east-1a"?), got "us-east-1d"',
  );
  t.equal(
    messageOf(withChange((s) => (s.faults = [{ at: '10m', zoneOutage: 'b' }]))),
    'scenarios/x.yaml: faults[0].zoneOutage: expected a zone of the scenario (the scenario lists no zones), got "b"',
  );
  t.equal(
    messageOf(zoned((s) => (s.components.web.zones = ['us-east-1a', 'eu-west-1a']))),
    'scenarios/x.yaml: components.web.zones[1]: expected a zone of the scenario (one of us-east-1a, us-east-1b, us-east-1c), got "eu-west-1a"',
  );
  t.equal(
    messageOf(zoned((s) => (s.faults = [{ at: '10m', kill: 'web', count: 1, zone: 'us-east-1a' }]))),
    'scenarios/x.yaml: faults[0]: expected one of count, percent or zone (which instances), got ["count","zone"]',
  );
  t.equal(
    messageOf(zoned((s) => (s.faults = [{ at: '10m', kill: 'web', crash: 'web' }]))),
    'scenarios/x.yaml: faults[0]: expected exactly one of zoneOutage, kill, crash, slow, errors, failover, got ["kill","crash"]',
  );
  t.equal(
    messageOf(zoned((s) => (s.faults = [{ at: '2h', slow: 'web', factor: 3, for: '5m' }]))),
    'scenarios/x.yaml: faults[0].at: expected a time before the end of the run (3600 s), got "2h"',
  );
  t.equal(
    messageOf(zoned((s) => (s.faults = [{ at: '20:00', slow: 'web', factor: 3, for: '5m' }]))),
    'scenarios/x.yaml: faults[0].at: expected a duration after the start like "3h" (a clock time like "20:30" needs startTime), got "20:00"',
  );
  t.equal(
    messageOf(zoned((s) => (s.faults = [{ at: '10m', slow: 'web', factor: 3 }]))),
    'scenarios/x.yaml: faults[0].for: expected a duration: how long the slow fault lasts, like "10m", got nothing',
  );
  t.equal(
    messageOf(zoned((s) => (s.faults = [{ at: '10m', errors: 'web', fraction: '5%', status: 404, for: '1m' }]))),
    'scenarios/x.yaml: faults[0].status: expected one of 500, 502, 503, 504, got 404',
  );
  t.equal(
    messageOf(zoned((s) => (s.faults = [{ at: '10m', kill: 'web', count: 1, factor: 2 }]))),
    'scenarios/x.yaml: faults[0].factor: expected nothing: factor is not a setting of a kill fault, got 2',
  );
  t.equal(
    messageOf(zoned((s) => (s.faults = [{ at: '10m', kil: 'web' }]))),
    'scenarios/x.yaml: faults[0].kil: unknown key; did you mean "kill"?',
  );
});

t.test('deploy manifests: maxSurge and maxUnavailable both 0, and other rules Kubernetes validates', async (t) => {
  const deployment = (strategy: unknown, extra: Record<string, unknown> = {}) => withChange((s) => {
    s.components.web.deploy = { apiVersion: 'apps/v1', kind: 'Deployment', spec: { replicas: 3, strategy, ...extra } };
  });
  t.equal(
    messageOf(deployment({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } })),
    'scenarios/x.yaml: components.web.deploy.spec.strategy.rollingUpdate.maxUnavailable: expected a value other than 0 when maxSurge is 0 (Kubernetes rejects both 0: the rollout could never start), got 0',
  );
  t.equal(
    messageOf(deployment({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '0%', maxUnavailable: 0 } })),
    'scenarios/x.yaml: components.web.deploy.spec.strategy.rollingUpdate.maxUnavailable: expected a value other than 0 when maxSurge is 0 (Kubernetes rejects both 0: the rollout could never start), got 0',
  );
  t.equal(
    messageOf(deployment({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25 %' } })),
    'scenarios/x.yaml: components.web.deploy.spec.strategy.rollingUpdate.maxSurge: expected a count ≥ 0 or a percentage like "25%", got "25 %"',
  );
  t.equal(
    messageOf(deployment({ type: 'Recreate', rollingUpdate: { maxSurge: 1 } })),
    "scenarios/x.yaml: components.web.deploy.spec.strategy.rollingUpdate: expected nothing: it may not be specified when strategy type is 'Recreate', got {\"maxSurge\":1}",
  );
  t.equal(
    messageOf(deployment({ type: 'Rolling' })),
    'scenarios/x.yaml: components.web.deploy.spec.strategy.type: expected one of RollingUpdate, Recreate (did you mean "RollingUpdate"?), got "Rolling"',
  );
  t.equal(
    messageOf(deployment(undefined, { minReadySeconds: 30, progressDeadlineSeconds: 30 })),
    'scenarios/x.yaml: components.web.deploy.spec.progressDeadlineSeconds: expected a number of seconds greater than minReadySeconds (30), got 30',
  );
  t.equal(
    messageOf(withChange((s) => (s.components.web.deploy = { replicas: 3, update_config: { failure_action: 'rollbak' } }))),
    'scenarios/x.yaml: components.web.deploy.update_config.failure_action: expected one of pause, continue, rollback (did you mean "rollback"?), got "rollbak"',
  );
  t.equal(
    messageOf(withChange((s) => (s.components.web.deploy = { replicas: 3, update_config: { paralelism: 2 } }))),
    'scenarios/x.yaml: components.web.deploy.update_config.paralelism: unknown key; did you mean "parallelism"?',
  );
  t.equal(
    messageOf(withChange((s) => { s.components.web.deploy = { apiVersion: 'apps/v1', kind: 'Deployment', spec: {} }; s.components.web.healthCheck = { interval: '10s' }; })),
    "scenarios/x.yaml: components.web.healthCheck: expected nothing here: Kubernetes ignores an image's HEALTHCHECK (give the Deployment a livenessProbe), got {\"interval\":\"10s\"}",
  );
  t.equal(
    messageOf(withChange((s) => (s.components.web.deploy = { file: 'nowhere.yaml' }))),
    'scenarios/x.yaml: components.web.deploy.file: expected a readable manifest file relative to the scenario, got "nowhere.yaml" — scenarios/nowhere.yaml: not found (ENOENT)',
  );
});

t.test('releases: the pool, a strategy, a new version', async (t) => {
  t.equal(
    messageOf(withChange((s) => (s.releases = [{ at: '10m', pool: 'web', version: 'v2' }]))),
    'scenarios/x.yaml: releases[0]: expected a blueGreen or canary strategy (pool web has no deploy manifest or Kubernetes autoscaler that says how it updates), got {"at":"10m","pool":"web","version":"v2"}',
  );
  t.equal(
    messageOf(withChange((s) => (s.releases = [{ at: '10m', pool: 'api', version: 'v2', canary: { steps: [{ weight: '10%', pause: '5m' }] } }]))),
    'scenarios/x.yaml: releases[0].pool: expected the name of a pool (one of web), got "api"',
  );
  t.equal(
    messageOf(withChange((s) => (s.releases = [{ at: '10m', pool: 'web', version: 'v1', canary: { steps: [{ weight: '10%', pause: '5m' }] } }]))),
    'scenarios/x.yaml: releases[0].version: expected a version other than the one web runs by then (v1), got "v1"',
  );
  t.equal(
    messageOf(withChange((s) => (s.releases = [{ at: '10m', pool: 'web', version: 'v2', canary: { steps: [{ weight: '50%', pause: '5m' }, { weight: '20%', pause: '5m' }] } }]))),
    'scenarios/x.yaml: releases[0].canary.steps[1].weight: expected a weight above the step before (50%), got {"weight":"20%","pause":"5m"}',
  );
});
