// Shared test helper: run fn and return the PolicyError it throws (fails otherwise).
import { PolicyError } from '../../src/autoscale/index.ts';

export function policyErrorOf(fn: () => unknown): PolicyError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PolicyError) return e;
    throw e;
  }
  throw new Error('expected a PolicyError, nothing was thrown');
}
