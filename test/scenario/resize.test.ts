// A release that resizes its pool (src/scenario/resize.ts): the size it leads to, the version label
// it gets when it names none, and the one-line errors of a resize that cannot be.
import t from 'tap';
import { parseScenario } from '../../src/scenario/index.ts';
import type { PoolConfig, Release } from '../../src/scenario/types.ts';
import { messageOf } from './helpers.ts';

const MIB = 2 ** 20, GIB = 2 ** 30;

/** A VM pool of m6i.large under a Deployment (so a release needs no strategy of its own) and `releases`. */
function vm(releases: unknown[], pool: Record<string, unknown> = {}): Record<string, any> {
  return {
    duration: '1h',
    traffic: { rate: 10 },
    components: {
      api: {
        kind: 'pool', instanceType: 'm6i.large', serviceTime: '20ms', ...pool,
        deploy: { apiVersion: 'apps/v1', kind: 'Deployment', spec: { replicas: 4 } },
      },
    },
    releases,
  };
}

/** Pods on nodes (m6i.large nodes: 2000m, 8Gi), sized by hand. */
function pods(releases: unknown[]): Record<string, any> {
  return {
    duration: '1h',
    traffic: { rate: 10 },
    components: {
      api: {
        kind: 'pool', workers: 4, cpuRequest: '500m', cpuLimit: '1', memoryRequest: '1Gi', serviceTime: '20ms',
        deploy: { apiVersion: 'apps/v1', kind: 'Deployment', spec: { replicas: 2 } },
      },
    },
    nodes: { pools: { general: { instanceType: 'm6i.large', count: 1, min: 1, max: 4 } } },
    releases,
  };
}

const parse = (raw: unknown) => parseScenario(raw, 'x.yaml', '.');
const releases = (raw: unknown): Release[] => parse(raw).releases;

t.test('another instance type: its vCPUs, memory and price, workers per vCPU as the pool runs them', async (t) => {
  const [r] = releases(vm([{ at: '10m', pool: 'api', instanceType: 'm6i.2xlarge' }]));
  t.equal(r.version, 'v1+m6i.2xlarge', 'the label: the running version marked with the new type');
  t.same(r.size, { instanceType: 'm6i.2xlarge', workers: 8, pricePerHour: 0.384, cpuRequest: 8000, cpuLimit: 8000, memoryRequest: 32 * GIB });
  // two workers per vCPU on m6i.large (4 workers) → 16 on m6i.2xlarge; `workers:` on the release overrides
  const [r2] = releases(vm([{ at: '10m', pool: 'api', instanceType: 'm6i.2xlarge' }], { workersPerVcpu: 2 }));
  t.equal(r2.size!.workers, 16);
  const [r3] = releases(vm([{ at: '10m', pool: 'api', instanceType: 'm6i.2xlarge', workers: 3, version: 'big' }]));
  t.equal(r3.size!.workers, 3);
  t.equal(r3.version, 'big');
});

t.test('a release after a resize keeps the size; one back to an earlier label brings its size back', async (t) => {
  const rs = releases(vm([
    { at: '10m', pool: 'api', instanceType: 'm6i.xlarge', version: 'v1-xl' },
    { at: '20m', pool: 'api', version: 'v2' },
    { at: '30m', pool: 'api', version: 'v1' },
  ]));
  t.equal(rs[0].size!.instanceType, 'm6i.xlarge');
  t.same(rs[1].size, rs[0].size, 'v2 runs at the size in effect (the template carries the resources)');
  t.equal(rs[2].size, undefined, 'v1 again: the pool\'s own size (no size attached)');
  const [plain] = releases(vm([{ at: '10m', pool: 'api', version: 'v2' }]));
  t.equal(plain.size, undefined, 'a release that never meets a resize carries no size: runs without one read as before');
});

t.test('pods resized by hand: fields not given keep their value; a request past the limit takes the limit along', async (t) => {
  const [r] = releases(pods([{ at: '10m', pool: 'api', cpuRequest: '1500m', memoryRequest: '2Gi' }]));
  t.equal(r.version, 'v1+cpu1500m-mem2048Mi');
  t.same(r.size, { workers: 4, pricePerHour: 0, cpuRequest: 1500, cpuLimit: 1500, memoryRequest: 2 * GIB });
  const [r2] = releases(pods([{ at: '10m', pool: 'api', cpuLimit: '2' }]));
  t.same(r2.size, { workers: 4, pricePerHour: 0, cpuRequest: 500, cpuLimit: 2000, memoryRequest: GIB });
  t.equal(r2.version, 'v1+lim2000m');
});

t.test('bad resizes: one line naming the field and what was expected', async (t) => {
  t.equal(messageOf(() => parse(vm([{ at: '10m', pool: 'api', instanceType: 'm6i.2xlarg' }]))),
    'x.yaml: releases[0].instanceType: expected a catalogued instance type (did you mean "m6i.2xlarge"?), got "m6i.2xlarg"');
  t.equal(messageOf(() => parse(pods([{ at: '10m', pool: 'api', instanceType: 'm6i.large' }]))),
    'x.yaml: releases[0].instanceType: expected cpuRequest, cpuLimit, memoryRequest, workers or pricePerHour (pool api has no instanceType: it is sized by hand), got "m6i.large"');
  t.equal(messageOf(() => parse(vm([{ at: '10m', pool: 'api', instanceType: 'm6i.xlarge', pricePerHour: 0.1 }]))),
    'x.yaml: releases[0].pricePerHour: expected instanceType (pool api is sized by its instance type, which sets pricePerHour), got 0.1');
  t.equal(messageOf(() => parse(pods([{ at: '10m', pool: 'api', cpuLimit: '250m' }]))),
    'x.yaml: releases[0].cpuLimit: expected a CPU quantity like "250m" or 1 (cores) not below the cpuRequest then (500m), got "250m"');
  t.equal(messageOf(() => parse(vm([{ at: '10m', pool: 'api', instanceType: 'm6i.large' }]))),
    'x.yaml: releases[0]: expected a size other than the one api runs by then (m6i.large, 2 workers), got "m6i.large, 2 workers"');
  t.equal(messageOf(() => parse(pods([{ at: '10m', pool: 'api', cpuRequest: '3' }]))),
    'x.yaml: releases[0].cpuRequest: expected a pod request that fits on a node it may go to (m6i.large: 2000m, 8Gi), got "3000m"');
  t.equal(messageOf(() => parse(pods([{ at: '10m', pool: 'api', workers: 0 }]))),
    'x.yaml: releases[0].workers: expected an integer ≥ 1, got 0');
  // the timeline's order: the second release (first in time) resizes v1 into "v2"; "v2" later at another size is refused
  t.equal(messageOf(() => parse(vm([
    { at: '30m', pool: 'api', version: 'v2', instanceType: 'm6i.2xlarge' },
    { at: '10m', pool: 'api', version: 'v2', instanceType: 'm6i.xlarge' },
    { at: '20m', pool: 'api', version: 'v3' },
  ]))), 'x.yaml: releases[0].version: expected a version label not released before at another size (v2 ran m6i.xlarge, 2 workers), got "v2"'.replace('2 workers', '4 workers'));
  t.match(messageOf(() => parse(vm([{ at: '10m', pool: 'api' }]))), /releases\[0\]\.version: expected a version label/, 'a release that does not resize still names its version');
});

t.test('the pool keeps its own size; a resize is only on the timeline', async (t) => {
  const sc = parse(pods([{ at: '10m', pool: 'api', memoryRequest: '512Mi' }]));
  const api = sc.components[0] as PoolConfig;
  t.equal(api.memoryRequest, GIB);
  t.equal(sc.releases[0].size!.memoryRequest, 512 * MIB);
});
