// Blue-green and canary releases in the simulator: who gets traffic when, how many instances each
// version runs, and the abort rules reading the new version's own figures.
import t from 'tap';
import { parseScenario } from '../../src/scenario/index.ts';
import { runScenario } from '../../src/model/index.ts';
import type { SeriesRow } from '../../src/stats/results.ts';

function scenario(release: Record<string, unknown>) {
  return parseScenario({
    name: 'traffic', seed: 4, duration: '30m', sampleInterval: '10s',
    traffic: { rate: 80 },
    components: {
      nginx: { kind: 'loadBalancer', upstream: 'web', maxFails: 3, failTimeout: '30s', nextUpstream: { on: ['error', 'timeout'], tries: 3 } },
      web: { kind: 'pool', instances: 4, workers: 8, backlog: 100, serviceTime: { dist: 'exponential', mean: '40ms' }, bootTime: '60s', readinessDelay: '5s' },
    },
    releases: [{ at: '5m', pool: 'web', version: 'v2', ...release }],
  }, 'traffic.yaml', '.');
}

const at = (rows: SeriesRow[], name: string) => rows.filter((r) => r.component === name);

t.test("blue-green as the guide's nginx does it: green up in full, traffic switched at once, blue kept then drained", async (t) => {
  const { summary, rows } = runScenario(scenario({ blueGreen: { keepOld: '5m' } }));
  const v1 = at(rows, 'web@v1'), v2 = at(rows, 'web@v2'), web = at(rows, 'web');
  const sw = summary.events!.find((e) => e.kind === 'switch')!;
  t.equal(sw.time, 300 + 65, 'the switch comes when all of green is ready (boot 60 s + readiness 5 s)');
  t.ok(v2.filter((r) => r.time <= sw.time).every((r) => r.offered === 0), 'green takes no request before the switch');
  t.ok(v1.filter((r) => r.time > sw.time + 10).every((r) => r.offered === 0), 'blue takes none after it');
  t.equal(Math.max(...web.map((r) => r.instances_total ?? 0)), 8, 'both fleets run side by side: 8 instances');
  t.equal(v1.at(-1)!.instances_total, 0, 'blue is drained after keepOld');
  t.equal(summary.totals.errors.killed + summary.totals.errors.refused, 0, 'nothing fails at the switch');
  t.match(summary.disruptions!.find((d) => d.kind === 'release')!.outcome!, /^complete/);
});

t.test('a blue-green switch is undone when the new version trips its abort rule while blue is kept', async (t) => {
  const { summary, rows } = runScenario(scenario({ errorRate: '20%', blueGreen: { keepOld: '10m', abort: { errorRate: '5%' } } }));
  const d = summary.disruptions!.find((x) => x.kind === 'release')!;
  t.match(d.outcome!, /^rolled back/, `switched back (${d.outcome})`);
  const back = summary.events!.find((e) => e.kind === 'rollback')!;
  t.match(back.detail, /error rate .* > 5\.00%/, back.detail);
  t.ok(at(rows, 'web@v1').filter((r) => r.time > back.time + 10).every((r) => r.offered > 0), 'blue serves again');
  t.equal(at(rows, 'web@v2').at(-1)!.instances_total, 0, 'green is gone');
});

t.test('a canary takes its share of the replicas step by step and is promoted', async (t) => {
  const { summary, rows } = runScenario(scenario({ canary: { steps: [{ weight: '25%', pause: '3m' }, { weight: '50%', pause: '3m' }] } }));
  const v2 = at(rows, 'web@v2');
  const wanted = (time: number) => v2.find((r) => r.time >= time)!.instances_desired;
  t.equal(wanted(310), 1, '25% of 4: 1 replica');
  t.equal(wanted(490), 2, '50% of 4: 2 replicas');
  t.equal(wanted(700), 4, 'promoted: all 4');
  t.equal(at(rows, 'web@v1').at(-1)!.instances_total, 0, 'no old replica left');
  t.match(summary.disruptions!.find((x) => x.kind === 'release')!.outcome!, /^complete/);
});

// Exponential service: p99 = ln(100) × mean, 184 ms at 40 ms and 258 ms at 56 ms; over the ~2,300
// requests of a step the estimate's standard error is about 4.5 %, so a 220 ms rule tells them apart.
t.test("a canary 40% slower is aborted on its p99 at the first step", async (t) => {
  const { summary, rows } = runScenario(scenario({
    serviceTime: { dist: 'exponential', mean: '56ms' },
    canary: { steps: [{ weight: '25%', pause: '3m' }, { weight: '50%', pause: '3m' }], abort: { latencyP99: '220ms' } },
  }));
  const abort = summary.events!.find((e) => e.kind === 'aborted')!;
  t.equal(abort.time, 300 + 180, 'judged at the end of the first step');
  t.match(abort.detail, /p99 2\d\d ms > 220 ms/, abort.detail);
  t.equal(at(rows, 'web@v2').at(-1)!.instances_total, 0, 'the canary is gone');
  t.equal(at(rows, 'web@v1').at(-1)!.instances_total, 4, 'all replicas on the old version');
  // the same canary as fast as the old one passes the same rule
  const fast = runScenario(scenario({ canary: { steps: [{ weight: '25%', pause: '3m' }], abort: { latencyP99: '220ms' } } }));
  t.match(fast.summary.disruptions!.find((x) => x.kind === 'release')!.outcome!, /^complete/, 'an equally fast canary is promoted');
});
