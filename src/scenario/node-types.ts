// The scenario's `nodes:` as parsed (./nodes.ts): the machines pods run on, the scheduler's
// scoring and the cluster autoscaler's flags. Re-exported by ./types.ts.

/** A node group of one instance type (an EKS managed node group, an ASG behind the Cluster Autoscaler). */
export interface NodePoolConfig {
  name: string;
  instanceType: string;
  /** From the catalogue: millicores and bytes a node offers pods (its whole capacity; no reservations). */
  cpu: number;
  memory: number;
  pricePerHour: number;
  count: number; // nodes at the start, all ready
  min: number;
  max: number;
  /** s from the autoscaler's scale-up until the node is Ready and takes pods. */
  bootTime: number;
  /**
   * Millicores the node spends on work that is not a pool's (system daemons, the kubelet,
   * DaemonSets, an ingress controller or load generator beside the pods): its pods share the rest.
   * Absent: none. Only processor sharing sees it; the scheduler still fits requests to `cpu`.
   */
  backgroundCpu?: number;
}

/** The Cluster Autoscaler's flags that matter here (defaults: its FAQ, "What are the parameters to CA?"). */
export interface ClusterAutoscalerConfig {
  scanInterval: number; // s, --scan-interval 10s
  scaleDownUnneededTime: number; // s, --scale-down-unneeded-time 10m
  scaleDownUtilizationThreshold: number; // fraction, --scale-down-utilization-threshold 0.5
  scaleDownDelayAfterAdd: number; // s, --scale-down-delay-after-add 10m
  maxEmptyBulkDelete: number; // --max-empty-bulk-delete 10
}

export interface NodesConfig {
  pools: NodePoolConfig[];
  /** kube-scheduler's NodeResourcesFit scoring: LeastAllocated (its default: spread) or MostAllocated (pack). */
  scoring: 'LeastAllocated' | 'MostAllocated';
  autoscaler: ClusterAutoscalerConfig;
}
