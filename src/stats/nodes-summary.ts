// summary.json's `nodes`: the nodes a run's pods ran on (src/model/cluster.ts writes it).

/** The nodes pods ran on (present when the scenario has `nodes:`). */
export interface NodesSummary {
  scoring: string; // the scheduler's: LeastAllocated or MostAllocated
  pools: Record<string, {
    instanceType: string;
    cpu: number; // millicores per node
    memory: number; // bytes per node
    pricePerHour: number;
    nodes: { start: number; peak: number; mean: number; final: number };
    nodeHours: number;
    cost: number;
  }>;
  /** Pods waiting for a node: time-weighted mean and at the end; pods that waited, and how long (s). */
  pending: { mean: number; final: number; waited: number; waitMean: number; waitMax: number };
  scaleUps: number; // the Cluster Autoscaler's scale-ups
  scaleDowns: number; // nodes it removed
}
