// An upstream process behaves as the pool it stands for: CPU-bound service burns real CPU, a
// `next:` pool is called after the first one's service, deadlines give 504 (nginx's own, or the
// instance's when entered directly), and a full backlog refuses.
import t from 'tap';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:net';
import { loadScenario } from '../../src/scenario/index.ts';
import { LiveStack } from '../../src/bench/stack.ts';
import { cpuSeconds } from '../../src/bench/procs.ts';
import { sleep, tempDir, writeScenario } from './helpers.ts';

const tmp = tempDir('pools');
process.env.HEADROOM_STACK_REGISTRY = join(tmp, 'registry');
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));

async function get(url: string): Promise<{ status: number; cause: string | null }> {
  const r = await fetch(url, { headers: { 'x-client-addr': '10.1.2.3' } });
  await r.text();
  return { status: r.status, cause: r.headers.get('x-headroom-cause') };
}

/** GET over a raw socket: `sent` gets a promise kept once the request is in the kernel; resolves to the status, or 'reset'. */
function rawGet(port: number, sent: Array<Promise<void>>): Promise<number | 'reset'> {
  return new Promise((done) => {
    const s = connect(port, '127.0.0.1');
    let data = '';
    s.on('data', (d) => { data += d; });
    s.on('error', () => {});
    s.on('close', () => {
      const m = /^HTTP\/1\.1 (\d{3})/.exec(data);
      done(m ? Number(m[1]) : 'reset');
    });
    sent.push(new Promise((ok) => s.write('GET /pool/app/c0 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n', () => ok())));
  });
}

t.test('cpu mode: each request costs its service time in CPU of the instance', async (t) => {
  const sc = loadScenario(writeScenario(tmp, 'cpu', `
duration: 10s
traffic: { rate: 1 }
components:
  lb: { kind: loadBalancer, upstream: app }
  app: { kind: pool, instances: 1, workers: 2, serviceTime: 25ms }
`));
  const stack = await LiveStack.start({ scenario: sc, prefix: join(tmp, '.stack-cpu'), mode: 'cpu' });
  t.teardown(() => stack.stop());
  const pid = stack.instances.get('app')![0].pid;
  await get(`http://127.0.0.1:${stack.port}/lb/lb/c0`); // threads warm
  const before = cpuSeconds(pid)!;
  const n = 16;
  for (let i = 0; i < n; i++) t.equal((await get(`http://127.0.0.1:${stack.port}/lb/lb/c0`)).status, 200);
  const used = cpuSeconds(pid)! - before, want = n * 0.025;
  // CPU time, not wall time: a crowded machine stretches the wall clock, not the work.
  t.ok(used >= 0.8 * want && used <= 1.5 * want, `${n} requests of 25 ms CPU used ${used.toFixed(2)} s of CPU (${want} s wanted)`);
});

t.test('next: a tandem pool is called after the first pool\'s service, directly or through nginx', async (t) => {
  const sc = loadScenario(writeScenario(tmp, 'tandem', `
duration: 10s
traffic:
  rate: 1
  mix:
    - { name: direct, weight: 1, entry: front }
    - { name: via, weight: 1, entry: web }
components:
  front: { kind: loadBalancer, upstream: web }
  web: { kind: pool, instances: 1, workers: 2, serviceTime: 2ms, next: api }
  api: { kind: pool, instances: 2, workers: 2, serviceTime: 2ms, next: back }
  back: { kind: loadBalancer, upstream: db }
  db: { kind: pool, instances: 1, workers: 2, serviceTime: 2ms }
`));
  const stack = await LiveStack.start({ scenario: sc, prefix: join(tmp, '.stack-tandem'), mode: 'io' });
  t.teardown(() => stack.stop());
  await stack.sample();
  for (let i = 0; i < 4; i++) t.equal((await get(`http://127.0.0.1:${stack.port}/lb/front/c0`)).status, 200);
  const s = await stack.sample();
  const arrivals = (pool: string) => s.get(pool)!.reduce((a, x) => a + (x?.arrivals ?? 0), 0);
  t.equal(arrivals('web'), 4);
  t.equal(arrivals('api'), 4, 'web → api (direct, round robin over its 2 instances)');
  t.same(s.get('api')!.map((x) => x?.arrivals), [2, 2]);
  t.equal(arrivals('db'), 4, 'api → db through nginx\'s "back" balancer');
});

t.test('deadlines: nginx times out a slow pool (504), an instance entered directly answers 504 itself; a full backlog refuses', async (t) => {
  const sc = loadScenario(writeScenario(tmp, 'slow', `
duration: 10s
traffic: { rate: 1 }
components:
  lb: { kind: loadBalancer, upstream: app, nextUpstream: { on: [] } }
  app: { kind: pool, instances: 1, workers: 1, backlog: 1, serviceTime: 400ms, timeout: 100ms }
`));
  const stack = await LiveStack.start({ scenario: sc, prefix: join(tmp, '.stack-slow'), mode: 'io' });
  t.teardown(() => stack.stop());
  const port = stack.instances.get('app')![0].port;
  const idle = async () => {
    for (const end = Date.now() + 60_000; Date.now() < end; await sleep(50)) {
      const x = (await stack.sample()).get('app')![0]!;
      if (x.busy === 0 && x.queued === 0) return;
    }
    throw new Error('the instance was still busy after 60 s');
  };
  t.same(await get(`http://127.0.0.1:${stack.port}/lb/lb/c0`), { status: 504, cause: null }, 'nginx\'s proxy_read_timeout');
  // The worker finishes the abandoned request (400 ms of service, later on a busy machine): wait
  // until the instance says it is idle rather than for a fixed time, so each step starts from an
  // empty instance — the three below need the worker free to meet one busy worker and one place.
  await idle();
  t.same(await get(`http://127.0.0.1:${port}/pool/app/c0`), { status: 504, cause: 'timeout' }, 'the instance\'s own deadline');
  await idle();
  // One on the worker, one in the backlog, the third is refused (the connection is reset). The
  // backlog's request leaves at its 100 ms deadline, so the three must reach the instance together:
  // it is stopped (SIGSTOP) until the kernel holds all three requests, then continued, and reads
  // them in one turn of its event loop however late this process or it gets a CPU.
  const pid = stack.instances.get('app')![0].pid;
  process.kill(pid, 'SIGSTOP');
  let three: Array<number | 'reset'>;
  try {
    const sent: Array<Promise<void>> = [];
    const answers = [0, 1, 2].map(() => rawGet(port, sent));
    await Promise.all(sent);
    process.kill(pid, 'SIGCONT');
    three = await Promise.all(answers);
  } finally {
    process.kill(pid, 'SIGCONT');
  }
  t.same(three.filter((x) => x === 'reset').length, 1, `one refused by a reset (${three.join(', ')})`);
  t.same(three.filter((x) => x === 504).length, 2, 'the other two met the instance\'s 100 ms deadline (one on the worker, one waiting)');
  const s = await stack.sample(true);
  const app = s.get('app')![0]!;
  t.equal(app.refused, 1);
  t.ok(app.timeouts >= 3, `timeouts counted at the instance: ${app.timeouts}`);
});
