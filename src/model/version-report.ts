// What a pool that changed version reports per version: series rows named `<pool>@<version>`
// (arrivals, answers, errors and latency of the requests that version's instances took, and its
// instances: wanted, ready, existing) and a summary per version; a resized pool's versions also
// their size, and what their instances cost at their own price.
import type { SeriesRow, VersionSummary } from '../stats/results.ts';
import { errorCounts } from './counters.ts';
import { Life } from './fleet.ts';
import type { Lifecycle } from './lifecycle.ts';
import { intervalRow } from './series.ts';

/** One row per version for the interval ending now (none before the pool has a second version). */
export function versionRows(p: Lifecycle, now: number, dt: number): SeriesRow[] {
  const stats = p.versions.stats;
  if (stats === null) return [];
  const ready = new Int32Array(stats.length), total = new Int32Array(stats.length), busy = new Int32Array(stats.length);
  for (let i = 0; i < p.n; i++) {
    if (p.life[i] === Life.Gone) continue;
    const v = p.version[i];
    total[v]++;
    if (p.life[i] === Life.Ready) ready[v]++;
    busy[v] += p.busy[i] + p.backlogs[i].live;
  }
  return stats.map((st, v) => {
    const row = intervalRow(now, `${p.cfg.name}@${p.versions.names[v]}`, dt, st.counters, st.latency, busy[v], 0);
    row.instances_desired = p.want[v] ?? 0;
    row.instances_ready = ready[v];
    row.instances_total = total[v];
    if (p.versions.resized) row.cost = p.versions.billing(v, now).cost; // what its instances cost so far, at its own price
    return row;
  });
}

/** Per version: requests it took, answered and failed, and its latency at the pool. */
export function versionSummaries(p: Lifecycle, end: number): Record<string, VersionSummary> | null {
  const stats = p.versions.stats;
  if (stats === null) return null;
  const out: Record<string, VersionSummary> = {};
  stats.forEach((st, v) => {
    const { distribution: _, ...latency } = st.latency.summary();
    out[p.versions.names[v]] = {
      arrivals: st.counters.arrivals,
      completions: st.counters.completions,
      errors: errorCounts(st.counters),
      latency,
      instancesFinal: p.activeOf(v),
      ...(p.versions.resized ? { size: { ...p.versions.sizes[v] }, ...p.versions.billing(v, end) } : {}),
    };
  });
  return out;
}
