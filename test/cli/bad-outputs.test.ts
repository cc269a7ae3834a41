// Issue 8 as a user meets it (points 1 and 2, where results go): the command line on each bad input prints one line
// naming the file and field, exits 2, writes nothing — and no longer hangs. Real processes, real
// files. (Split by point so that each file stays well inside tap's per-file timeout on a busy machine.)
import t from 'tap';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmp, cwd, headroom, mm1, refused } from './bad-input.ts';

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
