// Issue 8 as a user meets it (points 1 and 2, where results go): the command line on each bad input prints one line
// naming the file and field, exits 2, writes nothing — and no longer hangs. Real processes, real
// files. (Split by point so that each file stays well inside tap's per-file timeout on a busy machine.)
import t, { type Test } from 'tap';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '../../bin/headroom.js');
const tmp = mkdtempSync(join(tmpdir(), 'headroom-bad-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));
// A private working folder two levels down, so `reports/../../../x` would land inside tmp.
const cwd = join(tmp, 'a', 'b');
mkdirSync(cwd, { recursive: true });

/** Runs the CLI in cwd; a hang fails the test instead of the suite (the old --out /proc/nope spun forever). */
function headroom(args: string[], input?: string) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 120_000, input });
}

/** Everything under tmp, to show that nothing was written. */
function tree(dir = tmp): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

const mm1 = (change = (s: string) => s) => change(`name: mm1
duration: 10m
sampleInterval: 1m
traffic: { rate: 0.8 }
components:
  server: { kind: pool, instances: 1, serviceTime: { dist: exponential, mean: 1s } }
`);

function refused(t: Test, args: string[], message: RegExp, label: string) {
  const before = tree();
  const r = headroom(args);
  t.equal(r.status, 2, `${label}: exit code 2`);
  t.match(r.stderr, message, `${label}: the message`);
  t.equal(r.stderr.trim().split('\n').length, 1, `${label}: one line`);
  t.strictSame(tree(), before, `${label}: nothing written`);
}

writeFileSync(join(cwd, 'mm1.yaml'), mm1());

t.test('a scenario name cannot lead out of reports/ (point 1)', async (t) => {
  writeFileSync(join(cwd, 'escape.yaml'), mm1((s) => s.replace('name: mm1', 'name: ../../../escaped')));
  refused(t, ['run', 'escape.yaml'], /^headroom: escape\.yaml: name: expected a name of letters, digits, "\.", "-" and "_" that starts with a letter or digit/, 'name ../../../escaped');
  t.notOk(existsSync(join(tmp, 'escaped')));
  writeFileSync(join(cwd, 'dots.yaml'), mm1((s) => s.replace('name: mm1', 'name: ".."')));
  refused(t, ['run', 'dots.yaml'], /^headroom: dots\.yaml: name: expected a name of letters/, 'name ..');
});

t.test('--out: clear refusals, no hang (point 2)', async (t) => {
  writeFileSync(join(cwd, 'afile'), 'mine');
  mkdirSync(join(cwd, 'project'));
  writeFileSync(join(cwd, 'project', 'README.md'), 'mine');
  refused(t, ['run', 'mm1.yaml', '--out', '/proc/nope'], /^headroom: \/proc\/nope: is inside \/proc, a system folder/, '--out /proc/nope');
  refused(t, ['run', 'mm1.yaml', '--out', 'afile'], /^headroom: afile: exists and is a file; name a folder for the results$/m, '--out a file');
  refused(t, ['run', 'mm1.yaml', '--out', '/'], /^headroom: \/: is the filesystem root/, '--out /');
  refused(t, ['run', 'mm1.yaml', '--out', 'project'], /^headroom: project: is a folder that holds other things than a headroom run \(README\.md\)/, '--out a foreign folder');
  t.equal(readFileSync(join(cwd, 'afile'), 'utf8'), 'mine');
  // a run folder may be written again; a new one is made, levels and all
  t.equal(headroom(['run', 'mm1.yaml', '--out', 'runs/x/mm1', '--no-html']).status, 0);
  const again = headroom(['run', 'mm1.yaml', '--out', 'runs/x/mm1', '--no-html']);
  t.equal(again.status, 0, again.stderr);
  t.strictSame(readdirSync(join(cwd, 'runs/x/mm1')).sort(), ['summary.json', 'timeseries.csv']);
});
