// Shared helpers of the scenario tests.
import { ScenarioError } from '../../src/scenario/index.ts';

/** The message of the ScenarioError `fn` throws; a descriptive string when it throws something else or nothing. */
export function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof ScenarioError) return err.message;
    return `not a ScenarioError: ${String(err)}`;
  }
  return 'did not throw';
}

/** A small valid scenario as parsed from YAML; tests change one thing at a time. */
export function minimal(): Record<string, any> {
  return {
    duration: '1h',
    traffic: { rate: 10 },
    components: {
      nginx: { kind: 'loadBalancer', upstream: 'web' },
      web: { kind: 'pool', instances: 2, serviceTime: '20ms' },
    },
  };
}
