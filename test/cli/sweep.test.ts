// Sweeps as separate processes: shards run apart merge to exactly the unsharded result; bad
// input (a non-number parameter, shards that do not add up, work too big) is one line and exit 2.
import t from 'tap';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findExternalLoads } from '../report/offline.ts';
import { headroom as cli } from './spawn.ts';

const headroom = (args: string[]) => cli(args, { timeout: 300_000 });

const tmp = mkdtempSync(join(tmpdir(), 'headroom-sweep-cli-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));
writeFileSync(join(tmp, 's.yaml'), `
name: s
seed: 4
duration: 2m
traffic: { rate: 40 }
components:
  lb: { kind: loadBalancer, upstream: web }
  web: { kind: pool, instances: 3, workers: 1, serviceTime: { dist: exponential, mean: 40ms }, pricePerHour: 0.1 }
slo:
  - { metric: latency.p99, max: 300ms }
`);
const sweepFile = join(tmp, 'sw.yaml');
writeFileSync(sweepFile, `scenario: s.yaml
sweep:
  mode: grid
  parameters:
    web: { path: components.web.instances, values: [2, 3, 4, 6] }
    load: { path: traffic.rate, multiply: [1, 1.5] }
`);

t.test('shards run as separate processes merge to exactly the unsharded result', async (t) => {
  const whole = headroom(['sweep', sweepFile, '--out', join(tmp, 'whole'), '--workers', '1']);
  t.equal(whole.status, 0, whole.stderr);
  t.match(whole.stdout, /cheapest point meeting every SLO: #\d+ web=\d load=×1/);
  const shardFiles = [1, 2, 3].map((k) => {
    const r = headroom(['sweep', sweepFile, '--shard', `${k}/3`, '--out', join(tmp, `shard${k}`), '--workers', '1']);
    t.equal(r.status, 0, r.stderr);
    t.notOk(existsSync(join(tmp, `shard${k}`, 'index.html')), 'a shard writes no report');
    return join(tmp, `shard${k}`, 'sweep.json');
  });
  const m = headroom(['merge', ...shardFiles.reverse(), '--out', join(tmp, 'merged')]);
  t.equal(m.status, 0, m.stderr);
  t.ok(readFileSync(join(tmp, 'merged', 'sweep.json')).equals(readFileSync(join(tmp, 'whole', 'sweep.json'))), 'same bytes');
  const html = readFileSync(join(tmp, 'merged', 'index.html'), 'utf8');
  t.match(html, /Cost against p99/);
  t.match(html, /<svg/, 'the frontier chart is rendered');
  t.strictSame(findExternalLoads(html), [], 'self-contained');

  const missing = headroom(['merge', shardFiles[0], shardFiles[1], '--out', join(tmp, 'never')]);
  t.equal(missing.status, 2);
  t.match(missing.stderr, /^headroom: merge: the shards do not add up: 2 of 3 given, missing 1\/3\n$/);
  t.notOk(existsSync(join(tmp, 'never')), 'nothing written');
});

t.test('bad input: one clear line, exit 2, nothing written', async (t) => {
  const bad = join(tmp, 'bad.yaml');
  writeFileSync(bad, `scenario: s.yaml\nsweep:\n  parameters:\n    web: { path: components.web.instances, range: { from: 2, to: many } }\n`);
  const r = headroom(['sweep', bad, '--out', join(tmp, 'x')]);
  t.equal(r.status, 2);
  t.match(r.stderr, /^headroom: \S*bad\.yaml: sweep\.parameters\.web\.range\.to: expected a number ≥ 2, got "many"\n$/);
  const set = headroom(['sweep', sweepFile, '--set', 'components.web.wrkers=2', '--out', join(tmp, 'x')]);
  t.equal(set.status, 2);
  t.match(set.stderr, /did you mean "workers"\?/);
  const shard = headroom(['sweep', sweepFile, '--shard', '4/3', '--out', join(tmp, 'x')]);
  t.equal(shard.status, 2);
  t.match(shard.stderr, /--shard: expected k\/N with 1 ≤ k ≤ N/);
  const big = headroom(['sweep', sweepFile, '--max-cpu', '1ms', '--out', join(tmp, 'x')]);
  t.equal(big.status, 2);
  t.match(big.stderr, /refused: 8 runs × ~[\d.]+ k requests ≈ [\d.]+ k requests, about \d+ s of CPU .*over --max-cpu 1ms/);
  t.notOk(existsSync(join(tmp, 'x')));
});
