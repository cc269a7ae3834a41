// The cluster's nodes and pods as struct-of-arrays (./cluster.ts runs them). A node has its
// capacity, what its pods have requested (the scheduler's view) and what their busy workers want
// of its cores right now (processor sharing's view, ./cpu-share.ts). A pod is one pool instance
// placed (or pending) on the nodes; its requests in service are kept in its own small lists so
// that their departures can be moved when the pod's speed changes.
import { TimeWeighted } from '../stats/time-weighted.ts';
import type { NodePoolConfig } from '../scenario/types.ts';
import { grown } from '../sim/grown.ts';

export const enum NodeLife { Booting = 0, Ready = 1, Deleting = 2, Gone = 3 }
export const enum PodState { Free = 0, Pending = 1, Bound = 2 }

export class Nodes {
  n = 0;
  group = new Int32Array(8); // index into the node pools
  life = new Uint8Array(8);
  cpu = new Float64Array(8); // millicores it offers pods
  /** Millicores its pods share: `cpu` less its background work (the node pool's backgroundCpu). */
  shared = new Float64Array(8);
  memory = new Float64Array(8); // bytes
  cpuRequested = new Float64Array(8);
  memRequested = new Float64Array(8);
  /** Σ over its pods of the CPU their busy workers want, each capped at its limit (millicores). */
  want = new Float64Array(8);
  /** Its shared cores ÷ `want` when that is more than it has, else 1: every pod on it runs this much slower. */
  factor = new Float64Array(8);
  unneededSince = new Float64Array(8);
  pods: number[][] = [];
  /** Per node pool: nodes billed (booting to gone), nodes ready. */
  readonly existing: TimeWeighted[];
  readonly ready: TimeWeighted[];
  readonly peak: number[];

  constructor(readonly groups: readonly NodePoolConfig[]) {
    this.existing = groups.map(() => new TimeWeighted(0));
    this.ready = groups.map(() => new TimeWeighted(0));
    this.peak = groups.map(() => 0);
  }

  add(group: number, life: NodeLife, now: number): number {
    if (this.n === this.life.length) this.grow();
    const i = this.n++, g = this.groups[group];
    this.group[i] = group;
    this.life[i] = life;
    this.cpu[i] = g.cpu;
    this.shared[i] = g.cpu - (g.backgroundCpu ?? 0);
    this.memory[i] = g.memory;
    this.cpuRequested[i] = this.memRequested[i] = this.want[i] = 0;
    this.factor[i] = 1;
    this.unneededSince[i] = -1;
    this.pods.push([]);
    const e = this.existing[group];
    e.add(now, 1);
    if (e.current > this.peak[group]) this.peak[group] = e.current;
    if (life === NodeLife.Ready) this.ready[group].add(now, 1);
    return i;
  }

  /** Nodes of `group` that are booting or ready (not on their way out): the autoscaler's count. */
  countOf(group: number): number {
    let k = 0;
    for (let i = 0; i < this.n; i++) if (this.group[i] === group && this.life[i] <= NodeLife.Ready) k++;
    return k;
  }

  /** CPU or memory requested, whichever is the larger share: the Cluster Autoscaler's utilisation. */
  utilisation(i: number): number {
    return Math.max(this.cpuRequested[i] / this.cpu[i], this.memRequested[i] / this.memory[i]);
  }

  private grow(): void {
    const cap = this.life.length * 2;
    this.group = grown(this.group, cap);
    this.life = grown(this.life, cap);
    this.cpu = grown(this.cpu, cap); this.shared = grown(this.shared, cap); this.memory = grown(this.memory, cap);
    this.cpuRequested = grown(this.cpuRequested, cap); this.memRequested = grown(this.memRequested, cap);
    this.want = grown(this.want, cap); this.factor = grown(this.factor, cap); this.unneededSince = grown(this.unneededSince, cap);
  }
}

export class Pods {
  n = 0;
  private free: number[] = [];
  state = new Uint8Array(8);
  pool = new Int32Array(8); // the pool's component index
  inst = new Int32Array(8);
  node = new Int32Array(8); // −1 while pending
  cpuRequest = new Float64Array(8);
  memRequest = new Float64Array(8);
  limit = new Float64Array(8); // millicores: CFS quota
  perWorker = new Float64Array(8); // millicores a busy worker wants
  /** Requests in service, their finish tags on the pod's virtual clock. */
  count = new Int32Array(8);
  slots: Int32Array[] = [];
  tags: Float64Array[] = [];
  /** CPU its busy workers get before the node's share: min(count × perWorker, limit). */
  wanted = new Float64Array(8);
  speed = new Float64Array(8); // work done per second by each request in service (1 = full speed)
  vclock = new Float64Array(8); // work a request in service has had since …, advanced at `last`
  last = new Float64Array(8);
  nextAt = new Float64Array(8); // when its next departure is scheduled (−1: none)
  since = new Float64Array(8); // created (pending since)
  /** Millicore-seconds of CPU its busy workers received, to `last` (what the HPA's CPU metric reads on nodes). */
  cpuSeconds = new Float64Array(8);

  /** A pod id for a new instance (ids are reused once their pod is gone). */
  alloc(workers: number): number {
    let p = this.free.pop();
    if (p === undefined) {
      if (this.n === this.state.length) this.grow();
      p = this.n++;
      this.slots.push(new Int32Array(workers));
      this.tags.push(new Float64Array(workers));
    } else if (this.slots[p].length < workers) {
      this.slots[p] = new Int32Array(workers);
      this.tags[p] = new Float64Array(workers);
    }
    this.count[p] = 0;
    this.wanted[p] = 0;
    this.speed[p] = 1;
    this.vclock[p] = 0;
    this.cpuSeconds[p] = 0;
    this.nextAt[p] = -1;
    this.node[p] = -1;
    return p;
  }

  release(p: number): void {
    this.state[p] = PodState.Free;
    this.nextAt[p] = -1;
    this.count[p] = 0;
    this.free.push(p);
  }

  private grow(): void {
    const cap = this.state.length * 2;
    this.state = grown(this.state, cap);
    this.pool = grown(this.pool, cap); this.inst = grown(this.inst, cap); this.node = grown(this.node, cap); this.count = grown(this.count, cap);
    this.cpuRequest = grown(this.cpuRequest, cap); this.memRequest = grown(this.memRequest, cap); this.limit = grown(this.limit, cap);
    this.perWorker = grown(this.perWorker, cap); this.wanted = grown(this.wanted, cap); this.speed = grown(this.speed, cap);
    this.vclock = grown(this.vclock, cap); this.last = grown(this.last, cap); this.nextAt = grown(this.nextAt, cap); this.since = grown(this.since, cap);
    this.cpuSeconds = grown(this.cpuSeconds, cap);
  }
}
