// `nodes:` at run time: the machines pools' pods run on. A pool instance is a pod: the scheduler
// (./scheduler.ts) binds it to a node its requests fit on, or it stays Pending; the Cluster
// Autoscaler (./cluster-autoscaler.ts) adds nodes for pending pods and removes unneeded ones; pods
// on a node share its cores (./cpu-share.ts), so a request's departure is this cluster's timer, not
// the pool's own event. Timers come here as to a component (the run gives the cluster the timer
// index after its components). Without `nodes:` none of this exists and pools run as before.
import type { ComponentConfig, NodesConfig, PoolConfig, PoolSize } from '../scenario/types.ts';
import type { SeriesRow } from '../stats/results.ts';
import type { NodesSummary } from '../stats/nodes-summary.ts';
import { TimeWeighted } from '../stats/time-weighted.ts';
import { TIMER, timerArg, type RunContext } from './component.ts';
import { Counters } from './counters.ts';
import { intervalRow } from './series.ts';
import { NodeLife, Nodes, PodState, Pods } from './cluster-state.ts';
import { CpuShare, DEPART } from './cpu-share.ts';
import { Scheduler } from './scheduler.ts';
import { ClusterAutoscaler, type ClusterActions } from './cluster-autoscaler.ts';

const NODE_READY = 1; // x = node: booted, it takes pods
const SCAN = 2; // the autoscaler's loop

/** What the cluster asks of a pool whose instances are its pods (./lifecycle.ts). */
export interface PlacedPool {
  readonly index: number;
  readonly cfg: PoolConfig;
  /** The scheduler bound instance inst's pod to a node after it waited: its container starts. */
  placed(inst: number): void;
  /** Its node is being removed: drain the instance and launch a replacement. */
  evict(inst: number): void;
  /** Request s's service is done (its departure). */
  finish(s: number): void;
  /** Request s's worker died with its pod: its departure now, which only frees the slot. */
  departNow(s: number): void;
  /** The size instance inst's pod asks for (its version's: a resize's pods ask for theirs). */
  sizeOf(inst: number): PoolSize;
}

export class Cluster implements ClusterActions {
  readonly nodes: Nodes;
  readonly pods = new Pods();
  private readonly share: CpuShare;
  private readonly scheduler: Scheduler;
  private readonly autoscaler: ClusterAutoscaler;
  /** Per pool component index: the pool (null: not on nodes), which node pools it may use, pod per instance. */
  private readonly pools: Array<PlacedPool | null> = [];
  private readonly allowed: Uint8Array[] = [];
  private podOf: Int32Array[] = [];
  readonly counters = new Counters(); // a series row's request columns: none pass through nodes
  private readonly pendingTw = new TimeWeighted(0);
  private waited = 0;
  private waitSum = 0;
  private waitMax = 0;
  private scaleUps = 0;
  private scaleDowns = 0;

  constructor(readonly cfg: NodesConfig, components: readonly ComponentConfig[], private readonly run: RunContext, readonly index: number) {
    this.nodes = new Nodes(cfg.pools);
    components.forEach((c, i) => {
      if (c.kind !== 'pool') return;
      const on = c.nodePool !== 'none';
      this.allowed[i] = Uint8Array.from(cfg.pools, (g) => (on && (c.nodePool === undefined || c.nodePool === g.name) ? 1 : 0));
    });
    this.share = new CpuShare(this.nodes, this.pods, run, index);
    this.scheduler = new Scheduler(cfg, this.nodes, this.pods, this.allowed);
    this.autoscaler = new ClusterAutoscaler(cfg.autoscaler, cfg.pools, this.nodes, this.pods, this.allowed, this);
    cfg.pools.forEach((g, i) => { for (let k = 0; k < g.count; k++) this.nodes.add(i, NodeLife.Ready, 0); });
  }

  /** A pool registers; true when its instances are pods on these nodes. */
  attach(pool: PlacedPool): boolean {
    const ok = this.allowed[pool.index]?.some((a) => a === 1) ?? false;
    this.pools[pool.index] = ok ? pool : null;
    if (ok) this.podOf[pool.index] = new Int32Array(8).fill(-1);
    return ok;
  }

  start(): void {
    if (this.cfg.pools.some((g) => g.max > g.min)) this.timer(this.cfg.autoscaler.scanInterval, SCAN, 0);
  }

  // ---- pods: what a pool asks ----

  /** Instance inst of pool `pool` needs a node: true when bound at once, false when Pending. */
  request(pool: number, inst: number): boolean {
    const owner = this.pools[pool]!, cfg = owner.cfg, size = owner.sizeOf(inst), pods = this.pods, now = this.run.now;
    const p = pods.alloc(size.workers);
    pods.state[p] = PodState.Pending;
    pods.pool[p] = pool;
    pods.inst[p] = inst;
    pods.cpuRequest[p] = size.cpuRequest;
    pods.memRequest[p] = size.memoryRequest;
    pods.limit[p] = size.cpuLimit;
    // What a busy worker burns is the app's, not the pod's: a resized pod's workers burn as the pool's
    // first size's did, so a lower limit throttles them (CFS) and a higher one stops throttling.
    pods.perWorker[p] = cfg.cpuPerWorker ?? cfg.cpuLimit / cfg.workers;
    pods.since[p] = pods.last[p] = now;
    let map = this.podOf[pool];
    if (inst >= map.length) {
      const grown = new Int32Array(Math.max(inst + 1, map.length * 2)).fill(-1);
      grown.set(map);
      map = this.podOf[pool] = grown;
    }
    map[inst] = p;
    const n = this.scheduler.pick(p);
    if (n >= 0) {
      this.scheduler.bind(p, n);
      return true;
    }
    this.scheduler.pending.push(p);
    this.pendingTw.add(now, 1);
    return false;
  }

  /** Instance inst is gone: its pod leaves its node (or the pending queue), and pending pods may fit now. */
  release(pool: number, inst: number): void {
    const map = this.podOf[pool], p = map[inst];
    if (p < 0) return;
    map[inst] = -1;
    const pods = this.pods, now = this.run.now;
    if (pods.state[p] === PodState.Pending) {
      this.scheduler.forget(p);
      this.pendingTw.add(now, -1);
    } else if (pods.state[p] === PodState.Bound) {
      this.abort(pool, inst);
      const n = pods.node[p];
      this.scheduler.unbind(p);
      if (this.nodes.life[n] === NodeLife.Deleting && this.nodes.pods[n].length === 0) this.gone(n);
    }
    pods.release(p);
    if (this.scheduler.pending.length > 0) this.placePending();
  }

  /** Request s starts on instance inst and needs `work` seconds of a worker at full speed. */
  begin(pool: number, inst: number, s: number, work: number): void {
    const p = this.podOf[pool][inst];
    const pods = this.pods;
    if (pods.count[p] === pods.slots[p].length) {
      // More in service than workers (a restart raced a departure): make room, off the usual path.
      const slots = new Int32Array(pods.slots[p].length * 2), tags = new Float64Array(slots.length);
      slots.set(pods.slots[p]);
      tags.set(pods.tags[p]);
      pods.slots[p] = slots;
      pods.tags[p] = tags;
    }
    this.share.begin(p, s, work);
  }

  /** Instance inst's process died: the requests its pod was serving free their slots now. */
  abort(pool: number, inst: number): void {
    const p = this.podOf[pool][inst];
    if (p < 0 || this.pods.state[p] !== PodState.Bound || this.pods.count[p] === 0) return;
    const owner = this.pools[pool]!;
    this.share.abort(p, (s) => owner.departNow(s));
  }

  /** Millicore-seconds instance inst's pod has used up to now (0 while pending). */
  cpuSeconds(pool: number, inst: number): number {
    const p = this.podOf[pool][inst];
    if (p < 0 || this.pods.state[p] !== PodState.Bound) return 0;
    this.share.touch(p);
    return this.pods.cpuSeconds[p];
  }

  // ---- nodes: what the autoscaler does ----

  addNodes(group: number, count: number, reason: string): void {
    const now = this.run.now, g = this.cfg.pools[group];
    for (let k = 0; k < count; k++) this.timer(now + g.bootTime, NODE_READY, this.nodes.add(group, NodeLife.Booting, now));
    this.scaleUps++;
    this.run.record({ time: now, component: 'nodes', kind: 'scale-up', detail: `${g.name}: +${count} ${g.instanceType} (${reason}); ready in ${g.bootTime} s` });
  }

  removeNode(n: number, reason: string): void {
    const nodes = this.nodes, now = this.run.now, g = nodes.group[n];
    nodes.life[n] = NodeLife.Deleting;
    nodes.ready[g].add(now, -1);
    this.scaleDowns++;
    const on = [...nodes.pods[n]];
    this.run.record({ time: now, component: 'nodes', kind: 'scale-down', detail: `${this.cfg.pools[g].name}: node ${n} removed (${reason}); ${on.length} pod${on.length === 1 ? '' : 's'} evicted` });
    if (on.length === 0) this.gone(n);
    for (const p of on) this.pools[this.pods.pool[p]]!.evict(this.pods.inst[p]);
  }

  private gone(n: number): void {
    this.nodes.life[n] = NodeLife.Gone;
    this.nodes.existing[this.nodes.group[n]].add(this.run.now, -1);
  }

  private placePending(): void {
    const now = this.run.now, pods = this.pods;
    this.scheduler.drain((p) => {
      this.pendingTw.add(now, -1);
      const waited = now - pods.since[p];
      this.waited++;
      this.waitSum += waited;
      if (waited > this.waitMax) this.waitMax = waited;
      this.pools[pods.pool[p]]!.placed(pods.inst[p]);
    });
  }

  onTimer(code: number, x: number): void {
    const now = this.run.now;
    if (code === DEPART) {
      const s = this.share.depart(x);
      if (s >= 0) this.pools[this.pods.pool[x]]!.finish(s);
    } else if (code === NODE_READY) {
      if (this.nodes.life[x] !== NodeLife.Booting) return;
      this.nodes.life[x] = NodeLife.Ready;
      this.nodes.ready[this.nodes.group[x]].add(now, 1);
      this.placePending();
    } else if (code === SCAN) {
      this.autoscaler.scan(now, this.scheduler.pending);
      this.timer(now + this.cfg.autoscaler.scanInterval, SCAN, 0);
    }
  }

  private timer(at: number, code: number, x: number): void {
    this.run.heap.push(at, TIMER + code, timerArg(this.index, x));
  }

  // ---- reports ----

  /** The series row `nodes`: nodes (ready, all, not leaving), CPU its pods' busy workers use, pods pending. */
  sample(now: number, dt: number): SeriesRow {
    const nodes = this.nodes;
    let cores = 0, billed = 0, ready = 0, kept = 0;
    for (let n = 0; n < nodes.n; n++) {
      const life = nodes.life[n];
      if (life === NodeLife.Gone) continue;
      billed++;
      if (life <= NodeLife.Ready) kept++;
      if (life !== NodeLife.Ready) continue;
      ready++;
      cores += nodes.cpu[n];
    }
    const used = this.share.used.windowMean(now);
    const row = intervalRow(now, 'nodes', dt, this.counters, null, this.scheduler.pending.length, this.pendingTw.windowMean(now));
    row.utilisation = cores > 0 ? used / cores : null; // the interval's mean CPU in use ÷ the cores ready at its end
    row.instances_desired = kept;
    row.instances_ready = ready;
    row.instances_total = billed;
    row.cost = this.billing(now).cost;
    return row;
  }

  billing(end: number): { nodeHours: number; cost: number } {
    let nodeHours = 0, cost = 0;
    this.cfg.pools.forEach((g, i) => {
      const h = this.nodes.existing[i].integral(end) / 3600;
      nodeHours += h;
      cost += h * g.pricePerHour;
    });
    return { nodeHours, cost };
  }

  summary(end: number): NodesSummary {
    const nodes = this.nodes, pools: NodesSummary['pools'] = {};
    this.cfg.pools.forEach((g, i) => {
      const hours = nodes.existing[i].integral(end) / 3600;
      pools[g.name] = {
        instanceType: g.instanceType, cpu: g.cpu, memory: g.memory, pricePerHour: g.pricePerHour,
        nodes: { start: g.count, peak: nodes.peak[i], mean: nodes.existing[i].mean(end), final: nodes.countOf(i) },
        nodeHours: hours, cost: hours * g.pricePerHour,
      };
    });
    return {
      scoring: this.cfg.scoring,
      pools,
      pending: {
        mean: this.pendingTw.mean(end), final: this.scheduler.pending.length,
        waited: this.waited, waitMean: this.waited > 0 ? this.waitSum / this.waited : 0, waitMax: this.waitMax,
      },
      scaleUps: this.scaleUps,
      scaleDowns: this.scaleDowns,
    };
  }
}
