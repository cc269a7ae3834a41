// Issue 8 as a user meets it (points 4, 8 and 9, files and values): the command line on each bad input prints one line
// naming the file and field, exits 2, writes nothing — and no longer hangs. Real processes, real
// files. (Split by point so that each file stays well inside tap's per-file timeout on a busy machine.)
import t from 'tap';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cwd, headroom, mm1, refused, fifo } from './bad-input.ts';

t.test('/dev/zero and FIFOs are refused, not read (point 4)', async (t) => {
  writeFileSync(join(cwd, 'zero-trace.yaml'), mm1((s) => s.replace('rate: 0.8', 'rate: { trace: { file: /dev/zero } }')));
  refused(t, ['run', 'zero-trace.yaml'], /^headroom: zero-trace\.yaml: traffic\.rate\.trace\.file: expected a readable trace file relative to the scenario, got "\/dev\/zero" — \/dev\/zero: is a character device, expected a regular file$/m, 'a /dev/zero trace');
  refused(t, ['run', '/dev/zero'], /^headroom: \/dev\/zero: expected a \.yaml, \.yml or \.json file$/m, '/dev/zero as the scenario');
  const pipe = join(cwd, 'policy.yaml');
  if (fifo(pipe)) {
    const r = headroom(['decide', '--policy', pipe], '');
    t.equal(r.status, 2);
    t.equal(r.stderr, `${pipe}: is a FIFO, expected a regular file\n`);
    rmSync(pipe);
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
