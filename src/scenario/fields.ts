// Small readers for hand-written validation: mappings with known keys (unknown keys are errors
// with a did-you-mean), required/optional fields, numbers, integers, enums.
import { ScenarioError, child, fail, type Where } from './errors.ts';
import { didYouMean } from '../autoscale/did-you-mean.ts';

export type Parse<T> = (value: unknown, at: Where) => T;

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export { didYouMean };

export function unknownKey(at: Where, key: string, allowed: readonly string[], note?: string): never {
  const path = child(at, key);
  const suggestion = didYouMean(key, allowed);
  const expected = suggestion !== undefined ? `did you mean "${suggestion}"?` : `one of ${allowed.join(', ')}`;
  const prefix = note !== undefined ? `unknown key (${note})` : 'unknown key';
  throw new ScenarioError(path.file, path.path, expected, key, {
    detail: suggestion !== undefined ? `${prefix}; ${expected}` : `${prefix}; expected ${expected}`,
  });
}

/** A mapping with only the allowed keys. `what` names it in the type error (default `a mapping`). */
export class Fields {
  readonly raw: Record<string, unknown>;

  constructor(
    value: unknown,
    readonly at: Where,
    readonly allowed: readonly string[],
    what = `a mapping with keys ${allowed.join(', ')}`,
    note?: (key: string) => string | undefined,
  ) {
    if (!isMapping(value)) fail(at, what, value);
    this.raw = value;
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) unknownKey(at, key, allowed, note?.(key));
    }
  }

  /** Present and not null. */
  has(key: string): boolean {
    return this.raw[key] !== undefined && this.raw[key] !== null;
  }

  where(key: string): Where {
    return child(this.at, key);
  }

  req<T>(key: string, parse: Parse<T>): T {
    return parse(this.raw[key], this.where(key));
  }

  opt<T>(key: string, parse: Parse<T>, fallback: T): T {
    return this.has(key) ? parse(this.raw[key], this.where(key)) : fallback;
  }
}

export interface NumberRule {
  integer?: boolean;
  min?: number;
  /** Strictly greater than this. */
  above?: number;
  max?: number;
  /** Strictly less than this. */
  below?: number;
}

export function describeNumber(rule: NumberRule): string {
  const parts: string[] = [];
  if (rule.min !== undefined) parts.push(`≥ ${rule.min}`);
  if (rule.above !== undefined) parts.push(`> ${rule.above}`);
  if (rule.max !== undefined) parts.push(`≤ ${rule.max}`);
  if (rule.below !== undefined) parts.push(`< ${rule.below}`);
  const noun = rule.integer ? 'an integer' : 'a number';
  return parts.length === 0 ? noun : `${noun} ${parts.join(' and ')}`;
}

export function number(rule: NumberRule = {}): Parse<number> {
  return (value, at) => {
    const ok =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      (!rule.integer || Number.isInteger(value)) &&
      (rule.min === undefined || value >= rule.min) &&
      (rule.above === undefined || value > rule.above) &&
      (rule.max === undefined || value <= rule.max) &&
      (rule.below === undefined || value < rule.below);
    if (!ok) fail(at, describeNumber(rule), value);
    return value as number;
  };
}

export const integer = (min = 0): Parse<number> => number({ integer: true, min });

export function string(what = 'a string'): Parse<string> {
  return (value, at) => {
    if (typeof value !== 'string' || value === '') fail(at, what, value);
    return value as string;
  };
}

export function boolean(value: unknown, at: Where): boolean {
  if (typeof value !== 'boolean') fail(at, 'true or false', value);
  return value as boolean;
}

export function oneOf<T extends string>(options: readonly T[]): Parse<T> {
  return (value, at) => {
    if (typeof value !== 'string' || !options.includes(value as T)) {
      const suggestion = typeof value === 'string' ? didYouMean(value, options) : undefined;
      const list = `one of ${options.join(', ')}`;
      fail(at, suggestion !== undefined ? `${list} (did you mean "${suggestion}"?)` : list, value);
    }
    return value as T;
  };
}

export function list<T>(item: Parse<T>, minItems = 0, what = 'a list'): Parse<T[]> {
  return (value, at) => {
    if (!Array.isArray(value)) fail(at, what, value);
    const items = value as unknown[];
    if (items.length < minItems) fail(at, `${what} of at least ${minItems} item${minItems === 1 ? '' : 's'}`, value);
    return items.map((v, i) => item(v, child(at, i)));
  };
}
