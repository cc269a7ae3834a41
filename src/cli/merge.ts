// `headroom merge SHARD…`: shard results of one sweep into the result the unsharded sweep gives
// (the same sweep.json, byte for byte), with the table and the HTML report.
import { resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { fail } from './errors.ts';

interface MergeArgs {
  files: string[];
  out: string;
  json: boolean;
  html: boolean;
}

export const mergeCommand: CommandModule<object, MergeArgs> = {
  command: 'merge <files..>',
  describe: 'Merge the sweep.json of every shard (sweep --shard k/N) into the whole sweep result',
  builder: (y) =>
    y
      .positional('files', { type: 'string', array: true, demandOption: true, describe: 'shard result files (sweep.json of each shard)' })
      .option('out', { type: 'string', demandOption: true, describe: 'output directory for the merged sweep.json and index.html' })
      .option('json', { type: 'boolean', default: false, describe: 'print the merged sweep.json instead of the table' })
      .option('html', { type: 'boolean', default: true, describe: 'write index.html (--no-html to skip)' }) as never,
  handler: async (args) => {
    try {
      const [{ mergeShards }, { resultText }, { sweepTable }, { writeFilesAtomically }] = await Promise.all([
        import('../sweep/merge.ts'), import('../sweep/result.ts'), import('../sweep/table.ts'), import('../report/files.ts'),
      ]);
      const result = mergeShards(args.files.map(String));
      const dir = resolve(args.out);
      const files: Record<string, string> = { 'sweep.json': resultText(result) };
      if (args.html) files['index.html'] = await (await import('../report/sweep.ts')).renderSweep(result);
      writeFilesAtomically(dir, files);
      process.stdout.write(args.json ? resultText(result) : `${sweepTable(result)}\nwritten: ${dir}/{${Object.keys(files).join(',')}}\n`);
      process.exitCode = result.cheapest === null && result.slo.length > 0 ? 1 : 0;
    } catch (e) {
      fail(e);
    }
  },
};
