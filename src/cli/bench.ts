// `headroom bench FILE`: the scenario run for real — nginx and upstream processes on loopback, the
// scenario's traffic driven at them — written to a run folder in the simulator's format.
// Heavy modules are imported inside the handler, so other commands do not pay for them.
import { join, resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { fail } from './errors.ts';

interface BenchArgs {
  file: string;
  duration: string;
  mode: string;
  out?: string;
  target?: string;
  'allow-remote': boolean;
  seed?: number;
  port?: number;
  connections?: number;
  json: boolean;
  html: boolean;
}

export const benchCommand: CommandModule<object, BenchArgs> = {
  command: 'bench <file>',
  describe: 'Run a scenario for real: nginx + upstream processes on 127.0.0.1 driven by its traffic curve; writes the run folder as `run` does',
  builder: (y) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'scenario file (YAML or JSON)' })
      .option('duration', { type: 'string', default: '60s', describe: 'traffic time; the scenario\'s curve is compressed (or stretched) to it' })
      .option('mode', { type: 'string', default: 'io', choices: ['io', 'cpu'], describe: 'upstream service time spent waiting (io) or busy on a CPU (cpu)' })
      .option('out', { type: 'string', describe: 'output directory (default reports/<scenario name>)' })
      .option('target', { type: 'string', describe: 'drive this running service (http://127.0.0.1:PORT/path) instead of building the stack' })
      .option('allow-remote', { type: 'boolean', default: false, describe: 'let --target name a non-loopback host' })
      .option('seed', { type: 'number', describe: 'override the scenario seed' })
      .option('port', { type: 'number', describe: 'nginx listen port on 127.0.0.1 (default: a free one)' })
      .option('connections', { type: 'number', describe: 'open model: connections per target port at most (default 1024)' })
      .option('json', { type: 'boolean', default: false, describe: 'print the summary JSON to stdout instead of the table' })
      .option('html', { type: 'boolean', default: true, describe: 'write index.html (--no-html to skip)' }),
  handler: async (args) => {
    const [{ loadScenario, parseDuration }, { preflight }, { runBench, BenchInterrupted }, { writeFilesAtomically }, { writeSeriesCsv }, { formatSummary }, { formatBench }, { progressBar }] = await Promise.all([
      import('../scenario/index.ts'), import('../bench/preflight.ts'), import('../bench/run-bench.ts'),
      import('../report/files.ts'), import('../report/series-csv.ts'), import('./summary-table.ts'), import('./bench-table.ts'), import('./progress.ts'),
    ]);
    let result: Awaited<ReturnType<typeof runBench>> | null = null;
    try {
      const scenario = loadScenario(args.file, args.seed !== undefined ? { seed: args.seed } : {});
      let duration: number;
      try {
        duration = parseDuration(args.duration);
      } catch {
        throw new Error(`--duration: expected a duration like "60s" or "2m", got "${args.duration}"`);
      }
      const mode = args.mode as 'io' | 'cpu';
      const pre = await preflight(scenario, {
        duration, mode, target: args.target, allowRemote: args['allow-remote'], port: args.port, connections: args.connections,
      });
      const dir = resolve(args.out ?? join('reports', scenario.name));
      const bar = progressBar(`bench ${scenario.name}`);
      result = await runBench({
        scenario, duration, mode, out: dir, target: pre.target, port: args.port, maxConnections: args.connections,
        onInterval: (row) => bar.update(row.time / duration),
      });
      bar.done();
      const { summary, rows, files } = result;
      files['timeseries.csv'] = writeSeriesCsv(rows);
      if (args.html) {
        const { renderHtml } = await import('../report/html.ts');
        files['index.html'] = await renderHtml(summary, rows);
      }
      writeFilesAtomically(dir, files);
      result.finish();
      const written = [...Object.keys(files), ...(pre.target ? [] : ['nginx.conf', 'access.log', 'error.log'])];
      if (args.json) process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
      else process.stdout.write(`${formatSummary(summary)}\n\n${formatBench(summary)}\nwritten: ${dir}/{${written.join(',')}}\n`);
      process.exitCode = summary.slo.some((s) => !s.pass) ? 1 : 0;
    } catch (e) {
      result?.discard();
      if (e instanceof BenchInterrupted) {
        process.stderr.write(`headroom: ${e.message}\n`);
        process.exit(e.signal === 'SIGINT' ? 130 : 143);
      }
      fail(e);
    }
  },
};
