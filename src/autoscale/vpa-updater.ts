// The Vertical Pod Autoscaler's updater: which pods it evicts so that their ReplicaSet recreates them
// at the recommendation (the admission controller writes it into the new pod). Re-expressed from
// kubernetes/autoscaler vertical-pod-autoscaler/pkg/updater:
//   priority/priority_processor.go GetUpdatePriority: per resource, outside the recommended range when
//       the request is below the lower bound or above the upper bound; scale-up when the target is
//       above the request; resourceDiff = Σ over resources |request − target| / max(request, 1), in
//       milli-units.
//   priority/update_priority_calculator.go AddPod: a pod is updated when outside the range, or when it
//       has lived PodLifetimeUpdateThreshold (12 h) and its resourceDiff is at least MinChangePriority
//       (0.1); pods are taken scale-ups first, then by larger resourceDiff.
//   restriction/pods_eviction_restriction.go + config/config.go: min-replicas 2, eviction-tolerance 0.5:
//       with fewer live pods than min-replicas none is evicted; a running pod may be evicted while
//       running − evicted > configured − ⌊configured × tolerance⌋ (or, with a tolerance of 0, the
//       first one when all configured pods run); updater-interval 1m.

export interface UpdaterSettings {
  interval: number;
  minReplicas: number;
  evictionTolerance: number;
  minChangePriority: number;
  podLifetimeUpdateThreshold: number;
}

export const VPA_UPDATER_DEFAULTS: Readonly<UpdaterSettings> = {
  interval: 60, // s, --updater-interval
  minReplicas: 2,
  evictionTolerance: 0.5,
  minChangePriority: 0.1, // --pod-update-threshold
  podLifetimeUpdateThreshold: 12 * 3600, // s, --in-recommendation-bounds-eviction-lifetime-threshold
};

/** One resource of a pod as the updater sees it: its request and the recommendation (milli-units). */
export interface ResourceView {
  request: number;
  target: number;
  lowerBound: number | null;
  upperBound: number | null;
}

export interface PodPriority {
  outsideRecommendedRange: boolean;
  scaleUp: boolean;
  resourceDiff: number;
}

/** GetUpdatePriority over a pod's resources (summed per resource over its containers first). */
export function updatePriority(resources: ResourceView[]): PodPriority {
  let outside = false, scaleUp = false, diff = 0;
  for (const r of resources) {
    if (r.target > r.request) scaleUp = true;
    if ((r.lowerBound !== null && r.request < r.lowerBound) || (r.upperBound !== null && r.request > r.upperBound)) outside = true;
    const req = Math.max(r.request, 1);
    diff += Math.abs(req - r.target) / req;
  }
  return { outsideRecommendedRange: outside, scaleUp, resourceDiff: diff };
}

/** AddPod's rule: is the pod a candidate for an update now? (`age`: s since it started) */
export function wantsUpdate(p: PodPriority, age: number, d: UpdaterSettings = VPA_UPDATER_DEFAULTS): boolean {
  if (p.outsideRecommendedRange) return true;
  return age >= d.podLifetimeUpdateThreshold && p.resourceDiff >= d.minChangePriority;
}

/** GetSortedPods' order: scale-ups first, then the larger resourceDiff (a stable sort keeps ties in pod order). */
export function byPriority(a: PodPriority, b: PodPriority): number {
  if (a.scaleUp !== b.scaleUp) return a.scaleUp ? -1 : 1;
  return b.resourceDiff - a.resourceDiff;
}

/** How many of a ReplicaSet's running pods the updater may evict in one loop (the restriction's budget). */
export function evictionBudget(configured: number, running: number, d: UpdaterSettings = VPA_UPDATER_DEFAULTS): number {
  if (running < d.minReplicas) return 0;
  const tolerance = Math.trunc(configured * d.evictionTolerance);
  const shouldBeAlive = configured - tolerance;
  let evicted = 0;
  while (running - evicted > shouldBeAlive || (configured === running && tolerance === 0 && evicted === 0)) evicted++;
  return evicted;
}
