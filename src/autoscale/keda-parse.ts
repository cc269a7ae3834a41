// A KEDA ScaledObject manifest (keda.sh/v1alpha1), as the team applies it, into the HPA KEDA
// creates for it plus the operator's own settings. Sources (kedacore/keda):
//  - controllers/keda/hpa.go newHPAForScaledObject: the HPA's metrics are the scalers'
//    GetMetricSpecForScaling (External, sorted by type), minReplicas = minReplicaCount when > 0
//    else 1 (getHPAMinReplicas), maxReplicas = maxReplicaCount else 100, behavior =
//    spec.advanced.horizontalPodAutoscalerConfig.behavior;
//  - pkg/scalers/rabbitmq_scaler.go: queueName required; mode QueueLength | MessageRate |
//    DeliverGetRate | PublishedToDeliveredRatio | ExpectedQueueConsumptionTime with value and
//    activationValue (floats); the deprecated queueLength alone means QueueLength mode; nothing
//    given means QueueLength 20; queueLength together with mode or value is an error; modes other
//    than QueueLength need the HTTP protocol; protocol auto follows the host's scheme; target =
//    GetMetricTargetMili(value); metric name s<i>-rabbitmq-<QueryEscape(queueName)> normalised;
//  - pkg/scalers/aws_sqs_queue_scaler.go: queueLength (int, default 5), activationQueueLength (int,
//    default 0), scaleOnInFlight (default true), scaleOnDelayed (default false); the queue name is
//    the third segment of the queueURL's path (or the queueURL itself when it is no URL); metric
//    name s<i>-aws-sqs-<queueName> normalised.
// Unknown keys are errors with a did-you-mean (KEDA would ignore a misspelt one silently).
import { PolicyError, describe, expectArray, expectObject, expectOneOf, expectString, joinPath } from './policy-error.ts';
import { parseHpaBehavior } from './hpa-parse.ts';
import { toMilli } from './quantity.ts';
import type { HpaMetric } from './hpa-types.ts';
import { KEDA_DEFAULTS, type KedaPolicy, type KedaTrigger, type RabbitMode } from './keda-types.ts';

const SPEC_KEYS = [
  'scaleTargetRef', 'pollingInterval', 'cooldownPeriod', 'initialCooldownPeriod', 'idleReplicaCount', 'minReplicaCount',
  'maxReplicaCount', 'fallback', 'advanced', 'triggers',
] as const;
const RABBIT_KEYS = [
  'queueName', 'mode', 'value', 'activationValue', 'queueLength', 'host', 'hostFromEnv', 'protocol', 'vhostName', 'useRegex',
  'excludeUnacknowledged', 'pageSize', 'operation', 'timeout', 'unsafeSsl', 'usernameFromEnv', 'passwordFromEnv',
] as const;
const SQS_KEYS = [
  'queueURL', 'queueURLFromEnv', 'queueLength', 'activationQueueLength', 'awsRegion', 'awsEndpoint', 'identityOwner',
  'scaleOnInFlight', 'scaleOnDelayed', 'awsAccessKeyID', 'awsSecretAccessKey',
] as const;
const RABBIT_MODES: readonly RabbitMode[] = ['QueueLength', 'MessageRate', 'DeliverGetRate', 'PublishedToDeliveredRatio', 'ExpectedQueueConsumptionTime'];

export function isKedaManifest(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && (raw as Record<string, unknown>).kind === 'ScaledObject';
}

/** kedautil.NormalizeString for the characters a queue name or URL escape brings. */
export function normalizeMetricName(s: string): string {
  return s.replace(/[/.:%()"' <>$]/g, '-');
}

/** Go's url.QueryEscape (spaces as '+'). */
function queryEscape(s: string): string {
  return encodeURIComponent(s).replace(/%20/g, '+').replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function int(v: unknown, path: string, min: number, dflt: number | null): number {
  if (v === undefined) {
    if (dflt === null) throw new PolicyError(path, 'an integer', describe(v));
    return dflt;
  }
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new PolicyError(path, `an integer ≥ ${min}`, describe(v));
  return v;
}

/** A trigger metadata value: a string as Kubernetes stores it (a bare YAML number is taken too). */
function meta(m: Record<string, unknown>, key: string, path: string): string | undefined {
  const v = m[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v !== 'string') throw new PolicyError(joinPath(path, key), 'a string (trigger metadata is a map of strings)', describe(v));
  return v;
}

function float(m: Record<string, unknown>, key: string, path: string): number | undefined {
  const s = meta(m, key, path);
  if (s === undefined || s === '') return undefined;
  const x = Number(s);
  if (!Number.isFinite(x)) throw new PolicyError(joinPath(path, key), 'a number (strconv.ParseFloat)', describe(s));
  return x;
}

function int64(m: Record<string, unknown>, key: string, path: string, dflt: number): number {
  const s = meta(m, key, path);
  if (s === undefined || s === '') return dflt;
  if (!/^[+-]?\d+$/.test(s)) throw new PolicyError(joinPath(path, key), 'an integer (strconv.ParseInt)', describe(s));
  return Number(s);
}

function bool(m: Record<string, unknown>, key: string, path: string, dflt: boolean): boolean {
  const s = meta(m, key, path);
  if (s === undefined || s === '') return dflt;
  if (!/^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/.test(s)) throw new PolicyError(joinPath(path, key), 'true or false (strconv.ParseBool)', describe(s));
  return /^(1|t|T|TRUE|true|True)$/.test(s);
}

function parseRabbit(m: Record<string, unknown>, path: string, index: number, hasAuthRef: boolean, notes: string[]): Omit<Extract<KedaTrigger, { type: 'rabbitmq' }>, 'metricType'> {
  const queueName = meta(m, 'queueName', path);
  if (!queueName) throw new PolicyError(joinPath(path, 'queueName'), 'a queue name', describe(m.queueName));
  const host = meta(m, 'host', path);
  if (host === undefined && m.hostFromEnv === undefined && !hasAuthRef) {
    throw new PolicyError(joinPath(path, 'host'), 'a host, hostFromEnv or an authenticationRef that supplies it', 'nothing (missing)');
  }
  let protocol = meta(m, 'protocol', path) ?? 'auto';
  if (!['auto', 'amqp', 'http'].includes(protocol)) throw new PolicyError(joinPath(path, 'protocol'), 'one of auto, amqp, http', describe(protocol));
  let mode = (meta(m, 'mode', path) ?? 'Unknown') as RabbitMode | 'Unknown';
  const queueLength = float(m, 'queueLength', path) ?? 0;
  let value = float(m, 'value', path) ?? 0;
  const activationValue = float(m, 'activationValue', path) ?? 0;
  // validateTrigger, branch by branch
  if (queueLength === 0 && mode === 'Unknown' && value === 0) { mode = 'QueueLength'; value = KEDA_DEFAULTS.rabbitQueueLength; }
  else if (queueLength !== 0 && (mode !== 'Unknown' || value !== 0)) throw new PolicyError(joinPath(path, 'queueLength'), 'no queueLength together with mode or value (queueLength is deprecated; use mode and value)', describe(m.queueLength));
  else if (queueLength !== 0) { mode = 'QueueLength'; value = queueLength; }
  else if (mode === 'Unknown') throw new PolicyError(joinPath(path, 'mode'), 'a mode (value is given)', 'nothing (missing)');
  else if (value === 0) throw new PolicyError(joinPath(path, 'value'), 'a value (mode is given)', 'nothing (missing)');
  if (!RABBIT_MODES.includes(mode as RabbitMode)) throw new PolicyError(joinPath(path, 'mode'), `one of ${RABBIT_MODES.join(', ')}`, describe(mode));
  if (protocol === 'auto') {
    if (host !== undefined) {
      const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(host)?.[1]?.toLowerCase();
      if (scheme === 'amqp' || scheme === 'amqps') protocol = 'amqp';
      else if (scheme === 'http' || scheme === 'https') protocol = 'http';
      else throw new PolicyError(joinPath(path, 'host'), 'a host URL with scheme amqp, amqps, http or https (protocol auto)', describe(host));
    } else {
      // The host lives in an env var or a TriggerAuthentication headroom cannot read.
      protocol = mode === 'QueueLength' ? 'amqp' : 'http';
      notes.push(`triggers[${index}]: host not in the manifest; protocol taken as ${protocol} (set protocol: to choose)`);
    }
  }
  if (mode !== 'QueueLength' && protocol !== 'http') throw new PolicyError(joinPath(path, 'mode'), `QueueLength (protocol ${protocol}; mode ${mode} needs http)`, describe(mode));
  const excludeUnacknowledged = bool(m, 'excludeUnacknowledged', path, false);
  if (excludeUnacknowledged && protocol !== 'http') throw new PolicyError(joinPath(path, 'excludeUnacknowledged'), 'false with the amqp protocol (http only)', describe(m.excludeUnacknowledged));
  bool(m, 'unsafeSsl', path, false);
  const pageSize = int64(m, 'pageSize', path, 100);
  if (pageSize < 1) throw new PolicyError(joinPath(path, 'pageSize'), 'an integer ≥ 1', describe(m.pageSize));
  if (m.timeout !== undefined) {
    const ms = int64(m, 'timeout', path, 0);
    if (ms < 0) throw new PolicyError(joinPath(path, 'timeout'), 'a timeout in ms ≥ 0', describe(m.timeout));
    if (protocol === 'amqp') throw new PolicyError(joinPath(path, 'timeout'), 'no timeout with the amqp protocol (AMQP has no custom timeout)', describe(m.timeout));
  }
  if (bool(m, 'useRegex', path, false)) throw new PolicyError(joinPath(path, 'useRegex'), 'false (headroom models one queue per trigger)', describe(m.useRegex));
  return {
    type: 'rabbitmq',
    metricName: `s${index}-${normalizeMetricName(`rabbitmq-${queryEscape(queueName)}`)}`,
    queueName,
    mode: mode as RabbitMode,
    value,
    activationValue,
    protocol: protocol as 'amqp' | 'http',
    excludeUnacknowledged,
  };
}

function parseSqs(m: Record<string, unknown>, path: string, index: number): Omit<Extract<KedaTrigger, { type: 'aws-sqs-queue' }>, 'metricType'> {
  const url = meta(m, 'queueURL', path);
  if (!url) {
    if (m.queueURLFromEnv !== undefined) throw new PolicyError(joinPath(path, 'queueURL'), 'the queueURL itself (headroom cannot read the environment queueURLFromEnv names)', describe(m.queueURLFromEnv));
    throw new PolicyError(joinPath(path, 'queueURL'), 'a queue URL', 'nothing (missing)');
  }
  if (!meta(m, 'awsRegion', path)) throw new PolicyError(joinPath(path, 'awsRegion'), 'a region', describe(m.awsRegion));
  let queueName = url;
  const u = /^[a-z][a-z0-9+.-]*:\/\/[^/]*(\/.*)?$/i.exec(url);
  if (u) {
    const parts = (u[1] ?? '').split('/');
    if (parts.length !== 3 || parts[2] === '') throw new PolicyError(joinPath(path, 'queueURL'), 'a URL ending in /<account>/<queue name>', describe(url));
    queueName = parts[2];
  }
  return {
    type: 'aws-sqs-queue',
    metricName: `s${index}-${normalizeMetricName(`aws-sqs-${queueName}`)}`,
    queueName,
    queueLength: int64(m, 'queueLength', path, KEDA_DEFAULTS.sqsQueueLength),
    activationQueueLength: int64(m, 'activationQueueLength', path, 0),
    scaleOnInFlight: bool(m, 'scaleOnInFlight', path, true),
    scaleOnDelayed: bool(m, 'scaleOnDelayed', path, false),
  };
}

function parseTrigger(raw: unknown, path: string, index: number, notes: string[]): KedaTrigger {
  const o = expectObject(raw, path, ['type', 'name', 'metadata', 'authenticationRef', 'metricType', 'useCachedMetrics']);
  const type = expectOneOf(o.type, joinPath(path, 'type'), ['rabbitmq', 'aws-sqs-queue'] as const);
  const metricType = o.metricType === undefined ? 'AverageValue' : expectOneOf(o.metricType, joinPath(path, 'metricType'), ['AverageValue', 'Value'] as const);
  const mp = joinPath(path, 'metadata');
  const m = expectObject(o.metadata, mp, type === 'rabbitmq' ? RABBIT_KEYS : SQS_KEYS);
  const t = type === 'rabbitmq' ? parseRabbit(m, mp, index, o.authenticationRef !== undefined, notes) : parseSqs(m, mp, index);
  return { ...t, metricType } as KedaTrigger;
}

/** The External metric spec a trigger's scaler gives the HPA (GetMetricTarget / GetMetricTargetMili). */
function metricSpec(t: KedaTrigger): HpaMetric {
  const target = t.type === 'rabbitmq' ? t.value : t.queueLength;
  const milli = toMilli(target);
  return {
    type: 'External',
    name: t.metricName,
    target: t.metricType === 'Value' ? { type: 'Value', valueMilli: milli } : { type: 'AverageValue', averageValueMilli: milli },
  };
}

export function parseKeda(raw: unknown): KedaPolicy {
  const o = expectObject(raw, '', ['apiVersion', 'kind', 'metadata', 'spec', 'status']);
  expectOneOf(o.apiVersion, 'apiVersion', ['keda.sh/v1alpha1'] as const);
  expectOneOf(o.kind, 'kind', ['ScaledObject'] as const);
  const md = o.metadata === undefined ? {} : expectObject(o.metadata, 'metadata', ['name', 'namespace', 'labels', 'annotations']);
  const name = md.name === undefined ? 'scaledobject' : expectString(md.name, 'metadata.name');
  const spec = expectObject(o.spec, 'spec', SPEC_KEYS);
  const ref = expectObject(spec.scaleTargetRef, 'spec.scaleTargetRef', ['apiVersion', 'kind', 'name', 'envSourceContainerName']);
  expectString(ref.name, 'spec.scaleTargetRef.name');
  const minReplicaCount = int(spec.minReplicaCount, 'spec.minReplicaCount', 0, KEDA_DEFAULTS.minReplicaCount);
  const maxReplicaCount = int(spec.maxReplicaCount, 'spec.maxReplicaCount', 1, KEDA_DEFAULTS.maxReplicaCount);
  if (minReplicaCount > maxReplicaCount) throw new PolicyError('spec.minReplicaCount', `an integer ≤ spec.maxReplicaCount (${maxReplicaCount})`, String(minReplicaCount));
  const idleReplicaCount = spec.idleReplicaCount === undefined ? null : int(spec.idleReplicaCount, 'spec.idleReplicaCount', 0, null);
  if (idleReplicaCount !== null && idleReplicaCount >= minReplicaCount) {
    throw new PolicyError('spec.idleReplicaCount', `an integer < spec.minReplicaCount (${minReplicaCount})`, String(idleReplicaCount));
  }
  if (spec.fallback !== undefined) throw new PolicyError('spec.fallback', 'nothing (headroom\'s metrics never fail, so a fallback never applies)', describe(spec.fallback));
  let behavior = null;
  if (spec.advanced !== undefined) {
    const adv = expectObject(spec.advanced, 'spec.advanced', ['horizontalPodAutoscalerConfig', 'restoreToOriginalReplicaCount']);
    if (adv.horizontalPodAutoscalerConfig !== undefined) {
      const hc = expectObject(adv.horizontalPodAutoscalerConfig, 'spec.advanced.horizontalPodAutoscalerConfig', ['name', 'behavior']);
      if (hc.behavior !== undefined) behavior = parseHpaBehavior(hc.behavior, 'spec.advanced.horizontalPodAutoscalerConfig.behavior');
    }
  }
  const notes: string[] = [];
  const rawTriggers = expectArray(spec.triggers, 'spec.triggers');
  if (rawTriggers.length === 0) throw new PolicyError('spec.triggers', 'at least one trigger', 'an empty array');
  const triggers = rawTriggers.map((t, i) => parseTrigger(t, joinPath('spec.triggers', i), i, notes));
  const seen = new Set<string>();
  triggers.forEach((t, i) => {
    if (seen.has(t.metricName)) throw new PolicyError(joinPath('spec.triggers', i), `a metric name defined once (${t.metricName} is defined twice)`, t.metricName);
    seen.add(t.metricName);
  });
  return {
    kind: 'keda',
    name,
    hpa: {
      kind: 'hpa',
      name: `keda-hpa-${name}`.slice(0, 63),
      minReplicas: minReplicaCount > 0 ? minReplicaCount : 1,
      maxReplicas: maxReplicaCount,
      metrics: triggers.map(metricSpec),
      behavior,
    },
    triggers,
    minReplicaCount,
    maxReplicaCount,
    idleReplicaCount,
    pollingInterval: int(spec.pollingInterval, 'spec.pollingInterval', 1, KEDA_DEFAULTS.pollingInterval),
    cooldownPeriod: int(spec.cooldownPeriod, 'spec.cooldownPeriod', 0, KEDA_DEFAULTS.cooldownPeriod),
    notes,
  };
}
