// Swarm's updater in the simulator against swarmkit's own behaviour: failure_action pause and
// continue as TestUpdaterFailureAction (manager/orchestrator/update/updater_test.go) sets them up,
// and failure_action rollback firing exactly when failures / tasks to update passes
// max_failure_ratio (updater.go failureTriggersAction: float32(failures)/float32(len(dirtySlots)) > ratio).
import t from 'tap';
import { parseScenario } from '../../src/scenario/index.ts';
import { runScenario, Simulation } from '../../src/model/index.ts';
import { Life } from '../../src/model/fleet.ts';
import type { PoolRuntime } from '../../src/model/pool.ts';

function swarm(replicas: number, update: Record<string, unknown>, release: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return parseScenario({
    name: 'swarm', seed: 1, duration: '1h', sampleInterval: '30s',
    traffic: { rate: 2 },
    components: {
      web: {
        kind: 'pool', workers: 4, serviceTime: '20ms', bootTime: '10s', readinessDelay: '2s', drainTimeout: '5s',
        deploy: { replicas, restart_policy: { condition: 'on-failure', delay: '5s', max_attempts: 3 }, update_config: update },
        ...extra,
      },
    },
    releases: [{ at: '1m', pool: 'web', version: 'v2', ...release }],
  }, 'swarm.yaml', '.');
}

function versions(pool: PoolRuntime): { v1: number; v2: number; v2up: number } {
  let v1 = 0, v2 = 0, v2up = 0;
  for (let i = 0; i < pool.n; i++) {
    if (pool.life[i] > Life.Ready) continue;
    if (pool.version[i] === 0) v1++;
    else { v2++; if (pool.life[i] === Life.Ready) v2up++; }
  }
  return { v1, v2, v2up };
}

t.test('failure_action pause, then continue (updater_test.go TestUpdaterFailureAction)', async (t) => {
  // 3 instances, parallelism 1, new tasks fail: the update pauses after the first, leaving 2 old and 1 new
  const paused = new Simulation(swarm(3, { parallelism: 1, delay: '500ms', monitor: '500ms', failure_action: 'pause' }, { crashOnStart: true }));
  const run = paused.run();
  const pool = run.pools[0];
  t.same(versions(pool), { v1: 2, v2: 1, v2up: 0 }, 'instances-1 old, 1 new (failing)');
  t.equal(pool.timeline.rollouts[0].outcome, 'paused', 'UpdateStatus PAUSED');
  // FailureAction CONTINUE: every task is updated whatever fails
  const cont = new Simulation(swarm(3, { parallelism: 1, delay: '500ms', monitor: '500ms', failure_action: 'continue' }, { crashOnStart: true })).run();
  t.same(versions(cont.pools[0]), { v1: 0, v2: 3, v2up: 0 }, 'all 3 tasks on the new version');
  t.equal(cont.pools[0].timeline.rollouts[0].outcome, 'complete', 'the update completes');
});

t.test('rollback fires exactly when failures / tasks passes max_failure_ratio', async (t) => {
  for (const ratio of [0, 0.1, 0.2, 0.25, 0.3, 0.5]) {
    const run = new Simulation(swarm(10, { parallelism: 1, monitor: '60s', failure_action: 'rollback', max_failure_ratio: ratio }, { crashOnStart: true })).run();
    const pool = run.pools[0];
    const [update, back] = pool.timeline.rollouts;
    // the k-th failure triggers when float32(k)/float32(10) > float32(ratio)
    let k = 1;
    while (!(Math.fround(Math.fround(k) / Math.fround(10)) > Math.fround(ratio))) k++;
    const tasksBefore = [...Array(pool.n).keys()].filter((i) => pool.version[i] === 1 && pool.created[i] <= update.endedAt!).length;
    t.equal(update.outcome, 'rolled back', `ratio ${ratio}: rolled back`);
    t.equal(tasksBefore, k, `ratio ${ratio}: after exactly ${k} failed tasks of 10`);
    t.equal(back?.isRollback, true, 'a rollback update follows');
    t.equal(back?.outcome, 'complete', 'and completes');
    t.same(versions(pool), { v1: 10, v2: 0, v2up: 0 }, 'all 10 back on the old version');
  }
});

t.test("the guide's update_config (parallelism 1, delay 10s, monitor 60s, rollback, max_failure_ratio 0.3) on 3 replicas", async (t) => {
  const guide = { parallelism: 1, delay: '10s', failure_action: 'rollback', monitor: '60s', max_failure_ratio: 0.3 };
  const good = runScenario(swarm(3, guide, {}));
  const outcome = good.summary.disruptions!.find((d) => d.kind === 'release')!.outcome!;
  t.match(outcome, /^complete/, `a release that starts fine completes (${outcome})`);
  const events = good.summary.events!.filter((e) => e.component === 'web').map((e) => e.kind);
  t.ok(events.includes('release') && events.includes('complete'), 'its start and end are in the events');
  const bad = runScenario(swarm(3, guide, { crashOnStart: true }));
  const kinds = bad.summary.disruptions!.map((d) => `${d.kind}: ${d.outcome}`);
  t.match(kinds.join('; '), /release: rolled back.*rollback: complete/, `1 failure of 3 > 0.3: rolled back at once (${kinds.join('; ')})`);
  // one task only was ever started on the new version
  t.equal(bad.rows.filter((r) => r.component === 'web@v2').reduce((m, r) => Math.max(m, r.instances_total ?? 0), 0), 1, 'the series shows one v2 task at most');
});

t.test('stop-first never runs more tasks than replicas, start-first never fewer ready', async (t) => {
  for (const order of ['stop-first', 'start-first'] as const) {
    const sim = new Simulation(swarm(4, { parallelism: 2, delay: '5s', order, monitor: '10s' }, {})) as unknown as { run(): ReturnType<Simulation['run']>; dispatch(k: number, a: number): void; components: PoolRuntime[] };
    const pool = sim.components[0];
    let maxTotal = 0, minReady = Infinity;
    const dispatch = sim.dispatch.bind(sim);
    sim.dispatch = (k, a) => {
      dispatch(k, a);
      let total = 0, ready = 0;
      for (let i = 0; i < pool.n; i++) { if (pool.life[i] <= Life.Ready) total++; if (pool.life[i] === Life.Ready) ready++; }
      maxTotal = Math.max(maxTotal, total);
      minReady = Math.min(minReady, ready);
    };
    sim.run();
    t.equal(pool.timeline.rollouts[0].outcome, 'complete', `${order}: complete`);
    if (order === 'stop-first') t.equal(maxTotal, 4, 'stop-first: never more than the 4 replicas');
    else t.equal(minReady, 4, 'start-first: never fewer than 4 ready');
  }
});
