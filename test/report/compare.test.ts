import t from 'tap';
import { judge, metricRows, renderCompare } from '../../src/report/compare.ts';
import { findExternalLoads, specBlocks } from './offline.ts';
import { makeRun } from './fixture.ts';

t.test('two runs: both labels, overlaid charts, deltas with the better value marked', async (t) => {
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
  t.match(costRow![1]!, /<td class="num best" data-verdict="better">[^<]*<span class="star"[^>]*>★<\/span><div class="sub better">−\$[\d.]+ \(−[\d.]+%\) · better<\/div>/, 'b cheaper: marked better and best');
  const errRow = /<tr><td>Errors<\/td><td class="muted">lower<\/td>([\s\S]*?)<\/tr>/.exec(html)!;
  t.ok(b.summary.totals.errors.timeout > a.summary.totals.errors.timeout, 'fixture: b has more timeouts');
  t.match(errRow[1]!, /<td class="num best" data-verdict="none"/, 'the baseline has the best error count');
  t.match(errRow[1]!, /· worse<\/div>/, 'b marked worse on errors');
  t.match(html, /Lower is better for latency, errors, cost/, 'says which direction is better');
});

t.test('judge and metric directions', async (t) => {
  t.equal(judge('lower', 1, 2), 'better');
  t.equal(judge('lower', 3, 2), 'worse');
  t.equal(judge('higher', 3, 2), 'better');
  t.equal(judge('higher', 2, 2), 'same');
  t.equal(judge('none', 1, 2), 'none');
  const rows = metricRows([{ label: 'a', ...makeRun() }, { label: 'b', ...makeRun() }]);
  const dir = Object.fromEntries(rows.map((r) => [r.name, r.better]));
  t.equal(dir['Latency p99'], 'lower');
  t.equal(dir['Error rate'], 'lower');
  t.equal(dir['Total cost'], 'lower');
  t.equal(dir['Throughput'], 'higher');
});
