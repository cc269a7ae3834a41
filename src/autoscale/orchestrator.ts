// The Saler system-scaling guide's orchestrator (ScalableComponent.get_scaling_decision,
// _should_scale_up, _should_scale_down, _calculate_confidence and
// ScalingOrchestrator._define_scaling_policies), as a pure step function.
//
// Bugs in the guide fixed here:
//  1. get_scaling_decision passes `asyncio.create_task(self.get_current_metrics())` — a Task,
//     not a dict — to _should_scale_up/_down, so `metrics['cpu_usage']` raises TypeError and
//     no decision can ever be made (create_task also needs a running loop in a sync method).
//     Fix: the decision reads the aggregated observation directly.
//  2. _define_scaling_policies is never consulted: _initialize_components hard-codes copies
//     under different key names (min_capacity/scaling_threshold vs min_instances/
//     scale_up_threshold) and main()'s `scaling_policies` overrides are never read.
//     Fix: the policy table (plus overrides using the guide's own keys) is the config.
//  3. scale_down_threshold is never used: _should_scale_down (and the down confidence) use
//     scaling_threshold × 0.5. Fix: the policy's own scale_down_threshold is the scale-down
//     bound for cpu and memory (web_server 0.3 instead of 0.35); scale_up_threshold × 0.5 is
//     used only when no scale_down_threshold is configured.
//  4. The DATABASE policy spells its bounds min_replicas/max_replicas while every other entry
//     uses min_instances/max_instances. Fix: both spellings are accepted.
//  5. Cooldown compares loop.time() (monotonic clock with an arbitrary origin, often small
//     right after start) against last_scaling_action = 0, so the very first action can be
//     blocked for up to cooldown_period. Fix: with no previous action there is no cooldown.
//  6. Units clash: _create_server starts servers at cpu_usage 10 / memory_usage 20 (percent)
//     while the thresholds are fractions (0.7), so any new server forces endless scale-ups.
//     Fix: cpu_usage and memory_usage are fractions (0..1): cpu of the instance's CPU capacity
//     (what psutil.cpu_percent() / 100 reads on the machine, never above 1), memory of the
//     instance's memory request.
//  7. With no servers get_current_metrics returns all zeros, which reads as "idle" and asks
//     for a scale-down. Fix: with no ready instance there is no data; the decision holds.
//  8. ScalableDatabase metrics lack request_rate/response_time/error_rate, so
//     _should_scale_up raises KeyError. Fix: a metric nobody reports is absent and its
//     condition is simply not met (an absent error_rate does not block scale-down).
//  9. Nothing brings a component that is outside [min, max] back into range (_can_scale_up/
//     _down only stop at the bounds). Fix: an out-of-range count is clamped first.
// Kept as written: strict `>` on the cooldown, one instance per action, scale-up checked
// before scale-down, the up-confidence that can exceed 1 (each ratio is capped at 2.0).
import {
  PolicyError,
  describe,
  expectNumber,
  expectObject,
  expectOneOf,
  joinPath,
} from './policy-error.ts';
import type { Decision, ObservedMetric, Observation } from './types.ts';
import { cpuShareOfCapacity, inService, meanMetric } from './metrics-aggregate.ts';

export type ServiceType = 'web_server' | 'api_server' | 'database' | 'cache';
const SERVICE_TYPES = ['web_server', 'api_server', 'database', 'cache'] as const;

export interface OrchestratorPolicy {
  kind: 'orchestrator';
  serviceType: ServiceType;
  minInstances: number;
  maxInstances: number;
  scaleUpThreshold: number;
  /** null: fall back to the guide's scaleUpThreshold × 0.5 */
  scaleDownThreshold: number | null;
  cooldownPeriod: number;
  requestThreshold: number;
  responseTimeThreshold: number;
  errorThreshold: number;
  monitoringInterval: number;
}

export interface OrchestratorState {
  family: 'orchestrator';
  /** time of the last scaling action; null = none yet (no cooldown) */
  lastActionTime: number | null;
}

/** ScalingOrchestrator._define_scaling_policies, verbatim values */
const POLICIES: Record<ServiceType, { min: number; max: number; up: number; down: number; cooldown: number }> = {
  web_server: { min: 2, max: 10, up: 0.7, down: 0.3, cooldown: 300 },
  api_server: { min: 2, max: 8, up: 0.8, down: 0.2, cooldown: 180 },
  database: { min: 1, max: 5, up: 0.9, down: 0.4, cooldown: 600 },
  cache: { min: 1, max: 3, up: 0.85, down: 0.35, cooldown: 300 },
};

/** ScalableComponent config.get(...) defaults */
const GUIDE_DEFAULTS = { requestThreshold: 100, responseTimeThreshold: 2.0, errorThreshold: 0.01, monitoringInterval: 60 };

const OVERRIDE_KEYS = [
  'min_instances', 'max_instances', 'min_replicas', 'max_replicas', 'scale_up_threshold', 'scale_down_threshold',
  'cooldown_period', 'request_threshold', 'response_time_threshold', 'error_threshold', 'strategy',
] as const;

export function isOrchestratorConfig(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && 'serviceType' in raw;
}

export function parseOrchestrator(raw: unknown): OrchestratorPolicy {
  const o = expectObject(raw, '', ['serviceType', 'monitoringInterval', 'monitoring_interval', 'overrides', ...OVERRIDE_KEYS]);
  const serviceType = expectOneOf(o.serviceType, 'serviceType', SERVICE_TYPES);
  // overrides may sit at the top level or under `overrides`, in the guide's snake_case
  const ov: Record<string, unknown> = {};
  for (const k of OVERRIDE_KEYS) if (o[k] !== undefined) ov[k] = o[k];
  let ovBase = '';
  if (o.overrides !== undefined) {
    const inner = expectObject(o.overrides, 'overrides', OVERRIDE_KEYS);
    for (const [k, v] of Object.entries(inner)) {
      if (ov[k] !== undefined) throw new PolicyError(joinPath('overrides', k), 'each key set once (it is also set at the top level)', describe(v));
      ov[k] = v;
    }
    ovBase = 'overrides';
  }
  const where = (k: string) => (o[k] !== undefined ? k : joinPath(ovBase, k));
  const num = (k: string, rule: Parameters<typeof expectNumber>[2]) => (ov[k] === undefined ? undefined : expectNumber(ov[k], where(k), rule));
  const d = POLICIES[serviceType];
  if (ov.strategy !== undefined) expectOneOf(ov.strategy, where('strategy'), ['vertical', 'horizontal', 'auto_scaling', 'hybrid'] as const);
  const minInstances = num('min_instances', { int: true, min: 0 }) ?? num('min_replicas', { int: true, min: 0 }) ?? d.min;
  const maxInstances = num('max_instances', { int: true, min: 1 }) ?? num('max_replicas', { int: true, min: 1 }) ?? d.max;
  if (maxInstances < minInstances) throw new PolicyError(where(ov.max_instances !== undefined ? 'max_instances' : 'max_replicas'), `an integer ≥ min_instances (${minInstances})`, String(maxInstances));
  const scaleUpThreshold = num('scale_up_threshold', { gt: 0 }) ?? d.up;
  const scaleDownThreshold = num('scale_down_threshold', { min: 0 }) ?? d.down;
  if (scaleDownThreshold >= scaleUpThreshold) throw new PolicyError(where('scale_down_threshold'), `a number < scale_up_threshold (${scaleUpThreshold})`, String(scaleDownThreshold));
  const mi = o.monitoringInterval ?? o.monitoring_interval;
  return {
    kind: 'orchestrator',
    serviceType,
    minInstances,
    maxInstances,
    scaleUpThreshold,
    scaleDownThreshold,
    cooldownPeriod: num('cooldown_period', { min: 0 }) ?? d.cooldown,
    requestThreshold: num('request_threshold', { gt: 0 }) ?? GUIDE_DEFAULTS.requestThreshold,
    responseTimeThreshold: num('response_time_threshold', { gt: 0 }) ?? GUIDE_DEFAULTS.responseTimeThreshold,
    errorThreshold: num('error_threshold', { gt: 0 }) ?? GUIDE_DEFAULTS.errorThreshold,
    monitoringInterval: mi === undefined ? GUIDE_DEFAULTS.monitoringInterval : expectNumber(mi, o.monitoringInterval !== undefined ? 'monitoringInterval' : 'monitoring_interval', { gt: 0 }),
  };
}

export interface GuideMetrics {
  cpu_usage?: number;
  memory_usage?: number;
  request_rate?: number;
  response_time?: number;
  error_rate?: number;
}

/** Fleet averages as the guide's get_current_metrics, over ready running instances. */
export function guideMetrics(obs: Observation): GuideMetrics {
  const ready = obs.instances.filter(inService);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : undefined);
  const cpu: number[] = [];
  const memory: number[] = [];
  for (const i of ready) {
    const c = cpuShareOfCapacity(i);
    if (c !== undefined) cpu.push(c);
    const m = i.metrics.memory, req = i.requests?.memory;
    if (m !== undefined && req !== undefined && req > 0) memory.push(m / req);
  }
  return {
    cpu_usage: mean(cpu),
    memory_usage: mean(memory),
    request_rate: meanMetric(ready, 'requestRate'),
    response_time: meanMetric(ready, 'responseTime'),
    error_rate: meanMetric(ready, 'errorRate'),
  };
}

/** Each guide metric against each threshold _should_scale_up / _should_scale_down compare it with. */
export function guideObserved(cfg: OrchestratorPolicy, m: GuideMetrics): ObservedMetric[] {
  const v = (x: number | undefined) => (x === undefined ? null : x);
  const d = downThreshold(cfg);
  return [
    { metric: 'cpu_usage', threshold: 'scale_up_threshold', op: '>', value: v(m.cpu_usage), target: cfg.scaleUpThreshold, unit: 'fraction' },
    { metric: 'cpu_usage', threshold: 'scale_down_threshold', op: '<', value: v(m.cpu_usage), target: d, unit: 'fraction' },
    { metric: 'memory_usage', threshold: 'scale_up_threshold', op: '>', value: v(m.memory_usage), target: cfg.scaleUpThreshold, unit: 'fraction' },
    { metric: 'memory_usage', threshold: 'scale_down_threshold', op: '<', value: v(m.memory_usage), target: d, unit: 'fraction' },
    { metric: 'request_rate', threshold: 'request_threshold', op: '>', value: v(m.request_rate), target: cfg.requestThreshold, unit: 'req/s' },
    { metric: 'request_rate', threshold: 'request_threshold × 0.5', op: '<', value: v(m.request_rate), target: cfg.requestThreshold * 0.5, unit: 'req/s' },
    { metric: 'response_time', threshold: 'response_time_threshold', op: '>', value: v(m.response_time), target: cfg.responseTimeThreshold, unit: 's' },
    // above it, scale-down is blocked
    { metric: 'error_rate', threshold: 'error_threshold', op: '>', value: v(m.error_rate), target: cfg.errorThreshold, unit: 'fraction' },
  ];
}

const gt = (v: number | undefined, t: number) => v !== undefined && v > t;
const lt = (v: number | undefined, t: number) => v !== undefined && v < t;

export function downThreshold(cfg: OrchestratorPolicy): number {
  return cfg.scaleDownThreshold ?? cfg.scaleUpThreshold * 0.5;
}

/** _calculate_confidence, with the policy's down threshold in place of scaling_threshold*0.5. */
export function confidence(cfg: OrchestratorPolicy, m: GuideMetrics, direction: 'up' | 'down'): number {
  const z = (v: number | undefined) => v ?? 0;
  if (direction === 'up') {
    const cpu = Math.min(z(m.cpu_usage) / cfg.scaleUpThreshold, 2.0);
    const mem = Math.min(z(m.memory_usage) / cfg.scaleUpThreshold, 2.0);
    const rt = Math.min(z(m.response_time) / cfg.responseTimeThreshold, 2.0);
    return (cpu + mem + rt) / 3.0;
  }
  const d = downThreshold(cfg);
  const cpu = Math.max(0, (d - z(m.cpu_usage)) / d);
  const mem = Math.max(0, (d - z(m.memory_usage)) / d);
  const err = 1.0 - Math.min(z(m.error_rate) / cfg.errorThreshold, 1.0);
  return (cpu + mem + err) / 3.0;
}

export function orchestratorInitialState(): OrchestratorState {
  return { family: 'orchestrator', lastActionTime: null };
}

export function orchestratorDecide(cfg: OrchestratorPolicy, state: OrchestratorState, obs: Observation, now: number): Decision<OrchestratorState> {
  const current = obs.currentReplicas;
  const m = guideMetrics(obs);
  const observed = guideObserved(cfg, m);
  if (current < cfg.minInstances || current > cfg.maxInstances) {
    const desired = Math.min(cfg.maxInstances, Math.max(cfg.minInstances, current));
    return { desired, state: { family: 'orchestrator', lastActionTime: now }, rule: 'clamp_to_bounds', reasons: [`${current} outside [${cfg.minInstances}, ${cfg.maxInstances}]`], observed, unclamped: current };
  }
  if (obs.instances.filter(inService).length === 0) {
    return { desired: current, state, rule: 'maintain', reasons: ['no_metrics: no ready instance reports metrics'], observed, unclamped: current };
  }
  const fmt = (v: number | undefined) => (v === undefined ? 'n/a' : String(Math.round(v * 1000) / 1000));
  const summary = `cpu_usage=${fmt(m.cpu_usage)} memory_usage=${fmt(m.memory_usage)} request_rate=${fmt(m.request_rate)} response_time=${fmt(m.response_time)} error_rate=${fmt(m.error_rate)}`;
  const cooledDown = state.lastActionTime === null || now - state.lastActionTime > cfg.cooldownPeriod;

  const upTriggers: string[] = [];
  if (gt(m.cpu_usage, cfg.scaleUpThreshold)) upTriggers.push(`cpu_usage > ${cfg.scaleUpThreshold}`);
  if (gt(m.memory_usage, cfg.scaleUpThreshold)) upTriggers.push(`memory_usage > ${cfg.scaleUpThreshold}`);
  if (gt(m.request_rate, cfg.requestThreshold)) upTriggers.push(`request_rate > ${cfg.requestThreshold}`);
  if (gt(m.response_time, cfg.responseTimeThreshold)) upTriggers.push(`response_time > ${cfg.responseTimeThreshold}`);

  const d = downThreshold(cfg);
  const under = lt(m.cpu_usage, d) && lt(m.memory_usage, d) && lt(m.request_rate, cfg.requestThreshold * 0.5);
  const errorsHigh = gt(m.error_rate, cfg.errorThreshold);

  const shouldUp = upTriggers.length > 0 && cooledDown;
  const shouldDown = under && !errorsHigh && cooledDown;
  // The guide moves one instance per action; what it wants is that step, whatever the bounds say.
  const unclamped = shouldUp ? current + 1 : shouldDown ? current - 1 : current;

  if (shouldUp && current < cfg.maxInstances) {
    return {
      desired: current + 1,
      state: { family: 'orchestrator', lastActionTime: now },
      rule: 'scale_up',
      reasons: [`high_load: ${upTriggers.join(', ')}`, summary, `confidence=${fmt(confidence(cfg, m, 'up'))}`],
      observed,
      unclamped,
    };
  }
  if (shouldDown && current > cfg.minInstances) {
    return {
      desired: current - 1,
      state: { family: 'orchestrator', lastActionTime: now },
      rule: 'scale_down',
      reasons: [`low_load: cpu_usage, memory_usage < ${d} and request_rate < ${cfg.requestThreshold * 0.5}`, summary, `confidence=${fmt(confidence(cfg, m, 'down'))}`],
      observed,
      unclamped,
    };
  }
  const why: string[] = ['normal_load', summary];
  if (upTriggers.length > 0 && !cooledDown) why.push(`scale-up wanted (${upTriggers.join(', ')}) but in cooldown until t>${state.lastActionTime! + cfg.cooldownPeriod}`);
  else if (upTriggers.length > 0) why.push(`at max_instances ${cfg.maxInstances}`);
  if (under && errorsHigh) why.push(`scale-down blocked: error_rate ${fmt(m.error_rate)} > ${cfg.errorThreshold}`);
  else if (under && !cooledDown) why.push(`scale-down wanted but in cooldown until t>${state.lastActionTime! + cfg.cooldownPeriod}`);
  else if (under) why.push(`at min_instances ${cfg.minInstances}`);
  return { desired: current, state, rule: 'maintain', reasons: why, observed, unclamped };
}
