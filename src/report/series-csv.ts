// timeseries.csv: the one writer and the one reader of SeriesRow[].
// Header = SERIES_COLUMNS, then SERIES_OPTIONAL_COLUMNS (wanted, marked_down, hit_ratio, oldest_age,
// calls, call_retries, waiting_share), SERIES_NAME_COLUMNS (the bottleneck's component names on the _all rows),
// then one column per scaling-policy figure (observed:<metric>, threshold:<metric>:<threshold>) in
// order of first appearance; an empty cell is null; numbers are rounded so no float noise is written.
// Files written before the optional and policy columns existed read as they always did.
import { stringify } from 'csv-stringify/sync';
import {
  ERROR_COLUMNS, FIRST_CAUSES, OBSERVED_PREFIX, SERIES_COLUMNS, SERIES_OPTIONAL_COLUMNS, THRESHOLD_PREFIX, type SeriesRow,
} from '../stats/results.ts';
import { SERIES_NAME_COLUMNS } from '../stats/bottleneck.ts';

/** Error columns of causes added after the first files were written: a file without them reads 0. */
const LATER_COLUMNS = new Set<keyof SeriesRow>(ERROR_COLUMNS.slice(FIRST_CAUSES));

/** Columns that may hold null (an empty cell). All other numeric columns must be present. */
const NULLABLE = new Set<keyof SeriesRow>([
  'latency_p50', 'latency_p95', 'latency_p99', 'latency_max',
  'utilisation', 'instances_desired', 'instances_ready', 'instances_total', 'cost',
]);

/**
 * The number as written to the CSV: 6 decimals, but at least 6 significant digits for
 * magnitudes below 1 (so 12 µs latencies survive), trailing zeros dropped.
 * `roundForCsv(x) === readSeriesCsv(writeSeriesCsv(...x...))` — use it to compare.
 */
export function roundForCsv(n: number): number {
  return Number(formatCsvNumber(n));
}

export function formatCsvNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n); // NaN, Infinity: Number() reads them back
  if (Number.isInteger(n)) return String(n);
  const a = Math.abs(n);
  let s = a >= 1 ? n.toFixed(6) : n.toPrecision(6);
  if (s.includes('e')) {
    // toPrecision switches to exponent form below 1e-6: keep it, minus trailing zeros in the mantissa
    const [m, e] = s.split('e');
    return `${stripZeros(m!)}e${e}`;
  }
  s = stripZeros(s);
  return s === '-0' ? '0' : s;
}

function stripZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

const isPolicyColumn = (h: string) => h.startsWith(OBSERVED_PREFIX) || h.startsWith(THRESHOLD_PREFIX);

export function writeSeriesCsv(rows: SeriesRow[]): string {
  const seen = new Set<string>();
  for (const r of rows) if (r.policy) for (const k of Object.keys(r.policy)) seen.add(k);
  // each figure's value column, then its thresholds; thresholds of figures never valued last
  const policyColumns = new Set<string>();
  for (const c of seen) {
    if (!c.startsWith(OBSERVED_PREFIX)) continue;
    policyColumns.add(c);
    const own = `${THRESHOLD_PREFIX}${c.slice(OBSERVED_PREFIX.length)}:`;
    for (const th of seen) if (th.startsWith(own)) policyColumns.add(th);
  }
  for (const c of seen) policyColumns.add(c);
  const fixed = [...SERIES_COLUMNS, ...SERIES_OPTIONAL_COLUMNS, ...SERIES_NAME_COLUMNS];
  const cell = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'number' ? formatCsvNumber(v) : String(v));
  const policy = [...policyColumns];
  const record = (r: SeriesRow) => [...fixed.map((c) => cell(r[c])), ...policy.map((c) => cell(r.policy?.[c]))];
  // In chunks, each copied out as bytes: csv-stringify's text is a rope that holds on to every cell
  // it was built from, and a day of a large stack (100k+ rows) would make that the run's peak
  // memory (bench:day). The text is the same.
  const out = [Buffer.from(stringify([], { header: true, columns: [...fixed, ...policy], record_delimiter: '\n' }))];
  for (let i = 0; i < rows.length; i += CSV_CHUNK) out.push(Buffer.from(stringify(rows.slice(i, i + CSV_CHUNK).map(record), { record_delimiter: '\n' })));
  return Buffer.concat(out).toString();
}

const CSV_CHUNK = 256;

/** Splits CSV text into records of fields (RFC 4180: quoted fields, "" escapes, CRLF or LF). */
export function parseCsv(text: string): { fields: string[]; line: number }[] {
  const out: { fields: string[]; line: number }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStarted = false; // distinguishes an empty trailing line from a record with one empty field
  let line = 1;
  let recordLine = 1;
  let i = 0;
  const n = text.length;
  if (text.charCodeAt(0) === 0xfeff) i = 1; // BOM
  const endRecord = () => {
    fields.push(field);
    out.push({ fields, line: recordLine });
    fields = [];
    field = '';
    fieldStarted = false;
  };
  for (; i < n; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"') {
      if (field !== '') throw new Error(`line ${line}: quote inside an unquoted field`);
      quoted = true;
      fieldStarted = true;
    } else if (ch === ',') {
      fields.push(field);
      field = '';
      fieldStarted = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      if (fieldStarted || field !== '' || fields.length > 0) endRecord();
      line++;
      recordLine = line;
    } else {
      field += ch;
      fieldStarted = true;
    }
  }
  if (quoted) throw new Error(`line ${recordLine}: unterminated quoted field`);
  if (fieldStarted || field !== '' || fields.length > 0) endRecord();
  return out;
}

/** The exact inverse of writeSeriesCsv. Errors name the line and column. */
export function readSeriesCsv(text: string): SeriesRow[] {
  const records = parseCsv(text);
  if (records.length === 0) throw new Error('empty file (expected a header line)');
  const header = records[0]!.fields.map((h) => h.trim());
  const index = new Map<string, number>();
  header.forEach((h, i) => index.set(h, i));
  const missing = SERIES_COLUMNS.filter((c) => !index.has(c) && !LATER_COLUMNS.has(c));
  if (missing.length) throw new Error(`line 1: header lacks column(s) ${missing.join(', ')}`);
  const optional = SERIES_OPTIONAL_COLUMNS.filter((c) => index.has(c));
  const names = SERIES_NAME_COLUMNS.filter((c) => index.has(c));
  const policyColumns = header.filter(isPolicyColumn);
  const num = (cell: string, c: string, line: number) => {
    const v = Number(cell);
    if (Number.isNaN(v) && cell.trim() !== 'NaN') throw new Error(`line ${line}: column ${c}: not a number: ${JSON.stringify(cell)}`);
    return v;
  };
  const rows: SeriesRow[] = [];
  for (let r = 1; r < records.length; r++) {
    const { fields, line } = records[r]!;
    if (fields.length !== header.length) {
      throw new Error(`line ${line}: ${fields.length} fields, header has ${header.length}`);
    }
    const row: Record<string, unknown> = {};
    for (const c of SERIES_COLUMNS) {
      if (!index.has(c)) {
        row[c] = 0; // a cause this file predates
        continue;
      }
      const cell = fields[index.get(c)!]!;
      if (c === 'component') {
        row[c] = cell;
        continue;
      }
      if (cell === '') {
        if (!NULLABLE.has(c)) throw new Error(`line ${line}: column ${c} is empty`);
        row[c] = null;
        continue;
      }
      row[c] = num(cell, c, line);
    }
    for (const c of optional) {
      const cell = fields[index.get(c)!]!;
      row[c] = cell === '' ? null : num(cell, c, line);
    }
    for (const c of names) {
      const cell = fields[index.get(c)!]!;
      row[c] = cell === '' ? null : cell;
    }
    let policy: Record<string, number> | undefined;
    for (const c of policyColumns) {
      const cell = fields[index.get(c)!]!;
      if (cell !== '') (policy ??= {})[c] = num(cell, c, line);
    }
    if (policy) row.policy = policy;
    rows.push(row as unknown as SeriesRow);
  }
  return rows;
}
