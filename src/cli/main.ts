#!/usr/bin/env node
// headroom's command line: thin commands that parse, call, print and set the exit code.
//
// Start-up is paid on every call (`decide` runs in loops), so this file loads yargs and the
// command *definitions* only. The pattern every command follows (src/cli/<name>.ts):
//   - top-level imports are node builtins, `import type`, and the light helpers of src/cli
//     (errors.ts, progress.ts); never the simulator, the report or a parser library;
//   - `command`, `describe` and `builder` are static (they are all `--help` needs);
//   - the handler loads what the command uses: `const { x } = await import('../part/x.ts')`.
// The bundle (scripts/build.js) turns each such import into a chunk loaded on demand, and
// test/cli/startup.test.ts fails if `--help` or `decide` loads vega or the simulator.
// To add a command: write src/cli/<name>.ts that way and add it to COMMANDS.
import yargs, { type CommandModule } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { runCommand } from './run.ts';
import { decideCommand } from './decide.ts';
import { reportCommand } from './report.ts';
import { compareCommand } from './compare.ts';
import { benchCommand } from './bench.ts';
import { calibrateCommand } from './calibrate.ts';
import { initCommand } from './init.ts';
import { checkCommand } from './check.ts';
import { validateCommand } from './validate.ts';
import { sweepCommand } from './sweep.ts';
import { mergeCommand } from './merge.ts';
import pkg from '../../package.json' with { type: 'json' };

const COMMANDS = [
  initCommand, runCommand, benchCommand, checkCommand, validateCommand, sweepCommand, mergeCommand,
  decideCommand, reportCommand, compareCommand, calibrateCommand,
] as CommandModule[];

const names = COMMANDS.map((c) => String(c.command).split(' ')[0]);
await COMMANDS.reduce((y, c) => y.command(c), yargs(hideBin(process.argv)).scriptName('headroom'))
  // Said here rather than found by yargs on disk: in the bundle, yargs' own files (package.json
  // lookup, locale files) are not where it looks. headroom's messages are English; so are yargs'.
  .version(pkg.version)
  .locale('en')
  .demandCommand(1, `name a command: ${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`)
  .strict()
  .help()
  .fail((msg, err) => {
    if (err) throw err;
    process.stderr.write(`headroom: ${msg}\n(see headroom --help)\n`);
    process.exit(2);
  })
  .parseAsync();
