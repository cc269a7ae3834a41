// `headroom compare A B [C...] [--out FILE]`: runs side by side, deltas against the first.
// The handler loads what it uses (see main.ts).
import type { CommandModule } from 'yargs';

interface CompareArgs {
  runs: string[];
  out: string;
  label?: string[];
}

export const compareCommand: CommandModule<object, CompareArgs> = {
  command: 'compare <runs..>',
  describe: 'Compare two or more run directories (the first is the baseline) in one HTML page',
  builder: (y) =>
    y
      .positional('runs', { type: 'string', array: true, describe: 'run directories', demandOption: true })
      .option('out', { alias: 'o', type: 'string', default: 'reports/compare.html', describe: 'output HTML file' })
      .option('label', { type: 'string', array: true, describe: 'a label per run, in order (default: directory names)' }) as never,
  handler: async (argv) => {
    try {
      const runs = (argv.runs ?? []).map(String);
      if (runs.length < 2) throw new Error(`needs at least two run directories (got ${runs.length})`);
      const { writeCompare } = await import('../report/files.ts');
      const out = await writeCompare(runs, argv.out, argv.label?.map(String));
      process.stdout.write(`${out}\n`);
    } catch (e) {
      process.stderr.write(`headroom compare: ${(e as Error).message}\n`);
      process.exitCode = 2;
    }
  },
};
