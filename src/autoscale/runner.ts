// A policy driven over time: the engine's state carried from one decision to the next, its last
// decision kept (what it compared with which threshold, what it wanted before min/max) so a time
// series can hold it until the next one, and how long the pool sat at its maximum wanting more.
// Whoever feeds it observations — the simulator (src/model/scaler.ts) or the live stack
// (src/bench/live-scaler.ts) — builds the Observation its own way; this part is the same for both.
import { bounds, decide, initialState, syncPeriod } from './index.ts';
import type { ObservedMetric, Observation, PolicyConfig, PolicyState } from './types.ts';

export interface ScalingDecision {
  desired: number;
  rule: string;
  reasons: string[];
  observed: ObservedMetric[];
  unclamped: number;
}

/** Time held at the maximum while the policy's wish was above it. */
export interface Pinned {
  seconds: number;
  /** start of the first such stretch */
  from: number;
  /** the largest wish, with what the policy saw at that decision */
  peakWanted: number;
  peakTime: number;
  peakObserved: ObservedMetric[];
}

/** What a run's summary says of the policy (src/stats/results.ts PoolAutoscaling has the same shape). */
export interface PolicyReport {
  policy: PolicyConfig['kind'];
  min: number;
  max: number;
  /** The last decision's figures. */
  figures: ObservedMetric[];
  pinnedAtMax: { seconds: number; from: number; peakWanted: number; peakTime: number; peakFigures: ObservedMetric[] } | null;
}

export class PolicyRunner {
  /** Seconds between two decisions of the real system. */
  readonly period: number;
  readonly min: number;
  readonly max: number;
  private state: PolicyState;
  /** The engine's last decision; a series holds it until the next one (sample and hold). */
  last: ScalingDecision | null = null;
  private lastTime = 0;
  private pinnedAcc: Pinned | null = null;

  constructor(readonly policy: PolicyConfig, replicas: number, now: number) {
    this.period = syncPeriod(policy);
    this.state = initialState(policy, replicas, now);
    ({ min: this.min, max: this.max } = bounds(policy));
    this.lastTime = now;
  }

  decide(obs: Observation, now: number): ScalingDecision {
    const d = decide(this.policy, this.state, obs, now);
    this.state = d.state;
    this.holdUntil(now);
    const out: ScalingDecision = { desired: d.desired, rule: d.rule, reasons: d.reasons, observed: d.observed, unclamped: d.unclamped };
    this.last = out;
    if (this.isPinned(out)) {
      const acc = (this.pinnedAcc ??= { seconds: 0, from: now, peakWanted: 0, peakTime: now, peakObserved: [] });
      if (out.unclamped > acc.peakWanted) Object.assign(acc, { peakWanted: out.unclamped, peakTime: now, peakObserved: out.observed });
    }
    return out;
  }

  /** Seconds at max with a wish above it, each decision counting until the next one (or `now`). */
  pinned(now: number): Pinned | null {
    this.holdUntil(now);
    return this.pinnedAcc && { ...this.pinnedAcc };
  }

  /** The policy, its bounds, its last figures and its time pinned at max, up to `now`. */
  report(now: number): PolicyReport {
    const p = this.pinned(now);
    return {
      policy: this.policy.kind, min: this.min, max: this.max, figures: this.last?.observed ?? [],
      pinnedAtMax: p && { seconds: p.seconds, from: p.from, peakWanted: p.peakWanted, peakTime: p.peakTime, peakFigures: p.peakObserved },
    };
  }

  private isPinned(d: ScalingDecision): boolean {
    return d.desired >= this.max && d.unclamped > this.max;
  }

  private holdUntil(now: number): void {
    if (this.last && this.pinnedAcc && this.isPinned(this.last)) this.pinnedAcc.seconds += now - this.lastTime;
    this.lastTime = now;
  }
}
