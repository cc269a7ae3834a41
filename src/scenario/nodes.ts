// `nodes:` — the machines a cluster's pods run on (node pools of a catalogued instance type), how
// the scheduler scores them, and the Cluster Autoscaler's settings. Also checks what pools say
// about placement (nodePool, cpuPerWorker) against the nodes there are, and that every pod fits on
// some node it may go to.
import { child, fail, type Where } from './errors.ts';
import { Fields, integer, isMapping, oneOf } from './fields.ts';
import { parseInstanceType } from './instance-type.ts';
import { EXPECTED, parseCpu, parseDuration, parsePercent, parsePositiveDuration } from './units.ts';
import type { ClusterAutoscalerConfig, ComponentConfig, NodePoolConfig, NodesConfig, PoolConfig } from './types.ts';

const NAME_RE = /^[A-Za-z][A-Za-z0-9_-]*$/;

/**
 * The Cluster Autoscaler's defaults, from its FAQ ("What are the parameters to CA?",
 * kubernetes/autoscaler cluster-autoscaler/FAQ.md): scan-interval 10s, scale-down-unneeded-time
 * 10m, scale-down-utilization-threshold 0.5, scale-down-delay-after-add 10m, max-empty-bulk-delete 10.
 */
export const CA_DEFAULTS: ClusterAutoscalerConfig = {
  scanInterval: 10,
  scaleDownUnneededTime: 600,
  scaleDownUtilizationThreshold: 0.5,
  scaleDownDelayAfterAdd: 600,
  maxEmptyBulkDelete: 10,
};

/** A node's boot, scale-up to Ready, when the file does not say: an EC2 node joining EKS takes one to two minutes. */
export const NODE_BOOT_DEFAULT = 90;

export function parseNodes(value: unknown, at: Where): NodesConfig {
  const f = new Fields(value, at, ['pools', 'scoring', 'autoscaler'], 'a mapping like { pools: { general: { instanceType: m6i.xlarge, count: 2, max: 10 } } }');
  const poolsRaw = f.raw.pools;
  if (!isMapping(poolsRaw) || Object.keys(poolsRaw).length === 0) {
    fail(f.where('pools'), 'a mapping of node pool names to node pools, like { general: { instanceType: m6i.xlarge, count: 2 } }', poolsRaw);
  }
  const pools = Object.entries(poolsRaw as Record<string, unknown>).map(([name, raw]) => {
    const where = child(f.where('pools'), name);
    if (!NAME_RE.test(name)) fail(where, 'a node pool name of letters, digits, "-" and "_", starting with a letter', name);
    return parseNodePool(name, raw, where);
  });
  const ca = f.opt('autoscaler', (v, a): ClusterAutoscalerConfig => {
    const c = new Fields(v, a, Object.keys(CA_DEFAULTS), 'the Cluster Autoscaler\'s settings, like { scanInterval: 10s, scaleDownUnneededTime: 10m }');
    return {
      scanInterval: c.opt('scanInterval', parsePositiveDuration, CA_DEFAULTS.scanInterval),
      scaleDownUnneededTime: c.opt('scaleDownUnneededTime', parseDuration, CA_DEFAULTS.scaleDownUnneededTime),
      scaleDownUtilizationThreshold: c.opt('scaleDownUtilizationThreshold', parsePercent, CA_DEFAULTS.scaleDownUtilizationThreshold),
      scaleDownDelayAfterAdd: c.opt('scaleDownDelayAfterAdd', parseDuration, CA_DEFAULTS.scaleDownDelayAfterAdd),
      maxEmptyBulkDelete: c.opt('maxEmptyBulkDelete', integer(1), CA_DEFAULTS.maxEmptyBulkDelete),
    };
  }, { ...CA_DEFAULTS });
  return { pools, scoring: f.opt('scoring', oneOf(['LeastAllocated', 'MostAllocated'] as const), 'LeastAllocated'), autoscaler: ca };
}

function parseNodePool(name: string, raw: unknown, at: Where): NodePoolConfig {
  const f = new Fields(raw, at, ['instanceType', 'count', 'min', 'max', 'bootTime'], 'a node pool like { instanceType: m6i.xlarge, count: 2, min: 1, max: 10 }');
  const type = f.req('instanceType', parseInstanceType);
  const count = f.req('count', integer(0));
  const min = f.opt('min', integer(0), count);
  if (min > count) fail(f.where('min'), `an integer ≤ count (${count})`, f.raw.min);
  const max = f.opt('max', integer(0), count);
  if (max < count) fail(f.where('max'), `an integer ≥ count (${count})`, f.raw.max);
  return {
    name, instanceType: type.name, cpu: type.vcpu * 1000, memory: type.memory, pricePerHour: type.pricePerHour,
    count, min, max, bootTime: f.opt('bootTime', parseDuration, NODE_BOOT_DEFAULT),
  };
}

/** A pool's `cpuPerWorker`: millicores > 0. */
export function parseCpuPerWorker(value: unknown, at: Where): number {
  const m = parseCpu(value, at);
  if (m <= 0) fail(at, `${EXPECTED.cpu} greater than 0`, value);
  return m;
}

/** The node pools pool `p` may go to (none when it is not on the cluster's nodes). */
export function nodePoolsFor(p: PoolConfig, nodes: NodesConfig | undefined): NodePoolConfig[] {
  if (nodes === undefined || p.nodePool === 'none') return [];
  return p.nodePool === undefined ? nodes.pools : nodes.pools.filter((n) => n.name === p.nodePool);
}

/**
 * What pools say about placement, against the nodes: nodePool and cpuPerWorker need `nodes:`, a
 * nodePool names one, a pod on nodes has no instanceType of its own, and fits on a node it may go
 * to (else it would stay Pending whatever the autoscaler did).
 */
export function checkPlacement(components: ComponentConfig[], nodes: NodesConfig | undefined, at: Where): void {
  // The cluster's series row is called `nodes`.
  if (nodes !== undefined && components.some((c) => c.name === 'nodes')) fail(child(at, 'nodes'), 'a component name other than "nodes" beside a top-level nodes: (its series row is called so)', 'nodes');
  for (const c of components) {
    if (c.kind !== 'pool') continue;
    const where = child(at, c.name);
    if (c.vertical !== undefined && (nodePoolsFor(c, nodes).length === 0 || c.supervision.platform !== 'kubernetes')) {
      fail(child(where, 'verticalAutoscaling'), 'a VerticalPodAutoscaler only on a pool whose pods run on nodes: (top-level nodes:) under a Kubernetes Deployment (deploy:, or an HPA)', 'a VerticalPodAutoscaler');
    }
    if (nodes === undefined) {
      if (c.nodePool !== undefined) fail(child(where, 'nodePool'), 'no nodePool without a top-level nodes: (there are no nodes to place on)', c.nodePool);
      if (c.cpuPerWorker !== undefined) fail(child(where, 'cpuPerWorker'), 'no cpuPerWorker without a top-level nodes: (it sets how busy workers share a node)', c.cpuPerWorker);
      continue;
    }
    if (c.nodePool !== undefined && c.nodePool !== 'none' && !nodes.pools.some((n) => n.name === c.nodePool)) {
      fail(child(where, 'nodePool'), `a node pool's name or "none" (one of ${nodes.pools.map((n) => n.name).join(', ')})`, c.nodePool);
    }
    const targets = nodePoolsFor(c, nodes);
    if (targets.length === 0) continue;
    if (c.instanceType !== undefined) {
      fail(child(where, 'instanceType'), 'no instanceType on a pool whose pods run on nodes (the node pool has the type; the pod has cpuRequest and memoryRequest), or nodePool: none', c.instanceType);
    }
    if (!targets.some((n) => n.cpu >= c.cpuRequest && n.memory >= c.memoryRequest)) {
      const types = targets.map((n) => `${n.instanceType}: ${n.cpu}m, ${n.memory / 2 ** 30}Gi`).join('; ');
      const cpuFits = targets.some((n) => n.cpu >= c.cpuRequest);
      const key = cpuFits ? 'memoryRequest' : 'cpuRequest';
      const asked = cpuFits ? `${Math.round(c.memoryRequest / 2 ** 20)}Mi` : `${c.cpuRequest}m`;
      fail(child(where, key), `a pod request that fits on a node it may go to (${types})`, asked);
    }
  }
}
