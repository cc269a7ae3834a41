#!/usr/bin/env node
// headroom's command line: thin commands that parse, call, print and set the exit code.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { runCommand } from './run.ts';
import { decideCommand } from './decide.ts';
import { reportCommand } from './report.ts';
import { compareCommand } from './compare.ts';
import { benchCommand } from './bench.ts';
import { calibrateCommand } from './calibrate.ts';

await yargs(hideBin(process.argv))
  .scriptName('headroom')
  .command(runCommand)
  .command(decideCommand)
  .command(reportCommand)
  .command(compareCommand)
  .command(benchCommand)
  .command(calibrateCommand)
  .demandCommand(1, 'name a command: run, bench, decide, report, compare or calibrate')
  .strict()
  .help()
  .fail((msg, err) => {
    if (err) throw err;
    process.stderr.write(`headroom: ${msg}\n(see headroom --help)\n`);
    process.exit(2);
  })
  .parseAsync();
