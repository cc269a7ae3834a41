// EC2 Auto Scaling + CloudWatch alarm golden cases, transcribed from the AWS documentation
// examples named in each case:
//  [ADJ]  EC2 Auto Scaling User Guide, "Step and simple scaling policies" → "Scaling adjustment types"
//         https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-scaling-simple-step.html
//  [STEP] same page, "Step adjustments for step scaling" (threshold 50 example) and
//         API Reference "StepAdjustment" (bound inclusivity, threshold 50 examples)
//  [WARM] same page, "Instance warmup" for step scaling (10 instances, +10% at 60, +30% at 70)
//  [MAM]  API Reference PutScalingPolicy "MinAdjustmentMagnitude" (25% of 4 with MinAdjustmentMagnitude 2)
//  [CW]   CloudWatch User Guide "Evaluating an alarm" (M out of N) and
//         "Configuring how CloudWatch alarms treat missing data"
//  [MULTI] EC2 Auto Scaling User Guide "Multiple dynamic scaling policies" (largest capacity wins)
//  [TT]   EC2 Auto Scaling User Guide "Target tracking scaling policies" (generated alarms;
//         alarm thresholds/datapoints as shown on the generated TargetTracking-* alarms)
import t from 'tap';
import { policyErrorOf } from './helpers.ts';
import { applyAdjustment, roundPercentChange, selectStep } from '../../src/autoscale/aws-adjust.ts';
import { type AlarmSpec, evaluateDatapoints } from '../../src/autoscale/cloudwatch-alarm.ts';
import { decide, initialState, parsePolicy, syncPeriod } from '../../src/autoscale/index.ts';
import type { InstanceObservation, Observation, PolicyConfig, PolicyState } from '../../src/autoscale/index.ts';

t.test('[ADJ] PercentChangeInCapacity rounding', async (t) => {
  t.equal(roundPercentChange(12.7), 12, '12.7 rounds down to 12');
  t.equal(roundPercentChange(0.67), 1, '.67 rounds to 1');
  t.equal(roundPercentChange(-0.58), -1, '-.58 rounds to -1');
  t.equal(roundPercentChange(-6.67), -6, '-6.67 rounds up to -6');
});

t.test('[ADJ] adjustment types on a group of 3 / 10', async (t) => {
  t.equal(applyAdjustment('ChangeInCapacity', 5, 3), 8, 'ChangeInCapacity: 3 + 5 = 8');
  t.equal(applyAdjustment('ExactCapacity', 5, 3), 5, 'ExactCapacity: 5');
  t.equal(applyAdjustment('PercentChangeInCapacity', 10, 10), 11, 'PercentChangeInCapacity: 10 + 10% = 11');
});

t.test('[MAM] MinAdjustmentMagnitude', async (t) => {
  t.equal(applyAdjustment('PercentChangeInCapacity', 25, 4, 2), 6, '25% of 4 is 1, raised to 2');
  t.equal(applyAdjustment('PercentChangeInCapacity', 25, 4), 5, 'without it: +1');
});

const STEPS_OUT = [
  { lower: 0, upper: 10, adjustment: 0 },
  { lower: 10, upper: 20, adjustment: 10 },
  { lower: 20, upper: null, adjustment: 30 },
];
const STEPS_IN = [
  { lower: -10, upper: 0, adjustment: 0 },
  { lower: -20, upper: -10, adjustment: -10 },
  { lower: null, upper: -20, adjustment: -30 },
];

t.test('[STEP] bounds relative to a threshold of 50', async (t) => {
  const s = [{ lower: 0, upper: 10, adjustment: 1 }, { lower: -10, upper: 0, adjustment: -1 }];
  t.equal(selectStep(s, 50, 50)?.adjustment, 1, 'metric 50: lower bound 0 inclusive above the threshold');
  t.equal(selectStep(s, 59.9, 50)?.adjustment, 1);
  t.equal(selectStep(s, 60, 50), undefined, 'metric 60: upper bound 10 exclusive');
  t.equal(selectStep(s, 45, 50)?.adjustment, -1, 'metric 45: between 40 (exclusive) and 50');
  t.equal(selectStep(s, 40, 50), undefined, 'metric 40: lower bound -10 exclusive below the threshold');
});

t.test('[STEP] the user-guide narrative: 10 → 11 → 14 → 13 → 10', async (t) => {
  const out = (metric: number, capacity: number) => applyAdjustment('PercentChangeInCapacity', selectStep(STEPS_OUT, metric, 50)!.adjustment, capacity);
  const inn = (metric: number, capacity: number) => applyAdjustment('PercentChangeInCapacity', selectStep(STEPS_IN, metric, 50)!.adjustment, capacity);
  t.equal(out(55, 10), 10, 'between 50 and 60: no change');
  t.equal(out(60, 10), 11, 'metric 60: +10% of 10');
  t.equal(out(70, 11), 14, 'metric 70: +30% of 11 = 3.3 → 3');
  t.equal(inn(40, 14), 13, 'metric 40: -10% of 14 = -1.4 → -1');
  t.equal(inn(30, 13), 10, 'metric 30: -30% of 13 = -3.9 → -3');
});

const alarm = (p: Partial<AlarmSpec>): AlarmSpec => ({
  name: 'a', metricName: 'CPUUtilization', namespace: 'AWS/EC2', statistic: 'Average', period: 60, evaluationPeriods: 3,
  datapointsToAlarm: 3, threshold: 50, comparison: 'GreaterThanThreshold', treatMissingData: 'missing', actions: [], ...p,
});

t.test('[CW] M out of N: DatapointsToAlarm 3 of EvaluationPeriods 5 need not be consecutive', async (t) => {
  const a = alarm({ evaluationPeriods: 5, datapointsToAlarm: 3 });
  t.equal(evaluateDatapoints(a, 'OK', [60, 10, 60, 10, 60]), 'ALARM');
  t.equal(evaluateDatapoints(a, 'OK', [60, 10, 60, 10, 10]), 'OK');
  t.equal(evaluateDatapoints(a, 'OK', [10, 10, 60, 60, 60]), 'ALARM');
});

t.test('[CW] all datapoints missing under each TreatMissingData', async (t) => {
  const none = [undefined, undefined, undefined];
  t.equal(evaluateDatapoints(alarm({ treatMissingData: 'missing' }), 'ALARM', none), 'INSUFFICIENT_DATA', 'missing → INSUFFICIENT_DATA');
  t.equal(evaluateDatapoints(alarm({ treatMissingData: 'ignore' }), 'ALARM', none), 'ALARM', 'ignore → current state kept');
  t.equal(evaluateDatapoints(alarm({ treatMissingData: 'breaching' }), 'OK', none), 'ALARM', 'breaching → ALARM');
  t.equal(evaluateDatapoints(alarm({ treatMissingData: 'notBreaching' }), 'ALARM', none), 'OK', 'notBreaching → OK');
});

t.test('[CW] a missing datapoint between breaching ones', async (t) => {
  const pts = [60, undefined, 60];
  t.equal(evaluateDatapoints(alarm({ treatMissingData: 'breaching' }), 'OK', pts), 'ALARM', 'breaching fills the gap');
  t.equal(evaluateDatapoints(alarm({ treatMissingData: 'notBreaching' }), 'OK', pts), 'OK');
  t.equal(evaluateDatapoints(alarm({ treatMissingData: 'breaching', datapointsToAlarm: 2 }), 'OK', [60, undefined, 10]), 'ALARM', '2 of 3 with the gap breaching');
});

// --- decide-level cases ---
function fleet(n: number, cpuPct: number, opts: { pendingFrom?: number; now?: number; startedAt?: number } = {}): InstanceObservation[] {
  return Array.from({ length: n }, (_, i) => {
    const fresh = opts.pendingFrom !== undefined && i >= opts.pendingFrom;
    const start = fresh ? (opts.startedAt ?? 0) : -10_000;
    return { id: `i-${i}`, phase: 'running', ready: true, startTime: start, readySince: start, metrics: { cpu: cpuPct * 10 } };
  });
}

function stepper(cfg: PolicyConfig, current: number, t0: number) {
  let state: PolicyState = initialState(cfg, current, t0);
  return (obs: Observation, now: number) => {
    const d = decide(cfg, state, obs, now);
    state = d.state;
    return d;
  };
}

const stepConfig = {
  autoScalingGroup: { MinSize: 1, MaxSize: 30 },
  policies: [
    { PolicyName: 'out', PolicyType: 'StepScaling', AdjustmentType: 'PercentChangeInCapacity', EstimatedInstanceWarmup: 300,
      StepAdjustments: [
        { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 10, ScalingAdjustment: 10 },
        { MetricIntervalLowerBound: 10, ScalingAdjustment: 30 },
      ] },
  ],
  alarms: [
    { AlarmName: 'high', MetricName: 'CPUUtilization', Namespace: 'AWS/EC2', Statistic: 'Average', Period: 60, EvaluationPeriods: 1,
      Threshold: 60, ComparisonOperator: 'GreaterThanOrEqualToThreshold', AlarmActions: ['out'] },
  ],
};

t.test('[WARM] step scaling while an instance warms up: 10 → 11, 62 adds nothing, 70 → 13', async (t) => {
  const cfg = parsePolicy(stepConfig);
  t.equal(syncPeriod(cfg), 60);
  const step = stepper(cfg, 10, 0);
  step({ currentReplicas: 10, instances: fleet(10, 60) }, 0); // sample for period [0,60)
  const d1 = step({ currentReplicas: 10, instances: fleet(10, 60) }, 60);
  t.equal(d1.desired, 11, 'metric 60: +10% of 10');
  // the new instance is warming up (started at 60, warmup 300): it is neither in the metric nor in current capacity
  const d2 = step({ currentReplicas: 11, instances: fleet(11, 62, { pendingFrom: 10, startedAt: 60 }) }, 120);
  t.equal(d2.desired, 11, 'metric 60 again (period [60,120)): same step, no new activity');
  const d3 = step({ currentReplicas: 11, instances: fleet(11, 70, { pendingFrom: 10, startedAt: 60 }) }, 180);
  t.equal(d3.desired, 11, 'metric 62 (period [120,180)): same step, nothing added');
  const d4 = step({ currentReplicas: 11, instances: fleet(11, 70, { pendingFrom: 10, startedAt: 60 }) }, 240);
  t.equal(d4.desired, 13, 'metric 70: +30% of 10 = 3, one already launching → 13');
});

const saler = {
  autoScalingGroup: { AutoScalingGroupName: 'saler-app-asg', MinSize: 2, MaxSize: 10, DesiredCapacity: 3 },
  policies: [
    { PolicyName: 'saler-scale-out-policy', PolicyType: 'SimpleScaling', AdjustmentType: 'ChangeInCapacity', ScalingAdjustment: 1, Cooldown: 300 },
    { PolicyName: 'saler-scale-in-policy', PolicyType: 'SimpleScaling', AdjustmentType: 'ChangeInCapacity', ScalingAdjustment: -1, Cooldown: 600 },
  ],
  alarms: [
    { AlarmName: 'salar-app-high-cpu', MetricName: 'CPUUtilization', Namespace: 'AWS/EC2', Statistic: 'Average', Period: 300, Threshold: 80,
      ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 2,
      AlarmActions: ['arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:abcdef/saler-scale-out-policy'] },
    { AlarmName: 'salar-app-low-cpu', MetricName: 'CPUUtilization', Namespace: 'AWS/EC2', Statistic: 'Average', Period: 600, Threshold: 20,
      ComparisonOperator: 'LessThanThreshold', EvaluationPeriods: 3,
      AlarmActions: ['arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:ghijkl/saler-scale-in-policy'] },
  ],
};

t.test('[ADJ] simple scaling: 2 of 2 five-minute periods above 80, +1, then the 300 s cooldown after the activity', async (t) => {
  const cfg = parsePolicy(saler);
  const step = stepper(cfg, 3, 0);
  let d;
  for (let now = 0; now < 600; now += 60) {
    d = step({ currentReplicas: 3, instances: fleet(3, 90) }, now);
    t.equal(d.desired, 3, `t=${now}: fewer than 2 complete periods`);
  }
  d = step({ currentReplicas: 3, instances: fleet(3, 90) }, 600);
  t.equal(d.desired, 4, 't=600: periods [0,300) and [300,600) both breach → +1');
  // launching: the activity is in progress until the 4th instance is running
  d = step({ currentReplicas: 4, instances: [...fleet(3, 90), { id: 'new', phase: 'pending', ready: false, startTime: 600, metrics: {} }] }, 660);
  t.equal(d.desired, 4, 'waits for the activity to finish');
  d = step({ currentReplicas: 4, instances: fleet(4, 90) }, 720);
  t.equal(d.desired, 4, 'activity done at t=720: cooldown runs to t=1020');
  d = step({ currentReplicas: 4, instances: fleet(4, 90) }, 960);
  t.equal(d.desired, 4, 'still cooling down');
  d = step({ currentReplicas: 4, instances: fleet(4, 90) }, 1020);
  t.equal(d.desired, 5, 'cooldown over, alarm still in ALARM → +1');
});

t.test('[ADJ] simple scale-in needs 3 of 3 ten-minute periods below 20; MinSize holds', async (t) => {
  const cfg = parsePolicy(saler);
  const step = stepper(cfg, 3, 0);
  let d;
  for (let now = 0; now < 1800; now += 60) d = step({ currentReplicas: 3, instances: fleet(3, 5) }, now);
  t.equal(d!.desired, 3, 'before 3 complete periods');
  d = step({ currentReplicas: 3, instances: fleet(3, 5) }, 1800);
  t.equal(d.desired, 2, '3 periods below 20 → -1');
  d = step({ currentReplicas: 2, instances: fleet(2, 5) }, 1860);
  d = step({ currentReplicas: 2, instances: fleet(2, 5) }, 2460);
  t.equal(d.desired, 2, 'MinSize 2');
});

t.test('[TT] target tracking: high alarm 3 of 3 one-minute datapoints > target → proportional scale out', async (t) => {
  const cfg = parsePolicy({
    autoScalingGroup: { MinSize: 2, MaxSize: 20, DefaultInstanceWarmup: 120 },
    policies: [{ PolicyName: 'tt', PolicyType: 'TargetTrackingScaling', TargetTrackingConfiguration: { TargetValue: 50, PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' } } }],
  });
  t.same(cfg.kind === 'aws' && cfg.alarms.map((a) => [a.name, a.threshold, a.evaluationPeriods, a.datapointsToAlarm]), [
    ['TargetTracking-tt-AlarmHigh', 50, 3, 3],
    ['TargetTracking-tt-AlarmLow', 45, 15, 15],
  ]);
  const step = stepper(cfg, 4, 0);
  let d;
  for (const now of [0, 60, 120]) {
    d = step({ currentReplicas: 4, instances: fleet(4, 90) }, now);
    t.equal(d.desired, 4, `t=${now}: fewer than 3 breaching datapoints`);
  }
  d = step({ currentReplicas: 4, instances: fleet(4, 90) }, 180);
  t.equal(d.desired, 8, 'ceil(4 × 90 / 50) = 8');
  // new instances warming: excluded from the aggregate and capacity, so no further scale out at the same load
  const warming = fleet(8, 90, { pendingFrom: 4, startedAt: 180 });
  d = step({ currentReplicas: 8, instances: warming }, 240);
  t.equal(d.desired, 8, 'scale-out already covered by the instances in warmup');
});

t.test('[TT] scale in: 15 of 15 datapoints below 90% of target, not while instances warm up', async (t) => {
  const cfg = parsePolicy({
    autoScalingGroup: { MinSize: 1, MaxSize: 20, DefaultInstanceWarmup: 60 },
    policies: [{ PolicyName: 'tt', PolicyType: 'TargetTrackingScaling', TargetTrackingConfiguration: { TargetValue: 50, PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' } } }],
  });
  const step = stepper(cfg, 10, 0);
  let d;
  for (let now = 0; now < 900; now += 60) {
    d = step({ currentReplicas: 10, instances: fleet(10, 20) }, now);
    t.equal(d.desired, 10);
  }
  d = step({ currentReplicas: 10, instances: fleet(10, 20) }, 900);
  t.equal(d.desired, 4, '15 datapoints at 20% (< 45): ceil(10 × 20 / 50) = 4');
});

t.test('[TT] DisableScaleIn creates no low alarm', async (t) => {
  const cfg = parsePolicy({
    autoScalingGroup: { MinSize: 1, MaxSize: 20 },
    policies: [{ PolicyName: 'tt', PolicyType: 'TargetTrackingScaling', TargetTrackingConfiguration: { TargetValue: 50, DisableScaleIn: true, PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' } } }],
  });
  t.same(cfg.kind === 'aws' && cfg.alarms.map((a) => a.name), ['TargetTracking-tt-AlarmHigh']);
});

t.test('[MULTI] target tracking and simple scaling both fire: the larger capacity wins', async (t) => {
  const cfg = parsePolicy({
    autoScalingGroup: { MinSize: 2, MaxSize: 10 },
    policies: [
      { PolicyName: 'tt', PolicyType: 'TargetTrackingScaling', TargetTrackingConfiguration: { TargetValue: 70, PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' } } },
      { PolicyName: 'plus1', PolicyType: 'SimpleScaling', AdjustmentType: 'ChangeInCapacity', ScalingAdjustment: 1 },
    ],
    alarms: [{ AlarmName: 'hi', MetricName: 'CPUUtilization', Statistic: 'Average', Period: 60, EvaluationPeriods: 1, Threshold: 80, ComparisonOperator: 'GreaterThanThreshold', AlarmActions: ['plus1'] }],
  });
  const step = stepper(cfg, 3, 0);
  for (const now of [0, 60, 120]) step({ currentReplicas: 3, instances: fleet(3, 95) }, now);
  const d = step({ currentReplicas: 3, instances: fleet(3, 95) }, 180);
  t.equal(d.desired, 5, 'target tracking ceil(3 × 95 / 70) = 5 beats simple +1 = 4');
  t.equal(d.rule, 'TargetTrackingScaling');
});

t.test('policy file errors', async (t) => {
  t.throws(() => parsePolicy({ ...saler, autoScalingGroup: { MinSize: 2, MaxSzie: 10 } }), { message: 'autoScalingGroup.MaxSzie: expected a known key (did you mean "MaxSize"?), got unknown key "MaxSzie"' });
  t.match(policyErrorOf(() => parsePolicy({ ...saler, alarms: [{ ...saler.alarms[0], AlarmActions: ['nope'] }] })), { path: 'alarms[0].AlarmActions[0]' });
  t.match(policyErrorOf(() => parsePolicy({ ...saler, alarms: [{ ...saler.alarms[0], ComparisonOperator: 'GreaterThan' }] })), { path: 'alarms[0].ComparisonOperator' });
});
