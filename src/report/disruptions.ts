// What a report shows of faults and releases: a table of each disruption with its breach and
// recovery time, the events as they happened (instances lost, crashed, restarted, replaced; a
// release's steps, switch, rollback), vertical marks on the time charts where they began, and the
// instances each version of a pool ran (the series rows `<pool>@<version>`).
import { ERROR_COLUMNS, type Disruption, type RunEvent, type RunSummary, type SeriesRow } from '../stats/results.ts';
import { OKABE_ITO, timeCalc, timeTooltip, whenCalc, xEnc } from './charts.ts';
import { esc, fmtDuration, fmtTime, type TimeAxis } from './format.ts';

type Obj = Record<string, unknown>;

/** A recovery time to the second: "170 s (2 min 50 s)". */
export function fmtRecovery(s: number): string {
  const r = Math.round(s);
  if (r < 60) return `${r} s`;
  const m = Math.floor(r / 60), sec = r % 60;
  return `${r} s (${m} min${sec ? ` ${sec} s` : ''})`;
}

/** Series rows of a pool's versions: `<pool>@<version>` → rows. */
export function versionSeries(comps: Map<string, SeriesRow[]>, pool: string): Array<[string, SeriesRow[]]> {
  return [...comps.entries()].filter(([n]) => n.startsWith(`${pool}@`)).map(([n, r]) => [n.slice(pool.length + 1), r]);
}

/** The pools' rows summed per time: their error columns (what failed at the instances). */
export function poolAttempts(comps: Map<string, SeriesRow[]>, pools: string[]): SeriesRow[] {
  const byT = new Map<number, SeriesRow>();
  for (const p of pools) {
    for (const r of comps.get(p) ?? []) {
      let row = byT.get(r.time);
      if (!row) {
        row = { ...r, component: 'pools' };
        for (const c of ERROR_COLUMNS) (row as unknown as Record<string, number>)[c] = 0;
        byT.set(r.time, row);
      }
      for (const c of ERROR_COLUMNS) (row as unknown as Record<string, number>)[c] += r[c] as number;
    }
  }
  return [...byT.values()].sort((a, b) => a.time - b.time);
}

const KIND_WORDS: Record<string, string> = {
  zoneOutage: 'zone outage', kill: 'instances killed', crash: 'processes crashed', slow: 'slowdown', errors: '5xx answers', failover: 'database failover',
  release: 'release', rollback: 'rollback',
};

/** Where each fault and release began, and when a rollout ended: rule marks for the time charts. */
export function disruptionMarks(s: RunSummary): Obj[] {
  const marks: Obj[] = (s.disruptions ?? []).map((d) => ({ t: d.time, what: `${KIND_WORDS[d.kind] ?? d.kind}: ${d.target}` }));
  for (const e of s.events ?? []) {
    if (e.kind === 'rollback' || e.kind === 'switch' || e.kind === 'aborted' || e.kind === 'paused') marks.push({ t: e.time, what: `${e.kind}: ${e.component}` });
  }
  return marks;
}

/** Vertical rules at the marks, with their label as a tooltip. */
export function markLayers(ax: TimeAxis, marks: Obj[], interactive: boolean): Obj[] {
  if (marks.length === 0) return [];
  return [{
    data: { values: marks },
    transform: [...timeCalc(ax), ...whenCalc(ax)],
    mark: { type: 'rule', strokeDash: [2, 3], strokeWidth: 1.5, color: OKABE_ITO.vermillion },
    encoding: {
      x: xEnc(ax),
      ...(interactive ? { tooltip: [timeTooltip(ax), { field: 'what', type: 'nominal', title: 'event' }] } : {}),
    },
  }];
}

function outcome(d: Disruption, ax: TimeAxis, s: RunSummary): string {
  if (d.outcome === undefined) return '';
  return d.endedAt === null || d.endedAt === undefined ? d.outcome : `${d.outcome} at ${fmtTime(ax, d.endedAt, false, s.scenario.duration)}`;
}

function when(ax: TimeAxis, s: RunSummary, t: number | null): string {
  return t === null ? '—' : esc(fmtTime(ax, t, false, s.scenario.duration));
}

/** Each fault and release, when the SLO broke after it and how long until it held again. */
export function disruptionSection(s: RunSummary, ax: TimeAxis): string {
  const ds = s.disruptions ?? [];
  if (ds.length === 0) return '';
  const hold = (s.scenarioSource as { recoveryHold?: number } | undefined)?.recoveryHold;
  const rows = ds.map((d: Disruption) => `<tr><td class="num">${when(ax, s, d.time)}</td><td>${esc(KIND_WORDS[d.kind] ?? d.kind)}</td><td>${esc(d.target)}</td>
<td class="num">${d.breachedAt === null ? '<span class="muted">held</span>' : when(ax, s, d.breachedAt)}</td><td class="num">${d.recoveredAt === null ? (d.breachedAt === null ? '—' : '<b>not by the end</b>') : when(ax, s, d.recoveredAt)}</td>
<td class="num"><b>${d.recoveryTime === null ? 'not recovered' : esc(fmtRecovery(d.recoveryTime))}</b></td><td>${esc(outcome(d, ax, s))}</td></tr>`);
  return `<p>Recovery time: from the disruption until the SLO held again${hold !== undefined ? ` for ${esc(fmtDuration(hold))} in a row` : ''}, judged per sample interval on the whole system (latency percentiles of the interval, its error rate). 0 when the SLO never broke after it.</p>
<div class="wide"><table class="disruptions"><thead><tr><th class="num">Began</th><th>What</th><th>Target</th><th class="num">SLO broke</th><th class="num">SLO held again</th><th class="num">Recovery time</th><th>Outcome</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table></div>`;
}

/** The events as they happened (faults, failures, release steps), after the scaling actions. */
export function eventsTable(s: RunSummary, ax: TimeAxis, limit = 300): string {
  const ev: RunEvent[] = s.events ?? [];
  if (ev.length === 0) return '';
  const rows = ev.slice(0, limit).map((e) => `<tr><td class="num">${when(ax, s, e.time)}</td><td>${esc(e.component)}</td><td>${esc(e.kind)}</td><td>${esc(e.detail)}</td></tr>`);
  const more = ev.length > limit ? `<p class="muted">… and ${ev.length - limit} more (all are in summary.json).</p>` : '';
  return `<h3>Faults, failures and releases</h3><div class="wide"><table class="events"><thead><tr><th class="num">${esc(ax.mode === 'wall' ? `Time${ax.zone ? ` (${ax.zone})` : ''}` : ax.mode === 's' ? 't' : 'Elapsed')}</th><th>Component</th><th>Event</th><th>Detail</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table></div>${more}`;
}

/** The terminal's lines: one per disruption with its recovery time. */
export function disruptionLines(s: RunSummary): string[] {
  return (s.disruptions ?? []).map((d) => {
    const at = `t=${Math.round(d.time)} s`;
    const rec = d.breachedAt === null ? 'SLO held throughout' : d.recoveryTime === null ? `SLO broke at t=${Math.round(d.breachedAt)} s, not recovered by the end` : `SLO broke at t=${Math.round(d.breachedAt)} s, held again after ${fmtRecovery(d.recoveryTime)}`;
    const end = d.outcome === undefined ? '' : ` (${d.outcome}${d.endedAt !== null && d.endedAt !== undefined ? ` at t=${Math.round(d.endedAt)} s` : ''})`;
    return `${KIND_WORDS[d.kind] ?? d.kind} ${d.target} at ${at}: ${rec}${end}`;
  });
}
