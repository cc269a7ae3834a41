// One HPA sync (reconcileAutoscaler in kubernetes horizontal.go) as a pure step function.
import type { Decision, ObservedMetric, Observation } from './types.ts';
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

/** Short name of a metric in charts and CSV columns. */
export function metricName(m: HpaMetric): string {
  if (m.type === 'Resource') return m.target.type === 'Utilization' ? `${m.name} utilization` : `${m.name} average`;
  return `${m.type.toLowerCase()} ${m.name}${m.target.type === 'AverageValue' && m.type !== 'Pods' ? ' per pod' : ''}`;
}

/**
 * The metric's current value and target as the controller reports them in status.currentMetrics:
 * Utilization in whole percent of the request; AverageValue per pod; cpu in millicores, memory in
 * bytes, custom metrics in their own unit. `r` undefined or failed: no value this sync.
 */
export function observedOf(m: HpaMetric, r: (CalcResult & { utilization?: number }) | undefined): ObservedMetric {
  const ok = r !== undefined && r.ok;
  const base = { metric: metricName(m), threshold: 'target', op: 'target' as const };
  if (m.target.type === 'Utilization') {
    return { ...base, value: ok ? (r.utilization ?? null) : null, target: m.target.averageUtilization, unit: '%' };
  }
  const targetMilli = m.target.type === 'Value' ? m.target.valueMilli : m.target.averageValueMilli;
  // cpu milli-values are millicores; everything else is shown in whole units (bytes, the metric's own)
  const millicores = m.type === 'Resource' && m.name === 'cpu';
  const scale = millicores ? 1 : 1 / 1000;
  const unit = millicores ? 'millicores' : m.type === 'Resource' ? 'bytes' : '';
  return { ...base, value: ok ? r.usage * scale : null, target: targetMilli * scale, unit };
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
  const observed: ObservedMetric[] = [];
  for (const m of cfg.metrics) {
    const r = replicasForMetric(m, specReplicas, statusReplicas, obs, o);
    observed.push(observedOf(m, r));
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
    return { ok: false as const, error: `invalid metrics (${invalid} invalid out of ${cfg.metrics.length}), first error is: ${firstError}`, details, observed };
  }
  return { ok: true as const, replicas, metric, details, observed, partialError: invalid > 0 ? firstError : undefined };
}

export function hpaDecide(cfg: HpaPolicy, state: HpaState, obs: Observation, now: number): Decision<HpaState> {
  const current = obs.currentReplicas;
  const min = cfg.minReplicas;
  const reasons: string[] = [];
  let next: HpaState = state;
  let desired: number;
  let rule: string;
  // the controller computes no metric on the paths that only bring the count within bounds
  let observed: ObservedMetric[] = cfg.metrics.map((m) => observedOf(m, undefined));
  let unclamped = current;

  if (current === 0 && min !== 0) {
    return { desired: 0, state, rule: 'ScalingDisabled', reasons: ['scaling is disabled since the replica count of the target is zero'], observed, unclamped };
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
    observed = r.observed;
    if (!r.ok) {
      return { desired: current, state, rule: 'FailedGetMetrics', reasons: [...reasons, r.error], observed, unclamped };
    }
    if (r.partialError) reasons.push(`proceeding despite: ${r.partialError}`);
    const proposal = Math.max(0, r.replicas);
    unclamped = proposal;
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
  return { desired, state: next, rule, reasons, observed, unclamped };
}
