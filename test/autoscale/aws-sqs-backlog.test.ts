// AWS target tracking on "backlog per instance", the metric math policy of the EC2 Auto Scaling
// User Guide ("Create a target tracking scaling policy using metric math", example "Amazon SQS queue
// backlog per instance"): m1 = AWS/SQS ApproximateNumberOfMessagesVisible (QueueName, Sum),
// m2 = AWS/AutoScaling GroupInServiceInstances (Average), e1 = "m1 / m2" returned, TargetValue 100.
import t from 'tap';
import { parsePolicy, decide, initialState, PolicyError } from '../../src/autoscale/index.ts';
import type { AwsPolicy, Observation } from '../../src/autoscale/index.ts';

const policy = (expression = 'm1 / m2') => ({
  autoScalingGroup: { AutoScalingGroupName: 'my-asg', MinSize: 1, MaxSize: 40, DefaultInstanceWarmup: 0 },
  policies: [{
    PolicyName: 'sqs100-target-tracking-scaling-policy', PolicyType: 'TargetTrackingScaling',
    TargetTrackingConfiguration: {
      TargetValue: 100,
      CustomizedMetricSpecification: {
        Metrics: [
          { Label: 'Get the queue size (the number of messages waiting to be processed)', Id: 'm1',
            MetricStat: { Metric: { MetricName: 'ApproximateNumberOfMessagesVisible', Namespace: 'AWS/SQS', Dimensions: [{ Name: 'QueueName', Value: 'my-queue' }] }, Stat: 'Sum' },
            ReturnData: false },
          { Label: 'Get the group size (the number of InService instances)', Id: 'm2',
            MetricStat: { Metric: { MetricName: 'GroupInServiceInstances', Namespace: 'AWS/AutoScaling', Dimensions: [{ Name: 'AutoScalingGroupName', Value: 'my-asg' }] }, Stat: 'Average' },
            ReturnData: false },
          { Label: 'Calculate the backlog per instance', Id: 'e1', Expression: expression, ReturnData: true },
        ],
      },
    },
  }],
});

const obs = (instances: number, visible: number): Observation => ({
  currentReplicas: instances,
  instances: Array.from({ length: instances }, (_, i) => ({ id: `i-${i}`, phase: 'running' as const, ready: true, startTime: 0, readySince: 0, metrics: {} })),
  external: { 'ApproximateNumberOfMessagesVisible{QueueName=my-queue}': visible },
});

t.test('backlog per instance = visible messages / InService instances; target tracking scales to ceil(n × backlog / target)', async (t) => {
  const p = parsePolicy(policy()) as AwsPolicy;
  let s = initialState(p, 3, 0);
  let desired = 3;
  const seen: string[] = [];
  for (let now = 60; now <= 600 && desired === 3; now += 60) {
    const d = decide(p, s, obs(3, 1500), now);
    s = d.state;
    desired = d.desired;
    seen.push(...d.reasons);
  }
  t.equal(desired, 15, '1500 messages on 3 instances = 500 per instance against a target of 100: 3 × 500 / 100 = 15');
  t.ok(seen.some((r) => r.includes('e1 500 > target 100')), 'the reason names the metric math result');
  // Scale-in below 90 % of the target, 15 of 15 datapoints.
  let d = decide(p, s, obs(15, 15 * 30), 660);
  for (let now = 720; now <= 660 + 16 * 60 && d.desired === 15; now += 60) { s = d.state; d = decide(p, s, obs(15, 15 * 30), now); }
  t.equal(d.desired, 5, '30 per instance on 15: ceil(15 × 30 / 100) = 5');
});

t.test('metric math headroom does not evaluate is refused by name', async (t) => {
  try {
    parsePolicy(policy('m1 / FILL(m2, 1)'));
    t.fail('accepted');
  } catch (e) {
    t.ok(e instanceof PolicyError, (e as Error).message);
    t.match((e as PolicyError).path, /Metrics\[2\]\.Expression$/);
  }
  t.throws(() => parsePolicy(policy('m1 / m3')), /ids of MetricStat queries/);
});
