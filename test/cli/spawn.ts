// Runs the headroom CLI as a user does (node bin/headroom.js …, the built bundle) from a test.
// Every test that starts the CLI goes through here.
//
// tap puts its process-tracking hook (@tapjs/processinfo) in NODE_OPTIONS so that it follows child
// processes; loaded into each CLI process it costs 0.5–0.7 s of CPU (three times the CLI's own
// start-up, measured with /usr/bin/time), and follows nothing the tests assert. It is left out of
// the CLI's environment; any other NODE_OPTIONS stay.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import type { Test } from 'tap';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const BIN = join(ROOT, 'bin/headroom.js');

export interface CliOptions {
  input?: string;
  cwd?: string;
  /** added to the environment; a key set to undefined is left out */
  env?: NodeJS.ProcessEnv;
  /** node flags before the script (e.g. --import a loader hook) */
  nodeArgs?: string[];
  timeout?: number;
}

/** NODE_OPTIONS without tap's @tapjs/* imports. */
export function cliEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  // tap writes each option as a token, quoted when it holds spaces: "--import=file:///…".
  const kept = (env.NODE_OPTIONS ?? '').match(/"[^"]*"|\S+/g)?.filter((o) => !/@tapjs[/\\]/.test(o)) ?? [];
  if (kept.length > 0) env.NODE_OPTIONS = kept.join(' ');
  else delete env.NODE_OPTIONS;
  return env;
}

export function headroom(args: string[], o: CliOptions = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [...(o.nodeArgs ?? []), BIN, ...args], {
    input: o.input ?? '', encoding: 'utf8', cwd: o.cwd ?? ROOT, env: cliEnv(o.env), timeout: o.timeout ?? 120_000,
  });
}

/**
 * A scenario `text` written to DIR/<label>.yaml is refused by `run`: exit 2, `message` on stderr
 * in one line, and no output folder made.
 */
export function refusedRun(t: Test, dir: string, label: string, text: string, message: RegExp, timeout = 180_000): void {
  const name = label.replace(/ /g, '-');
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, text);
  const out = join(dir, `never-${name}`);
  const r = headroom(['run', file, '--out', out], { timeout });
  t.equal(r.status, 2, 'exit code 2');
  t.match(r.stderr, message);
  t.equal(r.stderr.trim().split('\n').length, 1, 'one line');
  t.notOk(existsSync(out), 'nothing written');
}
