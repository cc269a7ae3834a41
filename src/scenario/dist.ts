// Distributions as people write them → the one `Dist` type.
//   "20ms" or 0.02                      constant
//   { dist: constant, value }           constant
//   { dist: exponential, mean | rate }
//   { dist: uniform, min, max }
//   { dist: normal, mean, sd }          (truncated at zero by the sampler)
//   { dist: lognormal, median, p99 } | { mean, cv } | { mu, sigma }
//   { dist: gamma, shape, scale } | { mean, cv }
//   { dist: pareto, scale, shape }
//   { dist: empirical, samples: [..] } | { file: x.csv }
import type { Dist } from '../sim/distribution-types.ts';
import { ScenarioError, child, fail, renderGot, type Where } from './errors.ts';
import { Fields, isMapping, list, number, oneOf } from './fields.ts';
import { readDataFile } from './files.ts';
import { parseDuration, parsePositiveDuration, parseRate } from './units.ts';

/** z such that Φ(z) = 0.99. */
export const Z99 = 2.3263478740408408;

export const DIST_KINDS = ['constant', 'exponential', 'uniform', 'normal', 'lognormal', 'gamma', 'pareto', 'empirical'] as const;

const PARAMS: Record<(typeof DIST_KINDS)[number], readonly string[]> = {
  constant: ['value'],
  exponential: ['mean', 'rate'],
  uniform: ['min', 'max'],
  normal: ['mean', 'sd'],
  lognormal: ['median', 'p99', 'mean', 'cv', 'mu', 'sigma'],
  gamma: ['shape', 'scale', 'mean', 'cv'],
  pareto: ['scale', 'shape'],
  empirical: ['samples', 'file'],
};

export const DIST_EXPECTED = `a duration with a unit like "20ms" or a distribution like { dist: exponential, mean: 20ms }`;

const positive = number({ above: 0 });

/**
 * Picks which alternative parameter set is used (`median+p99` or `mean+cv` …). If exactly one set
 * is touched, its missing members are reported as missing; otherwise the whole object is wrong.
 */
function pickForm(f: Fields, forms: readonly (readonly string[])[], kind: string): number {
  const touched = forms.map((keys, i) => (keys.some((k) => f.has(k)) ? i : -1)).filter((i) => i >= 0);
  if (touched.length !== 1) {
    const names = forms.map((keys) => keys.join(' + '));
    const last = names.pop();
    fail(f.at, `${kind} parameters as ${names.join(', ')} or ${last}`, f.raw);
  }
  return touched[0];
}

export function parseDist(value: unknown, at: Where, baseDir: string): Dist {
  if (typeof value === 'number' || typeof value === 'string') {
    return { kind: 'constant', value: parseDuration(value, at) };
  }
  if (!isMapping(value)) fail(at, DIST_EXPECTED, value);
  if ((value as Record<string, unknown>).dist === undefined) {
    // A typo such as `distribution:` is reported as such rather than as a missing `dist`.
    new Fields(value, at, ['dist', ...new Set(Object.values(PARAMS).flat())]);
  }
  const kind = oneOf(DIST_KINDS)((value as Record<string, unknown>).dist, child(at, 'dist'));
  const f = new Fields(value, at, ['dist', ...PARAMS[kind]]);
  switch (kind) {
    case 'constant':
      return { kind, value: f.req('value', parseDuration) };
    case 'exponential': {
      const form = pickForm(f, [['mean'], ['rate']], kind);
      if (form === 0) return { kind, mean: f.req('mean', parsePositiveDuration) };
      const rate = f.req('rate', parseRate);
      if (rate <= 0) fail(f.where('rate'), 'a rate greater than 0, like "10r/s"', f.raw.rate);
      return { kind, mean: 1 / rate };
    }
    case 'uniform': {
      const min = f.req('min', parseDuration);
      const max = f.req('max', parseDuration);
      if (max < min) fail(f.where('max'), `a duration ≥ min (${renderGot(f.raw.min)})`, f.raw.max);
      return { kind, min, max };
    }
    case 'normal':
      return { kind, mean: f.req('mean', parseDuration), sd: f.req('sd', parseDuration) };
    case 'lognormal': {
      const form = pickForm(f, [['median', 'p99'], ['mean', 'cv'], ['mu', 'sigma']], kind);
      if (form === 0) {
        const median = f.req('median', parsePositiveDuration);
        const p99 = f.req('p99', parseDuration);
        if (!(p99 > median)) fail(f.where('p99'), `a duration greater than the median (${renderGot(f.raw.median)})`, f.raw.p99);
        return { kind, mu: Math.log(median), sigma: (Math.log(p99) - Math.log(median)) / Z99 };
      }
      if (form === 1) {
        const mean = f.req('mean', parsePositiveDuration);
        const cv = f.req('cv', positive);
        const sigma2 = Math.log(1 + cv * cv);
        return { kind, mu: Math.log(mean) - sigma2 / 2, sigma: Math.sqrt(sigma2) };
      }
      return { kind, mu: f.req('mu', number()), sigma: f.req('sigma', number({ min: 0 })) };
    }
    case 'gamma': {
      const form = pickForm(f, [['shape', 'scale'], ['mean', 'cv']], kind);
      if (form === 0) return { kind, shape: f.req('shape', positive), scale: f.req('scale', parsePositiveDuration) };
      const mean = f.req('mean', parsePositiveDuration);
      const cv = f.req('cv', positive);
      return { kind, shape: 1 / (cv * cv), scale: mean * cv * cv };
    }
    case 'pareto':
      return { kind, scale: f.req('scale', parsePositiveDuration), shape: f.req('shape', positive) };
    case 'empirical': {
      const form = pickForm(f, [['samples'], ['file']], kind);
      if (form === 0) return { kind, samples: f.req('samples', list(parseDuration, 1, 'a list of durations')) };
      return { kind, samples: readSamples(f.raw.file, f.where('file'), baseDir) };
    }
  }
}

/** A header that names the unit of the bare numbers below it (`seconds`, `ms`): exported latencies often come without one. */
const UNIT_HEADERS: Record<string, number> = { seconds: 1, s: 1, milliseconds: 1e-3, ms: 1e-3, microseconds: 1e-6, us: 1e-6 };
const BARE_NUMBER = /^\d+(?:\.\d+)?$/;

/**
 * One duration per line; blank lines and `#` comments skipped; a first line starting with a letter
 * is a header. Durations carry their unit (`35ms`), unless the header names one (`ms`, `seconds`):
 * then bare numbers are in that unit.
 */
function readSamples(relative: unknown, at: Where, baseDir: string): number[] {
  const data = readDataFile(relative, at, baseDir, 'samples');
  const hasHeader = data.lines.length > 0 && /^[A-Za-z]/.test(data.lines[0].text);
  const unit = hasHeader ? UNIT_HEADERS[data.lines[0].text.toLowerCase()] : undefined;
  const lines = hasHeader ? data.lines.slice(1) : data.lines;
  if (lines.length === 0) throw new ScenarioError(data.display, '', `at least one duration, one per line`, undefined);
  return lines.map(({ n, text }) => {
    const where = { file: `${data.display}:${n}`, path: '' };
    if (unit !== undefined && BARE_NUMBER.test(text)) return Number(text) * unit;
    return parseDuration(text, where);
  });
}
