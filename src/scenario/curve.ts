// Rate curves as people write them → the one `Curve` type. Rates in requests per second, times
// in seconds from the start of the run.
//   100 | "600r/m"                          constant
//   { constant: 100 }
//   { ramp: { from, to, start, end } }
//   { step: { initial, steps: [{ at, rate }] } }
//   { spike: { base, peak, at, rise, hold, decay } }   at: "3h" after the start, or "20:30" (UTC) with startTime
//   { diurnal: { min, max, peakHour, period } }
//   { sum: [curve, ...] }, { product: [curve, ...] }
//   { trace: { file, interpolate } }         CSV `time,rate`
import type { Curve } from '../traffic/curve-types.ts';
import { ScenarioError, child, fail, renderGot, type Where } from './errors.ts';
import { Fields, isMapping, list, number, oneOf, type Parse } from './fields.ts';
import { readDataFile } from './files.ts';
import { parseRunTime, type RunClock } from './clock.ts';
import { parseDuration, parsePositiveDuration, parseRate, parseSeconds } from './units.ts';

export const CURVE_KINDS = ['constant', 'ramp', 'step', 'spike', 'diurnal', 'sum', 'product', 'trace'] as const;

export const CURVE_EXPECTED = 'a rate like "10r/s" or a curve like { diurnal: { min: 200, max: 1200, peakHour: 20 } }';

/** What a curve is read against: files beside the scenario, and the run's start and length for clock times. */
export interface CurveContext extends RunClock {
  baseDir: string;
}

const runTime = (ctx: RunClock): Parse<number> => (value, at) => parseRunTime(value, at, ctx);

export function parseCurve(value: unknown, at: Where, ctx: CurveContext): Curve {
  if (typeof value === 'number' || typeof value === 'string') return { kind: 'constant', rate: parseRate(value, at) };
  if (!isMapping(value)) fail(at, CURVE_EXPECTED, value);
  const f = new Fields(value, at, CURVE_KINDS, CURVE_EXPECTED);
  const keys = Object.keys(f.raw);
  if (keys.length !== 1) fail(at, `exactly one of ${CURVE_KINDS.join(', ')}`, value);
  const kind = keys[0] as (typeof CURVE_KINDS)[number];
  const inner = f.raw[kind];
  const where = f.where(kind);
  switch (kind) {
    case 'constant':
      return { kind, rate: parseRate(inner, where) };
    case 'ramp': {
      const r = new Fields(inner, where, ['from', 'to', 'start', 'end']);
      const start = r.opt('start', runTime(ctx), 0);
      const end = r.req('end', runTime(ctx));
      if (end < start) fail(r.where('end'), `a time ≥ start (${renderGot(r.raw.start)})`, r.raw.end);
      return { kind, from: r.req('from', parseRate), to: r.req('to', parseRate), start, end };
    }
    case 'step': {
      const s = new Fields(inner, where, ['initial', 'steps']);
      const initial = s.opt('initial', parseRate, 0);
      const steps = s.req('steps', list((v, a) => {
        const st = new Fields(v, a, ['at', 'rate']);
        return { at: st.req('at', runTime(ctx)), rate: st.req('rate', parseRate) };
      }, 1, 'a list of { at, rate }'));
      for (let i = 1; i < steps.length; i++) {
        if (!(steps[i].at > steps[i - 1].at)) {
          const atPath = child(child(s.where('steps'), i), 'at');
          const previous = (s.raw.steps as Array<Record<string, unknown>>)[i - 1].at;
          fail(atPath, `a time after the previous step's (${renderGot(previous)}); steps are in time order`, (s.raw.steps as Array<Record<string, unknown>>)[i].at);
        }
      }
      return { kind, initial, steps };
    }
    case 'spike': {
      const s = new Fields(inner, where, ['base', 'peak', 'at', 'rise', 'hold', 'decay']);
      return {
        kind,
        base: s.req('base', parseRate),
        peak: s.req('peak', parseRate),
        at: s.req('at', runTime(ctx)),
        rise: s.opt('rise', parseDuration, 0),
        hold: s.opt('hold', parseDuration, 0),
        decay: s.opt('decay', parseDuration, 0),
      };
    }
    case 'diurnal': {
      const d = new Fields(inner, where, ['min', 'max', 'peakHour', 'period']);
      const min = d.req('min', parseRate);
      const max = d.req('max', parseRate);
      if (max < min) fail(d.where('max'), `a rate ≥ min (${renderGot(d.raw.min)})`, d.raw.max);
      const period = d.opt('period', parsePositiveDuration, 86400);
      const peakHour = d.req('peakHour', number({ min: 0, below: period / 3600 }));
      return { kind, min, max, peakHour, period };
    }
    case 'sum':
    case 'product':
      return { kind, of: list((v, a) => parseCurve(v, a, ctx), 1, 'a list of curves')(inner, where) };
    case 'trace': {
      const tr = new Fields(inner, where, ['file', 'interpolate']);
      const interpolate = tr.opt('interpolate', oneOf(['step', 'linear'] as const), 'step');
      return { kind, interpolate, ...readTrace(tr.raw.file, tr.where('file'), ctx.baseDir) };
    }
  }
}

/** A `time,rate` CSV: time in seconds or a duration, rate a number (per second) or a rate; times increasing. */
export function readTrace(relative: unknown, at: Where, baseDir: string): { times: number[]; rates: number[]; source: string } {
  const data = readDataFile(relative, at, baseDir, 'trace');
  const [header, ...rows] = data.lines;
  const headerFields = header?.text.split(',').map((s) => s.trim().toLowerCase());
  if (header === undefined || headerFields.length !== 2 || headerFields[0] !== 'time' || headerFields[1] !== 'rate') {
    const file = header === undefined ? data.display : `${data.display}:${header.n}`;
    throw new ScenarioError(file, '', 'a header line "time,rate"', header?.text);
  }
  if (rows.length === 0) throw new ScenarioError(data.display, '', 'at least one row after the header "time,rate"', undefined);
  const times: number[] = [];
  const rates: number[] = [];
  for (const { n, text } of rows) {
    const file = `${data.display}:${n}`;
    const cells = text.split(',').map((s) => s.trim());
    if (cells.length !== 2) throw new ScenarioError(file, '', 'two fields "time,rate"', text);
    const time = parseSeconds(cells[0], { file, path: 'time' });
    if (times.length > 0 && !(time > times[times.length - 1])) {
      throw new ScenarioError(file, 'time', `a time after the previous row's (${times[times.length - 1]}s); rows are in time order`, cells[0]);
    }
    times.push(time);
    rates.push(parseRate(cells[1], { file, path: 'rate' }));
  }
  return { times, rates, source: data.display };
}
