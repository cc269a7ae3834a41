// Reading a run directory and writing reports. A report is always re-rendered from summary.json +
// timeseries.csv (data flows one way: nothing here runs a simulation). The renderers are imported
// where a page is written, so `run --no-html` (which writes through here) never loads them.
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { completeErrors, type RunSummary, type SeriesRow } from '../stats/results.ts';
import type { CompareRun } from './compare.ts';
import { readSeriesCsv } from './series-csv.ts';

export const SUMMARY_FILE = 'summary.json';
export const SERIES_FILE = 'timeseries.csv';
export const REPORT_FILE = 'index.html';

/** A problem with the user's input (missing or malformed files): the CLI prints it and exits 2. */
export class ReportInputError extends Error {
  override name = 'ReportInputError';
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ReportInputError(`${path}: not found`);
    if (code === 'EISDIR') throw new ReportInputError(`${path}: is a directory, expected a file`);
    if (code === 'EACCES') throw new ReportInputError(`${path}: permission denied`);
    throw new ReportInputError(`${path}: ${(e as Error).message}`);
  }
}

function checkSummary(path: string, v: unknown): RunSummary {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ReportInputError(`${path}: not a headroom run summary (expected a JSON object)`);
  const o = v as Record<string, unknown>;
  for (const key of ['scenario', 'totals', 'latency', 'components', 'cost'] as const) {
    if (typeof o[key] !== 'object' || o[key] === null) throw new ReportInputError(`${path}: not a headroom run summary (missing "${key}")`);
  }
  const sc = o.scenario as Record<string, unknown>;
  for (const key of ['duration', 'sampleInterval'] as const) {
    if (typeof sc[key] !== 'number') throw new ReportInputError(`${path}: scenario.${key} must be a number`);
  }
  const s = v as RunSummary;
  // Causes appended since the file was written read as 0.
  s.totals.errors = completeErrors(s.totals.errors ?? {});
  for (const c of Object.values(s.components)) c.errors = completeErrors(c.errors ?? {});
  for (const c of Object.values(s.classes ?? {})) c.errors = completeErrors(c.errors ?? {});
  s.slo ??= [];
  s.scaling ??= [];
  s.peakInstances ??= {};
  return s;
}

/** Reads DIR/summary.json and DIR/timeseries.csv. Errors name the file (and line) at fault. */
export async function loadRun(dir: string): Promise<{ summary: RunSummary; rows: SeriesRow[] }> {
  let st;
  try {
    st = await stat(dir);
  } catch {
    throw new ReportInputError(`${dir}: no such run directory`);
  }
  if (!st.isDirectory()) throw new ReportInputError(`${dir}: not a directory (expected a run directory with ${SUMMARY_FILE} and ${SERIES_FILE})`);
  const summaryPath = join(dir, SUMMARY_FILE);
  const seriesPath = join(dir, SERIES_FILE);
  const [summaryText, seriesText] = await Promise.all([readText(summaryPath), readText(seriesPath)]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(summaryText);
  } catch (e) {
    throw new ReportInputError(`${summaryPath}: invalid JSON: ${(e as Error).message}`);
  }
  const summary = checkSummary(summaryPath, parsed);
  let rows: SeriesRow[];
  try {
    rows = readSeriesCsv(seriesText);
  } catch (e) {
    throw new ReportInputError(`${seriesPath}: ${(e as Error).message}`);
  }
  return { summary, rows };
}

/**
 * Writes a set of files into dir so that nothing half-written is left behind: each goes to a
 * temporary name in the same directory first, and only once all are written are they renamed
 * into place. Returns the final paths.
 */
export function writeFilesAtomically(dir: string, files: Record<string, string | Uint8Array>): string[] {
  mkdirSync(dir, { recursive: true });
  const staged: Array<[string, string]> = [];
  try {
    for (const [name, content] of Object.entries(files)) {
      const tmp = join(dir, `.${name}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
      staged.push([tmp, join(dir, name)]);
      writeFileSync(tmp, content);
    }
    for (const [tmp, final] of staged) renameSync(tmp, final);
  } catch (e) {
    for (const [tmp] of staged) rmSync(tmp, { force: true });
    throw e;
  }
  return staged.map(([, f]) => f);
}

/** One file, written the same way. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  writeFilesAtomically(dirname(path), { [basename(path)]: data });
}

/** Re-renders DIR/index.html from DIR/summary.json + DIR/timeseries.csv; returns its path. */
export async function writeReport(dir: string): Promise<string> {
  const { summary, rows } = await loadRun(dir);
  const { renderHtml } = await import('./html.ts');
  const html = await renderHtml(summary, rows);
  const out = join(dir, REPORT_FILE);
  await writeFileAtomic(out, html);
  return out;
}

/** Labels for run directories: their names, or paths relative to the working directory when names repeat. */
export function runLabels(dirs: string[]): string[] {
  const names = dirs.map((d) => basename(resolve(d)));
  if (new Set(names).size === names.length) return names;
  const rel = dirs.map((d) => relative(process.cwd(), resolve(d)) || '.');
  if (new Set(rel).size === rel.length) return rel;
  return dirs.map((d, i) => `${i + 1}: ${d}`);
}

/** Loads run directories for a comparison, labelled (the first is the baseline). */
export async function loadCompareRuns(dirs: string[], labels?: string[]): Promise<CompareRun[]> {
  if (dirs.length < 2) throw new ReportInputError(`compare needs at least two run directories (got ${dirs.length})`);
  if (labels && labels.length !== dirs.length) throw new ReportInputError(`${labels.length} labels for ${dirs.length} runs`);
  const names = labels ?? runLabels(dirs);
  const loaded = await Promise.all(dirs.map((d) => loadRun(d)));
  return loaded.map((r, i) => ({ label: names[i]!, summary: r.summary, rows: r.rows }));
}

/** Renders a comparison of run directories (the first is the baseline) to outFile; returns outFile. */
export async function writeCompare(dirs: string[], outFile: string, labels?: string[]): Promise<string> {
  const runs = await loadCompareRuns(dirs, labels);
  const { renderCompare } = await import('./compare.ts');
  const html = await renderCompare(runs);
  await writeFileAtomic(outFile, html);
  return outFile;
}
