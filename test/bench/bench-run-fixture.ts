// A bench run folder with known truth, for calibration tests: summary.json and timeseries.csv of a
// step curve (made by the simulator, then marked measured), an access.log in the headroom format
// whose upstream times are drawn from a known distribution and logged on nginx's millisecond clock,
// and a cpu.csv (the bench's format) that follows the utilisation law with a known CPU cost per request.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenario } from '../../src/scenario/index.ts';
import { runScenario } from '../../src/model/index.ts';
import { writeSeriesCsv } from '../../src/report/series-csv.ts';
import { sampler } from '../../src/sim/distribution.ts';
import type { Dist } from '../../src/sim/distribution-types.ts';
import { stream } from '../../src/sim/rng.ts';

export const STEP_SCENARIO = {
  name: 'bench-fixture', seed: 5, duration: '3m', sampleInterval: '10s',
  traffic: { rate: { step: { initial: 10, steps: [{ at: '1m', rate: 20 }, { at: '2m', rate: 40 }] } } },
  components: {
    nginx: { kind: 'loadBalancer', upstream: 'web' },
    web: { kind: 'pool', instances: 2, workers: 8, serviceTime: { dist: 'lognormal', median: '35ms', p99: '140ms' } },
  },
};

export const ADDRS = ['127.0.0.1:9001', '127.0.0.1:9002'];
export const EPOCH = 1_796_000_000; // t = 0 of the run on nginx's clock

export interface FixtureOptions {
  /** Upstream time at each level rate (requests/s): the truth calibration should find at the lowest. */
  service: (rate: number) => Dist;
  upstreamName?: string; // up= in the log (default: the pool's name)
  cpu?: { idle: number; perRequest: number }; // writes cpu.csv
  extraLines?: string[]; // appended to the log
  constantRate?: number; // one level at this rate instead of the 10 → 20 → 40 steps
  cores?: number; // summary.bench.cores: the machine's CPUs as a bench run records them
}

/** Writes the folder; returns the level rates' log line counts. */
export function writeBenchRun(dir: string, o: FixtureOptions): { lines: Record<number, number> } {
  mkdirSync(dir, { recursive: true });
  const raw = o.constantRate === undefined ? STEP_SCENARIO : { ...STEP_SCENARIO, traffic: { rate: o.constantRate } };
  const sc = parseScenario(raw, join(dir, 'bench-fixture.yaml'), dir);
  const { summary, rows } = runScenario(sc);
  summary.source = 'measured';
  if (o.cores !== undefined) (summary as { bench?: unknown }).bench = { mode: 'cpu', cores: o.cores };
  writeFileSync(join(dir, 'summary.json'), JSON.stringify(summary, null, 2));
  writeFileSync(join(dir, 'timeseries.csv'), writeSeriesCsv(rows));

  const rateAt = (t: number) => o.constantRate ?? (t < 60 ? 10 : t < 120 ? 20 : 40);
  const phase = stream(1, 'clock'), over = stream(1, 'overhead');
  const samplers = new Map<number, () => number>();
  const lines: string[] = [];
  const count: Record<number, number> = {};
  const cpu: string[] = ['time,process,pid,cores'];
  const poolRows = rows.filter((r) => r.component === 'web');
  const up = o.upstreamName ?? 'web';
  for (let i = 0; i < 18; i++) {
    const rate = rateAt(i * 10);
    if (!samplers.has(rate)) samplers.set(rate, sampler(o.service(rate), stream(rate, 'svc')));
    const draw = samplers.get(rate)!;
    const n = rate * 10;
    for (let k = 0; k < n; k++) {
      const start = i * 10 + (k + 0.5) / rate;
      const tick = (d: number) => Math.floor(phase() + d / 0.001) * 0.001; // nginx's ms clock
      const urt = tick(draw());
      const rt = urt + (over() < 0.3 ? 0.001 : 0);
      const end = start + rt;
      lines.push(`127.0.0.1 [2026-11-30T00:00:00+00:00] "GET / HTTP/1.1" 200 2 msec=${(EPOCH + end).toFixed(3)} rt=${rt.toFixed(3)} uct="0.000" urt="${urt.toFixed(3)}" ua="${ADDRS[k % 2]}" us="200" up=${up}`);
      count[rate] = (count[rate] ?? 0) + 1;
    }
    if (o.cpu) {
      // The pool's served rate in this interval (from its time series), shared by its two instances.
      const x = poolRows[i]!.throughput / 2;
      ADDRS.forEach((_, j) => cpu.push(`${(i + 1) * 10},web-${j},${4000 + j},${(o.cpu!.idle + o.cpu!.perRequest * x).toFixed(9)}`));
      cpu.push(`${(i + 1) * 10},nginx-worker,3999,0.05`, `${(i + 1) * 10},_generator,3998,0.2`);
    }
  }
  lines.push(...(o.extraLines ?? []));
  writeFileSync(join(dir, 'access.log'), lines.join('\n') + '\n');
  if (o.cpu) writeFileSync(join(dir, 'cpu.csv'), cpu.join('\n') + '\n');
  return { lines: count };
}
