// Moments of a run as people write them: a duration after the start (`3h`), or, when the scenario
// has a startTime, a UTC clock time (`"20:30"`, as a diurnal peakHour is a UTC hour). One reader
// for every such field: curve times (spike, step, ramp) and the timeline (faults, releases).
import { fail, type Where } from './errors.ts';
import { parseDuration } from './units.ts';

/** The run's wall clock: ISO time of t = 0 (null when the scenario has none) and its length, s. */
export interface RunClock {
  startTime: string | null;
  duration: number;
}

const CLOCK_RE = /^([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;
const DAY = 86400;

const hhmm = (secondsOfDay: number) => new Date(secondsOfDay * 1000).toISOString().slice(11, 16);

/**
 * Seconds after the start. A clock time is its first occurrence at or after the start, which must
 * fall inside the run; a duration is taken as written (a field may bound it further).
 */
export function parseRunTime(value: unknown, at: Where, clock: RunClock): number {
  if (typeof value !== 'string' || !value.includes(':')) return parseDuration(value, at);
  const m = CLOCK_RE.exec(value);
  if (m === null) fail(at, 'a clock time like "20:30" (UTC, 00:00 to 23:59) or a duration after the start like "3h"', value);
  if (clock.startTime === null) fail(at, 'a duration after the start like "3h" (a clock time like "20:30" needs startTime)', value);
  const startClock = (((Date.parse(clock.startTime!) / 1000) % DAY) + DAY) % DAY;
  const target = Number(m![1]) * 3600 + Number(m![2]) * 60 + Number(m![3] ?? 0);
  const offset = (((target - startClock) % DAY) + DAY) % DAY;
  if (offset >= clock.duration) {
    const end = (startClock + clock.duration) % DAY;
    fail(at, `a clock time within the run (${hhmm(startClock)} to ${hhmm(end)} UTC${clock.duration >= DAY ? ' a day or more later' : ''})`, value);
  }
  return offset;
}
