// The project's one parser for each human unit: durations, percentages, rates, byte sizes and
// CPU quantities. Each returns a plain number in the internal unit (seconds, a fraction,
// requests per second, bytes, millicores) or throws a ScenarioError naming file, path and
// what was expected. A duration needs its unit (`40` could be seconds or milliseconds: the
// reader of a file cannot tell, so it is refused; only 0 may stand bare). A CSV's `time` column
// is the one place a bare number is a number of seconds (parseSeconds), as its header says.
import { ScenarioError, renderGot, type Where } from './errors.ts';

const DEFAULT_WHERE: Where = { file: '<input>', path: 'value' };

export const EXPECTED = {
  duration: 'a duration with a unit like "40ms" or "40s"',
  positiveDuration: 'a duration greater than 0 with a unit, like "40ms" or "10s"',
  seconds: 'a number of seconds or a duration like "90s"',
  percent: 'a percentage like "70%" (a bare number is a fraction in [0, 1])',
  rate: 'a rate like "10r/s" or "600r/m" (a bare number is requests per second)',
  bytes: 'a size like "256Mi", "1Gi" or a number of bytes',
  cpu: 'a CPU quantity like "250m" or 1 (cores)',
} as const;

const NUM = String.raw`\d+(?:\.\d+)?`;

/**
 * A duration: amounts with units in the order d, h, m, s, ms, us, each at most once: `250ms`,
 * `1.5s`, `5m`, `24h`, `2d`, `1h30m`; or zero, bare (`0`).
 * The JSON Schema uses this same pattern (a test checks they agree).
 */
export const DURATION_PATTERN =
  `^(?:0+(?:\\.0+)?|(?=\\d)(?:(${NUM})d)?(?:(${NUM})h)?(?:(${NUM})m(?!s))?(?:(${NUM})s)?(?:(${NUM})ms)?(?:(${NUM})us)?)$`;
const DURATION_RE = new RegExp(DURATION_PATTERN);
const BARE_RE = new RegExp(`^${NUM}$`);
const DURATION_UNITS = [86400, 3600, 60, 1, 1e-3, 1e-6];

/** A rate: a bare number of requests per second, or `10r/s`, `600r/m`, `2r/h`. */
export const RATE_PATTERN = `^(${NUM})(?:r/([smh]))?$`;
const RATE_RE = new RegExp(RATE_PATTERN);
const RATE_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600 };

/** A percentage `70%` (0 to 100) or a bare fraction in [0, 1]. */
export const PERCENT_PATTERN = `^(${NUM})(%?)$`;
const PERCENT_RE = new RegExp(PERCENT_PATTERN);

/** Kubernetes memory quantity: bytes, decimal (k, M, G, T, P, E) or binary (Ki … Ei) suffixes. */
export const BYTES_PATTERN = `^(${NUM})(k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$`;
const BYTES_RE = new RegExp(BYTES_PATTERN);
const BYTES_UNITS: Record<string, number> = {
  '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** Kubernetes CPU quantity: whole millicores `250m`, or cores `1`, `0.5`. */
export const CPU_PATTERN = `^(?:(\\d+)m|(${NUM}))$`;
const CPU_RE = new RegExp(CPU_PATTERN);

function reject(at: Where, expected: string, value: unknown): never {
  throw new ScenarioError(at.file, at.path, expected, value);
}

/** Digits too many for a double (a 400-digit amount reads as Infinity) are refused, not run. */
function finite(n: number, at: Where, expected: string, value: unknown): number {
  if (Number.isFinite(n)) return n;
  throw new ScenarioError(at.file, at.path, expected, value, {
    detail: `expected ${expected}, got a number too large to compute with (${renderGot(value)})`,
  });
}

/** Seconds from `250ms`, `1.5s`, `5m`, `24h`, `2d`, `1h30m`, or 0. Never negative; a bare number other than 0 is refused. */
export function parseDuration(value: unknown, at: Where = DEFAULT_WHERE): number {
  if (value === 0) return 0;
  if (typeof value !== 'string') return reject(at, EXPECTED.duration, value);
  const m = DURATION_RE.exec(value);
  if (!m) return reject(at, EXPECTED.duration, value);
  let seconds = 0;
  for (let i = 0; i < DURATION_UNITS.length; i++) {
    const amount = m[i + 1];
    if (amount !== undefined) seconds += Number(amount) * DURATION_UNITS[i];
  }
  return finite(seconds, at, EXPECTED.duration, value);
}

/** A CSV cell's time: a bare number of seconds (`90`, `2.5`) or a duration (`90s`, `1h30m`). */
export function parseSeconds(value: unknown, at: Where = DEFAULT_WHERE): number {
  if (typeof value === 'string' && BARE_RE.test(value)) return finite(Number(value), at, EXPECTED.seconds, value);
  if (typeof value === 'number' && value >= 0) return finite(value, at, EXPECTED.seconds, value);
  if (typeof value !== 'string' || !DURATION_RE.test(value)) return reject(at, EXPECTED.seconds, value);
  return parseDuration(value, at);
}

/** Like parseDuration, and also rejects zero. */
export function parsePositiveDuration(value: unknown, at: Where = DEFAULT_WHERE): number {
  const seconds = parseDuration(value, at);
  if (seconds <= 0) return reject(at, EXPECTED.positiveDuration, value);
  return seconds;
}

/** A fraction from `70%` (→ 0.7), `0.1%` (→ 0.001) or a bare number in [0, 1] (taken as a fraction). */
export function parsePercent(value: unknown, at: Where = DEFAULT_WHERE): number {
  let fraction: number;
  if (typeof value === 'number') {
    fraction = value;
  } else if (typeof value === 'string') {
    const m = PERCENT_RE.exec(value);
    if (!m) return reject(at, EXPECTED.percent, value);
    fraction = m[2] === '%' ? Number(m[1]) / 100 : Number(m[1]);
  } else {
    return reject(at, EXPECTED.percent, value);
  }
  if (!(Number.isFinite(fraction) && fraction >= 0 && fraction <= 1)) return reject(at, EXPECTED.percent, value);
  return fraction;
}

/** Requests per second from a bare number, `10r/s`, `600r/m` (→ 10) or `5r/m` (→ 1/12). Never negative. */
export function parseRate(value: unknown, at: Where = DEFAULT_WHERE): number {
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value >= 0) return value;
    return reject(at, EXPECTED.rate, value);
  }
  if (typeof value !== 'string') return reject(at, EXPECTED.rate, value);
  const m = RATE_RE.exec(value);
  if (!m) return reject(at, EXPECTED.rate, value);
  return finite(Number(m[1]) / RATE_UNITS[m[2] ?? 's'], at, EXPECTED.rate, value);
}

/** Bytes from a Kubernetes quantity: `256Mi`, `1Gi`, `512M`, `1.5k` or a number. Rounded up to a whole byte. */
export function parseBytes(value: unknown, at: Where = DEFAULT_WHERE): number {
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value >= 0) return Math.ceil(value);
    return reject(at, EXPECTED.bytes, value);
  }
  if (typeof value !== 'string') return reject(at, EXPECTED.bytes, value);
  const m = BYTES_RE.exec(value);
  if (!m) return reject(at, EXPECTED.bytes, value);
  return finite(Math.ceil(Number(m[1]) * BYTES_UNITS[m[2] ?? '']), at, EXPECTED.bytes, value);
}

/** Millicores from a Kubernetes CPU quantity: `250m` → 250, `1` → 1000, `0.5` → 500. 1m precision. */
export function parseCpu(value: unknown, at: Where = DEFAULT_WHERE): number {
  let millicores: number;
  if (typeof value === 'number') {
    millicores = value * 1000;
  } else if (typeof value === 'string') {
    const m = CPU_RE.exec(value);
    if (!m) return reject(at, EXPECTED.cpu, value);
    millicores = m[1] !== undefined ? Number(m[1]) : Number(m[2]) * 1000;
  } else {
    return reject(at, EXPECTED.cpu, value);
  }
  const rounded = Math.round(millicores);
  if (!(Number.isFinite(millicores) && millicores >= 0 && Math.abs(millicores - rounded) < 1e-6)) {
    return reject(at, EXPECTED.cpu, value);
  }
  return rounded;
}
