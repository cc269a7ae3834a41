// The latency histogram against exact order statistics: every percentile is within the
// histogram's stated relative precision of the true sample quantile (HdrHistogram's definition:
// the value at rank ceil(p/100 · n)), and resets leave nothing behind.
import t from 'tap';
import { LatencyHistogram } from '../../src/stats/latency.ts';
import { TimeWeighted } from '../../src/stats/time-weighted.ts';
import { stream } from '../../src/sim/rng.ts';

function exactAt(sorted: Float64Array, p: number): number {
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1];
}

t.test('percentiles within 0.1% (3 digits) and 0.8% (2 digits) of the exact ones', async (t) => {
  for (const digits of [3, 2] as const) {
    const h = new LatencyHistogram(digits), r = stream(1, 'lat');
    const xs = new Float64Array(50_000);
    for (let i = 0; i < xs.length; i++) {
      xs[i] = Math.exp(Math.log(0.02) + 1.2 * Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r()));
      h.record(xs[i]);
    }
    const sorted = xs.slice().sort();
    const tol = digits === 3 ? 2 ** -10 : 2 ** -7;
    let worst = 0;
    for (const p of [1, 10, 50, 90, 95, 99, 99.9, 99.99, 100]) {
      const exact = exactAt(sorted, p), got = h.percentile(p);
      worst = Math.max(worst, Math.abs(got - exact) / exact);
      t.ok(got >= exact * (1 - 1e-12) && got <= exact * (1 + tol), `${digits} digits p${p}: ${got} vs ${exact}`);
    }
    t.equal(h.count, xs.length);
    t.ok(Math.abs(h.mean - xs.reduce((a, x) => a + x, 0) / xs.length) < 1e-12, 'mean is exact');
    t.equal(h.max, sorted[sorted.length - 1], 'max is exact');
    t.same(h.percentiles([50, 99]), [h.percentile(50), h.percentile(99)], 'one walk gives the same answers');
    t.ok(worst <= tol, `worst relative error ${worst.toExponential(2)}`);
  }
});

t.test('reset and the percentile distribution', async (t) => {
  const h = new LatencyHistogram(3);
  for (let i = 1; i <= 1000; i++) h.record(i / 1000);
  const d = h.summary().distribution;
  t.equal(d[0][1], 0, 'starts at 0%');
  t.equal(d[d.length - 1][1], 100, 'ends at 100%');
  t.equal(d[d.length - 1][2], 1000, 'with every sample');
  let monotone = true;
  for (let i = 1; i < d.length; i++) if (d[i][0] < d[i - 1][0] || d[i][1] < d[i - 1][1]) monotone = false;
  t.ok(monotone, 'value and percentile never decrease');
  h.reset();
  t.equal(h.count, 0);
  t.equal(h.percentile(50), 0);
  h.record(0.5);
  t.ok(Math.abs(h.percentile(50) - 0.5) <= 0.5 * 2 ** -10, 'only the new sample after a reset');
});

t.test('time-weighted mean: run and window', async (t) => {
  const w = new TimeWeighted(0);
  w.set(0, 2);
  t.equal(w.windowMean(10), 2, 'first window [0,10]: 2 throughout');
  w.set(10, 4);
  w.add(15, -4);
  t.equal(w.windowMean(20), 20 / 10, 'second window [10,20]: 4 for 5 s, 0 for 5 s');
  t.equal(w.integral(20), 2 * 10 + 4 * 5);
  t.equal(w.mean(20), 40 / 20, 'the run mean is untouched by windows');
});

t.test('agrees with the reference HdrHistogram (hdr-histogram-js) to 3 significant digits', async (t) => {
  const hdr = await import('hdr-histogram-js');
  const ref = hdr.build({ numberOfSignificantValueDigits: 3, useWebAssembly: false });
  const own = new LatencyHistogram(3), r = stream(4, 'ref');
  for (let i = 0; i < 100_000; i++) {
    const v = -0.05 * Math.log(1 - r()) + (r() < 0.01 ? 2 * r() : 0); // exponential body, a 1% slow tail
    ref.recordValue(Math.round(v * 1e6));
    own.record(v);
  }
  for (const p of [50, 90, 99, 99.9, 99.99]) {
    const a = own.percentile(p), b = ref.getValueAtPercentile(p) / 1e6;
    t.ok(Math.abs(a - b) <= 2e-3 * b + 2e-6, `p${p}: ${a.toFixed(6)} vs reference ${b.toFixed(6)}`);
  }
});

t.test('the interval view answers what a 2-digit histogram of the interval would; the run keeps 3 digits of everything', async (t) => {
  // A component records a latency once, into a 3-digit histogram with a 2-digit interval view:
  // each sample reads the interval from the view and resets it; the run's figures are the 3-digit ones.
  const both = new LatencyHistogram(3, 2), interval = new LatencyHistogram(2), run = new LatencyHistogram(3);
  const r = stream(7, 'interval-view');
  const ps = [0, 1, 10, 50, 90, 95, 99, 99.9, 99.99, 100];
  for (let k = 0; k < 20; k++) {
    const n = k === 3 ? 0 : 1 + Math.floor(r() * 5000); // one empty interval
    for (let i = 0; i < n; i++) {
      // lognormal body, a few values outside the resolved range at both ends
      const u = r();
      const v = u < 0.001 ? 1e-9 : u > 0.999 ? 1e6 : Math.exp(Math.log(0.05) + 1.5 * Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r()));
      both.record(v); interval.record(v); run.record(v);
    }
    t.equal(both.intervalCount, interval.count, `interval ${k}: count`);
    t.equal(both.intervalMax, interval.max, `interval ${k}: max`);
    t.same(both.intervalPercentiles(ps), interval.percentiles(ps), `interval ${k}: percentiles`);
    both.resetInterval();
    interval.reset();
  }
  t.same(both.percentiles(ps), run.percentiles(ps), 'the run: every value at 3 digits');
  t.equal(both.count, run.count);
  t.equal(both.max, run.max);
  t.equal(both.mean, run.mean);
  t.throws(() => run.intervalPercentiles(ps), /no interval view/);
});
