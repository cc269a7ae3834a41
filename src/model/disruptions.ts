// Each fault and release of a run with its recovery time (./recovery.ts) and, for a release, how
// its rollout ended.
import type { Disruption } from '../stats/results.ts';
import { ALL } from './series.ts';
import { recovery } from './recovery.ts';
import type { RunState } from './simulation.ts';

export function disruptions(run: RunState): Disruption[] {
  const sc = run.scenario, all = run.series.rows.filter((r) => r.component === ALL);
  const out: Disruption[] = [];
  for (const f of sc.faults) {
    const target = f.kind === 'zoneOutage' ? f.zone : f.kind === 'failover' ? f.database : f.pool;
    out.push({ time: f.at, kind: f.kind, target, ...recovery(f.at, all, sc.slo, sc.recoveryHold) });
  }
  for (const p of run.pools) {
    for (const r of p.timeline.rollouts) {
      const t = r.startedAt;
      out.push({
        time: t, kind: r.isRollback ? 'rollback' : 'release', target: `${r.release.pool}@${p.versions.names[r.to]}`,
        ...recovery(t, all, sc.slo, sc.recoveryHold), outcome: r.outcome, endedAt: r.endedAt,
      });
    }
  }
  return out.sort((a, b) => a.time - b.time);
}
