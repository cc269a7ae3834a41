// Coordinated omission (Gil Tene; wrk2's README): when a server stalls, a load generator that waits
// for answers before sending stops sending, so the requests that were due during the stall are
// never timed and the stall all but vanishes from the percentiles. headroom's driver keeps the
// schedule (open model) and times each request from when it was due, so a 1 s stall shows in
// the p99 of the requests due during it. autocannon, at the same rate on the same stack, is run
// beside it for comparison (its own figures are printed as test comments; README "Bench").
import t from 'tap';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { loadScenario } from '../../src/scenario/index.ts';
import { runBench } from '../../src/bench/run-bench.ts';
import { LiveStack } from '../../src/bench/stack.ts';
import { OK } from '../../src/bench/causes.ts';
import { tempDir, writeScenario } from './helpers.ts';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon') as (o: Record<string, unknown>) => Promise<{
  latency: { p50: number; p99: number; max: number; totalCount: number }; requests: { sent: number; total: number };
}>;

const tmp = tempDir('co');
process.env.HEADROOM_STACK_REGISTRY = join(tmp, 'registry');
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));

const RATE = 100, T = 6, STALL_AT = 2, STALL = 1;
const file = writeScenario(tmp, 'stall', `
name: stall
seed: 11
duration: ${T}s
sampleInterval: 1s
traffic: { rate: ${RATE}, clients: 100 }
components:
  lb: { kind: loadBalancer, upstream: app, nextUpstream: { on: [] } }
  app: { kind: pool, instances: 1, workers: 8, backlog: unlimited, serviceTime: 2ms, timeout: 30s }
`);

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
};

t.test('a 1 s stall of the only upstream shows in the p99 of the requests due during it', async (t) => {
  const sc = loadScenario(file);
  const due: Array<{ at: number; latency: number; fromSend: number }> = [];
  const r = await runBench({
    scenario: sc, duration: T, mode: 'io', out: join(tmp, 'run'),
    stalls: [{ pool: 'app', instance: 0, at: STALL_AT, seconds: STALL }],
    observe: (intended, end, sentAt, cause) => { if (cause === OK) due.push({ at: intended, latency: end - intended, fromSend: end - sentAt }); },
  });
  r.discard();
  t.equal(r.stalled.length, 1);
  // Timers run late on a busy machine: take the stall as it happened.
  const { from, to } = r.stalled[0];
  const stall = to - from;
  t.ok(stall >= 0.99 * STALL, `the upstream was stopped for ${(stall * 1000).toFixed(0)} ms from t=${from.toFixed(3)} s`);
  const during = due.filter((d) => d.at >= from + 0.002 && d.at < to);
  t.ok(during.length >= 20, `${during.length} requests were due during the stall`);
  // A request due during the stall cannot be answered before the stall ends: each one's latency,
  // timed from when it was due, holds at least the rest of the stall.
  const short = during.filter((d) => d.latency < to - d.at - 0.002);
  t.same(short.map((d) => d.at), [], 'every request due during the stall was timed through its end');
  const p99 = quantile(during.map((d) => d.latency), 0.99), p50 = quantile(during.map((d) => d.latency), 0.5);
  t.ok(p99 >= 0.9 * stall, `p99 of the requests due during the stall: ${(p99 * 1000).toFixed(0)} ms (stall ${(stall * 1000).toFixed(0)} ms)`);
  t.ok(p50 >= 0.35 * stall, `their median: ${(p50 * 1000).toFixed(0)} ms`);
  // About a sixth of the run's requests met the stall: the run's p99 lies inside it.
  t.ok(r.summary.latency.p99 >= 0.8 * STALL, `run p99 ${(r.summary.latency.p99 * 1000).toFixed(0)} ms`);
  t.comment(`headroom: ${due.length} requests timed of ${r.summary.bench!.offered} due; run p50 ${(r.summary.latency.p50 * 1000).toFixed(1)} ms, p99 ${(r.summary.latency.p99 * 1000).toFixed(0)} ms; the ${during.length} due during the ${(stall * 1000).toFixed(0)} ms stall: p50 ${(p50 * 1000).toFixed(0)} ms, p99 ${(p99 * 1000).toFixed(0)} ms`);

  // autocannon at the same rate on the same kind of stack, with the same stall.
  const stack = await LiveStack.start({ scenario: sc, prefix: join(tmp, '.stack-ac'), mode: 'io' });
  t.teardown(() => stack.stop());
  const stallTimer = setTimeout(() => void stack.stall('app', 0, STALL), STALL_AT * 1000);
  t.teardown(() => clearTimeout(stallTimer)); // autocannon failing first: no stall of a stopped stack
  const ac = await autocannon({ url: `http://127.0.0.1:${stack.port}/lb/lb/c0`, connections: 10, overallRate: RATE, duration: T });
  clearTimeout(stallTimer);
  await stack.stop();
  t.comment(`autocannon (10 connections, overallRate ${RATE}): ${ac.requests.total} answers, ${ac.latency.totalCount} latency samples; p50 ${ac.latency.p50} ms, p99 ${ac.latency.p99} ms, max ${ac.latency.max} ms`);
  // Its correction (hdr recordValueWithExpectedInterval with ceil(1/rate) = 1 "ms") back-fills
  // about one sample per millisecond of every slow answer, not one per request that was due.
  t.ok(ac.latency.totalCount > ac.requests.total * 2, `autocannon's histogram holds ${ac.latency.totalCount} samples for ${ac.requests.total} answers`);
});
