// Scaling a queue's consumer pool inside a run: a KEDA ScaledObject (RabbitMQ, management API)
// takes the workers from 0 to N when orders arrive and back to 0 after its cooldown; AWS target
// tracking on the User Guide's backlog-per-instance metric math grows an EC2 group on the same queue.
import t from 'tap';
import { parseScenario } from '../../src/scenario/index.ts';
import { runScenario } from '../../src/model/index.ts';
import type { PoolSummary } from '../../src/stats/results.ts';
import type { QueueSummary } from '../../src/stats/data-tier.ts';

const traffic = { rate: { step: { initial: 0, steps: [{ at: '60s', rate: 40 }, { at: '900s', rate: 0 }] } } };

t.test('KEDA: 0 → N on activity, ceil(messages / value) above, back to 0 after cooldownPeriod', async (t) => {
  const so = {
    apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'w' },
    spec: {
      scaleTargetRef: { name: 'w' }, pollingInterval: 15, cooldownPeriod: 60, maxReplicaCount: 30,
      triggers: [{ type: 'rabbitmq', metadata: { queueName: 'jobs', host: 'http://rabbit:15672/', mode: 'QueueLength', value: '5' } }],
    },
  };
  const res = runScenario(parseScenario({
    name: 'keda', seed: 2, duration: 1500, sampleInterval: '15s', traffic,
    components: {
      jobs: { kind: 'queue', consumers: 'w' },
      w: { kind: 'pool', instances: 0, workers: 2, serviceTime: { dist: 'exponential', mean: '500ms' }, bootTime: '10s', autoscaling: so },
    },
  }, 'test.yaml', '.'));
  const s = res.summary, rules = s.scaling.map((e) => e.rule);
  t.equal(s.scaling[0].rule, 'ScaleFromZero', `first action: ${s.scaling[0].rule} at t=${s.scaling[0].time}`);
  t.ok(s.scaling[0].time >= 60 && s.scaling[0].time <= 90, 'within one polling interval of the first order');
  t.ok(s.peakInstances.w >= 10, `40 orders/s × 0.5 s = 20 busy workers need ≥ 10 instances: peak ${s.peakInstances.w}`);
  t.equal(rules.at(-1), 'ScaleToZero', 'the last action scales to zero');
  t.ok(s.scaling.at(-1)!.time >= 900 + 60, `not before the cooldown after the last order: t=${s.scaling.at(-1)!.time}`);
  t.equal((s.components.w as PoolSummary).instances.final, 0);
  t.equal(s.totals.errors.queueFull, 0);
  t.equal(s.totals.completions + s.totals.inFlight, s.totals.arrivals);
});

t.test('AWS target tracking on backlog per instance grows the consumer group', async (t) => {
  const aws = {
    autoScalingGroup: { AutoScalingGroupName: 'w', MinSize: 1, MaxSize: 30, DefaultInstanceWarmup: 30 },
    policies: [{
      PolicyName: 'backlog', PolicyType: 'TargetTrackingScaling',
      TargetTrackingConfiguration: {
        TargetValue: 10,
        CustomizedMetricSpecification: {
          Metrics: [
            { Id: 'm1', MetricStat: { Metric: { MetricName: 'ApproximateNumberOfMessagesVisible', Namespace: 'AWS/SQS', Dimensions: [{ Name: 'QueueName', Value: 'jobs' }] }, Stat: 'Sum' }, ReturnData: false },
            { Id: 'm2', MetricStat: { Metric: { MetricName: 'GroupInServiceInstances', Namespace: 'AWS/AutoScaling', Dimensions: [{ Name: 'AutoScalingGroupName', Value: 'w' }] }, Stat: 'Average' }, ReturnData: false },
            { Id: 'e1', Expression: 'm1 / m2', ReturnData: true },
          ],
        },
      },
    }],
  };
  const res = runScenario(parseScenario({
    name: 'aws', seed: 2, duration: 1500, sampleInterval: '15s', traffic,
    components: {
      jobs: { kind: 'queue', consumers: 'w' },
      w: { kind: 'pool', instances: 1, workers: 2, serviceTime: { dist: 'exponential', mean: '500ms' }, bootTime: '30s', autoscaling: aws },
    },
  }, 'test.yaml', '.')).summary;
  t.ok(res.scaling.length > 0 && res.scaling[0].rule === 'TargetTrackingScaling', `first action ${res.scaling[0]?.rule}: ${res.scaling[0]?.reasons.find((r) => r.startsWith('chosen'))}`);
  t.ok(res.peakInstances.w >= 10, `peak ${res.peakInstances.w} instances`);
});

t.test('over AMQP a busy pool reads as idle: KEDA scales it to zero, killed consumers requeue their messages, none is lost', async (t) => {
  // 200 s jobs and a 30 s cooldown: the jobs on workers never finish before KEDA, seeing no ready
  // message, takes the pool to zero — the loop a team hits with AMQP QueueLength and long jobs.
  const so = {
    apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'w' },
    spec: {
      scaleTargetRef: { name: 'w' }, pollingInterval: 15, cooldownPeriod: 30,
      triggers: [{ type: 'rabbitmq', metadata: { queueName: 'jobs', host: 'amqp://rabbit:5672/', mode: 'QueueLength', value: '5' } }],
    },
  };
  const res = runScenario(parseScenario({
    name: 'amqp', seed: 5, duration: 3000, sampleInterval: '30s',
    traffic: { rate: { step: { initial: 2, steps: [{ at: '100s', rate: 0 }] } } },
    components: {
      jobs: { kind: 'queue', consumers: 'w' },
      w: { kind: 'pool', instances: 2, workers: 10, serviceTime: '200s', drainTimeout: '5s', autoscaling: so },
    },
  }, 'test.yaml', '.')).summary;
  const q = res.components.jobs as QueueSummary;
  t.ok(res.scaling.some((e) => e.rule === 'ScaleToZero' && e.from > 0), 'ready messages 0 while 20 are on workers: inactive, scaled to zero');
  t.equal(q.consumed + q.atEnd.waiting + q.atEnd.onWorkers, q.enqueued, `none lost: ${q.consumed} consumed + ${q.atEnd.waiting} waiting + ${q.atEnd.onWorkers} on workers = ${q.enqueued} enqueued`);
  t.ok(q.redelivered > q.enqueued, `the loop: ${q.redelivered} redeliveries for ${q.enqueued} messages`);
  t.equal(res.totals.errors.noUpstream, 0, 'no producer request failed');
});
