// HPA end to end through parsePolicy/initialState/decide. Cases marked with a kubernetes test
// name transcribe horizontal_test.go's inputs and expected desired replicas (v1 ResourceCPU
// targets, pods with 1-core requests); the rest check documented controller behaviour.
import t from 'tap';
import { policyErrorOf } from './helpers.ts';
import { bounds, decide, initialState, parsePolicy, syncPeriod } from '../../src/autoscale/index.ts';
import type { InstanceObservation, Observation, PolicyConfig, PolicyState } from '../../src/autoscale/index.ts';

function manifest(spec: Record<string, unknown>) {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'test-hpa' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'test' }, ...spec },
  };
}
const cpuTarget = (u: number) => [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: u } } }];

/** n warmed-up ready pods with a 1-core request each and the given cpu millicores */
function pods(levels: number[], startTime = 0): InstanceObservation[] {
  return levels.map((cpu, i) => ({ id: `pod-${i}`, phase: 'running', ready: true, startTime, readySince: startTime, requests: { cpu: 1000 }, metrics: { cpu } }));
}

function run(cfg: PolicyConfig, steps: { time: number; obs: (current: number) => Observation }[], start: number) {
  let current = start;
  let state: PolicyState = initialState(cfg, current, steps[0].time);
  const out: number[] = [];
  for (const s of steps) {
    const d = decide(cfg, state, s.obs(current), s.time);
    state = d.state;
    current = d.desired;
    out.push(current);
  }
  return out;
}

t.test('TestScaleUpOneMetricEmpty: a failing External metric does not block a scale-up', async (t) => {
  const cfg = parsePolicy(manifest({
    minReplicas: 2, maxReplicas: 6,
    metrics: [...cpuTarget(30), { type: 'External', external: { metric: { name: 'qps', selector: {} }, target: { type: 'Value', value: '100m' } } }],
  }));
  const obs: Observation = { currentReplicas: 3, instances: pods([300, 400, 500]) };
  const d = decide(cfg, initialState(cfg, 3, 1000), obs, 1000);
  t.equal(d.desired, 4);
});

t.test('TestNoScaleDownOneMetricEmpty: a failing External metric blocks a scale-down', async (t) => {
  const cfg = parsePolicy(manifest({
    minReplicas: 2, maxReplicas: 6,
    metrics: [...cpuTarget(50), { type: 'External', external: { metric: { name: 'qps', selector: {} }, target: { type: 'Value', value: '1' } } }],
  }));
  const d = decide(cfg, initialState(cfg, 5, 1000), { currentReplicas: 5, instances: pods([100, 300, 500, 250, 250]) }, 1000);
  t.equal(d.desired, 5);
  t.equal(d.rule, 'FailedGetMetrics');
});

t.test('TestScaleUpRCImmediately: below minReplicas goes straight to min', async (t) => {
  const cfg = parsePolicy(manifest({ minReplicas: 2, maxReplicas: 6, metrics: cpuTarget(80) }));
  const d = decide(cfg, initialState(cfg, 1, 0), { currentReplicas: 1, instances: pods([0]) }, 0);
  t.same([d.desired, d.rule], [2, 'TooFewReplicas']);
});

t.test('TestScaleDownRCImmediately: above maxReplicas goes straight to max', async (t) => {
  const cfg = parsePolicy(manifest({ minReplicas: 2, maxReplicas: 5, metrics: cpuTarget(50) }));
  const d = decide(cfg, initialState(cfg, 6, 0), { currentReplicas: 6, instances: pods([8000, 9500, 1000]) }, 0);
  t.same([d.desired, d.rule], [5, 'TooManyReplicas']);
});

t.test('scaling disabled when the target is at 0 replicas and minReplicas ≠ 0', async (t) => {
  const cfg = parsePolicy(manifest({ minReplicas: 1, maxReplicas: 5, metrics: cpuTarget(50) }));
  const d = decide(cfg, initialState(cfg, 0, 0), { currentReplicas: 0, instances: [] }, 0);
  t.same([d.desired, d.rule], [0, 'ScalingDisabled']);
});

t.test('minReplicas 0 with an External metric scales from zero on the usage ratio', async (t) => {
  const cfg = parsePolicy(manifest({
    minReplicas: 0, maxReplicas: 10,
    metrics: [{ type: 'External', external: { metric: { name: 'queue' }, target: { type: 'Value', value: '10' } } }],
    behavior: {},
  }));
  const d = decide(cfg, initialState(cfg, 0, 0), { currentReplicas: 0, instances: [], external: { queue: 35 } }, 0);
  t.equal(d.desired, 4, 'ceil(35/10) with no pods');
});

t.test('several metrics: the largest proposal wins', async (t) => {
  const cfg = parsePolicy(manifest({
    minReplicas: 1, maxReplicas: 50,
    metrics: [...cpuTarget(50), { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '10' } } }],
    behavior: { scaleUp: { policies: [{ type: 'Pods', value: 100, periodSeconds: 15 }] } },
  }));
  const inst = pods([600, 600]).map((p) => ({ ...p, metrics: { ...p.metrics, rps: 40 } }));
  const d = decide(cfg, initialState(cfg, 2, 0), { currentReplicas: 2, instances: inst }, 0);
  t.equal(d.desired, 8, 'cpu proposes 3, rps proposes ceil(4×2)=8');
});

t.test('default behavior ({}): scale up max(100%, 4 pods) per 15 s, scale down held 300 s', async (t) => {
  const cfg = parsePolicy(manifest({ minReplicas: 1, maxReplicas: 1000, metrics: cpuTarget(50), behavior: {} }));
  t.equal(syncPeriod(cfg), 15);
  const hot = (n: number): Observation => ({ currentReplicas: n, instances: pods(Array(n).fill(10000)) });
  const up = run(cfg, [0, 15, 30, 45].map((x) => ({ time: 1000 + x, obs: hot })), 1);
  t.same(up, [5, 10, 20, 40], '1 → 5 → 10 → 20 → 40');

  // load on target at t=1000, then gone: no scale-down until the t=1000 recommendation (40) is 300 s old
  const onTarget = (n: number): Observation => ({ currentReplicas: n, instances: pods(Array(n).fill(500)) });
  let state = initialState(cfg, 40, 1000);
  state = decide(cfg, state, onTarget(40), 1000).state;
  const idle: Observation = { currentReplicas: 40, instances: pods(Array(40).fill(10)) };
  let held = true;
  for (let time = 1015; time <= 1285; time += 15) {
    const d = decide(cfg, state, idle, time);
    state = d.state;
    if (d.desired !== 40) held = false;
  }
  t.ok(held, 'held at 40 from t=1015 to t=1285');
  const d = decide(cfg, state, idle, 1300);
  t.equal(d.desired, 1, 'released at t=1300 (window 300 s, 100% per 15 s, clamped to minReplicas)');
});

t.test('no behavior (legacy path in horizontal.go): scale up max(2×current, 4), downscale window 300 s inclusive', async (t) => {
  const cfg = parsePolicy(manifest({ minReplicas: 1, maxReplicas: 1000, metrics: cpuTarget(50) }));
  const hot = (n: number): Observation => ({ currentReplicas: n, instances: pods(Array(n).fill(10000)) });
  t.same(run(cfg, [0, 15, 30, 45].map((x) => ({ time: 1000 + x, obs: hot })), 1), [4, 8, 16, 32]);
  const onTarget = (n: number): Observation => ({ currentReplicas: n, instances: pods(Array(n).fill(500)) });
  let state = decide(cfg, initialState(cfg, 32, 1000), onTarget(32), 1000).state;
  const idle: Observation = { currentReplicas: 32, instances: pods(Array(32).fill(10)) };
  state = decide(cfg, state, idle, 1285).state;
  const at300 = decide(cfg, state, idle, 1300);
  t.equal(at300.desired, 32, 'a recommendation exactly 300 s old still counts');
  t.equal(decide(cfg, at300.state, idle, 1315).desired, 1);
});

t.test('saler-hpa: behavior from the guide (scaleUp window 60 s, max(100%, 2 pods)/60 s; scaleDown 50%/60 s)', async (t) => {
  const cfg = parsePolicy(manifest({
    minReplicas: 3, maxReplicas: 20,
    metrics: [
      ...cpuTarget(70),
      { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } } },
      { type: 'Pods', pods: { metric: { name: 'http_requests_per_second' }, target: { type: 'AverageValue', averageValue: '100' } } },
    ],
    behavior: {
      scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] },
      scaleUp: { stabilizationWindowSeconds: 60, policies: [{ type: 'Percent', value: 100, periodSeconds: 60 }, { type: 'Pods', value: 2, periodSeconds: 60 }], selectPolicy: 'Max' },
    },
  }));
  t.same(bounds(cfg), { min: 3, max: 20 });
  const obs = (n: number, rps: number): Observation => ({
    currentReplicas: n,
    instances: Array.from({ length: n }, (_, i) => ({ id: `p${i}`, phase: 'running' as const, ready: true, startTime: 0, readySince: 0, requests: { cpu: 500, memory: 512 * 2 ** 20 }, metrics: { cpu: 200, memory: 200 * 2 ** 20, http_requests_per_second: rps } })),
  });
  let state = initialState(cfg, 3, 0);
  // rps 300 per pod on 3 pods → proposal 9, but the 60 s scale-up window holds the minimum of recent recommendations
  let d = decide(cfg, state, obs(3, 300), 0);
  t.equal(d.desired, 3, 'initial recommendation (3) is inside the 60 s up-window');
  state = d.state;
  d = decide(cfg, state, obs(3, 300), 60);
  t.equal(d.desired, 6, 'after 60 s: 9 wanted, limited to 100% per 60 s');
  state = d.state;
  d = decide(cfg, state, obs(6, 300), 75);
  t.equal(d.desired, 6, 'same 60 s period: 3 already added, 100% of period start (3) allows 6');
});

t.test('the Saler HPA manifest and unknown-key errors', async (t) => {
  t.throws(() => parsePolicy(manifest({ minReplica: 3, maxReplicas: 20 })), { message: 'spec.minReplica: expected a known key (did you mean "minReplicas"?), got unknown key "minReplica"' });
  t.match(
    policyErrorOf(() => parsePolicy(manifest({ maxReplicas: 3, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 'high' } } }] }))),
    { path: 'spec.metrics[0].resource.target.averageUtilization', expected: 'an integer', got: '"high"' },
  );
  t.match(policyErrorOf(() => parsePolicy(manifest({ maxReplicas: 3, metrics: [{ type: 'Pods', pods: { metric: { name: 'x' }, target: { type: 'AverageValue', averageValue: '10 qps' } } }] }))), { path: 'spec.metrics[0].pods.target.averageValue' });
  const ok = parsePolicy(manifest({ maxReplicas: 3, metrics: [{ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '256Mi' } } }] }));
  t.equal(ok.kind === 'hpa' && ok.metrics[0].target.type === 'AverageValue' && ok.metrics[0].target.averageValueMilli, 256 * 2 ** 20 * 1000, '"256Mi" parsed as a Kubernetes quantity');
});
