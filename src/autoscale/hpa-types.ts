// Normalised autoscaling/v2 HorizontalPodAutoscaler config and controller state.
// Quantities are stored as milli-values (int), as the controller computes with MilliValue().

export type HpaTarget =
  | { type: 'Utilization'; averageUtilization: number }
  | { type: 'AverageValue'; averageValueMilli: number }
  | { type: 'Value'; valueMilli: number };

export type HpaMetric =
  | { type: 'Resource'; name: 'cpu' | 'memory'; target: Extract<HpaTarget, { type: 'Utilization' | 'AverageValue' }> }
  | { type: 'Pods'; name: string; target: Extract<HpaTarget, { type: 'AverageValue' }> }
  | { type: 'External'; name: string; target: Extract<HpaTarget, { type: 'Value' | 'AverageValue' }> }
  | { type: 'Object'; name: string; target: Extract<HpaTarget, { type: 'Value' | 'AverageValue' }> };

export interface HpaScalingPolicy {
  type: 'Pods' | 'Percent';
  value: number;
  periodSeconds: number;
}

export interface HpaScalingRules {
  stabilizationWindowSeconds: number;
  selectPolicy: 'Max' | 'Min' | 'Disabled';
  policies: HpaScalingPolicy[];
  /** HPAConfigurableTolerance (autoscaling/v2 `tolerance`); undefined = controller default 0.1 */
  tolerance?: number;
}

export interface HpaPolicy {
  kind: 'hpa';
  name: string;
  /** spec.minReplicas, defaulted to 1 as the API server does */
  minReplicas: number;
  maxReplicas: number;
  metrics: HpaMetric[];
  /** null = spec.behavior absent: the controller uses its legacy normalisation path */
  behavior: { scaleUp: HpaScalingRules; scaleDown: HpaScalingRules } | null;
}

export interface TimestampedRecommendation {
  replicas: number;
  t: number;
}
export interface TimestampedScaleEvent {
  change: number;
  t: number;
  outdated: boolean;
}

export interface HpaState {
  family: 'hpa';
  recommendations: TimestampedRecommendation[];
  scaleUpEvents: TimestampedScaleEvent[];
  scaleDownEvents: TimestampedScaleEvent[];
}

/** kube-controller-manager defaults */
export const HPA_DEFAULTS = {
  syncPeriod: 15,
  tolerance: 0.1,
  cpuInitializationPeriod: 300,
  delayOfInitialReadinessStatus: 30,
  downscaleStabilizationWindow: 300,
  /** metrics-server resolution: assumed window of each cpu sample (not observable in headroom) */
  metricWindow: 15,
  scaleUpLimitFactor: 2,
  scaleUpLimitMinimum: 4,
} as const;
