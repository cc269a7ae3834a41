// Shared contract between the autoscaling decision engines and whoever drives them
// (the headroom simulator, or `headroom decide` fed with live metrics).
//
// CPU is read against two different denominators, as the real systems do:
//  - Kubernetes measures against the pod's *request* (requests.cpu): utilisation can exceed
//    100 % when a pod bursts above its request up to its limit.
//  - AWS (EC2 CPUUtilization, ASGAverageCPUUtilization) and the guide's orchestrator (psutil's
//    cpu_percent) measure against the *instance's capacity* (capacity.cpu): never above 100 %.
//    capacity.cpu falls back to requests.cpu, then to 1000 m, when a live feed gives no capacity;
//    the percentage is capped at 100 either way. In the simulator an instance's capacity is the
//    pool's `cpuLimit` (the CPU it uses with every worker busy) and its request `cpuRequest`, so a
//    pool whose workers are all busy reads 100 % on AWS and cpuLimit / cpuRequest × 100 % on the HPA.
//
// Derived aggregate metrics (AWS and orchestrator families compute these from `instances`):
//  - "in service" = phase 'running' && ready. AWS additionally excludes instances still in
//    their instance warmup (now - (readySince ?? startTime) < warmup) from metric aggregates.
//  - ASGAverageCPUUtilization, AWS/EC2 CPUUtilization: mean over in-service, warmed-up
//    instances of min(100, 100 × metrics.cpu / capacity.cpu)   [percent of the instance]
//  - ALBRequestCountPerTarget: sum(metrics.requestRate) × 60 / count of those instances
//    [requests per target per minute]
//  - ASGAverageNetworkIn/Out: mean of metrics.networkIn / metrics.networkOut
//  - any other CloudWatch metric name: `external[name]` if present, otherwise the mean of
//    metrics[name] over the in-service instances; no value at all = missing datapoint.
//  - Orchestrator (Saler guide): cpu_usage = mean min(1, cpu / capacity.cpu) (fraction 0..1,
//    psutil.cpu_percent / 100), memory_usage = mean memory/requests.memory (missing when
//    requests.memory is absent), request_rate / response_time / error_rate = mean of
//    requestRate / responseTime / errorRate, all over ready running instances.
//  - HPA reads per-pod values exactly as the metrics APIs would: metrics.cpu (millicores) against
//    requests.cpu, metrics.memory (bytes), metrics[<pods metric name>], external[<external/object metric name>].
//
// What a decision reports besides the count (`observed`, `unclamped`) is computed by the engine
// itself from the very numbers it compared, so a chart of it shows what the policy acted on.
import type { HpaPolicy, HpaState } from './hpa-types.ts';
import type { AwsPolicy, AwsState } from './aws-types.ts';
import type { OrchestratorPolicy, OrchestratorState } from './orchestrator.ts';
import type { KedaPolicy, KedaState } from './keda-types.ts';

export interface InstanceObservation {
  id: string;
  phase: 'pending' | 'running' | 'failed' | 'deleting'; // pending = provisioning/booting
  ready: boolean; // passing readiness (serving traffic)
  startTime: number; // s, when the instance/pod was created
  readySince?: number; // s, last readiness transition time (k8s pod Ready condition lastTransitionTime)
  requests?: { cpu?: number; memory?: number }; // cpu in millicores, memory in bytes
  capacity?: { cpu?: number }; // what the instance has: cpu in millicores (AWS and the orchestrator read CPU against it)
  metrics: Record<string, number>; // well-known: cpu, memory, requestRate, responseTime, errorRate; absent key = missing
}

export interface Observation {
  currentReplicas: number; // what the scaler last set (Deployment spec.replicas / ASG DesiredCapacity)
  instances: InstanceObservation[];
  external?: Record<string, number>; // External / CloudWatch metrics by name
}

export type PolicyConfig = HpaPolicy | AwsPolicy | OrchestratorPolicy | KedaPolicy;
export type PolicyState = HpaState | AwsState | OrchestratorState | KedaState;

/**
 * One figure a policy compared with one of its thresholds at this decision.
 *  - HPA: each metric of the manifest against its target (`op` "target": the controller scales
 *    in proportion to value / target outside its tolerance); value as the controller reports it
 *    in status.currentMetrics (Utilization: whole percent of the request; AverageValue: per pod).
 *  - AWS: each alarm's latest evaluated datapoint against its Threshold (`op` the alarm's
 *    ComparisonOperator; `threshold` the alarm's name).
 *  - Orchestrator: each guide metric against the thresholds it is checked with
 *    (scale_up_threshold, scale_down_threshold, request_threshold, …).
 */
export interface ObservedMetric {
  /** What is measured, as the policy names it: "cpu utilization", "ASGAverageCPUUtilization Average 60s", "cpu_usage". */
  metric: string;
  /** Which threshold: "target" (HPA), the alarm name (AWS), the guide's key (orchestrator). */
  threshold: string;
  /** How value meets target: "target" = proportional (HPA); otherwise the comparison that acts. */
  op: 'target' | '>' | '>=' | '<' | '<=';
  /** null when the engine had no value this time (missing metrics, no datapoint yet). */
  value: number | null;
  target: number;
  /** "%", "fraction", "millicores", "bytes", "req/s", "req/min", "s", or "" for a custom metric's own unit. */
  unit: string;
}

export interface Decision<S = PolicyState> {
  desired: number;
  state: S;
  rule: string;
  reasons: string[];
  /** The figures compared with their thresholds at this decision, in policy order. */
  observed: ObservedMetric[];
  /**
   * The count the policy asked for before [min, max] bounded it (for the HPA also before its
   * stabilisation window and rate limits: the metrics' proposal). desired = max while
   * unclamped > max is a pool pinned at its maximum.
   */
  unclamped: number;
}

export type { HpaPolicy, HpaState, AwsPolicy, AwsState, OrchestratorPolicy, OrchestratorState, KedaPolicy, KedaState };
