// The Cluster Autoscaler's loop, every scan interval (its FAQ, "How does scale-up work?" and "How
// does scale-down work?"):
// - scale-up: pods the scheduler left Pending, less those that fit on nodes already booting, are
//   bin-packed (first fit) onto new nodes of the first node pool that can take them and is below
//   its max (the expander: node pools in file order); those nodes boot and the scheduler places
//   the pods once they are Ready.
// - scale-down: a Ready node whose requests (CPU or memory, the larger share) are below the
//   utilisation threshold, whose pods all fit elsewhere, and whose pool is above its min, is
//   unneeded; unneeded for scaleDownUnneededTime, it is removed — empty ones up to
//   maxEmptyBulkDelete at once, one with pods per scan, its pods evicted (their pools drain them
//   and launch replacements, which the scheduler places on the other nodes). No scale-down for
//   scaleDownDelayAfterAdd after a scale-up.
import type { ClusterAutoscalerConfig, NodePoolConfig } from '../scenario/types.ts';
import { NodeLife, type Nodes, type Pods } from './cluster-state.ts';

export interface ClusterActions {
  /** Adds `count` booting nodes of node pool `group`. */
  addNodes(group: number, count: number, reason: string): void;
  /** Starts removing node n (its pods are evicted). */
  removeNode(n: number, reason: string): void;
}

export class ClusterAutoscaler {
  private lastScaleUp = -Infinity;

  constructor(
    private readonly cfg: ClusterAutoscalerConfig,
    private readonly groups: readonly NodePoolConfig[],
    private readonly nodes: Nodes,
    private readonly pods: Pods,
    private readonly allowed: Uint8Array[],
    private readonly act: ClusterActions,
  ) {}

  scan(now: number, pending: readonly number[]): void {
    if (pending.length > 0) this.scaleUp(now, pending);
    if (now - this.lastScaleUp >= this.cfg.scaleDownDelayAfterAdd) this.scaleDown(now);
  }

  private scaleUp(now: number, pending: readonly number[]): void {
    const nodes = this.nodes, pods = this.pods;
    // Room on nodes still booting: pods that will fit there when they are Ready ask for nothing more.
    const room: Bin[] = [];
    for (let n = 0; n < nodes.n; n++) {
      if (nodes.life[n] === NodeLife.Booting) room.push({ group: nodes.group[n], cpu: nodes.cpu[n] - nodes.cpuRequested[n], mem: nodes.memory[n] - nodes.memRequested[n] });
    }
    const left = pending.filter((p) => !firstFit(room, this.allowed[pods.pool[p]], pods.cpuRequest[p], pods.memRequest[p]));
    if (left.length === 0) return;
    for (let g = 0; g < this.groups.length; g++) {
      const grp = this.groups[g], headroom = grp.max - nodes.countOf(g);
      if (headroom <= 0) continue;
      const bins: Bin[] = [];
      for (const p of left) {
        if (this.allowed[pods.pool[p]][g] !== 1) continue;
        const c = pods.cpuRequest[p], m = pods.memRequest[p];
        if (firstFit(bins, null, c, m)) continue;
        if (bins.length < headroom && c <= grp.cpu && m <= grp.memory) bins.push({ group: g, cpu: grp.cpu - c, mem: grp.memory - m });
      }
      if (bins.length === 0) continue;
      this.lastScaleUp = now;
      this.act.addNodes(g, bins.length, `${left.length} pod${left.length === 1 ? '' : 's'} pending`);
      return; // one node pool per loop, as the CA expands one option per iteration
    }
  }

  private scaleDown(now: number): void {
    const nodes = this.nodes, cfg = this.cfg;
    const counts = this.groups.map((_, g) => nodes.countOf(g));
    let empties = 0, busy = 0;
    for (let n = 0; n < nodes.n; n++) {
      if (nodes.life[n] !== NodeLife.Ready) continue;
      const g = nodes.group[n];
      const unneeded = counts[g] > this.groups[g].min && nodes.utilisation(n) < cfg.scaleDownUtilizationThreshold && this.podsFitElsewhere(n);
      if (!unneeded) {
        nodes.unneededSince[n] = -1;
        continue;
      }
      if (nodes.unneededSince[n] < 0) nodes.unneededSince[n] = now;
      if (now - nodes.unneededSince[n] < cfg.scaleDownUnneededTime) continue;
      const empty = nodes.pods[n].length === 0;
      if (empty ? empties >= cfg.maxEmptyBulkDelete : busy >= 1) continue;
      if (empty) empties++;
      else busy++;
      counts[g]--;
      const pct = Math.round(nodes.utilisation(n) * 100);
      this.act.removeNode(n, `unneeded for ${Math.round(now - nodes.unneededSince[n])} s at ${pct}% requested`);
    }
  }

  /** Would node n's pods all fit on the other Ready nodes (first fit on what they have left)? */
  private podsFitElsewhere(n: number): boolean {
    const nodes = this.nodes, pods = this.pods, on = nodes.pods[n];
    if (on.length === 0) return true;
    const room: Bin[] = [];
    for (let k = 0; k < nodes.n; k++) {
      if (k !== n && nodes.life[k] === NodeLife.Ready) room.push({ group: nodes.group[k], cpu: nodes.cpu[k] - nodes.cpuRequested[k], mem: nodes.memory[k] - nodes.memRequested[k] });
    }
    return on.every((p) => firstFit(room, this.allowed[pods.pool[p]], pods.cpuRequest[p], pods.memRequest[p]));
  }
}

interface Bin { group: number; cpu: number; mem: number }

/** Takes (cpu, mem) from the first bin it fits in (of an allowed group); false when none. */
function firstFit(bins: Bin[], allowed: Uint8Array | null, cpu: number, mem: number): boolean {
  for (const b of bins) {
    if ((allowed === null || allowed[b.group] === 1) && b.cpu >= cpu && b.mem >= mem) {
      b.cpu -= cpu;
      b.mem -= mem;
      return true;
    }
  }
  return false;
}
