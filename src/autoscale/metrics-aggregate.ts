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

/** The instance's CPU capacity in millicores: capacity.cpu, else its request, else one core (types.ts). */
export function cpuCapacity(i: InstanceObservation): number {
  return i.capacity?.cpu ?? i.requests?.cpu ?? DEFAULT_CPU_REQUEST_MILLICORES;
}

/**
 * CPU as a fraction of the instance's capacity, 0..1: what EC2's CPUUtilization (/100) and psutil's
 * cpu_percent (/100) read. A machine cannot be busier than all of itself, so it is capped at 1.
 */
export function cpuShareOfCapacity(i: InstanceObservation): number | undefined {
  const cpu = i.metrics.cpu;
  const cap = cpuCapacity(i);
  if (cpu === undefined || !(cap > 0)) return undefined;
  return Math.min(1, cpu / cap);
}

function cpuPercent(i: InstanceObservation): number | undefined {
  const share = cpuShareOfCapacity(i);
  return share === undefined ? undefined : 100 * share;
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

/** The unit a CloudWatch metric is charted in (AWS's own units for the predefined metrics). */
export function cloudWatchUnit(name: string): string {
  switch (name) {
    case 'ASGAverageCPUUtilization':
    case 'CPUUtilization':
      return '%';
    case 'ALBRequestCountPerTarget':
      return 'req/min';
    case 'ASGAverageNetworkIn':
    case 'NetworkIn':
    case 'ASGAverageNetworkOut':
    case 'NetworkOut':
      return 'bytes';
    default:
      return '';
  }
}
