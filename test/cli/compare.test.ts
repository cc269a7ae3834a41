// `headroom compare` as a CI gate: --json, the terminal table, --fail-on-regression on replicated
// runs, and "cannot tell" (exit 2 with --fail-on-regression) when a run has one seed.
import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { headroom as cli } from './spawn.ts';

const headroom = (args: string[]) => cli(args, { timeout: 300_000 });

const tmp = mkdtempSync(join(tmpdir(), 'headroom-compare-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));
const file = join(tmp, 'c.yaml');
writeFileSync(file, `
seed: 1
duration: 3m
traffic: { rate: 40 }
components:
  web: { kind: pool, instances: 3, workers: 1, serviceTime: { dist: exponential, mean: 40ms }, pricePerHour: 0.1 }
slo:
  - { metric: latency.p99, max: 5s }
`);
const a = join(tmp, 'a'), b = join(tmp, 'slower'), c = join(tmp, 'one-seed');

t.test('replicated runs: a 20% slower service is a regression beyond the noise', async (t) => {
  const run = headroom(['run', file, '--replications', '4', '--out', a, '--no-html']);
  t.equal(run.status, 0);
  // the PASS line describes all four replications: the mean, its interval, how many met the SLO
  t.match(run.stdout, /^PASS  latency\.p99 <= 5s: latency\.p99 mean [\d.]+ ms \(<= 5\.00 s\), 95% CI [\d.]+ ms – [\d.]+ ms, met in 4 of 4 replications$/m);
  t.equal(headroom(['run', file, '--replications', '4', '--seed', '50', '--set', 'components.web.serviceTime.mean=48ms', '--out', b, '--no-html']).status, 0);
  const j = headroom(['compare', a, b, '--json', '--no-html', '--fail-on-regression']);
  t.equal(j.status, 1, j.stderr);
  const out = JSON.parse(j.stdout);
  t.equal(out.baseline, 'a');
  t.ok(out.regressions.some((r: { metric: string }) => r.metric === 'latency.mean'), JSON.stringify(out.regressions));
  const cost = out.rows.find((r: { metric: string }) => r.metric === 'cost');
  t.equal(cost.verdicts[1].verdict, 'within-noise', 'the fleet and its cost did not change');
  const table = headroom(['compare', a, b, '--no-html']);
  t.equal(table.status, 0, 'without --fail-on-regression the exit code stays 0');
  t.match(table.stdout, /Latency mean\s+[\d.]+ ms\s+[\d.]+ ms \(worse\)/);
  t.match(table.stdout, /REGRESSION\s+slower: latency\.mean worse than a beyond the run-to-run noise/);
});

t.test('a single-seed run: cannot tell, and --fail-on-regression refuses to guess', async (t) => {
  t.equal(headroom(['run', file, '--out', c, '--no-html']).status, 0);
  const r = headroom(['compare', a, c, '--no-html']);
  t.equal(r.status, 0);
  t.match(r.stdout, /\(cannot tell\)/);
  t.notMatch(r.stdout, /\((better|worse)\)/);
  const gate = headroom(['compare', a, c, '--no-html', '--fail-on-regression']);
  t.equal(gate.status, 2);
  t.match(gate.stderr, /cannot judge one-seed against a: both runs need replications/);
});
