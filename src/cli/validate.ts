// `headroom validate FILE…`: check scenario (and sweep) files without running anything — for
// pre-commit hooks and lint jobs. Every bad file gets its line; exit 2 if any was bad.
import type { CommandModule } from 'yargs';
import { withSetOption } from './set-option.ts';

interface ValidateArgs {
  files: string[];
  set: string[];
  quiet: boolean;
}

export const validateCommand: CommandModule<object, ValidateArgs> = {
  command: 'validate <files..>',
  describe: 'Check scenario and sweep files without running them (exit 2 if any is bad)',
  builder: (y) =>
    withSetOption(y
      .positional('files', { type: 'string', array: true, demandOption: true, describe: 'scenario or sweep files' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'print only the bad files' })) as never,
  handler: async (args) => {
    const { validateFile } = await import('../sweep/validate-file.ts');
    let bad = 0;
    for (const file of args.files.map(String)) {
      try {
        const kind = validateFile(file, args.set);
        if (!args.quiet) process.stdout.write(`ok  ${file} (${kind})\n`);
      } catch (e) {
        bad++;
        process.stderr.write(`headroom: ${(e as Error).message}\n`);
      }
    }
    process.exitCode = bad > 0 ? 2 : 0;
  },
};
