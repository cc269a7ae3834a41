// Issue 8 as a user meets it (point 3, work too big): the command line on each bad input prints one line
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

t.test('work too big is refused up front, with the estimate and --force (point 3)', async (t) => {
  const cases: Array<[string, (s: string) => string, RegExp]> = [
    ['rate 1e12', (s) => s.replace('rate: 0.8', 'rate: 1e12'), /^headroom: rate\.yaml: traffic\.rate: too much work to run without asking: about 6\.0e14 requests.*years of CPU.*--force/],
    ['instances 1e9', (s) => s.replace('instances: 1,', 'instances: 1e9,'), /^headroom: instances\.yaml: components\.server\.instances: expected at most 1,048,576 instances per pool/],
    ['sampleInterval 1us', (s) => s.replace('sampleInterval: 1m', 'sampleInterval: 1us'), /^headroom: interval\.yaml: sampleInterval: the run would write 1\.2 billion rows/],
    ['30 days at 1 s', (s) => s.replace('duration: 10m', 'duration: 30d').replace('sampleInterval: 1m', 'sampleInterval: 1s'), /^headroom: month\.yaml: sampleInterval: too big to fit/],
    ['a 400-digit rate', (s) => s.replace('rate: 0.8', `rate: ${'9'.repeat(400)}`), /^headroom: digits\.yaml: traffic\.rate: expected a finite number, got Infinity/],
  ];
  const files = ['rate', 'instances', 'interval', 'month', 'digits'];
  cases.forEach(([label, change, message], i) => {
    writeFileSync(join(cwd, `${files[i]}.yaml`), mm1(change));
    refused(t, ['run', `${files[i]}.yaml`], message, label);
    t.notOk(existsSync(join(cwd, 'reports')), `${label}: no reports/ folder`);
  });
  // A closed model's estimate is an upper bound (it ignores response times): here far above what
  // one worker can serve, so the guard asks, and --force runs it.
  writeFileSync(join(cwd, 'closed.yaml'), `name: closed
duration: 10m
traffic: { closed: { users: 1000, thinkTime: 1us } }
components:
  server: { kind: pool, instances: 1, serviceTime: 1s }
`);
  refused(t, ['run', 'closed.yaml', '--no-html'], /^headroom: closed\.yaml: traffic\.closed: too much work to run without asking/, 'an overestimated closed model');
  const forced = headroom(['run', 'closed.yaml', '--no-html', '--force']);
  t.equal(forced.status, 0, forced.stderr);
  t.ok(existsSync(join(cwd, 'reports', 'closed', 'summary.json')), '--force runs it');
});
