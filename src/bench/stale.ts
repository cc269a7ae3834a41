// A record per running stack, so a stack whose headroom was killed is found and cleaned by the
// next start. The record names the owner (pid + kernel start time: a recycled pid is not the
// owner) and the private prefix every process of the stack runs from; cleaning signals only
// processes /proc shows under that prefix (./procs.ts ownedBy), then removes the prefix.
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { endAll, isRunning, startTicks } from './procs.ts';

export interface StackRecord {
  owner: number;
  ownerStart: number;
  prefix: string;
  created: string;
}

/** Where records live (overridable for tests). */
export function registryDir(): string {
  return process.env.HEADROOM_STACK_REGISTRY ?? join(tmpdir(), 'headroom-stacks');
}

/** The prefix directories a stack creates are named so; cleaning removes nothing else. */
export const PREFIX_NAME = /^\.stack-\d+$/;

export function writeRecord(prefix: string): string {
  const dir = registryDir();
  mkdirSync(dir, { recursive: true });
  const rec: StackRecord = { owner: process.pid, ownerStart: startTicks(process.pid) ?? 0, prefix, created: new Date().toISOString() };
  const file = join(dir, `${process.pid}-${basename(prefix)}.json`);
  writeFileSync(file, JSON.stringify(rec) + '\n');
  return file;
}

export function removeRecord(file: string): void {
  rmSync(file, { force: true });
}

function ownerAlive(r: StackRecord): boolean {
  return isRunning(r.owner) && startTicks(r.owner) === r.ownerStart;
}

/** Cleans every stack whose owner is gone; returns the prefixes cleaned and how many processes were ended. */
export async function cleanStale(): Promise<Array<{ prefix: string; ended: number }>> {
  const dir = registryDir();
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: Array<{ prefix: string; ended: number }> = [];
  for (const name of names) {
    if (!name.endsWith('.json')) continue;
    const file = join(dir, name);
    let rec: StackRecord;
    try {
      rec = JSON.parse(readFileSync(file, 'utf8')) as StackRecord;
    } catch {
      rmSync(file, { force: true }); // unreadable: written half by a killed owner
      continue;
    }
    if (ownerAlive(rec)) continue;
    const ended = await endAll(rec.prefix);
    if (PREFIX_NAME.test(basename(rec.prefix))) rmSync(rec.prefix, { recursive: true, force: true });
    rmSync(file, { force: true });
    out.push({ prefix: rec.prefix, ended });
  }
  return out;
}
