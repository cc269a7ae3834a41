// A VerticalPodAutoscaler in the simulator: the first eviction of a hand-computed saturated pool (the
// recommender's chain and the updater's rule end to end), the admission controller's size for the
// new pod, Off changing nothing but the figures, and same seed → same bytes.
import t from 'tap';
import { parseScenario } from '../../src/scenario/index.ts';
import { runScenario } from '../../src/model/index.ts';
import { exponentialBuckets } from '../../src/autoscale/vpa-histogram.ts';
import type { PoolSummary } from '../../src/stats/results.ts';
import { writeSeriesCsv } from '../../src/report/series-csv.ts';
import { messageOf } from '../scenario/helpers.ts';

const vpa = (updateMode: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'autoscaling.k8s.io/v1', kind: 'VerticalPodAutoscaler', metadata: { name: 'api' },
  spec: {
    targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
    updatePolicy: { updateMode },
    resourcePolicy: { containerPolicies: [{ containerName: '*', controlledResources: ['cpu'], ...extra }] },
  },
});

/** Two pods of 2 workers, each worker burning 250m, always busy (arrivals far above what they serve). */
function saturated(updateMode: string, duration = '6m') {
  return {
    name: 'sat', seed: 1, duration, sampleInterval: '1m', traffic: { rate: 400 },
    components: {
      api: {
        kind: 'pool', workers: 2, cpuRequest: '250m', cpuLimit: '1', cpuPerWorker: '250m', serviceTime: '20ms', backlog: 'unlimited',
        deploy: { apiVersion: 'apps/v1', kind: 'Deployment', spec: { replicas: 2 } },
        verticalAutoscaling: vpa(updateMode),
      },
    },
    nodes: { pools: { general: { instanceType: 'm6i.xlarge', count: 1, min: 1, max: 1 } } },
  };
}

t.test("a saturated pool's first eviction, by hand", async (t) => {
  // Every sample is 0.5 core (2 busy workers × 250m), weighted by the 250m request. Percentiles: the
  // end of 0.5's bucket; ×1.15 margin. First sample at t = 120 s (the 60 s loop needs a reading
  // before); at t = 300 s the history spans 3 min: confidence 3/1440 d, lower bound × (1 + 0.001 /
  // (3/1440))^−2 = × 0.4565 > 250m for the first time (at 240 s: × 0.338, under it). Budget: 2
  // configured, tolerance ⌊2 × 0.5⌋ = 1: one pod evicted.
  const b = exponentialBuckets(1000, 0.001, 1.05, 1e-4);
  const p = Math.trunc(b.bucketStart(b.findBucket(0.5) + 1) * 1000), target = p + Math.trunc(p * 0.15);
  const lower = (minutes: number) => Math.trunc(target * (1 + 0.001 / (minutes / 1440)) ** -2);
  t.ok(lower(2) < 250 && lower(3) > 250, `lower bound ${lower(2)}m at 240 s, ${lower(3)}m at 300 s`);
  const { summary } = runScenario(parseScenario(saturated('Recreate'), 'sat.yaml', '.'));
  const ev = summary.events!.filter((e) => e.kind === 'vpa-evict');
  t.equal(ev[0]?.time, 300, 'the first eviction at t = 300 s');
  t.equal(ev.filter((e) => e.time === 300).length, 1, 'one pod (the eviction budget)');
  t.match(ev[0].detail, new RegExp(`request 250m outside \\[${lower(3)}m, \\d+m\\]; recreated at ${target}m`));
  const api = summary.components.api as PoolSummary;
  t.equal(api.vertical!.recommendation!.target, target, `target ${target}m`);
});

t.test('Off: a recommendation, no eviction, and the run itself unchanged', async (t) => {
  const off = runScenario(parseScenario(saturated('Off'), 'sat.yaml', '.'));
  const raw = saturated('Off');
  delete (raw.components.api as Record<string, unknown>).verticalAutoscaling;
  const none = runScenario(parseScenario(raw, 'sat.yaml', '.'));
  const a = off.summary.components.api as PoolSummary, b = none.summary.components.api as PoolSummary;
  t.equal((off.summary.events ?? []).filter((e) => e.kind === 'vpa-evict').length, 0, 'no eviction');
  t.ok(a.vertical!.recommendation!.target > 250, 'a recommendation above the request');
  const { vertical: _, ...rest } = a;
  t.same(rest, b, 'every other figure of the pool as without a VPA');
  t.ok(off.rows.some((r) => r.policy?.['threshold:vpa cpu request:target'] === a.vertical!.recommendation!.target), 'the recommendation in the series');
});

t.test('Initial: new pods get the recommendation, running ones keep theirs', async (t) => {
  const raw = saturated('Initial', '10m');
  const raw2 = { ...raw, faults: [{ at: '8m', kill: 'api', count: 1 }] };
  const { summary, rows } = runScenario(parseScenario(raw2, 'sat.yaml', '.'));
  t.equal((summary.events ?? []).filter((e) => e.kind === 'vpa-evict').length, 0, 'Initial never evicts');
  const v = (summary.components.api as PoolSummary).vertical!;
  t.equal(v.updateMode, 'Initial');
  const mean = (r: (typeof rows)[number]) => r.policy?.['observed:vpa cpu request'];
  const api = rows.filter((r) => r.component === 'api');
  t.ok(api.filter((r) => r.time <= 480).every((r) => mean(r) === undefined || mean(r) === 250), 'before the kill both pods ask 250m');
  t.equal(mean(api.at(-1)!), (250 + v.recommendation!.target) / 2, 'after it, the replacement asks for the target: the mean of 250m and the target');
});

t.test('same seed, same bytes with a VPA evicting', async (t) => {
  const once = () => {
    const r = runScenario(parseScenario(saturated('Auto', '8m'), 'sat.yaml', '.'));
    return JSON.stringify(r.summary) + writeSeriesCsv(r.rows);
  };
  const a = once();
  t.equal(a, once());
  t.ok(a.includes('vpa-evict'));
});

t.test('bad VPAs: one line naming the field', async (t) => {
  const bad = (change: (raw: ReturnType<typeof saturated>) => void) => {
    const raw = saturated('Recreate');
    change(raw);
    return messageOf(() => parseScenario(raw, 'x.yaml', '.'));
  };
  t.equal(bad((r) => { (r.components.api.verticalAutoscaling.spec.resourcePolicy.containerPolicies[0] as Record<string, unknown>).controlledResources = ['cpu', 'memory']; }),
    'x.yaml: components.api.verticalAutoscaling.spec.resourcePolicy.containerPolicies[0].controlledResources: expected controlledResources: [cpu] (memory recommendations are not modelled), got ["cpu","memory"]');
  t.match(bad((r) => { r.components.api.verticalAutoscaling.spec.updatePolicy.updateMode = 'Recrate'; }),
    /^x\.yaml: components\.api\.verticalAutoscaling\.spec\.updatePolicy\.updateMode: expected one of Off \| Initial \| Recreate \| Auto \(did you mean "Recreate"\?\).*got "Recrate"$/);
  t.equal(bad((r) => { delete (r as Record<string, unknown>).nodes; }),
    'x.yaml: components.api.verticalAutoscaling: expected a VerticalPodAutoscaler only on a pool whose pods run on nodes: (top-level nodes:) under a Kubernetes Deployment (deploy:, or an HPA), got "a VerticalPodAutoscaler"');
});
