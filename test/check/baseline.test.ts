// Baselines hold their false-alarm rate: an unchanged scenario against its own baseline (other
// seeds) passes in at least 95% of comparisons, and a 20% slower service time is caught.
// Runs in process (worker.ts's function), small and short: 2 simulated minutes at 40 r/s.
import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import runTask from '../../src/sweep/worker.ts';
import { compareWithBaseline, type BaselineFile } from '../../src/check/baseline.ts';
import { figureValues, okOutcomes } from '../../src/check/replicated.ts';

const dir = mkdtempSync(join(tmpdir(), 'headroom-base-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'b.yaml');
writeFileSync(file, `
name: b
duration: 2m
traffic: { rate: 40 }
components:
  lb: { kind: loadBalancer, upstream: web, balancing: least_conn }
  web: { kind: pool, instances: 3, workers: 1, serviceTime: { dist: exponential, mean: 40ms }, pricePerHour: 0.1 }
`);

const N = 5; // replications a side
const figures = (seeds: number[], set: string[] = []) => figureValues(okOutcomes(seeds.map((seed) => runTask({ file, set, seed }))));
const baseline = (seeds: number[]): BaselineFile => ({ format: 'headroom-baseline/1', headroom: 'test', scenario: 'b', file, set: [], seeds, figures: figures(seeds) });

t.test('unchanged: passes in at least 95% of comparisons (false alarms held at 5%)', async (t) => {
  // 240 runs (seeds 1000…1239); each of 200 comparisons takes 10 distinct ones at random, 5 a
  // side. Any 10 distinct seeds are independent runs of the same scenario, so each comparison is
  // a fair draw of "nothing changed".
  const pool = Array.from({ length: 240 }, (_, i) => 1000 + i);
  const runs = new Map(pool.map((seed) => [seed, figures([seed])]));
  const rng = seedrandom('false-alarms');
  let passed = 0, rawAlarms = 0;
  const trials = 200;
  const join = (seeds: number[]) => {
    const out: Record<string, number[]> = {};
    for (const s of seeds) for (const [k, v] of Object.entries(runs.get(s)!)) (out[k] ??= []).push(v[0]);
    return out;
  };
  for (let k = 0; k < trials; k++) {
    const pick = [...pool].sort(() => rng() - 0.5).slice(0, 2 * N);
    const base: BaselineFile = { format: 'headroom-baseline/1', headroom: 'test', scenario: 'b', file, set: [], seeds: pick.slice(0, N), figures: join(pick.slice(0, N)) };
    const cmp = compareWithBaseline(base, join(pick.slice(N)));
    if (!cmp.some((c) => c.verdict === 'worse')) passed++;
    if (cmp.find((c) => c.metric === 'latency.mean')!.p < 0.05) rawAlarms++;
  }
  t.ok(passed / trials >= 0.95, `passed ${passed} of ${trials} (${(100 * passed / trials).toFixed(1)}%)`);
  // And the test is not blind: one figure alone, at 5% two-sided, alarms about 5% of the time.
  t.ok(rawAlarms / trials > 0.01 && rawAlarms / trials < 0.12, `latency.mean alone: p < 0.05 in ${rawAlarms} of ${trials}`);
});

t.test('a 20% slower service time fails, seed after seed', async (t) => {
  let caught = 0;
  const trials = 10;
  for (let k = 0; k < trials; k++) {
    const seeds = Array.from({ length: N }, (_, i) => 2000 + k * 20 + i);
    const cmp = compareWithBaseline(baseline(seeds), figures(seeds.map((s) => s + 10), ['components.web.serviceTime.mean=48ms']));
    const worse = cmp.filter((c) => c.verdict === 'worse').map((c) => c.metric);
    if (worse.includes('latency.mean')) caught++;
  }
  t.equal(caught, trials, `caught in ${caught} of ${trials}`);
});

t.test('the same seeds on both sides: identical, nothing to report', async (t) => {
  const seeds = [1, 2, 3];
  const cmp = compareWithBaseline(baseline(seeds), figures(seeds));
  t.ok(cmp.every((c) => c.verdict === 'within-noise' && c.p === 1));
});
