// Golden cases for the HPA replica calculator, transcribed (inputs and expected outputs only)
// from kubernetes pkg/controller/podautoscaler/replica_calculator_test.go.
//
// How the Go harness maps onto InstanceObservation:
//  - every test pod has 2 containers, each with requests[i] and usage levels[i]
//    (makePodMetricLevels); so a pod's request and usage are 2× the listed per-container values.
//  - pod start time and Ready lastTransitionTime default to the zero time: here startTime 0 and
//    readySince 0, with `now` far later. hotCPUCreationTime() = now, coolCPUCreationTime() = now-3min.
//  - the Go samples carry the zero timestamp with a 1-minute window, i.e. for a pod that just
//    started they were taken less than a window after the readiness transition. headroom samples
//    are taken at `now`, so a hot pod gets readySince = now to say the same thing.
//  - testing constants: tolerance 0.1, cpuInitializationPeriod 2 min, delayOfInitialReadinessStatus 10 s.
import t from 'tap';
import type { InstanceObservation } from '../../src/autoscale/types.ts';
import {
  type CalcOptions,
  groupPods,
  perPodValueMetricReplicas,
  plainMetricReplicas,
  podMetricMilli,
  resourceReplicas,
  valueMetricReplicas,
} from '../../src/autoscale/hpa-replicas.ts';

const NOW = 1_000_000;
const OPTS: CalcOptions = {
  now: NOW,
  tolerances: { scaleUp: 0.1, scaleDown: 0.1 },
  cpuInitializationPeriod: 120,
  delayOfInitialReadinessStatus: 10,
  metricWindow: 60,
};

type Phase = InstanceObservation['phase'];
interface Harness {
  currentReplicas: number;
  requests?: number[]; // cores per container
  levels?: number[]; // millicores per container (resource) — index = pod
  qps?: number[]; // custom metric milli-values per pod
  readiness?: boolean[];
  phase?: Phase[];
  deletion?: boolean[];
  start?: ('hot' | 'cool' | undefined)[];
}

function podsOf(h: Harness): InstanceObservation[] {
  const n = Math.max(h.currentReplicas, h.phase?.length ?? 0);
  const pods: InstanceObservation[] = [];
  for (let i = 0; i < n; i++) {
    const start = h.start?.[i];
    const startTime = start === 'hot' ? NOW : start === 'cool' ? NOW - 180 : 0;
    const metrics: Record<string, number> = {};
    if (h.levels && i < h.levels.length) metrics.cpu = 2 * h.levels[i];
    if (h.qps && i < h.qps.length) metrics.qps = h.qps[i] / 1000;
    let phase: Phase = h.phase?.[i] ?? 'running';
    if (h.deletion?.[i]) phase = 'deleting';
    const pod: InstanceObservation = {
      id: `test-pod-${i}`,
      phase,
      ready: h.readiness?.[i] ?? true,
      startTime,
      readySince: start === 'hot' ? NOW : 0,
      metrics,
    };
    if (h.requests && i < h.requests.length) pod.requests = { cpu: 2 * h.requests[i] * 1000 };
    pods.push(pod);
  }
  return pods;
}

function cpuCase(name: string, h: Harness, target: number, expected: number, expectedUtilization: number) {
  t.test(name, async (t) => {
    const r = resourceReplicas(h.currentReplicas, target, 'cpu', podsOf(h), OPTS);
    t.ok(r.ok, 'no error');
    if (r.ok) {
      t.equal(r.replicas, expected, 'replicas');
      t.equal(r.utilization, expectedUtilization, 'utilization');
    }
  });
}

function podsMetricCase(name: string, h: Harness, targetUsage: number, expected: number, expectedUsage: number) {
  t.test(name, async (t) => {
    const pods = podsOf(h);
    const r = plainMetricReplicas(h.currentReplicas, targetUsage, podMetricMilli(pods, 'qps'), undefined, pods, OPTS);
    t.ok(r.ok);
    if (r.ok) {
      t.equal(r.replicas, expected, 'replicas');
      t.equal(r.usage, expectedUsage, 'usage');
    }
  });
}

const ONE = (n: number) => Array(n).fill(1.0);

// --- Resource (cpu Utilization) ---
cpuCase('TestReplicaCalcScaleUp', { currentReplicas: 3, requests: ONE(3), levels: [300, 500, 700] }, 30, 5, 50);
cpuCase('TestReplicaCalcScaleUpUnreadyLessScale', { currentReplicas: 3, readiness: [false, true, true], requests: ONE(3), levels: [300, 500, 700] }, 30, 4, 60);
cpuCase('TestReplicaCalcScaleUpHotCpuLessScale', { currentReplicas: 3, start: ['hot', 'cool', 'cool'], requests: ONE(3), levels: [300, 500, 700] }, 30, 4, 60);
cpuCase('TestReplicaCalcScaleUpUnreadyNoScale', { currentReplicas: 3, readiness: [true, false, false], requests: ONE(3), levels: [400, 500, 700] }, 30, 3, 40);
cpuCase('TestReplicaCalcScaleHotCpuNoScale', { currentReplicas: 3, readiness: [true, false, false], start: ['cool', 'hot', 'hot'], requests: ONE(3), levels: [400, 500, 700] }, 30, 3, 40);
cpuCase('TestReplicaCalcScaleUpIgnoresFailedPods', { currentReplicas: 2, readiness: [true, true, false, false], phase: ['running', 'running', 'failed', 'failed'], requests: ONE(4), levels: [500, 700] }, 30, 4, 60);
cpuCase('TestReplicaCalcScaleUpIgnoresDeletionPods', { currentReplicas: 2, readiness: [true, true, false, false], phase: ['running', 'running', 'running', 'running'], deletion: [false, false, true, true], requests: ONE(4), levels: [500, 700] }, 30, 4, 60);
cpuCase('TestReplicaCalcScaleDown', { currentReplicas: 5, requests: ONE(5), levels: [100, 300, 500, 250, 250] }, 50, 3, 28);
cpuCase('TestReplicaCalcScaleDownExcludeUnreadyPods', { currentReplicas: 5, readiness: [true, true, true, false, false], requests: ONE(5), levels: [100, 300, 500, 250, 250] }, 50, 2, 30);
cpuCase('TestReplicaCalcScaleDownExcludeUnscheduledPods', { currentReplicas: 5, readiness: [true, false, false, false, false], phase: ['running', 'pending', 'pending', 'pending', 'pending'], requests: ONE(5), levels: [100] }, 50, 1, 10);
cpuCase('TestReplicaCalcScaleDownIgnoreHotCpuPods', { currentReplicas: 5, start: ['cool', 'cool', 'cool', 'hot', 'hot'], requests: ONE(5), levels: [100, 300, 500, 250, 250] }, 50, 2, 30);
cpuCase('TestReplicaCalcScaleDownIgnoresFailedPods', { currentReplicas: 5, readiness: [true, true, true, true, true, false, false], phase: ['running', 'running', 'running', 'running', 'running', 'failed', 'failed'], requests: ONE(7), levels: [100, 300, 500, 250, 250] }, 50, 3, 28);
cpuCase('TestReplicaCalcScaleDownIgnoresDeletionPods', { currentReplicas: 5, readiness: [true, true, true, true, true, false, false], phase: Array(7).fill('running'), deletion: [false, false, false, false, false, true, true], requests: ONE(7), levels: [100, 300, 500, 250, 250] }, 50, 3, 28);
cpuCase('TestReplicaCalcTolerance', { currentReplicas: 3, requests: [0.9, 1.0, 1.1], levels: [1010, 1030, 1020] }, 100, 3, 102);
cpuCase('TestReplicaCalcMissingMetrics', { currentReplicas: 4, requests: ONE(4), levels: [400, 95] }, 100, 3, 24);
cpuCase('TestReplicaCalcMissingMetricsNoChangeEq', { currentReplicas: 2, requests: ONE(2), levels: [1000] }, 100, 2, 100);
cpuCase('TestReplicaCalcMissingMetricsNoChangeGt', { currentReplicas: 2, requests: ONE(2), levels: [1900] }, 100, 2, 190);
cpuCase('TestReplicaCalcMissingMetricsNoChangeLt', { currentReplicas: 2, requests: ONE(2), levels: [600] }, 100, 2, 60);
cpuCase('TestReplicaCalcMissingMetricsUnreadyChange', { currentReplicas: 3, readiness: [false, true, true], requests: ONE(3), levels: [100, 450] }, 50, 3, 45);
cpuCase('TestReplicaCalcMissingMetricsHotCpuNoChange', { currentReplicas: 3, start: ['hot', 'cool', 'cool'], requests: ONE(3), levels: [100, 450] }, 50, 3, 45);
cpuCase('TestReplicaCalcMissingMetricsUnreadyScaleUp', { currentReplicas: 3, readiness: [false, true, true], requests: ONE(3), levels: [100, 2000] }, 50, 4, 200);
cpuCase('TestReplicaCalcMissingMetricsHotCpuScaleUp', { currentReplicas: 3, readiness: [false, true, true], start: ['hot', 'cool', 'cool'], requests: ONE(3), levels: [100, 2000] }, 50, 4, 200);
cpuCase('TestReplicaCalcMissingMetricsUnreadyScaleDown', { currentReplicas: 4, readiness: [false, true, true, true], requests: ONE(4), levels: [100, 100, 100] }, 50, 3, 10);
cpuCase('TestReplicaCalcMissingMetricsScaleDownTargetOver100', { currentReplicas: 4, readiness: [false, true, true, true], requests: [1.0, 1.0, 2.0, 2.0], levels: [200, 100, 100] }, 300, 2, 6);
cpuCase('TestReplicaCalcDuringRollingUpdateWithMaxSurge', { currentReplicas: 2, phase: ['running', 'running', 'running'], requests: ONE(3), levels: [100, 100] }, 50, 2, 10);

t.test('TestReplicaCalcComputedToleranceAlgImplementation', async (t) => {
  // 10 pods using 150m per container against requests spread around 300m; targets 56% then 55%
  const requests = [400, 200, 310, 290, 302, 298, 301, 299, 300, 300].map((m) => m / 1000);
  const h: Harness = { currentReplicas: 10, requests, levels: Array(10).fill(150) };
  const scaled = resourceReplicas(10, 56, 'cpu', podsOf(h), OPTS);
  t.same(scaled.ok && [scaled.replicas, scaled.utilization], [9, 50], 'just beyond tolerance: 10 → 9');
  const kept = resourceReplicas(10, 55, 'cpu', podsOf(h), OPTS);
  t.same(kept.ok && kept.replicas, 10, 'just within tolerance: stays 10');
});

t.test('TestReplicaCalcEmptyMetrics', async (t) => {
  const r = resourceReplicas(4, 100, 'cpu', podsOf({ currentReplicas: 4, requests: ONE(3), levels: [] }), OPTS);
  t.notOk(r.ok);
  if (!r.ok) t.match(r.error, 'unable to get metrics for resource cpu: no metrics returned from resource metrics API');
});

t.test('TestReplicaCalcEmptyCPURequest', async (t) => {
  const r = resourceReplicas(1, 100, 'cpu', podsOf({ currentReplicas: 1, requests: [], levels: [200] }), OPTS);
  t.notOk(r.ok);
  if (!r.ok) t.match(r.error, 'missing request for');
});

// --- Pods metrics (custom metrics API; readiness rules don't apply) ---
podsMetricCase('TestReplicaCalcScaleUpCM', { currentReplicas: 3, qps: [20000, 10000, 30000] }, 15000, 4, 20000);
podsMetricCase('TestReplicaCalcScaleUpCMUnreadyHotCpuNoLessScale', { currentReplicas: 3, readiness: [true, true, false], start: ['cool', 'cool', 'hot'], qps: [50000, 10000, 30000] }, 15000, 6, 30000);
podsMetricCase('TestReplicaCalcScaleUpCMUnreadyHotCpuScaleWouldScaleDown', { currentReplicas: 3, readiness: [false, true, false], start: ['hot', 'cool', 'hot'], qps: [50000, 15000, 30000] }, 15000, 7, 31666);
podsMetricCase('TestReplicaCalcScaleUpCMExternal (podMetric)', { currentReplicas: 1, qps: [8600] }, 4400, 2, 8600);
podsMetricCase('TestReplicaCalcScaleDownCM', { currentReplicas: 5, qps: [12000, 12000, 12000, 12000, 12000] }, 20000, 3, 12000);
podsMetricCase('TestReplicaCalcToleranceCM', { currentReplicas: 3, qps: [20000, 21000, 21000] }, 20000, 3, 20666);
podsMetricCase('TestPlainMetricReplicaCalcMissingMetricsNoChangeEq', { currentReplicas: 5, qps: [20000, 19000, 21000] }, 20000, 5, 20000);
podsMetricCase('TestReplicaCalcDuringRollingUpdateWithMaxSurgeCM', { currentReplicas: 2, phase: ['running', 'running', 'running'], qps: [10000, 10000] }, 17000, 2, 10000);

// --- Object / External metrics ---
function valueCase(name: string, h: Harness, target: number, usage: number, expected: number) {
  t.test(name, async (t) => {
    const r = valueMetricReplicas(h.currentReplicas, target, usage, podsOf(h), OPTS);
    t.same(r.ok && r.replicas, expected);
  });
}
valueCase('TestReplicaCalcScaleUpCMObject', { currentReplicas: 3 }, 15000, 20000, 4);
valueCase('TestReplicaCalcScaleUpCMObjectIgnoresUnreadyPods', { currentReplicas: 3, readiness: [false, true, false] }, 10000, 50000, 5);
valueCase('TestReplicaCalcScaleUpCMExternalIgnoresUnreadyPods', { currentReplicas: 3, readiness: [false, true, false] }, 4400, 8600, 2);
valueCase('TestReplicaCalcScaleDownCMObject', { currentReplicas: 5 }, 20000, 12000, 3);
valueCase('TestReplicaCalcScaleDownCMExternal', { currentReplicas: 5 }, 14334, 8600, 3);
valueCase('TestReplicaCalcToleranceCMObject', { currentReplicas: 3 }, 20000, 20666, 3);
valueCase('TestReplicaCalcToleranceCMExternal', { currentReplicas: 3 }, 8888, 8600, 3);

function perPodCase(name: string, current: number, target: number, usage: number, expected: number, expectedUsage: number) {
  t.test(name, async (t) => {
    const r = perPodValueMetricReplicas(current, target, usage, OPTS);
    t.same(r.ok && [r.replicas, r.usage], [expected, expectedUsage]);
  });
}
perPodCase('TestReplicaCalcScaleUpCMPerPodObject', 3, 5000, 20000, 4, 6667);
perPodCase('TestReplicaCalcScaleUpPerPodCMExternal', 3, 2150, 8600, 4, 2867);
perPodCase('TestReplicaCalcScaleDownPerPodCMObject', 5, 2000, 6000, 3, 1200);
perPodCase('TestReplicaCalcScaleDownPerPodCMExternal', 5, 2867, 8600, 3, 1720);
perPodCase('TestReplicaCalcTolerancePerPodCMObject', 4, 5000, 20166, 4, 5042);
perPodCase('TestReplicaCalcTolerancePerPodCMExternal', 3, 2900, 8600, 3, 2867);

// --- TestGroupPods (cpu readiness classification) ---
t.test('TestGroupPods', async (t) => {
  const pod = (p: Partial<InstanceObservation>): InstanceObservation => ({ id: 'p', phase: 'running', ready: true, startTime: NOW, metrics: { cpu: 1 }, ...p });
  const metric = (ids: string[]) => new Map(ids.map((id) => [id, 1]));
  const g = (pods: InstanceObservation[], ids: string[], cpu: boolean, window = 60) => {
    const r = groupPods(pods, metric(ids), cpu, { ...OPTS, metricWindow: window });
    return { ready: r.readyPodCount, unready: [...r.unready], missing: [...r.missing], ignored: [...r.ignored] };
  };
  t.same(g([], [], true), { ready: 0, unready: [], missing: [], ignored: [] }, 'void');
  t.same(g([pod({ id: 'bentham', ready: false })], ['bentham'], false), { ready: 1, unready: [], missing: [], ignored: [] }, 'count in a ready pod - memory');
  t.same(g([pod({ id: 'bentham', startTime: NOW - 60, readySince: NOW - 30 })], ['bentham'], true, 30), { ready: 1, unready: [], missing: [], ignored: [] }, 'count in a ready pod with fresh metrics during initialization period - CPU');
  t.same(g([pod({ id: 'bentham', startTime: NOW - 60, readySince: NOW - 30 })], ['bentham'], true, 60), { ready: 0, unready: ['bentham'], missing: [], ignored: [] }, 'unready a ready pod without fresh metrics during initialization period - CPU');
  t.same(g([pod({ id: 'lucretius', ready: false, startTime: NOW - 600, readySince: NOW - 594 })], ['lucretius'], true), { ready: 0, unready: ['lucretius'], missing: [], ignored: [] }, 'unready an unready pod during initialization period - CPU');
  t.same(g([pod({ id: 'bentham', startTime: NOW - 180, readySince: NOW - 180 })], ['bentham'], true), { ready: 1, unready: [], missing: [], ignored: [] }, 'count in a ready pod without fresh metrics after initialization period - CPU');
  t.same(g([pod({ id: 'lucretius', ready: false, startTime: NOW - 600, readySince: NOW - 540 })], ['lucretius'], true), { ready: 1, unready: [], missing: [], ignored: [] }, 'count in an unready pod that was ready after initialization period - CPU');
  t.same(g([pod({ id: 'lucretius', ready: false, startTime: NOW - 600, readySince: NOW - 590 })], ['lucretius'], true), { ready: 1, unready: [], missing: [], ignored: [] }, 'unready pod that has never been ready after initialization period - CPU');
  t.same(g([pod({ id: 'epicurus', startTime: NOW - 180 })], [], true), { ready: 0, unready: [], missing: ['epicurus'], ignored: [] }, 'a missing pod');
  t.same(g([pod({ id: 'unscheduled', phase: 'pending', ready: false })], [], true), { ready: 0, unready: ['unscheduled'], missing: [], ignored: [] }, 'pending pods are unreadied');
  t.same(g([pod({ id: 'deleted', phase: 'deleting' })], ['deleted'], true), { ready: 0, unready: [], missing: [], ignored: ['deleted'] }, 'ignore pods with deletion timestamps');
  t.same(g([pod({ id: 'failed', phase: 'failed' })], ['failed'], true), { ready: 0, unready: [], missing: [], ignored: ['failed'] }, 'ignore pods in a failed state');
});
