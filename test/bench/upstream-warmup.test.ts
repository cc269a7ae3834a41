// An upstream instance leaves out of its latency and wait the requests that arrived during the
// warmup, as the simulator does (src/model/pool.ts records a request when entered ≥ warmup) and the
// driver does (src/bench/driver/stats.ts: intended ≥ warmup) — also one that completes after it
// ended, which counting by completion time would take in (an overloaded run's warmup queue).
import t from 'tap';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PoolInstance } from '../../src/bench/upstream/server.ts';

const get = (port: number) => new Promise<number>((res, rej) => {
  http.get({ host: '127.0.0.1', port, path: '/pool/app/c0', agent: false }, (r) => { r.resume(); r.on('end', () => res(r.statusCode ?? 0)); }).on('error', rej);
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

t.test('a request that arrived in the warmup is not measured, even when it completes after it', async (t) => {
  const inst = new PoolInstance({
    pool: 'app', instance: 0, seed: 1, workers: 1, backlog: -1, serviceTime: { kind: 'constant', value: 0.2 },
    timeout: -1, mode: 'io', spinPerSecond: 0, warmup: true, scales: [1], next: null,
  });
  await new Promise<void>((r) => inst.server.listen(0, '127.0.0.1', r));
  t.teardown(() => inst.close());
  const port = (inst.server.address() as AddressInfo).port;
  const a = get(port);
  // A is on the worker (arrived in the warmup) before the warmup ends: no wall-clock bound, a poll.
  while (inst.counters().busy === 0) await sleep(5);
  inst.endWarmup();
  const b = get(port); // arrives after the warmup, waits behind A
  t.same(await Promise.all([a, b]), [200, 200]);
  const s = inst.sample(true);
  t.equal(s.completions, 2, 'both answered and counted');
  const measured = s.latency.buckets.filter((_, i) => i % 2 === 1).reduce((x, y) => x + y, 0);
  t.equal(measured, 1, 'only B is in the latency histogram (A completed after the warmup but arrived in it)');
  t.equal(s.waitCount, 1, 'only B is in the wait figures');
  // ≥ its 200 ms timer (less 10 ms: a timer's and performance.now()'s clocks round differently).
  t.ok(s.latency.sum >= 0.19, `B's time at the instance includes its wait behind A and its own service: ${s.latency.sum.toFixed(3)} s`);
});
