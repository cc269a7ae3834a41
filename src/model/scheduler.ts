// kube-scheduler's part: a pod goes to a Ready node where its requests fit (the NodeResourcesFit
// filter: requested + this pod ≤ allocatable, CPU and memory), chosen by the plugin's score —
// LeastAllocated (the default: the node left with the most free, spreading pods) or MostAllocated
// (the node left fullest: bin-packing, the setting that pairs with the Cluster Autoscaler). Ties go
// to the first node. A pod that fits nowhere stays Pending, in the order it came.
import type { NodesConfig } from '../scenario/types.ts';
import { NodeLife, PodState, type Nodes, type Pods } from './cluster-state.ts';

export class Scheduler {
  /** Pending pods, oldest first. */
  readonly pending: number[] = [];
  private readonly most: boolean;

  constructor(
    cfg: NodesConfig,
    private readonly nodes: Nodes,
    private readonly pods: Pods,
    /** Per pool component index: may its pods go to node pool g? (allowed[pool][g] === 1) */
    private readonly allowed: Uint8Array[],
  ) {
    this.most = cfg.scoring === 'MostAllocated';
  }

  /** The node pod p goes to now, or −1 when it fits on none. */
  pick(p: number): number {
    const nodes = this.nodes, pods = this.pods, ok = this.allowed[pods.pool[p]];
    const c = pods.cpuRequest[p], m = pods.memRequest[p];
    let best = -1, bestScore = -Infinity;
    for (let n = 0; n < nodes.n; n++) {
      if (nodes.life[n] !== NodeLife.Ready || ok[nodes.group[n]] !== 1) continue;
      const cpuAfter = nodes.cpuRequested[n] + c, memAfter = nodes.memRequested[n] + m;
      if (cpuAfter > nodes.cpu[n] || memAfter > nodes.memory[n]) continue;
      const used = (cpuAfter / nodes.cpu[n] + memAfter / nodes.memory[n]) / 2;
      const score = this.most ? used : 1 - used;
      if (score > bestScore) {
        best = n;
        bestScore = score;
      }
    }
    return best;
  }

  /** Puts pod p on node n: its requests count against the node. */
  bind(p: number, n: number): void {
    const nodes = this.nodes, pods = this.pods;
    pods.state[p] = PodState.Bound;
    pods.node[p] = n;
    nodes.cpuRequested[n] += pods.cpuRequest[p];
    nodes.memRequested[n] += pods.memRequest[p];
    nodes.pods[n].push(p);
  }

  /** Takes pod p off its node. */
  unbind(p: number): void {
    const nodes = this.nodes, pods = this.pods, n = pods.node[p];
    nodes.cpuRequested[n] -= pods.cpuRequest[p];
    nodes.memRequested[n] -= pods.memRequest[p];
    const on = nodes.pods[n];
    on.splice(on.indexOf(p), 1);
    pods.node[p] = -1;
  }

  /** Places the pending pods that fit now, oldest first; calls `placed` for each. */
  drain(placed: (p: number, n: number) => void): void {
    let kept = 0;
    for (let i = 0; i < this.pending.length; i++) {
      const p = this.pending[i], n = this.pick(p);
      if (n < 0) this.pending[kept++] = p;
      else {
        this.bind(p, n);
        placed(p, n);
      }
    }
    this.pending.length = kept;
  }

  forget(p: number): void {
    const i = this.pending.indexOf(p);
    if (i >= 0) this.pending.splice(i, 1);
  }
}
