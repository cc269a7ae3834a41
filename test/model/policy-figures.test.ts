// What the autoscaler saw, carried from the engine through the simulator into the results: the
// series columns hold the engine's own figures, a saturated pool reads 100 % of the machine on AWS
// and cpuLimit / cpuRequest × 100 % of the request on the HPA (types.ts), and a pool held at its
// maximum while the policy wanted more is measured and said.
import t from 'tap';
import { runScenario } from '../../src/model/index.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import { readSeriesCsv, writeSeriesCsv } from '../../src/report/series-csv.ts';
import { formatSummary } from '../../src/cli/summary-table.ts';
import type { PoolSummary, SeriesRow } from '../../src/stats/results.ts';

const HPA = {
  apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 2,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
  },
};
const AWS = {
  autoScalingGroup: { MinSize: 2, MaxSize: 2, DefaultInstanceWarmup: 60 },
  policies: [{ PolicyName: 'cpu', PolicyType: 'TargetTrackingScaling', TargetTrackingConfiguration: { TargetValue: 70, PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' } } }],
};

/** Two instances of four workers at 100 ms each (80 r/s) offered 200 r/s: every worker busy all the time. */
function saturated(autoscaling: unknown, sampleInterval = '5s') {
  return parseScenario({
    name: 'saturated', seed: 3, duration: '10m', sampleInterval,
    traffic: { rate: 200 },
    components: {
      web: {
        kind: 'pool', instances: 2, workers: 4, serviceTime: { dist: 'constant', value: '100ms' },
        cpuRequest: '250m', cpuLimit: '500m', metrics: { scrapeInterval: '15s', window: '60s' }, autoscaling,
      },
    },
  }, 'saturated.yaml', '.');
}

const after = (rows: SeriesRow[], t0: number) => rows.filter((r) => r.component === 'web' && r.time >= t0);

t.test('HPA: all workers busy reads cpuLimit / cpuRequest × 100 = 200 % of the request; wants 6, max 2', async (t) => {
  const { summary, rows } = runScenario(saturated(HPA));
  const late = after(rows, 120);
  t.ok(late.length > 50);
  t.ok(late.every((r) => r.policy?.['observed:cpu utilization'] === 200), 'every held value is 200 %');
  t.ok(late.every((r) => r.policy?.['threshold:cpu utilization:target'] === 70), 'against the 70 % target');
  t.ok(late.every((r) => r.wanted === 6), 'the wish: ceil(2 × 200 / 70) = 6');
  const a = (summary.components.web as PoolSummary).autoscaling!;
  t.same([a.policy, a.min, a.max], ['hpa', 2, 2]);
  t.ok(a.pinnedAtMax, 'pinned at max');
  t.equal(a.pinnedAtMax!.peakWanted, 6);
  t.ok(a.pinnedAtMax!.seconds >= 600 - 60 && a.pinnedAtMax!.seconds <= 600 - a.pinnedAtMax!.from + 1e-9, `held at max from ${a.pinnedAtMax!.from} s to the end (${a.pinnedAtMax!.seconds} s)`);
  t.match(formatSummary(summary), /at max {5}web sat at its maximum of 2 instances for \d+ min \(from t=\d+ s\) while the HPA wanted up to 6: cpu utilization 200 % against a target of 70 %\./);
});

t.test('AWS: the same saturated pool reads 100 % of the instance, never more', async (t) => {
  const { summary, rows } = runScenario(saturated(AWS));
  const values = rows.filter((r) => r.component === 'web').map((r) => r.policy?.['observed:ASGAverageCPUUtilization Average 60s']).filter((v): v is number => v !== undefined);
  t.ok(values.length > 50, 'the alarm reported datapoints');
  t.ok(values.every((v) => v <= 100), `never above 100 % (max ${Math.max(...values)})`);
  t.ok(after(rows, 180).every((r) => Math.abs(r.policy!['observed:ASGAverageCPUUtilization Average 60s']! - 100) < 1e-6), 'saturated: 100 %');
  // one sample per 60 s sync into one-minute periods: the high alarm has its 3 of 3 datapoints at t = 240
  t.ok(after(rows, 240).every((r) => r.wanted === 3), 'target tracking wants ceil(2 × 100 / 70) = 3 once its alarm fires');
  const a = (summary.components.web as PoolSummary).autoscaling!;
  t.same(a.figures.map((f) => [f.threshold, f.op, f.target]), [['TargetTracking-cpu-AlarmHigh', '>', 70], ['TargetTracking-cpu-AlarmLow', '<', 63]]);
  t.equal(a.pinnedAtMax?.peakWanted, 3);
});

t.test('the series holds the engine\'s own figures from one decision to the next; the CSV round-trips them', async (t) => {
  // an HPA that can scale: its scaling events carry what it decided on; the rows after each event hold exactly that
  const free = { ...HPA, spec: { ...HPA.spec, maxReplicas: 20 } };
  const sc = saturated(free);
  const { summary, rows } = runScenario(sc);
  t.ok(summary.scaling.length >= 2, `it scaled (${summary.scaling.length} events)`);
  for (const e of summary.scaling) {
    const held = rows.filter((r) => r.component === 'web' && r.time > e.time && r.time < e.time + 15);
    t.ok(held.length > 0, `rows between t=${e.time} and the next sync`);
    for (const r of held) {
      t.equal(r.wanted, e.unclamped, `t=${r.time}: wanted = the decision's unclamped (${e.unclamped})`);
      t.equal(r.policy?.['observed:cpu utilization'], e.observed![0]!.value, `t=${r.time}: the decision's cpu utilization`);
    }
  }
  const back = readSeriesCsv(writeSeriesCsv(rows));
  t.equal(back.length, rows.length);
  t.strictSame(back.map((r) => [r.time, r.component, r.wanted, r.policy]), rows.map((r) => [r.time, r.component, r.wanted, r.policy]), 'policy columns round-trip');
});
