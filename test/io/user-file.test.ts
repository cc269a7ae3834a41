// The one reader of user files: regular files only, capped per kind (issue 8, point 4: /dev/zero
// or a FIFO as a trace or policy hung while memory grew).
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FILE_LIMITS, UserFileError, readUserFile } from '../../src/io/user-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'headroom-userfile-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

function reason(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return e instanceof UserFileError ? e.message : `not a UserFileError: ${String(e)}`;
  }
  return 'did not throw';
}

t.test('a regular file is read whole', async (t) => {
  writeFileSync(join(dir, 'ok.yaml'), 'duration: 1h\n');
  t.equal(readUserFile(join(dir, 'ok.yaml'), 'scenario'), 'duration: 1h\n');
  writeFileSync(join(dir, 'empty.csv'), '');
  t.equal(readUserFile(join(dir, 'empty.csv'), 'trace'), '');
});

t.test('what is not a regular file is refused before it is read', async (t) => {
  t.equal(reason(() => readUserFile('/dev/zero', 'trace')), '/dev/zero: is a character device, expected a regular file');
  t.equal(reason(() => readUserFile('/dev/null', 'policy')), '/dev/null: is a character device, expected a regular file');
  t.equal(reason(() => readUserFile(dir, 'scenario')), `${dir}: is a directory, expected a regular file`);
  const fifo = join(dir, 'pipe.yaml');
  const mk = spawnSync('mkfifo', [fifo]);
  if (mk.status === 0) {
    // opening a FIFO blocks until a writer comes: the reader must not even open it
    t.equal(reason(() => readUserFile(fifo, 'policy')), `${fifo}: is a FIFO, expected a regular file`);
  } else t.comment('mkfifo unavailable: FIFO case not run');
});

t.test('each kind has its cap, checked before reading', async (t) => {
  const big = join(dir, 'big.csv');
  writeFileSync(big, '');
  truncateSync(big, FILE_LIMITS.trace.bytes + 1); // sparse: no disk used
  t.equal(reason(() => readUserFile(big, 'trace')), `${big}: is 67,108,865 bytes, over the 64 MiB headroom reads for traces`);
  const scenario = join(dir, 'big.yaml');
  writeFileSync(scenario, '');
  truncateSync(scenario, 50 * 2 ** 20);
  t.equal(reason(() => readUserFile(scenario, 'scenario')), `${scenario}: is 50 MiB, over the 1 MiB headroom reads for scenario files`);
  writeFileSync(join(dir, 'exact.yaml'), 'x'.repeat(FILE_LIMITS.scenario.bytes));
  t.equal(readUserFile(join(dir, 'exact.yaml'), 'scenario').length, FILE_LIMITS.scenario.bytes, 'exactly at the cap is read');
  t.same(Object.fromEntries(Object.entries(FILE_LIMITS).map(([k, v]) => [k, v.bytes / 2 ** 20])),
    { scenario: 1, policy: 1, calibration: 16, trace: 64, samples: 64, summary: 64, series: 400, manifest: 4, sweep: 1, baseline: 16, shard: 64 }, 'the stated caps, MiB');
});

t.test('missing and unreadable files say so', async (t) => {
  t.equal(reason(() => readUserFile(join(dir, 'nope.yaml'), 'scenario')), `${join(dir, 'nope.yaml')}: not found (ENOENT)`);
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'sub', 'f'), 'x');
  t.equal(reason(() => readUserFile(join(dir, 'sub', 'f', 'g'), 'scenario')), `${join(dir, 'sub', 'f', 'g')}: not found (a part of the path is not a directory) (ENOTDIR)`);
});
