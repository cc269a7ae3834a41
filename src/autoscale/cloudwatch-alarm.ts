// CloudWatch metric alarm evaluation (put-metric-alarm semantics): per-Period datapoints,
// "M out of N" (DatapointsToAlarm of EvaluationPeriods), ComparisonOperator, TreatMissingData.
//
// Sampling model: the driver calls in at its own cadence; every call contributes one sample
// to the Period bucket floor(now / Period). A datapoint is the Statistic over a bucket's
// samples; only completed periods are evaluated (the current one is still filling).
// A period with no sample is a missing datapoint.
import {
  PolicyError,
  expectArray,
  expectNumber,
  expectObject,
  expectOneOf,
  expectString,
  joinPath,
  optNumber,
} from './policy-error.ts';

export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
export type ComparisonOperator =
  | 'GreaterThanOrEqualToThreshold'
  | 'GreaterThanThreshold'
  | 'LessThanThreshold'
  | 'LessThanOrEqualToThreshold';
export type Statistic = 'Average' | 'Sum' | 'Minimum' | 'Maximum' | 'SampleCount';
export type TreatMissingData = 'missing' | 'notBreaching' | 'breaching' | 'ignore';

export interface AlarmSpec {
  name: string;
  metricName: string;
  /** A target tracking policy's metric math, evaluated instead of metricName. */
  math?: import('./aws-types.ts').MetricMath;
  namespace: string;
  statistic: Statistic;
  period: number;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  threshold: number;
  comparison: ComparisonOperator;
  treatMissingData: TreatMissingData;
  /** policy names this alarm invokes while in ALARM */
  actions: string[];
}

export interface PeriodBucket {
  index: number;
  sum: number;
  count: number;
  min: number;
  max: number;
}

export interface AlarmState {
  value: AlarmStateValue;
  buckets: PeriodBucket[];
}

const COMPARISONS = ['GreaterThanOrEqualToThreshold', 'GreaterThanThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold'] as const;
const STATISTICS = ['Average', 'Sum', 'Minimum', 'Maximum', 'SampleCount'] as const;
const MISSING = ['missing', 'notBreaching', 'breaching', 'ignore'] as const;

const ALARM_KEYS = [
  'AlarmName', 'AlarmDescription', 'MetricName', 'Namespace', 'Statistic', 'Period', 'EvaluationPeriods',
  'DatapointsToAlarm', 'Threshold', 'ComparisonOperator', 'TreatMissingData', 'AlarmActions', 'OKActions',
  'InsufficientDataActions', 'ActionsEnabled', 'Dimensions', 'Unit',
] as const;

/** Maps an ARN or bare name in AlarmActions to the scaling policy name it designates. */
export function policyNameFromAction(action: string): string {
  // arn:aws:autoscaling:region:acct:scalingPolicy:uuid:autoScalingGroupName/asg:policyName/NAME
  const named = /:policyName\/([^/]+)$/.exec(action);
  if (named) return named[1];
  const slash = action.lastIndexOf('/');
  return slash >= 0 ? action.slice(slash + 1) : action;
}

export function parseAlarm(raw: unknown, path: string): AlarmSpec {
  const o = expectObject(raw, path, ALARM_KEYS);
  const evaluationPeriods = expectNumber(o.EvaluationPeriods, joinPath(path, 'EvaluationPeriods'), { int: true, min: 1 });
  const datapointsToAlarm = optNumber(o.DatapointsToAlarm, joinPath(path, 'DatapointsToAlarm'), { int: true, min: 1 }) ?? evaluationPeriods;
  if (datapointsToAlarm > evaluationPeriods) {
    throw new PolicyError(joinPath(path, 'DatapointsToAlarm'), `an integer ≤ EvaluationPeriods (${evaluationPeriods})`, String(datapointsToAlarm));
  }
  const period = expectNumber(o.Period, joinPath(path, 'Period'), { int: true, min: 1 });
  if (period >= 60 && period % 60 !== 0) throw new PolicyError(joinPath(path, 'Period'), '10, 20, 30 or a multiple of 60', String(period));
  return {
    name: expectString(o.AlarmName, joinPath(path, 'AlarmName')),
    metricName: expectString(o.MetricName, joinPath(path, 'MetricName')),
    namespace: o.Namespace === undefined ? 'AWS/EC2' : expectString(o.Namespace, joinPath(path, 'Namespace')),
    statistic: expectOneOf(o.Statistic, joinPath(path, 'Statistic'), STATISTICS),
    period,
    evaluationPeriods,
    datapointsToAlarm,
    threshold: expectNumber(o.Threshold, joinPath(path, 'Threshold')),
    comparison: expectOneOf(o.ComparisonOperator, joinPath(path, 'ComparisonOperator'), COMPARISONS),
    treatMissingData: o.TreatMissingData === undefined ? 'missing' : expectOneOf(o.TreatMissingData, joinPath(path, 'TreatMissingData'), MISSING),
    actions: o.AlarmActions === undefined ? [] : expectArray(o.AlarmActions, joinPath(path, 'AlarmActions')).map((a, i) => policyNameFromAction(expectString(a, joinPath(joinPath(path, 'AlarmActions'), i)))),
  };
}

export function initialAlarmState(): AlarmState {
  return { value: 'INSUFFICIENT_DATA', buckets: [] };
}

export function breaches(spec: Pick<AlarmSpec, 'comparison' | 'threshold'>, v: number): boolean {
  switch (spec.comparison) {
    case 'GreaterThanOrEqualToThreshold':
      return v >= spec.threshold;
    case 'GreaterThanThreshold':
      return v > spec.threshold;
    case 'LessThanThreshold':
      return v < spec.threshold;
    case 'LessThanOrEqualToThreshold':
      return v <= spec.threshold;
  }
}

export function datapointValue(spec: Pick<AlarmSpec, 'statistic'>, b: PeriodBucket): number {
  switch (spec.statistic) {
    case 'Average':
      return b.sum / b.count;
    case 'Sum':
      return b.sum;
    case 'Minimum':
      return b.min;
    case 'Maximum':
      return b.max;
    case 'SampleCount':
      return b.count;
  }
}

/** Adds a sample (undefined = no data this call) to the current period bucket. */
export function recordSample(spec: AlarmSpec, state: AlarmState, value: number | undefined, now: number): AlarmState {
  const index = Math.floor(now / spec.period);
  // keep just enough history to evaluate N completed periods
  const buckets = state.buckets.filter((b) => b.index >= index - spec.evaluationPeriods).map((b) => ({ ...b }));
  if (value !== undefined && Number.isFinite(value)) {
    const b = buckets.find((x) => x.index === index);
    if (b) {
      b.sum += value;
      b.count += 1;
      b.min = Math.min(b.min, value);
      b.max = Math.max(b.max, value);
    } else {
      buckets.push({ index, sum: value, count: 1, min: value, max: value });
    }
  }
  return { value: state.value, buckets };
}

/** Datapoints of the last N completed periods, oldest first (undefined = missing). */
export function evaluationDatapoints(spec: AlarmSpec, state: AlarmState, now: number): (number | undefined)[] {
  const current = Math.floor(now / spec.period);
  const out: (number | undefined)[] = [];
  for (let i = current - spec.evaluationPeriods; i < current; i++) {
    const b = state.buckets.find((x) => x.index === i);
    out.push(b ? datapointValue(spec, b) : undefined);
  }
  return out;
}

/**
 * New alarm state from datapoints (oldest first):
 *  - breaching / notBreaching: missing datapoints are filled in as breaching / good;
 *  - ALARM when at least DatapointsToAlarm of the N datapoints breach;
 *  - if every datapoint is missing: missing → INSUFFICIENT_DATA, ignore → keep the current state;
 *  - otherwise (some data present, not enough breaching) → OK; with `ignore` and `missing`
 *    missing datapoints simply don't count toward either side.
 */
export function evaluateDatapoints(spec: AlarmSpec, current: AlarmStateValue, points: (number | undefined)[]): AlarmStateValue {
  let breaching = 0;
  let present = 0;
  for (const p of points) {
    if (p === undefined) {
      if (spec.treatMissingData === 'breaching') {
        breaching++;
        present++;
      } else if (spec.treatMissingData === 'notBreaching') present++;
      continue;
    }
    present++;
    if (breaches(spec, p)) breaching++;
  }
  if (breaching >= spec.datapointsToAlarm) return 'ALARM';
  if (present === 0) return spec.treatMissingData === 'ignore' ? current : 'INSUFFICIENT_DATA';
  return 'OK';
}

/** Records this call's sample and re-evaluates. */
export function stepAlarm(spec: AlarmSpec, state: AlarmState, value: number | undefined, now: number): { state: AlarmState; latest: number | undefined } {
  const recorded = recordSample(spec, state, value, now);
  const points = evaluationDatapoints(spec, recorded, now);
  const valueNext = evaluateDatapoints(spec, state.value, points);
  let latest: number | undefined;
  for (let i = points.length - 1; i >= 0 && latest === undefined; i--) latest = points[i];
  return { state: { value: valueNext, buckets: recorded.buckets }, latest };
}
