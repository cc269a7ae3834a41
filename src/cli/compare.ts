// `headroom compare A B [C...] [--out FILE]`: runs side by side, deltas against the first; when
// simulated and measured runs meet, predicted vs measured per load level (src/report/fidelity.ts).
// The handler loads what it uses (see main.ts).
import type { CommandModule } from 'yargs';

interface CompareArgs {
  runs: string[];
  out: string;
  label?: string[];
}

export const compareCommand: CommandModule<object, CompareArgs> = {
  command: 'compare <runs..>',
  describe: 'Compare two or more run directories (the first is the baseline) in one HTML page; a simulated and a measured run also get predicted vs measured per load level',
  builder: (y) =>
    y
      .positional('runs', { type: 'string', array: true, describe: 'run directories', demandOption: true })
      .option('out', { alias: 'o', type: 'string', default: 'reports/compare.html', describe: 'output HTML file' })
      .option('label', { type: 'string', array: true, describe: 'a label per run, in order (default: directory names)' }) as never,
  handler: async (argv) => {
    try {
      const runs = (argv.runs ?? []).map(String);
      if (runs.length < 2) throw new Error(`needs at least two run directories (got ${runs.length})`);
      const { loadCompareRuns, writeFileAtomic } = await import('../report/files.ts');
      const { renderCompare } = await import('../report/compare.ts');
      const { fidelityFor } = await import('../bench/fidelity-runs.ts');
      const loaded = await loadCompareRuns(runs, argv.label?.map(String));
      const fidelity = fidelityFor(loaded);
      const html = await renderCompare(loaded, fidelity ? { first: fidelity.html } : {});
      await writeFileAtomic(argv.out, html);
      if (fidelity) process.stdout.write(fidelity.text);
      process.stdout.write(`${argv.out}\n`);
    } catch (e) {
      process.stderr.write(`headroom compare: ${(e as Error).message}\n`);
      process.exitCode = 2;
    }
  },
};
