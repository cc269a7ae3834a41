// The balancers' series and summaries from the run's access log, streamed by the one log reader
// (./access-log.ts). Every line of a bench run's own log parses; one that does not is an error.
import { existsSync } from 'node:fs';
import type { LoadBalancerConfig, Scenario } from '../scenario/types.ts';
import type { BalancerSummary, SeriesRow } from '../stats/results.ts';
import { readAccessLog } from './access-log.ts';
import { BalancerSeries } from './balancer-series.ts';
import type { LiveStack } from './stack.ts';

export async function balancersFromLog(
  sc: Scenario, stack: LiveStack, interval: number, duration: number, epoch0: number,
): Promise<Map<string, { rows: SeriesRow[]; summary: BalancerSummary }>> {
  const names = new Map<string, string>();
  for (const [addr, name] of stack.peerNames) names.set(addr, name);
  const series = sc.components
    .filter((c): c is LoadBalancerConfig => c.kind === 'loadBalancer')
    .map((b) => new BalancerSeries(b, interval, duration, epoch0, (a) => names.get(a) ?? a));
  if (existsSync(stack.accessLog)) {
    await readAccessLog(stack.accessLog, (r) => series.find((x) => r.path.startsWith(x.path))?.add(r));
  }
  return new Map(series.map((s) => [s.cfg.name, { rows: s.rows(), summary: s.summary() }]));
}
