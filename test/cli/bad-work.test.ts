// Issue 8 as a user meets it (point 3, work too big): the command line on each bad input prints one line
// naming the file and field, exits 2, writes nothing — and no longer hangs. Real processes, real
// files. (Split by point so that each file stays well inside tap's per-file timeout on a busy machine.)
import t from 'tap';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cwd, headroom, mm1, refused } from './bad-input.ts';

t.test('work too big is refused up front, with the estimate and --force (point 3)', async (t) => {
  const cases: Array<[string, (s: string) => string, RegExp]> = [
    ['rate 1e12', (s) => s.replace('rate: 0.8', 'rate: 1e12'), /^headroom: rate\.yaml: traffic\.rate: too much work to run without asking: about 6\.0e14 requests.*years of CPU.*--force/],
    ['instances 1e9', (s) => s.replace('instances: 1,', 'instances: 1e9,'), /^headroom: instances\.yaml: components\.server\.instances: expected at most [\d,]+ instances per pool/],
    ['sampleInterval 1us', (s) => s.replace('sampleInterval: 1m', 'sampleInterval: 1us'), /^headroom: interval\.yaml: sampleInterval: the run would write 1\.2 billion rows/],
    ['20 days at 1 s', (s) => s.replace('duration: 10m', 'duration: 20d').replace('sampleInterval: 1m', 'sampleInterval: 1s'), /^headroom: month\.yaml: sampleInterval: too big to fit/],
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
