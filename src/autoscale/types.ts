// Shared contract between the autoscaling decision engines and whoever drives them
// (the headroom simulator, or `headroom decide` fed with live metrics).
//
// Derived aggregate metrics (AWS and orchestrator families compute these from `instances`):
//  - "in service" = phase 'running' && ready. AWS additionally excludes instances still in
//    their instance warmup (now - (readySince ?? startTime) < warmup) from metric aggregates.
//  - ASGAverageCPUUtilization, AWS/EC2 CPUUtilization: mean over in-service, warmed-up
//    instances of 100 × metrics.cpu / (requests.cpu ?? 1000)   [percent]
//  - ALBRequestCountPerTarget: sum(metrics.requestRate) × 60 / count of those instances
//    [requests per target per minute]
//  - ASGAverageNetworkIn/Out: mean of metrics.networkIn / metrics.networkOut
//  - any other CloudWatch metric name: `external[name]` if present, otherwise the mean of
//    metrics[name] over the in-service instances; no value at all = missing datapoint.
//  - Orchestrator (Saler guide): cpu_usage = mean cpu/(requests.cpu ?? 1000) (fraction 0..1),
//    memory_usage = mean memory/requests.memory (missing when requests.memory is absent),
//    request_rate / response_time / error_rate = mean of requestRate / responseTime / errorRate,
//    all over ready running instances.
//  - HPA reads per-pod values exactly as the metrics APIs would: metrics.cpu (millicores),
//    metrics.memory (bytes), metrics[<pods metric name>], external[<external/object metric name>].
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
  metrics: Record<string, number>; // well-known: cpu, memory, requestRate, responseTime, errorRate; absent key = missing
}

export interface Observation {
  currentReplicas: number; // what the scaler last set (Deployment spec.replicas / ASG DesiredCapacity)
  instances: InstanceObservation[];
  external?: Record<string, number>; // External / CloudWatch metrics by name
}

export type PolicyConfig = HpaPolicy | AwsPolicy | OrchestratorPolicy | KedaPolicy;
export type PolicyState = HpaState | AwsState | OrchestratorState | KedaState;

export interface Decision<S = PolicyState> {
  desired: number;
  state: S;
  rule: string;
  reasons: string[];
}

export type { HpaPolicy, HpaState, AwsPolicy, AwsState, OrchestratorPolicy, OrchestratorState, KedaPolicy, KedaState };
