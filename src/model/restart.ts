// When a crashed process starts again, by the restart policy of what runs it.
//
// Kubernetes (a pod's restartPolicy: Always) — the kubelet's CrashLoopBackOff, re-expressed from
//   pkg/kubelet/kuberuntime/kuberuntime_manager.go  doBackOff: the exited container's FinishedAt is
//     `ts`; if backOff.IsInBackOffSince(key, ts) the start waits, else backOff.Next(key, ts) and start;
//   staging/src/k8s.io/client-go/util/flowcontrol/backoff.go  Next: a new or expired entry starts at
//     the initial duration, else doubles, capped at the maximum; hasExpired: ts − lastUpdate > 2 × max;
//   pkg/kubelet/kubelet.go  backOffPeriod = 10 s, MaxContainerBackOff = 300 s.
// So the first crash restarts at once (and arms 10 s), each further crash waits the current backoff
// (10, 20, 40, … 300 s), and a crash more than 600 s after the last (re)start begins again at once.
// The kubelet's own sync latency (PLEG relist, about 1 s) is left out.
//
// Docker Swarm (deploy.restart_policy) — swarmkit manager/orchestrator/restart/restart.go:
//   ShouldRestart: condition none → never; on-failure → not after a clean exit; max_attempts 0 →
//   always; window 0 → restarts so far < max_attempts; else restarts in (ts − window, ts] < max_attempts;
//   Restart: the replacement task starts after `delay` (DelayStart). The history is per slot, and a
//   new service version starts it afresh (here: a release's instances are new slots).
// `never`: nothing restarts the process (a VM without a supervisor, an ASG whose EC2 health check
// does not see a crashed application).
import type { RestartPolicy } from '../scenario/types.ts';
import { grown } from '../sim/grown.ts';

export const KUBELET_BACKOFF_INITIAL = 10; // s, backOffPeriod
export const KUBELET_BACKOFF_MAX = 300; // s, MaxContainerBackOff

export class RestartTracker {
  // kubelet: per instance, the backoff entry (0 = none), its lastUpdate, and the FinishedAt of the exit waiting on it
  private backoff = new Float64Array(8);
  private updated = new Float64Array(8);
  private exited = new Float64Array(8);
  // swarm: per instance, restart times (only with max_attempts)
  private history: number[][] = [];

  constructor(readonly policy: RestartPolicy) {}

  /**
   * Instance i's process exited at `now` (failed: a non-zero exit or killed as unhealthy). Returns
   * the delay until it starts again, or −1: it stays down.
   */
  onExit(i: number, now: number, failed: boolean): number {
    const p = this.policy;
    switch (p.kind) {
      case 'never': return -1;
      case 'kubelet': {
        this.fit(i);
        this.exited[i] = now;
        // IsInBackOffSince(key, ts) with ts = now: an unexpired entry holds the start for its backoff.
        if (this.backoff[i] > 0 && !(now - this.updated[i] > 2 * KUBELET_BACKOFF_MAX)) return this.backoff[i];
        this.next(i, now, now);
        return 0;
      }
      case 'swarm': {
        if (p.condition === 'none' || (p.condition === 'on-failure' && !failed)) return -1;
        if (p.maxAttempts === 0) return p.delay;
        const h = (this.history[i] ??= []);
        const since = p.window > 0 ? now - p.window : -Infinity;
        let n = 0;
        for (const t of h) if (t > since && t <= now) n++;
        if (n >= p.maxAttempts) return -1;
        h.push(now);
        return p.delay;
      }
    }
  }

  /** The delayed start of instance i happens now (the kubelet moves its backoff on here). */
  onStart(i: number, now: number): void {
    if (this.policy.kind === 'kubelet' && this.backoff[i] > 0 && this.updated[i] < now) this.next(i, this.exited[i], now);
  }

  /** The backoff instance i's next crash would wait (kubelet; for tests and the log). */
  backoffOf(i: number): number {
    return i < this.backoff.length ? this.backoff[i] : 0;
  }

  /** flowcontrol.Backoff.Next(key, ts) at `now`. */
  private next(i: number, ts: number, now: number): void {
    const b = this.backoff[i];
    this.backoff[i] = b === 0 || ts - this.updated[i] > 2 * KUBELET_BACKOFF_MAX ? KUBELET_BACKOFF_INITIAL : Math.min(2 * b, KUBELET_BACKOFF_MAX);
    this.updated[i] = now;
  }

  private fit(i: number): void {
    if (i < this.backoff.length) return;
    let cap = this.backoff.length;
    while (cap <= i) cap *= 2;
    this.backoff = grown(this.backoff, cap);
    this.updated = grown(this.updated, cap);
    this.exited = grown(this.exited, cap);
  }
}
