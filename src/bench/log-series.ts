// The balancers' series and summaries from the run's access log, read line by line (a long run's
// log is large). Every line of a bench run's own log parses; one that does not is an error.
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { LoadBalancerConfig, Scenario } from '../scenario/types.ts';
import type { BalancerSummary, SeriesRow } from '../stats/results.ts';
import { parseAccessLine } from './access-log.ts';
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
    const rl = createInterface({ input: createReadStream(stack.accessLog), crlfDelay: Infinity });
    let n = 0;
    for await (const text of rl) {
      n++;
      if (text === '') continue;
      const line = parseAccessLine(text);
      if (!line) throw new Error(`${stack.accessLog}:${n}: not a line in headroom's log format`);
      const s = series.find((x) => line.path.startsWith(x.path));
      s?.add(line);
    }
  }
  return new Map(series.map((s) => [s.cfg.name, { rows: s.rows(), summary: s.summary() }]));
}
