// The one copy of SLO judging and the report's scenario (src/stats/slo.ts), which the simulator's
// and the bench's summaries both use.
import t from 'tap';
import { judge, metricValue, scenarioForReport } from '../../src/stats/slo.ts';
import type { RunSummary } from '../../src/stats/results.ts';

const run = {
  latency: { p99: 0.25, p50: 0.01 },
  totals: { errorRate: 0.002, throughput: 120 },
  cost: { total: 3.5 },
} as unknown as RunSummary;

t.test('figures by SLO name, and the verdict against the threshold in either direction', async (t) => {
  t.equal(metricValue('latency.p99', run), 0.25);
  t.equal(metricValue('errorRate', run), 0.002);
  t.equal(metricValue('cost', run), 3.5);
  t.equal(metricValue('throughput', run), 120);
  t.throws(() => metricValue('latency.p42', run), /unknown SLO metric latency\.p42/);
  t.same(judge({ name: 'p99', metric: 'latency.p99', op: '<=', threshold: 0.2 }, run), { name: 'p99', metric: 'latency.p99', op: '<=', threshold: 0.2, value: 0.25, pass: false });
  t.equal(judge({ name: 'rate', metric: 'throughput', op: '>=', threshold: 100 }, run).pass, true);
  t.equal(judge({ name: 'edge', metric: 'cost', op: '<=', threshold: 3.5 }, run).pass, true, 'the threshold itself passes');
});

t.test('the scenario for summary.json: Infinity spelled out, long traces shortened', async (t) => {
  const out = scenarioForReport({ backlog: Infinity, rates: Array.from({ length: 205 }, (_, i) => i), short: [1, 2] }) as Record<string, unknown[]>;
  t.equal(out.backlog, 'unlimited');
  t.equal(out.rates.length, 201);
  t.equal(out.rates[200], '… 5 more');
  t.same(out.short, [1, 2]);
});
