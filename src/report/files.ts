// Reading a run directory and writing reports. A report is always re-rendered from summary.json +
// timeseries.csv (data flows one way: nothing here runs a simulation). The renderers are imported
// where a page is written, so `run --no-html` (which writes through here) never loads them.
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import type { RunSummary, SeriesRow } from '../stats/results.ts';
import type { CompareRun } from './compare.ts';
import { readSeriesCsv } from './series-csv.ts';
import { ReportInputError } from './errors.ts';
import { UserFileError, readUserFile } from '../io/user-file.ts';
import { createPlanned, planOutputFile, planReportFile, planRunDir, type OutputPlan } from './output.ts';

export const SUMMARY_FILE = 'summary.json';
export const SERIES_FILE = 'timeseries.csv';
export const REPORT_FILE = 'index.html';

export { ReportInputError };

function readText(path: string, kind: 'summary' | 'series'): string {
  try {
    return readUserFile(path, kind);
  } catch (e) {
    if (e instanceof UserFileError) throw new ReportInputError(e.message);
    throw e;
  }
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
  const summaryText = readText(summaryPath, 'summary');
  const seriesText = readText(seriesPath, 'series');
  let parsed: unknown;
  try {
    parsed = JSON.parse(summaryText);
  } catch (e) {
    throw new ReportInputError(`${summaryPath}: invalid JSON: ${(e as Error).message}`);
  }
  // ajv is loaded only when a run is read, not at every start of the command line
  const { checkSummary } = await import('./summary-check.ts');
  const summary = checkSummary(summaryPath, parsed);
  let rows: SeriesRow[];
  try {
    rows = readSeriesCsv(seriesText);
  } catch (e) {
    throw new ReportInputError(`${seriesPath}: ${(e as Error).message}`);
  }
  checkSeries(seriesPath, rows, summary);
  return { summary, rows };
}

/**
 * The time series belongs to the summary beside it: its components are the summary's (or `_all`,
 * `pool@version` for a pool whose summary lists that version, or the cluster's `nodes` row when
 * the summary has nodes), and each one's times rise
 * through the run. Lines are counted as in the file (header = line 1).
 */
function checkSeries(file: string, rows: SeriesRow[], summary: RunSummary): void {
  const known = new Set(['_all', ...Object.keys(summary.components), ...(summary.nodes !== undefined ? ['nodes'] : []) /* NODES_ROW of nodes.ts, which loads the charts */]);
  for (const [name, c] of Object.entries(summary.components)) {
    if (c.kind === 'pool') for (const v of Object.keys(c.versions ?? {})) known.add(`${name}@${v}`);
  }
  const last = new Map<string, number>();
  const end = summary.scenario.duration * (1 + 1e-9);
  rows.forEach((r, i) => {
    const line = i + 2;
    // a component's own sub-rows (a caller's connection pool `app/db-pool`) belong with it
    if (!known.has(r.component) && !known.has(r.component.split('/')[0])) {
      throw new ReportInputError(`${file}:${line}: component: expected _all or a component of summary.json (${Object.keys(summary.components).join(', ')}), got ${JSON.stringify(r.component)}`);
    }
    if (!(r.time > (last.get(r.component) ?? 0) && r.time <= end)) {
      throw new ReportInputError(`${file}:${line}: time: expected a time after the previous row of ${r.component} and within the run (0 to ${summary.scenario.duration} s), got ${r.time}`);
    }
    last.set(r.component, r.time);
  });
}

/**
 * Writes a run's files into `dir` (checked by planRunDir: see output.ts for what is refused) so
 * that nothing half-written is left behind: each goes to a temporary name in the same folder
 * first, and only once all are written are they renamed into place. Returns the final paths.
 * A caller that checked the folder before its work (bench, which then fills it) passes that plan.
 */
export function writeFilesAtomically(dir: string, files: Record<string, string | Uint8Array>, plan: OutputPlan = planRunDir(dir)): string[] {
  return writePlanned(plan, dir, files);
}

function writePlanned(plan: OutputPlan, shown: string, files: Record<string, string | Uint8Array>): string[] {
  createPlanned(plan, shown);
  const dir = plan.dir;
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

/** A comparison's HTML file (checked by planReportFile), written the same way. */
export function writeReportFile(file: string, data: string): string {
  const plan = planReportFile(file);
  writePlanned(plan, file, { [basename(plan.file)]: data });
  return file;
}

/** One file headroom owns by its name (calibration.json), written the same way; see planOutputFile. */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const plan = planOutputFile(file);
  writePlanned(plan, file, { [basename(plan.file)]: data });
}

/** Re-renders DIR/index.html from DIR/summary.json + DIR/timeseries.csv; returns its path. */
export async function writeReport(dir: string): Promise<string> {
  const { summary, rows } = await loadRun(dir);
  const { renderHtml } = await import('./html.ts');
  const html = await renderHtml(summary, rows);
  writeFilesAtomically(dir, { [REPORT_FILE]: html });
  return join(dir, REPORT_FILE);
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
  planReportFile(outFile); // refuse a bad target before reading anything
  const runs = await loadCompareRuns(dirs, labels);
  const { renderCompare } = await import('./compare.ts');
  const html = await renderCompare(runs);
  return writeReportFile(outFile, html);
}
