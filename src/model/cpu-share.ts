// Processor sharing on a node. Each busy worker of a pod wants `perWorker` millicores; a pod gets
// at most its CPU limit (the CFS quota: a container over its quota is throttled), and when the
// pods on a node together want more than the node's shared cores, every one of them gets the same
// fraction of what it wants (the node's `factor`). The shared cores are the node's less its
// background work (`backgroundCpu`), which takes what it uses first: CFS gives a light process
// all it asks while that is below its fair share, as daemons and DaemonSets are. A request in service progresses at its pod's
// speed: factor × (what the pod gets ÷ what it wants) — work per second, 1 at full speed. (The
// kernel shares a contended node by cpu.shares, that is by requests; here by demand, which is
// the same when the pods on a node are alike.)
//
// Speeds change only when a request starts or ends on the node, so each pod keeps a virtual clock
// (work done per request in service since the start) and its requests' finish tags on it; the pod
// has one departure timer, at its smallest tag, moved when its speed changes. A timer that is not
// the pod's current one is stale and ignored. Nothing is allocated per request.
import type { RunContext } from './component.ts';
import { TIMER, timerArg } from './component.ts';
import type { Nodes, Pods } from './cluster-state.ts';
import { TimeWeighted } from '../stats/time-weighted.ts';

/** The cluster's timer code for a pod's next departure (x = pod). */
export const DEPART = 0;

export class CpuShare {
  /** Millicores the nodes' pods get, all nodes together: what the series' CPU utilisation is made of. */
  readonly used = new TimeWeighted(0);

  constructor(
    private readonly nodes: Nodes,
    private readonly pods: Pods,
    private readonly run: RunContext,
    private readonly index: number, // the cluster's timer index
  ) {}

  /** Request s starts on pod p and needs `work` seconds at full speed. */
  begin(p: number, s: number, work: number): void {
    const pods = this.pods;
    this.advance(p);
    const k = pods.count[p]++;
    pods.slots[p][k] = s;
    pods.tags[p][k] = pods.vclock[p] + work;
    this.demandChanged(p);
  }

  /** A departure timer of pod p: the request with the smallest tag is done; returns its slot, or −1 (stale). */
  depart(p: number): number {
    const pods = this.pods, now = this.run.now;
    if (pods.nextAt[p] !== now || pods.count[p] === 0) return -1;
    this.advance(p);
    const k = this.first(p), slots = pods.slots[p], tags = pods.tags[p], last = --pods.count[p];
    const s = slots[k];
    slots[k] = slots[last];
    tags[k] = tags[last];
    pods.nextAt[p] = -1;
    this.demandChanged(p);
    return s;
  }

  /** Pod p's work ends at once (its process crashed, its host is lost): the slots it held, for the caller to free. */
  abort(p: number, each: (s: number) => void): void {
    this.advance(p);
    const pods = this.pods, k = pods.count[p];
    pods.count[p] = 0;
    pods.nextAt[p] = -1;
    this.demandChanged(p);
    for (let i = 0; i < k; i++) each(pods.slots[p][i]);
  }

  /** Pod p leaves its node: its share goes back (its requests were aborted first). */
  unbind(p: number): void {
    const pods = this.pods;
    this.advance(p);
    pods.count[p] = 0;
    this.demandChanged(p);
  }

  /** Pod p's demand changed: the node's factor, every pod whose speed moved, and p's next departure. */
  private demandChanged(p: number): void {
    const pods = this.pods, nodes = this.nodes, n = pods.node[p];
    const want = Math.min(pods.count[p] * pods.perWorker[p], pods.limit[p]), before = nodes.want[n];
    const total = (nodes.want[n] = before + want - pods.wanted[p]);
    pods.wanted[p] = want;
    const cpu = nodes.shared[n]; // what the node's background work leaves its pods
    this.used.add(this.run.now, (total < cpu ? total : cpu) - (before < cpu ? before : cpu));
    const factor = total > cpu ? cpu / total : 1;
    if (factor !== nodes.factor[n]) {
      nodes.factor[n] = factor;
      const on = nodes.pods[n];
      for (let i = 0; i < on.length; i++) {
        const q = on[i];
        if (q !== p && pods.count[q] > 0) this.respeed(q, factor);
      }
    }
    this.respeed(p, factor);
    this.reschedule(p);
  }

  private respeed(q: number, factor: number): void {
    const pods = this.pods, k = pods.count[q];
    const speed = k === 0 ? 1 : (factor * pods.wanted[q]) / (k * pods.perWorker[q]);
    if (speed === pods.speed[q]) return;
    this.advance(q);
    pods.speed[q] = speed;
    this.reschedule(q);
  }

  /** Brings pod p's virtual clock and CPU integral to now (before its speed or count changes). */
  touch(p: number): void {
    this.advance(p);
  }

  private advance(p: number): void {
    const pods = this.pods, now = this.run.now, dt = now - pods.last[p];
    if (dt === 0) return;
    pods.vclock[p] += dt * pods.speed[p];
    // What its busy workers got: each one runs at `speed` of the perWorker it wants.
    pods.cpuSeconds[p] += dt * pods.speed[p] * pods.count[p] * pods.perWorker[p];
    pods.last[p] = now;
  }

  /** The request in service on p with the smallest finish tag. */
  private first(p: number): number {
    const tags = this.pods.tags[p], k = this.pods.count[p];
    let best = 0;
    for (let i = 1; i < k; i++) if (tags[i] < tags[best]) best = i;
    return best;
  }

  private reschedule(p: number): void {
    const pods = this.pods;
    if (pods.count[p] === 0) {
      pods.nextAt[p] = -1;
      return;
    }
    const left = pods.tags[p][this.first(p)] - pods.vclock[p];
    const at = this.run.now + (left > 0 ? left / pods.speed[p] : 0);
    if (at === pods.nextAt[p]) return;
    pods.nextAt[p] = at;
    this.run.heap.push(at, TIMER + DEPART, timerArg(this.index, p));
  }
}
