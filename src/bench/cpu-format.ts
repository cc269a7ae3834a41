// The CPU figures a bench run keeps beside its access log (written by the bench's CpuMeter from
// /proc/<pid>/stat every sample interval), as calibration reads them:
//
//   cpu.csv   time,process,pid,cores
//     time     end of the sample interval, s since the run start (the time series' axis)
//     process  "<pool>-<index>" for an upstream instance; "nginx", "nginx-worker", "_generator" otherwise
//     pid      the process
//     cores    CPU it used over the interval, in cores (1 = one core busy the whole interval)
import { parseCsv } from '../report/series-csv.ts';

export const CPU_FILE = 'cpu.csv';
export const CPU_COLUMNS = ['time', 'process', 'pid', 'cores'] as const;

export interface CpuRow {
  time: number;
  /** The pool an upstream instance serves, or null for nginx and the generator. */
  pool: string | null;
  process: string;
  cores: number;
}

const INSTANCE = /^(.+)-(\d+)$/;

/** Parses cpu.csv; errors name the file, the line and the column. */
export function readCpuCsv(text: string, file: string): CpuRow[] {
  let records;
  try {
    records = parseCsv(text);
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
  if (records.length === 0) throw new Error(`${file}: empty (expected the header ${CPU_COLUMNS.join(',')})`);
  const header = records[0]!.fields.map((h) => h.trim());
  const idx = CPU_COLUMNS.map((c) => header.indexOf(c));
  const missing = CPU_COLUMNS.filter((_, i) => idx[i]! < 0);
  if (missing.length) throw new Error(`${file}:1: expected the header ${CPU_COLUMNS.join(',')}, lacks ${missing.join(', ')}`);
  return records.slice(1).map(({ fields, line }) => {
    const num = (col: number, name: string) => {
      const cell = fields[idx[col]!] ?? '';
      const v = Number(cell);
      if (cell.trim() === '' || !Number.isFinite(v) || v < 0) throw new Error(`${file}:${line}: ${name}: expected a number ≥ 0, got ${JSON.stringify(cell)}`);
      return v;
    };
    const process = fields[idx[1]!] ?? '';
    if (process === '') throw new Error(`${file}:${line}: process: expected a process name, got ""`);
    const m = INSTANCE.exec(process);
    return { time: num(0, 'time'), pool: m && !process.startsWith('nginx') ? m[1]! : null, process, cores: num(3, 'cores') };
  });
}
