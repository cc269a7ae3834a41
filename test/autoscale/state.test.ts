// Contract: policy state is plain JSON data — carrying it through JSON.stringify/parse between
// calls gives exactly the same decisions (what `decide` and the simulator rely on).
import t from 'tap';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decide, initialState } from '../../src/autoscale/index.ts';
import type { InstanceObservation, Observation, PolicyConfig, PolicyState } from '../../src/autoscale/index.ts';
import { loadPolicyFile } from '../../src/cli/decide.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function observation(time: number, n: number): Observation {
  const load = time < 1200 ? 2.5 : 0.1; // fraction of one core per instance
  const instances: InstanceObservation[] = Array.from({ length: n }, (_, i) => ({
    id: `i${i}`, phase: 'running', ready: true, startTime: -1000, readySince: -1000,
    requests: { cpu: 1000, memory: 1e9 },
    metrics: { cpu: 1000 * Math.min(load, 1.5) * 0.9, memory: time < 1200 ? 4e8 : 2e8, requestRate: 80 * load, http_requests_per_second: 150 * load, responseTime: 0.2, errorRate: 0 },
  }));
  return { currentReplicas: n, instances };
}

function simulate(cfg: PolicyConfig, viaJson: boolean) {
  let n = 3;
  let state: PolicyState = initialState(cfg, n, 0);
  const out: [number, string][] = [];
  for (let time = 0; time <= 3600; time += 15) {
    const d = decide(cfg, state, observation(time, n), time);
    state = viaJson ? JSON.parse(JSON.stringify(d.state)) : d.state;
    n = d.desired;
    out.push([n, d.rule]);
  }
  return out;
}

for (const f of ['saler-hpa.yaml', 'saler-aws.json', 'saler-orchestrator.yaml']) {
  t.test(`${f}: JSON round-tripped state gives identical decisions`, async (t) => {
    const cfg = await loadPolicyFile(join(root, 'scenarios/policies', f));
    const direct = simulate(cfg, false);
    t.same(simulate(cfg, true), direct);
    const sizes = direct.map(([n]) => n);
    t.ok(Math.max(...sizes) > 3, `scales out under load (max ${Math.max(...sizes)})`);
    t.ok(sizes[sizes.length - 1] < Math.max(...sizes), `scales back in afterwards (end ${sizes[sizes.length - 1]})`);
  });
}
