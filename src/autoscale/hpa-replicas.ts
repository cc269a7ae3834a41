// Per-metric replica proposals, following kubernetes
// pkg/controller/podautoscaler/replica_calculator.go (+ metrics/utilization.go).
// All usage arithmetic is on integer milli-values with Go's truncating division,
// because that is what decides borderline tolerance cases.
import type { InstanceObservation } from './types.ts';
import { toMilli } from './quantity.ts';

export interface Tolerances {
  scaleDown: number;
  scaleUp: number;
}
export function isWithin(t: Tolerances, usageRatio: number): boolean {
  return 1.0 - t.scaleDown <= usageRatio && usageRatio <= 1.0 + t.scaleUp;
}

export interface CalcOptions {
  now: number;
  tolerances: Tolerances;
  cpuInitializationPeriod: number;
  delayOfInitialReadinessStatus: number;
  /** window of a cpu sample; samples are assumed taken at `now` */
  metricWindow: number;
}

export type CalcResult = { ok: true; replicas: number; usage: number } | { ok: false; error: string };

/** Values by pod id, in milli-units. */
type PodMetrics = Map<string, number>;

interface Groups {
  readyPodCount: number;
  unready: Set<string>;
  missing: Set<string>;
  ignored: Set<string>;
}

/** groupPods: which pods count, which are unready (cpu only), missing metrics, or ignored. */
export function groupPods(pods: InstanceObservation[], metrics: PodMetrics, isCpu: boolean, o: CalcOptions): Groups {
  const g: Groups = { readyPodCount: 0, unready: new Set(), missing: new Set(), ignored: new Set() };
  for (const pod of pods) {
    if (pod.phase === 'deleting' || pod.phase === 'failed') {
      g.ignored.add(pod.id);
      continue;
    }
    if (pod.phase === 'pending') {
      g.unready.add(pod.id);
      continue;
    }
    if (!metrics.has(pod.id)) {
      g.missing.add(pod.id);
      continue;
    }
    if (isCpu) {
      // The Ready condition always exists here; with no transition recorded it is taken as the start time.
      const transition = pod.readySince ?? pod.startTime;
      let unready: boolean;
      if (pod.startTime + o.cpuInitializationPeriod > o.now) {
        // still initialising: ignore unless ready and a full sample window was collected since becoming ready
        unready = !pod.ready || o.now < transition + o.metricWindow;
      } else {
        // ignore only pods that are unready and have never been ready
        unready = !pod.ready && pod.startTime + o.delayOfInitialReadinessStatus > transition;
      }
      if (unready) {
        g.unready.add(pod.id);
        continue;
      }
    }
    g.readyPodCount++;
  }
  return g;
}

function truncDiv(a: bigint, b: bigint): bigint {
  return a / b; // BigInt division truncates toward zero, like Go
}

/** GetResourceUtilizationRatio: utilisation is an int32 percentage, truncated. */
function resourceUtilizationRatio(
  metrics: PodMetrics,
  requests: Map<string, number>,
  targetUtilization: number,
): { ok: true; ratio: number; utilization: number; raw: number } | { ok: false; error: string } {
  let metricsTotal = 0n;
  let requestsTotal = 0n;
  let n = 0n;
  for (const [pod, v] of metrics) {
    const req = requests.get(pod);
    if (req === undefined) continue; // extraneous metric
    metricsTotal += BigInt(v);
    requestsTotal += BigInt(req);
    n++;
  }
  if (requestsTotal === 0n) return { ok: false, error: 'no metrics returned matched known pods' };
  const utilization = Number(truncDiv(metricsTotal * 100n, requestsTotal));
  return { ok: true, ratio: utilization / targetUtilization, utilization, raw: Number(truncDiv(metricsTotal, n)) };
}

/** GetMetricUsageRatio: average usage, truncated. */
function metricUsageRatio(metrics: PodMetrics, targetUsage: number): { ratio: number; usage: number } {
  let total = 0n;
  for (const v of metrics.values()) total += BigInt(v);
  const usage = Number(truncDiv(total, BigInt(metrics.size)));
  return { ratio: usage / targetUsage, usage };
}

function resourceRequestMilli(pod: InstanceObservation, resource: 'cpu' | 'memory'): number | undefined {
  const r = pod.requests?.[resource];
  if (r === undefined) return undefined;
  return resource === 'cpu' ? Math.ceil(r) : toMilli(r);
}

/** Pod-metric values in milli-units: cpu is already millicores; memory bytes and custom values ×1000. */
export function podMetricMilli(pods: InstanceObservation[], key: string): PodMetrics {
  const m: PodMetrics = new Map();
  for (const pod of pods) {
    const v = pod.metrics[key];
    if (v === undefined || !Number.isFinite(v)) continue;
    m.set(pod.id, key === 'cpu' ? Math.ceil(v) : toMilli(v));
  }
  return m;
}

/** GetResourceReplicas: Resource metric with a Utilization target. */
export function resourceReplicas(
  currentReplicas: number,
  targetUtilization: number,
  resource: 'cpu' | 'memory',
  pods: InstanceObservation[],
  o: CalcOptions,
): CalcResult & { utilization?: number } {
  const metrics = podMetricMilli(pods, resource);
  if (metrics.size === 0) return { ok: false, error: `unable to get metrics for resource ${resource}: no metrics returned from resource metrics API` };
  if (pods.length === 0) return { ok: false, error: 'no pods returned by selector while calculating replica count' };
  const g = groupPods(pods, metrics, resource === 'cpu', o);
  for (const p of g.ignored) metrics.delete(p);
  for (const p of g.unready) metrics.delete(p);
  if (metrics.size === 0) return { ok: false, error: 'did not receive metrics for targeted pods (pods might be unready)' };

  const requests = new Map<string, number>();
  for (const pod of pods) {
    const r = resourceRequestMilli(pod, resource);
    if (r === undefined) return { ok: false, error: `missing request for ${resource} in Pod ${pod.id}` };
    requests.set(pod.id, r);
  }

  const first = resourceUtilizationRatio(metrics, requests, targetUtilization);
  if (!first.ok) return first;
  const usageRatio = first.ratio;

  const scaleUpWithUnready = g.unready.size > 0 && usageRatio > 1.0;
  if (!scaleUpWithUnready && g.missing.size === 0) {
    if (isWithin(o.tolerances, usageRatio)) return { ok: true, replicas: currentReplicas, usage: first.raw, utilization: first.utilization };
    return { ok: true, replicas: Math.ceil(usageRatio * g.readyPodCount), usage: first.raw, utilization: first.utilization };
  }

  if (g.missing.size > 0) {
    if (usageRatio < 1.0) {
      // scale-down: missing pods use 100% of their request (or the target, when the target is above 100%)
      const fallback = BigInt(Math.max(100, targetUtilization));
      for (const p of g.missing) metrics.set(p, Number(truncDiv(BigInt(requests.get(p)!) * fallback, 100n)));
    } else if (usageRatio > 1.0) {
      for (const p of g.missing) metrics.set(p, 0); // scale-up: missing pods use nothing
    }
  }
  if (scaleUpWithUnready) for (const p of g.unready) metrics.set(p, 0);

  const second = resourceUtilizationRatio(metrics, requests, targetUtilization);
  if (!second.ok) return second;
  const newUsageRatio = second.ratio;
  if (isWithin(o.tolerances, newUsageRatio) || (usageRatio < 1.0 && newUsageRatio > 1.0) || (usageRatio > 1.0 && newUsageRatio < 1.0)) {
    return { ok: true, replicas: currentReplicas, usage: first.raw, utilization: first.utilization };
  }
  const newReplicas = Math.ceil(newUsageRatio * metrics.size);
  if ((newUsageRatio < 1.0 && newReplicas > currentReplicas) || (newUsageRatio > 1.0 && newReplicas < currentReplicas)) {
    return { ok: true, replicas: currentReplicas, usage: first.raw, utilization: first.utilization };
  }
  return { ok: true, replicas: newReplicas, usage: first.raw, utilization: first.utilization };
}

/**
 * calcPlainMetricReplicas: Pods metrics (resource = undefined) and Resource AverageValue
 * targets (resource set: cpu readiness rules then apply).
 */
export function plainMetricReplicas(
  currentReplicas: number,
  targetUsageMilli: number,
  metrics: PodMetrics,
  resource: 'cpu' | 'memory' | undefined,
  pods: InstanceObservation[],
  o: CalcOptions,
): CalcResult {
  if (pods.length === 0) return { ok: false, error: 'no pods returned by selector while calculating replica count' };
  const g = groupPods(pods, metrics, resource === 'cpu', o);
  for (const p of g.ignored) metrics.delete(p);
  for (const p of g.unready) metrics.delete(p);
  if (metrics.size === 0) return { ok: false, error: 'did not receive metrics for targeted pods (pods might be unready)' };

  const first = metricUsageRatio(metrics, targetUsageMilli);
  const usageRatio = first.ratio;
  const scaleUpWithUnready = g.unready.size > 0 && usageRatio > 1.0;
  if (!scaleUpWithUnready && g.missing.size === 0) {
    if (isWithin(o.tolerances, usageRatio)) return { ok: true, replicas: currentReplicas, usage: first.usage };
    return { ok: true, replicas: Math.ceil(usageRatio * g.readyPodCount), usage: first.usage };
  }
  if (g.missing.size > 0) {
    if (usageRatio < 1.0) for (const p of g.missing) metrics.set(p, targetUsageMilli); // exactly the target
    else if (usageRatio > 1.0) for (const p of g.missing) metrics.set(p, 0);
  }
  if (scaleUpWithUnready) for (const p of g.unready) metrics.set(p, 0);

  const newUsageRatio = metricUsageRatio(metrics, targetUsageMilli).ratio;
  if (isWithin(o.tolerances, newUsageRatio) || (usageRatio < 1.0 && newUsageRatio > 1.0) || (usageRatio > 1.0 && newUsageRatio < 1.0)) {
    return { ok: true, replicas: currentReplicas, usage: first.usage };
  }
  const newReplicas = Math.ceil(newUsageRatio * metrics.size);
  if ((newUsageRatio < 1.0 && newReplicas > currentReplicas) || (newUsageRatio > 1.0 && newReplicas < currentReplicas)) {
    return { ok: true, replicas: currentReplicas, usage: first.usage };
  }
  return { ok: true, replicas: newReplicas, usage: first.usage };
}

/** getUsageRatioReplicaCount: Object/External Value targets scale the ready-pod count. */
function usageRatioReplicaCount(currentReplicas: number, usageRatio: number, pods: InstanceObservation[], o: CalcOptions): CalcResult {
  if (currentReplicas !== 0) {
    if (isWithin(o.tolerances, usageRatio)) return { ok: true, replicas: currentReplicas, usage: 0 };
    if (pods.length === 0) return { ok: false, error: 'unable to calculate ready pods: no pods returned by selector while calculating replica count' };
    const ready = pods.filter((p) => p.phase === 'running' && p.ready).length;
    return { ok: true, replicas: Math.ceil(usageRatio * ready), usage: 0 };
  }
  return { ok: true, replicas: Math.ceil(usageRatio), usage: 0 }; // scale from/to zero
}

/** GetExternalMetricReplicas / GetObjectMetricReplicas (Value target). */
export function valueMetricReplicas(currentReplicas: number, targetMilli: number, usageMilli: number, pods: InstanceObservation[], o: CalcOptions): CalcResult {
  const r = usageRatioReplicaCount(currentReplicas, usageMilli / targetMilli, pods, o);
  return r.ok ? { ...r, usage: usageMilli } : r;
}

/** GetExternalPerPodMetricReplicas / GetObjectPerPodMetricReplicas (AverageValue target). */
export function perPodValueMetricReplicas(statusReplicas: number, targetPerPodMilli: number, usageMilli: number, o: CalcOptions): CalcResult {
  let replicas = statusReplicas;
  const usageRatio = usageMilli / (targetPerPodMilli * replicas);
  if (!isWithin(o.tolerances, usageRatio)) replicas = Math.ceil(usageMilli / targetPerPodMilli);
  return { ok: true, replicas, usage: Math.ceil(usageMilli / statusReplicas) };
}
