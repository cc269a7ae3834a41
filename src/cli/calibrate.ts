// `headroom calibrate DIR [DIR…]` (bench run folders) or `headroom calibrate --nginx-log FILE
// --scenario FILE`: fit service times, nginx overhead and capacity; write calibration.json.
import type { CommandModule } from 'yargs';
import { fail } from './errors.ts';

interface CalibrateArgs {
  runs?: string[];
  'nginx-log'?: string;
  scenario?: string;
  pool?: string[];
  out?: string;
  'skip-bad-lines': boolean;
}

export const calibrateCommand: CommandModule<object, CalibrateArgs> = {
  command: 'calibrate [runs..]',
  describe: 'Fit service times, nginx overhead and capacity from bench run folders or an nginx access log: writes calibration.json',
  builder: (y) =>
    y
      .positional('runs', { type: 'string', array: true, describe: 'bench run folders (service times from the lowest load level; capacity from all)' })
      .option('nginx-log', { type: 'string', describe: 'an access log in the headroom log_format (instead of run folders)' })
      .option('scenario', { type: 'string', describe: 'the scenario whose pools the log is mapped to (required with --nginx-log)' })
      .option('pool', { type: 'string', array: true, describe: 'map an nginx upstream to a scenario pool: --pool saler_backend=web' })
      .option('out', { type: 'string', describe: 'calibration file (default: DIR/calibration.json, or reports/<scenario>/calibration.json)' })
      .option('skip-bad-lines', { type: 'boolean', default: false, describe: 'count unreadable log lines instead of stopping at the first' }) as never,
  handler: async (args) => {
    try {
      const { runCalibrate } = await import('./calibrate-run.ts');
      const { text } = await runCalibrate({
        runs: (args.runs ?? []).map(String),
        nginxLog: args['nginx-log'],
        scenario: args.scenario,
        pool: (args.pool ?? []).map(String),
        out: args.out,
        skipBadLines: args['skip-bad-lines'],
      });
      process.stdout.write(text);
    } catch (e) {
      fail(e);
    }
  },
};
