// Where results may go. A run writes summary.json, timeseries.csv and index.html into a folder; a
// comparison writes one HTML file. A target is checked before any work starts, so a refusal costs
// nothing and writes nothing, and checked again when the files are written. Missing folders are
// created one level at a time: `mkdirSync(..., { recursive: true })` spins forever on Linux when a
// level cannot be made (mkdir under /proc answers ENOENT and Node's loop retries the parent).
//
// What is refused, and why a careful user expects it:
// - the filesystem root and the system trees (/proc, /sys, /dev, /etc, /usr, /bin, /sbin, /lib*, /boot);
// - an existing file where a folder is wanted, or a folder where a file is wanted;
// - a place that cannot be written (no permission, read-only);
// - an existing folder that holds something else than a headroom run (results would be mixed
//   into it and its own index.html overwritten): name a new or empty folder instead;
// - for a comparison, an existing file that headroom did not write, or a name not ending in .html.
import { accessSync, constants, lstatSync, mkdirSync, readdirSync, realpathSync, rmdirSync, statSync, openSync, readSync, closeSync, type Stats } from 'node:fs';
import path from 'node:path';
import { ReportInputError } from './errors.ts';
import { readUserFile } from '../io/user-file.ts';

export const RUN_FILES = ['summary.json', 'timeseries.csv', 'index.html'] as const;

const SYSTEM_TREES = ['/proc', '/sys', '/dev', '/etc', '/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/boot'];

/** A checked target: the absolute folder, and the folders to create (outermost first) before writing. */
export interface OutputPlan {
  dir: string;
  create: string[];
}

function refuse(target: string, why: string): never {
  throw new ReportInputError(`${target}: ${why}`);
}

function statOrNull(p: string): Stats | null {
  try {
    return statSync(p);
  } catch {
    return null;
  }
}

function what(st: Stats): string {
  return st.isFile() ? 'a file' : st.isDirectory() ? 'a folder' : st.isSymbolicLink() ? 'a link' : 'not a regular file';
}

/** The real location of `abs` (links resolved on the part that exists), and the parts below it that do not exist yet. */
function locate(abs: string, shown: string): { real: string; existing: string; missing: string[] } {
  const missing: string[] = [];
  let existing = abs;
  for (;;) {
    const st = statOrNull(existing);
    if (st !== null) {
      if (!st.isDirectory() && missing.length > 0) {
        refuse(shown, `${existing} is ${what(st)}, so no folder can be made inside it`);
      }
      break;
    }
    let lst: Stats | null = null;
    try {
      lst = lstatSync(existing);
    } catch { /* absent */ }
    if (lst !== null) refuse(shown, `${existing} is a link to nothing`);
    missing.unshift(path.basename(existing));
    existing = path.dirname(existing);
  }
  const realExisting = realpathSync(existing);
  return { real: path.join(realExisting, ...missing), existing: realExisting, missing };
}

function checkPlace(real: string, shown: string): void {
  if (real === path.parse(real).root) refuse(shown, 'is the filesystem root; name a folder for the results, like reports/my-run');
  if (process.platform !== 'win32') {
    const tree = SYSTEM_TREES.find((t) => real === t || real.startsWith(`${t}/`));
    if (tree !== undefined) refuse(shown, `is inside ${tree}, a system folder; name a folder of your own, like reports/my-run`);
  }
}

function checkWritable(dir: string, shown: string): void {
  try {
    accessSync(dir, constants.W_OK);
  } catch (e) {
    refuse(shown, `${dir === shown ? 'is' : `${dir} is`} not writable (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** The first bytes of a file, for recognising what wrote it (a FIFO is never opened: callers stat first). */
function head(file: string, bytes = 4096): string {
  const fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const buf = Buffer.alloc(bytes);
    const n = readSync(fd, buf, 0, bytes, 0);
    return buf.toString('utf8', 0, n);
  } finally {
    closeSync(fd);
  }
}

/**
 * A folder headroom wrote results into: a run (summary.json, an object with headroom's version
 * field) or a sweep (sweep.json in a headroom-sweep format).
 */
export function isRunFolder(dir: string): boolean {
  const json = (name: string, kind: 'summary' | 'shard'): Record<string, unknown> | null => {
    try {
      const v: unknown = JSON.parse(readUserFile(path.join(dir, name), kind));
      return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
    } catch {
      return null; // absent, unreadable, too large or not JSON: not ours
    }
  };
  if (typeof json('summary.json', 'summary')?.headroom === 'string') return true;
  const format = json('sweep.json', 'shard')?.format;
  return typeof format === 'string' && format.startsWith('headroom-sweep/');
}

/** Checks a folder for a run's (or a sweep's) files (see the header for what is refused). Creates nothing. */
export function planRunDir(dir: string): OutputPlan {
  const shown = dir;
  const { real, existing, missing } = locate(path.resolve(dir), shown);
  checkPlace(real, shown);
  if (missing.length === 0) {
    const st = statSync(real);
    if (!st.isDirectory()) refuse(shown, `exists and is ${what(st)}; name a folder for the results`);
    checkWritable(real, shown);
    // leftovers of an interrupted write, and a bench's stack while it runs
    const entries = readdirSync(real).filter((e) => !/^\..*\.tmp$/.test(e) && !/^\.stack-\d+$/.test(e));
    if (entries.length > 0 && !isRunFolder(real)) {
      refuse(shown, `is a folder that holds other things than a headroom run (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}); name a new or empty folder`);
    }
    return { dir: real, create: [] };
  }
  checkWritable(existing, shown);
  return { dir: real, create: missing.map((_, i) => path.join(existing, ...missing.slice(0, i + 1))) };
}

/** What may be replaced at a file target: a name pattern, and a test that headroom wrote what is there. */
export interface FileRule {
  name: RegExp;
  expectedName: string;
  ours: (head: string) => boolean;
}

/** A comparison page: an .html file, replacing only an HTML page headroom wrote. */
export const HTML_REPORT: FileRule = {
  name: /\.html?$/i,
  expectedName: 'a file name ending in .html',
  ours: (head) => /<meta name="generator" content="headroom /.test(head),
};

/**
 * Checks a file target; its folder is created when written. Without a rule (files headroom owns
 * by name, like calibration.json) an existing regular file may be replaced.
 */
export function planOutputFile(file: string, rule?: FileRule): OutputPlan & { file: string } {
  const shown = file;
  if (rule !== undefined && !rule.name.test(file)) refuse(shown, `expected ${rule.expectedName}`);
  const { real, existing, missing } = locate(path.resolve(file), shown);
  checkPlace(path.dirname(real), shown);
  if (missing.length === 0) {
    const st = statSync(real);
    if (!st.isFile()) refuse(shown, `exists and is ${what(st)}; name a file`);
    if (rule !== undefined) {
      let written = false;
      try {
        written = rule.ours(head(real));
      } catch { /* unreadable: not ours to overwrite */ }
      if (!written) refuse(shown, 'exists and was not written by headroom; name a new file or remove this one');
    }
    checkWritable(path.dirname(real), shown);
    return { dir: path.dirname(real), create: [], file: real };
  }
  checkWritable(existing, shown);
  const folders = missing.slice(0, -1).map((_, i) => path.join(existing, ...missing.slice(0, i + 1)));
  return { dir: path.dirname(real), create: folders, file: real };
}

/** Checks a file a comparison is written to. */
export function planReportFile(file: string): OutputPlan & { file: string } {
  return planOutputFile(file, HTML_REPORT);
}

/** Creates the planned folders, one level at a time; on failure removes the ones it made. */
export function createPlanned(plan: OutputPlan, shown: string): void {
  const made: string[] = [];
  let current = plan.dir;
  try {
    for (const dir of plan.create) {
      current = dir;
      try {
        mkdirSync(dir);
        made.push(dir);
      } catch (e) {
        // made since the plan was checked (a bench creates its folder before it writes the results)
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(dir).isDirectory()) throw e;
      }
    }
  } catch (e) {
    for (const dir of made.reverse()) {
      try {
        rmdirSync(dir);
      } catch { /* leave it: it is empty or not ours */ }
    }
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    refuse(shown, `cannot create the folder ${current} (${code})`);
  }
}
