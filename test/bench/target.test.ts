// --target: a service already running is driven instead of a stack built from the scenario. The
// run has the end-to-end series only (no pool or balancer of ours to look into), and nothing is
// started or left behind. The scenario here is a closed one: users with think time.
import t from 'tap';
import http from 'node:http';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario } from '../../src/scenario/index.ts';
import { runBench } from '../../src/bench/run-bench.ts';
import { closedBounds, loopLateness, tempDir, writeScenario } from './helpers.ts';

const tmp = tempDir('target');
process.env.HEADROOM_STACK_REGISTRY = join(tmp, 'registry');
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));

let seen = 0;
const server = http.createServer((req, res) => {
  seen++;
  res.writeHead(req.url === '/app?x=1' ? 200 : 404, { 'content-length': 2 });
  res.end('x\n');
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
t.teardown(() => server.close());
const port = (server.address() as { port: number }).port;

t.test('a closed workload driven at a running service', async (t) => {
  const sc = loadScenario(writeScenario(tmp, 'closed', `
name: closed
duration: 3s
sampleInterval: 1s
traffic: { closed: { users: 4, thinkTime: { dist: constant, value: 100ms } } }
components:
  app: { kind: pool, instances: 1, workers: 1, serviceTime: 1ms }
`));
  const out = join(tmp, 'out');
  const url = `http://127.0.0.1:${port}/app?x=1`;
  const { result: r, lateness } = await loopLateness(() => runBench({ scenario: sc, duration: 3, mode: 'io', out, target: { host: '127.0.0.1', port, path: '/app?x=1', url } }));
  r.finish();
  const s = r.summary;
  t.equal(s.source, 'measured');
  t.equal(s.bench!.target, url);
  t.equal(s.bench!.workload, 'closed');
  t.equal(s.bench!.mode, null);
  t.same(Object.keys(s.components), [], 'no component of ours to report');
  t.same([...new Set(r.rows.map((x) => x.component))], ['_all']);
  t.equal(r.rows.length, 3);
  // 4 users, 100 ms think + ~1 ms answer: about 10 requests per user per second on an idle
  // machine; on a busy one the think timers run late, so the floor is what the run's own slowest
  // answer and this process's measured timer lateness allow (a fixed 72 failed here under taskset).
  const [lo, hi] = closedBounds(4, 3, 0.1, s.bench!.latencyFromSend.max, lateness);
  t.ok(s.totals.arrivals >= lo && s.totals.arrivals <= hi, `${s.totals.arrivals} requests in [${lo}, ${hi}] (slowest answer ${(s.bench!.latencyFromSend.max * 1000).toFixed(1)} ms, timers up to ${(lateness * 1000).toFixed(1)} ms late)`);
  t.equal(s.totals.errors.backlogFull, 0, 'the path and query reached the service as given');
  t.ok(seen >= s.totals.completions, 'every answer counted came from the service');
  t.notOk(existsSync(join(out, 'nginx.conf')), 'no stack was built');
});
