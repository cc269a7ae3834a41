// Normalisation of the metric proposal: stabilisation windows and scaling-rate policies,
// following kubernetes pkg/controller/podautoscaler/horizontal.go. Pure functions over
// plain arrays; the caller stores the returned arrays in HpaState.
import type { HpaScalingRules, TimestampedRecommendation, TimestampedScaleEvent } from './hpa-types.ts';
import { HPA_DEFAULTS } from './hpa-types.ts';

export interface Normalized {
  desired: number;
  /** AbleToScale reason from stabilisation */
  stabilization: 'ReadyForNewScale' | 'ScaleUpStabilized' | 'ScaleDownStabilized';
  /** ScalingLimited reason */
  limit: 'DesiredWithinRange' | 'ScaleUpLimit' | 'ScaleDownLimit' | 'TooManyReplicas' | 'TooFewReplicas';
  recommendations: TimestampedRecommendation[];
}

/** Replace the last obsolete entry (if any) with the new one, otherwise append — as the controller does. */
function recordRecommendation(recs: TimestampedRecommendation[], oldIndex: number, rec: TimestampedRecommendation): TimestampedRecommendation[] {
  const out = recs.map((r) => ({ ...r }));
  if (oldIndex >= 0) out[oldIndex] = rec;
  else out.push(rec);
  return out;
}

/** stabilizeRecommendation (no behavior): max of recommendations not older than the downscale window. */
export function stabilizeLegacy(recs: TimestampedRecommendation[], desired: number, now: number, window = HPA_DEFAULTS.downscaleStabilizationWindow) {
  let max = desired;
  let oldIndex = -1;
  const cutoff = now - window;
  recs.forEach((r, i) => {
    if (r.t < cutoff) oldIndex = i;
    else if (r.replicas > max) max = r.replicas;
  });
  return { stabilized: max, recommendations: recordRecommendation(recs, oldIndex, { replicas: desired, t: now }) };
}

/** convertDesiredReplicasWithRules (no behavior): scale-up capped at max(2×current, 4) per sync. */
export function convertWithRules(current: number, desired: number, min: number, max: number): { desired: number; limit: Normalized['limit'] } {
  const scaleUpLimit = Math.trunc(Math.max(HPA_DEFAULTS.scaleUpLimitFactor * current, HPA_DEFAULTS.scaleUpLimitMinimum));
  let maximumAllowed: number;
  let reason: Normalized['limit'];
  if (max > scaleUpLimit) {
    maximumAllowed = scaleUpLimit;
    reason = 'ScaleUpLimit';
  } else {
    maximumAllowed = max;
    reason = 'TooManyReplicas';
  }
  if (desired < min) return { desired: min, limit: 'TooFewReplicas' };
  if (desired > maximumAllowed) return { desired: maximumAllowed, limit: reason };
  return { desired, limit: 'DesiredWithinRange' };
}

export function normalizeLegacy(recs: TimestampedRecommendation[], current: number, desired: number, min: number, max: number, now: number): Normalized {
  const s = stabilizeLegacy(recs, desired, now);
  const c = convertWithRules(current, s.stabilized, min, max);
  return {
    desired: c.desired,
    stabilization: s.stabilized !== desired ? 'ScaleDownStabilized' : 'ReadyForNewScale',
    limit: c.limit,
    recommendations: s.recommendations,
  };
}

/** stabilizeRecommendationWithBehaviors: clamp between min of the up-window and max of the down-window. */
export function stabilizeWithBehaviors(
  recs: TimestampedRecommendation[],
  current: number,
  desired: number,
  upWindow: number,
  downWindow: number,
  now: number,
) {
  let upRec = desired;
  let downRec = desired;
  const upCutoff = now - upWindow;
  const downCutoff = now - downWindow;
  let oldIndex = -1;
  recs.forEach((r, i) => {
    if (r.t > upCutoff) upRec = Math.min(r.replicas, upRec);
    if (r.t > downCutoff) downRec = Math.max(r.replicas, downRec);
    if (r.t < upCutoff && r.t < downCutoff) oldIndex = i;
  });
  let recommendation = current;
  if (recommendation < upRec) recommendation = upRec;
  if (recommendation > downRec) recommendation = downRec;
  return {
    stabilized: recommendation,
    reason: (desired >= current ? 'ScaleUpStabilized' : 'ScaleDownStabilized') as Normalized['stabilization'],
    recommendations: recordRecommendation(recs, oldIndex, { replicas: desired, t: now }),
  };
}

/** getReplicasChangePerPeriod: replica changes recorded strictly inside (now - period, now]. */
export function replicasChangePerPeriod(periodSeconds: number, events: TimestampedScaleEvent[], now: number): number {
  const cutoff = now - periodSeconds;
  let sum = 0;
  for (const e of events) if (e.t > cutoff) sum += e.change;
  return sum;
}

export function scaleUpLimit(current: number, upEvents: TimestampedScaleEvent[], downEvents: TimestampedScaleEvent[], rules: HpaScalingRules, now: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const useMin = rules.selectPolicy === 'Min';
  let result = useMin ? Infinity : -Infinity;
  for (const p of rules.policies) {
    const start = current - replicasChangePerPeriod(p.periodSeconds, upEvents, now) + replicasChangePerPeriod(p.periodSeconds, downEvents, now);
    // Percent rounds up so a small group can always grow
    const proposed = p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
    result = useMin ? Math.min(result, proposed) : Math.max(result, proposed);
  }
  return result;
}

export function scaleDownLimit(current: number, upEvents: TimestampedScaleEvent[], downEvents: TimestampedScaleEvent[], rules: HpaScalingRules, now: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const useMin = rules.selectPolicy === 'Min'; // least change = highest floor
  let result = useMin ? -Infinity : Infinity;
  for (const p of rules.policies) {
    const start = current - replicasChangePerPeriod(p.periodSeconds, upEvents, now) + replicasChangePerPeriod(p.periodSeconds, downEvents, now);
    // Go int32(float) conversion truncates toward zero
    const proposed = p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
    result = useMin ? Math.max(result, proposed) : Math.min(result, proposed);
  }
  return result;
}

export interface RateArgs {
  current: number;
  desired: number;
  min: number;
  max: number;
  scaleUp: HpaScalingRules;
  scaleDown: HpaScalingRules;
  upEvents: TimestampedScaleEvent[];
  downEvents: TimestampedScaleEvent[];
  now: number;
}

/** convertDesiredReplicasWithBehaviorRate */
export function convertWithBehaviorRate(a: RateArgs): { desired: number; limit: Normalized['limit'] } {
  if (a.desired > a.current) {
    let limit = scaleUpLimit(a.current, a.upEvents, a.downEvents, a.scaleUp, a.now);
    if (limit < a.current) limit = a.current; // wait for old events to expire
    let maximumAllowed = a.max;
    let reason: Normalized['limit'] = 'TooManyReplicas';
    if (maximumAllowed > limit) {
      maximumAllowed = limit;
      reason = 'ScaleUpLimit';
    }
    if (a.desired > maximumAllowed) return { desired: maximumAllowed, limit: reason };
  } else if (a.desired < a.current) {
    let limit = scaleDownLimit(a.current, a.upEvents, a.downEvents, a.scaleDown, a.now);
    if (limit > a.current) limit = a.current;
    let minimumAllowed = a.min;
    let reason: Normalized['limit'] = 'TooFewReplicas';
    if (minimumAllowed < limit) {
      minimumAllowed = limit;
      reason = 'ScaleDownLimit';
    }
    if (a.desired < minimumAllowed) return { desired: minimumAllowed, limit: reason };
  }
  return { desired: a.desired, limit: 'DesiredWithinRange' };
}

export function normalizeWithBehaviors(recs: TimestampedRecommendation[], a: RateArgs): Normalized {
  const s = stabilizeWithBehaviors(recs, a.current, a.desired, a.scaleUp.stabilizationWindowSeconds, a.scaleDown.stabilizationWindowSeconds, a.now);
  const c = convertWithBehaviorRate({ ...a, desired: s.stabilized });
  return {
    desired: c.desired,
    stabilization: s.stabilized !== a.desired ? s.reason : 'ReadyForNewScale',
    limit: c.limit,
    recommendations: s.recommendations,
  };
}

function longestPeriod(rules: HpaScalingRules): number {
  return rules.policies.reduce((m, p) => Math.max(m, p.periodSeconds), 0);
}

/**
 * storeScaleEvent: mark events older than the direction's longest policy period as outdated,
 * then overwrite the last outdated one with the new event (or append).
 */
export function storeScaleEvent(events: TimestampedScaleEvent[], rules: HpaScalingRules, change: number, now: number): TimestampedScaleEvent[] {
  const cutoff = now - longestPeriod(rules);
  const out = events.map((e) => ({ ...e, outdated: e.outdated || e.t < cutoff }));
  let oldIndex = -1;
  out.forEach((e, i) => {
    if (e.outdated) oldIndex = i;
  });
  const ev = { change, t: now, outdated: false };
  if (oldIndex >= 0) out[oldIndex] = ev;
  else out.push(ev);
  return out;
}
