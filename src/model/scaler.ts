// Between a pool and the decision engine: metrics scraped the way the real system gathers them
// (every scrape interval, averaged over a window, only from instances that exist), turned into the
// engine's Observation at each of its sync periods. The engine itself never sees the simulator.
// It keeps the engine's last decision (what it compared with which threshold, what it wanted
// before min/max) for the time series, and how long the pool sat at its maximum wanting more.
import {
  bounds, decide, initialState, syncPeriod,
  type InstanceObservation, type Observation, type ObservedMetric, type PolicyConfig, type PolicyState,
} from '../autoscale/index.ts';
import { Life, type PoolRuntime } from './pool.ts';

interface Snapshot {
  time: number;
  busy: number;
  queue: number;
  served: number;
  failed: number;
  resp: number;
}

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

export class PoolScaler {
  readonly period: number;
  private state: PolicyState;
  private history: Snapshot[][] = []; // per instance, oldest first, covering the averaging window
  private latest: Array<Record<string, number> | null> = []; // last scraped metrics per instance
  readonly min: number;
  readonly max: number;
  /** The engine's last decision; the series holds it until the next one (sample and hold). */
  last: ScalingDecision | null = null;
  private lastTime = 0;
  private pinnedAcc: Pinned | null = null;

  constructor(readonly pool: PoolRuntime, readonly policy: PolicyConfig, now: number) {
    this.period = syncPeriod(policy);
    this.state = initialState(policy, pool.cfg.instances, now);
    ({ min: this.min, max: this.max } = bounds(policy));
  }

  /** Takes one scrape of every live instance. */
  scrape(now: number): void {
    const p = this.pool, cfg = p.cfg, window = cfg.metrics.window;
    for (let i = 0; i < p.n; i++) {
      if (p.life[i] === Life.Gone || p.life[i] === Life.Provisioning) { this.latest[i] = null; continue; }
      p.touch(i, now);
      const h = (this.history[i] ??= []);
      h.push({ time: now, busy: p.busyArea[i], queue: p.queueArea[i], served: p.served[i], failed: p.failed[i], resp: p.respSum[i] });
      while (h.length > 2 && h[1].time <= now - window) h.shift();
      const first = h[0], dt = now - first.time;
      if (dt <= 0) { this.latest[i] = null; continue; } // a first scrape has no rate yet, as with metrics-server
      const served = p.served[i] - first.served, failed = p.failed[i] - first.failed;
      const rate = served / dt;
      this.latest[i] = {
        cpu: ((p.busyArea[i] - first.busy) / dt / cfg.workers) * cfg.cpuLimit,
        memory: cfg.memory.base + cfg.memory.perRequest * ((p.busyArea[i] - first.busy) / dt) + cfg.memory.perQueued * ((p.queueArea[i] - first.queue) / dt),
        requestRate: rate,
        // The names a Prometheus adapter usually serves the same figure under (Pods metrics).
        http_requests_per_second: rate,
        requests_per_second: rate,
        responseTime: served > 0 ? (p.respSum[i] - first.resp) / served : 0,
        errorRate: served + failed > 0 ? failed / (served + failed) : 0,
      };
    }
  }

  observe(now: number): Observation {
    const p = this.pool, cfg = p.cfg;
    const instances: InstanceObservation[] = [];
    for (let i = 0; i < p.n; i++) {
      const life = p.life[i];
      if (life === Life.Gone) continue;
      const m = this.latest[i];
      instances.push({
        id: `${cfg.name}-${i}`,
        phase: life === Life.Provisioning ? 'pending' : life === Life.Draining ? 'deleting' : 'running',
        ready: life === Life.Ready,
        startTime: p.created[i],
        readySince: p.lifeChanged[i],
        requests: { cpu: cfg.cpuRequest, memory: cfg.memoryRequest },
        // the machine: what AWS's CPUUtilization and psutil measure against (types.ts)
        capacity: { cpu: cfg.cpuLimit },
        metrics: m ? { ...m } : {},
      });
    }
    if (p.metricSources.length === 0) return { currentReplicas: p.desired, instances };
    const external: Record<string, number> = {};
    for (const src of p.metricSources) src.external(external, now);
    return { currentReplicas: p.desired, instances, external };
  }

  decide(now: number): ScalingDecision {
    const d = decide(this.policy, this.state, this.observe(now), now);
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

  private isPinned(d: ScalingDecision): boolean {
    return d.desired >= this.max && d.unclamped > this.max;
  }

  private holdUntil(now: number): void {
    if (this.last && this.pinnedAcc && this.isPinned(this.last)) this.pinnedAcc.seconds += now - this.lastTime;
    this.lastTime = now;
  }
}
