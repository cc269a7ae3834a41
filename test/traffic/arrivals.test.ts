// Arrivals: the number drawn over a window is Poisson with mean ∫rate — asserted with the
// Poisson's own 99.9% bounds (±3.3 √Λ) — for every curve kind; thinning puts them where the curve is.
import t from 'tap';
import { compileCurve, type Curve } from '../../src/traffic/curve.ts';
import { ArrivalProcess } from '../../src/traffic/arrivals.ts';
import { WeightedChoice, clientAddress } from '../../src/traffic/mix.ts';
import { stream } from '../../src/sim/rng.ts';

function arrivals(c: Curve, horizon: number, seed = 3): number[] {
  const p = new ArrivalProcess(compileCurve(c), stream(seed, 'arrivals'), horizon);
  const out: number[] = [];
  for (p.advance(); p.time < Infinity; p.advance()) out.push(p.time);
  return out;
}

/** ∫ rate over [a, b] by the midpoint rule on 1 s steps (curves are smooth at that scale). */
function integral(c: Curve, a: number, b: number): number {
  const f = compileCurve(c);
  let s = 0;
  for (let x = a; x < b; x += 0.25) s += f.rate(x + 0.125) * 0.25;
  return s;
}

const curves: Array<[string, Curve]> = [
  ['constant', { kind: 'constant', rate: 20 }],
  ['ramp', { kind: 'ramp', from: 5, to: 50, start: 600, end: 3000 }],
  ['step', { kind: 'step', initial: 10, steps: [{ at: 900, rate: 40 }, { at: 2400, rate: 2 }] }],
  ['spike', { kind: 'spike', base: 5, peak: 200, at: 1200, rise: 60, hold: 300, decay: 120 }],
  ['diurnal', { kind: 'diurnal', min: 2, max: 30, peakHour: 0.5, period: 3600 }],
  ['sum', { kind: 'sum', of: [{ kind: 'constant', rate: 5 }, { kind: 'spike', base: 0, peak: 50, at: 100, rise: 10, hold: 100, decay: 30 }] }],
  ['product', { kind: 'product', of: [{ kind: 'diurnal', min: 10, max: 40, peakHour: 0.25, period: 3600 }, { kind: 'step', initial: 1, steps: [{ at: 1800, rate: 0.5 }] }] }],
  ['trace (linear)', { kind: 'trace', times: [0, 600, 1200, 3000], rates: [10, 60, 5, 20], interpolate: 'linear', source: 'inline' }],
  ['trace (step)', { kind: 'trace', times: [0, 600, 1200, 3000], rates: [10, 60, 5, 20], interpolate: 'step', source: 'inline' }],
];

for (const [name, c] of curves) {
  t.test(`${name}: counts per window are Poisson with mean ∫ rate`, async (t) => {
    const xs = arrivals(c, 3600);
    let sorted = true;
    for (let i = 1; i < xs.length; i++) if (xs[i] <= xs[i - 1]) sorted = false;
    t.ok(sorted, 'strictly increasing times');
    for (const [a, b] of [[0, 3600], [0, 900], [900, 1800], [1800, 3600]]) {
      const lambda = integral(c, a, b);
      const n = xs.filter((x) => x >= a && x < b).length;
      t.ok(Math.abs(n - lambda) <= 3.3 * Math.sqrt(lambda) + 1, `[${a}, ${b}): ${n} arrivals, Λ = ${lambda.toFixed(1)}`);
    }
  });
}

t.test('the spike: arrivals follow the plateau, not the bound', async (t) => {
  const c: Curve = { kind: 'spike', base: 1, peak: 100, at: 1000, rise: 0, hold: 200, decay: 1 };
  const xs = arrivals(c, 2000);
  const inside = xs.filter((x) => x >= 1000 && x < 1200).length;
  t.ok(Math.abs(inside - 20000) <= 3.3 * Math.sqrt(20000), `${inside} in the plateau (Λ = 20000)`);
  const before = xs.filter((x) => x < 1000).length;
  t.ok(Math.abs(before - 1000) <= 3.3 * Math.sqrt(1000), `${before} before it (Λ = 1000)`);
});

t.test('a flat curve skips evaluating its rate, with the very arrivals a curve at its bound gives', async (t) => {
  t.ok(compileCurve({ kind: 'constant', rate: 20 }).flat);
  for (const [name, c] of curves.filter(([n]) => n !== 'constant')) t.notOk(compileCurve(c).flat, name);
  // A step curve with no steps sits at its bound everywhere but is not flat: it is evaluated per candidate.
  const stepped = arrivals({ kind: 'step', initial: 20, steps: [] }, 3600);
  t.ok(stepped.length > 60000);
  t.same(arrivals({ kind: 'constant', rate: 20 }, 3600), stepped);
});

t.test('a wall-clock start shifts the diurnal peak to its hour of day', async (t) => {
  const c: Curve = { kind: 'diurnal', min: 0, max: 100, peakHour: 20, period: 86400 };
  const f = compileCurve(c, 18 * 3600); // t = 0 is 18:00
  t.ok(Math.abs(f.rate(2 * 3600) - 100) < 1e-9, 'peak two hours after an 18:00 start');
  t.ok(Math.abs(f.rate(14 * 3600) - 0) < 1e-9, 'trough twelve hours later');
});

t.test('maxOn is a bound of rate on every interval', async (t) => {
  let violations = 0;
  const rng = stream(9, 'bounds');
  for (const [, c] of curves) {
    const f = compileCurve(c);
    for (let k = 0; k < 300; k++) {
      const a = rng() * 3600, b = a + rng() * 120, m = f.maxOn(a, b);
      for (let x = a; x <= b; x += (b - a) / 50 || 1) if (f.rate(x) > m + 1e-9) violations++;
    }
  }
  t.equal(violations, 0);
});

t.test('request mix: class shares follow weights (binomial 99.9% bounds)', async (t) => {
  const w = new WeightedChoice([70, 20, 10], stream(1, 'mix'));
  const n = 100_000, counts = [0, 0, 0];
  for (let i = 0; i < n; i++) counts[w.pick()]++;
  [0.7, 0.2, 0.1].forEach((p, i) => t.ok(Math.abs(counts[i] - n * p) <= 3.3 * Math.sqrt(n * p * (1 - p)), `class ${i}: ${counts[i]}`));
});

t.test('request mix: two equal weights of 1e308 split half and half (binomial 99.9% bounds)', async (t) => {
  // their sum overflows a double: the shares must come from the weights scaled down first
  const w = new WeightedChoice([1e308, 1e308], stream(2, 'mix'));
  const n = 100_000;
  let first = 0;
  for (let i = 0; i < n; i++) if (w.pick() === 0) first++;
  t.ok(Math.abs(first - n / 2) <= 3.3 * Math.sqrt(n / 4), `${first} of ${n} to the first class`);
  const tiny = new WeightedChoice([1e-300, 3e-300], stream(2, 'mix'));
  let a = 0;
  for (let i = 0; i < n; i++) if (tiny.pick() === 0) a++;
  t.ok(Math.abs(a - n / 4) <= 3.3 * Math.sqrt(n * 0.25 * 0.75), `tiny weights 1:3: ${a} of ${n} to the first`);
});

t.test('client addresses: stable, spread over many /24s', async (t) => {
  t.equal(clientAddress(42), clientAddress(42));
  const nets = new Set(Array.from({ length: 10000 }, (_, i) => clientAddress(i) >>> 8));
  t.ok(nets.size > 9000, `${nets.size} distinct /24s for 10000 clients`);
});
