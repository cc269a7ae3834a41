// The `--set path=value` option, one definition for every command that takes it (run, check,
// sweep, and bench when it lands): repeatable, applied by loadScenario({ set }).
import type { Argv } from 'yargs';

export interface SetArgs {
  set: string[];
}

export function withSetOption<T>(y: Argv<T>): Argv<T & SetArgs> {
  return y.option('set', {
    type: 'string',
    array: true,
    default: [] as string[],
    describe: 'override a scenario field, validated like the file: --set components.web.instances=6 --set slo[0].max=300ms (repeatable)',
  }) as unknown as Argv<T & SetArgs>;
}

export function withWorkersOption<T>(y: Argv<T>): Argv<T & { workers?: number }> {
  return y.option('workers', { type: 'number', describe: 'worker threads for replications and sweep points (default: all cores)' }) as unknown as Argv<T & { workers?: number }>;
}
