// A pool's supervision: who restarts, replaces and updates its instances. Read from the pool's
// `deploy:` — a Kubernetes Deployment manifest or a Swarm service (its compose `deploy:` block and
// `healthcheck:`), inline or `{ file: PATH }` as applied in production (a multi-document YAML is
// searched for its Deployment, a docker-stack file for `service:`) — or, without one, from what
// scales the pool (an HPA: a Deployment with Kubernetes' defaults; an AWS policy: an Auto Scaling
// group; otherwise nothing replaces a lost instance). Only the fields the model uses are read;
// everything else in a manifest is left as it is. Kubernetes' own validation rules apply to what
// is read (maxSurge and maxUnavailable not both 0, progressDeadlineSeconds > minReadySeconds,
// no rollingUpdate under Recreate).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { PolicyConfig } from '../autoscale/types.ts';
import { ScenarioError, child, fail, type Where } from './errors.ts';
import { Fields, integer, isMapping, number, oneOf } from './fields.ts';
import { parseDuration, parsePercent } from './units.ts';
import type { CountOrPercent, HealthCheck, Platform, RestartPolicy, Strategy, Supervision, SwarmUpdateConfig } from './types.ts';

/** Swarm: node heartbeat period 5 s × grace multiplier 3 before a node is down (swarmkit dispatcher.go). */
const SWARM_NODE_DOWN = 15;
/** Kubernetes: node-monitor-grace-period (50 s since v1.32, 40 s before) + the unreachable taint's default toleration (300 s). */
const K8S_NODE_LOST = 50 + 300;
/** AWS: EC2 status checks run every minute; the group replaces what fails them at its next health check. */
const ASG_DETECT = 60;

const SWARM_UPDATE_DEFAULTS: SwarmUpdateConfig = {
  parallelism: 1, delay: 0, order: 'stop-first', monitor: 5, failureAction: 'pause', maxFailureRatio: 0,
};

export interface DeployResult {
  supervision: Supervision;
  /** Replicas the manifest asks for (spec.replicas, deploy.replicas), when it says. */
  replicas: number | null;
}

/**
 * The pool's supervision from its raw fields: `deploy` (a manifest), `restartPolicy` and
 * `healthCheck` (the image's own HEALTHCHECK, or a VM's process supervisor), `replacement`
 * (overrides of how long the manager takes to notice a lost instance).
 */
export function parseSupervision(f: Fields, policy: PolicyConfig | null, baseDir: string): DeployResult {
  let platform: Platform = policy?.kind === 'hpa' ? 'kubernetes' : policy?.kind === 'aws' ? 'asg' : 'none';
  let restart: RestartPolicy = platform === 'kubernetes' ? { kind: 'kubelet' } : { kind: 'never' };
  let healthCheck: HealthCheck | null = null;
  let strategy: Strategy | null = platform === 'kubernetes' ? k8sDefaults() : null;
  let replicas: number | null = null;

  if (f.has('deploy')) {
    const { doc, at } = manifest(f.raw.deploy, f.where('deploy'), baseDir);
    if (isMapping(doc) && doc.kind === 'Deployment') {
      platform = 'kubernetes';
      const d = parseDeployment(doc, at);
      restart = { kind: 'kubelet' };
      strategy = d.strategy;
      healthCheck = d.liveness;
      replicas = d.replicas;
    } else {
      platform = 'swarm';
      const s = parseSwarmService(doc, at);
      restart = s.restart;
      strategy = s.strategy;
      healthCheck = s.healthCheck;
      replicas = s.replicas;
    }
  }
  if (f.has('restartPolicy')) {
    if (platform === 'kubernetes' || platform === 'swarm') {
      fail(f.where('restartPolicy'), `nothing here: the ${platform === 'swarm' ? 'service\'s deploy.restart_policy' : 'kubelet (restartPolicy: Always)'} restarts this pool's processes`, f.raw.restartPolicy);
    }
    restart = parseSwarmRestart(f.raw.restartPolicy, f.where('restartPolicy'));
  }
  if (f.has('healthCheck')) {
    if (platform === 'kubernetes') fail(f.where('healthCheck'), 'nothing here: Kubernetes ignores an image\'s HEALTHCHECK (give the Deployment a livenessProbe)', f.raw.healthCheck);
    // The image's HEALTHCHECK; a compose `healthcheck:` overrides it, as Docker does.
    healthCheck ??= parseDockerHealthcheck(f.raw.healthCheck, f.where('healthCheck'));
  }
  const swarmDelay = restart.kind === 'swarm' && restart.condition !== 'none' ? restart.delay : Infinity;
  const defaults: Record<Platform, [number, number]> = {
    kubernetes: [0, K8S_NODE_LOST], // a deleted pod is recreated at once; a lost node's pods after eviction
    swarm: [swarmDelay, SWARM_NODE_DOWN + swarmDelay],
    asg: [ASG_DETECT, ASG_DETECT],
    none: [Infinity, Infinity],
  };
  let [replaceAfter, zoneLossAfter] = defaults[platform];
  if (f.has('replacement')) {
    const r = new Fields(f.raw.replacement, f.where('replacement'), ['after', 'afterZoneLoss'], 'a mapping like { after: 60s, afterZoneLoss: 5m }');
    replaceAfter = r.opt('after', durationOrNever, replaceAfter);
    zoneLossAfter = r.opt('afterZoneLoss', durationOrNever, zoneLossAfter);
  }
  return { supervision: { platform, restart, healthCheck, replaceAfter, zoneLossAfter, strategy }, replicas };
}

function durationOrNever(v: unknown, at: Where): number {
  return v === 'never' ? Infinity : parseDuration(v, at);
}

/** A Deployment's defaults (apps/v1 SetDefaults_Deployment): RollingUpdate 25% / 25%, minReadySeconds 0, progressDeadlineSeconds 600. */
export function k8sDefaults(): Strategy {
  return {
    kind: 'RollingUpdate', maxSurge: { value: 25, percent: true }, maxUnavailable: { value: 25, percent: true },
    minReadySeconds: 0, progressDeadlineSeconds: 600,
  };
}

/** The manifest document and where its errors point: inline (the scenario), or a file (the file and the path inside it). */
function manifest(value: unknown, at: Where, baseDir: string): { doc: unknown; at: Where } {
  if (!(isMapping(value) && 'file' in value)) return { doc: value, at };
  const o = new Fields(value, at, ['file', 'service', 'name'], 'a manifest, or { file: PATH, service: NAME } for a docker-stack file');
  const rel = o.raw.file;
  if (typeof rel !== 'string' || rel === '') fail(o.where('file'), 'a path relative to the scenario file', rel);
  const file = path.isAbsolute(rel as string) ? (rel as string) : path.join(baseDir, rel as string);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    fail(o.where('file'), `a readable manifest relative to the scenario (${(err as NodeJS.ErrnoException).code ?? 'error'}: ${file})`, rel);
  }
  const docs = parseAllDocuments(text!);
  if (!Array.isArray(docs)) fail({ file, path: '' }, 'YAML documents', 'an empty file');
  const values: unknown[] = [];
  for (const d of docs as Array<{ errors: Array<{ message: string; linePos?: Array<{ line: number; col: number }> }>; toJS(): unknown }>) {
    const e = d.errors[0];
    if (e !== undefined) {
      const pos = e.linePos?.[0];
      throw new ScenarioError(pos ? `${file}:${pos.line}:${pos.col}` : file, '', 'valid YAML', e.message, { detail: `invalid YAML: ${e.message.split('\n')[0]}` });
    }
    values.push(d.toJS());
  }
  const root: Where = { file, path: '' };
  const wanted = o.raw.name;
  const deployments = values.filter((v) => isMapping(v) && v.kind === 'Deployment' && (wanted === undefined || (isMapping(v.metadata) && v.metadata.name === wanted)));
  if (deployments.length > 0) return { doc: deployments[0], at: root };
  const stack = values.find((v) => isMapping(v) && isMapping(v.services));
  if (stack === undefined) fail(root, wanted !== undefined ? `a Deployment named ${String(wanted)}` : 'a Kubernetes Deployment or a docker-stack file with services', values[0]);
  const services = (stack as { services: Record<string, unknown> }).services;
  const names = Object.keys(services);
  const svc = o.raw.service;
  if (svc === undefined) {
    if (names.length === 1) return { doc: services[names[0]], at: child(child(root, 'services'), names[0]) };
    fail(o.where('service'), `the service to read (one of ${names.join(', ')})`, svc);
  }
  if (!(typeof svc === 'string' && svc in services)) {
    const near = typeof svc === 'string' ? names.find((n) => n.toLowerCase() === svc.toLowerCase()) : undefined;
    fail(o.where('service'), `a service of ${file} (${near ? `did you mean "${near}"?` : `one of ${names.join(', ')}`})`, svc);
  }
  return { doc: services[svc as string], at: child(child(root, 'services'), svc as string) };
}

// ---- Kubernetes ----

function intOrPercent(v: unknown, at: Where): CountOrPercent {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return { value: v, percent: false };
  if (typeof v === 'string' && /^\d+%$/.test(v)) return { value: Number(v.slice(0, -1)), percent: true };
  return fail(at, 'a count ≥ 0 or a percentage like "25%"', v);
}

function parseDeployment(doc: Record<string, unknown>, at: Where): { strategy: Strategy; liveness: HealthCheck | null; replicas: number | null } {
  const specAt = child(at, 'spec');
  const spec = doc.spec;
  if (!isMapping(spec)) fail(specAt, 'a Deployment spec', spec);
  const s = spec as Record<string, unknown>;
  const replicas = s.replicas === undefined ? null : integer(0)(s.replicas, child(specAt, 'replicas'));
  const minReadySeconds = s.minReadySeconds === undefined ? 0 : integer(0)(s.minReadySeconds, child(specAt, 'minReadySeconds'));
  const progressDeadlineSeconds = s.progressDeadlineSeconds === undefined ? 600 : integer(1)(s.progressDeadlineSeconds, child(specAt, 'progressDeadlineSeconds'));
  if (progressDeadlineSeconds <= minReadySeconds) fail(child(specAt, 'progressDeadlineSeconds'), `a number of seconds greater than minReadySeconds (${minReadySeconds})`, s.progressDeadlineSeconds);
  const stAt = child(specAt, 'strategy');
  const st = s.strategy === undefined ? {} : s.strategy;
  if (!isMapping(st)) fail(stAt, 'a strategy like { type: RollingUpdate, rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }', st);
  const stm = st as Record<string, unknown>;
  const type = stm.type === undefined ? 'RollingUpdate' : oneOf(['RollingUpdate', 'Recreate'] as const)(stm.type, child(stAt, 'type'));
  let strategy: Strategy;
  if (type === 'Recreate') {
    if (stm.rollingUpdate !== undefined) fail(child(stAt, 'rollingUpdate'), "nothing: it may not be specified when strategy type is 'Recreate'", stm.rollingUpdate);
    strategy = { kind: 'Recreate', minReadySeconds, progressDeadlineSeconds };
  } else {
    const ruAt = child(stAt, 'rollingUpdate');
    const ru = stm.rollingUpdate === undefined ? {} : stm.rollingUpdate;
    if (!isMapping(ru)) fail(ruAt, 'a mapping like { maxSurge: 25%, maxUnavailable: 25% }', ru);
    const r = ru as Record<string, unknown>;
    const maxSurge = r.maxSurge === undefined ? { value: 25, percent: true } : intOrPercent(r.maxSurge, child(ruAt, 'maxSurge'));
    const maxUnavailable = r.maxUnavailable === undefined ? { value: 25, percent: true } : intOrPercent(r.maxUnavailable, child(ruAt, 'maxUnavailable'));
    // ValidateRollingUpdateDeployment: both may not be 0 (a percentage that rounds to 0 is allowed: ResolveFenceposts then makes maxUnavailable 1)
    if (maxSurge.value === 0 && maxUnavailable.value === 0) fail(child(ruAt, 'maxUnavailable'), 'a value other than 0 when maxSurge is 0 (Kubernetes rejects both 0: the rollout could never start)', r.maxUnavailable);
    if (maxUnavailable.percent && maxUnavailable.value > 100) fail(child(ruAt, 'maxUnavailable'), 'a percentage not above 100%', r.maxUnavailable);
    strategy = { kind: 'RollingUpdate', maxSurge, maxUnavailable, minReadySeconds, progressDeadlineSeconds };
  }
  return { strategy, liveness: liveness(s, specAt), replicas };
}

/** The first container's livenessProbe: periodSeconds 10, timeoutSeconds 1, failureThreshold 3, initialDelaySeconds 0 by default. */
function liveness(spec: Record<string, unknown>, specAt: Where): HealthCheck | null {
  const template = spec.template;
  if (!isMapping(template) || !isMapping(template.spec)) return null;
  const containers = (template.spec as Record<string, unknown>).containers;
  if (!Array.isArray(containers) || !isMapping(containers[0])) return null;
  const probe = (containers[0] as Record<string, unknown>).livenessProbe;
  if (probe === undefined) return null;
  const at = child(child(child(child(child(specAt, 'template'), 'spec'), 'containers'), 0), 'livenessProbe');
  if (!isMapping(probe)) fail(at, 'a probe like { httpGet: …, periodSeconds: 10 }', probe);
  const p = probe as Record<string, unknown>;
  const int = (k: string, dflt: number, min: number) => (p[k] === undefined ? dflt : integer(min)(p[k], child(at, k)));
  return { interval: int('periodSeconds', 10, 1), timeout: int('timeoutSeconds', 1, 1), retries: int('failureThreshold', 3, 1), startPeriod: int('initialDelaySeconds', 0, 0) };
}

// ---- Swarm ----

function parseSwarmService(doc: unknown, at: Where): { restart: RestartPolicy; strategy: Strategy; healthCheck: HealthCheck | null; replicas: number | null } {
  if (!isMapping(doc)) fail(at, 'a Kubernetes Deployment, or a Swarm service with a deploy: block', doc);
  const svc = doc as Record<string, unknown>;
  // Inline, the compose service's `deploy:` block itself may be given (with `healthcheck` beside it).
  const block = isMapping(svc.deploy) ? svc.deploy : svc;
  const blockAt = isMapping(svc.deploy) ? child(at, 'deploy') : at;
  const d = block as Record<string, unknown>;
  const replicas = d.replicas === undefined ? null : integer(0)(d.replicas, child(blockAt, 'replicas'));
  const restart = d.restart_policy === undefined ? { kind: 'swarm' as const, condition: 'any' as const, delay: 5, maxAttempts: 0, window: 0 } : parseSwarmRestart(d.restart_policy, child(blockAt, 'restart_policy'));
  const update = d.update_config === undefined ? SWARM_UPDATE_DEFAULTS : parseUpdateConfig(d.update_config, child(blockAt, 'update_config'));
  const rollback = d.rollback_config === undefined ? SWARM_UPDATE_DEFAULTS : parseUpdateConfig(d.rollback_config, child(blockAt, 'rollback_config'));
  const hc = svc.healthcheck;
  const healthCheck = hc === undefined ? null : parseDockerHealthcheck(hc, child(at, 'healthcheck'));
  return { restart, strategy: { kind: 'swarm', update, rollback }, healthCheck, replicas };
}

/** deploy.restart_policy: condition any, delay 5s, max_attempts 0 (no limit), window 0 (all time) by default. */
function parseSwarmRestart(v: unknown, at: Where): RestartPolicy {
  const f = new Fields(v, at, ['condition', 'delay', 'max_attempts', 'window'], 'a restart_policy like { condition: on-failure, delay: 5s, max_attempts: 3 }');
  return {
    kind: 'swarm',
    condition: f.opt('condition', oneOf(['none', 'on-failure', 'any'] as const), 'any'),
    delay: f.opt('delay', parseDuration, 5),
    maxAttempts: f.opt('max_attempts', integer(0), 0),
    window: f.opt('window', parseDuration, 0),
  };
}

function parseUpdateConfig(v: unknown, at: Where): SwarmUpdateConfig {
  const f = new Fields(v, at, ['parallelism', 'delay', 'failure_action', 'monitor', 'max_failure_ratio', 'order'], 'an update_config like { parallelism: 1, delay: 10s, failure_action: rollback }');
  return {
    parallelism: f.opt('parallelism', integer(0), 1),
    delay: f.opt('delay', parseDuration, 0),
    order: f.opt('order', oneOf(['stop-first', 'start-first'] as const), 'stop-first'),
    monitor: f.opt('monitor', parseDuration, 5),
    failureAction: f.opt('failure_action', oneOf(['pause', 'continue', 'rollback'] as const), 'pause'),
    maxFailureRatio: f.opt('max_failure_ratio', (x, a) => (typeof x === 'string' ? parsePercent(x, a) : number({ min: 0, max: 1 })(x, a)), 0),
  };
}

/** A compose `healthcheck:` or an image's HEALTHCHECK: interval 30s, timeout 30s, retries 3, start_period 0s by default. */
function parseDockerHealthcheck(v: unknown, at: Where): HealthCheck | null {
  const f = new Fields(v, at, ['test', 'interval', 'timeout', 'retries', 'start_period', 'start_interval', 'disable'], 'a healthcheck like { interval: 10s, timeout: 3s, retries: 3 }');
  if (f.opt('disable', (x, a) => (typeof x === 'boolean' ? x : fail(a, 'true or false', x)), false)) return null;
  const interval = f.opt('interval', parseDuration, 30);
  if (interval <= 0) fail(f.where('interval'), 'a duration greater than 0', f.raw.interval);
  const timeout = f.opt('timeout', parseDuration, 30);
  if (timeout <= 0) fail(f.where('timeout'), 'a duration greater than 0', f.raw.timeout);
  return { interval, timeout, retries: f.opt('retries', integer(1), 3), startPeriod: f.opt('start_period', parseDuration, 0) };
}
