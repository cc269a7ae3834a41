import t from 'tap';
import { renderHtml } from '../../src/report/html.ts';
import { findExternalLoads, specBlocks, strings, urlKeys } from './offline.ts';
import { makeRun } from './fixture.ts';
import { callCauseLines } from '../../src/report/call-causes.ts';
import { causeChains, pinnedSentences } from '../../src/report/explain.ts';
import type { PoolSummary } from '../../src/stats/results.ts';

const HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>';

t.test('the report answers first, then shows every chart and table', async (t) => {
  const { summary, rows } = makeRun({ startTime: '2024-03-05T00:00:00+01:00' });
  const html = await renderHtml(summary, rows);
  const verdict = html.indexOf('1 of 3 SLOs missed');
  t.ok(verdict > 0, 'verdict headline');
  t.ok(verdict < html.indexOf('<figure'), 'verdict comes before the charts');
  t.match(html, /✗ FAIL<\/span><\/td><td>checkout p99 under 250 ms/, 'failed SLO marked');
  t.match(html, /✓ PASS<\/span><\/td><td>error budget/, 'passed SLO marked');
  t.match(html, /412 ms/, 'p99 figure');
  for (const k of ['Total cost', 'Peak instances', 'Latency p99', 'Error rate', 'Throughput', 'Worst interval']) t.match(html, k);
  const ids = [...html.matchAll(/<figure class="chart" id="fig-([a-z0-9-]+)"/g)].map((m) => m[1]);
  t.strictSame(ids, ['load', 'latency', 'errors', 'distribution', 'bottleneck', 'instances-0', 'policy-0', 'utilisation', 'queue', 'cost']);
  const b = summary.bottleneck!, api = b.components.api!;
  t.equal(b.busiest, 'api', 'the fixture\'s busiest pool');
  t.match(html, new RegExp(`<p class="bottleneck">api: highest utilisation in ${api.busiest} of ${b.intervals} intervals`), 'the bottleneck named in words');
  t.match(html, /<table class="bottleneck">.*<td>api<\/td>/s, 'and in its table');
  // every figure carries a static SVG with marks
  for (const id of ids) {
    const fig = html.slice(html.indexOf(`id="fig-${id}"`), html.indexOf('</figure>', html.indexOf(`id="fig-${id}"`)));
    t.match(fig, /<svg [^>]*class="marks"/, `${id}: static svg`);
    t.match(fig, /class="mark-(line|area|rect|symbol)/, `${id}: marks drawn`);
  }
  t.match(html, /time \(UTC\+01:00\)/, 'wall-clock axis title');
  t.match(html, /req\/s/);
  t.match(html, /latency \(s\)|latency \(ms\)/);
  t.match(html, /instances/);
  t.match(html, /cost \(USD\)/);
  t.match(html, /SLO p99 ≤ 250 ms/, 'SLO line label');
  t.equal((html.match(/<tr><td class="num">\d\d:\d\d:\d\d<\/td><td>api<\/td>/g) ?? []).length, summary.scaling.length, 'one table row per scaling event');
  t.match(html, /<details id="scenario"><summary>Scenario as run<\/summary><pre>name: Checkout API/, 'scenario as YAML');
  t.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;/, 'CSP forbids loads');
  t.match(html, /data-lib="vega"/);
  t.match(html, /data-lib="vega-lite"/);
  t.match(html, /data-lib="vega-embed"/);
});

t.test('nothing in the page loads from outside the file', async (t) => {
  const { summary, rows } = makeRun();
  const html = await renderHtml(summary, rows);
  t.strictSame(findExternalLoads(html), []);
  const specs = specBlocks(html);
  t.equal(specs.length, 10, 'one live spec per chart');
  t.strictSame(specs.flatMap((s) => urlKeys(s)), [], 'no data source with a url');
  // the scanner itself catches what it should
  t.ok(findExternalLoads('<img src="https://x/y.png">').length);
  t.ok(findExternalLoads('<a href="//cdn.example/x">x</a>').length);
  t.ok(findExternalLoads('<style>@import url(http://x/y.css);</style>').length);
  t.ok(findExternalLoads('<div style="background:url(https://x/y.png)"></div>').length);
  t.ok(findExternalLoads('<script src="https://cdn.jsdelivr.net/npm/vega"></script>').length);
  t.ok(findExternalLoads('<script>fetch("https://example.com/x")</script>').length);
  t.ok(findExternalLoads('<script>var x = new XMLHttpRequest(); x.open("GET", "//example.com")</script>').length);
  t.ok(findExternalLoads('<div onclick="x()"></div>').length);
  t.strictSame(findExternalLoads('<div aria-label="see http://x and &lt;img src=x&gt;"></div>'), [], 'text attributes are not loads');
  t.strictSame(findExternalLoads('<svg xmlns="http://www.w3.org/2000/svg"><a href="#x"></a><g clip-path="url(#c1)"></g></svg>'), []);
});

t.test('scenario text is escaped everywhere', async (t) => {
  const { summary, rows } = makeRun({ name: HOSTILE, description: `</script>${HOSTILE}`, lbName: `lb ${HOSTILE}`, poolName: `pool "${HOSTILE}'` });
  summary.slo[0]!.name = HOSTILE;
  summary.scaling[0]!.reasons = [HOSTILE];
  summary.scaling[0]!.rule = HOSTILE;
  const html = await renderHtml(summary, rows);
  t.notMatch(html, /<script>alert/, 'no raw script element from the scenario');
  t.notMatch(html, /<img src=x/, 'no raw img element from the scenario');
  t.match(html, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;/, 'shown as text');
  const scriptOpens = (html.match(/<script\b/g) ?? []).length;
  const scriptCloses = (html.match(/<\/script>/g) ?? []).length;
  t.equal(scriptOpens, scriptCloses, 'no script element closed early');
  t.equal(scriptOpens, 10 + 3 + 1, 'spec blocks + 3 runtimes + boot script');
  t.strictSame(findExternalLoads(html), []);
  const specs = specBlocks(html);
  t.ok(strings(specs).some((x) => x.includes(HOSTILE)), 'names reach the live specs intact, as data');
});

t.test('a 24 h run at 10 s intervals with 6 components stays under 5 MB', async (t) => {
  const { summary, rows } = makeRun({ duration: 86400, interval: 10, extraPools: 4 });
  const comps = new Set(rows.map((r) => r.component));
  comps.delete('_all');
  t.equal(comps.size, 6, 'six components');
  t.equal(rows.length, 8640 * 7, '8640 intervals × (6 components + _all)');
  const html = await renderHtml(summary, rows);
  const bytes = Buffer.byteLength(html, 'utf8');
  t.comment(`24 h report: ${bytes} bytes`);
  t.ok(bytes < 5 * 1024 * 1024, `${bytes} bytes < 5 MiB`);
  t.strictSame(findExternalLoads(html), []);
  // no series carries more than ~1000 points
  type Spec = { data?: { values?: unknown[] }; vconcat?: Spec[] };
  for (const spec of specBlocks(html) as Spec[]) {
    for (const view of [spec, ...(spec.vconcat ?? [])]) t.ok((view.data?.values?.length ?? 0) <= 1500, 'display series downsampled');
  }
});

t.test('elapsed time axis without a start time; heatmaps beyond six components; no-error runs', async (t) => {
  const { summary, rows } = makeRun({ duration: 7200, interval: 10, extraPools: 7 });
  const html = await renderHtml(summary, rows);
  t.match(html, /elapsed \(h:mm\)/);
  const util = html.slice(html.indexOf('id="fig-utilisation"'), html.indexOf('</figure>', html.indexOf('id="fig-utilisation"')));
  t.match(util, /class="mark-rect/, 'utilisation is a heatmap for 8 pools');
  const short = makeRun({ duration: 300, interval: 5, perInstance: 1000 });
  const h2 = await renderHtml(short.summary, short.rows);
  t.match(h2, /t \(s\)/, 'short runs in seconds');
  t.match(h2, /No request failed\./);
  t.notMatch(h2, /id="fig-errors"/);
});

t.test('what the autoscaler acted on: metric vs target, the wish vs max, and why', async (t) => {
  const { summary, rows } = makeRun({ startTime: '2024-03-05T00:00:00+01:00' });
  const lb = summary.components.edge!;
  if (lb.kind === 'loadBalancer') lb.causes = { ...lb.causes!, markedDown: 41, refused: 41, timedOut: 0, noLiveUpstreams: 1_590_112 };
  summary.scaling[0]!.unclamped = summary.scaling[0]!.to + 5;
  const html = await renderHtml(summary, rows);
  const start = html.indexOf('id="fig-policy-0"');
  const fig = html.slice(start, html.indexOf('</figure>', start));
  t.match(fig, /What the autoscaler acted on: api/);
  t.match(fig, /cpu utilization \(%\)/, 'the metric panel, titled with its unit');
  t.match(fig, />target 70 %</, 'the target line is labelled');
  t.match(fig, />max 12</, 'the wish panel shows the maximum');
  t.match(fig, />wanted</, 'and the wish');
  t.equal((fig.match(/class="mark-line role-mark/g) ?? []).length >= 3, true, 'value, wanted and desired lines in the static SVG');
  const a = summary.components.api!;
  t.ok(a.kind === 'pool' && a.autoscaling?.pinnedAtMax, 'the fixture pins api at its max');
  const why = html.slice(html.indexOf('id="why"'), html.indexOf('</section>', html.indexOf('id="why"')));
  t.match(why, /api sat at its maximum of 12 instances for \d+ (min|h)/, 'pinned pool explained');
  t.match(why, /while the HPA wanted up to \d+: cpu utilization \d+ % against a target of 70 %/);
  t.match(why, /41 attempts failed at pool api \(41 refused with a full backlog\).*→.*a peer was marked down 41 times.*→.*1,590,112 requests answered 502/s, 'the chain with its counts');
  t.match(why, /max_fails=1 fail_timeout=10s \(nginx&#39;s defaults\): one failure takes a peer out for 10 s/, 'names nginx\'s defaults');
  t.equal((html.match(/<div class="sub">wanted \d+<\/div>/g) ?? []).length, summary.scaling.filter((e) => e.unclamped !== e.to).length, 'scaling table shows the wish when it differs');
});

t.test('a summary and series from before policy figures existed still render (no policy chart, no why)', async (t) => {
  const { summary, rows } = makeRun();
  const api = summary.components.api!;
  if (api.kind === 'pool') delete api.autoscaling;
  const lb = summary.components.edge!;
  if (lb.kind === 'loadBalancer') delete lb.causes;
  for (const e of summary.scaling) { delete e.unclamped; delete e.observed; }
  const old = rows.map(({ wanted: _w, marked_down: _m, policy: _p, ...r }) => r);
  const html = await renderHtml(summary, old);
  t.notMatch(html, /id="fig-policy-/);
  t.notMatch(html, /id="why"/);
  t.match(html, /id="fig-instances-0"/);
});

t.test('the Why section follows failures down a pool\'s calls, as the terminal does', async (t) => {
  const { summary, rows } = makeRun({ duration: 3600, interval: 60 });
  const api = summary.components.api as PoolSummary;
  api.calls = {
    to: { db: { made: 5000, attempts: 5000, retries: 0, failed: { callTimeout: 0, connectionTimeout: 0, downstream: 0 }, downstreamCauses: {} } },
    waitingShare: 0.97,
    timedOutWhile: { queued: 0, working: 0, connection: { db: 1234 }, call: {}, backoff: {} },
  };
  const html = await renderHtml(summary, rows);
  const why = html.slice(html.indexOf('<section class="explain"'), html.indexOf('</section>', html.indexOf('<section class="explain"')));
  t.match(why, '<li><b>api</b>: 1,234 timed out (504) waiting for a db connection', 'the caller\'s failures, named by what they waited on');
  t.equal(why.split('<li>').length - 1, callCauseLines(summary).length + causeChains(summary).length + pinnedSentences(summary, String).length, 'one item per line the terminal prints');
});
