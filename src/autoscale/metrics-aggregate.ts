// Fleet-level aggregates derived from per-instance observations (mappings documented in types.ts).
import type { InstanceObservation, Observation } from './types.ts';
import type { MetricMath } from './aws-types.ts';

export const DEFAULT_CPU_REQUEST_MILLICORES = 1000;

export function inService(i: InstanceObservation): boolean {
  return i.phase === 'running' && i.ready;
}

function mean(xs: number[]): number | undefined {
  if (xs.length === 0) return undefined;
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Mean of a per-instance metric over the given instances; undefined when nobody reports it. */
export function meanMetric(instances: InstanceObservation[], key: string): number | undefined {
  return mean(instances.map((i) => i.metrics[key]).filter((v): v is number => v !== undefined && Number.isFinite(v)));
}

export function cpuPercent(i: InstanceObservation): number | undefined {
  const cpu = i.metrics.cpu;
  if (cpu === undefined) return undefined;
  return (100 * cpu) / (i.requests?.cpu ?? DEFAULT_CPU_REQUEST_MILLICORES);
}

/** Value of a CloudWatch metric for the group, over `counted` instances (already filtered for warmup). */
export function cloudWatchMetric(name: string, counted: InstanceObservation[], obs: Observation): number | undefined {
  switch (name) {
    case 'ASGAverageCPUUtilization':
    case 'CPUUtilization':
      return mean(counted.map(cpuPercent).filter((v): v is number => v !== undefined));
    case 'ALBRequestCountPerTarget': {
      const rates = counted.map((i) => i.metrics.requestRate).filter((v): v is number => v !== undefined);
      if (counted.length === 0 || rates.length === 0) return undefined;
      return (rates.reduce((a, b) => a + b, 0) * 60) / counted.length;
    }
    case 'ASGAverageNetworkIn':
    case 'NetworkIn':
      return meanMetric(counted, 'networkIn');
    case 'ASGAverageNetworkOut':
    case 'NetworkOut':
      return meanMetric(counted, 'networkOut');
    default: {
      const ext = obs.external?.[name];
      if (ext !== undefined && Number.isFinite(ext)) return ext;
      return meanMetric(counted, name);
    }
  }
}

/**
 * A metric math result. A MetricStat query reads `external["Name{Dim=Value,…}"]` (dimensions as
 * written), then `external[Name]`; GroupInServiceInstances / GroupInServiceCapacity count the
 * group's InService instances; any other name is the group aggregate cloudWatchMetric gives.
 */
export function metricMathValue(math: MetricMath, counted: InstanceObservation[], obs: Observation): number | undefined {
  const query = (id: string): number | undefined => {
    const q = math.queries.find((x) => x.id === id);
    if (!q) return undefined;
    const dims = q.dimensions.map(([k, v]) => `${k}=${v}`).join(',');
    const ext = obs.external ?? {};
    const withDims = dims ? ext[`${q.name}{${dims}}`] : undefined;
    if (withDims !== undefined) return withDims;
    if (q.name === 'GroupInServiceInstances' || q.name === 'GroupInServiceCapacity') return obs.instances.filter(inService).length;
    return cloudWatchMetric(q.name, counted, obs);
  };
  const term = (x: string | number) => (typeof x === 'number' ? x : query(x));
  const a = term(math.result.left);
  if (a === undefined || math.result.op === null) return a;
  const b = term(math.result.right!);
  if (b === undefined) return undefined;
  switch (math.result.op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return b === 0 ? undefined : a / b; // CloudWatch gives no datapoint for a division by zero
  }
}
