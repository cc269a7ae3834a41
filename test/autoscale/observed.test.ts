// What a decision reports besides its count: the figures each policy compared with its thresholds
// (`observed`) and its wish before [min, max] (`unclamped`), and the CPU denominator each family
// uses (types.ts: HPA against the request, AWS and the orchestrator against the instance's capacity).
//
// HPA cases transcribe kubernetes pkg/controller/podautoscaler/horizontal_test.go: the expected
// desired replicas and, where the test sets verifyCPUCurrent, the utilisation the controller
// reports in status.currentMetrics (computeCPUCurrent: 100 × Σ levels / Σ requests, truncated).
// The proposals of the clamped case come from replica_calculator_test.go
// (TestReplicaCalcScaleUpCMUnreadyHotCpuScaleWouldScaleDown: 7 replicas at usage 31666m).
// AWS cases follow the EC2 Auto Scaling User Guide's target tracking description ([TT] in aws.test.ts).
import t from 'tap';
import { decide, initialState, parsePolicy } from '../../src/autoscale/index.ts';
import type { InstanceObservation, ObservedMetric, Observation, PolicyConfig, PolicyState } from '../../src/autoscale/index.ts';

const NOW = 1_000_000;

function manifest(spec: Record<string, unknown>) {
  return {
    apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'test-hpa' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'test' }, ...spec },
  };
}
const cpuTarget = (u: number) => [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: u } } }];

/** Pods as horizontal_test.go builds them: started long ago, Ready, 1-core requests unless given. */
function pods(levels: number[], opts: { request?: number; capacity?: number; metric?: string } = {}): InstanceObservation[] {
  return levels.map((v, i) => ({
    id: `test-pod-${i}`, phase: 'running', ready: true, startTime: 0, readySince: 0,
    requests: { cpu: opts.request ?? 1000 },
    ...(opts.capacity ? { capacity: { cpu: opts.capacity } } : {}),
    metrics: { [opts.metric ?? 'cpu']: v },
  }));
}

/** A sync with no recommendation history, as the Go tests set `recommendations: []`. */
function freshSync(cfg: PolicyConfig, obs: Observation) {
  const state: PolicyState = { family: 'hpa', recommendations: [], scaleUpEvents: [], scaleDownEvents: [] };
  return decide(cfg, state, obs, NOW);
}

const pick = (o: ObservedMetric[]) => o.map((m) => ({ metric: m.metric, value: m.value, target: m.target, unit: m.unit }));

t.test('HPA TestScaleUp: 300/500/700m of 1-core requests at target 30 → 5, CPUCurrent 50', async (t) => {
  const cfg = parsePolicy(manifest({ minReplicas: 2, maxReplicas: 6, metrics: cpuTarget(30) }));
  const d = freshSync(cfg, { currentReplicas: 3, instances: pods([300, 500, 700]) });
  t.equal(d.desired, 5);
  t.same(pick(d.observed), [{ metric: 'cpu utilization', value: 50, target: 30, unit: '%' }]);
  t.equal(d.unclamped, 5, 'within bounds: the wish is what was done');
});

t.test('HPA TestScaleDown: 100/300/500/250/250m at target 50 → 3, CPUCurrent 28', async (t) => {
  const cfg = parsePolicy(manifest({ minReplicas: 2, maxReplicas: 6, metrics: cpuTarget(50) }));
  const d = freshSync(cfg, { currentReplicas: 5, instances: pods([100, 300, 500, 250, 250]) });
  t.equal(d.desired, 3);
  t.same(pick(d.observed), [{ metric: 'cpu utilization', value: 28, target: 50, unit: '%' }]);
});

t.test('HPA TestScaleUpCMUnreadyandCpuHot: qps wants 7, maxReplicas 6 (TooManyReplicas)', async (t) => {
  const cfg = parsePolicy(manifest({
    minReplicas: 2, maxReplicas: 6,
    metrics: [{ type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '15' } } }],
  }));
  // levels 50000m, 15000m, 30000m; readiness and hot start do not apply to Pods metrics
  const inst = pods([50, 15, 30], { metric: 'qps' });
  inst[0].ready = false;
  inst[2].ready = false;
  const d = freshSync(cfg, { currentReplicas: 3, instances: inst });
  t.same([d.desired, d.rule], [6, 'TooManyReplicas']);
  t.equal(d.unclamped, 7, 'the proposal of replica_calculator_test.go, before maxReplicas');
  t.same(pick(d.observed), [{ metric: 'pods qps', value: 31.666, target: 15, unit: '' }], 'usage 31666m as the calculator reports it');
});

t.test('HPA TestScaleUpCMObject and TestScaleUpPerPodCMObject: value and per-pod value', async (t) => {
  const obj = (target: Record<string, string>) => parsePolicy(manifest({
    minReplicas: 2, maxReplicas: 6,
    metrics: [{ type: 'Object', object: { describedObject: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'some-deployment' }, metric: { name: 'qps' }, target } }],
  }));
  const a = freshSync(obj({ type: 'Value', value: '15' }), { currentReplicas: 3, instances: pods([0, 0, 0]), external: { qps: 20 } });
  t.equal(a.desired, 4);
  t.same(pick(a.observed), [{ metric: 'object qps', value: 20, target: 15, unit: '' }]);
  const b = freshSync(obj({ type: 'AverageValue', averageValue: '10' }), { currentReplicas: 3, instances: pods([0, 0, 0]), external: { qps: 40 } });
  t.equal(b.desired, 4);
  t.same(pick(b.observed), [{ metric: 'object qps per pod', value: 13.334, target: 10, unit: '' }], 'ceil(40000m / 3 pods) = 13334m');
});

t.test('HPA: a failing metric reports no value; the others report theirs', async (t) => {
  const cfg = parsePolicy(manifest({
    minReplicas: 2, maxReplicas: 6,
    metrics: [...cpuTarget(30), { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'Value', value: '100m' } } }],
  }));
  const d = freshSync(cfg, { currentReplicas: 3, instances: pods([300, 400, 500]) });
  t.equal(d.desired, 4, 'TestScaleUpOneMetricEmpty');
  t.same(pick(d.observed), [
    { metric: 'cpu utilization', value: 40, target: 30, unit: '%' },
    { metric: 'external queue', value: null, target: 0.1, unit: '' },
  ]);
});

t.test('HPA reads CPU against the request: all workers busy at cpuLimit 500m of request 250m reads 200 %', async (t) => {
  const cfg = parsePolicy(manifest({ minReplicas: 1, maxReplicas: 100, metrics: cpuTarget(70) }));
  const d = freshSync(cfg, { currentReplicas: 3, instances: pods([500, 500, 500], { request: 250, capacity: 500 }) });
  t.equal(d.observed[0].value, 200, 'cpuLimit / cpuRequest × 100 %');
  t.equal(d.unclamped, 9, 'ceil(3 × 200 / 70)');
});

// ---- AWS --------------------------------------------------------------------------------------

const tt = (max: number) => parsePolicy({
  autoScalingGroup: { MinSize: 1, MaxSize: max, DefaultInstanceWarmup: 60 },
  policies: [{ PolicyName: 'tt', PolicyType: 'TargetTrackingScaling', TargetTrackingConfiguration: { TargetValue: 50, PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' } } }],
});

function ec2(n: number, cpu: number, opts: { request?: number; capacity?: number } = {}): InstanceObservation[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `i-${i}`, phase: 'running', ready: true, startTime: -10_000, readySince: -10_000,
    ...(opts.request ? { requests: { cpu: opts.request } } : {}),
    ...(opts.capacity ? { capacity: { cpu: opts.capacity } } : {}),
    metrics: { cpu },
  }));
}

/** Four one-minute syncs at a steady load; returns the last decision. */
function fourMinutes(cfg: PolicyConfig, n: number, instances: InstanceObservation[]) {
  let state = initialState(cfg, n, 0);
  let d;
  for (const now of [0, 60, 120, 180]) {
    d = decide(cfg, state, { currentReplicas: n, instances }, now);
    state = d.state;
  }
  return d!;
}

t.test('[TT] each generated alarm reports the datapoint it evaluated and its threshold', async (t) => {
  const d = fourMinutes(tt(20), 4, ec2(4, 900));
  t.equal(d.desired, 8, 'ceil(4 × 90 / 50)');
  t.same(d.observed, [
    { metric: 'ASGAverageCPUUtilization Average 60s', threshold: 'TargetTracking-tt-AlarmHigh', op: '>', value: 90, target: 50, unit: '%' },
    { metric: 'ASGAverageCPUUtilization Average 60s', threshold: 'TargetTracking-tt-AlarmLow', op: '<', value: 90, target: 45, unit: '%' },
  ]);
  t.equal(d.unclamped, 8);
  const first = decide(tt(20), initialState(tt(20), 4, 0), { currentReplicas: 4, instances: ec2(4, 900) }, 0);
  t.same(first.observed.map((o) => o.value), [null, null], 'no completed one-minute period yet: no datapoint');
});

t.test('[TT] at MaxSize the wish is kept: wanted 8, max 6', async (t) => {
  const d = fourMinutes(tt(6), 4, ec2(4, 900));
  t.same([d.desired, d.unclamped], [6, 8]);
  t.ok(d.reasons.includes('clamped to MaxSize 6'), d.reasons.join(' | '));
});

t.test('AWS reads CPU against the instance: all workers busy (cpuLimit 500m, request 250m) reads 100 %, not 200 %', async (t) => {
  const d = fourMinutes(tt(20), 4, ec2(4, 500, { request: 250, capacity: 500 }));
  t.equal(d.observed[0].value, 100);
  t.equal(d.desired, 8, 'ceil(4 × 100 / 50)');
  const half = fourMinutes(tt(20), 4, ec2(4, 250, { request: 250, capacity: 500 }));
  t.equal(half.observed[0].value, 50, 'half the workers busy: 50 % of the instance (the request would say 100 %)');
  const noCapacity = fourMinutes(tt(20), 4, ec2(4, 500, { request: 250 }));
  t.equal(noCapacity.observed[0].value, 100, 'a live feed without capacity falls back to the request, capped at 100 %');
});

// ---- orchestrator -----------------------------------------------------------------------------

function guideFleet(n: number, cpu: number, capacity?: number): Observation {
  return {
    currentReplicas: n,
    instances: Array.from({ length: n }, (_, i) => ({
      id: `web_${i}`, phase: 'running', ready: true, startTime: 0,
      requests: { cpu: 250, memory: 1e9 }, ...(capacity ? { capacity: { cpu: capacity } } : {}),
      metrics: { cpu, memory: 5e8, requestRate: 10, responseTime: 0.1, errorRate: 0 },
    })),
  };
}

t.test('orchestrator reads cpu_usage as psutil does, a share of the machine; each threshold is reported', async (t) => {
  const cfg = parsePolicy({ serviceType: 'web_server' });
  const busy = decide(cfg, initialState(cfg, 3, 0), guideFleet(3, 500, 500), 0);
  const cpu = busy.observed.filter((o) => o.metric === 'cpu_usage');
  t.same(cpu.map((o) => [o.threshold, o.op, o.value, o.target]), [['scale_up_threshold', '>', 1, 0.7], ['scale_down_threshold', '<', 1, 0.3]], 'all workers busy: 1.0 of the machine, not 2.0 of the request');
  t.same(busy.observed.map((o) => o.metric), ['cpu_usage', 'cpu_usage', 'memory_usage', 'memory_usage', 'request_rate', 'request_rate', 'response_time', 'error_rate']);
  t.equal(busy.observed.find((o) => o.metric === 'memory_usage')!.value, 0.5, 'memory of the request');
  const half = decide(cfg, initialState(cfg, 3, 0), guideFleet(3, 250, 500), 0);
  t.same([half.observed[0].value, half.desired], [0.5, 3], '250m of 500m: 0.5 < 0.7, no scale-up (of the request it would read 1.0)');
});

t.test('orchestrator at max_instances: the one more instance it wants is the unclamped wish', async (t) => {
  const cfg = parsePolicy({ serviceType: 'web_server' });
  const d = decide(cfg, initialState(cfg, 10, 0), guideFleet(10, 450, 500), 0);
  t.same([d.desired, d.unclamped, d.rule], [10, 11, 'maintain']);
  const inCooldown = decide(cfg, { family: 'orchestrator', lastActionTime: 0 }, guideFleet(5, 450, 500), 60);
  t.same([inCooldown.desired, inCooldown.unclamped], [5, 5], 'a cooldown is not a bound: no unclamped wish');
});
