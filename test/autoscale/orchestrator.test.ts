// Cases from the Saler guide's logic (/work/shared/seed/system-scaling-guide.md lines 63–682:
// ScalableComponent._should_scale_up/_should_scale_down/_calculate_confidence,
// ScalingOrchestrator._define_scaling_policies), with the fixes listed in orchestrator.ts.
import t from 'tap';
import { policyErrorOf } from './helpers.ts';
import { bounds, decide, initialState, parsePolicy, syncPeriod } from '../../src/autoscale/index.ts';
import type { InstanceObservation, Observation, PolicyConfig } from '../../src/autoscale/index.ts';

interface Load {
  cpu: number; // fraction of request
  memory: number; // fraction of request
  requestRate?: number;
  responseTime?: number;
  errorRate?: number;
}
function obs(n: number, l: Load): Observation {
  const instances: InstanceObservation[] = Array.from({ length: n }, (_, i) => ({
    id: `web_${i}`,
    phase: 'running',
    ready: true,
    startTime: 0,
    requests: { cpu: 1000, memory: 1e9 },
    metrics: { cpu: l.cpu * 1000, memory: l.memory * 1e9, requestRate: l.requestRate ?? 10, responseTime: l.responseTime ?? 0.1, errorRate: l.errorRate ?? 0 },
  }));
  return { currentReplicas: n, instances };
}
const web = (extra: Record<string, unknown> = {}): PolicyConfig => parsePolicy({ serviceType: 'web_server', ...extra });

t.test('policy table (_define_scaling_policies) and monitoring interval', async (t) => {
  t.same(bounds(web()), { min: 2, max: 10 });
  t.same(bounds(parsePolicy({ serviceType: 'api_server' })), { min: 2, max: 8 });
  t.same(bounds(parsePolicy({ serviceType: 'database' })), { min: 1, max: 5 });
  t.same(bounds(parsePolicy({ serviceType: 'cache' })), { min: 1, max: 3 });
  t.equal(syncPeriod(web()), 60, 'guide default monitoring_interval');
  t.equal(syncPeriod(web({ monitoring_interval: 30 })), 30, "main()'s monitoring_interval 30");
  t.same(bounds(parsePolicy({ serviceType: 'database', overrides: { min_replicas: 2, max_replicas: 4 } })), { min: 2, max: 4 }, "database's min_replicas/max_replicas spelling");
});

t.test('scale up by one on cpu above scale_up_threshold, with the guide confidence', async (t) => {
  const cfg = web();
  const d = decide(cfg, initialState(cfg, 3, 0), obs(3, { cpu: 0.8, memory: 0.5, responseTime: 0.1 }), 0);
  t.same([d.desired, d.rule], [4, 'scale_up']);
  // (min(0.8/0.7,2) + min(0.5/0.7,2) + min(0.1/2.0,2)) / 3
  t.ok(d.reasons.includes('confidence=0.636'), d.reasons.join(' | '));
});

t.test('each scale-up trigger: memory, request_rate > request_threshold, response_time > threshold', async (t) => {
  const cfg = web();
  t.equal(decide(cfg, initialState(cfg, 3, 0), obs(3, { cpu: 0.1, memory: 0.75 }), 0).desired, 4, 'memory');
  t.equal(decide(cfg, initialState(cfg, 3, 0), obs(3, { cpu: 0.1, memory: 0.1, requestRate: 101 }), 0).desired, 4, 'request_rate 101 > 100');
  t.equal(decide(cfg, initialState(cfg, 3, 0), obs(3, { cpu: 0.1, memory: 0.1, requestRate: 100 }), 0).desired, 3, 'request_rate 100 is not > 100');
  t.equal(decide(cfg, initialState(cfg, 3, 0), obs(3, { cpu: 0.4, memory: 0.4, responseTime: 2.5 }), 0).desired, 4, 'response_time 2.5 > 2.0');
});

t.test('cooldown from the last action (strict >), none before the first action', async (t) => {
  const cfg = web();
  const hot = { cpu: 0.9, memory: 0.5 };
  let d = decide(cfg, initialState(cfg, 2, 5), obs(2, hot), 5);
  t.equal(d.desired, 3, 'first action at t=5 is not blocked by a clock starting at 0');
  d = decide(cfg, d.state, obs(3, hot), 305);
  t.equal(d.desired, 3, 't=305: 300 s since the action is not > cooldown_period 300');
  d = decide(cfg, d.state, obs(3, hot), 306);
  t.equal(d.desired, 4, 't=306');
});

t.test('scale down uses the policy scale_down_threshold (0.3), not scaling_threshold × 0.5 (0.35)', async (t) => {
  const cfg = web();
  t.equal(decide(cfg, initialState(cfg, 4, 0), obs(4, { cpu: 0.32, memory: 0.2, requestRate: 10 }), 0).desired, 4, 'cpu 0.32 is under 0.35 but not under 0.3');
  const d = decide(cfg, initialState(cfg, 4, 0), obs(4, { cpu: 0.2, memory: 0.2, requestRate: 10, errorRate: 0.001 }), 0);
  t.same([d.desired, d.rule], [3, 'scale_down']);
  // ((0.3-0.2)/0.3 + (0.3-0.2)/0.3 + (1 - 0.001/0.01)) / 3
  t.ok(d.reasons.includes('confidence=0.522'), d.reasons.join(' | '));
  t.equal(decide(cfg, initialState(cfg, 4, 0), obs(4, { cpu: 0.2, memory: 0.2, requestRate: 60 }), 0).desired, 4, 'request_rate 60 not < 50');
});

t.test('error-rate guard blocks scale down', async (t) => {
  const cfg = web();
  const d = decide(cfg, initialState(cfg, 4, 0), obs(4, { cpu: 0.1, memory: 0.1, requestRate: 5, errorRate: 0.05 }), 0);
  t.same([d.desired, d.rule], [4, 'maintain']);
  t.match(d.reasons.join(' '), /error_rate 0.05 > 0.01/);
});

t.test('bounds: no scale up at max, no scale down at min, out-of-range clamped', async (t) => {
  const cfg = web();
  t.equal(decide(cfg, initialState(cfg, 10, 0), obs(10, { cpu: 0.95, memory: 0.5 }), 0).desired, 10);
  t.equal(decide(cfg, initialState(cfg, 2, 0), obs(2, { cpu: 0.01, memory: 0.01, requestRate: 1 }), 0).desired, 2);
  t.equal(decide(cfg, initialState(cfg, 14, 0), obs(14, { cpu: 0.5, memory: 0.5 }), 0).desired, 10);
});

t.test('no ready instance: hold (the guide would read all-zero metrics as idle)', async (t) => {
  const cfg = web();
  const d = decide(cfg, initialState(cfg, 3, 0), { currentReplicas: 3, instances: [] }, 0);
  t.same([d.desired, d.rule], [3, 'maintain']);
});

t.test('overrides with the guide key names; errors', async (t) => {
  const cfg = web({ scale_up_threshold: 0.6, cooldown_period: 120, request_threshold: 500 });
  t.equal(decide(cfg, initialState(cfg, 3, 0), obs(3, { cpu: 0.65, memory: 0.1, requestRate: 200 }), 0).desired, 4);
  t.throws(() => web({ scale_up_treshold: 0.6 }), { message: 'scale_up_treshold: expected a known key (did you mean "scale_up_threshold"?), got unknown key "scale_up_treshold"' });
  t.match(policyErrorOf(() => parsePolicy({ serviceType: 'webserver' })), { path: 'serviceType', got: '"webserver"' });
  t.match(policyErrorOf(() => web({ scale_down_threshold: 0.8 })), { path: 'scale_down_threshold' });
});
