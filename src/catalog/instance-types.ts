// The instance-type catalogue: vCPUs, memory and on-demand price of the common AWS families, as
// data (./aws-instance-types.json records its source and the date it was transcribed). Scenario
// files name a type (`instanceType: m6i.large`, a node pool's type); the loader looks it up here.
import catalogue from './aws-instance-types.json' with { type: 'json' };

export interface InstanceType {
  name: string;
  vcpu: number;
  /** bytes */
  memory: number;
  /** on-demand, per hour, in CATALOGUE_CURRENCY */
  pricePerHour: number;
}

export const CATALOGUE_SOURCE: string = catalogue.source;
export const CATALOGUE_DATE: string = catalogue.date;
export const CATALOGUE_CURRENCY: string = catalogue.currency;

const TYPES = catalogue.types as Record<string, { vcpu: number; memoryGiB: number; usdPerHour: number }>;

/** Every type's name, in catalogue order (families, then sizes). */
export const INSTANCE_TYPE_NAMES: readonly string[] = Object.keys(TYPES);

/** The type called `name`, or undefined. */
export function instanceType(name: string): InstanceType | undefined {
  const t = Object.hasOwn(TYPES, name) ? TYPES[name] : undefined;
  return t && { name, vcpu: t.vcpu, memory: t.memoryGiB * 2 ** 30, pricePerHour: t.usdPerHour };
}
