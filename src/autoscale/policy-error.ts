// Validation helpers that turn "raw JSON/YAML" into typed config, failing with a
// PolicyError that names the exact path. Used by every policy family's parser.
import { didYouMean } from './did-you-mean.ts';

export class PolicyError extends Error {
  readonly path: string;
  readonly expected: string;
  readonly got: string;
  constructor(path: string, expected: string, got: string) {
    super(`${path}: expected ${expected}, got ${got}`);
    this.name = 'PolicyError';
    this.path = path;
    this.expected = expected;
    this.got = got;
  }
}

/** Short human description of a value for error messages. */
export function describe(v: unknown): string {
  if (v === undefined) return 'nothing (missing)';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? v.slice(0, 57) + '...' : v);
  return String(v);
}

export function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return base ? `${base}.${key}` : key;
}

export { didYouMean };

/** Asserts a plain object whose keys are all in `known` (unknown keys are errors). */
export function expectObject(v: unknown, path: string, known: readonly string[]): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new PolicyError(path || '(root)', 'an object', describe(v));
  }
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!known.includes(k)) {
      const hint = didYouMean(k, known);
      throw new PolicyError(
        joinPath(path, k),
        hint ? `a known key (did you mean "${hint}"?)` : `one of the known keys (${known.join(', ')})`,
        `unknown key "${k}"`,
      );
    }
  }
  return o;
}

export function expectArray(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) throw new PolicyError(path, 'an array', describe(v));
  return v;
}

export interface NumberRule {
  int?: boolean;
  min?: number;
  max?: number;
  /** strictly greater than */
  gt?: number;
}

export function expectNumber(v: unknown, path: string, rule: NumberRule = {}): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new PolicyError(path, rule.int ? 'an integer' : 'a number', describe(v));
  }
  if (rule.int && !Number.isInteger(v)) throw new PolicyError(path, 'an integer', describe(v));
  if (rule.min !== undefined && v < rule.min) throw new PolicyError(path, `a number ≥ ${rule.min}`, describe(v));
  if (rule.max !== undefined && v > rule.max) throw new PolicyError(path, `a number ≤ ${rule.max}`, describe(v));
  if (rule.gt !== undefined && v <= rule.gt) throw new PolicyError(path, `a number > ${rule.gt}`, describe(v));
  return v;
}

export function optNumber(v: unknown, path: string, rule: NumberRule = {}): number | undefined {
  return v === undefined ? undefined : expectNumber(v, path, rule);
}

export function expectString(v: unknown, path: string): string {
  if (typeof v !== 'string' || v.length === 0) throw new PolicyError(path, 'a non-empty string', describe(v));
  return v;
}

export function optString(v: unknown, path: string): string | undefined {
  return v === undefined ? undefined : expectString(v, path);
}

export function expectBoolean(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') throw new PolicyError(path, 'true or false', describe(v));
  return v;
}

export function expectOneOf<T extends string>(v: unknown, path: string, options: readonly T[]): T {
  if (typeof v !== 'string' || !options.includes(v as T)) {
    const hint = typeof v === 'string' ? didYouMean(v, options) : undefined;
    throw new PolicyError(
      path,
      `one of ${options.join(' | ')}${hint ? ` (did you mean "${hint}"?)` : ''}`,
      describe(v),
    );
  }
  return v as T;
}
