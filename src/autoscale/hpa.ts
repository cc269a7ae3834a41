// One HPA sync (reconcileAutoscaler in kubernetes horizontal.go) as a pure step function.
import type { Decision, Observation } from './types.ts';
import type { HpaMetric, HpaPolicy, HpaState } from './hpa-types.ts';
import { HPA_DEFAULTS } from './hpa-types.ts';
import {
  type CalcOptions,
  type CalcResult,
  perPodValueMetricReplicas,
  plainMetricReplicas,
  podMetricMilli,
  resourceReplicas,
  valueMetricReplicas,
} from './hpa-replicas.ts';
import { normalizeLegacy, normalizeWithBehaviors, storeScaleEvent } from './hpa-behavior.ts';
import { toMilli } from './quantity.ts';

export function hpaInitialState(currentReplicas: number, now: number): HpaState {
  // recordInitialRecommendation: the first sync sees the current size as a recommendation
  return { family: 'hpa', recommendations: [{ replicas: currentReplicas, t: now }], scaleUpEvents: [], scaleDownEvents: [] };
}

export function hpaCalcOptions(cfg: HpaPolicy, now: number): CalcOptions {
  return {
    now,
    tolerances: {
      scaleUp: cfg.behavior?.scaleUp.tolerance ?? HPA_DEFAULTS.tolerance,
      scaleDown: cfg.behavior?.scaleDown.tolerance ?? HPA_DEFAULTS.tolerance,
    },
    cpuInitializationPeriod: HPA_DEFAULTS.cpuInitializationPeriod,
    delayOfInitialReadinessStatus: HPA_DEFAULTS.delayOfInitialReadinessStatus,
    metricWindow: HPA_DEFAULTS.metricWindow,
  };
}

function metricLabel(m: HpaMetric): string {
  if (m.type === 'Resource') return m.target.type === 'Utilization' ? `${m.name} resource utilization (percentage of request)` : `${m.name} resource`;
  return `${m.type.toLowerCase()} metric ${m.name}`;
}

/** computeReplicasForMetric for one metric spec. */
export function replicasForMetric(m: HpaMetric, specReplicas: number, statusReplicas: number, obs: Observation, o: CalcOptions): CalcResult {
  const pods = obs.instances;
  switch (m.type) {
    case 'Resource':
      if (m.target.type === 'Utilization') return resourceReplicas(specReplicas, m.target.averageUtilization, m.name, pods, o);
      return plainMetricReplicas(specReplicas, m.target.averageValueMilli, podMetricMilli(pods, m.name), m.name, pods, o);
    case 'Pods': {
      const metrics = podMetricMilli(pods, m.name);
      if (metrics.size === 0) return { ok: false, error: `unable to get metric ${m.name}: no metrics returned from custom metrics API` };
      return plainMetricReplicas(specReplicas, m.target.averageValueMilli, metrics, undefined, pods, o);
    }
    case 'External':
    case 'Object': {
      const v = obs.external?.[m.name];
      if (v === undefined || !Number.isFinite(v)) return { ok: false, error: `unable to get ${m.type.toLowerCase()} metric ${m.name}: no value in observation.external` };
      const usage = toMilli(v);
      if (m.target.type === 'Value') return valueMetricReplicas(specReplicas, m.target.valueMilli, usage, pods, o);
      return perPodValueMetricReplicas(statusReplicas, m.target.averageValueMilli, usage, o);
    }
  }
}

/** computeReplicasForMetrics: max over valid metrics, with the invalid-metric rules. */
export function replicasForMetrics(cfg: HpaPolicy, specReplicas: number, obs: Observation, o: CalcOptions) {
  // scale.Status.Replicas: the controller's count of active (non-terminating, non-failed) pods
  const statusReplicas = obs.instances.filter((p) => p.phase === 'pending' || p.phase === 'running').length;
  let replicas = 0;
  let metric = '';
  let invalid = 0;
  let firstError = '';
  const details: string[] = [];
  for (const m of cfg.metrics) {
    const r = replicasForMetric(m, specReplicas, statusReplicas, obs, o);
    if (!r.ok) {
      if (invalid === 0) firstError = `${metricLabel(m)}: ${r.error}`;
      invalid++;
      details.push(`${metricLabel(m)}: invalid (${r.error})`);
      continue;
    }
    details.push(`${metricLabel(m)}: proposes ${r.replicas}`);
    if (replicas === 0 || r.replicas > replicas) {
      replicas = r.replicas;
      metric = metricLabel(m);
    }
  }
  // all metrics invalid, or some invalid while the valid ones would scale down: do nothing
  if (invalid >= cfg.metrics.length || (invalid > 0 && replicas < specReplicas)) {
    return { ok: false as const, error: `invalid metrics (${invalid} invalid out of ${cfg.metrics.length}), first error is: ${firstError}`, details };
  }
  return { ok: true as const, replicas, metric, details, partialError: invalid > 0 ? firstError : undefined };
}

export function hpaDecide(cfg: HpaPolicy, state: HpaState, obs: Observation, now: number): Decision<HpaState> {
  const current = obs.currentReplicas;
  const min = cfg.minReplicas;
  const reasons: string[] = [];
  let next: HpaState = state;
  let desired: number;
  let rule: string;

  if (current === 0 && min !== 0) {
    return { desired: 0, state, rule: 'ScalingDisabled', reasons: ['scaling is disabled since the replica count of the target is zero'] };
  } else if (current > cfg.maxReplicas) {
    desired = cfg.maxReplicas;
    rule = 'TooManyReplicas';
    reasons.push('Current number of replicas above Spec.MaxReplicas');
  } else if (current < min) {
    desired = min;
    rule = 'TooFewReplicas';
    reasons.push('Current number of replicas below Spec.MinReplicas');
  } else {
    const o = hpaCalcOptions(cfg, now);
    const r = replicasForMetrics(cfg, current, obs, o);
    reasons.push(...r.details);
    if (!r.ok) {
      return { desired: current, state, rule: 'FailedGetMetrics', reasons: [...reasons, r.error] };
    }
    if (r.partialError) reasons.push(`proceeding despite: ${r.partialError}`);
    const proposal = Math.max(0, r.replicas);
    if (proposal > current) reasons.push(`${r.metric} above target`);
    else if (proposal < current) reasons.push('All metrics below target');
    const norm =
      cfg.behavior === null
        ? normalizeLegacy(state.recommendations, current, proposal, min, cfg.maxReplicas, now)
        : normalizeWithBehaviors(state.recommendations, {
            current,
            desired: proposal,
            min,
            max: cfg.maxReplicas,
            scaleUp: cfg.behavior.scaleUp,
            scaleDown: cfg.behavior.scaleDown,
            upEvents: state.scaleUpEvents,
            downEvents: state.scaleDownEvents,
            now,
          });
    next = { ...state, recommendations: norm.recommendations };
    desired = norm.desired;
    if (norm.stabilization !== 'ReadyForNewScale') reasons.push(`${norm.stabilization}: stabilized ${proposal} → ${desired}`);
    if (norm.limit !== 'DesiredWithinRange') reasons.push(`ScalingLimited: ${norm.limit}`);
    rule = desired === current ? (norm.stabilization !== 'ReadyForNewScale' ? norm.stabilization : norm.limit === 'DesiredWithinRange' ? 'ReadyForNewScale' : norm.limit) : norm.limit === 'DesiredWithinRange' ? (desired > current ? 'ScaleUp' : 'ScaleDown') : norm.limit;
  }

  if (desired !== current && cfg.behavior !== null) {
    // storeScaleEvent after a successful rescale (only kept when a behavior is configured)
    if (desired > current) next = { ...next, scaleUpEvents: storeScaleEvent(next.scaleUpEvents, cfg.behavior.scaleUp, desired - current, now) };
    else next = { ...next, scaleDownEvents: storeScaleEvent(next.scaleDownEvents, cfg.behavior.scaleDown, current - desired, now) };
  }
  return { desired, state: next, rule, reasons };
}
