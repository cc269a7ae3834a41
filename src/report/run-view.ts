// What the run report's charts and tables derive from summary.json + timeseries.csv: the time axis,
// rows by component, the bucket size that keeps charts under MAX_POINTS, the latency unit.
import type { RunSummary, SeriesRow } from '../stats/results.ts';
import { agg, bucketSize, buckets, byComponent, MAX_POINTS, type Agg } from './downsample.ts';
import { fmtDuration, sig, timeAxis, type TimeAxis } from './format.ts';
import { NODES_ROW } from './nodes.ts';

type Obj = Record<string, unknown>;


/** Latency display unit: ms unless values reach seconds. */
export interface LatencyUnit {
  unit: 'ms' | 's';
  factor: number;
  tip: string;
}
export function latencyUnit(maxSeconds: number): LatencyUnit {
  return maxSeconds >= 2 ? { unit: 's', factor: 1, tip: ',.3~f' } : { unit: 'ms', factor: 1000, tip: ',.4~r' };
}

/** Everything the charts and tables derive from the inputs. */
export interface RunView {
  summary: RunSummary;
  ax: TimeAxis;
  comps: Map<string, SeriesRow[]>;
  all: SeriesRow[];
  /** Components other than `_all`, in summary order then series order. */
  names: string[];
  pools: string[];
  interval: number;
  bucket: number;
  lat: LatencyUnit;
}

export function runView(summary: RunSummary, rows: SeriesRow[]): RunView {
  const comps = byComponent(rows);
  const all = comps.get('_all') ?? [];
  const names: string[] = [];
  for (const n of Object.keys(summary.components ?? {})) if (n !== '_all') names.push(n);
  // `<pool>@<version>` rows are a pool's versions: drawn on its instances chart, not as components
  // and the `nodes` row is the cluster's (./nodes.ts draws it), unless a component has that name
  const isNodes = (n: string) => n === NODES_ROW && summary.nodes !== undefined && !(n in (summary.components ?? {}));
  for (const n of comps.keys()) if (n !== '_all' && !n.includes('@') && !names.includes(n) && !isNodes(n)) names.push(n);
  const pools = names.filter((n) => {
    const c = summary.components?.[n];
    if (c) return c.kind === 'pool';
    return (comps.get(n) ?? []).some((r) => r.instances_ready !== null);
  });
  const interval = summary.scenario.sampleInterval > 0 ? summary.scenario.sampleInterval : guessInterval(all);
  const intervals = Math.max(all.length, ...[...comps.values()].map((l) => l.length), 1);
  let maxLat = Math.max(summary.latency?.p99 ?? 0, summary.worstInterval?.p99 ?? 0);
  for (const r of all) if (r.latency_p99 !== null && r.latency_p99 > maxLat) maxLat = r.latency_p99;
  return {
    summary, ax: timeAxis(summary), comps, all, names, pools, interval,
    bucket: bucketSize(intervals, MAX_POINTS), lat: latencyUnit(maxLat),
  };
}

function guessInterval(rows: SeriesRow[]): number {
  if (rows.length >= 2) return rows[1]!.time - rows[0]!.time;
  return rows[0]?.time ?? 1;
}

/** Wide display rows: t plus one value per series, each from its own component rows. */
export function wideSeries(
  v: { bucket: number; interval: number },
  sources: Array<{ key: string; rows: SeriesRow[]; get: (r: SeriesRow) => number | null; how: Agg; scale?: number }>,
): Obj[] {
  const byT = new Map<number, Obj>();
  for (const s of sources) {
    for (const b of buckets(s.rows, v.bucket, v.interval)) {
      let row = byT.get(b.t);
      if (!row) byT.set(b.t, (row = { t: b.t }));
      const x = agg(b.rows, s.get, s.how);
      row[s.key] = x === null ? null : sig(x * (s.scale ?? 1));
    }
  }
  return [...byT.values()].sort((a, b) => (a.t as number) - (b.t as number));
}

export function bucketNote(v: RunView, what: string): string {
  if (v.bucket <= 1) return '';
  return ` Each point covers ${v.bucket} sample intervals (${fmtDuration(v.bucket * v.interval)}); ${what}.`;
}

