// The decision engine inside the simulator: a flash crowd met by an HPA that sets no scaling
// rules of its own. Two cases, because Kubernetes has two:
// - `behavior` given (even empty `{}`): the API server fills in the documented defaults
//   (kubernetes.io, HorizontalPodAutoscaler walkthrough, "Default Behavior"; defaults.go
//   GenerateHPAScaleUpRules/GenerateHPAScaleDownRules): scale up by max(100%, 4 pods) per 15 s
//   period, scale down after a 300 s stabilization window.
// - `behavior` absent: horizontal.go's normalizeDesiredReplicas: scale up to at most
//   max(2 × current, 4) per sync, scale down after the controller's 5 min downscale stabilization.
import t, { type Test } from 'tap';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario } from '../../src/scenario/index.ts';
import { runScenario } from '../../src/model/index.ts';
import type { Scenario } from '../../src/scenario/index.ts';

function check(t: Test, sc: Scenario, limit: (from: number) => number) {
  const { summary, rows } = runScenario(sc);
  const ups = summary.scaling.filter((e) => e.to > e.from);
  const downs = summary.scaling.filter((e) => e.to < e.from);
  t.ok(ups.length >= 3, `the spike made it scale up several times (${ups.length})`);
  t.ok(downs.length >= 1, 'and back down after the spike');
  for (const e of ups) t.ok(e.to <= limit(e.from), `t=${e.time}: ${e.from} → ${e.to} within the limit ${limit(e.from)}`);
  t.ok(ups.some((e) => e.to === limit(e.from)), 'the limit is reached at least once (the spike is steep enough to test it)');
  for (let i = 1; i < summary.scaling.length; i++) {
    t.ok(summary.scaling[i].time - summary.scaling[i - 1].time >= 15 - 1e-9, 'changes at least one 15 s sync apart');
  }
  const lastUp = ups[ups.length - 1].time, firstDown = downs[0].time;
  t.ok(firstDown - lastUp >= 300 - 1e-9, `scale-down held for the 300 s window (last up ${lastUp}, first down ${firstDown})`);
  // The spike's load is gone by about 5m + 1m + 12m + 2m·3 = 24 min; the window ends 5 min later.
  t.ok(firstDown < 24 * 60 + 300 + 60, `and not held for much longer (first down at ${firstDown}s)`);
  const series = rows.filter((r) => r.component === 'api');
  t.ok(series.some((r) => (r.instances_desired ?? 0) > (r.instances_ready ?? 0)), 'desired leads ready while instances boot');
  t.equal(Math.max(...series.map((r) => r.instances_desired ?? 0)), Math.max(...summary.scaling.map((e) => e.to)), 'series carry desired instances');
}

t.test('HPA with behavior: {} (documented defaults): max(100%, 4 pods) per 15 s, 300 s down window', async (t) => {
  check(t, loadScenarioWithBehavior(), (from) => Math.max(2 * from, from + 4));
});

t.test('HPA without behavior (controller legacy limits): max(2 × current, 4) per sync', async (t) => {
  check(t, loadScenario('scenarios/compare/spike-hpa.yaml'), (from) => Math.max(2 * from, 4));
});

function loadScenarioWithBehavior(): Scenario {
  // Same file with `behavior: {}` added to the manifest.
  const text = readFileSync('scenarios/compare/spike-hpa.yaml', 'utf8').replace('        maxReplicas: 40\n', '        maxReplicas: 40\n        behavior: {}\n');
  const dir = mkdtempSync(join(tmpdir(), 'hpa-'));
  writeFileSync(join(dir, 'spike.yaml'), text);
  return loadScenario(join(dir, 'spike.yaml'));
}
