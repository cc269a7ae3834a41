// Parses { autoScalingGroup, policies: [put-scaling-policy JSON], alarms: [put-metric-alarm JSON] }.
import {
  PolicyError,
  describe,
  expectArray,
  expectBoolean,
  expectNumber,
  expectObject,
  expectOneOf,
  expectString,
  joinPath,
  optNumber,
  optString,
} from './policy-error.ts';
import { type AlarmSpec, parseAlarm } from './cloudwatch-alarm.ts';
import type { AdjustmentType, AwsPolicy, AwsScalingPolicy, MetricMath, StepAdjustment } from './aws-types.ts';
import { AWS_DEFAULTS } from './aws-types.ts';

const ADJUSTMENT_TYPES = ['ChangeInCapacity', 'ExactCapacity', 'PercentChangeInCapacity'] as const;
const PREDEFINED = ['ASGAverageCPUUtilization', 'ASGAverageNetworkIn', 'ASGAverageNetworkOut', 'ALBRequestCountPerTarget'] as const;

const POLICY_KEYS = [
  'AutoScalingGroupName', 'PolicyName', 'PolicyType', 'AdjustmentType', 'MinAdjustmentMagnitude', 'ScalingAdjustment',
  'Cooldown', 'MetricAggregationType', 'StepAdjustments', 'EstimatedInstanceWarmup', 'TargetTrackingConfiguration', 'Enabled',
] as const;

function optBound(v: unknown, path: string): number | null {
  return v === undefined || v === null ? null : expectNumber(v, path);
}

function parseSteps(raw: unknown, path: string): StepAdjustment[] {
  const steps = expectArray(raw, path).map((s, i): StepAdjustment => {
    const p = joinPath(path, i);
    const o = expectObject(s, p, ['MetricIntervalLowerBound', 'MetricIntervalUpperBound', 'ScalingAdjustment']);
    const step = {
      lower: optBound(o.MetricIntervalLowerBound, joinPath(p, 'MetricIntervalLowerBound')),
      upper: optBound(o.MetricIntervalUpperBound, joinPath(p, 'MetricIntervalUpperBound')),
      adjustment: expectNumber(o.ScalingAdjustment, joinPath(p, 'ScalingAdjustment'), { int: true }),
    };
    if (step.lower === null && step.upper === null) throw new PolicyError(p, 'a lower or an upper bound (both can\'t be null)', 'neither');
    if (step.lower !== null && step.upper !== null && step.upper <= step.lower) {
      throw new PolicyError(joinPath(p, 'MetricIntervalUpperBound'), `a number > MetricIntervalLowerBound (${step.lower})`, String(step.upper));
    }
    return step;
  });
  if (steps.length === 0) throw new PolicyError(path, 'at least one step adjustment', 'an empty array');
  // ranges can't overlap or have a gap (StepAdjustment API rules)
  const sorted = [...steps].sort((a, b) => (a.lower ?? -Infinity) - (b.lower ?? -Infinity));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i - 1].upper !== sorted[i].lower) {
      throw new PolicyError(path, 'step ranges without overlap or gap', `a range ending at ${sorted[i - 1].upper} followed by one starting at ${sorted[i].lower}`);
    }
  }
  return steps;
}

function parseScalingPolicy(raw: unknown, path: string, notes: string[]): AwsScalingPolicy {
  const o = expectObject(raw, path, POLICY_KEYS);
  const name = expectString(o.PolicyName, joinPath(path, 'PolicyName'));
  const type = o.PolicyType === undefined ? 'SimpleScaling' : expectOneOf(o.PolicyType, joinPath(path, 'PolicyType'), ['TargetTrackingScaling', 'StepScaling', 'SimpleScaling'] as const);
  const warmup = optNumber(o.EstimatedInstanceWarmup, joinPath(path, 'EstimatedInstanceWarmup'), { int: true, min: 0 });
  const adjustmentType = (): AdjustmentType => expectOneOf(o.AdjustmentType, joinPath(path, 'AdjustmentType'), ADJUSTMENT_TYPES);
  const mam = (t: AdjustmentType) => {
    const v = optNumber(o.MinAdjustmentMagnitude, joinPath(path, 'MinAdjustmentMagnitude'), { int: true, min: 1 });
    if (v !== undefined && t !== 'PercentChangeInCapacity') {
      throw new PolicyError(joinPath(path, 'MinAdjustmentMagnitude'), 'nothing (valid only with AdjustmentType PercentChangeInCapacity)', String(v));
    }
    return v;
  };
  switch (type) {
    case 'TargetTrackingScaling': {
      const tp = joinPath(path, 'TargetTrackingConfiguration');
      const tc = expectObject(o.TargetTrackingConfiguration, tp, [
        'TargetValue', 'PredefinedMetricSpecification', 'CustomizedMetricSpecification', 'DisableScaleIn', 'ScaleOutCooldown', 'ScaleInCooldown',
      ]);
      const policyNotes: string[] = [];
      for (const k of ['ScaleOutCooldown', 'ScaleInCooldown'] as const) {
        if (tc[k] !== undefined) {
          expectNumber(tc[k], joinPath(tp, k), { min: 0 });
          // Application Auto Scaling fields; EC2 Auto Scaling target tracking relies on instance warmup instead
          policyNotes.push(`${name}: ${k} ignored (not an EC2 Auto Scaling field; instance warmup applies)`);
        }
      }
      notes.push(...policyNotes);
      let metricName: string;
      let math: MetricMath | undefined;
      let statistic: 'Average' | 'Sum' | 'Minimum' | 'Maximum' | 'SampleCount' = 'Average';
      if (tc.PredefinedMetricSpecification !== undefined) {
        const pp = joinPath(tp, 'PredefinedMetricSpecification');
        const pm = expectObject(tc.PredefinedMetricSpecification, pp, ['PredefinedMetricType', 'ResourceLabel']);
        metricName = expectOneOf(pm.PredefinedMetricType, joinPath(pp, 'PredefinedMetricType'), PREDEFINED);
        if (metricName === 'ALBRequestCountPerTarget') optString(pm.ResourceLabel, joinPath(pp, 'ResourceLabel'));
      } else if (tc.CustomizedMetricSpecification !== undefined) {
        const cp = joinPath(tp, 'CustomizedMetricSpecification');
        const cm = expectObject(tc.CustomizedMetricSpecification, cp, ['MetricName', 'Namespace', 'Dimensions', 'Statistic', 'Unit', 'Metrics']);
        if (cm.Metrics !== undefined) {
          if (cm.MetricName !== undefined) throw new PolicyError(joinPath(cp, 'MetricName'), 'nothing beside Metrics (metric math)', describe(cm.MetricName));
          math = parseMetricMath(cm.Metrics, joinPath(cp, 'Metrics'));
          metricName = math.result.id;
        } else {
          metricName = expectString(cm.MetricName, joinPath(cp, 'MetricName'));
          statistic = cm.Statistic === undefined ? 'Average' : expectOneOf(cm.Statistic, joinPath(cp, 'Statistic'), ['Average', 'Sum', 'Minimum', 'Maximum', 'SampleCount'] as const);
        }
      } else {
        throw new PolicyError(joinPath(tp, 'PredefinedMetricSpecification'), 'a PredefinedMetricSpecification or a CustomizedMetricSpecification', 'neither');
      }
      return {
        type,
        name,
        targetValue: expectNumber(tc.TargetValue, joinPath(tp, 'TargetValue'), { gt: 0 }),
        metricName,
        statistic,
        ...(math ? { math } : {}),
        disableScaleIn: tc.DisableScaleIn === undefined ? false : expectBoolean(tc.DisableScaleIn, joinPath(tp, 'DisableScaleIn')),
        estimatedInstanceWarmup: warmup,
        notes: policyNotes,
      };
    }
    case 'StepScaling': {
      const t = adjustmentType();
      if (o.MetricAggregationType !== undefined) expectOneOf(o.MetricAggregationType, joinPath(path, 'MetricAggregationType'), ['Average', 'Minimum', 'Maximum'] as const);
      if (o.Cooldown !== undefined) throw new PolicyError(joinPath(path, 'Cooldown'), 'nothing (Cooldown is valid only for SimpleScaling)', describe(o.Cooldown));
      return { type, name, adjustmentType: t, minAdjustmentMagnitude: mam(t), steps: parseSteps(o.StepAdjustments, joinPath(path, 'StepAdjustments')), estimatedInstanceWarmup: warmup };
    }
    case 'SimpleScaling': {
      const t = adjustmentType();
      const adj = expectNumber(o.ScalingAdjustment, joinPath(path, 'ScalingAdjustment'), { int: true });
      if (t === 'ExactCapacity' && adj < 0) throw new PolicyError(joinPath(path, 'ScalingAdjustment'), 'a non-negative integer for ExactCapacity', String(adj));
      return { type, name, adjustmentType: t, minAdjustmentMagnitude: mam(t), scalingAdjustment: adj, cooldown: optNumber(o.Cooldown, joinPath(path, 'Cooldown'), { int: true, min: 0 }) };
    }
  }
}

const TERM = String.raw`([A-Za-z_]\w*|\d+(?:\.\d+)?)`;
const EXPRESSION = new RegExp(String.raw`^\s*${TERM}\s*(?:([-+*/])\s*${TERM}\s*)?$`);

/**
 * CustomizedMetricSpecification.Metrics (MetricDataQuery list): MetricStat queries and one result
 * (ReturnData true, the default). headroom evaluates an expression of the form `a`, or `a OP b`
 * with OP one of + - * / over query ids and numbers — the shape of AWS's backlog-per-instance
 * example (m1 / m2); other metric math functions are refused by name.
 */
function parseMetricMath(raw: unknown, path: string): MetricMath {
  const items = expectArray(raw, path);
  const queries: MetricMath['queries'] = [];
  const results: Array<{ id: string; expr: string | null; at: string }> = [];
  items.forEach((q, i) => {
    const p = joinPath(path, i);
    const o = expectObject(q, p, ['Id', 'Label', 'MetricStat', 'Expression', 'ReturnData', 'Period', 'AccountId']);
    const id = expectString(o.Id, joinPath(p, 'Id'));
    if ((o.MetricStat === undefined) === (o.Expression === undefined)) throw new PolicyError(p, 'exactly one of MetricStat or Expression', o.MetricStat === undefined ? 'neither' : 'both');
    if (o.MetricStat !== undefined) {
      const ms = expectObject(o.MetricStat, joinPath(p, 'MetricStat'), ['Metric', 'Stat', 'Unit']);
      const m = expectObject(ms.Metric, joinPath(joinPath(p, 'MetricStat'), 'Metric'), ['MetricName', 'Namespace', 'Dimensions']);
      const mp = joinPath(joinPath(p, 'MetricStat'), 'Metric');
      const dims = m.Dimensions === undefined ? [] : expectArray(m.Dimensions, joinPath(mp, 'Dimensions')).map((d, j): [string, string] => {
        const dd = expectObject(d, joinPath(joinPath(mp, 'Dimensions'), j), ['Name', 'Value']);
        return [expectString(dd.Name, joinPath(joinPath(joinPath(mp, 'Dimensions'), j), 'Name')), expectString(dd.Value, joinPath(joinPath(joinPath(mp, 'Dimensions'), j), 'Value'))];
      });
      queries.push({ id, name: expectString(m.MetricName, joinPath(mp, 'MetricName')), namespace: expectString(m.Namespace, joinPath(mp, 'Namespace')), dimensions: dims, stat: expectString(ms.Stat, joinPath(joinPath(p, 'MetricStat'), 'Stat')) });
    }
    const returns = o.ReturnData === undefined ? true : expectBoolean(o.ReturnData, joinPath(p, 'ReturnData'));
    if (o.Expression !== undefined && !returns) throw new PolicyError(joinPath(p, 'Expression'), 'an expression only on the query that returns data', describe(o.Expression));
    if (returns) results.push({ id, expr: o.Expression === undefined ? null : expectString(o.Expression, joinPath(p, 'Expression')), at: p });
  });
  if (results.length !== 1) throw new PolicyError(path, 'exactly one query with ReturnData true', `${results.length}`);
  const r = results[0];
  if (r.expr === null) return { queries, result: { id: r.id, left: r.id, op: null, right: null } };
  const m = EXPRESSION.exec(r.expr);
  const term = (x: string): string | number => (/^\d/.test(x) ? Number(x) : x);
  if (!m) throw new PolicyError(joinPath(r.at, 'Expression'), 'an expression of the form a, or a OP b with OP one of + - * / (headroom evaluates no other metric math)', describe(r.expr));
  for (const x of [m[1], m[3]]) {
    if (x !== undefined && !/^\d/.test(x) && !queries.some((q) => q.id === x)) {
      throw new PolicyError(joinPath(r.at, 'Expression'), `ids of MetricStat queries (${queries.map((q) => q.id).join(', ')})`, describe(x));
    }
  }
  return { queries, result: { id: r.id, left: term(m[1]), op: (m[2] as MetricMath['result']['op']) ?? null, right: m[3] === undefined ? null : term(m[3]) } };
}

export function isAwsConfig(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && ('autoScalingGroup' in raw || 'policies' in raw || 'alarms' in raw);
}

export function parseAws(raw: unknown): AwsPolicy {
  const o = expectObject(raw, '', ['autoScalingGroup', 'policies', 'alarms']);
  const g = expectObject(o.autoScalingGroup, 'autoScalingGroup', [
    'AutoScalingGroupName', 'MinSize', 'MaxSize', 'DesiredCapacity', 'DefaultInstanceWarmup', 'DefaultCooldown',
  ]);
  const minSize = expectNumber(g.MinSize, 'autoScalingGroup.MinSize', { int: true, min: 0 });
  const maxSize = expectNumber(g.MaxSize, 'autoScalingGroup.MaxSize', { int: true, min: 0 });
  if (maxSize < minSize) throw new PolicyError('autoScalingGroup.MaxSize', `an integer ≥ MinSize (${minSize})`, String(maxSize));
  const desiredCapacity = optNumber(g.DesiredCapacity, 'autoScalingGroup.DesiredCapacity', { int: true, min: minSize, max: maxSize });
  const notes: string[] = [];
  const policies = (o.policies === undefined ? [] : expectArray(o.policies, 'policies')).map((p, i) => parseScalingPolicy(p, joinPath('policies', i), notes));
  const names = new Set<string>();
  policies.forEach((p, i) => {
    if (names.has(p.name)) throw new PolicyError(joinPath(joinPath('policies', i), 'PolicyName'), 'a unique policy name', JSON.stringify(p.name));
    names.add(p.name);
  });
  const alarms: AlarmSpec[] = (o.alarms === undefined ? [] : expectArray(o.alarms, 'alarms')).map((a, i) => parseAlarm(a, joinPath('alarms', i)));
  alarms.forEach((a, i) => {
    a.actions.forEach((act, j) => {
      const pol = policies.find((p) => p.name === act);
      if (!pol) throw new PolicyError(joinPath(joinPath(joinPath('alarms', i), 'AlarmActions'), j), `a scaling policy name in policies (${[...names].join(', ') || 'none'})`, JSON.stringify(act));
      if (pol.type === 'TargetTrackingScaling') throw new PolicyError(joinPath(joinPath(joinPath('alarms', i), 'AlarmActions'), j), 'a step or simple scaling policy (target tracking creates its own alarms)', JSON.stringify(act));
    });
  });
  // The alarms EC2 Auto Scaling creates for each target tracking policy
  for (const p of policies) {
    if (p.type !== 'TargetTrackingScaling') continue;
    const base = { metricName: p.metricName, ...(p.math ? { math: p.math } : {}), namespace: 'AWS/EC2', statistic: p.statistic, treatMissingData: 'missing' as const, actions: [p.name] };
    alarms.push({ ...base, name: `TargetTracking-${p.name}-AlarmHigh`, period: AWS_DEFAULTS.highAlarm.period, evaluationPeriods: AWS_DEFAULTS.highAlarm.evaluationPeriods, datapointsToAlarm: AWS_DEFAULTS.highAlarm.datapointsToAlarm, threshold: p.targetValue, comparison: 'GreaterThanThreshold' });
    if (!p.disableScaleIn) {
      alarms.push({ ...base, name: `TargetTracking-${p.name}-AlarmLow`, period: AWS_DEFAULTS.lowAlarm.period, evaluationPeriods: AWS_DEFAULTS.lowAlarm.evaluationPeriods, datapointsToAlarm: AWS_DEFAULTS.lowAlarm.datapointsToAlarm, threshold: p.targetValue * AWS_DEFAULTS.lowAlarm.thresholdFactor, comparison: 'LessThanThreshold' });
    }
  }
  return {
    kind: 'aws',
    group: {
      name: g.AutoScalingGroupName === undefined ? 'asg' : expectString(g.AutoScalingGroupName, 'autoScalingGroup.AutoScalingGroupName'),
      minSize,
      maxSize,
      desiredCapacity,
      defaultInstanceWarmup: optNumber(g.DefaultInstanceWarmup, 'autoScalingGroup.DefaultInstanceWarmup', { int: true, min: 0 }),
      defaultCooldown: optNumber(g.DefaultCooldown, 'autoScalingGroup.DefaultCooldown', { int: true, min: 0 }) ?? AWS_DEFAULTS.defaultCooldown,
    },
    policies,
    alarms,
  };
}
