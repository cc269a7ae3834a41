// The kernel: the event heap pops in (time, insertion) order; streams are reproducible and
// independent; each distribution's samples agree with its closed-form mean (95% CI) and quantiles.
import t, { type Test } from 'tap';
import fc from 'fast-check';
import { EventHeap } from '../../src/sim/event-heap.ts';
import { stream } from '../../src/sim/rng.ts';
import { sampler, mean, scv, type Dist } from '../../src/sim/distribution.ts';
import { ci95 } from '../../src/stats/confidence.ts';

t.test('event heap pops by time, ties in insertion order (against a stable sort)', async (t) => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 1000 })), { maxLength: 400 }), (events) => {
      const h = new EventHeap(2);
      events.forEach(([time, arg], i) => h.push(time, i % 7, arg));
      const expected = events.map(([time, arg], i) => ({ time, kind: i % 7, arg, i })).sort((a, b) => a.time - b.time || a.i - b.i);
      for (const e of expected) {
        if (!h.pop() || h.time !== e.time || h.kind !== e.kind || h.arg !== e.arg) return false;
      }
      return !h.pop() && h.size === 0;
    }),
    { numRuns: 200, seed: 7 },
  );
  t.pass('heap order matches a stable sort on 200 random sequences');
});

t.test('interleaved push and pop keep the order', async (t) => {
  const h = new EventHeap(4);
  const rng = stream(1, 'heap');
  let now = 0, popped = 0, backwards = 0;
  for (let i = 0; i < 10; i++) h.push(rng() * 10, 0, i);
  while (h.pop()) {
    if (h.time < now) backwards++;
    now = h.time;
    if (++popped < 5000) h.push(now + rng() * 10, 0, popped);
  }
  t.equal(backwards, 0, 'no event pops earlier than the one before');
  t.equal(popped, 5000 + 9);
});

t.test('popUntil stops at the horizon', async (t) => {
  const h = new EventHeap();
  h.push(1, 0, 0); h.push(3, 0, 1);
  t.ok(h.popUntil(2));
  t.notOk(h.popUntil(2));
  t.equal(h.size, 1);
});

t.test('peekTime is Infinity whenever the heap is empty (new, emptied, emptied after growing)', async (t) => {
  const h = new EventHeap(2);
  t.equal(h.peekTime(), Infinity);
  t.notOk(h.popUntil(Infinity), 'nothing to pop, even with no horizon');
  h.push(5, 0, 0);
  t.equal(h.peekTime(), 5);
  t.ok(h.pop());
  t.equal(h.peekTime(), Infinity);
  for (let i = 0; i < 5; i++) h.push(10 - i, 0, i);
  t.equal(h.peekTime(), 6);
  while (h.pop());
  t.equal(h.peekTime(), Infinity);
  t.equal(h.size, 0);
});

t.test('streams: same (seed, name) same draws; other names or seeds differ', async (t) => {
  const draw = (seed: number, name: string) => Array.from({ length: 5 }, stream(seed, name));
  t.same(draw(1, 'a'), draw(1, 'a'));
  t.not(draw(1, 'a')[0], draw(1, 'b')[0]);
  t.not(draw(1, 'a')[0], draw(2, 'a')[0]);
  const r = stream(3, 'range');
  for (let i = 0; i < 10000; i++) {
    const u = r();
    if (!(u >= 0 && u < 1)) t.fail(`out of [0,1): ${u}`);
  }
});

function sample(d: Dist, n: number, seed = 11): number[] {
  const s = sampler(d, stream(seed, 'dist'));
  return Array.from({ length: n }, s);
}

/** 95% CI of the mean by batch means (20 batches): the closed-form mean must lie inside. */
function meanInCi(t: Test, d: Dist, label: string) {
  const xs = sample(d, 200_000);
  const batches = Array.from({ length: 20 }, (_, b) => {
    const part = xs.slice(b * 10_000, (b + 1) * 10_000);
    return part.reduce((a, x) => a + x, 0) / part.length;
  });
  const ci = ci95(batches), m = mean(d);
  t.ok(ci.low <= m && m <= ci.high, `${label}: mean ${m.toFixed(5)} in [${ci.low.toFixed(5)}, ${ci.high.toFixed(5)}]`);
}

t.test('each distribution: sample mean agrees with the closed form', async (t) => {
  meanInCi(t, { kind: 'exponential', mean: 0.2 }, 'exponential');
  meanInCi(t, { kind: 'uniform', min: 1, max: 3 }, 'uniform');
  meanInCi(t, { kind: 'normal', mean: 0.05, sd: 0.04 }, 'normal truncated at 0');
  meanInCi(t, { kind: 'lognormal', mu: Math.log(0.02), sigma: 0.8 }, 'lognormal');
  meanInCi(t, { kind: 'gamma', shape: 0.5, scale: 2 }, 'gamma shape < 1');
  meanInCi(t, { kind: 'gamma', shape: 4, scale: 0.25 }, 'gamma');
  meanInCi(t, { kind: 'pareto', scale: 1, shape: 3.5 }, 'pareto');
  meanInCi(t, { kind: 'empirical', samples: [1, 2, 2, 7] }, 'empirical');
  t.equal(sample({ kind: 'constant', value: 0.3 }, 3).join(), '0.3,0.3,0.3');
});

t.test('quantiles: lognormal median and p99, exponential median (binomial 99.9% bounds)', async (t) => {
  const n = 100_000;
  // The count below a true quantile q is Binomial(n, q): bound it by ±3.3 standard deviations.
  const within = (xs: number[], x: number, q: number) => {
    const below = xs.filter((v) => v < x).length;
    return Math.abs(below - n * q) <= 3.3 * Math.sqrt(n * q * (1 - q));
  };
  const median = 0.035, p99 = 0.25, sigma = (Math.log(p99) - Math.log(median)) / 2.3263478740408408;
  const ln = sample({ kind: 'lognormal', mu: Math.log(median), sigma }, n);
  t.ok(within(ln, median, 0.5), 'lognormal median');
  t.ok(within(ln, p99, 0.99), 'lognormal p99');
  const ex = sample({ kind: 'exponential', mean: 1 }, n);
  t.ok(within(ex, Math.LN2, 0.5), 'exponential median ln 2');
});

t.test('squared coefficients of variation', async (t) => {
  t.equal(scv({ kind: 'exponential', mean: 3 }), 1);
  t.equal(scv({ kind: 'constant', value: 3 }), 0);
  t.ok(Math.abs(scv({ kind: 'gamma', shape: 4, scale: 1 }) - 0.25) < 1e-12);
  t.ok(Math.abs(scv({ kind: 'uniform', min: 0, max: 2 }) - 1 / 3) < 1e-12);
});
