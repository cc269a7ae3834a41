// The per-upstream CPU figures a bench run keeps beside its access log: the contract between the
// bench (which reads /proc/<pid>/stat of each upstream process every sample interval) and
// calibration (which fits the utilisation law U = X·D to them).
//
//   upstream-cpu.csv   time,pool,addr,requests,cpu_seconds
//     time         end of the sample interval, s since the run start (the time series' axis)
//     pool         the scenario pool the process serves
//     addr         its host:port, as nginx logs it in $upstream_addr
//     requests     requests the process finished in the interval
//     cpu_seconds  utime + stime it used in the interval, s (clock ticks / SC_CLK_TCK)
import { parseCsv } from '../report/series-csv.ts';

export const CPU_FILE = 'upstream-cpu.csv';
export const CPU_COLUMNS = ['time', 'pool', 'addr', 'requests', 'cpu_seconds'] as const;

export interface CpuRow {
  time: number;
  pool: string;
  addr: string;
  requests: number;
  cpuSeconds: number;
}

/** Parses upstream-cpu.csv; errors name the file, the line and the column. */
export function readCpuCsv(text: string, file: string): CpuRow[] {
  const records = parseCsvOrThrow(text, file);
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
    const pool = fields[idx[1]!] ?? '', addr = fields[idx[2]!] ?? '';
    if (pool === '') throw new Error(`${file}:${line}: pool: expected a pool name, got ""`);
    return { time: num(0, 'time'), pool, addr, requests: num(3, 'requests'), cpuSeconds: num(4, 'cpu_seconds') };
  });
}

function parseCsvOrThrow(text: string, file: string) {
  try {
    return parseCsv(text);
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
}
