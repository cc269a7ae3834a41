// A release rolling out over a pool: the controller that moves instances from the versions
// running to the released one, step by step, as the platform's own controller would. One per
// strategy: Kubernetes' RollingUpdate and Recreate (./rollout-kubernetes.ts), Swarm's updater with
// its rollback (./rollout-swarm.ts), blue-green and canary (./rollout-traffic.ts). Each acts on
// the pool only through the versions' `want` (what each version's ReplicaSet should hold), the
// instances it drains or launches, and traffic on or off per version; it hears of every change
// of an instance's life (onChange) and of its own timers.
import type { AbortRule, Release, Strategy } from '../scenario/types.ts';
import { Life } from './fleet.ts';
import { CONTROL, type Lifecycle } from './lifecycle.ts';

export type Outcome = 'in progress' | 'complete' | 'rolled back' | 'paused' | 'aborted' | 'superseded';

/** What a rollout acts on: the pool's lifecycle (versions' `want`, launches, drains, traffic per version). */
export type RolloutHost = Lifecycle;

/** "30 s", "5 min", "1.5 h": durations in event lines. */
export function fmtSeconds(s: number): string {
  if (s < 1) return `${Math.round(s * 1000)} ms`;
  if (s < 120) return `${+s.toFixed(1)} s`;
  if (s < 7200) return `${+(s / 60).toFixed(1)} min`;
  return `${+(s / 3600).toFixed(2)} h`;
}

export abstract class Rollout {
  outcome: Outcome = 'in progress';
  readonly startedAt: number;
  endedAt: number | null = null;
  /** A rollback of a failed update (Swarm's failure_action: rollback). */
  readonly isRollback: boolean = false;
  /** The version the pool had before (the one a rollback returns to). */
  readonly from: number;
  private syncing = false;
  private again = false;

  constructor(protected readonly pool: RolloutHost, readonly release: Release, readonly to: number, protected readonly strategy: Strategy) {
    this.from = pool.versions.current;
    this.startedAt = pool.clock;
  }

  get now(): number {
    return this.pool.clock;
  }

  abstract start(): void;

  get strategyOf(): Strategy {
    return this.strategy;
  }

  /** A newer release takes over from here. */
  supersede(why: string): void {
    if (this.outcome === 'in progress' || this.outcome === 'paused') this.end('superseded', why);
  }
  /** One reconciliation pass (re-entrant calls are folded into one more pass). */
  protected abstract step(): void;
  /** Its own timer (code < 2^17) came due. */
  abstract onTimer(code: number): void;

  /** The autoscaler changed the replicas: true when the rollout takes it (a Deployment shares it out). */
  onResize(desired: number): boolean {
    this.pool.desired = desired;
    this.onChange();
    return true;
  }

  /** An instance's life changed: run a pass, unless one is running (then run another after it). */
  onChange(): void {
    if (this.outcome !== 'in progress' && this.outcome !== 'paused') return;
    if (this.syncing) { this.again = true; return; }
    this.syncing = true;
    try {
      do { this.again = false; this.step(); } while (this.again);
    } finally {
      this.syncing = false;
    }
  }

  protected timer(delay: number, code: number): void {
    this.pool.timer(this.now + delay, CONTROL, (code << 3) | ROLLOUT_SUB);
  }

  protected end(outcome: Outcome, detail: string): void {
    this.outcome = outcome;
    this.endedAt = this.now;
    if (outcome !== 'paused' && this.pool.rollout === this) this.pool.rollout = null;
    this.log(outcome === 'complete' ? 'complete' : outcome === 'rolled back' ? 'rollback' : outcome === 'paused' ? 'paused' : outcome, detail);
  }

  protected log(kind: string, detail: string): void {
    this.pool.record(kind, `${this.release.version}: ${detail}`);
  }

  /** The abort rule's verdict on version v's window since it was last reset: a reason to abort, or null. */
  protected judge(rule: AbortRule | null, v: number): string | null {
    const st = this.pool.versions.stats?.[v];
    if (rule === null || st === undefined) return null;
    const n = st.windowServed + st.windowFailed;
    if (n === 0 || n < rule.minRequests) return null;
    const rate = st.windowFailed / n;
    if (rule.errorRate !== null && rate > rule.errorRate) return `error rate ${(100 * rate).toFixed(2)}% > ${(100 * rule.errorRate).toFixed(2)}% over ${n} requests`;
    if (rule.latencyP99 !== null && st.window.count > 0) {
      const p99 = st.window.percentile(99);
      if (p99 > rule.latencyP99) return `p99 ${fmtSeconds(p99)} > ${fmtSeconds(rule.latencyP99)} over ${n} requests`;
    }
    return null;
  }

  // ---- counts the controllers read ----

  /** Available instances of version v: ready for at least minReadySeconds (k8s), or just ready. */
  available(v: number, minReady = 0): number {
    const p = this.pool, now = this.now;
    let k = 0;
    for (let i = 0; i < p.n; i++) if (p.version[i] === v && p.life[i] === Life.Ready && now - p.lifeChanged[i] >= minReady) k++;
    return k;
  }

  /** Instances of version v that exist at all (draining ones too): Recreate waits for none of the old. */
  existing(v: number): number {
    const p = this.pool;
    let k = 0;
    for (let i = 0; i < p.n; i++) if (p.version[i] === v && p.life[i] !== Life.Gone) k++;
    return k;
  }

  /** Versions other than the target that still want or have instances. */
  olds(): number[] {
    const out: number[] = [];
    for (let v = 0; v < this.pool.want.length; v++) if (v !== this.to && (this.pool.want[v] > 0 || this.pool.activeOf(v) > 0)) out.push(v);
    return out;
  }
}

/** CONTROL sub-kind of rollout timers (./timeline.ts numbers the others). */
export const ROLLOUT_SUB = 3;
