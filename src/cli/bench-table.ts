// The part of a measured run's terminal summary only a bench has: how the load was generated and
// whether the generator kept the schedule.
import type { RunSummary } from '../stats/results.ts';

const ms = (s: number) => (s >= 1 ? `${s.toFixed(2)} s` : `${(s * 1000).toFixed(1)} ms`);

export function formatBench(s: RunSummary): string {
  const b = s.bench;
  if (!b) return '';
  const T = s.scenario.duration, out: string[] = [];
  out.push(`measured   ${T} s of ${b.workload}-model traffic ${b.target ? `at ${b.target}` : `on the live stack (upstreams ${b.mode === 'cpu' ? 'CPU-bound' : 'I/O-bound'})`}${b.timeScale !== 1 ? `, the scenario's ${b.scenarioDuration} s curve ×${(1 / b.timeScale).toPrecision(3)} in time` : ''}`);
  out.push(`generator  ${b.sent} of ${b.offered} due requests sent (${(b.offered / T).toFixed(0)} req/s due), ${b.late} late by > ${ms(b.lateAfter)}; send lag p50 ${ms(b.lag.p50)} p99 ${ms(b.lag.p99)} max ${ms(b.lag.max)}`);
  out.push(`           CPU ${(b.generatorCpu.mean * 100).toFixed(0)}% of a core (max ${(b.generatorCpu.max * 100).toFixed(0)}%), ${b.connections} connections` +
    (b.resent ? `; ${b.resent} resent on a fresh connection after a kept-alive one closed under them (nginx closes idle ones at a reload)` : ''));
  out.push(`latency    from the due time (above) vs from the actual send: p50 ${ms(b.latencyFromSend.p50)}  p99 ${ms(b.latencyFromSend.p99)}  max ${ms(b.latencyFromSend.max)}`);
  for (const w of b.warnings) out.push(`note       ${w}`);
  return out.join('\n');
}
