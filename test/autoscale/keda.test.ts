// KEDA ScaledObjects through headroom's translation, against KEDA's own test cases:
//  [RMQ] kedacore/keda pkg/scalers/rabbitmq_scaler_test.go — testRabbitMQMetadata (parse errors),
//        rabbitMQMetricIdentifiers (metric names), testDefaultQueueLength, testQueueInfoTestData
//        (isActive per management-API response and mode);
//  [SQS] kedacore/keda pkg/scalers/aws_sqs_queue_scaler_test.go — testAWSSQSMetadata (parse errors),
//        awsSQSMetricIdentifiers (metric names), TestAWSSQSScalerGetMetrics (visible 200, not
//        visible 100, delayed 50: the metric per scaleOnInFlight / scaleOnDelayed);
//  [HPA] controllers/keda/hpa.go getHPAMinReplicas / getHPAMaxReplicas and the HPA's External
//        AverageValue rule (replicas = ceil(metric / target)); [EXE] pkg/scaling/executor/
//        scale_scaledobjects.go RequestScale (0 ↔ 1 on activity, cooldownPeriod).
// Cases where headroom deliberately differs (useRegex: one queue per trigger) are left out.
import t from 'tap';
import { parsePolicy, decide, initialState, PolicyError } from '../../src/autoscale/index.ts';
import type { KedaPolicy, Observation } from '../../src/autoscale/index.ts';
import { triggerReading } from '../../src/autoscale/keda.ts';

function scaledObject(type: string, metadata: Record<string, string>, extra: Record<string, unknown> = {}, triggerExtra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'workers' },
    spec: { scaleTargetRef: { name: 'workers' }, ...extra, triggers: [{ type, metadata, ...triggerExtra }] },
  };
}
const keda = (raw: unknown) => parsePolicy(raw) as KedaPolicy;
const host = 'myHostSecret';

t.test('[RMQ] testRabbitMQMetadata: which trigger metadata parse', async (t) => {
  const cases: Array<[Record<string, string>, boolean, string]> = [
    [{}, true, 'nothing passed'],
    [{ queueLength: '10', queueName: 'sample', hostFromEnv: host }, false, 'properly formed metadata'],
    [{ queueLength: 'AA', queueName: 'sample', hostFromEnv: host }, true, 'malformed queueLength'],
    [{ queueLength: 'AA', queueName: 'sample' }, true, 'missing host'],
    [{ queueLength: '10', hostFromEnv: host }, true, 'missing queueName'],
    [{ queueLength: '10', queueName: 'sample', host, protocol: 'http' }, false, 'properly formed metadata with http protocol'],
    [{ queueLength: '10', queueName: 'namespace/name', hostFromEnv: host }, false, 'queue name with slashes'],
    [{ vhostName: 'myVhost', queueName: 'namespace/name', hostFromEnv: host }, false, 'vhost passed'],
    [{ queueName: 'sample', host: 'something://' }, true, 'auto protocol and a bad URL'],
    [{ queueName: 'sample', host: 'http://' }, false, 'auto protocol and an HTTP URL'],
    [{ queueName: 'sample', host: 'https://' }, false, 'auto protocol and an HTTPS URL'],
    [{ queueLength: '10', mode: 'QueueLength', queueName: 'sample', host: 'https://' }, true, 'queueLength and mode'],
    [{ queueLength: '10', value: '20', queueName: 'sample', host: 'https://' }, true, 'queueLength and value'],
    [{ queueLength: '10', mode: 'QueueLength', value: '20', queueName: 'sample', host: 'https://' }, true, 'queueLength and mode and value'],
    [{ mode: 'QueueLength', queueName: 'sample', host: 'https://' }, true, 'only mode'],
    [{ value: '20', queueName: 'sample', host: 'https://' }, true, 'only value'],
    [{ mode: 'QueueLength', value: '20', queueName: 'sample', host: 'https://' }, false, 'mode and value'],
    [{ mode: 'Feelings', value: '20', queueName: 'sample', host: 'https://' }, true, 'invalid mode'],
    [{ mode: 'QueueLength', value: 'lots', queueName: 'sample', host: 'https://' }, true, 'invalid value'],
    [{ mode: 'QueueLength', value: '20', queueName: 'sample', host: 'amqps://' }, false, 'queue length amqp'],
    [{ mode: 'MessageRate', value: '1000', queueName: 'sample', host: 'amqps://' }, true, 'message rate amqps'],
    [{ mode: 'MessageRate', value: '1000', queueName: 'sample', host: 'amqp://' }, true, 'message rate amqp'],
    [{ mode: 'MessageRate', value: '1000', queueName: 'sample', host: 'http://' }, false, 'message rate http'],
    [{ mode: 'MessageRate', value: '1000', queueName: 'sample', host: 'https://' }, false, 'message rate https'],
    [{ mode: 'DeliverGetRate', value: '1000', queueName: 'sample', host: 'amqps://' }, true, 'deliverGet rate amqps'],
    [{ mode: 'DeliverGetRate', value: '1000', queueName: 'sample', host: 'amqp://' }, true, 'deliverGet rate amqp'],
    [{ mode: 'DeliverGetRate', value: '1000', queueName: 'sample', host: 'http://' }, false, 'deliverGet rate http'],
    [{ mode: 'DeliverGetRate', value: '1000', queueName: 'sample', host: 'https://' }, false, 'deliverGet rate https'],
    [{ queueName: 'sample', host: 'amqps://', useRegex: 'true' }, true, 'amqp host and useRegex'],
    [{ mode: 'QueueLength', value: '1000', queueName: 'sample', host: 'http://', timeout: '1000' }, false, 'http valid timeout'],
    [{ mode: 'QueueLength', value: '1000', queueName: 'sample', host: 'http://', timeout: '-10' }, true, 'http invalid timeout'],
    [{ mode: 'QueueLength', value: '1000', queueName: 'sample', host: 'http://', timeout: 'error' }, true, 'http wrong timeout'],
    [{ mode: 'QueueLength', value: '1000', queueName: 'sample', host: 'amqp://', timeout: '10' }, true, 'amqp timeout'],
    [{ activationValue: '10', queueLength: '20', queueName: 'sample', hostFromEnv: host }, false, 'activationValue passed'],
    [{ activationValue: 'AA', queueLength: '10', queueName: 'sample', hostFromEnv: host }, true, 'malformed activationValue'],
    [{ mode: 'QueueLength', value: '1000', queueName: 'sample', host: 'amqp://', excludeUnacknowledged: 'true' }, true, 'amqp and excludeUnacknowledged'],
    [{ queueName: 'sample', host: 'https://', unsafeSsl: 'true' }, false, 'unsafeSsl true'],
    [{ queueName: 'sample', host: 'https://', unsafeSsl: 'random' }, true, 'unsafeSsl wrong input'],
  ];
  for (const [metadata, isError, comment] of cases) {
    if (isError) t.throws(() => parsePolicy(scaledObject('rabbitmq', metadata)), PolicyError, comment);
    else t.doesNotThrow(() => parsePolicy(scaledObject('rabbitmq', metadata)), comment);
  }
});

t.test('[RMQ] metric names and the default queue length; [HPA] the HPA KEDA builds', async (t) => {
  const two = {
    apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'workers' },
    spec: {
      scaleTargetRef: { name: 'workers' },
      triggers: [
        { type: 'rabbitmq', metadata: { queueLength: '10', queueName: 'sample', hostFromEnv: host } },
        { type: 'rabbitmq', metadata: { queueLength: '10', queueName: 'namespace/name', hostFromEnv: host } },
      ],
    },
  };
  const p = keda(two);
  t.same(p.triggers.map((x) => x.metricName), ['s0-rabbitmq-sample', 's1-rabbitmq-namespace-2Fname'], 'rabbitMQMetricIdentifiers');
  for (const md of [{ queueName: 'sample', hostFromEnv: host }, { queueName: 'sample', hostFromEnv: host, protocol: 'http' }] as Array<Record<string, string>>) {
    const tr = keda(scaledObject('rabbitmq', md)).triggers[0];
    t.equal(tr.type === 'rabbitmq' && tr.value, 20, 'testDefaultQueueLength: 20');
  }
  // getHPAMinReplicas: minReplicaCount 0 (the default) → 1; getHPAMaxReplicas: default 100.
  t.equal(p.hpa.minReplicas, 1);
  t.equal(p.hpa.maxReplicas, 100);
  t.same(p.hpa.metrics[0], { type: 'External', name: 's0-rabbitmq-sample', target: { type: 'AverageValue', averageValueMilli: 10000 } });
  const q = keda(scaledObject('rabbitmq', { queueName: 'q', host: 'amqp://x' }, { minReplicaCount: 3, maxReplicaCount: 7 }, { metricType: 'Value' }));
  t.same([q.hpa.minReplicas, q.hpa.maxReplicas], [3, 7], 'minReplicaCount > 0 is the HPA minimum');
  t.equal(q.hpa.metrics[0].target.type, 'Value', 'trigger metricType: Value');
  t.equal(q.hpa.name, 'keda-hpa-workers');
});

t.test('[RMQ] testQueueInfoTestData: activity per response and mode (protocol http)', async (t) => {
  type Row = [number, number, number, number, boolean];
  const modes: Array<[Record<string, string>, Row[]]> = [
    [{ queueLength: '10' }, [[4, 1, 0, 0, true], [1, 1, 0, 0, true], [1, 0, 0, 0, true], [0, 0, 0, 0, false], [4, 1, 1.4, 0.8, true], [1, 1, 1.4, 1.2, true], [1, 0, 1.4, 1.6, true], [0, 0, 1.4, 2, false]]],
    [{ value: '100', mode: 'QueueLength' }, [[4, 1, 0, 1.3, true], [1, 1, 0, 1, true], [1, 0, 0, 1, true], [0, 0, 0, 0, false], [4, 1, 1.4, 1.3, true], [1, 1, 1.4, 1, true], [1, 0, 1.4, 1, true], [0, 0, 1.4, 0, false]]],
    [{ value: '100', mode: 'MessageRate' }, [[4, 1, 0, 1.3, true], [1, 1, 0, 1, true], [1, 0, 0, 1, true], [0, 0, 0, 0, false], [4, 1, 1.4, 1.3, true], [1, 1, 1.4, 1, true], [1, 0, 1.4, 1, true], [0, 0, 1.4, 0, true]]],
    [{ value: '100', mode: 'DeliverGetRate' }, [[30, 10, 5, 1, true], [20, 0, 0, 10, true], [10, 0, 0, 12.5, true], [0, 0, 0, 0, false], [45, 5, 5.5, 1.5, true], [22, 0, 1.5, 23, true], [3, 0, 0, 18.5, true], [0, 0, 0, 0, false]]],
  ];
  for (const [extra, rows] of modes) {
    const tr = keda(scaledObject('rabbitmq', { queueName: 'evaluate_trials', hostFromEnv: host, protocol: 'http', ...extra })).triggers[0];
    for (const [messages, unacked, publish, deliver, active] of rows) {
      const ext = {
        'rabbitmq:evaluate_trials:messages': messages, 'rabbitmq:evaluate_trials:messages_ready': messages - unacked,
        'rabbitmq:evaluate_trials:messages_unacknowledged': unacked,
        'rabbitmq:evaluate_trials:publish_rate': publish, 'rabbitmq:evaluate_trials:deliver_get_rate': deliver,
      };
      t.equal(triggerReading(tr, ext)!.active, active, `${JSON.stringify(extra)} messages ${messages} unacked ${unacked} publish ${publish} deliver ${deliver}`);
    }
  }
});

t.test('[SQS] parse cases, metric names and the queue length per scaleOnInFlight / scaleOnDelayed', async (t) => {
  const url = 'https://sqs.eu-west-1.amazonaws.com/account_id/DeleteArtifactQ';
  const cases: Array<[Record<string, string>, boolean, string]> = [
    [{}, true, 'metadata empty'],
    [{ queueURL: url, queueLength: '1', awsRegion: 'eu-west-1' }, false, 'properly formed queue and region'],
    [{ queueURL: 'https://sqs.eu-west-1.amazonaws.com/account_id', queueLength: '1', awsRegion: 'eu-west-1' }, true, 'improperly formed queue, missing queueName'],
    [{ queueURL: 'https://sqs.eu-west-1.amazonaws.com', queueLength: '1', awsRegion: 'eu-west-1' }, true, 'improperly formed queue, missing path'],
    [{ queueURL: url, queueLength: '1', awsRegion: '' }, true, 'properly formed queue, empty region'],
    [{ queueURL: url, queueLength: 'a', awsRegion: 'eu-west-1' }, true, 'invalid integer value for queueLength'],
    [{ queueURL: url, queueLength: '1', activationQueueLength: '1', awsRegion: 'eu-west-1' }, false, 'integer activationQueueLength'],
    [{ queueURL: url, queueLength: '1', activationQueueLength: 'a', awsRegion: 'eu-west-1' }, true, 'invalid activationQueueLength'],
    [{ queueURL: 'my-queue', queueLength: '1', awsRegion: 'eu-west-1' }, false, 'simple queue URL'],
    [{ queueLength: '1', awsRegion: 'eu-west-1' }, true, 'missing queue url'],
  ];
  for (const [metadata, isError, comment] of cases) {
    if (isError) t.throws(() => parsePolicy(scaledObject('aws-sqs-queue', metadata)), PolicyError, comment);
    else t.doesNotThrow(() => parsePolicy(scaledObject('aws-sqs-queue', metadata)), comment);
  }
  const md = { queueURL: url, queueLength: '1', awsRegion: 'eu-west-1' };
  const two = keda({ ...scaledObject('aws-sqs-queue', md), spec: { scaleTargetRef: { name: 'w' }, triggers: [{ type: 'aws-sqs-queue', metadata: md }, { type: 'aws-sqs-queue', metadata: md }] } });
  t.same(two.triggers.map((x) => x.metricName), ['s0-aws-sqs-DeleteArtifactQ', 's1-aws-sqs-DeleteArtifactQ'], 'awsSQSMetricIdentifiers');
  const ext = { 'sqs:DeleteArtifactQ:ApproximateNumberOfMessages': 200, 'sqs:DeleteArtifactQ:ApproximateNumberOfMessagesNotVisible': 100, 'sqs:DeleteArtifactQ:ApproximateNumberOfMessagesDelayed': 50 };
  for (const [flags, expected] of [
    [{ scaleOnInFlight: 'false' }, 200], [{ scaleOnInFlight: 'true' }, 300], [{ scaleOnDelayed: 'false' }, 300],
    [{ scaleOnDelayed: 'true' }, 350], [{ scaleOnInFlight: 'false', scaleOnDelayed: 'false' }, 200], [{ scaleOnInFlight: 'true', scaleOnDelayed: 'true' }, 350],
  ] as const) {
    const tr = keda(scaledObject('aws-sqs-queue', { ...md, ...flags })).triggers[0];
    t.equal(triggerReading(tr, ext)!.value, expected, `${JSON.stringify(flags)} → ${expected}`);
  }
});

t.test('[EXE][HPA] replicas: 0 → 1 on activity, ceil(metric / target) above, back to 0 after cooldownPeriod', async (t) => {
  const p = keda(scaledObject('aws-sqs-queue', { queueURL: 'orders', queueLength: '5', awsRegion: 'eu-west-1' }, { maxReplicaCount: 50, cooldownPeriod: 120 }));
  const pod = (i: number) => ({ id: `w-${i}`, phase: 'running' as const, ready: true, startTime: 0, readySince: 0, metrics: {} });
  const obs = (replicas: number, visible: number, inflight: number): Observation => ({
    currentReplicas: replicas, instances: Array.from({ length: replicas }, (_, i) => pod(i)),
    external: { 'sqs:orders:ApproximateNumberOfMessages': visible, 'sqs:orders:ApproximateNumberOfMessagesNotVisible': inflight },
  });
  let s = initialState(p, 0, 0);
  let d = decide(p, s, obs(0, 0, 0), 0);
  t.equal(d.desired, 0, 'idle queue at 0 replicas: stays at 0 (the HPA is disabled at 0)');
  s = d.state;
  d = decide(p, s, obs(0, 12, 0), 30);
  t.same([d.desired, d.rule], [1, 'ScaleFromZero'], 'a message arrives: the operator scales 0 → 1');
  s = d.state;
  d = decide(p, s, obs(1, 200, 100), 45);
  t.equal(d.desired, 4, 'the HPA then: 300 / 5 = 60 wanted, the scale-up limit of max(2 × 1, 4) per sync holds it at 4');
  s = d.state;
  d = decide(p, s, obs(4, 200, 100), 60);
  t.equal(d.desired, 8, 'next sync: ×2');
  s = d.state;
  d = decide(p, s, obs(8, 13, 7), 75);
  t.equal(d.desired, 16, 'ceil(20 / 5) = 4 now, but the legacy 300 s window still holds the 60 wanted at t=45: on up, ×2');
  s = d.state;
  d = decide(p, s, obs(8, 0, 0), 90);
  t.not(d.rule, 'ScaleToZero', 'inactive at t=90, last active at t=60: the 120 s cooldown has not passed');
  s = d.state;
  d = decide(p, s, obs(8, 0, 0), 195);
  t.same([d.desired, d.rule], [0, 'ScaleToZero'], 'inactive for more than cooldownPeriod: 8 → 0');
});

t.test('bad ScaledObjects name the field', async (t) => {
  const bad = (raw: unknown, path: string) => {
    try { parsePolicy(raw); t.fail(`${path}: accepted`); } catch (e) { t.ok(e instanceof PolicyError && e.path === path, `${path}: ${(e as Error).message}`); }
  };
  bad({ ...scaledObject('rabbitmq', { queueName: 'q', host: 'amqp://x' }), apiVersion: 'keda.sh/v1' }, 'apiVersion');
  bad(scaledObject('kafka', {}), 'spec.triggers[0].type');
  bad(scaledObject('rabbitmq', { queueName: 'q', host: 'amqp://x', queueLenght: '5' }), 'spec.triggers[0].metadata.queueLenght');
  bad(scaledObject('rabbitmq', { queueName: 'q', host: 'amqp://x' }, { minReplicaCount: 5, maxReplicaCount: 2 }), 'spec.minReplicaCount');
  bad(scaledObject('rabbitmq', { queueName: 'q', host: 'amqp://x' }, { minReplicaCount: 1, idleReplicaCount: 1 }), 'spec.idleReplicaCount');
});
