// Issue 8 as a user meets it: the command line on each bad input prints one line naming the file
// and field, exits 2, writes nothing — and no longer hangs. Real processes, real files.
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

t.test('/dev/zero and FIFOs are refused, not read (point 4)', async (t) => {
  writeFileSync(join(cwd, 'zero-trace.yaml'), mm1((s) => s.replace('rate: 0.8', 'rate: { trace: { file: /dev/zero } }')));
  refused(t, ['run', 'zero-trace.yaml'], /^headroom: zero-trace\.yaml: traffic\.rate\.trace\.file: expected a readable trace file relative to the scenario, got "\/dev\/zero" — \/dev\/zero: is a character device, expected a regular file$/m, 'a /dev/zero trace');
  refused(t, ['run', '/dev/zero'], /^headroom: \/dev\/zero: expected a \.yaml, \.yml or \.json file$/m, '/dev/zero as the scenario');
  const fifo = join(cwd, 'policy.yaml');
  if (spawnSync('mkfifo', [fifo]).status === 0) {
    const r = headroom(['decide', '--policy', fifo], '');
    t.equal(r.status, 2);
    t.equal(r.stderr, `${fifo}: is a FIFO, expected a regular file\n`);
    rmSync(fifo);
  }
});

t.test('an alias bomb names its file; rate 0 leaves stderr empty; a bare duration is blamed (points 8, 9)', async (t) => {
  const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 8; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
  writeFileSync(join(cwd, 'bomb.yaml'), levels.join('\n') + '\n');
  refused(t, ['run', 'bomb.yaml'], /^headroom: bomb\.yaml: invalid YAML: its aliases expand to too many nodes/, 'an alias bomb');
  writeFileSync(join(cwd, 'bare.yaml'), mm1((s) => s.replace('mean: 1s', 'mean: 40')));
  refused(t, ['run', 'bare.yaml'], /^headroom: bare\.yaml: components\.server\.serviceTime\.mean: expected a duration with a unit like "40ms" or "40s", got 40$/m, 'a bare duration');
  writeFileSync(join(cwd, 'idle.yaml'), mm1((s) => s.replace('rate: 0.8', 'rate: 0').replace('name: mm1', 'name: idle')));
  const r = headroom(['run', 'idle.yaml']);
  t.equal(r.status, 0);
  t.equal(r.stderr, '', 'no "WARN Infinite extent" from the charts');
  t.ok(existsSync(join(cwd, 'reports', 'idle', 'index.html')));
});
