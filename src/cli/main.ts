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
import { checkCommand } from './check.ts';
import { validateCommand } from './validate.ts';
import { sweepCommand } from './sweep.ts';
import { mergeCommand } from './merge.ts';

await yargs(hideBin(process.argv))
  .scriptName('headroom')
  .command(runCommand)
  .command(decideCommand)
  .command(reportCommand)
  .command(compareCommand)
  .command(benchCommand)
  .command(calibrateCommand)
  .command(checkCommand)
  .command(validateCommand)
  .command(sweepCommand)
  .command(mergeCommand)
  .demandCommand(1, 'name a command: run, bench, check, validate, sweep, merge, decide, report, compare or calibrate')
  .strict()
  .help()
  .fail((msg, err) => {
    if (err) throw err;
    process.stderr.write(`headroom: ${msg}\n(see headroom --help)\n`);
    process.exit(2);
  })
  .parseAsync();
