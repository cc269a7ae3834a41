// The Vertical Pod Autoscaler's recommender for CPU, re-expressed from kubernetes/autoscaler
// vertical-pod-autoscaler/pkg/recommender:
//   model/aggregations_config.go  CPU histogram: exponential buckets from 0.001 core, each 5 % wider,
//       up to 1000 cores; epsilon 0.001 × minSampleWeight 0.1; decay half-life 24 h.
//   model/aggregate_container_state.go addCPUSample: a usage sample (cores) weighted by the
//       container's CPU request at the time (cores, at least minSampleWeight 0.1), at its start time;
//       first/last sample start and the sample count kept for the confidence.
//   logic/recommender.go  flags and their defaults: target-cpu-percentile 0.9, recommendation-lower-
//       bound-cpu-percentile 0.5, recommendation-upper-bound-cpu-percentile 0.95,
//       recommendation-margin-fraction 0.15, pod-recommendation-min-cpu-millicores 25,
//       confidence-interval-cpu 24h; target = margin(percentile 0.9), lower bound =
//       confidence(0.001, −2, margin(percentile 0.5)), upper bound = confidence(1, +1, margin(
//       percentile 0.95)), each at least the minimum (spread over the pod's containers).
//   logic/estimator.go   margin: base + base × fraction; confidence = min(lifespan between the first
//       and last sample, samples ÷ one per minute) in confidence intervals; multiplier (1 + m /
//       confidence)^e (no history: ×∞ on the upper bound, ×0 on the lower).
//   model/types.go        CPU amounts are whole millicores (truncated), at most 1e14.
//   utils/vpa/capping.go  applyVPAPolicy: target and bounds capped to minAllowed, then maxAllowed.
// Memory is not recommended here (its per-day peaks need days of history; a VPA controlling memory
// is refused when parsed).
import { DecayingHistogram, exponentialBuckets } from './vpa-histogram.ts';

export const VPA_RECOMMENDER_DEFAULTS = {
  targetCpuPercentile: 0.9,
  lowerBoundCpuPercentile: 0.5,
  upperBoundCpuPercentile: 0.95,
  safetyMarginFraction: 0.15,
  podMinCpuMillicores: 25,
  confidenceInterval: 24 * 3600, // s
  cpuHalfLife: 24 * 3600, // s, DefaultCPUHistogramDecayHalfLife
  minSampleWeight: 0.1,
} as const;

const MAX_RESOURCE_AMOUNT = 1e14;
const CPU_BUCKETS = exponentialBuckets(1000, 0.001, 1.05, 0.001 * VPA_RECOMMENDER_DEFAULTS.minSampleWeight);

/** resourceAmountFromFloat: truncated to a whole amount, within [0, 1e14]. */
export function amount(x: number): number {
  if (x > MAX_RESOURCE_AMOUNT) return MAX_RESOURCE_AMOUNT;
  return x < 0 || Number.isNaN(x) ? 0 : Math.trunc(x);
}

/** CPUAmountFromCores: cores → whole millicores. */
export const cpuAmountFromCores = (cores: number): number => amount(cores * 1000);

/** ScaleResource. */
export const scaleResource = (a: number, factor: number): number => amount(a * factor);

/** One container's aggregated CPU usage (AggregateContainerState, CPU side). Times in seconds. */
export class CpuAggregate {
  readonly usage = new DecayingHistogram(CPU_BUCKETS, VPA_RECOMMENDER_DEFAULTS.cpuHalfLife);
  firstSampleStart = -1;
  lastSampleStart = -1;
  totalSamples = 0;

  addSample(usageCores: number, requestCores: number, t: number): void {
    this.usage.add(usageCores, Math.max(requestCores, VPA_RECOMMENDER_DEFAULTS.minSampleWeight), t);
    if (t > this.lastSampleStart) this.lastSampleStart = t;
    if (this.firstSampleStart < 0 || t < this.firstSampleStart) this.firstSampleStart = t;
    this.totalSamples++;
  }

  /** getConfidence: min(lifespan, samples at one a minute), in confidence intervals. */
  confidence(interval = VPA_RECOMMENDER_DEFAULTS.confidenceInterval): number {
    if (this.totalSamples === 0) return 0;
    const lifespan = (this.lastSampleStart - this.firstSampleStart) / interval;
    return Math.min(lifespan, this.totalSamples / (interval / 60));
  }
}

/** A recommendation in millicores: target and the range the updater leaves pods alone in. */
export interface CpuRecommendation {
  target: number;
  lowerBound: number;
  upperBound: number;
}

/** The estimators, each a function of the aggregate (composable as the recommender composes them). */
export type CpuEstimator = (s: CpuAggregate) => number;

export const percentileEstimator = (p: number): CpuEstimator => (s) => cpuAmountFromCores(s.usage.percentile(p));
export const withMargin = (fraction: number, base: CpuEstimator): CpuEstimator => (s) => {
  const b = base(s);
  return b + scaleResource(b, fraction);
};
export const withConfidence = (multiplier: number, exponent: number, base: CpuEstimator, interval = VPA_RECOMMENDER_DEFAULTS.confidenceInterval): CpuEstimator =>
  (s) => scaleResource(base(s), (1 + multiplier / s.confidence(interval)) ** exponent);
export const withMin = (min: number, base: CpuEstimator): CpuEstimator => (s) => Math.max(base(s), min);

/** Bounds the policy puts on what is recommended (containerPolicies' minAllowed / maxAllowed cpu, millicores). */
export interface CpuPolicy {
  minAllowed: number | null;
  maxAllowed: number | null;
}

/** The recommender's CPU recommendation for one container of a pod of `containersPerPod`, capped by the policy. */
export function recommendCpu(s: CpuAggregate, policy: CpuPolicy = { minAllowed: null, maxAllowed: null }, containersPerPod = 1): CpuRecommendation {
  const d = VPA_RECOMMENDER_DEFAULTS;
  const min = scaleResource(cpuAmountFromCores(d.podMinCpuMillicores * 0.001), 1 / containersPerPod);
  const target = withMin(min, withMargin(d.safetyMarginFraction, percentileEstimator(d.targetCpuPercentile)));
  const lower = withMin(min, withConfidence(0.001, -2, withMargin(d.safetyMarginFraction, percentileEstimator(d.lowerBoundCpuPercentile))));
  const upper = withMin(min, withConfidence(1, 1, withMargin(d.safetyMarginFraction, percentileEstimator(d.upperBoundCpuPercentile))));
  const cap = (x: number) => {
    if (policy.minAllowed !== null && policy.minAllowed > 0 && x < policy.minAllowed) x = policy.minAllowed;
    if (policy.maxAllowed !== null && policy.maxAllowed > 0 && x > policy.maxAllowed) x = policy.maxAllowed;
    return x;
  };
  return { target: cap(target(s)), lowerBound: cap(lower(s)), upperBound: cap(upper(s)) };
}
