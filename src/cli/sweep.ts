// `headroom sweep FILE`: a sweep file's points × replications on all cores; the table, the
// cheapest point meeting every SLO, sweep.json and an HTML report with the cost/p99 frontier.
// `--shard k/N` runs one deterministic share (merge the shards with `headroom merge`).
import { join, resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { fail } from './errors.ts';
import { progressBar } from './progress.ts';
import { withSetOption, withWorkersOption } from './set-option.ts';

interface SweepArgs {
  file: string;
  set: string[];
  workers?: number;
  shard?: string;
  out?: string;
  json: boolean;
  html: boolean;
  'max-cpu': string;
}

export const sweepCommand: CommandModule<object, SweepArgs> = {
  command: 'sweep <file>',
  describe: 'Run a sweep file (grid, random or search for the cheapest fleet meeting every SLO) on all cores',
  builder: (y) =>
    withWorkersOption(withSetOption(y
      .positional('file', { type: 'string', demandOption: true, describe: 'sweep file: { scenario: FILE, sweep: { mode, parameters } }' })
      .option('shard', { type: 'string', describe: 'run only shard k of N (e.g. 3/40; merge the results with headroom merge)' })
      .option('out', { type: 'string', describe: 'output directory (default reports/<sweep file name>)' })
      .option('json', { type: 'boolean', default: false, describe: 'print sweep.json to stdout instead of the table' })
      .option('html', { type: 'boolean', default: true, describe: 'write index.html (--no-html to skip; shards never write it)' })
      .option('max-cpu', { type: 'string', default: '2h', describe: 'refuse a sweep estimated to need more CPU time than this' }))) as never,
  handler: async (args) => {
    try {
      const [{ loadSweep }, { plan, runSweep }, points, est, { RunPool, defaultWorkers }, { parseDuration }] = await Promise.all([
        import('../sweep/spec.ts'), import('../sweep/run-sweep.ts'), import('../sweep/points.ts'), import('../sweep/estimate.ts'),
        import('../sweep/pool.ts'), import('../scenario/units.ts'),
      ]);
      const shard = args.shard === undefined ? null : points.parseShard(String(args.shard));
      if (args.shard !== undefined && shard === null) throw new Error(`--shard: expected k/N with 1 ≤ k ≤ N, like 3/40, got ${JSON.stringify(args.shard)}`);
      const budget = parseDuration(args['max-cpu'], { file: '--max-cpu', path: '' });
      const spec = loadSweep(args.file, args.set);
      // The results folder is checked before any work, so a refusal costs nothing and writes nothing.
      const [{ planRunDir }, { defaultName }] = await Promise.all([import('../report/output.ts'), import('../scenario/parse.ts')]);
      const out = args.out ?? join('reports', defaultName(args.file)); // the file's name made one safe path segment
      const outPlan = planRunDir(out);
      const dir = resolve(out);
      const p = plan(spec, shard);
      const workers = Math.max(1, Math.min(args.workers ?? defaultWorkers(), p.runs || 1));
      const multiply = spec.parameters.filter((x) => x.kind === 'multiply').reduce((m, x) => m * (x.levels.reduce((s, l) => s + (l.numeric ?? 1), 0) / x.levels.length), 1);
      const work = est.estimate(p.runs, spec.scenario, multiply);
      if (work.cpuSeconds > budget) {
        throw new Error(`${args.file}: refused: ${est.describe(work, workers)}, over --max-cpu ${args['max-cpu']}. Narrow the sweep, split it into shards (--shard k/N, see docs/), or raise --max-cpu`);
      }
      const bar = progressBar(`sweeping ${spec.scenario.name}: ${p.runs} runs${shard ? ` (shard ${shard.index}/${shard.count})` : ''}`);
      const pool = await RunPool.open(workers);
      let result;
      try {
        result = await runSweep(spec, shard, pool, (f) => bar.update(f));
      } finally {
        bar.done();
        await pool.close();
      }
      const [{ resultText }, { sweepTable }, { writeFilesAtomically }] = await Promise.all([
        import('../sweep/result.ts'), import('../sweep/table.ts'), import('../report/files.ts'),
      ]);
      const files: Record<string, string> = { 'sweep.json': resultText(result) };
      if (args.html && shard === null) files['index.html'] = await (await import('../report/sweep.ts')).renderSweep(result);
      writeFilesAtomically(dir, files, outPlan);
      process.stdout.write(args.json ? resultText(result) : `${sweepTable(result)}\nwritten: ${dir}/{${Object.keys(files).join(',')}}\n`);
      process.exitCode = shard === null && result.cheapest === null && result.slo.length > 0 ? 1 : 0;
    } catch (e) {
      fail(e);
    }
  },
};
