// Loading and normalisation: defaults, units, distributions, curves, traces.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { loadScenario, parseScenario } from '../../src/scenario/index.ts';
import type { LoadBalancerConfig, PoolConfig } from '../../src/scenario/index.ts';
import { Z99 } from '../../src/scenario/dist.ts';
import { minimal } from './helpers.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => path.join(here, 'fixtures', name);
const MI = 2 ** 20;
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b));

t.test('the full example: every field normalised', async (t) => {
  const s = loadScenario(fixture('full.yaml'));
  t.match(s, {
    name: 'saler-baseline',
    description: 'Saler stack, a Black Friday day',
    file: fixture('full.yaml'),
    seed: 42,
    duration: 7200,
    warmup: 300,
    sampleInterval: 10,
    startTime: '2026-11-27T00:00:00.000Z',
    currency: 'USD',
    workload: { model: 'open', rate: { kind: 'diurnal', min: 200, max: 1200, peakHour: 20, period: 86400 } },
    clients: 50000,
    mix: [
      { name: 'page', weight: 70, entry: 'nginx', serviceTimeScale: 1 },
      { name: 'api', weight: 30, entry: 'nginx-api', serviceTimeScale: 1.2 },
    ],
  });
  t.same(s.components.map((c) => `${c.kind}:${c.name}`), ['loadBalancer:nginx', 'loadBalancer:nginx-api', 'pool:web', 'pool:api'], 'in file order');
  const [nginx, nginxApi, web, api] = s.components as [LoadBalancerConfig, LoadBalancerConfig, PoolConfig, PoolConfig];
  t.same(nginx, {
    kind: 'loadBalancer',
    name: 'nginx',
    upstream: 'web',
    balancing: 'round_robin',
    weights: [3, 2, 2],
    maxFails: 3,
    failTimeout: 30,
    connectTimeout: 60,
    nextUpstream: { on: ['error', 'timeout', 'http_503'], tries: 3, timeout: 10 },
    limitReq: { rate: 100, burst: 20, nodelay: true, delay: 20, key: 'client' },
    overhead: { kind: 'constant', value: 0 },
  });
  t.same(nginxApi, {
    kind: 'loadBalancer',
    name: 'nginx-api',
    upstream: 'api',
    balancing: 'least_conn',
    weights: [],
    maxFails: 1,
    failTimeout: 10,
    connectTimeout: 60,
    nextUpstream: { on: ['error', 'timeout'], tries: 0, timeout: 0 },
    limitReq: null,
    overhead: { kind: 'constant', value: 0 },
  }, 'nginx defaults');
  t.match(web, {
    kind: 'pool',
    name: 'web',
    instances: 3,
    workers: 16,
    backlog: 128,
    timeout: 60,
    bootTime: { kind: 'uniform', min: 40, max: 80 },
    readinessDelay: 5,
    drainTimeout: 30,
    pricePerHour: 0.0416,
    cpuRequest: 250,
    cpuLimit: 250,
    memoryRequest: 256 * MI,
    memory: { base: 120 * MI, perRequest: 2 * MI, perQueued: 64 * 1024 },
    next: [{ to: 'api', p: 1 }],
    metrics: { scrapeInterval: 15, window: 60 },
  });
  t.equal(web.serviceTime.kind, 'lognormal');
  if (web.serviceTime.kind === 'lognormal') {
    t.ok(close(web.serviceTime.mu, Math.log(0.02)), 'mu = ln median');
    t.ok(close(web.serviceTime.sigma, (Math.log(0.15) - Math.log(0.02)) / Z99), 'sigma from p99');
  }
  t.ok(web.autoscaling !== null && typeof web.autoscaling === 'object', 'autoscaling parsed by the policy parser');
  t.same(api, {
    kind: 'pool',
    name: 'api',
    instances: 2,
    workers: 1,
    backlog: Infinity,
    serviceTime: { kind: 'gamma', shape: 4, scale: 0.03 * 0.25 },
    timeout: Infinity,
    bootTime: { kind: 'constant', value: 0 },
    readinessDelay: 0,
    drainTimeout: 30,
    pricePerHour: 0,
    cpuRequest: 1000,
    cpuLimit: 1000,
    memoryRequest: 512 * MI,
    memory: { base: Math.round(0.3 * 512 * MI), perRequest: MI, perQueued: 64 * 1024 },
    next: [],
    calls: [],
    connections: {},
    autoscaling: null,
    metrics: { scrapeInterval: 15, window: 60 },
    zones: [],
    version: 'v1',
    // no autoscaler, no deploy manifest: nothing restarts or replaces its instances
    supervision: { platform: 'none', restart: { kind: 'never' }, healthCheck: null, replaceAfter: Infinity, zoneLossAfter: Infinity, strategy: null },
  }, 'pool defaults');
  t.same(s.slo, [
    { name: 'p99 under 500ms', metric: 'latency.p99', op: '<=', threshold: 0.5 },
    { name: 'errorRate <= 0.1%', metric: 'errorRate', op: '<=', threshold: 0.001 },
    { name: 'throughput >= 100r/s', metric: 'throughput', op: '>=', threshold: 100 },
  ]);
});

t.test('defaults of a minimal scenario', async (t) => {
  const s = parseScenario(minimal(), 'dir/tiny.yml', 'dir');
  t.match(s, {
    name: 'tiny',
    description: '',
    file: 'dir/tiny.yml',
    seed: 1,
    duration: 3600,
    warmup: 0,
    sampleInterval: 10,
    startTime: null,
    currency: 'USD',
    workload: { model: 'open', rate: { kind: 'constant', rate: 10 } },
    clients: 10000,
    mix: [{ name: 'default', weight: 1, entry: 'nginx', serviceTimeScale: 1 }],
    slo: [],
  });
  t.same(s.components[1], {
    ...(s.components[1] as PoolConfig),
    serviceTime: { kind: 'constant', value: 0.02 },
    backlog: Infinity,
  });
});

t.test('a closed model in JSON, with an empirical distribution from a file', async (t) => {
  const s = loadScenario(fixture('closed.json'));
  t.equal(s.name, 'closed');
  t.same(s.workload, { model: 'closed', users: 500, thinkTime: { kind: 'exponential', mean: 5 } });
  t.same((s.components[0] as PoolConfig).serviceTime, { kind: 'empirical', samples: [0.012, 0.015, 0.02] });
  t.same(s.slo.map((o) => [o.name, o.threshold]), [['latency.mean <= 250ms', 0.25], ['cost <= 2.5', 2.5]]);
});

t.test('the seed override', async (t) => {
  t.equal(loadScenario(fixture('full.yaml'), { seed: 7 }).seed, 7);
  t.equal(loadScenario(fixture('full.yaml'), {}).seed, 42);
  t.throws(() => loadScenario(fixture('full.yaml'), { seed: 1.5 }), { message: `${fixture('full.yaml')}: seed: expected an integer (the seed override), got 1.5` });
});

t.test('every curve form', async (t) => {
  const s = loadScenario(fixture('curves.yaml'));
  t.equal(s.workload.model, 'open');
  if (s.workload.model !== 'open' || s.workload.rate.kind !== 'sum') throw new Error('expected a sum');
  const [product, ramp, step, spike, constant, bare, perMinute] = s.workload.rate.of;
  t.match(product, { kind: 'product', of: [{ kind: 'trace', interpolate: 'linear' }, { kind: 'constant', rate: 0.5 }] });
  t.same(ramp, { kind: 'ramp', from: 0, to: 10, start: 3600, end: 7200 });
  t.same(step, { kind: 'step', initial: 1, steps: [{ at: 1800, rate: 2 }, { at: 3600, rate: 3 }] });
  t.same(spike, { kind: 'spike', base: 0, peak: 500, at: 43200, rise: 60, hold: 600, decay: 300 });
  t.same(constant, { kind: 'constant', rate: 5 });
  t.same(bare, { kind: 'constant', rate: 2 });
  t.same(perMinute, { kind: 'constant', rate: 2 });
  t.same((s.components[0] as PoolConfig).serviceTime, { kind: 'exponential', mean: 0.02 });
});

t.test('the shipped example trace: a day at 15-minute resolution', async (t) => {
  const s = parseScenario({ ...minimal(), traffic: { rate: { trace: { file: 'traces/example-day.csv' } } } }, 'scenarios/day.yaml', path.join(here, '../../scenarios'));
  if (s.workload.model !== 'open' || s.workload.rate.kind !== 'trace') throw new Error('expected a trace');
  const { times, rates, interpolate, source } = s.workload.rate;
  t.equal(interpolate, 'step', 'step by default');
  t.equal(source, path.join(here, '../../scenarios/traces/example-day.csv'));
  t.equal(times.length, 97);
  t.equal(times[0], 0);
  t.equal(times[96], 86400);
  t.ok(times.every((x, i) => i === 0 || x - times[i - 1] === 900), 'every 15 minutes');
  const peak = times[rates.indexOf(Math.max(...rates))] / 3600;
  const trough = times[rates.indexOf(Math.min(...rates))] / 3600;
  t.ok(peak >= 19 && peak <= 22, `evening peak (${peak}h)`);
  t.ok(trough >= 2 && trough <= 6, `night trough (${trough}h)`);
});

t.test('distribution forms', async (t) => {
  const dist = (serviceTime: unknown) => {
    const s = minimal();
    s.components.web.serviceTime = serviceTime;
    return (parseScenario(s, 'x.yaml', '.').components[1] as PoolConfig).serviceTime;
  };
  t.same(dist('500ms'), { kind: 'constant', value: 0.5 });
  t.same(dist(0), { kind: 'constant', value: 0 }, 'zero may stand bare');
  t.throws(() => dist(0.5), { message: 'x.yaml: components.web.serviceTime: expected a duration with a unit like "40ms" or "40s", got 0.5' }, 'any other bare number is refused');
  t.same(dist('1h30m'), { kind: 'constant', value: 5400 });
  t.same(dist({ dist: 'constant', value: '2s' }), { kind: 'constant', value: 2 });
  t.same(dist({ dist: 'exponential', mean: '250ms' }), { kind: 'exponential', mean: 0.25 });
  t.same(dist({ dist: 'exponential', rate: '600r/m' }), { kind: 'exponential', mean: 0.1 });
  t.same(dist({ dist: 'normal', mean: '1s', sd: '100ms' }), { kind: 'normal', mean: 1, sd: 0.1 });
  t.same(dist({ dist: 'lognormal', mu: -3, sigma: 0.5 }), { kind: 'lognormal', mu: -3, sigma: 0.5 });
  const ln = dist({ dist: 'lognormal', mean: '100ms', cv: 2 });
  if (ln.kind !== 'lognormal') throw new Error('lognormal');
  t.ok(close(ln.sigma, Math.sqrt(Math.log(5))));
  t.ok(close(ln.mu, Math.log(0.1) - Math.log(5) / 2));
  t.ok(close(Math.exp(ln.mu + ln.sigma ** 2 / 2), 0.1), 'the mean is kept');
  t.same(dist({ dist: 'gamma', shape: 2, scale: '10ms' }), { kind: 'gamma', shape: 2, scale: 0.01 });
  t.same(dist({ dist: 'pareto', scale: '10ms', shape: 1.5 }), { kind: 'pareto', scale: 0.01, shape: 1.5 });
  t.same(dist({ dist: 'empirical', samples: ['10ms', '20ms', '1s'] }), { kind: 'empirical', samples: [0.01, 0.02, 1] });
});

t.test('small conveniences', async (t) => {
  const s = minimal();
  s.components.web.backlog = 'unlimited';
  s.components.web.timeout = 'none';
  s.components.web.next = null;
  s.components.web.autoscaling = null;
  s.components.nginx.nextUpstream = { on: 'off' };
  s.components.nginx.limitReq = { rate: '5r/m', burst: 10, delay: 4, key: 'global' };
  const parsed = parseScenario(s, 'x.yaml', '.');
  const [lb, pool] = parsed.components as [LoadBalancerConfig, PoolConfig];
  t.equal(pool.backlog, Infinity);
  t.equal(pool.timeout, Infinity);
  t.same(pool.next, []);
  t.same(pool.calls, []);
  t.same(pool.connections, {});
  t.equal(pool.autoscaling, null);
  t.same(lb.nextUpstream.on, []);
  t.same(lb.limitReq, { rate: 5 / 60, burst: 10, nodelay: false, delay: 4, key: 'global' });
  t.same(lb.weights, [], 'more weights than instances are allowed too: they apply to instances created later');
});

t.test('the example scenarios', async (t) => {
  const dir = path.join(here, '../../scenarios');
  const mm1 = loadScenario(path.join(dir, 'mm1.yaml'));
  t.match(mm1, { name: 'mm1', seed: 1, workload: { rate: { kind: 'constant', rate: 0.8 } } });
  t.match(mm1.components, [{ kind: 'pool', instances: 1, workers: 1, backlog: Infinity, serviceTime: { kind: 'exponential', mean: 1 } }]);
  t.ok(mm1.warmup > 0 && mm1.warmup < mm1.duration);
  const md1 = loadScenario(path.join(dir, 'md1.yaml'));
  t.match(md1.components, [{ kind: 'pool', instances: 1, workers: 1, backlog: Infinity, serviceTime: { kind: 'constant', value: 1 } }]);
  t.match(md1.workload, { rate: { kind: 'constant', rate: 0.8 } });
  const mmc = loadScenario(path.join(dir, 'mmc.yaml'));
  t.match(mmc.components, [{ kind: 'pool', instances: 1, workers: 10, backlog: Infinity, serviceTime: { kind: 'exponential', mean: 1 } }]);
  t.match(mmc.workload, { rate: { kind: 'constant', rate: 9 } });
  for (const s of [mm1, md1, mmc]) t.same(s.mix, [{ name: 'default', weight: 1, entry: 'server', serviceTimeScale: 1 }], `${s.name} enters the pool`);
});

t.test('autoscaling: { file } loads the policy file beside the scenario; its errors name that file', async (t) => {
  const { mkdtempSync, writeFileSync, mkdirSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'policy-file-'));
  mkdirSync(join(dir, 'policies'));
  const scenario = (file: string) => ({
    duration: '10m', traffic: { rate: 10 },
    components: { web: { kind: 'pool', instances: 2, serviceTime: '10ms', autoscaling: { file } } },
  });
  writeFileSync(join(dir, 'policies', 'ok.yaml'), 'serviceType: web_server\nmin_instances: 2\nmax_instances: 6\n');
  const sc = parseScenario(scenario('policies/ok.yaml'), join(dir, 's.yaml'), dir);
  const web = sc.components[0];
  t.ok(web.kind === 'pool' && web.autoscaling?.kind === 'orchestrator', 'the policy from the file');
  writeFileSync(join(dir, 'policies', 'bad.yaml'), 'serviceType: web_server\nmax_instnces: 6\n');
  t.throws(() => parseScenario(scenario('policies/bad.yaml'), join(dir, 's.yaml'), dir), {
    message: new RegExp(`^${join(dir, 'policies', 'bad.yaml').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: max_instnces: .*did you mean "max_instances"`),
  });
  t.throws(() => parseScenario(scenario('policies/none.yaml'), join(dir, 's.yaml'), dir), {
    message: /s\.yaml: components\.web\.autoscaling\.file: expected a readable policy file/,
  });
});
