// `headroom compare A B [C...]`: runs side by side against the first — a terminal table (or
// --json), an HTML page, and with --fail-on-regression exit 1 when a key figure is worse than the
// baseline beyond the run-to-run noise (both runs need replications; else exit 2: it cannot tell).
// When simulated and measured runs meet, predicted vs measured per load level (src/report/fidelity.ts).
// The handler loads what it uses (see main.ts).
import type { CommandModule } from 'yargs';

interface CompareArgs {
  runs: string[];
  out: string;
  label?: string[];
  json: boolean;
  html: boolean;
  'fail-on-regression': boolean;
}

export const compareCommand: CommandModule<object, CompareArgs> = {
  command: 'compare <runs..>',
  describe: 'Compare two or more run directories (the first is the baseline): table, --json, HTML page; a simulated and a measured run also get predicted vs measured per load level',
  builder: (y) =>
    y
      .positional('runs', { type: 'string', array: true, describe: 'run directories', demandOption: true })
      .option('out', { alias: 'o', type: 'string', default: 'reports/compare.html', describe: 'output HTML file' })
      .option('label', { type: 'string', array: true, describe: 'a label per run, in order (default: directory names)' })
      .option('json', { type: 'boolean', default: false, describe: 'print the comparison as JSON instead of the table' })
      .option('html', { type: 'boolean', default: true, describe: 'write the HTML page (--no-html to skip)' })
      .option('fail-on-regression', { type: 'boolean', default: false, describe: 'exit 1 when a key figure is worse than the baseline beyond the noise (runs need --replications)' }) as never,
  handler: async (argv) => {
    try {
      const dirs = (argv.runs ?? []).map(String);
      if (dirs.length < 2) throw new Error(`needs at least two run directories (got ${dirs.length})`);
      const html = argv.html !== false; // also when the handler is called without yargs' defaults
      if (html) (await import('../report/output.ts')).planReportFile(argv.out); // refuse a bad target before reading anything
      const [{ loadCompareRuns, writeReportFile }, { renderCompare }, { fidelityFor }, { compareJson, compareText }] = await Promise.all([
        import('../report/files.ts'), import('../report/compare.ts'), import('../bench/fidelity-runs.ts'), import('../report/compare-table.ts'),
      ]);
      const runs = await loadCompareRuns(dirs, argv.label?.map(String));
      const j = compareJson(runs);
      if (argv['fail-on-regression'] && j.cannotTell.length > 0) {
        throw new Error(`--fail-on-regression: cannot judge ${j.cannotTell.join(', ')} against ${j.baseline}: both runs need replications (headroom run --replications N)`);
      }
      const fidelity = fidelityFor(runs);
      if (html) writeReportFile(argv.out, await renderCompare(runs, fidelity ? { first: fidelity.html } : {}));
      if (argv.json === true) process.stdout.write(JSON.stringify(j, null, 2) + '\n');
      else process.stdout.write(`${fidelity ? fidelity.text : ''}${compareText(runs)}\n${html ? `written: ${argv.out}\n` : ''}`);
      process.exitCode = argv['fail-on-regression'] && j.regressions.length > 0 ? 1 : 0;
    } catch (e) {
      process.stderr.write(`headroom compare: ${(e as Error).message}\n`);
      process.exitCode = 2;
    }
  },
};
