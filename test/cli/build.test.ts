// The bundle is never run stale: bin/headroom.js builds dist/ when it is missing or a source
// changed since, and says so on one line. Played in a copy of the project (same node_modules), so
// the real dist/ that other tests use is left alone.
import t from 'tap';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { cliEnv, ROOT } from './spawn.ts';
import { staleReason } from '../../scripts/dist-stamp.js';

const copy = mkdtempSync(join(tmpdir(), 'headroom-build-'));
t.teardown(() => rmSync(copy, { recursive: true, force: true }));
for (const p of ['src', 'scripts', 'bin', 'package.json', 'package-lock.json']) cpSync(join(ROOT, p), join(copy, p), { recursive: true });
symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));

const help = () => spawnSync(process.execPath, [join(copy, 'bin/headroom.js'), '--help'], { encoding: 'utf8', cwd: copy, env: cliEnv(), timeout: 120_000 });
const main = join(copy, 'src/cli/main.ts');

t.test('no dist/: built on first use, with a one-line notice; then quiet', async (t) => {
  t.equal(staleReason(copy), 'no dist/ yet');
  const first = help();
  t.equal(first.status, 0, first.stderr);
  t.equal(first.stderr, 'headroom: building dist/ first (no dist/ yet)\n');
  t.match(first.stdout, /headroom run <file>/);
  t.equal(staleReason(copy), null, 'dist/ is current after the build');
  const second = help();
  t.equal(second.stderr, '', 'no rebuild when nothing changed');
  t.equal(second.stdout, first.stdout);
});

t.test('a source edit is picked up on the next run; a touch without an edit is not a change', async (t) => {
  const later = new Date(Date.now() + 5_000);
  utimesSync(main, later, later);
  t.equal(staleReason(copy), null, 'same content, newer mtime: still current');
  writeFileSync(main, readFileSync(main, 'utf8').replace(".scriptName('headroom')", ".scriptName('headroom').epilogue('edited since the last build')"));
  t.equal(staleReason(copy), 'src/cli/main.ts changed');
  const r = help();
  t.equal(r.status, 0, r.stderr);
  t.equal(r.stderr, 'headroom: building dist/ first (src/cli/main.ts changed)\n');
  t.match(r.stdout, /edited since the last build/, 'the edit is what runs');
});

t.test('the lock file and the build script count too; a deleted source fails the build, loudly', async (t) => {
  for (const file of ['package-lock.json', 'scripts/build.js']) {
    const path = join(copy, file);
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text + '\n');
    t.equal(staleReason(copy), `${file} changed`);
    writeFileSync(path, text);
    t.equal(staleReason(copy), null, `${file} as it was: current again`);
  }
  rmSync(join(copy, 'src/cli/progress.ts'));
  t.equal(staleReason(copy), 'src/cli/progress.ts is gone');
  const r = help();
  t.equal(r.status, 2, 'the build fails: commands import progress.ts');
  t.match(r.stderr, /^headroom: building dist\/ first \(src\/cli\/progress\.ts is gone\)\nheadroom: Build failed with \d+ errors?:\n(src\/cli\/[a-z-]+\.ts:\d+:\d+: ERROR: Could not resolve "\.\/progress\.ts"\n)+$/);
  t.equal(r.stdout, '', 'nothing ran');
  t.equal(staleReason(copy), 'src/cli/progress.ts is gone', 'still stale: the next run tries again');
  cpSync(join(ROOT, 'src/cli/progress.ts'), join(copy, 'src/cli/progress.ts'));
});

t.test('a module that finds files next to itself is refused until checked (in dist/ it would find dist/)', async (t) => {
  const text = readFileSync(main, 'utf8');
  writeFileSync(join(copy, 'src/cli/where.ts'), "export const here = new URL('./data.json', import.meta.url);\n");
  writeFileSync(main, text.replace('import yargs', "import { here } from './where.ts';\nimport yargs").replace(".scriptName('headroom')", ".scriptName('headroom').epilogue(String(here))"));
  const r = help();
  t.equal(r.status, 2);
  t.match(r.stderr, /^headroom: building dist\/ first \(src\/cli\/main\.ts changed\)\nheadroom: these modules use their own file location, which is dist\/ once bundled: src\/cli\/where\.ts; check each and list it in LOCATION_CHECKED in scripts\/build\.js/);
  t.equal(r.stdout, '', 'nothing ran');
});
