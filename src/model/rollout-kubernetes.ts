// A Deployment's rollout, re-expressed from the Kubernetes deployment controller:
//
//   pkg/controller/deployment/rolling.go
//     rolloutRolling: reconcileNewReplicaSet (scale up, if we can) and, when nothing scaled up,
//     reconcileOldReplicaSets: maxScaledDown = allPods − (replicas − maxUnavailable) − newRS
//     unavailable; cleanupUnhealthyReplicas (old RSs, oldest first, their unavailable pods, up to
//     maxScaledDown), then scaleDownOldReplicaSetsForRollingUpdate (available − minAvailable).
//   pkg/controller/deployment/util/deployment_util.go
//     NewRSNewReplicas: scale the new RS up to min(replicas + maxSurge − all pods, replicas − new);
//     ResolveFenceposts: maxSurge rounds up, maxUnavailable down (intstr.GetScaledValueFromIntOrPercent),
//     both 0 → maxUnavailable 1; DeploymentComplete; DeploymentProgressing; DeploymentTimedOut.
//   pkg/controller/deployment/recreate.go
//     rolloutRecreate: scale every old RS to 0, wait until no old pod is running, then scale the new one up.
//
// Pods are counted as the controller counts them, from ReplicaSet specs (a terminating pod is no
// longer in any spec: while old pods drain the cluster holds more than replicas + maxSurge, as the
// real one does; DeploymentPodReplacementPolicy is not modelled). A pod is available once ready
// for minReadySeconds. progressDeadlineSeconds only reports (Progressing=False,
// ProgressDeadlineExceeded), as Kubernetes does: it never rolls back by itself.
// The controller runs on every change of a pod (the informers' events) rather than on a period.
import type { CountOrPercent, Strategy } from '../scenario/types.ts';
import { Life } from './fleet.ts';
import { Rollout } from './rollout.ts';

/** intstr.GetScaledValueFromIntOrPercent: a count, or a percentage of `total` rounded up or down. */
export function scaled(v: CountOrPercent, total: number, roundUp: boolean): number {
  if (!v.percent) return v.value;
  const x = (v.value * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/** ResolveFenceposts: [maxSurge, maxUnavailable] for `desired` replicas. */
export function resolveFenceposts(maxSurge: CountOrPercent, maxUnavailable: CountOrPercent, desired: number): [number, number] {
  const surge = scaled(maxSurge, desired, true);
  let unavailable = scaled(maxUnavailable, desired, false);
  // Validation forbids both 0; rounding down can still make both 0: then one may be unavailable.
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return [surge, unavailable];
}

/** NewRSNewReplicas for RollingUpdate: what the new RS scales to, given all RS specs' sum. */
export function newRSNewReplicas(replicas: number, maxSurge: number, allPods: number, newSpec: number): number {
  const maxTotal = replicas + maxSurge;
  if (allPods >= maxTotal) return newSpec;
  return newSpec + Math.min(maxTotal - allPods, replicas - newSpec);
}

export interface RsCount {
  spec: number;
  available: number;
}

/** cleanupUnhealthyReplicas: old RSs (oldest first) lose their unavailable pods, up to `maxCleanup` in all. Returns the pods taken. */
export function cleanupUnhealthy(olds: RsCount[], specs: number[], maxCleanup: number): number {
  let cleaned = 0;
  olds.forEach((r, i) => {
    if (cleaned >= maxCleanup || specs[i] === 0 || specs[i] === r.available) return;
    const k = Math.min(maxCleanup - cleaned, specs[i] - r.available);
    specs[i] -= k;
    cleaned += k;
  });
  return cleaned;
}

/** scaleDownOldReplicaSetsForRollingUpdate: available pods above replicas − maxUnavailable come off the old RSs, oldest first. Returns the pods taken. */
export function scaleDownOld(replicas: number, maxUnavailable: number, availableAll: number, specs: number[]): number {
  const minAvailable = replicas - maxUnavailable;
  if (availableAll <= minAvailable) return 0;
  const total = availableAll - minAvailable;
  let scaledDown = 0;
  for (let i = 0; i < specs.length && scaledDown < total; i++) {
    if (specs[i] === 0) continue;
    const k = Math.min(specs[i], total - scaledDown);
    specs[i] -= k;
    scaledDown += k;
  }
  return scaledDown;
}

/**
 * reconcileOldReplicaSets: the old RSs' new specs (in the order given, oldest first), or null when
 * nothing may scale down. newRS: the new RS's spec and available pods.
 */
export function reconcileOld(replicas: number, maxUnavailable: number, newRS: RsCount, olds: RsCount[]): number[] | null {
  const oldPods = olds.reduce((a, r) => a + r.spec, 0);
  if (oldPods === 0) return null;
  const allPods = oldPods + newRS.spec;
  const minAvailable = replicas - maxUnavailable;
  const newUnavailable = newRS.spec - newRS.available;
  const maxScaledDown = allPods - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return null;
  const specs = olds.map((r) => r.spec);
  const cleaned = cleanupUnhealthy(olds, specs, maxScaledDown);
  // the cleaned-up pods were unavailable: availability is unchanged
  const scaledDown = scaleDownOld(replicas, maxUnavailable, newRS.available + olds.reduce((a, r) => a + r.available, 0), specs);
  return cleaned + scaledDown > 0 ? specs : null;
}

type K8sStrategy = Extract<Strategy, { kind: 'RollingUpdate' | 'Recreate' }>;

export class DeploymentRollout extends Rollout {
  private lastProgress = 0;
  private progressed = { updated: 0, old: 0, available: 0 };
  private stalled = false;

  private get k8s(): K8sStrategy {
    return this.strategy as K8sStrategy;
  }

  start(): void {
    const s = this.k8s;
    this.log('release', s.kind === 'RollingUpdate'
      ? `RollingUpdate to ${this.pool.desired} replicas (maxSurge ${fmt(s.maxSurge)}, maxUnavailable ${fmt(s.maxUnavailable)}, minReadySeconds ${s.minReadySeconds})`
      : `Recreate ${this.pool.desired} replicas`);
    this.pool.versions.current = this.to; // the template: pods from now on are the new version's
    this.lastProgress = this.now;
    this.timer(s.progressDeadlineSeconds, DEADLINE_CHECK);
    this.onChange();
  }

  onTimer(code: number): void {
    if (code === DEADLINE_CHECK) this.checkDeadline();
    else this.onChange(); // AVAILABLE: a pod's minReadySeconds passed
  }

  protected step(): void {
    const p = this.pool, want = p.want, D = p.desired, s = this.k8s, to = this.to;
    if (this.outcome !== 'in progress') return;
    while (want.length <= to) want.push(0);
    const olds = this.olds();
    if (s.kind === 'Recreate') {
      let scaledOld = false;
      for (const v of olds) if (want[v] > 0) { want[v] = 0; scaledOld = true; }
      if (scaledOld) p.reconcile();
      // oldPodsRunning: wait until no old pod exists before the new RS scales up
      if (olds.some((v) => this.existing(v) > 0)) return;
      if (want[to] !== D) { want[to] = D; p.reconcile(); }
    } else {
      const [surge, unavailable] = resolveFenceposts(s.maxSurge, s.maxUnavailable, D);
      const minReady = s.minReadySeconds;
      const all = want.reduce((a, b) => a + b, 0);
      let next = want[to];
      if (want[to] > D) next = D;
      else if (want[to] < D) next = newRSNewReplicas(D, surge, all, want[to]);
      if (next !== want[to]) {
        want[to] = next;
        p.reconcile();
      } else {
        const specs = reconcileOld(D, unavailable, { spec: want[to], available: this.available(to, minReady) },
          olds.map((v) => ({ spec: want[v], available: this.available(v, minReady) })));
        if (specs !== null) {
          olds.forEach((v, i) => { want[v] = specs[i]; });
          p.reconcile();
        }
      }
      this.armAvailability(minReady);
    }
    this.checkProgress();
    this.checkComplete();
  }

  /** A pod that is ready but not yet available becomes available later: sync again then. */
  private armAvailability(minReady: number): void {
    if (minReady <= 0) return;
    const p = this.pool, now = this.now;
    let soonest = Infinity;
    for (let i = 0; i < p.n; i++) {
      if (p.life[i] !== Life.Ready) continue;
      const at = p.lifeChanged[i] + minReady;
      if (at > now && at < soonest) soonest = at;
    }
    if (soonest < Infinity) this.timer(soonest - now, AVAILABLE);
  }

  /** DeploymentProgressing: more updated pods, fewer old ones, or more available. */
  private checkProgress(): void {
    const p = this.pool, minReady = this.k8s.minReadySeconds;
    const updated = p.activeOf(this.to), old = this.olds().reduce((a, v) => a + p.activeOf(v), 0);
    let available = 0;
    for (let v = 0; v < p.want.length; v++) available += this.available(v, minReady);
    const was = this.progressed;
    if (updated > was.updated || old < was.old || available > was.available) this.lastProgress = this.now;
    this.progressed = { updated, old, available };
  }

  /** DeploymentTimedOut: no progress for progressDeadlineSeconds — reported, nothing undone. */
  private checkDeadline(): void {
    if (this.outcome !== 'in progress') return;
    const deadline = this.k8s.progressDeadlineSeconds, since = this.now - this.lastProgress;
    if (since > deadline || (since === deadline && !this.stalled)) {
      if (!this.stalled) {
        this.stalled = true;
        this.log('stalled', `ProgressDeadlineExceeded: no progress for ${deadline} s (Kubernetes reports it and rolls nothing back)`);
      }
      this.timer(deadline, DEADLINE_CHECK);
    } else this.timer(this.lastProgress + deadline - this.now, DEADLINE_CHECK);
  }

  /** DeploymentComplete: every replica updated, no old pod left, enough available. */
  private checkComplete(): void {
    const p = this.pool, D = p.desired, s = this.k8s;
    const unavailable = s.kind === 'RollingUpdate' ? resolveFenceposts(s.maxSurge, s.maxUnavailable, D)[1] : 0;
    if (p.want[this.to] !== D || this.olds().some((v) => this.existing(v) > 0)) return;
    if (this.available(this.to, s.minReadySeconds) < D - unavailable) return;
    this.end('complete', `${D} replicas of ${this.release.version} available`);
  }
}

const DEADLINE_CHECK = 0;
const AVAILABLE = 1;

function fmt(v: CountOrPercent): string {
  return v.percent ? `${v.value}%` : String(v.value);
}
