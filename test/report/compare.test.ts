import t from 'tap';
import { metricRows, renderCompare } from '../../src/report/compare.ts';
import type { RunSummary } from '../../src/stats/results.ts';
import { findExternalLoads, specBlocks } from './offline.ts';
import { makeRun } from './fixture.ts';

t.test('two single-seed runs: both labels, overlaid charts, deltas that cannot tell better from luck', async (t) => {
  const a = makeRun({ startTime: '2024-03-05T00:00:00+01:00' });
  // a cheaper, slower policy: fewer instances, lower cost, more errors
  const b = makeRun({ startTime: '2024-03-05T00:00:00+01:00', maxInstances: 9, price: 0.15 });
  const html = await renderCompare([{ label: 'target-70', ...a }, { label: 'cheap <b>policy</b>', ...b }]);
  t.match(html, /target-70/);
  t.match(html, /cheap &lt;b&gt;policy&lt;\/b&gt;/, 'second label, escaped');
  t.notMatch(html, /cheap <b>policy/);
  t.strictSame(findExternalLoads(html), []);
  t.equal(specBlocks(html).length, 5, 'throughput, p99, instances, cost, distribution');
  const costRow = /<tr><td>Total cost<\/td><td class="muted">lower<\/td>([\s\S]*?)<\/tr>/.exec(html);
  t.ok(costRow, 'cost row says lower is better');
  t.ok(b.summary.cost.total < a.summary.cost.total, 'fixture: b is cheaper');
  t.match(costRow![1]!, /<td class="num" data-verdict="none">[^<]*<div class="sub ">−\$[\d.]+ \(−[\d.]+%\) · cannot tell \(no replications\)<\/div>/, 'b cheaper, but one seed each: cannot tell');
  t.notMatch(html, /class="star"/, 'no ★ without replications');
  t.match(html, /Lower is better for latency, errors, cost/, 'says which direction is better');
});

/** A run whose replications block says: each key figure's mean and 95% interval over n seeds. */
function replicated(run: ReturnType<typeof makeRun>, n: number, figures: Record<string, [number, number]>): ReturnType<typeof makeRun> {
  const stats = Object.entries(figures).map(([metric, [mean, hw]]) => ({ metric, mean, low: mean - hw, high: mean + hw, min: mean - hw, max: mean + hw }));
  const summary: RunSummary = { ...run.summary, replications: { n, seeds: Array.from({ length: n }, (_, i) => i + 1), stats, slo: [] } };
  return { ...run, summary };
}

t.test('replicated runs: better only beyond the noise, ★ only for a winner beyond it', async (t) => {
  const a = replicated(makeRun(), 5, { cost: [10, 0.2], 'latency.p99': [0.3, 0.01] });
  // cost 20% lower (far beyond ±0.2), p99 0.1% lower (well inside ±0.01)
  const b = replicated(makeRun({ price: 0.15 }), 5, { cost: [8, 0.2], 'latency.p99': [0.2997, 0.01] });
  const html = await renderCompare([{ label: 'a', ...a }, { label: 'b', ...b }]);
  const costRow = /<tr><td>Total cost<\/td><td class="muted">lower<\/td>([\s\S]*?)<\/tr>/.exec(html)![1]!;
  t.match(costRow, /data-verdict="better">[^<]*<span class="star"[^>]*>★<\/span><div class="sub better">[^<]* · better \(p = [^)]+\)<\/div>/, 'cost: better and starred');
  const p99Row = /<tr><td>Latency p99<\/td><td class="muted">lower<\/td>([\s\S]*?)<\/tr>/.exec(html)![1]!;
  t.match(p99Row, /−0\.1%\) · within noise \(p = /, 'a −0.1% difference is within the noise');
  t.notMatch(p99Row, /★/, 'no star for it');
});

t.test('metric directions', async (t) => {
  const rows = metricRows([{ label: 'a', ...makeRun() }, { label: 'b', ...makeRun() }]);
  const dir = Object.fromEntries(rows.map((r) => [r.name, r.better]));
  t.equal(dir['Latency p99'], 'lower');
  t.equal(dir['Error rate'], 'lower');
  t.equal(dir['Total cost'], 'lower');
  t.equal(dir['Throughput'], 'higher');
});
