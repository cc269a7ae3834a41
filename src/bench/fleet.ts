// A pool's instance counts on the live stack, over the run's clock (bench s), in the simulator's
// terms (src/model/pool.ts): `existing` counts an instance from its launch (booting included, as
// it is billed) until its process is gone; `ready` while nginx sends it traffic; `desired` is what
// the policy last set. A pool nothing scales keeps its initial fleet throughout.
import type { ScalingDecision } from '../autoscale/runner.ts';
import { TimeWeighted } from '../stats/time-weighted.ts';

/** The counts at one moment, taken when a sample interval ends (the instances' reports arrive later). */
export interface FleetSnapshot {
  desired: number;
  ready: number;
  existing: number;
  /** ∫ ready instances dt and ∫ existing instances dt from the start, instance-seconds. */
  readySeconds: number;
  existingSeconds: number;
  decision: ScalingDecision | null;
}

export class Fleet {
  readonly existing = new TimeWeighted(0);
  readonly ready = new TimeWeighted(0);
  desired: number;
  low: number;
  high: number;
  /** The policy's last decision (held in the series until the next one); null when nothing scales the pool. */
  decision: ScalingDecision | null = null;

  constructor(initial: number) {
    this.existing.set(0, initial);
    this.ready.set(0, initial);
    this.desired = this.low = this.high = initial;
  }

  /** One more (or one fewer, with -1) instance existing from `now`. */
  exist(now: number, delta: 1 | -1): void {
    this.existing.add(now, delta);
    this.low = Math.min(this.low, this.existing.current);
    this.high = Math.max(this.high, this.existing.current);
  }

  readyChange(now: number, delta: 1 | -1): void {
    this.ready.add(now, delta);
  }

  snapshot(now: number): FleetSnapshot {
    return {
      desired: this.desired, ready: this.ready.current, existing: this.existing.current,
      readySeconds: this.ready.integral(now), existingSeconds: this.existing.integral(now), decision: this.decision,
    };
  }
}
