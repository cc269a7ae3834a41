// Fleet-level aggregates derived from per-instance observations (mappings documented in types.ts).
import type { InstanceObservation, Observation } from './types.ts';

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
