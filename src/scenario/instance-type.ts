// `instanceType:` — a pool whose instances are VMs of a catalogued type (an ASG's launch template),
// or a node pool's machines. The type sets what the pool would otherwise state by hand: workers
// (vCPUs × workersPerVcpu: a bigger VM runs more requests at once, each as fast as on a smaller
// one of the same family), CPU and memory (the whole VM) and the price per instance-hour.
import { INSTANCE_TYPE_NAMES, instanceType, type InstanceType } from '../catalog/instance-types.ts';
import { fail, type Where } from './errors.ts';
import { didYouMean, integer, type Fields } from './fields.ts';

const MIB = 2 ** 20;

/** A catalogued type's name → the type; an unknown name is an error with the nearest name. */
export function parseInstanceType(value: unknown, at: Where): InstanceType {
  if (typeof value !== 'string' || value === '') fail(at, 'an instance type like "m6i.large"', value);
  const t = instanceType(value as string);
  if (t !== undefined) return t;
  const near = didYouMean(value as string, INSTANCE_TYPE_NAMES);
  const family = (value as string).split('.')[0];
  const sizes = INSTANCE_TYPE_NAMES.filter((n) => n.startsWith(`${family}.`));
  const hint = near !== undefined ? `did you mean "${near}"?` : sizes.length > 0 ? `one of ${sizes.join(', ')}` : 'see src/catalog/aws-instance-types.json';
  return fail(at, `a catalogued instance type (${hint})`, value);
}

/** The defaults a pool's instance type gives its sizing fields (without one: today's defaults). */
export interface Sizing {
  type: InstanceType | null;
  workers: number;
  pricePerHour: number;
  cpuRequest: number; // millicores
  memoryRequest: number; // bytes
}

/** Reads `instanceType` and `workersPerVcpu` of a pool; pricePerHour may not be given beside a type. */
export function poolSizing(f: Fields): Sizing {
  const type = f.opt<InstanceType | null>('instanceType', parseInstanceType, null);
  if (type === null) {
    if (f.has('workersPerVcpu')) fail(f.where('workersPerVcpu'), 'no workersPerVcpu without instanceType (workers says how many)', f.raw.workersPerVcpu);
    return { type, workers: 1, pricePerHour: 0, cpuRequest: 1000, memoryRequest: 512 * MIB };
  }
  if (f.has('pricePerHour')) {
    fail(f.where('pricePerHour'), `no pricePerHour beside instanceType (${type.name} costs $${type.pricePerHour}/h in the catalogue)`, f.raw.pricePerHour);
  }
  if (f.has('workers') && f.has('workersPerVcpu')) fail(f.where('workersPerVcpu'), 'workers or workersPerVcpu, not both', f.raw.workersPerVcpu);
  const perVcpu = f.opt('workersPerVcpu', integer(1), 1);
  return { type, workers: type.vcpu * perVcpu, pricePerHour: type.pricePerHour, cpuRequest: type.vcpu * 1000, memoryRequest: type.memory };
}
