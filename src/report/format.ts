// Formatting and escaping shared by the run report and the comparison.
import type { RunSummary, SloResult } from '../stats/results.ts';

/** Escapes text for HTML content and attribute values. Everything from a scenario goes through this. */
export function esc(v: unknown): string {
  return String(v ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** JSON for a <script type="application/json"> block: no "<" can close the element or open a comment. */
export function jsonForScript(v: unknown): string {
  return JSON.stringify(v)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Rounds to `sig` significant digits (display data only: keeps the embedded JSON small). */
export function sig(n: number | null | undefined, digits = 4): number | null {
  if (n === null || n === undefined || !Number.isFinite(n)) return null;
  if (n === 0) return 0;
  return Number(n.toPrecision(digits));
}

export function fmtNum(n: number, maxFrac = 2): string {
  if (!Number.isFinite(n)) return String(n);
  const a = Math.abs(n);
  const frac = a >= 100 ? 0 : a >= 10 ? Math.min(1, maxFrac) : maxFrac;
  return n.toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: frac });
}

export function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function fmtPct(fraction: number, digits = 2): string {
  if (!Number.isFinite(fraction)) return String(fraction);
  const p = fraction * 100;
  if (p !== 0 && Math.abs(p) < 0.01) return `${p.toExponential(1)}%`;
  return `${p.toLocaleString('en-US', { maximumFractionDigits: digits })}%`;
}

export function fmtMoney(n: number, currency = 'USD'): string {
  if (!Number.isFinite(n)) return String(n);
  try {
    return n.toLocaleString('en-US', { style: 'currency', currency, maximumFractionDigits: 2 });
  } catch {
    return `${n.toLocaleString('en-US', { maximumFractionDigits: 2 })} ${currency}`;
  }
}

/** A latency in seconds, shown in µs, ms or s with 3 significant digits. */
export function fmtLatency(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s)) return '–';
  const a = Math.abs(s);
  if (a === 0) return '0 ms';
  if (a < 1e-3) return `${Number((s * 1e6).toPrecision(3))} µs`;
  if (a < 1) return `${Number((s * 1e3).toPrecision(3))} ms`;
  return `${Number(s.toPrecision(3)).toLocaleString('en-US')} s`;
}

export function fmtRate(perSecond: number): string {
  return `${fmtNum(perSecond, 1)} req/s`;
}

/** A duration in seconds as "24 h", "1 h 30 min", "90 s". */
export function fmtDuration(s: number): string {
  if (!Number.isFinite(s)) return String(s);
  if (s < 120) return `${fmtNum(s, 1)} s`;
  const h = Math.floor(s / 3600);
  const m = Math.round((s - h * 3600) / 60);
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/** How times are shown: wall-clock when the scenario has a start time, else elapsed. */
export interface TimeAxis {
  /** 'wall': t is shown as base + t in the scenario's own UTC offset; 'hm': elapsed h:mm; 's': elapsed seconds. */
  mode: 'wall' | 'hm' | 's';
  /** Epoch ms of t=0, already shifted by the offset so that UTC formatting shows the local wall-clock. */
  baseMs: number;
  /** e.g. "UTC+01:00"; "" when the start time carries no offset. */
  zone: string;
  /** Axis title. */
  title: string;
  /** d3 utc time format for axis labels (modes wall and hm). */
  format: string;
  /** Whether the run spans more than a day (labels then carry the day). */
  multiDay: boolean;
}

export function timeAxis(summary: RunSummary): TimeAxis {
  const dur = summary.scenario.duration;
  const multiDay = dur > 86400;
  const start = summary.scenario.startTime;
  if (start) {
    const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?)(Z|[+-]\d\d:?\d\d)?$/.exec(start.trim());
    if (m) {
      const local = m[1]!;
      const off = m[2];
      let zone = '';
      if (off === 'Z') zone = 'UTC';
      else if (off) {
        const mm = /^([+-])(\d\d):?(\d\d)$/.exec(off)!;
        zone = `UTC${mm[1]}${mm[2]}:${mm[3]}`;
      }
      // Parse the wall-clock digits as if UTC, so UTC formatting prints exactly the scenario's local time.
      const baseMs = Date.parse(`${local}Z`);
      if (Number.isFinite(baseMs)) {
        return {
          mode: 'wall', baseMs, zone, multiDay,
          title: zone ? `time (${zone})` : 'time',
          format: multiDay || dur > 6 * 3600 ? '%b %d %H:%M' : dur < 600 ? '%H:%M:%S' : '%H:%M',
        };
      }
    }
  }
  if (dur <= 600) return { mode: 's', baseMs: 0, zone: '', multiDay: false, title: 't (s)', format: '' };
  return { mode: 'hm', baseMs: 0, zone: '', multiDay, title: 'elapsed (h:mm)', format: '%H:%M' };
}

/**
 * A time (s since start) for tables. `zone` appends the UTC offset; with `duration` the date is left out
 * when the whole run falls on one calendar day.
 */
export function fmtTime(ax: TimeAxis, t: number, zone = true, duration?: number): string {
  if (ax.mode === 's') return `${fmtNum(t, 1)} s`;
  const d = new Date(ax.baseMs + t * 1000);
  const hms = d.toISOString().slice(11, 19);
  if (ax.mode === 'wall') {
    const end = duration !== undefined ? new Date(ax.baseMs + duration * 1000 - 1) : null;
    const sameDay = end !== null && end.toISOString().slice(0, 10) === new Date(ax.baseMs).toISOString().slice(0, 10);
    const date = sameDay ? '' : `${d.toISOString().slice(0, 10)} `;
    return `${date}${hms}${zone && ax.zone ? ` ${ax.zone}` : ''}`;
  }
  const h = Math.floor(t / 3600);
  const rest = t - h * 3600;
  return `${h}:${String(Math.floor(rest / 60)).padStart(2, '0')}:${String(Math.floor(rest % 60)).padStart(2, '0')}`;
}

/** An SLO's value or threshold in the unit its metric implies. */
export function fmtSloValue(metric: string, v: number, currency = 'USD'): string {
  if (metric.startsWith('latency.') || metric === 'meanResponse') return fmtLatency(v);
  if (/rate$/i.test(metric) && /error/i.test(metric)) return fmtPct(v, 3);
  if (metric === 'cost' || metric.startsWith('cost')) return fmtMoney(v, currency);
  if (metric === 'throughput' || metric === 'offeredRate') return fmtRate(v);
  if (metric === 'utilisation' || metric.endsWith('.utilisation')) return fmtPct(v, 1);
  return fmtNum(v, 3);
}

export function sloSentence(s: SloResult, currency = 'USD'): string {
  return `${s.metric} ${s.op === '<=' ? '≤' : '≥'} ${fmtSloValue(s.metric, s.threshold, currency)}`;
}
