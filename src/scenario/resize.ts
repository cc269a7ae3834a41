// A release that resizes its pool: the one way a pool changes size on the timeline. A resize is a
// release because that is what it is on every platform the pool can stand for: a Deployment whose
// pod template gets other resources (what VPA's updater in Recreate mode brings about by evicting
// pods the admission controller then recreates at the new size) rolls out a new ReplicaSet under
// the Deployment's strategy, like an image change; an ASG whose launch template names another
// instance type replaces its instances by an instance refresh, like a new AMI. So a resize goes
// through the pool's own rollout (maxUnavailable / maxSurge, Swarm's update_config, blue-green,
// canary), and its instances are a version of their own — with their own workers, CPU, memory and
// price — whose figures the report shows beside the old size's.
//
// On a release: `instanceType:` (a VM pool sized by instanceType: workers, CPU, memory and price
// from the catalogue, workers scaled by the pool's workers per vCPU unless `workers:` says), or, on
// a pool sized by hand (pods on `nodes:`, or a VM of no catalogued type), any of `cpuRequest`,
// `cpuLimit`, `memoryRequest`, `workers`, `pricePerHour`. Fields not given keep the size in effect.
import type { InstanceType } from '../catalog/instance-types.ts';
import { instanceType } from '../catalog/instance-types.ts';
import { child, fail, type Where } from './errors.ts';
import { integer, number, type Fields } from './fields.ts';
import { parseInstanceType } from './instance-type.ts';
import { nodePoolsFor } from './nodes.ts';
import type { NodesConfig, PoolConfig, PoolSize } from './types.ts';
import { EXPECTED, parseBytes, parseCpu } from './units.ts';

export const RESIZE_KEYS = ['instanceType', 'workers', 'pricePerHour', 'cpuRequest', 'cpuLimit', 'memoryRequest'] as const;

const MIB = 2 ** 20;

/** What a release asks of the size, as written (each field checked for its form and its pool). */
export interface ResizeAsk {
  at: Where; // the release
  instanceType?: InstanceType;
  workers?: number;
  pricePerHour?: number;
  cpuRequest?: number;
  cpuLimit?: number;
  memoryRequest?: number;
}

/** The resize fields of a release, or null when it keeps the size. */
export function parseResize(f: Fields, at: Where, pool: PoolConfig): ResizeAsk | null {
  if (!RESIZE_KEYS.some((k) => f.has(k))) return null;
  const byType = pool.instanceType !== undefined;
  const ask: ResizeAsk = { at };
  if (f.has('instanceType')) {
    if (!byType) fail(f.where('instanceType'), `cpuRequest, cpuLimit, memoryRequest, workers or pricePerHour (pool ${pool.name} has no instanceType: it is sized by hand)`, f.raw.instanceType);
    ask.instanceType = f.req('instanceType', parseInstanceType);
  }
  for (const k of ['pricePerHour', 'cpuRequest', 'cpuLimit', 'memoryRequest'] as const) {
    if (byType && f.has(k)) fail(f.where(k), `instanceType (pool ${pool.name} is sized by its instance type, which sets ${k})`, f.raw[k]);
  }
  if (f.has('workers')) ask.workers = f.req('workers', integer(1));
  if (f.has('pricePerHour')) ask.pricePerHour = f.req('pricePerHour', number({ min: 0 }));
  const cpu = (v: unknown, a: Where): number => {
    const m = parseCpu(v, a);
    return m > 0 ? m : fail(a, `${EXPECTED.cpu} greater than 0`, v);
  };
  if (f.has('cpuRequest')) ask.cpuRequest = f.req('cpuRequest', cpu);
  if (f.has('cpuLimit')) ask.cpuLimit = f.req('cpuLimit', cpu);
  if (f.has('memoryRequest')) ask.memoryRequest = f.req('memoryRequest', parseBytes);
  return ask;
}

/** A pool's own size: its first. */
export function poolSize(p: PoolConfig): PoolSize {
  return {
    ...(p.instanceType !== undefined ? { instanceType: p.instanceType } : {}),
    workers: p.workers, pricePerHour: p.pricePerHour, cpuRequest: p.cpuRequest, cpuLimit: p.cpuLimit, memoryRequest: p.memoryRequest,
  };
}

/**
 * The size a resize leads to from `from`: another instance type brings its vCPUs, memory and price
 * and the workers the pool runs per vCPU (rounded, at least 1); fields given by hand replace theirs.
 * Checked: a limit not below the request, a size other than `from`, and on nodes a pod that fits.
 */
export function resize(ask: ResizeAsk, from: PoolSize, pool: PoolConfig, nodes: NodesConfig | undefined): PoolSize {
  const to: PoolSize = { ...from };
  const t = ask.instanceType;
  if (t !== undefined) {
    const was = instanceType(from.instanceType!)!;
    to.instanceType = t.name;
    to.workers = Math.max(1, Math.round((from.workers * t.vcpu) / was.vcpu));
    to.pricePerHour = t.pricePerHour;
    to.cpuRequest = to.cpuLimit = t.vcpu * 1000;
    to.memoryRequest = t.memory;
  }
  if (ask.workers !== undefined) to.workers = ask.workers;
  if (ask.pricePerHour !== undefined) to.pricePerHour = ask.pricePerHour;
  if (ask.cpuRequest !== undefined) {
    to.cpuRequest = ask.cpuRequest;
    // a request raised past the old limit takes the limit with it, as the pool's own cpuLimit defaults to its request
    if (ask.cpuLimit === undefined && to.cpuLimit < to.cpuRequest) to.cpuLimit = to.cpuRequest;
  }
  if (ask.cpuLimit !== undefined) {
    if (ask.cpuLimit < to.cpuRequest) fail(child(ask.at, 'cpuLimit'), `${EXPECTED.cpu} not below the cpuRequest then (${to.cpuRequest}m)`, `${ask.cpuLimit}m`);
    to.cpuLimit = ask.cpuLimit;
  }
  if (ask.memoryRequest !== undefined) to.memoryRequest = ask.memoryRequest;
  if (sameSize(to, from)) fail(ask.at, `a size other than the one ${pool.name} runs by then (${describeSize(from)})`, describeSize(to));
  const targets = nodePoolsFor(pool, nodes);
  if (targets.length > 0 && !targets.some((n) => n.cpu >= to.cpuRequest && n.memory >= to.memoryRequest)) {
    const key = targets.some((n) => n.cpu >= to.cpuRequest) ? 'memoryRequest' : 'cpuRequest';
    const types = targets.map((n) => `${n.instanceType}: ${n.cpu}m, ${n.memory / 2 ** 30}Gi`).join('; ');
    fail(child(ask.at, key), `a pod request that fits on a node it may go to (${types})`, key === 'cpuRequest' ? `${to.cpuRequest}m` : `${Math.round(to.memoryRequest / MIB)}Mi`);
  }
  return to;
}

export function sameSize(a: PoolSize, b: PoolSize): boolean {
  return a.instanceType === b.instanceType && a.workers === b.workers && a.pricePerHour === b.pricePerHour
    && a.cpuRequest === b.cpuRequest && a.cpuLimit === b.cpuLimit && a.memoryRequest === b.memoryRequest;
}

/** "m6i.2xlarge, 8 workers" or "cpu 1000m/2000m, 1024Mi, 4 workers": event lines, errors and default version labels. */
export function describeSize(s: PoolSize): string {
  const workers = `${s.workers} worker${s.workers === 1 ? '' : 's'}`;
  if (s.instanceType !== undefined) return `${s.instanceType}, ${workers}`;
  return `cpu ${s.cpuRequest}m/${s.cpuLimit}m, ${Math.round(s.memoryRequest / MIB)}Mi, ${workers}`;
}

/** A resize's version label when the release gives none: the running one's, marked with what changed ("v1+m6i.2xlarge", "v1+cpu2000m-mem2048Mi"). */
export function resizeLabel(running: string, ask: ResizeAsk, to: PoolSize): string {
  if (ask.instanceType !== undefined && ask.workers === undefined) return `${running}+${to.instanceType}`;
  const parts: string[] = [];
  if (ask.instanceType !== undefined) parts.push(to.instanceType!);
  if (ask.cpuRequest !== undefined) parts.push(`cpu${to.cpuRequest}m`);
  if (ask.cpuLimit !== undefined) parts.push(`lim${to.cpuLimit}m`);
  if (ask.memoryRequest !== undefined) parts.push(`mem${Math.round(to.memoryRequest / MIB)}Mi`);
  if (ask.workers !== undefined) parts.push(`${to.workers}w`);
  if (ask.pricePerHour !== undefined) parts.push(`$${to.pricePerHour}`);
  return `${running}+${parts.join('-')}`;
}
