// A scenario's service-level objectives (`slo:`): which figure, and the bound it must keep.
import { fail, type Where } from './errors.ts';
import { Fields, number, oneOf, string } from './fields.ts';
import type { SloConfig } from './types.ts';
import { parseDuration, parsePercent, parseRate } from './units.ts';

export const SLO_METRICS = [
  'latency.p50', 'latency.p90', 'latency.p95', 'latency.p99', 'latency.p999', 'latency.max', 'latency.mean',
  'errorRate', 'cost', 'throughput',
] as const;

export function parseSlo(value: unknown, at: Where): SloConfig {
  const f = new Fields(value, at, ['name', 'metric', 'max', 'min'], 'an objective like { metric: latency.p99, max: 500ms }');
  const metric = f.req('metric', oneOf(SLO_METRICS));
  if (f.has('max') === f.has('min')) fail(at, 'exactly one of max or min', f.raw);
  const key = f.has('max') ? 'max' : 'min';
  const op = key === 'max' ? '<=' : '>=';
  const threshold = f.req(key, (v, a) => {
    if (metric.startsWith('latency.')) return parseDuration(v, a);
    if (metric === 'errorRate') return parsePercent(v, a);
    if (metric === 'throughput') return parseRate(v, a);
    return number({ min: 0 })(v, a); // cost, in the scenario's currency
  });
  const name = f.opt('name', string('a name'), `${metric} ${op} ${String(f.raw[key])}`);
  return { name, metric, op, threshold };
}
