// Faults in the simulator: restart policies against their sources, a zone's instances stopping at
// the fault time with their in-flight work failing as `killed`, the manager's replacement, crash
// loops under the kubelet's backoff, and determinism with faults on.
import t from 'tap';
import { RestartTracker } from '../../src/model/restart.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import { Simulation, runScenario } from '../../src/model/index.ts';
import { summarise } from '../../src/model/summary.ts';
import { writeSeriesCsv } from '../../src/report/series-csv.ts';
import { Life } from '../../src/model/fleet.ts';
import type { PoolRuntime } from '../../src/model/pool.ts';

t.test("the kubelet's CrashLoopBackOff (kuberuntime_manager.go doBackOff, flowcontrol/backoff.go)", async (t) => {
  const r = new RestartTracker({ kind: 'kubelet' });
  // A container that crashes 1 s after every start: restart delays 0, 10, 20, … capped at 300 s.
  let now = 0;
  const delays: number[] = [];
  for (let k = 0; k < 9; k++) {
    now += 1; // runs 1 s, then exits
    const d = r.onExit(0, now, true);
    delays.push(d);
    now += d;
    r.onStart(0, now);
  }
  t.same(delays, [0, 10, 20, 40, 80, 160, 300, 300, 300], 'first restart at once, then 10 s doubling to MaxContainerBackOff');
  // Running more than 2 × 300 s since the last (re)start: the backoff starts again (hasExpired).
  now += 601;
  t.equal(r.onExit(0, now, true), 0, 'after 10 min of running the next crash restarts at once');
  now += 1;
  t.equal(r.onExit(0, now, true), 10, 'and the one after waits 10 s again');
  // Exactly 600 s is not expired (hasExpired uses >).
  const q = new RestartTracker({ kind: 'kubelet' });
  q.onExit(1, 0, true); q.onStart(1, 0);
  t.equal(q.onExit(1, 600, true), 10, 'a crash exactly 600 s after the last start still backs off');
});

t.test("Swarm's restart_policy (swarmkit restart.go ShouldRestart)", async (t) => {
  const none = new RestartTracker({ kind: 'swarm', condition: 'none', delay: 5, maxAttempts: 0, window: 0 });
  t.equal(none.onExit(0, 1, true), -1, 'condition none: never restarted');
  const onFailure = new RestartTracker({ kind: 'swarm', condition: 'on-failure', delay: 5, maxAttempts: 0, window: 0 });
  t.equal(onFailure.onExit(0, 1, false), -1, 'on-failure: a clean exit is not restarted');
  t.equal(onFailure.onExit(0, 1, true), 5, 'on-failure: a failure restarts after delay');
  // The guide's policy: on-failure, delay 5s, max_attempts 3, no window: three restarts, then none.
  const guide = new RestartTracker({ kind: 'swarm', condition: 'on-failure', delay: 5, maxAttempts: 3, window: 0 });
  t.same([10, 20, 30, 40].map((at) => guide.onExit(0, at, true)), [5, 5, 5, -1], 'max_attempts 3: the fourth failure stays down');
  // With a window only the restarts inside it count.
  const win = new RestartTracker({ kind: 'swarm', condition: 'any', delay: 1, maxAttempts: 2, window: 60 });
  t.same([0, 10, 20, 75, 80, 100].map((at) => win.onExit(3, at, true)), [1, 1, -1, 1, 1, -1],
    'max_attempts 2 within 60 s: the third in a window is refused; restarts older than the window no longer count');
});

/** A scenario in three zones with one instance each, reached directly or through nginx; the callback sees every event. */
function zoned(extra: Record<string, unknown>, web: Record<string, unknown> = {}, balancer = false) {
  const sc = parseScenario({
    name: 'zoned', seed: 11, duration: '10m', sampleInterval: '10s', zones: ['a', 'b', 'c'],
    traffic: { rate: 3 },
    components: {
      ...(balancer ? { lb: { kind: 'loadBalancer', upstream: 'web', maxFails: 1, failTimeout: '10s', nextUpstream: { on: ['timeout'] } } } : {}),
      web: { kind: 'pool', instances: 3, workers: 4, backlog: 20, serviceTime: { dist: 'exponential', mean: '2s' }, ...web },
    },
    ...extra,
  }, 'zoned.yaml', '.');
  const sim = new Simulation(sc) as unknown as { run(): ReturnType<Simulation['run']>; dispatch(k: number, a: number): void; components: PoolRuntime[]; now: number };
  return { sim, pool: sim.components[balancer ? 1 : 0] };
}

t.test("a lost zone's instances stop serving at the fault time and their in-flight requests fail as killed", async (t) => {
  for (const balancer of [false, true]) {
    const { sim, pool } = zoned({ faults: [{ at: '5m', zoneOutage: 'b' }] }, {}, balancer);
    // Watch what instance b holds when the zone goes, and every answer by zone and time.
    let heldAtFault = -1;
    const lose = pool.lose.bind(pool);
    pool.lose = (inst: number, after: number, why: string) => {
      if (pool.cfg.zones[pool.zone[inst]] === 'b') heldAtFault = pool.busy[inst] + pool.backlogs[inst].live;
      lose(inst, after, why);
    };
    const answers: Array<{ time: number; zone: string }> = [];
    const p = pool as unknown as { onRequest(code: number, s: number): void };
    const depart = p.onRequest.bind(pool);
    p.onRequest = (code: number, s: number) => {
      const req = (pool as unknown as { run: { req: { inst: Int32Array; state: Uint8Array } } }).run.req;
      const inst = req.inst[s];
      if (req.state[s] !== 4 && inst !== pool.grave) answers.push({ time: sim.now, zone: pool.cfg.zones[pool.zone[inst]] });
      depart(code, s);
    };
    const run = sim.run();
    const s = summarise(run);
    const label = balancer ? 'through nginx without `error` retries' : 'reached directly';
    t.ok(heldAtFault > 0, `${label}: zone b's instance held ${heldAtFault} requests when the zone went`);
    t.equal(s.totals.errors.killed, heldAtFault, `${label}: exactly those failed, with cause killed`);
    t.ok(answers.some((a) => a.zone === 'b' && a.time < 300), `${label}: b answered before the fault`);
    t.notOk(answers.some((a) => a.zone === 'b' && a.time >= 300), `${label}: and nothing after it`);
    t.ok(answers.some((a) => a.zone !== 'b' && a.time >= 300), `${label}: a and c go on answering`);
    t.equal(pool.life[1], Life.Down, 'with nothing to replace it, the lost instance stays down');
    if (balancer) {
      // nginx keeps the dead server in its upstream: the killed requests count against it, so
      // max_fails takes it out at once; after fail_timeout a probe's connect gets no answer and
      // hangs proxy_connect_timeout (60 s) — never a refusal: a lost host sends no reset
      t.equal(s.totals.errors.refused, 0, 'no connection to the lost host is refused');
      t.ok(run.balancers[0].upstream.markedDown > 0, 'max_fails takes it out for fail_timeout');
      t.ok(run.balancers[0].connectTimeouts > 0, `probes after fail_timeout hang until the connect timeout (${run.balancers[0].connectTimeouts})`);
    }
  }
});

t.test('an Auto Scaling group replaces a lost instance after its health check, in a zone that is up', async (t) => {
  const { sim, pool } = zoned({ faults: [{ at: '2m', zoneOutage: 'b', for: '5m' }] }, { replacement: { afterZoneLoss: '90s' }, bootTime: '30s' });
  const run = sim.run();
  const s = summarise(run);
  const replaced = s.events!.find((e) => e.kind === 'replaced');
  t.equal(replaced?.time, 120 + 90, 'noticed 90 s after the zone went');
  t.equal(pool.n - (pool.grave >= 0 ? 1 : 0), 4, 'one instance launched in its place');
  const fresh = pool.n - 1;
  t.not(pool.cfg.zones[pool.zone[fresh]], 'b', 'the replacement went to a zone that is up');
  t.equal(pool.life[fresh], Life.Ready, 'and serves');
});

t.test("a crash loop under the kubelet's backoff restarts at 0, 10, 20, 40 s", async (t) => {
  const sc = parseScenario({
    name: 'loop', seed: 3, duration: '10m', sampleInterval: '10s',
    traffic: { rate: 1 },
    components: {
      web: {
        kind: 'pool', instances: 1, workers: 2, serviceTime: '10ms', readinessDelay: '1s',
        deploy: { apiVersion: 'apps/v1', kind: 'Deployment', spec: { replicas: 1 } },
      },
    },
    faults: [{ at: '60s', crash: 'web', for: '60s' }],
  }, 'loop.yaml', '.');
  const s = runScenario(sc).summary;
  const restarts = s.events!.filter((e) => e.kind === 'restarted').map((e) => e.time);
  // crash at 60: restart at once (60), crashes on start; 60+10 = 70; 70+20 = 90; 90+40 = 130 (the loop's window is over)
  t.same(restarts, [60, 70, 90, 130], 'restarts by the backoff; the one after the window stays up');
  t.ok(s.totals.errors.killed + s.totals.errors.noUpstream > 0, 'requests failed while it was down');
});

t.test('same seed, same bytes with faults and a release on', async (t) => {
  const raw = {
    name: 'det', seed: 5, duration: '20m', sampleInterval: '10s', zones: ['a', 'b', 'c'],
    traffic: { rate: 60 },
    components: {
      lb: { kind: 'loadBalancer', upstream: 'web', maxFails: 3, failTimeout: '30s', nextUpstream: { on: ['error', 'timeout'], tries: 3 } },
      web: {
        kind: 'pool', instances: 6, workers: 4, backlog: 50, serviceTime: { dist: 'lognormal', median: '30ms', p99: '200ms' }, bootTime: '20s',
        deploy: { apiVersion: 'apps/v1', kind: 'Deployment', spec: { replicas: 6, template: { spec: { containers: [{ name: 'app', livenessProbe: { periodSeconds: 5, timeoutSeconds: 1 } }] } } } },
      },
    },
    faults: [
      { at: '3m', zoneOutage: 'b', for: '4m' }, { at: '9m', crash: 'web', percent: '50%', for: '30s' },
      { at: '11m', slow: 'web', factor: 3, for: '1m' }, { at: '13m', errors: 'web', fraction: '5%', status: 503, for: '1m' },
    ],
    releases: [{ at: '15m', pool: 'web', version: 'v2', serviceTime: { dist: 'lognormal', median: '40ms', p99: '250ms' } }],
    slo: [{ metric: 'latency.p99', max: '300ms' }, { metric: 'errorRate', max: '1%' }],
  };
  const once = () => {
    const r = runScenario(parseScenario(raw, 'det.yaml', '.'));
    return JSON.stringify(r.summary) + writeSeriesCsv(r.rows);
  };
  const a = once(), b = once();
  t.equal(a, b, 'two runs, byte for byte');
  t.ok(a.length > 10000 && a.includes('"killed"') && a.includes('web@v2'), 'with faults, failures and both versions in them');
  const other = runScenario(parseScenario({ ...raw, seed: 6 }, 'det.yaml', '.'));
  t.not(JSON.stringify(other.summary) + writeSeriesCsv(other.rows), a, 'another seed, other bytes');
});
