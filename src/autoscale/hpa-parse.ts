// Parses a pasted autoscaling/v2 HorizontalPodAutoscaler manifest into HpaPolicy,
// applying the API server's defaulting (pkg/apis/autoscaling/v2/defaults.go) and the
// validation rules users would otherwise hit at `kubectl apply`.
import {
  PolicyError,
  describe,
  expectArray,
  expectNumber,
  expectObject,
  expectOneOf,
  expectString,
  joinPath,
  optString,
} from './policy-error.ts';
import { parseQuantity, toMilli } from './quantity.ts';
import type { HpaMetric, HpaPolicy, HpaScalingPolicy, HpaScalingRules, HpaTarget } from './hpa-types.ts';
import { HPA_DEFAULTS } from './hpa-types.ts';

const DEFAULT_SCALE_UP: HpaScalingRules = {
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
};
const DEFAULT_SCALE_DOWN: HpaScalingRules = {
  // nil window in the API is filled by the controller from --horizontal-pod-autoscaler-downscale-stabilization
  stabilizationWindowSeconds: HPA_DEFAULTS.downscaleStabilizationWindow,
  selectPolicy: 'Max',
  policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
};

function parseTarget(raw: unknown, path: string, allowed: readonly HpaTarget['type'][]): HpaTarget {
  const o = expectObject(raw, path, ['type', 'averageUtilization', 'averageValue', 'value']);
  const type = expectOneOf(o.type, joinPath(path, 'type'), allowed);
  const need = (key: string) => {
    if (o[key] === undefined) throw new PolicyError(joinPath(path, key), `a value (required when type is ${type})`, 'nothing (missing)');
    return o[key];
  };
  switch (type) {
    case 'Utilization':
      return { type, averageUtilization: expectNumber(need('averageUtilization'), joinPath(path, 'averageUtilization'), { int: true, min: 1 }) };
    case 'AverageValue': {
      const v = parseQuantity(need('averageValue'), joinPath(path, 'averageValue'));
      if (!(v > 0)) throw new PolicyError(joinPath(path, 'averageValue'), 'a quantity > 0', describe(o.averageValue));
      return { type, averageValueMilli: toMilli(v) };
    }
    case 'Value': {
      const v = parseQuantity(need('value'), joinPath(path, 'value'));
      if (!(v > 0)) throw new PolicyError(joinPath(path, 'value'), 'a quantity > 0', describe(o.value));
      return { type, valueMilli: toMilli(v) };
    }
  }
}

function parseMetricIdentifier(raw: unknown, path: string): string {
  const o = expectObject(raw, path, ['name', 'selector']);
  return expectString(o.name, joinPath(path, 'name'));
}

function parseMetric(raw: unknown, path: string): HpaMetric {
  const o = expectObject(raw, path, ['type', 'resource', 'pods', 'external', 'object', 'containerResource']);
  const type = expectOneOf(o.type, joinPath(path, 'type'), ['Resource', 'Pods', 'External', 'Object', 'ContainerResource'] as const);
  if (type === 'ContainerResource') {
    // headroom observations carry per-pod, not per-container, usage
    throw new PolicyError(joinPath(path, 'type'), 'Resource, Pods, External or Object (ContainerResource needs per-container metrics headroom does not model)', '"ContainerResource"');
  }
  const key = type.toLowerCase() as 'resource' | 'pods' | 'external' | 'object';
  const src = o[key];
  const p = joinPath(path, key);
  if (src === undefined) throw new PolicyError(p, `an object (required when type is ${type})`, 'nothing (missing)');
  switch (type) {
    case 'Resource': {
      const r = expectObject(src, p, ['name', 'target']);
      const name = expectOneOf(r.name, joinPath(p, 'name'), ['cpu', 'memory'] as const);
      const target = parseTarget(r.target, joinPath(p, 'target'), ['Utilization', 'AverageValue']) as Extract<HpaTarget, { type: 'Utilization' | 'AverageValue' }>;
      return { type, name, target };
    }
    case 'Pods': {
      const r = expectObject(src, p, ['metric', 'target']);
      const name = parseMetricIdentifier(r.metric, joinPath(p, 'metric'));
      const target = parseTarget(r.target, joinPath(p, 'target'), ['AverageValue']) as Extract<HpaTarget, { type: 'AverageValue' }>;
      return { type, name, target };
    }
    case 'External': {
      const r = expectObject(src, p, ['metric', 'target']);
      const name = parseMetricIdentifier(r.metric, joinPath(p, 'metric'));
      const target = parseTarget(r.target, joinPath(p, 'target'), ['Value', 'AverageValue']) as Extract<HpaTarget, { type: 'Value' | 'AverageValue' }>;
      return { type, name, target };
    }
    case 'Object': {
      const r = expectObject(src, p, ['describedObject', 'metric', 'target']);
      expectObject(r.describedObject, joinPath(p, 'describedObject'), ['apiVersion', 'kind', 'name']);
      const name = parseMetricIdentifier(r.metric, joinPath(p, 'metric'));
      const target = parseTarget(r.target, joinPath(p, 'target'), ['Value', 'AverageValue']) as Extract<HpaTarget, { type: 'Value' | 'AverageValue' }>;
      return { type, name, target };
    }
  }
}

/** GenerateHPAScaleUpRules / GenerateHPAScaleDownRules: fill unset fields from the defaults. */
function parseRules(raw: unknown, path: string, defaults: HpaScalingRules): HpaScalingRules {
  if (raw === undefined || raw === null) return { ...defaults, policies: defaults.policies.map((p) => ({ ...p })) };
  const o = expectObject(raw, path, ['stabilizationWindowSeconds', 'selectPolicy', 'policies', 'tolerance']);
  const rules: HpaScalingRules = {
    stabilizationWindowSeconds:
      o.stabilizationWindowSeconds === undefined
        ? defaults.stabilizationWindowSeconds
        : expectNumber(o.stabilizationWindowSeconds, joinPath(path, 'stabilizationWindowSeconds'), { int: true, min: 0, max: 3600 }),
    selectPolicy: o.selectPolicy === undefined ? 'Max' : expectOneOf(o.selectPolicy, joinPath(path, 'selectPolicy'), ['Max', 'Min', 'Disabled'] as const),
    policies:
      o.policies === undefined
        ? defaults.policies.map((p) => ({ ...p }))
        : expectArray(o.policies, joinPath(path, 'policies')).map((pr, i): HpaScalingPolicy => {
            const pp = joinPath(joinPath(path, 'policies'), i);
            const po = expectObject(pr, pp, ['type', 'value', 'periodSeconds']);
            return {
              type: expectOneOf(po.type, joinPath(pp, 'type'), ['Pods', 'Percent'] as const),
              value: expectNumber(po.value, joinPath(pp, 'value'), { int: true, min: 1 }),
              periodSeconds: expectNumber(po.periodSeconds, joinPath(pp, 'periodSeconds'), { int: true, min: 1, max: 1800 }),
            };
          }),
  };
  if (rules.policies.length === 0 && rules.selectPolicy !== 'Disabled') {
    throw new PolicyError(joinPath(path, 'policies'), 'at least one policy (unless selectPolicy is Disabled)', 'an empty array');
  }
  if (o.tolerance !== undefined) {
    const tol = parseQuantity(o.tolerance, joinPath(path, 'tolerance'));
    if (tol < 0) throw new PolicyError(joinPath(path, 'tolerance'), 'a quantity ≥ 0', describe(o.tolerance));
    rules.tolerance = tol;
  }
  return rules;
}

/** spec.behavior (or a KEDA ScaledObject's advanced.horizontalPodAutoscalerConfig.behavior), unset fields defaulted. */
export function parseHpaBehavior(raw: unknown, path: string): NonNullable<HpaPolicy['behavior']> {
  const b = expectObject(raw, path, ['scaleUp', 'scaleDown']);
  return {
    scaleUp: parseRules(b.scaleUp, joinPath(path, 'scaleUp'), DEFAULT_SCALE_UP),
    scaleDown: parseRules(b.scaleDown, joinPath(path, 'scaleDown'), DEFAULT_SCALE_DOWN),
  };
}

export function isHpaManifest(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw) && ('apiVersion' in raw || 'kind' in raw);
}

export function parseHpa(raw: unknown): HpaPolicy {
  const o = expectObject(raw, '', ['apiVersion', 'kind', 'metadata', 'spec', 'status']);
  expectOneOf(o.apiVersion, 'apiVersion', ['autoscaling/v2', 'autoscaling/v2beta2'] as const);
  expectOneOf(o.kind, 'kind', ['HorizontalPodAutoscaler'] as const);
  let name = 'hpa';
  if (o.metadata !== undefined) {
    if (o.metadata === null || typeof o.metadata !== 'object' || Array.isArray(o.metadata)) {
      throw new PolicyError('metadata', 'an object', describe(o.metadata));
    }
    name = optString((o.metadata as Record<string, unknown>).name, 'metadata.name') ?? name;
  }
  const spec = expectObject(o.spec, 'spec', ['scaleTargetRef', 'minReplicas', 'maxReplicas', 'metrics', 'behavior']);
  const ref = expectObject(spec.scaleTargetRef, 'spec.scaleTargetRef', ['apiVersion', 'kind', 'name']);
  expectString(ref.kind, 'spec.scaleTargetRef.kind');
  expectString(ref.name, 'spec.scaleTargetRef.name');
  const maxReplicas = expectNumber(spec.maxReplicas, 'spec.maxReplicas', { int: true, min: 1 });
  const minReplicas = spec.minReplicas === undefined ? 1 : expectNumber(spec.minReplicas, 'spec.minReplicas', { int: true, min: 0 });
  if (minReplicas > maxReplicas) {
    throw new PolicyError('spec.minReplicas', `an integer ≤ spec.maxReplicas (${maxReplicas})`, String(minReplicas));
  }
  const metrics: HpaMetric[] =
    spec.metrics === undefined
      ? [{ type: 'Resource', name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } }]
      : expectArray(spec.metrics, 'spec.metrics').map((m, i) => parseMetric(m, joinPath('spec.metrics', i)));
  if (minReplicas === 0 && !metrics.some((m) => m.type === 'External' || m.type === 'Object')) {
    // HPAScaleToZero: minReplicas 0 is only valid with at least one Object or External metric
    throw new PolicyError('spec.minReplicas', 'an integer ≥ 1 (0 requires an Object or External metric)', '0');
  }
  let behavior: HpaPolicy['behavior'] = null;
  if (spec.behavior !== undefined && spec.behavior !== null) behavior = parseHpaBehavior(spec.behavior, 'spec.behavior');
  return { kind: 'hpa', name, minReplicas, maxReplicas, metrics, behavior };
}
