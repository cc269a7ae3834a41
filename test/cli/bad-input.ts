// Shared by the bad-input CLI tests (issue 8): a private working folder, the CLI run in it with a
// timeout (a hang fails the test instead of the suite), and `refused`: exit code 2, one line
// naming the file and field, and nothing written anywhere under the folder.
import t, { type Test } from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { headroom as cli } from './spawn.ts';

export const tmp = mkdtempSync(join(tmpdir(), 'headroom-bad-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));
/** A working folder two levels down, so `reports/../../../x` would land inside tmp. */
export const cwd = join(tmp, 'a', 'b');
mkdirSync(cwd, { recursive: true });

/** Runs the CLI in cwd; a hang fails the test instead of the suite (the old --out /proc/nope spun forever). */
export function headroom(args: string[], input?: string) {
  return cli(args, { cwd, input });
}

/** Everything under tmp, to show that nothing was written. */
export function tree(dir = tmp): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

export const mm1 = (change = (s: string) => s) => change(`name: mm1
duration: 10m
sampleInterval: 1m
traffic: { rate: 0.8 }
components:
  server: { kind: pool, instances: 1, serviceTime: { dist: exponential, mean: 1s } }
`);

export function refused(t: Test, args: string[], message: RegExp, label: string) {
  const before = tree();
  const r = headroom(args);
  t.equal(r.status, 2, `${label}: exit code 2`);
  t.match(r.stderr, message, `${label}: the message`);
  t.equal(r.stderr.trim().split('\n').length, 1, `${label}: one line`);
  t.strictSame(tree(), before, `${label}: nothing written`);
}

writeFileSync(join(cwd, 'mm1.yaml'), mm1());

/** A FIFO at `path` (false where mkfifo is missing): reading one blocks until a writer comes. */
export function fifo(path: string): boolean {
  return spawnSync('mkfifo', [path]).status === 0;
}
