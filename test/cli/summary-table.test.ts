// The terminal summary: every SLO line shows its value and threshold in the metric's unit
// (issue 8, point 13: `throughput = 412 (>= 400)` had none).
import t from 'tap';
import { formatSummary } from '../../src/cli/summary-table.ts';
import { makeRun } from '../report/fixture.ts';

t.test('each SLO line carries its unit', async (t) => {
  const { summary } = makeRun();
  summary.cost.currency = 'EUR';
  summary.slo = [
    { name: 'a', metric: 'throughput', op: '>=', threshold: 400, value: 412.3, pass: true },
    { name: 'b', metric: 'errorRate', op: '<=', threshold: 0.001, value: 0.0123, pass: false },
    { name: 'c', metric: 'latency.p99', op: '<=', threshold: 0.3, value: 1.5, pass: false },
    { name: 'd', metric: 'cost', op: '<=', threshold: 50, value: 12.5, pass: true },
  ];
  const lines = formatSummary(summary).split('\n').filter((l) => /^(PASS|FAIL) /.test(l));
  t.strictSame(lines, [
    'PASS  a: throughput = 412 req/s (>= 400 req/s)',
    'FAIL  b: errorRate = 1.23% (<= 0.10%)',
    'FAIL  c: latency.p99 = 1.50 s (<= 300.0 ms)',
    'PASS  d: cost = 12.50 EUR (<= 50.00 EUR)',
  ]);
});
