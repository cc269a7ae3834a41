// The Deployment controller's arithmetic against Kubernetes' own test cases, then a rolling
// update run in the simulator: whatever replicas, maxSurge, maxUnavailable, minReadySeconds and
// boot times, it never has fewer than replicas − maxUnavailable pods ready nor more than
// replicas + maxSurge pods (as the controller counts them, from ReplicaSet specs) at any instant.
import t from 'tap';
import fc from 'fast-check';
import { cleanupUnhealthy, newRSNewReplicas, reconcileOld, resolveFenceposts, scaleDownOld, scaled } from '../../src/model/rollout-kubernetes.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import { Simulation } from '../../src/model/index.ts';
import { Life } from '../../src/model/fleet.ts';
import type { PoolRuntime } from '../../src/model/pool.ts';

const n = (value: number) => ({ value, percent: false });
const pc = (value: number) => ({ value, percent: true });

t.test('ResolveFenceposts (pkg/controller/deployment/util/deployment_util_test.go TestResolveFenceposts)', async (t) => {
  t.same(resolveFenceposts(pc(0), pc(0), 0), [0, 1], '0%/0% of 0: maxUnavailable becomes 1');
  t.same(resolveFenceposts(pc(39), pc(39), 10), [4, 3], '39% of 10: surge rounds up to 4, unavailable down to 3');
  // and the doc comment's cases (ResolveFenceposts in deployment_util.go)
  t.same(resolveFenceposts(pc(0), pc(1), 2), [0, 1], '2 desired, unavailable 1%, surge 0% → old −1 first');
  t.same(resolveFenceposts(pc(1), pc(25), 2), [1, 0], '2 desired, unavailable 25%, surge 1% → new +1 first');
  t.same(resolveFenceposts(pc(25), pc(25), 8), [2, 2], '25% of 8 both ways');
  t.equal(scaled(pc(25), 10, true), 3, '25% of 10 rounds up to 3 for surge');
  t.equal(scaled(pc(25), 10, false), 2, 'and down to 2 for unavailable');
});

t.test('NewRSNewReplicas (deployment_util_test.go TestNewRSNewReplicas)', async (t) => {
  // the test's fixture: one other RS (rs5) of 5 replicas beside the new one
  t.equal(newRSNewReplicas(1, 1, 5 + 5, 5), 5, 'can not scale up - to newRSReplicas');
  t.equal(newRSNewReplicas(6, 10, 5 + 2, 2), 6, 'scale up - to depReplicas');
});

t.test('reconcileNewReplicaSet (rolling_test.go TestDeploymentController_reconcileNewReplicaSet)', async (t) => {
  // deploymentReplicas, maxSurge, oldReplicas, newReplicas → expected new replicas (or no scaling)
  const cases: Array<[number, number, number, number, number | null]> = [
    [10, 0, 10, 0, null],
    [10, 2, 10, 0, 2],
    [10, 2, 5, 0, 7],
    [10, 2, 10, 2, null],
  ];
  for (const [D, surge, old, fresh, want] of cases) {
    const next = newRSNewReplicas(D, surge, old + fresh, fresh);
    t.equal(next === fresh ? null : next, want, `replicas ${D}, maxSurge ${surge}, old ${old}, new ${fresh}`);
  }
  // newReplicas 11 > 10: the controller scales the new RS down to the replicas (the branch before NewRSNewReplicas)
});

t.test('reconcileOldReplicaSets (rolling_test.go TestDeploymentController_reconcileOldReplicaSets)', async (t) => {
  // deploymentReplicas, maxUnavailable, oldReplicas, newReplicas, readyOld, readyNew → expected old replicas (null: no scaling)
  const cases: Array<[number, number, number, number, number, number, number | null]> = [
    [10, 0, 10, 0, 10, 0, 9],
    [10, 2, 10, 0, 10, 0, 8],
    [10, 2, 10, 0, 8, 0, 8], // unhealthy old replicas cleaned up
    [10, 2, 10, 0, 9, 0, 8], // one cleaned up, one ready pod scaled down
    [10, 2, 8, 2, 8, 0, null], // the new RS's unavailable pods block further scale-down
  ];
  for (const [D, unavailable, old, fresh, readyOld, readyNew, want] of cases) {
    // maxSurge 0 as in the test; ResolveFenceposts would make maxUnavailable 1 when both are 0
    const [, maxUnavailable] = resolveFenceposts(n(0), n(unavailable), D);
    const specs = reconcileOld(D, maxUnavailable, { spec: fresh, available: readyNew }, [{ spec: old, available: readyOld }]);
    t.equal(specs === null ? null : specs[0], want, `replicas ${D}, maxUnavailable ${unavailable}, old ${old}/${readyOld} ready, new ${fresh}/${readyNew} ready`);
  }
});

t.test('cleanupUnhealthyReplicas (rolling_test.go TestDeploymentController_cleanupUnhealthyReplicas)', async (t) => {
  // oldReplicas 10, readyPods 8 (2 unhealthy), maxCleanupCount → cleanupCountExpected
  for (const [ready, max, want] of [[8, 1, 1], [8, 3, 2], [8, 0, 0], [10, 3, 0]]) {
    const specs = [10];
    t.equal(cleanupUnhealthy([{ spec: 10, available: ready }], specs, max), want, `ready ${ready}, maxCleanupCount ${max}`);
    t.equal(specs[0], 10 - want);
  }
});

t.test('scaleDownOldReplicaSetsForRollingUpdate (rolling_test.go TestDeploymentController_scaleDownOldReplicaSetsForRollingUpdate)', async (t) => {
  // replicas, maxUnavailable (maxSurge 0), readyPods, oldReplicas → expected old replicas (null: no scaling)
  const cases: Array<[number, number, number, number, number | null]> = [
    [10, 0, 10, 10, 9],
    [10, 2, 10, 10, 8],
    [10, 2, 8, 10, null],
    [10, 2, 10, 0, null],
    [10, 2, 1, 10, null],
  ];
  for (const [D, unavailable, ready, old, want] of cases) {
    const [, maxUnavailable] = resolveFenceposts(n(0), n(unavailable), D);
    const specs = [old];
    const taken = scaleDownOld(D, maxUnavailable, ready, specs);
    t.equal(taken === 0 ? null : specs[0], want, `replicas ${D}, maxUnavailable ${unavailable}, ready ${ready}, old ${old}`);
  }
});

t.test('a rolling update keeps replicas − maxUnavailable ready and at most replicas + maxSurge pods', async (t) => {
  const settings = fc.record({
    replicas: fc.integer({ min: 1, max: 12 }),
    surge: fc.oneof(fc.integer({ min: 0, max: 4 }).map((v) => v), fc.integer({ min: 0, max: 100 }).map((v) => `${v}%`)),
    unavailable: fc.oneof(fc.integer({ min: 0, max: 4 }).map((v) => v), fc.integer({ min: 0, max: 100 }).map((v) => `${v}%`)),
    minReady: fc.integer({ min: 0, max: 20 }),
    bootMax: fc.integer({ min: 2, max: 60 }),
    seed: fc.integer({ min: 1, max: 1e6 }),
  }).filter((s) => !(parseInt(String(s.surge)) === 0 && parseInt(String(s.unavailable)) === 0));
  let checked = 0, lowReached = 0, highReached = 0;
  fc.assert(fc.property(settings, (s) => {
    const sim = rollout(s.replicas, s.surge, s.unavailable, s.minReady, s.bootMax, s.seed);
    const pool = sim.pool;
    const [maxSurge, maxUnavailable] = resolveFenceposts(fence(s.surge), fence(s.unavailable), s.replicas);
    let ok = true, low = false, high = false;
    sim.onEvent(() => {
      let ready = 0, total = 0;
      for (let i = 0; i < pool.n; i++) {
        if (pool.life[i] === Life.Ready) ready++;
        if (pool.life[i] <= Life.Ready) total++; // in some ReplicaSet's spec (draining pods are not)
      }
      if (ready < s.replicas - maxUnavailable || total > s.replicas + maxSurge) ok = false;
      if (maxUnavailable > 0 && ready === s.replicas - maxUnavailable) low = true;
      if (maxSurge > 0 && total === s.replicas + maxSurge) high = true;
    });
    sim.run();
    const done = pool.timeline.rollouts[0];
    checked++;
    if (low) lowReached++;
    if (high) highReached++;
    return ok && done.outcome === 'complete' && pool.activeOf(1) === s.replicas && pool.activeOf(0) === 0;
  }), { numRuns: 120, seed: 7 });
  t.equal(checked, 120, 'every random rollout completed within the bounds at every event');
  // The bounds are not slack: rollouts go right up to them.
  t.ok(lowReached >= 30, `${lowReached} rollouts had exactly replicas − maxUnavailable ready at some point`);
  t.ok(highReached >= 30, `${highReached} rollouts had exactly replicas + maxSurge pods at some point`);
});

function fence(v: number | string) {
  return typeof v === 'number' ? n(v) : pc(parseInt(v));
}

/** A pool of `replicas` under a Deployment, released at t = 10 s; the callback runs after every event. */
function rollout(replicas: number, surge: number | string, unavailable: number | string, minReady: number, bootMax: number, seed: number) {
  const sc = parseScenario({
    name: 'roll', seed, duration: '1h', sampleInterval: '1m',
    traffic: { rate: 5 },
    components: {
      web: {
        kind: 'pool', workers: 4, serviceTime: '10ms', bootTime: { dist: 'uniform', min: '1s', max: `${bootMax}s` }, readinessDelay: '2s',
        drainTimeout: '5s',
        deploy: {
          apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
          spec: { replicas, minReadySeconds: minReady, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } } },
        },
      },
    },
    releases: [{ at: '10s', pool: 'web', version: 'v2' }],
  }, 'roll.yaml', '.');
  const sim = new Simulation(sc) as unknown as { run(): unknown; dispatch(k: number, a: number): void; components: PoolRuntime[] };
  let after: () => void = () => {};
  const dispatch = sim.dispatch.bind(sim);
  sim.dispatch = (k, a) => { dispatch(k, a); after(); };
  return { pool: sim.components[0], onEvent: (f: () => void) => { after = f; }, run: () => sim.run() };
}
