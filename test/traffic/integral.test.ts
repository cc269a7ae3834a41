// ∫ rate: the expected number of arrivals, which sizes a run's work before it starts. Checked
// against closed forms worked by hand and against a fine midpoint rule on random intervals.
import t from 'tap';
import { compileCurve, type Curve } from '../../src/traffic/curve.ts';
import { stream } from '../../src/sim/rng.ts';

const curves: Array<[string, Curve]> = [
  ['constant', { kind: 'constant', rate: 20 }],
  ['ramp', { kind: 'ramp', from: 5, to: 50, start: 600, end: 3000 }],
  ['step', { kind: 'step', initial: 10, steps: [{ at: 900, rate: 40 }, { at: 2400, rate: 2 }] }],
  ['spike', { kind: 'spike', base: 5, peak: 200, at: 1200, rise: 60, hold: 300, decay: 120 }],
  ['spike without rise or decay', { kind: 'spike', base: 5, peak: 200, at: 1200, rise: 0, hold: 300, decay: 0 }],
  ['diurnal', { kind: 'diurnal', min: 2, max: 30, peakHour: 0.5, period: 3600 }],
  ['sum', { kind: 'sum', of: [{ kind: 'constant', rate: 5 }, { kind: 'spike', base: 0, peak: 50, at: 100, rise: 10, hold: 100, decay: 30 }] }],
  ['product', { kind: 'product', of: [{ kind: 'diurnal', min: 10, max: 40, peakHour: 0.25, period: 3600 }, { kind: 'step', initial: 1, steps: [{ at: 1800, rate: 0.5 }] }] }],
  ['trace (linear)', { kind: 'trace', times: [300, 600, 1200, 3000], rates: [10, 60, 5, 20], interpolate: 'linear', source: 'inline' }],
  ['trace (step)', { kind: 'trace', times: [300, 600, 1200, 3000], rates: [10, 60, 5, 20], interpolate: 'step', source: 'inline' }],
];

/** Midpoint rule on 10 ms steps. */
function midpoint(c: Curve, a: number, b: number, clock = 0): number {
  const f = compileCurve(c, clock);
  const n = Math.max(1, Math.ceil((b - a) / 0.01)), h = (b - a) / n;
  let s = 0;
  for (let i = 0; i < n; i++) s += f.rate(a + (i + 0.5) * h);
  return s * h;
}

t.test('closed forms worked by hand', async (t) => {
  const I = (c: Curve, a: number, b: number, clock = 0) => compileCurve(c, clock).integral(a, b);
  t.equal(I({ kind: 'constant', rate: 20 }, 0, 3600), 72000);
  // a ramp 5 → 50 over [600, 3000]: 5·600 + (5+50)/2·2400 + 50·600
  t.equal(I({ kind: 'ramp', from: 5, to: 50, start: 600, end: 3000 }, 0, 3600), 3000 + 66000 + 30000);
  t.equal(I({ kind: 'step', initial: 10, steps: [{ at: 900, rate: 40 }, { at: 2400, rate: 2 }] }, 0, 3600), 9000 + 60000 + 2400);
  // a spike adds (peak − base)·(rise/2 + hold + decay·(1 − e^(−tail/decay))) to the base
  const spike: Curve = { kind: 'spike', base: 5, peak: 200, at: 1200, rise: 60, hold: 300, decay: 120 };
  const tail = 3600 - 1560;
  t.ok(Math.abs(I(spike, 0, 3600) - (5 * 3600 + 195 * (30 + 300 + 120 * (1 - Math.exp(-tail / 120))))) < 1e-6);
  // a diurnal day is its mean, (min + max)/2, times the period, wherever the peak and the clock are
  const day: Curve = { kind: 'diurnal', min: 60, max: 480, peakHour: 20, period: 86400 };
  t.ok(Math.abs(I(day, 0, 86400) - 270 * 86400) < 1e-6);
  t.ok(Math.abs(I(day, 0, 86400, 17 * 3600) - 270 * 86400) < 1e-6);
  // before a trace's first sample its first rate holds, after the last its last
  const trace: Curve = { kind: 'trace', times: [100, 200], rates: [4, 8], interpolate: 'step', source: 'inline' };
  t.equal(I(trace, 0, 300), 4 * 100 + 4 * 100 + 8 * 100);
  t.equal(I({ ...trace, interpolate: 'linear' } as Curve, 0, 300), 400 + 600 + 800);
  t.equal(I(trace, 50, 50), 0, 'an empty interval');
});

t.test('every kind agrees with a fine midpoint rule on random intervals', async (t) => {
  const rng = stream(4, 'integral');
  for (const [name, c] of curves) {
    const f = compileCurve(c, 1234);
    let worst = 0;
    for (let k = 0; k < 12; k++) {
      const a = rng() * 3600, b = a + rng() * 1800;
      const exact = f.integral(a, b), numeric = midpoint(c, a, b, 1234);
      worst = Math.max(worst, Math.abs(exact - numeric) / Math.max(1, numeric));
    }
    // the reference itself errs by up to h/2 × a jump at each step; a product is integrated numerically
    const tolerance = c.kind === 'product' ? 1e-3 : 1e-4;
    t.ok(worst < tolerance, `${name}: largest relative difference ${worst.toExponential(2)}`);
  }
});
