// A pool's Vertical Pod Autoscaler at run time (its decisions: src/autoscale/vpa-*.ts). Every
// recommender interval (1 min) each running pod's CPU use over the last interval — what its cgroup
// got, as cAdvisor reports it (./cpu-share.ts) — is a sample weighted by its request; the
// recommendation follows. Every updater interval (1 min), in Recreate or Auto mode, pods whose
// request is outside [lowerBound, upperBound] (or, after 12 h, 10 % off the target) are evicted,
// scale-ups first, within the eviction budget; the ReplicaSet recreates each at once, and the
// admission controller gives every new pod (Initial too) the target as its request — and the limit
// in proportion (RequestsAndLimits). A bigger pod may not fit: it waits for a node as any pod does.
import type { PoolSize } from '../scenario/types.ts';
import type { PolicyFigure, VerticalSummary } from '../stats/results.ts';
import { CpuAggregate, recommendCpu, type CpuRecommendation } from '../autoscale/vpa-recommender.ts';
import { VPA_UPDATER_DEFAULTS, byPriority, evictionBudget, updatePriority, wantsUpdate, type PodPriority } from '../autoscale/vpa-updater.ts';
import type { VpaPolicy } from '../autoscale/vpa-parse.ts';
import { Life } from './fleet.ts';
import { CONTROL, type Lifecycle } from './lifecycle.ts';
import { grown } from '../sim/grown.ts';

/** CONTROL sub-kind of the VPA's loops (./timeline.ts numbers the others). */
export const VERTICAL_SUB = 4;
const RECOMMENDER_INTERVAL = 60; // s, --recommender-interval 1m

export class VerticalScaler {
  readonly aggregate = new CpuAggregate();
  recommendation: CpuRecommendation | null = null;
  evictions = 0;
  private lastCpu = new Float64Array(8).fill(NaN);
  private lastAt = new Float64Array(8);
  /** Sizes the admission controller gave, per instance (absent: its version's). */
  private readonly admitted: Array<PoolSize | undefined> = [];

  constructor(private readonly pool: Lifecycle, readonly policy: VpaPolicy) {}

  start(): void {
    this.pool.timer(RECOMMENDER_INTERVAL, CONTROL, VERTICAL_SUB);
  }

  /** The instance's size as the admission controller set it, or undefined. */
  sizeOf(inst: number): PoolSize | undefined {
    return this.admitted[inst];
  }

  /** A new pod: Initial, Recreate and Auto give it the recommendation (once there is one). */
  admit(inst: number, base: PoolSize): void {
    const r = this.recommendation;
    if (r === null || this.policy.updateMode === 'Off') return;
    const limit = this.policy.controlledValues === 'RequestsAndLimits' ? Math.trunc((r.target * base.cpuLimit) / base.cpuRequest) : Math.max(base.cpuLimit, r.target);
    this.admitted[inst] = { ...base, cpuRequest: r.target, cpuLimit: limit };
  }

  /** The recommender's loop, then the updater's (both every minute). */
  onTimer(): void {
    const p = this.pool, now = p.clock;
    this.sample(now);
    // No sample yet, no recommendation (the recommender keeps no state for a container it never saw), and nothing to act on.
    if (this.aggregate.totalSamples > 0) this.recommendation = recommendCpu(this.aggregate, this.policy.cpu);
    if (this.recommendation !== null && (this.policy.updateMode === 'Recreate' || this.policy.updateMode === 'Auto')) this.update(now);
    p.timer(now + RECOMMENDER_INTERVAL, CONTROL, VERTICAL_SUB);
  }

  /** Each running pod's CPU over the interval since its last sample (cores), weighted by its request. */
  private sample(now: number): void {
    const p = this.pool;
    if (this.lastCpu.length < p.n) this.grow(p.n);
    for (let i = 0; i < p.n; i++) {
      if (p.life[i] !== Life.Ready) { this.lastCpu[i] = NaN; continue; }
      const used = p.cpuSeconds(i), prev = this.lastCpu[i], since = this.lastAt[i];
      this.lastCpu[i] = used;
      this.lastAt[i] = now;
      if (Number.isNaN(prev) || used < prev || now <= since) continue;
      this.aggregate.addSample((used - prev) / (now - since) / 1000, p.sizeOf(i).cpuRequest / 1000, since);
    }
  }

  /** The updater: evict the pods out of range, scale-ups first, within the budget. */
  private update(now: number): void {
    const p = this.pool, r = this.recommendation!;
    let running = 0;
    const due: Array<{ inst: number; prio: PodPriority }> = [];
    for (let i = 0; i < p.n; i++) {
      if (p.life[i] !== Life.Ready) continue;
      running++;
      const prio = updatePriority([{ request: p.sizeOf(i).cpuRequest, target: r.target, lowerBound: r.lowerBound, upperBound: r.upperBound }]);
      if (wantsUpdate(prio, now - p.created[i])) due.push({ inst: i, prio });
    }
    if (due.length === 0) return;
    const budget = evictionBudget(p.desired, running, { ...VPA_UPDATER_DEFAULTS, minReplicas: this.policy.minReplicas ?? VPA_UPDATER_DEFAULTS.minReplicas });
    due.sort((a, b) => byPriority(a.prio, b.prio) || a.inst - b.inst);
    for (const { inst } of due.slice(0, budget)) {
      const req = p.sizeOf(inst).cpuRequest;
      p.record('vpa-evict', `${p.cfg.name}-${inst}: request ${req}m outside [${r.lowerBound}m, ${r.upperBound}m]; recreated at ${r.target}m`);
      this.evictions++;
      p.drain(inst);
      p.reconcile(); // the ReplicaSet replaces it at once (the admission controller sizes the new pod)
    }
  }

  private grow(n: number): void {
    const cap = Math.max(n, this.lastCpu.length * 2);
    this.lastCpu = grown(this.lastCpu, cap, NaN);
    this.lastAt = grown(this.lastAt, cap);
  }

  /** Series cells (sample and hold): the pods' mean request and the recommendation, millicores. */
  figures(): PolicyFigure[] {
    const r = this.recommendation, p = this.pool;
    let sum = 0, k = 0;
    for (let i = 0; i < p.n; i++) if (p.life[i] === Life.Ready) { sum += p.sizeOf(i).cpuRequest; k++; }
    const metric = 'vpa cpu request';
    const value = k > 0 ? sum / k : null;
    if (r === null) return [];
    return [
      { metric, threshold: 'target', op: 'target', value, target: r.target, unit: 'm' },
      { metric, threshold: 'lowerBound', op: '>=', value, target: r.lowerBound, unit: 'm' },
      { metric, threshold: 'upperBound', op: '<=', value, target: r.upperBound, unit: 'm' },
    ];
  }

  summary(): VerticalSummary {
    return {
      updateMode: this.policy.updateMode,
      recommendation: this.recommendation,
      samples: this.aggregate.totalSamples,
      evictions: this.evictions,
    };
  }
}
