// Replications gathered from the pool give the same block of summary.json as src/model/replicate.ts
// (the same figures, the same intervals), plus the verdicts on the noise.
import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario } from '../../src/scenario/index.ts';
import { replicate } from '../../src/model/replicate.ts';
import runTask from '../../src/sweep/worker.ts';
import { okOutcomes, replicationsBlock, withReplications } from '../../src/check/replicated.ts';
import { runOnPool } from '../../src/sweep/pool.ts';

const dir = mkdtempSync(join(tmpdir(), 'headroom-rep-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'q.yaml');
writeFileSync(file, `
seed: 11
duration: 3m
traffic: { rate: 30 }
components:
  web: { kind: pool, instances: 2, workers: 1, serviceTime: { dist: exponential, mean: 40ms }, pricePerHour: 0.1 }
slo:
  - { metric: latency.p99, max: 1s }
  - { metric: latency.p90, max: 1ms }
`);

t.test('the same stats as replicate(), and an SLO verdict per SLO', async (t) => {
  const sc = loadScenario(file);
  const theirs = replicate(sc, 4).summary.replications!;
  const seeds = [11, 12, 13, 14];
  const outcomes = okOutcomes(seeds.map((seed) => runTask({ file, set: [], seed })));
  const mine = replicationsBlock(outcomes, seeds);
  t.strictSame(mine.stats, theirs.stats, 'figures, means, intervals, min and max');
  t.strictSame(mine.seeds, theirs.seeds);
  t.strictSame(mine.slo.map(({ name, passed, of }) => ({ name, passed, of })), theirs.slo);
  t.equal(mine.slo[0].judgement!.verdict, 'pass');
  t.equal(mine.slo[1].judgement!.verdict, 'fail');
});

t.test('on the worker pool: the first replication whole, the same block', async (t) => {
  const seeds = [11, 12, 13];
  const pooled = okOutcomes(await runOnPool(seeds.map((seed, i) => ({ file, set: [], seed, full: i === 0 })), 2));
  const inline = okOutcomes(seeds.map((seed) => runTask({ file, set: [], seed })));
  const r = withReplications(pooled[0].full!, pooled, seeds);
  t.strictSame(r.summary.replications, replicationsBlock(inline, seeds), 'threads change nothing');
  t.equal(r.summary.scenario.seed, 11);
  t.ok(r.rows.length > 0);
});
