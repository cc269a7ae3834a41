// A liveness check on each ready instance: Docker's HEALTHCHECK (interval, timeout, retries,
// start_period; the daemon runs the next check `interval` after the previous one ended) or a
// pod's livenessProbe (periodSeconds, timeoutSeconds, failureThreshold, initialDelaySeconds; the
// kubelet's prober worker runs them one after another the same way). `retries` failures in a row
// kill the process as unhealthy — under Swarm the task fails and is replaced, under Kubernetes the
// container restarts — and the restart policy takes over (./lifecycle.ts crash).
//
// The check is a request to the instance like any other (the application's /health handler takes
// no time of its own, but it waits for a worker behind the requests already queued), so an
// overloaded instance fails its checks: the mechanism behind a slow release failing and being
// rolled back, and behind overload cascades when a check kills busy instances. A check counts in
// the pool's own figures as /health requests do in an application's metrics; it never reaches the
// run's end-to-end totals. Checks start when the instance first becomes ready (its start-up is the
// pool's bootTime + readinessDelay); failures within `startPeriod` of the process start do not count.
import type { HealthCheck } from '../scenario/types.ts';
import { Life } from './fleet.ts';
import { OK } from './counters.ts';
import type { RunContext } from './component.ts';
import { PROBE, PROBE_TIMEOUT, type Lifecycle } from './lifecycle.ts';
import { grown } from '../sim/grown.ts';

interface Probed extends Lifecycle {
  offer(s: number, inst: number, via: number, handle: number): boolean;
}

export class HealthChecker {
  private slot = new Int32Array(8).fill(-1); // per instance: the check in flight, −1 none
  private sentAt = new Float64Array(8);
  private nextAt = new Float64Array(8); // per instance: when its next check is due (a PROBE for another time is stale)
  private fails = new Int32Array(8); // consecutive failures
  /** Checks made and failed over the run (the pool's summary). */
  checks = 0;
  failures = 0;
  kills = 0;

  constructor(private readonly pool: Probed, readonly cfg: HealthCheck, private readonly run: RunContext) {}

  /** The instance became ready: checks begin `interval` from now. */
  begin(inst: number, now: number): void {
    this.fit(inst);
    this.slot[inst] = -1;
    this.fails[inst] = 0;
    this.schedule(inst, now + this.cfg.interval);
  }

  private schedule(inst: number, at: number): void {
    this.nextAt[inst] = at;
    this.pool.timer(at, PROBE, inst);
  }

  /** PROBE: send a check, unless the instance is no longer ready (its checks resume when it is again). */
  probe(inst: number): void {
    const p = this.pool, run = this.run, now = run.now, req = run.req;
    if (p.life[inst] !== Life.Ready || this.slot[inst] >= 0 || this.nextAt[inst] !== now) return;
    const s = req.alloc();
    req.born[s] = now;
    req.cls[s] = run.probeClass;
    req.client[s] = 0;
    this.checks++;
    this.sentAt[inst] = now;
    if (!p.offer(s, inst, p.index, inst)) {
      req.release(s); // refused: a failed check at once
      this.result(inst, false, now);
      return;
    }
    this.slot[inst] = s;
    p.timer(now + this.cfg.timeout, PROBE_TIMEOUT, inst);
  }

  /** PROBE_TIMEOUT: the check in flight ran out of time (it stays queued; its answer is ignored). */
  timedOut(inst: number): void {
    const now = this.run.now;
    if (this.slot[inst] < 0 || this.sentAt[inst] + this.cfg.timeout !== now) return;
    this.slot[inst] = -1;
    this.result(inst, false, now);
  }

  /** A check's visit ended (its answer, or killed with the instance); true: it was a check, and is consumed here. */
  onReturn(s: number, cause: number): boolean {
    const req = this.run.req, inst = req.handle[s], now = this.run.now;
    const current = this.slot[inst] === s;
    req.release(s);
    if (!current) return true; // timed out already, or a copy of one lost with its instance
    this.slot[inst] = -1;
    if (this.pool.life[inst] === Life.Ready) this.result(inst, cause === OK, now);
    return true;
  }

  private result(inst: number, ok: boolean, now: number): void {
    const p = this.pool;
    if (ok) this.fails[inst] = 0;
    else {
      this.failures++;
      // Failures while the process is within its start period do not count (Docker's start_period);
      // the process started readinessDelay before it became ready.
      if (now - p.lifeChanged[inst] + p.cfg.readinessDelay >= this.cfg.startPeriod) this.fails[inst]++;
      if (this.fails[inst] >= this.cfg.retries) {
        this.kills++;
        this.fails[inst] = 0;
        p.crash(inst, `unhealthy: ${this.cfg.retries} health checks failed in a row`);
        return;
      }
    }
    if (p.life[inst] === Life.Ready) this.schedule(inst, now + this.cfg.interval);
  }

  private fit(inst: number): void {
    if (inst < this.slot.length) return;
    let cap = this.slot.length;
    while (cap <= inst) cap *= 2;
    this.slot = grown(this.slot, cap, -1);
    this.sentAt = grown(this.sentAt, cap);
    this.nextAt = grown(this.nextAt, cap);
    this.fails = grown(this.fails, cap);
  }
}
