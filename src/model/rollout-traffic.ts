// Releases that move traffic rather than replace instances one by one.
//
// Blue-green, as the Saler guide's nginx does it (system-scaling-guide.md: `upstream saler_blue`,
// `upstream saler_green`, `map $cookie_deployment_version $active_upstream`): the new version's
// fleet is brought up in full beside the old one and gets no traffic; when all of it is ready,
// nginx is switched to it at once (a reload: requests in flight on the old fleet finish there);
// the old fleet is kept `keepOld` seconds, so that an abort rule tripping on the new version's
// figures can switch back, and is then drained.
//
// Canary: the new version's share rises in steps — ceil(weight × replicas) of the replicas run
// the new version, the rest the old (Argo Rollouts' canary without a traffic router, where the
// weight is reached by the replica counts: traffic then follows the balancer's share per
// instance). After each step's pause the abort rule reads the new version's own figures over
// the step (error rate, p99 at the pool, once `minRequests` were served); tripping it returns
// every replica to the old version; the last step promotes the new one to all replicas.
import type { Strategy } from '../scenario/types.ts';
import { Rollout, fmtSeconds } from './rollout.ts';

type BlueGreen = Extract<Strategy, { kind: 'blueGreen' }>;
type Canary = Extract<Strategy, { kind: 'canary' }>;

export class BlueGreenRollout extends Rollout {
  private switched = false;
  private switchedAt = -1;

  private get bg(): BlueGreen {
    return this.strategy as BlueGreen;
  }

  start(): void {
    const p = this.pool, to = this.to;
    while (p.want.length <= to) p.want.push(0);
    p.route(to, false); // green waits unrouted
    p.want[to] = p.desired;
    this.log('release', `blue-green: bringing up ${p.desired} ${this.release.version} instances beside ${p.versions.names[this.from]}`);
    p.reconcile();
    this.onChange();
  }

  onTimer(code: number): void {
    if (code === CHECK) this.check();
    else if (code === KEEP_OVER && this.switched && this.outcome === 'in progress') {
      const p = this.pool;
      for (let v = 0; v < p.want.length; v++) if (v !== this.to) p.want[v] = 0;
      p.reconcile();
      this.end('complete', `old fleet drained ${fmtSeconds(this.bg.keepOld)} after the switch`);
    }
  }

  protected step(): void {
    const p = this.pool;
    if (this.outcome !== 'in progress' || this.switched) return;
    if (this.available(this.to) < p.desired) return;
    // all of green ready: switch nginx at once
    this.switched = true;
    this.switchedAt = this.now;
    p.versions.stats?.[this.to].resetWindow();
    p.route(this.to, true);
    for (let v = 0; v < p.want.length; v++) if (v !== this.to) p.route(v, false);
    p.versions.current = this.to;
    this.log('switch', `traffic switched to ${this.release.version}; the old fleet is kept ${fmtSeconds(this.bg.keepOld)}`);
    this.timer(this.bg.keepOld, KEEP_OVER);
    if (this.bg.abort !== null) this.timer(CHECK_EVERY, CHECK);
  }

  /** While the old fleet is kept: the abort rule on the new version's latest figures. */
  private check(): void {
    if (this.outcome !== 'in progress' || !this.switched) return;
    const why = this.judge(this.bg.abort, this.to);
    this.pool.versions.stats?.[this.to].resetWindow();
    if (why === null) {
      if (this.now + CHECK_EVERY < this.switchedAt + this.bg.keepOld) this.timer(CHECK_EVERY, CHECK);
      return;
    }
    const p = this.pool;
    p.route(this.from, true);
    p.route(this.to, false);
    p.versions.current = this.from;
    p.want[this.to] = 0;
    p.reconcile();
    this.end('rolled back', `switched back to ${p.versions.names[this.from]}: ${why}`);
  }
}

export class CanaryRollout extends Rollout {
  private stepIndex = -1;

  private get canary(): Canary {
    return this.strategy as Canary;
  }

  start(): void {
    const p = this.pool;
    while (p.want.length <= this.to) p.want.push(0);
    this.log('release', `canary in ${this.canary.steps.length} steps (${this.canary.steps.map((s) => `${Math.round(s.weight * 100)}%`).join(', ')}, then 100%)`);
    this.nextStep();
  }

  protected step(): void {
    // replica counts follow `want`; the pool's own reconciliation does the rest
  }

  onTimer(code: number): void {
    if (code !== STEP_OVER || this.outcome !== 'in progress') return;
    const why = this.judge(this.canary.abort, this.to);
    if (why !== null) {
      const p = this.pool;
      p.want[this.from] = p.desired;
      p.want[this.to] = 0;
      p.versions.current = this.from;
      p.reconcile();
      this.end('aborted', `canary aborted at ${Math.round(this.canary.steps[this.stepIndex].weight * 100)}%: ${why}`);
      return;
    }
    this.nextStep();
  }

  private nextStep(): void {
    const p = this.pool, steps = this.canary.steps, D = p.desired;
    this.stepIndex++;
    p.versions.stats?.[this.to].resetWindow();
    if (this.stepIndex >= steps.length) {
      p.versions.current = this.to;
      p.want[this.to] = D;
      for (let v = 0; v < p.want.length; v++) if (v !== this.to) p.want[v] = 0;
      p.reconcile();
      this.end('complete', `promoted to all ${D} replicas`);
      return;
    }
    const step = steps[this.stepIndex];
    const canary = Math.min(D, Math.ceil(step.weight * D));
    p.want[this.to] = canary;
    p.want[this.from] = D - canary;
    p.reconcile();
    this.log('step', `${Math.round(step.weight * 100)}%: ${canary} of ${D} replicas on ${this.release.version} for ${fmtSeconds(step.pause)}`);
    this.timer(step.pause, STEP_OVER);
  }
}

const CHECK = 0;
const KEEP_OVER = 1;
const STEP_OVER = 0;
/** How often a kept-old blue-green fleet's abort rule is judged, s. */
const CHECK_EVERY = 10;
