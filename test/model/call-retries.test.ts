// Calls' timeouts, retries and failure semantics: the backoff formulas as the AWS Architecture
// Blog's "Exponential Backoff and Jitter" writes them, a retry storm as the series shows it, how a
// failed call reaches the caller's answer, and the chain of causes the summary names.
import t from 'tap';
import { parseScenario } from '../../src/scenario/index.ts';
import { runScenario } from '../../src/model/index.ts';
import { backoffDelay } from '../../src/model/backoff.ts';
import { formatSummary } from '../../src/cli/summary-table.ts';
import { errorTotal, type PoolSummary, type RunSummary, type SeriesRow } from '../../src/stats/results.ts';
import type { RetryPolicy } from '../../src/scenario/types.ts';

function run(raw: Record<string, unknown>, seed = 1): { summary: RunSummary; rows: SeriesRow[] } {
  return runScenario(parseScenario({ name: 'retries', sampleInterval: '10s', ...raw, seed }, 'r.yaml', '.'));
}
const pool = (s: RunSummary, name: string) => s.components[name] as PoolSummary;

t.test('backoff: exponential with a cap, full, equal and decorrelated jitter', async (t) => {
  // The blog's formulas, with random_between(a, b) = a + u·(b − a) for a fixed u.
  const p = (jitter: RetryPolicy['jitter']): RetryPolicy => ({ max: 5, backoff: 0.05, cap: 1, jitter });
  const u = (x: number) => () => x;
  t.strictSame([0, 1, 2, 3, 4, 5].map((n) => backoffDelay(p('none'), n, 0, u(0.5))), [0.05, 0.1, 0.2, 0.4, 0.8, 1], 'min(cap, base · 2^n)');
  t.equal(backoffDelay(p('full'), 3, 0, u(0.25)), 0.25 * 0.4, 'full: random_between(0, min(cap, base · 2^n))');
  t.equal(backoffDelay(p('full'), 9, 0, u(0.999)), 0.999 * 1, 'full jitter is capped too');
  t.equal(backoffDelay(p('equal'), 2, 0, u(0.5)), 0.1 + 0.5 * 0.1, 'equal: t/2 + random_between(0, t/2), t = 0.2');
  t.equal(backoffDelay(p('decorrelated'), 0, 0, u(0.5)), 0.05 + 0.5 * (0.15 - 0.05), 'decorrelated, first: random_between(base, base · 3)');
  t.equal(backoffDelay(p('decorrelated'), 1, 0.12, u(0.5)), 0.05 + 0.5 * (0.36 - 0.05), 'then random_between(base, previous · 3)');
  t.equal(backoffDelay(p('decorrelated'), 4, 0.9, u(1)), 1, '… capped');
});

t.test('a retry storm shows in the series: attempts per interval outgrow requests, the dependency drowns', async (t) => {
  // A dependency that answers in 60 ms on average (4 workers: 66/s) behind a 150 ms call timeout
  // with 3 retries. At 10/s all is calm (even 4 attempts each would be 40/s); at 60/s its queue
  // grows past the timeout, every attempt times out and is retried — and each abandoned attempt
  // is still served (nobody cancels it), so the dependency is offered up to 4× the requests and
  // cannot recover while the load lasts: a metastable failure, sustained by the retries alone.
  // (At 30/s the same system is calm until a burst tips it over, depending on the seed.)
  const { summary: s, rows } = run({
    duration: '4m', sampleInterval: '10s',
    traffic: { rate: { step: { initial: 10, steps: [{ at: '1m', rate: 60 }] } } },
    components: {
      app: { kind: 'pool', instances: 1, workers: 400, serviceTime: '1ms', calls: [{ to: 'dep', timeout: '150ms', retries: { max: 3, backoff: '20ms', cap: '200ms', jitter: 'full' } }] },
      dep: { kind: 'pool', instances: 1, workers: 4, serviceTime: { dist: 'exponential', mean: '60ms' } },
    },
  });
  const app = rows.filter((r) => r.component === 'app'), dep = rows.filter((r) => r.component === 'dep');
  const calm = app.filter((r) => r.time <= 60), storm = app.filter((r) => r.time > 120);
  const ratio = (rs: SeriesRow[]) => rs.reduce((a, r) => a + r.calls!, 0) / rs.reduce((a, r) => a + r.offered * 10, 0);
  // Calm: the 8% of exponential services longer than the 150 ms timeout (e^−2.5) are retried.
  t.ok(ratio(calm) < 1.2, `before the step: ${ratio(calm).toFixed(2)} attempts per request`);
  t.ok(ratio(storm) > 3, `in the storm: ${ratio(storm).toFixed(2)} attempts per request (up to 4)`);
  t.ok(storm.every((r) => r.call_retries! > 0), 'retries in every interval of the storm');
  t.ok(calm.reduce((a, r) => a + r.call_retries!, 0) < 0.15 * calm.reduce((a, r) => a + r.calls!, 0), 'few retries while calm');
  const depStorm = dep.filter((r) => r.time > 120);
  t.ok(depStorm.every((r) => r.offered > 2 * 60), `the dependency is offered over twice the requests (${depStorm[0].offered.toFixed(0)}/s)`);
  t.ok(s.totals.errors.callTimeout > 0 && errorTotal(s.totals.errors) === s.totals.errors.callTimeout, 'the app answers 504 call timeout');
  const c = pool(s, 'app').calls!.to.dep;
  t.equal(c.attempts, c.made + c.retries, 'attempts = calls made + retries');
  t.equal(c.failed.callTimeout, s.totals.errors.callTimeout, 'every failed call is a failed request');
  t.match(formatSummary(s), /app: [\d,]+ failed \(504\) when calls to dep timed out/);
  t.match(formatSummary(s), /app: [\d,]+ retries to dep \(\d+% of [\d,]+ attempts\)/);
});

t.test('fork-join failures: a required call fails the request (502, downstream), an optional one does not', async (t) => {
  for (const required of [true, false]) {
    const { summary: s } = run({
      duration: '100s',
      traffic: { rate: 20 },
      components: {
        app: { kind: 'pool', instances: 1, workers: 50, serviceTime: '5ms', calls: [{ parallel: [{ to: 'ok' }, { to: 'full', required }] }] },
        ok: { kind: 'pool', instances: 1, workers: 50, serviceTime: '10ms' },
        full: { kind: 'pool', instances: 1, workers: 1, backlog: 0, serviceTime: '200ms' }, // refuses most
      },
    });
    const c = pool(s, 'app').calls!.to.full;
    t.ok(c.downstreamCauses.backlogFull! > 1000, `${required ? 'required' : 'optional'}: the callee refused ${c.downstreamCauses.backlogFull} (backlog full)`);
    t.equal(c.failed.downstream, c.downstreamCauses.backlogFull, 'no retries: every refused attempt is a failed call');
    if (required) {
      t.equal(s.totals.errors.downstream, c.failed.downstream, 'each fails its request with 502 downstream');
      t.match(formatSummary(s), /app: [\d,]+ failed \(502\) because calls to full failed \(attempts: [\d,]+ backlog full at full\)/);
    } else t.equal(errorTotal(s.totals.errors), 0, 'an optional call fails nothing');
    // The slower branch decides: the fast one (10 ms) waits for the 200 ms one when it is served.
    t.ok(pool(s, 'app').latency.max >= 0.2, 'the slowest branch decides the step');
  }
});

t.test('calls by class and probability', async (t) => {
  const { summary: s } = run({
    duration: '500s',
    traffic: { rate: 40, mix: [{ name: 'page', weight: 3 }, { name: 'api', weight: 1 }] },
    components: {
      app: { kind: 'pool', instances: 1, workers: 100, serviceTime: '1ms', calls: [{ to: 'a', p: 0.6 }, { to: 'b', classes: ['api'] }] },
      a: { kind: 'pool', instances: 1, workers: 100, serviceTime: '1ms' },
      b: { kind: 'pool', instances: 1, workers: 100, serviceTime: '1ms' },
    },
  });
  const n = s.totals.arrivals, made = pool(s, 'app').calls!.to.a.made;
  t.ok(Math.abs(made - 0.6 * n) <= 3.3 * Math.sqrt(n * 0.6 * 0.4), `p = 0.6: ${made} of ${n} made the call (within 3.3 sd)`);
  t.equal(pool(s, 'app').calls!.to.b.made, s.classes!.api.arrivals, 'only the api class calls b');
});

t.test('the chain of causes: app 504 because db connection pool waits', async (t) => {
  // A database that can run 2 queries at once at 50 ms each (40/s) under 60 requests/s, through
  // pools of 4 connections: the pools run dry and requests time out at the app (1 s) while waiting.
  const { summary: s } = run({
    duration: '200s',
    traffic: { rate: 60 },
    components: {
      app: { kind: 'pool', instances: 2, workers: 200, serviceTime: '5ms', timeout: '1s', calls: [{ to: 'db' }], connections: { db: { size: 4 } } },
      db: { kind: 'database', primary: { workers: 2, serviceTime: '50ms' } },
    },
  });
  const w = pool(s, 'app').calls!.timedOutWhile;
  t.ok(w.connection.db > 0.5 * s.totals.errors.timeout, `most timeouts waited for a connection (${w.connection.db} of ${s.totals.errors.timeout})`);
  t.match(formatSummary(s), /app: [\d,]+ timed out \(504\) waiting for a db connection ← its pools \(4 per instance\) had [\d.]+ of 8\.0 connections in use, mean wait [\d.]+ (ms|s) \(\d+% waited\) ← db\/primary 100% busy/);
});
