// `headroom init`: a starter scenario that loads and runs as written, and never overwrites a file.
import t from 'tap';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario } from '../../src/scenario/index.ts';
import { runScenario } from '../../src/model/index.ts';
import { estimateWork, judgeWork } from '../../src/model/work-size.ts';
import { headroom as cli } from './spawn.ts';

const cwd = mkdtempSync(join(tmpdir(), 'headroom-init-'));
t.teardown(() => rmSync(cwd, { recursive: true, force: true }));
const headroom = (args: string[]) => cli(args, { cwd });

t.test('init writes scenario.yaml, which loads and runs as written', async (t) => {
  const r = headroom(['init']);
  t.equal(r.status, 0, r.stderr);
  t.equal(r.stdout, 'written: scenario.yaml\nnext:    npx headroom run scenario.yaml\n');
  const file = join(cwd, 'scenario.yaml');
  const text = readFileSync(file, 'utf8');
  t.ok(text.split('\n').filter((l) => l.includes('#')).length >= 20, 'commented');
  const sc = loadScenario(file);
  t.equal(sc.name, 'scenario');
  t.equal(judgeWork(sc, estimateWork(sc, 1)), null, 'runs without asking');
  const { summary } = runScenario(sc);
  t.ok(summary.totals.completions > 100_000, `${summary.totals.completions} requests served`);
  t.ok(summary.scaling.length > 0, 'the HPA acts');
  t.ok(summary.slo.length === 3 && summary.slo.every((s) => s.pass), 'its SLOs are met as written');
});

t.test('init never overwrites a file, and names a YAML file', async (t) => {
  writeFileSync(join(cwd, 'mine.yaml'), 'my own\n');
  const r = headroom(['init', 'mine.yaml']);
  t.equal(r.status, 2);
  t.equal(r.stderr, 'headroom: mine.yaml: already exists; headroom init never overwrites a file (name another one: headroom init FILE)\n');
  t.equal(readFileSync(join(cwd, 'mine.yaml'), 'utf8'), 'my own\n');
  const txt = headroom(['init', 'starter.txt']);
  t.equal(txt.status, 2);
  t.match(txt.stderr, /starter\.txt: expected a file name ending in \.yaml or \.yml/);
  const nowhere = headroom(['init', 'no/such/dir/x.yaml']);
  t.equal(nowhere.status, 2);
  t.match(nowhere.stderr, /the folder no\/such\/dir does not exist/);
  t.notOk(existsSync(join(cwd, 'starter.txt')) || existsSync(join(cwd, 'no')), 'nothing written');
  const named = headroom(['init', 'black-friday.yml']);
  t.equal(named.status, 0);
  t.equal(loadScenario(join(cwd, 'black-friday.yml')).name, 'black-friday', 'named after its file');
});
