// A pasted autoscaling.k8s.io/v1 VerticalPodAutoscaler manifest (the fields the model uses; the
// API's defaults: updateMode Auto, controlledResources [cpu, memory], controlledValues
// RequestsAndLimits — pkg/apis/autoscaling.k8s.io/v1/types.go). Only CPU is recommended here, so a
// VPA that would control memory is refused with the line to write instead.
import { PolicyError, describe, expectArray, expectNumber, expectObject, expectOneOf, expectString, joinPath } from './policy-error.ts';
import { parseQuantity, toMilli } from './quantity.ts';
import type { CpuPolicy } from './vpa-recommender.ts';

export const UPDATE_MODES = ['Off', 'Initial', 'Recreate', 'Auto'] as const;

export interface VpaPolicy {
  kind: 'vpa';
  /** spec.targetRef.name: the Deployment it sizes. */
  target: string;
  /** Off: recommend only; Initial: new pods get it; Recreate and Auto (Recreate today): the updater evicts pods out of range. */
  updateMode: (typeof UPDATE_MODES)[number];
  /** spec.updatePolicy.minReplicas (null: the updater's --min-replicas 2). */
  minReplicas: number | null;
  cpu: CpuPolicy;
  /** RequestsAndLimits: the limit keeps its proportion to the request; RequestsOnly: the limit stays. */
  controlledValues: 'RequestsAndLimits' | 'RequestsOnly';
}

export function parseVpa(raw: unknown): VpaPolicy {
  const doc = expectObject(raw, '', ['apiVersion', 'kind', 'metadata', 'spec', 'status']);
  if (doc.apiVersion !== 'autoscaling.k8s.io/v1') throw new PolicyError('apiVersion', '"autoscaling.k8s.io/v1"', describe(doc.apiVersion));
  if (doc.kind !== 'VerticalPodAutoscaler') throw new PolicyError('kind', '"VerticalPodAutoscaler"', describe(doc.kind));
  const spec = expectObject(doc.spec, 'spec', ['targetRef', 'updatePolicy', 'resourcePolicy', 'recommenders']);
  const ref = expectObject(spec.targetRef, 'spec.targetRef', ['apiVersion', 'kind', 'name']);
  expectOneOf(ref.kind, 'spec.targetRef.kind', ['Deployment'] as const);
  const target = expectString(ref.name, 'spec.targetRef.name');
  const up = spec.updatePolicy === undefined ? {} : expectObject(spec.updatePolicy, 'spec.updatePolicy', ['updateMode', 'minReplicas']);
  const updateMode = up.updateMode === undefined ? 'Auto' : expectOneOf(up.updateMode, 'spec.updatePolicy.updateMode', UPDATE_MODES);
  const minReplicas = up.minReplicas === undefined ? null : expectNumber(up.minReplicas, 'spec.updatePolicy.minReplicas', { int: true, min: 1 });
  const { cpu, controlledValues } = containerPolicy(spec.resourcePolicy);
  return { kind: 'vpa', target, updateMode, minReplicas, cpu, controlledValues };
}

const ONLY_CPU = 'controlledResources: [cpu] in the container policy (memory recommendations are not modelled)';

/** The one container policy (the pod's app container, or "*"). */
function containerPolicy(raw: unknown): { cpu: CpuPolicy; controlledValues: VpaPolicy['controlledValues'] } {
  if (raw === undefined) throw new PolicyError('spec.resourcePolicy', `a resourcePolicy with ${ONLY_CPU}`, 'nothing (missing)');
  const rp = expectObject(raw, 'spec.resourcePolicy', ['containerPolicies']);
  const list = expectArray(rp.containerPolicies, 'spec.resourcePolicy.containerPolicies');
  if (list.length !== 1) throw new PolicyError('spec.resourcePolicy.containerPolicies', 'one container policy (the pool is one container)', `${list.length}`);
  const at = 'spec.resourcePolicy.containerPolicies[0]';
  const c = expectObject(list[0], at, ['containerName', 'mode', 'minAllowed', 'maxAllowed', 'controlledResources', 'controlledValues']);
  if (c.containerName !== undefined) expectString(c.containerName, joinPath(at, 'containerName'));
  if (c.mode !== undefined && expectOneOf(c.mode, joinPath(at, 'mode'), ['Auto', 'Off'] as const) === 'Off') {
    throw new PolicyError(joinPath(at, 'mode'), 'Auto (a VPA whose only container is Off does nothing; leave it out)', '"Off"');
  }
  const res = c.controlledResources === undefined ? null : expectArray(c.controlledResources, joinPath(at, 'controlledResources'));
  if (res === null || res.length !== 1 || res[0] !== 'cpu') throw new PolicyError(joinPath(at, 'controlledResources'), ONLY_CPU.replace(' in the container policy', ''), res === null ? 'nothing (the default, [cpu, memory])' : JSON.stringify(res));
  const bound = (key: 'minAllowed' | 'maxAllowed'): number | null => {
    if (c[key] === undefined) return null;
    const o = expectObject(c[key], joinPath(at, key), ['cpu', 'memory']);
    return o.cpu === undefined ? null : toMilli(parseQuantity(o.cpu, joinPath(joinPath(at, key), 'cpu')));
  };
  const cpu = { minAllowed: bound('minAllowed'), maxAllowed: bound('maxAllowed') };
  if (cpu.minAllowed !== null && cpu.maxAllowed !== null && cpu.maxAllowed < cpu.minAllowed) {
    throw new PolicyError(joinPath(joinPath(at, 'maxAllowed'), 'cpu'), `a quantity not below minAllowed.cpu (${cpu.minAllowed}m)`, `${cpu.maxAllowed}m`);
  }
  const controlledValues = c.controlledValues === undefined ? 'RequestsAndLimits' : expectOneOf(c.controlledValues, joinPath(at, 'controlledValues'), ['RequestsAndLimits', 'RequestsOnly'] as const);
  return { cpu, controlledValues };
}
