// EC2 Auto Scaling dynamic scaling as a pure step function: CloudWatch alarms invoke
// target tracking, step and simple scaling policies; the result is the ASG's DesiredCapacity.
//
// Modelling choices (EC2 Auto Scaling User Guide):
//  - An alarm that stays in ALARM keeps invoking its policies at every evaluation; simple
//    scaling's cooldown and step/target tracking's warmup rules are what stop repeats.
//  - Several policies firing together: the one giving the largest capacity wins, for scale
//    out and scale in alike ("Multiple dynamic scaling policies").
//  - Scale out: instances still in warmup count neither in the metric aggregate nor in the
//    current capacity the adjustment is applied to, and desired only ever grows to the new
//    target — so repeated breaches within the same step cause a single activity.
//  - Target tracking: scale out to ceil(warmedCapacity × metric / target) when the generated
//    high alarm fires (> target, 3 of 3 one-minute datapoints); scale in to
//    ceil(capacity × metric / target) when the low alarm fires (< 90% of target, 15 of 15),
//    never while instances are warming up. The exact proportional formula is not published;
//    this is the documented behaviour's simplest reading.
//  - Simple scaling: after its activity completes (no pending/deleting instances left and
//    the live count equals DesiredCapacity) the group waits Cooldown (policy, else the
//    group's DefaultCooldown, default 300 s) before any simple policy runs again.
import type { Decision, InstanceObservation, ObservedMetric, Observation } from './types.ts';
import type { AwsPolicy, AwsScalingPolicy, AwsState } from './aws-types.ts';
import { initialAlarmState, stepAlarm } from './cloudwatch-alarm.ts';
import type { AlarmSpec, ComparisonOperator } from './cloudwatch-alarm.ts';
import { cloudWatchMetric, cloudWatchUnit, inService, metricMathValue } from './metrics-aggregate.ts';
import { applyAdjustment, selectStep } from './aws-adjust.ts';

export function awsInitialState(cfg: AwsPolicy): AwsState {
  const alarms: AwsState['alarms'] = {};
  for (const a of cfg.alarms) alarms[a.name] = initialAlarmState();
  return { family: 'aws', alarms, simpleCooldownUntil: null, pendingSimple: null };
}

function warmupOf(cfg: AwsPolicy, p: AwsScalingPolicy | undefined): number {
  if (!p || p.type === 'SimpleScaling') return 0;
  return p.estimatedInstanceWarmup ?? cfg.group.defaultInstanceWarmup ?? cfg.group.defaultCooldown;
}

function warming(i: InstanceObservation, warmup: number, now: number): boolean {
  if (i.phase === 'pending') return true;
  if (i.phase !== 'running') return false;
  return now - (i.readySince ?? i.startTime) < warmup;
}

const OP: Record<ComparisonOperator, ObservedMetric['op']> = {
  GreaterThanThreshold: '>',
  GreaterThanOrEqualToThreshold: '>=',
  LessThanThreshold: '<',
  LessThanOrEqualToThreshold: '<=',
};

/** What an alarm's datapoint is: the metric with the statistic and period it is evaluated over. */
export function alarmMetricLabel(a: AlarmSpec): string {
  return `${a.metricName} ${a.statistic} ${a.period}s`;
}

interface Candidate {
  capacity: number;
  policy: AwsScalingPolicy;
  why: string;
}

export function awsDecide(cfg: AwsPolicy, state: AwsState, obs: Observation, now: number): Decision<AwsState> {
  const current = obs.currentReplicas;
  const reasons: string[] = [];
  const byName = new Map(cfg.policies.map((p) => [p.name, p] as const));
  const alarms: AwsState['alarms'] = {};
  const firing: { alarm: AlarmSpec; latest: number }[] = [];
  const observed: ObservedMetric[] = [];

  for (const alarm of cfg.alarms) {
    const policy = byName.get(alarm.actions[0]);
    const warmup = warmupOf(cfg, policy);
    const counted = obs.instances.filter((i) => inService(i) && !warming(i, warmup, now));
    const value = alarm.math ? metricMathValue(alarm.math, counted, obs) : cloudWatchMetric(alarm.metricName, counted, obs);
    const prev = state.alarms[alarm.name] ?? initialAlarmState();
    const r = stepAlarm(alarm, prev, value, now);
    alarms[alarm.name] = r.state;
    // the datapoint the alarm was evaluated on last (the newest completed period), as breaches() compared it
    observed.push({ metric: alarmMetricLabel(alarm), threshold: alarm.name, op: OP[alarm.comparison], value: r.latest ?? null, target: alarm.threshold, unit: cloudWatchUnit(alarm.metricName) });
    if (r.state.value !== prev.value) reasons.push(`alarm ${alarm.name}: ${prev.value} → ${r.state.value}`);
    if (r.state.value === 'ALARM' && r.latest !== undefined) firing.push({ alarm, latest: r.latest });
  }

  // simple scaling: the cooldown starts once the triggering activity has completed
  let simpleCooldownUntil = state.simpleCooldownUntil;
  let pendingSimple = state.pendingSimple;
  const live = obs.instances.filter((i) => i.phase === 'pending' || i.phase === 'running').length;
  const activityInProgress = obs.instances.some((i) => i.phase === 'pending' || i.phase === 'deleting') || live !== current;
  if (pendingSimple && !activityInProgress) {
    simpleCooldownUntil = now + pendingSimple.cooldown;
    pendingSimple = null;
  }

  const candidates: Candidate[] = [];
  for (const { alarm, latest } of firing) {
    for (const name of alarm.actions) {
      const p = byName.get(name)!;
      const warmup = warmupOf(cfg, p);
      const warmingCount = obs.instances.filter((i) => warming(i, warmup, now)).length;
      const warmed = obs.instances.filter((i) => inService(i) && !warming(i, warmup, now)).length;
      switch (p.type) {
        case 'TargetTrackingScaling': {
          if (alarm.comparison === 'GreaterThanThreshold') {
            if (warmed === 0) break;
            const target = Math.ceil((warmed * latest) / p.targetValue);
            if (target > current) candidates.push({ capacity: target, policy: p, why: `${p.name}: ${alarm.metricName} ${round(latest)} > target ${p.targetValue} on ${warmed} warmed instances → ${target}` });
            else reasons.push(`${p.name}: scale-out to ${target} already covered by desired ${current} (instances warming up)`);
          } else {
            if (warmingCount > 0) {
              reasons.push(`${p.name}: scale in held while ${warmingCount} instance(s) warm up`);
              break;
            }
            const target = Math.ceil((current * latest) / p.targetValue);
            if (target < current) candidates.push({ capacity: target, policy: p, why: `${p.name}: ${alarm.metricName} ${round(latest)} < ${round(alarm.threshold)} (90% of target) → ${target}` });
          }
          break;
        }
        case 'StepScaling': {
          const step = selectStep(p.steps, latest, alarm.threshold);
          if (!step) {
            reasons.push(`${p.name}: no step adjustment covers ${round(latest)} (threshold ${alarm.threshold})`);
            break;
          }
          const scalingOut = p.adjustmentType === 'ExactCapacity' ? step.adjustment > current : step.adjustment > 0;
          const base = scalingOut ? current - warmingCount : current;
          const target = applyAdjustment(p.adjustmentType, step.adjustment, base, p.minAdjustmentMagnitude);
          const why = `${p.name}: ${alarm.metricName} ${round(latest)} in step [${step.lower ?? '-∞'}, ${step.upper ?? '+∞'}) of threshold ${alarm.threshold}: ${p.adjustmentType} ${step.adjustment} on ${base} → ${target}`;
          if (scalingOut ? target > current : target < current) candidates.push({ capacity: target, policy: p, why });
          else if (step.adjustment !== 0) reasons.push(`${why} (no change from desired ${current})`);
          break;
        }
        case 'SimpleScaling': {
          if (pendingSimple || activityInProgress) {
            reasons.push(`${p.name}: waiting for the scaling activity in progress to finish`);
            break;
          }
          if (simpleCooldownUntil !== null && now < simpleCooldownUntil) {
            reasons.push(`${p.name}: in cooldown until t=${simpleCooldownUntil}`);
            break;
          }
          const target = applyAdjustment(p.adjustmentType, p.scalingAdjustment, current, p.minAdjustmentMagnitude);
          if (target !== current) candidates.push({ capacity: target, policy: p, why: `${p.name}: alarm ${alarm.name} (${alarm.metricName} ${round(latest)}): ${p.adjustmentType} ${p.scalingAdjustment} → ${target}` });
          break;
        }
      }
    }
  }

  let desired = current;
  let rule = 'NoChange';
  let unclamped = current;
  if (candidates.length > 0) {
    const best = candidates.reduce((a, b) => (b.capacity > a.capacity ? b : a));
    for (const c of candidates) reasons.push(c === best ? `chosen: ${c.why}` : `not chosen (smaller capacity): ${c.why}`);
    desired = unclamped = best.capacity;
    rule = best.policy.type;
    if (best.policy.type === 'SimpleScaling') {
      pendingSimple = { cooldown: best.policy.cooldown ?? cfg.group.defaultCooldown, since: now };
    }
  }
  if (desired > cfg.group.maxSize) {
    reasons.push(`clamped to MaxSize ${cfg.group.maxSize}`);
    desired = cfg.group.maxSize;
    if (rule === 'NoChange') rule = 'MaxSize';
  }
  if (desired < cfg.group.minSize) {
    reasons.push(`clamped to MinSize ${cfg.group.minSize}`);
    desired = cfg.group.minSize;
    if (rule === 'NoChange') rule = 'MinSize';
  }
  if (pendingSimple && desired === current && pendingSimple.since === now) pendingSimple = state.pendingSimple; // nothing launched
  return { desired, state: { family: 'aws', alarms, simpleCooldownUntil, pendingSimple }, rule, reasons, observed, unclamped };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
