// The decision engine inside the simulator: a flash crowd met by an HPA with the controller's
// default behavior. Kubernetes documents the defaults (HorizontalPodAutoscaler walkthrough,
// "Default Behavior"): scale up by at most max(100%, 4 pods) per 15 s period, scale down only
// when the recommendation stayed lower for the 300 s stabilization window.
import t from 'tap';
import { loadScenario } from '../../src/scenario/index.ts';
import { runScenario } from '../../src/model/index.ts';

t.test('HPA default behavior on a spike', async (t) => {
  const sc = loadScenario('scenarios/compare/spike-hpa.yaml');
  const { summary, rows } = runScenario(sc);
  const ups = summary.scaling.filter((e) => e.to > e.from);
  const downs = summary.scaling.filter((e) => e.to < e.from);
  t.ok(ups.length >= 3, `the spike made it scale up several times (${ups.length})`);
  t.ok(downs.length >= 1, 'and back down after the spike');
  for (const e of ups) {
    t.ok(e.to <= Math.max(2 * e.from, e.from + 4), `t=${e.time}: ${e.from} → ${e.to} within max(100%, 4 pods)`);
  }
  // One change per sync at most, syncs 15 s apart.
  for (let i = 1; i < summary.scaling.length; i++) {
    t.ok(summary.scaling[i].time - summary.scaling[i - 1].time >= 15 - 1e-9, 'changes at least one 15 s sync apart');
  }
  const lastUp = ups[ups.length - 1].time, firstDown = downs[0].time;
  t.ok(firstDown - lastUp >= 300 - 1e-9, `scale-down held for the 300 s window (last up ${lastUp}, first down ${firstDown})`);
  // The spike's load fell away at about 5m + 1m + 12m + 2m = 20 min; the window ends ~5 min later.
  t.ok(firstDown < 20 * 60 + 300 + 120, `and not held for much longer (first down at ${firstDown}s)`);
  const series = rows.filter((r) => r.component === 'api');
  t.ok(series.some((r) => (r.instances_desired ?? 0) > (r.instances_ready ?? 0)), 'desired leads ready while instances boot');
  t.equal(Math.max(...series.map((r) => r.instances_desired ?? 0)), Math.max(...summary.scaling.map((e) => e.to)), 'series carry desired instances');
});
