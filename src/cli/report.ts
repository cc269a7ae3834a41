// `headroom report DIR`: re-render DIR/index.html from DIR/summary.json + DIR/timeseries.csv.
// The handler loads what it uses (see main.ts).
import type { CommandModule } from 'yargs';

interface ReportArgs {
  dir: string;
}

export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report <dir>',
  describe: 'Re-render DIR/index.html from the run files (summary.json, timeseries.csv)',
  builder: (y) =>
    y.positional('dir', { type: 'string', describe: 'run directory', demandOption: true }) as never,
  handler: async (argv) => {
    try {
      const { writeReport } = await import('../report/files.ts');
      const out = await writeReport(argv.dir);
      process.stdout.write(`${out}\n`);
    } catch (e) {
      process.stderr.write(`headroom report: ${(e as Error).message}\n`);
      process.exitCode = 2;
    }
  },
};
