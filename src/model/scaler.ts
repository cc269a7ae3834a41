// Between a pool and the decision engine: metrics scraped the way the real system gathers them
// (every scrape interval, averaged over a window, only from instances that exist — the window and
// the request figures are src/autoscale/metric-window.ts, shared with the live stack), turned into
// the engine's Observation at each of its sync periods. The engine itself never sees the
// simulator; src/autoscale/runner.ts carries its state and last decision from one sync to the next.
// CPU and memory are the model's: busy workers × cpuLimit / workers (on nodes: what the pod's cgroup
// got, ./cpu-share.ts), and the pool's memory model; requests and capacity are each instance's own
// size (a resize's instances report at theirs).
import {
  type InstanceObservation, type Observation, type PolicyConfig,
} from '../autoscale/index.ts';
import { CounterWindow, requestMetrics } from '../autoscale/metric-window.ts';
import { PolicyRunner, type ScalingDecision } from '../autoscale/runner.ts';
import { Life, type PoolRuntime } from './pool.ts';

export type { ScalingDecision };

// Cumulative counters scraped per instance, in this order.
const BUSY = 0, QUEUE = 1, SERVED = 2, FAILED = 3, RESP = 4, CPU = 5;

export class PoolScaler {
  readonly runner: PolicyRunner;
  private windows: CounterWindow[] = []; // per instance
  private latest: Array<Record<string, number> | null> = []; // last scraped metrics per instance

  constructor(readonly pool: PoolRuntime, readonly policy: PolicyConfig, now: number) {
    this.runner = new PolicyRunner(policy, pool.cfg.instances, now);
  }

  get period(): number { return this.runner.period; }
  /** The engine's last decision; the series holds it until the next one (sample and hold). */
  get last(): ScalingDecision | null { return this.runner.last; }

  /** Takes one scrape of every live instance. */
  scrape(now: number): void {
    const p = this.pool, cfg = p.cfg;
    for (let i = 0; i < p.n; i++) {
      if (p.life[i] === Life.Gone || p.life[i] === Life.Provisioning) { this.latest[i] = null; continue; }
      p.touch(i, now);
      const w = (this.windows[i] ??= new CounterWindow(cfg.metrics.window));
      // On nodes, millicore-seconds the pod used (NaN off nodes: then busy workers × cpuLimit / workers).
      const cpu = p.cpuSeconds(i);
      const got = w.push(now, [p.busyArea[i], p.queueArea[i], p.served[i], p.failed[i], p.respSum[i], cpu]);
      if (got === null) { this.latest[i] = null; continue; }
      const { seconds: dt, delta: d } = got;
      this.latest[i] = {
        cpu: Number.isNaN(cpu) ? (d[BUSY] / dt / p.workers[i]) * p.sizeOf(i).cpuLimit : d[CPU] / dt,
        memory: cfg.memory.base + cfg.memory.perRequest * (d[BUSY] / dt) + cfg.memory.perQueued * (d[QUEUE] / dt),
        ...requestMetrics(dt, d[SERVED], d[FAILED], d[RESP]),
      };
    }
  }

  observe(now: number): Observation {
    const p = this.pool, cfg = p.cfg;
    const instances: InstanceObservation[] = [];
    for (let i = 0; i < p.n; i++) {
      const life = p.life[i];
      if (life === Life.Gone) continue;
      const m = this.latest[i], size = p.sizeOf(i); // a resize's instances at their own size
      instances.push({
        id: `${cfg.name}-${i}`,
        phase: life === Life.Provisioning ? 'pending' : life === Life.Draining ? 'deleting' : 'running',
        ready: life === Life.Ready,
        startTime: p.created[i],
        readySince: p.lifeChanged[i],
        requests: { cpu: size.cpuRequest, memory: size.memoryRequest },
        // the machine: what AWS's CPUUtilization and psutil measure against (types.ts)
        capacity: { cpu: size.cpuLimit },
        metrics: m ? { ...m } : {},
      });
    }
    if (p.metricSources.length === 0) return { currentReplicas: p.desired, instances };
    const external: Record<string, number> = {};
    for (const src of p.metricSources) src.external(external, now);
    return { currentReplicas: p.desired, instances, external };
  }

  decide(now: number): ScalingDecision {
    return this.runner.decide(this.observe(now), now);
  }
}
