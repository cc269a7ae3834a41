// Issue 8 as a user meets it (points 4, 8 and 9, files and values): the command line on each bad input prints one line
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
