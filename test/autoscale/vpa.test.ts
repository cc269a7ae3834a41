// The Vertical Pod Autoscaler's recommender and updater against kubernetes/autoscaler's own test
// cases (vertical-pod-autoscaler/pkg/...; each block names its file and test), transcribed.
import t from 'tap';
import { DecayingHistogram, Histogram, exponentialBuckets, linearBuckets } from '../../src/autoscale/vpa-histogram.ts';
import {
  CpuAggregate, cpuAmountFromCores, percentileEstimator, recommendCpu, withConfidence, withMargin, withMin,
} from '../../src/autoscale/vpa-recommender.ts';
import { byPriority, evictionBudget, updatePriority, wantsUpdate } from '../../src/autoscale/vpa-updater.ts';

const close = (a: number, b: number, rel = 1e-15) => Math.abs(a - b) <= rel * Math.abs(b);
// util/histogram_test.go: testHistogramOptions = NewLinearHistogramOptions(10.0, 1.0, 1e-15)
const testOptions = linearBuckets(10, 1, 1e-15);

t.test('histogram (recommender/util/histogram_test.go)', async (t) => {
  const empty = new Histogram(testOptions);
  for (const p of [-0.5, 0, 0.5, 1, 1.5]) t.equal(empty.percentile(p), 0, `TestPercentilesEmptyHistogram p=${p}`);
  // TestPercentiles: { 1: 1, 2: 2, 3: 3, 4: 4 }
  const h = new Histogram(testOptions);
  for (let i = 1; i <= 4; i++) h.add(i, i);
  const want: Array<[number, number]> = [[0, 2], [0.1, 2], [0.2, 3], [0.3, 3], [0.4, 4], [0.5, 4], [0.6, 4], [0.7, 5], [0.8, 5], [0.9, 5], [1, 5]];
  for (const [p, v] of want) t.ok(close(h.percentile(p), v), `TestPercentiles ${p} → ${v} (got ${h.percentile(p)})`);
  // TestPercentileOutOfBounds
  const o = new Histogram(linearBuckets(1, 0.1, 1e-15));
  o.add(0.1, 0.1);
  o.add(0.2, 0.2);
  t.ok(close(o.percentile(-0.1), 0.2) && close(o.percentile(1.1), 0.3), 'TestPercentileOutOfBounds: min and max');
  o.add(0, 0.1);
  o.add(1, 0.2);
  t.ok(close(o.percentile(-0.1), 0.1) && close(o.percentile(1.1), 1.0), 'boundary buckets filled');
  // TestEmptyHistogram
  const e = new Histogram(linearBuckets(1, 0.1, 1e-15));
  t.ok(e.isEmpty());
  e.add(0.1, 1e-15 * 2.5);
  t.notOk(e.isEmpty());
  e.subtract(0.1, 1e-15);
  t.notOk(e.isEmpty(), 'epsilon × 1.5 left');
  e.subtract(0.1, 1e-15);
  t.ok(e.isEmpty(), 'epsilon × 0.5 left: empty');
});

t.test('decaying histogram (recommender/util/decaying_histogram_test.go), times in hours', async (t) => {
  const H = 3600, start = 1234567890;
  const simple = new DecayingHistogram(testOptions, H);
  simple.add(2, 1000, start);
  simple.add(1, 1, start + 20 * H);
  t.ok(close(simple.percentile(0.999), 2) && close(simple.percentile(1), 3), 'TestSimpleDecay');
  const long = new DecayingHistogram(testOptions, H);
  long.add(2, 1, start);
  long.add(1, 1, start + 101 * H);
  t.ok(close(long.percentile(1), 2), 'TestLongtermDecay: after 2^100 the reference moves');
  const d = new DecayingHistogram(testOptions, H);
  for (let i = 1; i <= 4; i++) d.add(i, i, start + (i - 1) * H);
  const want: Array<[number, number]> = [[0, 2], [0.02, 2], [0.03, 3], [0.1, 3], [0.11, 4], [0.34, 4], [0.35, 5], [1, 5]];
  for (const [p, v] of want) t.ok(close(d.percentile(p), v), `TestDecayingHistogramPercentiles ${p} → ${v}`);
  const none = new DecayingHistogram(testOptions, H);
  for (let i = 1; i <= 4; i++) none.add(i, i, start);
  t.ok(close(none.percentile(0.4), 4) && close(none.percentile(0.7), 5), 'TestNoDecay');
});

t.test('estimators (recommender/logic/estimator_test.go)', async (t) => {
  // TestPercentileEstimator: the CPU histogram of the aggregations config, samples 1, 2, 3 cores
  const s = new CpuAggregate();
  for (const c of [1, 2, 3]) s.usage.add(c, 1, 0);
  const p20 = percentileEstimator(0.2)(s) / 1000;
  t.ok(Math.abs(p20 - 1) / 1 < 0.05, `20th percentile ${p20} cores within 5 % of 1.0`);
  // TestConfidenceMultiplier: const 3.14 cores
  const base = () => cpuAmountFromCores(3.14);
  const fresh = new CpuAggregate();
  t.equal(withConfidence(1, 1, base)(fresh), 1e14, 'no history, exponent +1: the maximum amount');
  t.equal(withConfidence(1, -1, base)(fresh), 0, 'no history, exponent −1: zero');
  const nine = new CpuAggregate();
  for (let i = 0; i < 9; i++) nine.addSample(1, 0, i * 120);
  t.equal(nine.confidence(), 0.00625, 'confidence 9 / (60 × 24)');
  t.equal(withConfidence(0.1, 2, base)(nine) / 1000, 907.46, '3.14 × (1 + 0.1/0.00625)² = 907.46 cores');
  // TestConfidenceMultiplierWithCustomInterval: 18 min
  t.equal(nine.confidence(18 * 60), 0.5, 'confidence 9/18');
  t.equal(withConfidence(0.1, 2, base, 18 * 60)(nine) / 1000, 4.521, '3.14 × 1.2² = 4.5216 → 4.521 cores (whole millicores)');
  // TestMarginEstimator, TestMinResourcesEstimator
  t.equal(withMargin(0.1, base)(fresh) / 1000, 3.454, '3.14 + 10 % (3140 + 314 millicores)');
  t.equal(withMin(cpuAmountFromCores(0.2), base)(fresh) / 1000, 3.14, 'above the minimum: unchanged');
});

t.test("the recommender's chain on a steady workload: target p90 + 15 %, bounds p50 / p95 with confidence", async (t) => {
  // One sample a minute for 24 h of a pod using 0.4 core, requesting 0.5: every percentile is the end
  // of 0.4's bucket; confidence 1 (a day of history): lower × (1 + 0.001)^−2, upper × 2.
  const s = new CpuAggregate();
  for (let m = 0; m <= 1440; m++) s.addSample(0.4, 0.5, m * 60);
  const opts = exponentialBuckets(1000, 0.001, 1.05, 1e-4);
  const end = opts.bucketStart(opts.findBucket(0.4) + 1);
  const base = Math.trunc(end * 1000), withMarginM = base + Math.trunc(base * 0.15);
  const r = recommendCpu(s);
  t.equal(s.confidence(), 1, 'confidence: 1 day (lifespan) and 1441/1440 samples → 1');
  t.equal(r.target, withMarginM, `target ${r.target}m = end of 0.4's bucket (${end.toFixed(4)}) + 15 %`);
  t.equal(r.upperBound, Math.trunc(withMarginM * 2), 'upper bound × (1 + 1/1)');
  t.equal(r.lowerBound, Math.trunc(withMarginM * (1 + 0.001) ** -2), 'lower bound × (1 + 0.001/1)^−2');
  const capped = recommendCpu(s, { minAllowed: 500, maxAllowed: 600 });
  t.same(capped, { target: 500, lowerBound: 500, upperBound: 600 }, 'minAllowed / maxAllowed cap target and bounds (utils/vpa/capping.go)');
  // no samples: every percentile 0, so 0 × ∞ on the upper bound (NaN, which Go's int64 conversion
  // makes negative) and 0 × 0 on the lower: the 25m minimum everywhere
  t.same(recommendCpu(new CpuAggregate()), { target: 25, lowerBound: 25, upperBound: 25 }, 'no samples: the 25m minimum');
});

t.test('update priority (updater/priority/priority_processor_test.go TestGetUpdatePriority, CPU in millicores)', async (t) => {
  const cpu = (request: number, target: number, lowerBound: number | null = null, upperBound: number | null = null) => ({ request, target, lowerBound, upperBound });
  const cases: Array<[string, Parameters<typeof updatePriority>[0], [boolean, number, boolean]]> = [
    ['simple scale up', [cpu(2000, 10000)], [false, 4.0, true]],
    ['simple scale down', [cpu(4000, 2000)], [false, 0.5, false]],
    ['no resource diff', [cpu(2000, 2000)], [false, 0.0, false]],
    ['scale up on milliquanitites', [cpu(10, 900)], [false, 89.0, true]],
    ['scale up outside recommended range', [cpu(4000, 10000, 6000, 14000)], [true, 1.5, true]],
    ['scale down outside recommended range', [cpu(8000, 2000, 1000, 3000)], [true, 0.75, false]],
    // memory in milli-units too (MilliValue of 10M is 1e10)
    ['multiple resources, both scale up', [cpu(3000, 6000), cpu(10e9, 20e9)], [false, 2.0, true]],
    ['multiple resources, only one scale up', [cpu(4000, 2000), cpu(10e9, 20e9)], [false, 1.5, true]],
    ['multiple resources, one outside recommended range', [cpu(4000, 2000, 1000, 3000), cpu(20e9, 10e9, 5e9, 30e9)], [true, 1.0, false]],
    // containers summed per resource first: {1, 2} → {4, 8}: |3 − 12| / 3 = 3
    ['multiple containers, both scale up', [cpu(3000, 12000)], [false, 3.0, true]],
    ['multiple containers, both scale down', [cpu(10000, 3000)], [false, 0.7, false]],
  ];
  for (const [name, res, [outside, diff, up]] of cases) {
    const p = updatePriority(res);
    t.same([p.outsideRecommendedRange, +p.resourceDiff.toFixed(12), p.scaleUp], [outside, diff, up], name);
  }
});

t.test('which pods the updater takes (update_priority_calculator.go AddPod, pods_eviction_restriction.go)', async (t) => {
  const within = { outsideRecommendedRange: false, scaleUp: true, resourceDiff: 0.5 };
  t.notOk(wantsUpdate(within, 3600), 'within the range and younger than 12 h: left alone');
  t.ok(wantsUpdate(within, 12 * 3600), 'within the range, 12 h old and diff ≥ 0.1: updated');
  t.notOk(wantsUpdate({ ...within, resourceDiff: 0.05 }, 13 * 3600), 'diff under 0.1: left alone');
  t.ok(wantsUpdate({ ...within, outsideRecommendedRange: true }, 0), 'outside the range: at any age');
  const order = [{ outsideRecommendedRange: true, scaleUp: false, resourceDiff: 3 }, { outsideRecommendedRange: true, scaleUp: true, resourceDiff: 0.2 }, { outsideRecommendedRange: true, scaleUp: true, resourceDiff: 1 }];
  t.same([...order].sort(byPriority).map((p) => p.resourceDiff), [1, 0.2, 3], 'scale-ups first, then the larger diff');
  t.equal(evictionBudget(1, 1), 0, 'fewer live pods than min-replicas 2: none');
  t.equal(evictionBudget(2, 2), 1, '2 configured, tolerance ⌊1⌋: one');
  t.equal(evictionBudget(4, 4), 2, '4 configured: two (tolerance 0.5)');
  t.equal(evictionBudget(4, 3), 1, 'one already down: one more');
  t.equal(evictionBudget(10, 10), 5);
  t.equal(evictionBudget(3, 3), 1, '⌊1.5⌋ = 1');
});
