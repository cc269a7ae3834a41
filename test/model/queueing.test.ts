// The simulator against queueing theory's closed forms. Each check runs independent replications
// (different seeds) and asserts that the theoretical value lies inside the 95% confidence
// interval of the replication means — a statement that fails when the model is wrong.
import t from 'tap';
import { parseScenario } from '../../src/scenario/index.ts';
import { runScenario } from '../../src/model/index.ts';
import { ci95 } from '../../src/stats/confidence.ts';
import type { PoolSummary, RunSummary } from '../../src/stats/results.ts';

/** Erlang C: probability an arrival waits in M/M/c with offered load a = λ/μ (a < c). */
function erlangC(c: number, a: number): number {
  let term = 1, sum = 1; // Σ_{k<c} a^k/k!
  for (let k = 1; k < c; k++) { term *= a / k; sum += term; }
  const last = (term * a) / c; // a^c / c!
  const top = last * (c / (c - a));
  return top / (sum + top);
}

function queue(lambda: number, service: unknown, workers: number, duration: number, seed: number): RunSummary {
  const raw = {
    name: 'q', seed, duration: `${duration}s`, warmup: `${duration / 10}s`, sampleInterval: '10m',
    traffic: { rate: lambda },
    components: { server: { kind: 'pool', instances: 1, workers, serviceTime: service } },
  };
  return runScenario(parseScenario(raw, 'test.yaml', '.')).summary;
}

function replicate(n: number, f: (seed: number) => RunSummary): RunSummary[] {
  return Array.from({ length: n }, (_, i) => f(1000 + i));
}

const pool = (s: RunSummary) => s.components.server as PoolSummary;

t.test('Erlang C: M/M/10 with λ = 9/s, μ = 1/s', async (t) => {
  const lambda = 9, c = 10;
  const pw = erlangC(c, lambda); // 0.6687…
  const wq = pw / (c - lambda); // Wq = C(c,a) / (cμ − λ)
  t.ok(Math.abs(pw - 0.66869) < 1e-4, `Erlang C formula sanity: ${pw}`);
  const runs = replicate(12, (seed) => queue(lambda, { dist: 'exponential', mean: '1s' }, c, 40000, seed));
  const wait = ci95(runs.map((r) => pool(r).wait.mean));
  const prob = ci95(runs.map((r) => pool(r).wait.probWait));
  const util = ci95(runs.map((r) => pool(r).utilisation));
  t.ok(wait.low <= wq && wq <= wait.high, `mean wait: theory ${wq.toFixed(4)} in CI [${wait.low.toFixed(4)}, ${wait.high.toFixed(4)}]`);
  t.ok(prob.low <= pw && pw <= prob.high, `P(wait): theory ${pw.toFixed(4)} in CI [${prob.low.toFixed(4)}, ${prob.high.toFixed(4)}]`);
  t.ok(util.low <= 0.9 && 0.9 <= util.high, `utilisation ρ = 0.9 in CI [${util.low.toFixed(4)}, ${util.high.toFixed(4)}]`);
  // The interval must be informative, not wide enough to contain anything.
  t.ok(wait.halfWidth < 0.1 * wq, `mean-wait CI half-width ${wait.halfWidth.toFixed(4)} under 10% of Wq`);
});

t.test('M/M/1 with ρ = 0.8: Wq = ρ/(μ−λ), P(wait) = ρ', async (t) => {
  const runs = replicate(12, (seed) => queue(0.8, { dist: 'exponential', mean: '1s' }, 1, 60000, seed));
  const wait = ci95(runs.map((r) => pool(r).wait.mean));
  const prob = ci95(runs.map((r) => pool(r).wait.probWait));
  const resp = ci95(runs.map((r) => pool(r).latency.mean));
  t.ok(wait.low <= 4 && 4 <= wait.high, `Wq = 4 in CI [${wait.low.toFixed(3)}, ${wait.high.toFixed(3)}]`);
  t.ok(prob.low <= 0.8 && 0.8 <= prob.high, `P(wait) = 0.8 in CI [${prob.low.toFixed(4)}, ${prob.high.toFixed(4)}]`);
  t.ok(resp.low <= 5 && 5 <= resp.high, `W = 5 in CI [${resp.low.toFixed(3)}, ${resp.high.toFixed(3)}]`);
  // M/M/1 sojourn is exponential with rate μ−λ: its median is ln 2 / 0.2.
  const p50 = ci95(runs.map((r) => pool(r).latency.p50));
  const m = Math.LN2 / 0.2;
  t.ok(p50.low <= m && m <= p50.high, `median sojourn ${m.toFixed(3)} in CI [${p50.low.toFixed(3)}, ${p50.high.toFixed(3)}]`);
});

t.test('Pollaczek–Khinchine: M/D/1 with λ = 0.8, D = 1 s', async (t) => {
  // Wq = λ E[S²] / (2(1−ρ)) = 0.8 · 1 / 0.4 = 2
  const runs = replicate(12, (seed) => queue(0.8, '1s', 1, 60000, seed));
  const wait = ci95(runs.map((r) => pool(r).wait.mean));
  t.ok(wait.low <= 2 && 2 <= wait.high, `Wq = 2 in CI [${wait.low.toFixed(3)}, ${wait.high.toFixed(3)}]`);
  // And it is not the M/M/1 answer (4): the check can tell service distributions apart.
  t.ok(wait.high < 4, 'M/D/1 waits are half the M/M/1 ones');
});

t.test('Pollaczek–Khinchine: M/G/1 with lognormal service (cv = 2)', async (t) => {
  // E[S] = 0.5, cv² = 4 → E[S²] = E[S]²(1 + cv²) = 1.25; λ = 1.2 → ρ = 0.6; Wq = λE[S²]/(2(1−ρ)) = 1.875
  const runs = replicate(12, (seed) => queue(1.2, { dist: 'lognormal', mean: '500ms', cv: 2 }, 1, 80000, seed));
  const wait = ci95(runs.map((r) => pool(r).wait.mean));
  t.ok(wait.low <= 1.875 && 1.875 <= wait.high, `Wq = 1.875 in CI [${wait.low.toFixed(3)}, ${wait.high.toFixed(3)}]`);
});

t.test("Little's law holds on every run (L = λW, exactly, in-flight requests counted to the end)", async (t) => {
  for (const [lambda, workers, svc] of [[0.8, 1, '1s'], [9, 10, { dist: 'exponential', mean: '1s' }], [50, 4, '100ms']] as const) {
    const s = queue(lambda, svc, workers, 5000, 7);
    const L = s.totals.meanInSystem, lw = s.totals.offeredRate * s.totals.meanResponse;
    t.ok(Math.abs(L - lw) <= 1e-9 * Math.max(1, L), `λ=${lambda} c=${workers}: L=${L.toFixed(6)} λW=${lw.toFixed(6)}`);
  }
});
