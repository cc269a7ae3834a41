// `headroom check FILE…`: the SLOs of every scenario as a CI gate — a pass/fail table, JUnit XML,
// a Markdown summary, GitHub Actions annotations, a baseline to hold changes against.
// Exit 0 all passed, 1 an SLO failed (or was inconclusive) or a figure regressed, 2 bad input.
import type { CommandModule } from 'yargs';
import { fail } from './errors.ts';
import { progressBar } from './progress.ts';
import { withSetOption, withWorkersOption } from './set-option.ts';

interface CheckArgs {
  files: string[];
  set: string[];
  seed?: number;
  replications?: number;
  workers?: number;
  junit?: string;
  summary?: string;
  baseline?: string;
  'update-baseline': boolean;
  'min-change': string;
  inconclusive: 'fail' | 'pass';
  json: boolean;
}

export const checkCommand: CommandModule<object, CheckArgs> = {
  command: 'check <files..>',
  describe: 'Run every scenario\'s SLOs as a CI gate: table, --junit, --summary (Markdown), GitHub annotations, --baseline',
  builder: (y) =>
    withWorkersOption(withSetOption(y
      .positional('files', { type: 'string', array: true, demandOption: true, describe: 'scenario files' })
      .option('seed', { type: 'number', describe: 'override every scenario\'s seed' })
      .option('replications', { type: 'number', describe: 'seeds per scenario; SLOs are judged on the 95% CI of the mean (default 1; with --baseline the baseline\'s count, 5 when writing one)' })
      .option('junit', { type: 'string', describe: 'write JUnit XML here: one testcase per SLO per scenario' })
      .option('summary', { type: 'string', describe: 'write a Markdown summary here (a PR comment, or "$GITHUB_STEP_SUMMARY")' })
      .option('baseline', { type: 'string', describe: 'directory of stored runs (<scenario name>.json): fail on a regression beyond the run-to-run noise' })
      .option('update-baseline', { type: 'boolean', default: false, describe: 'write the baseline files instead of comparing' })
      .option('min-change', { type: 'string', default: '0%', describe: 'ignore significant baseline changes smaller than this, e.g. 2%' })
      .option('inconclusive', { choices: ['fail', 'pass'] as const, default: 'fail' as const, describe: 'how an SLO the replications cannot decide counts' })
      .option('json', { type: 'boolean', default: false, describe: 'print the results as JSON instead of the table' }))) as never,
  handler: async (args) => {
    try {
      const [{ runCheck, exitCode }, out, { parsePercent }, { writeFileAtomic }, { defaultWorkers }] = await Promise.all([
        import('../check/check.ts'), import('../check/outputs.ts'), import('../scenario/units.ts'), import('../report/files.ts'), import('../sweep/pool.ts'),
      ]);
      const minChange = parsePercent(args['min-change'], { file: '--min-change', path: '' });
      const bar = progressBar(`checking ${args.files.length} scenario${args.files.length === 1 ? '' : 's'}`);
      const report = await runCheck({
        files: args.files.map(String), set: args.set, seed: args.seed, replications: args.replications,
        workers: args.workers ?? defaultWorkers(), baseline: args.baseline, updateBaseline: args['update-baseline'],
        minChange, onProgress: (f) => bar.update(f),
      });
      bar.done();
      const fails = args.inconclusive === 'fail';
      for (const c of report.scenarios) if (c.baseline?.kind === 'written') await writeFileAtomic(c.baseline.file, c.baseline.content);
      if (args.junit) await writeFileAtomic(args.junit, out.junitXml(report, fails));
      if (args.summary) await writeFileAtomic(args.summary, out.markdown(report, fails));
      if (process.env.GITHUB_ACTIONS === 'true') for (const line of out.annotations(report, fails)) process.stdout.write(line + '\n');
      process.stdout.write((args.json ? JSON.stringify(report, null, 2) : out.terminalText(report)) + '\n');
      process.exitCode = exitCode(report, fails);
    } catch (e) {
      fail(e);
    }
  },
};
