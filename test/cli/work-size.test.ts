// The work-size guard (issue 8, point 3): the estimate before a run, checked against what a run
// does, and the refusals of the inputs that used to hang.
import t from 'tap';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario, parseScenario } from '../../src/scenario/index.ts';
import { runScenario } from '../../src/model/index.ts';
import { LIMITS, estimateWork, judgeWork } from '../../src/model/work-size.ts';
import { MAX_INSTANCES } from '../../src/model/lifecycle.ts';

const root = join(import.meta.dirname, '../..');
const mm1 = (change: (s: Record<string, any>) => void = () => {}) => {
  const s: Record<string, any> = {
    name: 'mm1', duration: '10m', sampleInterval: '1m', traffic: { rate: 0.8 },
    components: { server: { kind: 'pool', instances: 1, serviceTime: { dist: 'exponential', mean: '1s' } } },
  };
  change(s);
  return parseScenario(s, 'mm1.yaml', '.');
};
const verdict = (change: (s: Record<string, any>) => void, replications = 1) => {
  const sc = mm1(change);
  return judgeWork(sc, estimateWork(sc, replications));
};

t.test('every shipped scenario runs without asking', async (t) => {
  for (const sub of ['scenarios', 'scenarios/compare']) {
    for (const f of readdirSync(join(root, sub)).filter((x) => x.endsWith('.yaml'))) {
      const sc = loadScenario(join(root, sub, f));
      t.equal(judgeWork(sc, estimateWork(sc, 1))?.message ?? null, null, `${sub}/${f}`);
    }
  }
});

t.test('the expected requests are what a run draws (Poisson 99.9 % bounds)', async (t) => {
  const sc = parseScenario({
    duration: '1h', sampleInterval: '1m', startTime: '2026-11-27T17:00:00Z',
    traffic: { rate: { sum: [{ diurnal: { min: 5, max: 40, peakHour: 20 } }, { spike: { base: 0, peak: 80, at: '17:20', rise: '1m', hold: '5m', decay: '2m' } }] } },
    components: { web: { kind: 'pool', instances: 4, workers: 8, serviceTime: '10ms' } },
  }, 'x.yaml', '.');
  const est = estimateWork(sc, 1);
  const { summary, rows } = runScenario(sc);
  const n = summary.totals.arrivals;
  t.ok(Math.abs(n - est.requests) <= 3.3 * Math.sqrt(est.requests), `${n} arrivals, ${est.requests.toFixed(0)} expected`);
  t.equal(est.seriesRows, rows.length, 'series rows exactly');
});

t.test('the inputs that used to hang are refused, naming the field', async (t) => {
  const rate = verdict((s) => (s.traffic.rate = 1e12));
  t.equal(rate?.hard, false, 'rate 1e12: --force may run it');
  t.match(rate?.message, /^mm1\.yaml: traffic\.rate: too much work to run without asking: about 6\.0e14 requests, .* about \d+ years of CPU .*pass --force/);
  const instances = verdict((s) => (s.components.server.instances = 1e9));
  t.equal(instances?.hard, true, 'instances 1e9: beyond the simulator, --force cannot help');
  t.equal(instances?.message, `mm1.yaml: components.server.instances: expected at most ${MAX_INSTANCES.toLocaleString('en-US')} instances per pool (the simulator's limit), got 1 billion`);
  const sampling = verdict((s) => (s.sampleInterval = '1us'));
  t.equal(sampling?.hard, true);
  t.match(sampling?.message, /^mm1\.yaml: sampleInterval: the run would write 1\.2 billion rows of time series \(112 GiB of timeseries\.csv\), more than the 400 MiB/);
  // 20 days at 1 s: 3.46 M rows × 1.7 KB is more than the 4 GiB Node may use here; 30 days would
  // also write more timeseries.csv than a run's files may hold (5.18 M rows × 100 B > 400 MiB).
  const days20 = verdict((s) => { s.duration = '20d'; s.sampleInterval = '1s'; });
  t.equal(days20?.hard, true, '20 days at 1 s: more memory than Node may use');
  t.match(days20?.message, /^mm1\.yaml: sampleInterval: too big to fit: about \d+(\.\d+)? GiB of memory for 3\.46 million rows/);
  const month = verdict((s) => { s.duration = '30d'; s.sampleInterval = '1s'; });
  t.match(month?.message, /^mm1\.yaml: sampleInterval: the run would write 5\.18 million rows of time series \(494 MiB of timeseries\.csv\), more than the 400 MiB/);
  t.equal(verdict((s) => { s.duration = '30d'; s.sampleInterval = '10s'; }), null, '30 days at 10 s runs');
});

t.test('replications multiply the CPU; the limits are what they say', async (t) => {
  const one = estimateWork(mm1(), 1), ten = estimateWork(mm1(), 10);
  t.ok(Math.abs(ten.cpuSeconds - 10 * one.cpuSeconds) < 1e-9);
  t.equal(LIMITS.cpuSeconds, 600);
  // 100 r/s for a day is 8.64 M requests of one visit each: about 5 s of CPU, fine once, not 200 times
  const day = (s: Record<string, any>) => { s.duration = '24h'; s.traffic.rate = 100; s.components.server.workers = 200; };
  t.equal(verdict(day, 1), null);
  t.match(verdict(day, 200)?.message, /× 200 replications/);
});

t.test('a closed model: at most one request per user per think time', async (t) => {
  const sc = parseScenario({
    duration: '1h', traffic: { closed: { users: 100, thinkTime: { dist: 'exponential', mean: '10s' } } },
    components: { web: { kind: 'pool', instances: 1, workers: 100, serviceTime: '10ms' } },
  }, 'c.yaml', '.');
  t.equal(Math.round(estimateWork(sc, 1).requests), 36000);
});
