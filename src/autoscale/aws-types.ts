// Normalised EC2 Auto Scaling configuration and engine state.
import type { AlarmSpec, AlarmState } from './cloudwatch-alarm.ts';

export type AdjustmentType = 'ChangeInCapacity' | 'ExactCapacity' | 'PercentChangeInCapacity';

export interface StepAdjustment {
  lower: number | null; // MetricIntervalLowerBound (null = -infinity)
  upper: number | null; // MetricIntervalUpperBound (null = +infinity)
  adjustment: number;
}

/**
 * A target tracking metric written as metric math (CustomizedMetricSpecification.Metrics): metric
 * queries by name and dimensions, and the one result, a query or `a OP b` over query ids and numbers
 * (the form AWS documents for SQS backlog per instance: m1 / m2).
 */
export interface MetricMath {
  queries: Array<{ id: string; name: string; namespace: string; dimensions: Array<[string, string]>; stat: string }>;
  result: { id: string; left: string | number; op: '+' | '-' | '*' | '/' | null; right: string | number | null };
}

export type AwsScalingPolicy =
  | {
      type: 'TargetTrackingScaling';
      name: string;
      targetValue: number;
      /** CloudWatch metric name used for the generated alarms and the proportional calculation */
      metricName: string;
      statistic: 'Average' | 'Sum' | 'Minimum' | 'Maximum' | 'SampleCount';
      /** Metric math instead of a single metric (then metricName is the result's label). */
      math?: MetricMath;
      disableScaleIn: boolean;
      estimatedInstanceWarmup?: number;
      /** notes about accepted-but-ignored fields, surfaced in decisions */
      notes: string[];
    }
  | {
      type: 'StepScaling';
      name: string;
      adjustmentType: AdjustmentType;
      minAdjustmentMagnitude?: number;
      steps: StepAdjustment[];
      estimatedInstanceWarmup?: number;
    }
  | {
      type: 'SimpleScaling';
      name: string;
      adjustmentType: AdjustmentType;
      minAdjustmentMagnitude?: number;
      scalingAdjustment: number;
      cooldown?: number;
    };

export interface AwsPolicy {
  kind: 'aws';
  group: {
    name: string;
    minSize: number;
    maxSize: number;
    desiredCapacity?: number;
    defaultInstanceWarmup?: number;
    defaultCooldown: number;
  };
  policies: AwsScalingPolicy[];
  /** user alarms plus the alarms generated for target tracking policies */
  alarms: AlarmSpec[];
}

export interface AwsState {
  family: 'aws';
  alarms: Record<string, AlarmState>;
  /** group-wide simple-scaling cooldown: no simple policy runs before this time */
  simpleCooldownUntil: number | null;
  /** a simple-scaling activity waiting to complete; its cooldown starts when it does */
  pendingSimple: { cooldown: number; since: number } | null;
}

export const AWS_DEFAULTS = {
  syncPeriod: 60,
  defaultCooldown: 300,
  /** generated target-tracking alarms (as created by EC2 Auto Scaling) */
  highAlarm: { period: 60, evaluationPeriods: 3, datapointsToAlarm: 3 },
  lowAlarm: { period: 60, evaluationPeriods: 15, datapointsToAlarm: 15, thresholdFactor: 0.9 },
} as const;
