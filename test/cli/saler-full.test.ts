// scenarios/saler-full.yaml through the command line, shortened with --set: it loads, runs every
// kind of the guide's stack, and names its bottleneck in the terminal, summary.json and the series.
import t from 'tap';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSeriesCsv } from '../../src/report/series-csv.ts';
import type { RunSummary } from '../../src/stats/results.ts';
import { headroom } from './spawn.ts';

const tmp = mkdtempSync(join(tmpdir(), 'headroom-full-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));

t.test('saler-full loads and runs (20 minutes of its evening), naming the bottleneck', async (t) => {
  const out = join(tmp, 'full');
  const r = headroom(['run', 'scenarios/saler-full.yaml', '--set', 'duration=20m', '--out', out, '--no-html'], { timeout: 600_000 });
  t.ok(r.status === 0 || r.status === 1, `ran (exit ${r.status}: 0 SLOs met, 1 one missed) ${r.stderr}`);
  const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as RunSummary;
  t.equal(s.scenario.duration, 1200, 'the override applied');
  const kinds = new Set(Object.values(s.components).map((c) => c.kind));
  t.same([...kinds].sort(), ['cache', 'cdn', 'database', 'loadBalancer', 'pool', 'queue'], 'every kind of the guide\'s stack');
  for (const [name, c] of Object.entries(s.components)) t.ok(c.arrivals > 0, `${name} saw traffic (${c.arrivals})`);
  const b = s.bottleneck!;
  t.equal(b.intervals, 120, 'every 10 s interval judged');
  t.ok(b.busiest !== null && b.busiest in s.components, `the busiest is a component of the stack (${b.busiest})`);
  t.ok(b.longestQueue !== null && (b.longestQueue in s.components || b.longestQueue.endsWith('-pool')), `and so is the longest queue (${b.longestQueue})`);
  t.match(r.stdout, new RegExp(`^bottleneck ${b.busiest}: highest utilisation in ${b.components[b.busiest!]!.busiest} of 120 intervals`, 'm'), 'the terminal names it');
  const all = readSeriesCsv(readFileSync(join(out, 'timeseries.csv'), 'utf8')).filter((row) => row.component === '_all');
  t.equal(all.filter((row) => row.bottleneck_util === b.busiest).length, b.components[b.busiest!]!.busiest, 'the series names it in as many intervals');
  t.ok(all.some((row) => row.component === '_all' && row.bottleneck_queue !== null), 'and the longest queue per interval');
});
