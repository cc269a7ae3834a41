// Display aggregation: a 24 h run at 10 s is 8640 intervals per component; charts need ≤ ~1000 points.
// Peaks must survive (max for latency, errors, queues, instances); rates average (mean); cumulative
// values keep their last sample.
import type { SeriesRow } from '../stats/results.ts';

export type Agg = 'mean' | 'max' | 'last' | 'sum';

export const MAX_POINTS = 1000;

/** How many sample intervals make one display point so that `n` intervals fit in `maxPoints`. */
export function bucketSize(n: number, maxPoints = MAX_POINTS): number {
  return Math.max(1, Math.ceil(n / maxPoints));
}

/** Rows grouped by component, each sorted by time; `_all` included. Order: first appearance. */
export function byComponent(rows: SeriesRow[]): Map<string, SeriesRow[]> {
  const m = new Map<string, SeriesRow[]>();
  for (const r of rows) {
    let list = m.get(r.component);
    if (!list) m.set(r.component, (list = []));
    list.push(r);
  }
  for (const list of m.values()) list.sort((a, b) => a.time - b.time);
  return m;
}

export interface Bucket {
  /** End of the last interval in the bucket (s). */
  t: number;
  /** Start of the first interval in the bucket (s). */
  t0: number;
  rows: SeriesRow[];
}

export function buckets(rows: SeriesRow[], size: number, interval: number): Bucket[] {
  const out: Bucket[] = [];
  for (let i = 0; i < rows.length; i += size) {
    const slice = rows.slice(i, i + size);
    out.push({ t: slice[slice.length - 1]!.time, t0: slice[0]!.time - interval, rows: slice });
  }
  return out;
}

/** Aggregates one value over a bucket; nulls are skipped; all-null gives null. */
export function agg(rows: SeriesRow[], get: (r: SeriesRow) => number | null, how: Agg): number | null {
  let n = 0;
  let acc = 0;
  let last: number | null = null;
  for (const r of rows) {
    const v = get(r);
    if (v === null || v === undefined || Number.isNaN(v)) continue;
    if (how === 'max') acc = n === 0 ? v : Math.max(acc, v);
    else acc += v;
    last = v;
    n++;
  }
  if (n === 0) return null;
  if (how === 'mean') return acc / n;
  if (how === 'last') return last;
  return acc;
}
