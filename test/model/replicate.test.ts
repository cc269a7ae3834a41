// Replications: independent seeds, and a confidence interval that contains the truth when the
// truth is known (M/M/1 with ρ = 0.8: mean response W = 1/(μ−λ) = 5 s).
import t from 'tap';
import { parseScenario } from '../../src/scenario/index.ts';
import { replicate } from '../../src/model/replicate.ts';

const mm1 = parseScenario({
  name: 'mm1', seed: 100, duration: '60000s', warmup: '6000s', sampleInterval: '1h',
  traffic: { rate: 0.8 },
  components: { server: { kind: 'pool', instances: 1, workers: 1, serviceTime: { dist: 'exponential', mean: '1s' } } },
  slo: [{ metric: 'latency.mean', max: '5s' }],
}, 'mm1.yaml', '.');

t.test('the 95% CI of the mean response across replications contains W = 5 s', async (t) => {
  const { summary } = replicate(mm1, 10);
  const r = summary.replications!;
  t.equal(r.n, 10);
  t.same(r.seeds, [100, 101, 102, 103, 104, 105, 106, 107, 108, 109], 'consecutive seeds');
  const mean = r.stats.find((x) => x.metric === 'latency.mean')!;
  t.ok(mean.low <= 5 && 5 <= mean.high, `W = 5 in [${mean.low.toFixed(3)}, ${mean.high.toFixed(3)}]`);
  t.ok(mean.min < mean.max, 'replications differ');
  t.equal(summary.scenario.seed, 100, 'the rest of the summary is the first replication');
  const slo = r.slo[0];
  t.ok(slo.passed > 0 && slo.passed < 10, `an SLO at the true mean is met by some replications and not others (${slo.passed} of 10)`);
});

t.test('fewer than two replications is refused', async (t) => {
  t.throws(() => replicate(mm1, 1), /at least 2/);
});
