// Predicted vs measured in `compare`: load levels from the recorded curve, per-level throughput and
// percentiles, error = (predicted − measured)/measured, in the terminal and in the HTML page.
import t from 'tap';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScenario } from '../../src/scenario/index.ts';
import { runScenario } from '../../src/model/index.ts';
import { writeSeriesCsv } from '../../src/report/series-csv.ts';
import { constantRateOn, levelPlan } from '../../src/traffic/levels.ts';
import { runLevels } from '../../src/bench/run-levels.ts';
import { levelFigures } from '../../src/report/fidelity.ts';
import { errorColumns, type RunSummary, type SeriesRow } from '../../src/stats/results.ts';
import { headroom } from '../cli/spawn.ts';

const tmp = mkdtempSync(join(tmpdir(), 'headroom-fidelity-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));

t.test('a level is where the curve holds one rate over a whole interval', async (t) => {
  const step = { kind: 'step' as const, initial: 10, steps: [{ at: 60, rate: 20 }, { at: 125, rate: 10 }] };
  t.equal(constantRateOn(step, 50, 60), 10);
  t.equal(constantRateOn(step, 60, 70), 20, 'a step at the interval start belongs to it');
  t.equal(constantRateOn(step, 120, 130), null, 'a step inside the interval: no level');
  t.equal(constantRateOn({ kind: 'ramp', from: 1, to: 5, start: 10, end: 20 }, 12, 14), null);
  t.equal(constantRateOn({ kind: 'ramp', from: 1, to: 5, start: 10, end: 20 }, 20, 30), 5);
  t.equal(constantRateOn({ kind: 'spike', base: 2, peak: 9, at: 10, rise: 5, hold: 10, decay: 5 }, 15, 25), 9, 'the plateau');
  t.equal(constantRateOn({ kind: 'spike', base: 2, peak: 9, at: 10, rise: 5, hold: 10, decay: 5 }, 25, 30), null, 'the decay');
  t.equal(constantRateOn({ kind: 'sum', of: [{ kind: 'constant', rate: 1 }, step] }, 0, 10), 11);
  t.equal(constantRateOn({ kind: 'trace', times: [0, 10, 20], rates: [5, 5, 7], interpolate: 'linear', source: 'x' }, 0, 10), 5);
  t.equal(constantRateOn({ kind: 'trace', times: [0, 10, 20], rates: [5, 5, 7], interpolate: 'linear', source: 'x' }, 5, 15), null);
  const plan = levelPlan(step, [30, 60, 90, 120, 150, 180], 30);
  t.same(plan.rates, [10, 20]);
  t.same(plan.levelOf, [-1, 0, 1, 1, -1, 0], 'warmup, then 10, 20, 20, a transition, 10 again (same level)');
});

t.test("a bench run that plays the curve faster (bench.timeScale): levels on the run's own clock", async (t) => {
  const summary = {
    scenario: { warmup: 0, duration: 60 }, totals: { offeredRate: 15 }, bench: { timeScale: 2 },
    scenarioSource: { workload: { model: 'open', rate: { kind: 'step', initial: 10, steps: [{ at: 60, rate: 20 }] } } },
  } as unknown as RunSummary;
  const rows = [10, 20, 30, 40, 50, 60].map((time) => row(time, 1, 0.01, 0.02));
  const lv = runLevels(summary, rows);
  t.same(lv.rates, [10, 20]);
  t.same(lv.levelOf, [0, 0, 0, 1, 1, 1], 'the step at scenario 60 s is at run 30 s');
  t.ok(lv.fromCurve);
});

function row(time: number, throughput: number, p50: number | null, p99: number | null): SeriesRow {
  return {
    time, component: '_all', offered: throughput, throughput, ...errorColumns({}),
    latency_p50: p50, latency_p95: p99, latency_p99: p99, latency_max: p99, in_flight: 0, queue_mean: 0, utilisation: null,
    instances_desired: null, instances_ready: null, instances_total: null, cost: null,
  };
}

t.test('level figures: exact throughput, completions-weighted percentiles with their bounds', async (t) => {
  const summary = { scenario: { warmup: 0 }, latency: { count: 0 }, totals: { offeredRate: 0 }, scenarioSource: null } as unknown as RunSummary;
  const rows = [row(10, 10, 0.02, 0.1), row(20, 30, 0.04, 0.3), row(30, 50, 0.05, 0.5)];
  const [low, high] = levelFigures({ label: 'x', summary, levels: { rates: [10, 40], levelOf: [0, 1, 1], rows, fromCurve: true } });
  t.same(low!.throughput, { value: 10, exact: true, low: 10, high: 10 }, 'one interval: its own figures, exact');
  t.equal(low!.p99!.value, 0.1);
  t.equal(high!.throughput.value, 40, '(300 + 500 completions) / 20 s');
  t.ok(Math.abs(high!.p99!.value - (0.3 * 300 + 0.5 * 500) / 800) < 1e-12, 'Vincentized: weighted by completions');
  t.same([high!.p99!.exact, high!.p99!.low, high!.p99!.high], [false, 0.3, 0.5]);
});

/** A run folder from the simulator; `measured` marks it as a bench run would be. */
function runFolder(name: string, raw: Record<string, unknown>, measured: boolean): { dir: string; summary: RunSummary; rows: SeriesRow[] } {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  const { summary, rows } = runScenario(parseScenario(raw, `${name}.yaml`, tmp));
  if (measured) summary.source = 'measured';
  writeFileSync(join(dir, 'summary.json'), JSON.stringify(summary));
  writeFileSync(join(dir, 'timeseries.csv'), writeSeriesCsv(rows));
  return { dir, summary, rows };
}

const stack = (rate: unknown, median: string) => ({
  seed: 3, duration: '30m', warmup: '1m', sampleInterval: '1m', traffic: { rate },
  components: { lb: { kind: 'loadBalancer', upstream: 'web' }, web: { kind: 'pool', instances: 2, workers: 4, serviceTime: { dist: 'lognormal', median, p99: '200ms' } } },
});
const STEP = { step: { initial: 10, steps: [{ at: '10m', rate: 20 }, { at: '20m', rate: 40 }] } };

t.test('compare SIM MEASURED on a step curve: a row per step, errors of the right sign and size', async (t) => {
  const sim = runFolder('sim', stack(STEP, '40ms'), false);
  const meas = runFolder('meas', { ...stack(STEP, '48ms'), seed: 4 }, true); // the "real" service is 20 % slower
  for (const [a, b] of [[sim.dir, meas.dir], [meas.dir, sim.dir]]) {
    const out = join(tmp, 'c.html');
    const r = headroom(['compare', a!, b!, '--out', out]);
    t.equal(r.status, 0, r.stderr);
    const lines = r.stdout.split('\n');
    t.match(lines[0], /^Predicted vs measured per load level/);
    const levels = lines.filter((l) => /^\d+ r\/s\s+sim\s+meas/.test(l));
    t.same(levels.map((l) => l.split(/\s+/)[0]), ['10', '20', '40'], 'either order: sim is the prediction');
    const errors = levels.map((l) => [...l.matchAll(/([+−±])(\d+\.\d)%/g)].map((m) => (m[1] === '−' ? -1 : 1) * Number(m[2])));
    for (const [thr, p50] of errors) {
      t.ok(Math.abs(thr!) < 5, `throughput error ${thr}% (both see the same offered load)`);
      t.ok(p50! < -8 && p50! > -30, `p50 error ${p50}%: predicted below measured, about 40/48 − 1 = −17 %`);
    }
    const html = readFileSync(out, 'utf8');
    t.match(html, /<h2 id="fidelity">Predicted vs measured<\/h2>/);
    t.equal((html.match(/data-error="-?[\d.e-]+"/g) ?? []).length, 12, '3 levels × 4 figures with their errors');
  }
  // Checked against the files: the 20 r/s row's throughput error is (sim − meas)/meas over that level's intervals.
  const level = (s: { summary: RunSummary; rows: SeriesRow[] }) => levelFigures({ label: '', summary: s.summary, levels: runLevels(s.summary, s.rows) })[1]!;
  const e = (level(sim).throughput.value - level(meas).throughput.value) / level(meas).throughput.value;
  const r = headroom(['compare', sim.dir, meas.dir, '--out', join(tmp, 'c2.html')]);
  const line = r.stdout.split('\n').find((l) => l.startsWith('20 r/s'))!;
  t.match(line, `${e >= 0 ? '+' : '−'}${Math.abs(e * 100).toFixed(1)}%`);
});

t.test('separate runs per load (the bench:fidelity shape): matched by rate, exact percentiles', async (t) => {
  const dirs = [
    runFolder('sim-10', stack(10, '40ms'), false), runFolder('sim-30', stack(30, '40ms'), false),
    runFolder('bench-10', { ...stack(10, '40ms'), seed: 8 }, true), runFolder('bench-30', { ...stack(30, '40ms'), seed: 8 }, true),
  ];
  const r = headroom(['compare', ...dirs.map((d) => d.dir), '--out', join(tmp, 'c3.html')]);
  t.equal(r.status, 0, r.stderr);
  const levels = r.stdout.split('\n').filter((l) => /^\d+ r\/s/.test(l));
  t.same(levels.map((l) => l.split(/\s+/).slice(0, 4).join(' ')), ['10 r/s sim-10 bench-10', '30 r/s sim-30 bench-30'], 'no cross-load pairs');
  t.notMatch(levels.join('\n'), /≈/, 'each level is a whole run: exact percentiles');
  t.match(levels[0], new RegExp(`${(dirs[0]!.summary.latency.p50 * 1000).toPrecision(3)} ms / ${(dirs[2]!.summary.latency.p50 * 1000).toPrecision(3)} ms`), "the runs' own p50s");
});

t.test('the Vincentized level percentile brackets the exact one (within interval histograms\' 2 digits)', async (t) => {
  const run = runFolder('const', { ...stack(30, '40ms'), duration: '2h' }, false);
  const plan = runLevels(run.summary, run.rows);
  // Treat the whole run as if it were one step of a longer one: force the approximate path.
  const [lvl] = levelFigures({ label: '', summary: run.summary, levels: { ...plan, rates: [...plan.rates, 999] } });
  for (const q of ['p50', 'p95', 'p99'] as const) {
    const f = lvl![q]!, exact = run.summary.latency[q];
    t.notOk(f.exact);
    t.ok(f.low * 0.99 <= exact && exact <= f.high * 1.01, `${q}: exact ${exact.toFixed(4)} in [${f.low.toFixed(4)}, ${f.high.toFixed(4)}]`);
    t.comment(`${q}: Vincentized ${f.value.toFixed(4)} vs exact ${exact.toFixed(4)} (${(((f.value - exact) / exact) * 100).toFixed(2)} %)`);
  }
});
