// Sweeps in process: the sweep file's checks, the same table on 1 and 2 workers, search against
// the grid it shortcuts, shards that partition the grid and merge back exactly.
import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSweep } from '../../src/sweep/spec.ts';
import { RunPool } from '../../src/sweep/pool.ts';
import { plan, runSweep } from '../../src/sweep/run-sweep.ts';
import { resultText } from '../../src/sweep/result.ts';
import { parseShard, gridPoints } from '../../src/sweep/points.ts';
import { mergeShards } from '../../src/sweep/merge.ts';
import { messageOf } from '../scenario/helpers.ts';
import { thrownMessage } from '../thrown.ts';

const dir = mkdtempSync(join(tmpdir(), 'headroom-sweep-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 's.yaml'), `
name: s
seed: 2
duration: 2m
traffic: { rate: 40 }
components:
  lb: { kind: loadBalancer, upstream: web, balancing: least_conn }
  web: { kind: pool, instances: 3, workers: 1, serviceTime: { dist: exponential, mean: 40ms }, pricePerHour: 0.1 }
slo:
  - { metric: latency.p99, max: 250ms }
`);
const sweep = (name: string, body: string) => {
  const f = join(dir, name);
  writeFileSync(f, `scenario: s.yaml\nsweep:\n${body}`);
  return f;
};
const grid = sweep('grid.yaml', `  mode: grid
  replications: 2
  parameters:
    web: { path: components.web.instances, range: { from: 2, to: 7 } }
    load: { path: traffic.rate, multiply: [1, 1.25] }
`);

let pool1: RunPool, pool2: RunPool;
t.before(async () => {
  [pool1, pool2] = await Promise.all([RunPool.open(1), RunPool.open(2)]);
});
t.teardown(async () => {
  await Promise.all([pool1?.close(), pool2?.close()]);
});

t.test('the sweep file is checked up front, each value as the scenario would check it', async (t) => {
  const cases: Array<[string, RegExp]> = [
    ['  parameters:\n    web: { path: components.web.instances, range: { from: 2, to: ten } }\n', /bad\.yaml: sweep\.parameters\.web\.range\.to: expected a number ≥ 2, got "ten"$/],
    ['  parameters:\n    web: { path: components.web.instances, values: [2, three] }\n', /bad\.yaml: sweep\.parameters\.web\.values\[1\]: value "three": \S*s\.yaml: components\.web\.instances: expected an integer ≥ 0, got "three"$/],
    ['  parameters:\n    load: { path: traffic.rate, multiply: [1, lots] }\n', /sweep\.parameters\.load\.multiply\[1\]: expected a number > 0, got "lots"/],
    ['  parameters:\n    web: { path: components.web.instnaces, values: [2] }\n', /unknown key "instnaces"; did you mean "instances"\?/],
    ['  mode: search\n  parameters:\n    web: { path: components.web.instances, values: [2, many] }\n', /sweep\.parameters\.web\.values: expected numbers \(search bisects/],
    ['  mode: serach\n  parameters:\n    web: { path: components.web.instances, values: [2] }\n', /sweep\.mode: expected one of grid, random, search \(did you mean "search"\?\)/],
    ['  parameters:\n    web: { path: components.web.instances, vaules: [2] }\n', /sweep\.parameters\.web\.vaules: unknown key; did you mean "values"\?/],
  ];
  for (const [body, re] of cases) t.match(messageOf(() => loadSweep(sweep('bad.yaml', body))), re);
});

t.test('2 workers give the same table as 1, byte for byte', async (t) => {
  const spec = loadSweep(grid);
  t.equal(plan(spec, null).runs, 24, '12 points × 2 replications');
  const [one, two] = [await runSweep(spec, null, pool1), await runSweep(spec, null, pool2)];
  t.equal(resultText(two), resultText(one));
  t.equal(one.points.length, 12);
  t.ok(one.cheapest !== null, 'some point passes');
});

t.test('search bisects instance counts and finds the grid\'s cheapest passing point, in fewer runs', async (t) => {
  const body = (mode: string) => `  mode: ${mode}\n  replications: 2\n  parameters:\n    web: { path: components.web.instances, range: { from: 1, to: 12 } }\n`;
  const g = await runSweep(loadSweep(sweep('g.yaml', body('grid'))), null, pool2);
  const s = await runSweep(loadSweep(sweep('q.yaml', body('search'))), null, pool2);
  t.equal(s.bisected, 'web');
  t.ok(s.points.length <= Math.ceil(Math.log2(13)), `${s.points.length} points run instead of 12`);
  t.equal(s.cheapest, g.cheapest, `cheapest: #${g.cheapest}`);
  // every point the search ran is the grid's same point, with the same results
  for (const p of s.points) t.strictSame(p, g.points.find((x) => x.index === p.index));
});

t.test('shards partition the points; merged they are the whole result', async (t) => {
  const spec = loadSweep(grid);
  const all = gridPoints(spec).map((p) => p.index);
  const shards = [1, 2, 3, 4, 5].map((k) => plan(spec, parseShard(`${k}/5`)).points.map((p) => p.index));
  t.strictSame(shards.flat().sort((a, b) => a - b), all, 'every point in exactly one shard');
  const whole = await runSweep(spec, null, pool2);
  const files = await Promise.all([1, 2, 3].map(async (k) => {
    const f = join(dir, `shard${k}.json`);
    writeFileSync(f, resultText(await runSweep(spec, parseShard(`${k}/3`), pool2)));
    return f;
  }));
  t.equal(resultText(mergeShards(files)), resultText(whole));
  t.match(thrownMessage(() => mergeShards(files.slice(0, 2))), /^merge: the shards do not add up: 2 of 3 given, missing 3\/3$/);
  t.match(thrownMessage(() => mergeShards([files[0], files[0], files[1]])), /shard 1\/3 given twice/);
  t.equal(parseShard('0/3'), null);
  t.equal(parseShard('4/3'), null);
});

t.test('random: a seeded draw inside the ranges, the same for the same seed', async (t) => {
  const f = sweep('r.yaml', `  mode: random\n  samples: 6\n  seed: 9\n  parameters:\n    web: { path: components.web.instances, range: { from: 2, to: 9 } }\n    mean: { path: components.web.serviceTime.mean, values: [30ms, 40ms] }\n    load: { path: traffic.rate, range: { from: 20, to: 40.5 } }\n`);
  const spec = loadSweep(f);
  const a = plan(spec, null).points, b = plan(loadSweep(f), null).points;
  t.equal(a.length, 6);
  t.strictSame(a, b, 'the same draw');
  for (const p of a) {
    const [web, mean, load] = p.levels;
    t.ok(Number.isInteger(web.numeric) && web.numeric! >= 2 && web.numeric! <= 9, `web ${web.label}`);
    t.ok(['30ms', '40ms'].includes(String(mean.label)));
    t.ok(load.numeric! >= 20 && load.numeric! <= 40.5, `load ${load.label}`);
  }
  const other = plan(loadSweep(sweep('r2.yaml', (await import('node:fs')).readFileSync(f, 'utf8').split('\n').slice(2).join('\n').replace('seed: 9', 'seed: 10'))), null).points;
  t.notSame(other.map((p) => p.levels.map((l) => l.label)), a.map((p) => p.levels.map((l) => l.label)), 'another seed, another draw');
  const r = await runSweep(spec, parseShard('1/2'), pool1);
  t.strictSame(r.points.map((p) => p.index), [0, 2, 4], 'shard 1/2 of the draw');
});
