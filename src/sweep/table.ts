// A sweep's results in the terminal: one row per point run, the cheapest passing one starred.
import { fmtSloValue } from '../report/format.ts';
import type { SweepResult } from '../stats/sweep-results.ts';

export function sweepTable(r: SweepResult): string {
  const names = r.parameters.map((p) => p.name);
  const f = (m: string, v: number) => fmtSloValue(m, v, r.currency);
  const head = ['#', ...names, 'verdict', 'p99', 'error rate', 'cost', ''];
  const rows = r.points.map((p) => [
    String(p.index), ...names.map((n) => String(p.params[n])), p.verdict,
    f('latency.p99', p.figures['latency.p99'].mean), f('errorRate', p.figures.errorRate.mean), f('cost', p.figures.cost.mean),
    p.index === r.cheapest ? '★ cheapest passing' : r.frontier.includes(p.index) ? 'frontier' : '',
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const k = names.length;
  const right = new Set([0, k + 2, k + 3, k + 4]); // numbers line up on the right
  const line = (row: string[]) => row.map((c, i) => (right.has(i) ? c.padStart(w[i]) : c.padEnd(w[i]))).join('  ').trimEnd();
  const out = [line(head), w.map((n) => '-'.repeat(n)).join('  ').trimEnd(), ...rows.map(line)];
  const what = r.mode === 'search' ? `search${r.bisected ? ` (bisecting ${r.bisected})` : ''}` : r.mode;
  out.push('', `${r.name}: ${what}, ${r.points.length} points run × ${r.replications} replication${r.replications === 1 ? '' : 's'}${r.shard ? `, shard ${r.shard.index}/${r.shard.count}` : ''}`);
  const c = r.points.find((p) => p.index === r.cheapest);
  out.push(c ? `cheapest point meeting every SLO: #${c.index} ${names.map((n) => `${n}=${c.params[n]}`).join(' ')} at ${f('cost', c.figures.cost.mean)} (p99 ${f('latency.p99', c.figures['latency.p99'].mean)})`
    : r.slo.length === 0 ? 'no SLOs stated: every point passes; cheapest is by cost alone' : 'no point met every SLO');
  return out.join('\n');
}
