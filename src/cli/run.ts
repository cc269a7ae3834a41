// `headroom run FILE`: load, simulate, print the summary, write summary.json, timeseries.csv, index.html.
// The handler loads what it uses (see main.ts); the HTML renderer and vega only without --no-html.
import { join, resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { progressBar } from './progress.ts';
import { fail } from './errors.ts';
import { withSetOption, withWorkersOption } from './set-option.ts';

interface RunArgs {
  file: string;
  json: boolean;
  out?: string;
  seed?: number;
  html: boolean;
  replications: number;
  force: boolean;
  calibration?: string;
  set: string[];
  workers?: number;
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run <file>',
  describe: 'Simulate a scenario: print a summary, write summary.json, timeseries.csv and index.html',
  builder: (y) =>
    withWorkersOption(withSetOption(y
      .positional('file', { type: 'string', demandOption: true, describe: 'scenario file (YAML or JSON)' })
      .option('json', { type: 'boolean', default: false, describe: 'print the summary JSON to stdout instead of the table' })
      .option('out', { type: 'string', describe: 'output directory (default reports/<scenario name>)' })
      .option('seed', { type: 'number', describe: 'override the scenario seed' })
      .option('html', { type: 'boolean', default: true, describe: 'write index.html (--no-html to skip)' })
      .option('calibration', { type: 'string', describe: 'a calibration.json (headroom calibrate) applied over the scenario: service times, overhead, capacity' })
      .option('replications', { type: 'number', default: 1, describe: 'independent runs with seeds seed, seed+1, … on all cores: 95% confidence intervals of the key figures, SLOs judged on them' })
      .option('force', { type: 'boolean', default: false, describe: 'run even when the estimated work exceeds 10 minutes of CPU or half the memory Node may use' }))) as never,
  handler: async (args) => {
    try {
      const { loadScenario } = await import('../scenario/index.ts');
      let scenario = loadScenario(args.file, { ...(args.seed !== undefined ? { seed: args.seed } : {}), set: args.set });
      let calibration: { file: string; applied: string[] } | undefined;
      if (args.calibration !== undefined) {
        const { applyCalibration } = await import('../scenario/calibration.ts');
        const c = applyCalibration(scenario, args.calibration);
        scenario = c.scenario;
        calibration = { file: args.calibration, applied: c.applied };
      }
      const n = args.replications;
      if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new Error(`--replications: expected an integer from 1 to 10000, got ${n}`);
      // Checked before any work, so a refusal costs nothing and writes nothing.
      const [{ planRunDir }, { estimateWork, judgeWork }] = await Promise.all([import('../report/output.ts'), import('../model/work-size.ts')]);
      const out = args.out ?? join('reports', scenario.name); // the name is one safe path segment (the loader checks)
      planRunDir(out);
      const verdict = judgeWork(scenario, estimateWork(scenario, n));
      if (verdict !== null && (verdict.hard || !args.force)) throw new Error(verdict.message);
      const bar = progressBar(`simulating ${scenario.name}`);
      let result;
      if (n === 1) {
        const { runScenario } = await import('../model/index.ts');
        result = runScenario(scenario, { onProgress: (f) => bar.update(f) });
      } else {
        const [{ runOnPool, defaultWorkers }, { okOutcomes, withReplications }] = await Promise.all([
          import('../sweep/pool.ts'), import('../check/replicated.ts'),
        ]);
        const seeds = Array.from({ length: n }, (_, i) => scenario.seed + i);
        const outcomes = okOutcomes(await runOnPool(
          seeds.map((seed, i) => ({ file: args.file, set: args.set, calibration: args.calibration, seed, full: i === 0 })),
          args.workers ?? defaultWorkers(), (f) => bar.update(f),
        ));
        result = withReplications(outcomes[0].full!, outcomes, seeds);
      }
      bar.done();
      const { summary, rows } = result;
      if (calibration !== undefined) summary.calibration = calibration;
      const [{ writeSeriesCsv }, { writeFilesAtomically }, { formatSummary, sloFailed }] = await Promise.all([
        import('../report/series-csv.ts'), import('../report/files.ts'), import('./summary-table.ts'),
      ]);
      const files: Record<string, string> = {
        'summary.json': JSON.stringify(summary, null, 2) + '\n',
        'timeseries.csv': writeSeriesCsv(rows),
      };
      if (args.html) files['index.html'] = await (await import('../report/html.ts')).renderHtml(summary, rows);
      writeFilesAtomically(out, files);
      if (args.json) process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
      else {
        const cal = calibration !== undefined ? `\ncalibrated by ${calibration.file}: ${calibration.applied.join(', ') || 'nothing replaced'}` : '';
        process.stdout.write(formatSummary(summary) + `${cal}\nwritten: ${resolve(out)}/{${Object.keys(files).join(',')}}\n`);
      }
      process.exitCode = sloFailed(summary) ? 1 : 0;
    } catch (e) {
      fail(e);
    }
  },
};
