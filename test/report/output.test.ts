// Where results may go (issue 8, points 1 and 2): checked before any work, refused with the
// reason, nothing created; folders made one level at a time (mkdir -p spun forever under /proc).
import t from 'tap';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPlanned, isRunFolder, planReportFile, planRunDir } from '../../src/report/output.ts';
import { thrownMessage } from '../thrown.ts';

const dir = mkdtempSync(join(tmpdir(), 'headroom-output-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

t.test('refused run folders', async (t) => {
  writeFileSync(join(dir, 'afile'), 'x');
  mkdirSync(join(dir, 'project'));
  writeFileSync(join(dir, 'project', 'README.md'), '# mine');
  const cases: Array<[string, RegExp]> = [
    ['/', /^\/: is the filesystem root/],
    ['/proc/nope', /^\/proc\/nope: is inside \/proc, a system folder/],
    ['/sys/kernel/x', /is inside \/sys, a system folder/],
    ['/etc/headroom', /is inside \/etc, a system folder/],
    ['/usr', /is inside \/usr, a system folder/],
    [join(dir, 'afile'), /afile: exists and is a file; name a folder for the results$/],
    [join(dir, 'afile', 'sub'), /afile is a file, so no folder can be made inside it$/],
    [join(dir, 'project'), /project: is a folder that holds other things than a headroom run \(README\.md\); name a new or empty folder$/],
  ];
  for (const [target, message] of cases) t.match(thrownMessage(() => planRunDir(target)), message, target);
  t.notOk(existsSync('/proc/nope'));
  t.strictSame(readdirSync(join(dir, 'project')), ['README.md'], 'the foreign folder is untouched');
});

t.test('accepted run folders: new, empty, or a run headroom wrote', async (t) => {
  const fresh = join(dir, 'a', 'b', 'c');
  const plan = planRunDir(fresh);
  t.strictSame(plan.create, [join(dir, 'a'), join(dir, 'a', 'b'), fresh], 'outermost first');
  t.notOk(existsSync(join(dir, 'a')), 'planning creates nothing');
  createPlanned(plan, fresh);
  t.ok(existsSync(fresh));
  t.strictSame(planRunDir(fresh).create, [], 'an empty folder');
  writeFileSync(join(fresh, 'summary.json'), '{\n  "headroom": "0.1.0",\n  "format": 1\n}\n');
  writeFileSync(join(fresh, 'notes.txt'), 'mine');
  t.ok(isRunFolder(fresh));
  t.equal(thrownMessage(() => planRunDir(fresh)), 'accepted', 'a run folder, even with a note beside it');
  writeFileSync(join(fresh, 'summary.json'), '{"other": 1}');
  t.match(thrownMessage(() => planRunDir(fresh)), /holds other things than a headroom run/, 'a summary.json headroom did not write');
});

t.test('a folder that cannot be made is reported, and what was made is removed', async (t) => {
  const plan = { dir: '/proc/x/y', create: [join(dir, 'made'), '/proc/headroom-nope/y'] };
  t.match(thrownMessage(() => createPlanned(plan, 'target')), /^target: cannot create the folder \/proc\/headroom-nope\/y \(ENOENT\)$/);
  t.notOk(existsSync(join(dir, 'made')), 'the level made first is removed again');
});

t.test('comparison files', async (t) => {
  mkdirSync(join(dir, 'cmp'));
  writeFileSync(join(dir, 'cmp', 'notes.html'), '<p>mine</p>');
  writeFileSync(join(dir, 'cmp', 'old.html'), '<!doctype html>\n<meta name="generator" content="headroom 0.1.0">');
  mkdirSync(join(dir, 'cmp', 'dir.html'));
  t.match(thrownMessage(() => planReportFile(join(dir, 'cmp', 'out'))), /expected a file name ending in \.html$/);
  t.match(thrownMessage(() => planReportFile(join(dir, 'cmp', 'notes.html'))), /notes\.html: exists and was not written by headroom/);
  t.match(thrownMessage(() => planReportFile(join(dir, 'cmp', 'dir.html'))), /dir\.html: exists and is a folder; name a file$/);
  t.match(thrownMessage(() => planReportFile('/etc/cmp.html')), /is inside \/etc, a system folder/);
  t.equal(thrownMessage(() => planReportFile(join(dir, 'cmp', 'old.html'))), 'accepted', 'a report headroom wrote is replaced');
  const fresh = planReportFile(join(dir, 'cmp', 'new', 'x.html'));
  t.strictSame(fresh.create, [join(dir, 'cmp', 'new')]);
});
