// The driver over autocannon's Client against a plain Node server that answers each path its own
// way: every request is accounted for once, with the cause the simulator would give it; a reset
// connection loses only its request; the closed model keeps its users' think time.
import t from 'tap';
import http from 'node:http';
import { OpenDriver } from '../../src/bench/driver/open.ts';
import { ClosedDriver } from '../../src/bench/driver/closed.ts';
import { CAUSE_INDEX } from '../../src/bench/causes.ts';
import { closedBounds, loopLateness, poissonBounds, scheduled } from './helpers.ts';

// Requests per socket, for /second-closes.
const served = new WeakMap<object, number>();
const server = http.createServer((req, res) => {
  const p = req.url ?? '';
  if (p.startsWith('/reset')) { req.socket.resetAndDestroy(); return; }
  if (p.startsWith('/second-closes')) {
    // A kept-alive connection closed under the next request, as nginx closes its idle ones at a reload.
    const n = (served.get(req.socket) ?? 0) + 1;
    served.set(req.socket, n);
    if (n === 2) { req.socket.destroy(); return; }
  }
  const send = (status: number, headers: Record<string, string> = {}) => { res.writeHead(status, { 'content-length': 2, ...headers }); res.end('x\n'); };
  if (p.startsWith('/ok') || p.startsWith('/second-closes')) send(200);
  else if (p.startsWith('/nolive')) send(502, { 'x-headroom-upstream': '127.0.0.1:1, app' });
  else if (p.startsWith('/refused')) send(502, { 'x-headroom-upstream': '127.0.0.1:1, 127.0.0.1:2' });
  else if (p.startsWith('/limited')) send(503);
  else if (p.startsWith('/late')) send(504);
  else if (p.startsWith('/relayed')) send(500, { 'x-headroom-cause': 'timeout' });
  else send(404);
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const port = (server.address() as { port: number }).port;
t.teardown(() => server.close());

const paths = ['/ok', '/reset', '/nolive', '/refused', '/limited', '/late', '/relayed'];
const expected = [-1, CAUSE_INDEX.backlogFull, CAUSE_INDEX.noUpstream, CAUSE_INDEX.backlogFull, CAUSE_INDEX.rateLimited, CAUSE_INDEX.timeout, CAUSE_INDEX.timeout];

t.test('open model: each answer counted once, under the cause its status and headers give', async (t) => {
  const rate = 300, T = 2;
  const curve = { flat: true, rate: () => rate, maxOn: () => rate, integral: (a: number, b: number) => rate * (b - a) };
  const d = new OpenDriver({
    targets: paths.map((path) => ({ host: '127.0.0.1', ports: [port], path, resendLost: false })), weights: paths.map(() => 1),
    clients: 50, seed: 5, duration: T, warmup: 0, maxConnections: 64,
  }, curve);
  const { lateness } = await loopLateness(() => d.run());
  const st = d.stats;
  t.equal(d.outstanding, st.inFlight, 'what is in flight at the end is on a connection or waiting for one: nothing was dropped unseen');
  d.close();
  // The schedule (the same arrival process and stream the driver draws from) is a Poisson count;
  // the driver sends all of it but what fell due while its last timer was running late.
  const due = scheduled(curve, 5, T);
  const [lo, hi] = poissonBounds(rate * T);
  t.ok(due.length >= lo && due.length <= hi, `${due.length} arrivals scheduled for Poisson(${rate * T}) in [${lo}, ${hi}]`);
  const floor = due.filter((x) => x < T - lateness).length;
  t.ok(st.arrivals <= due.length && st.arrivals >= floor, `${st.arrivals} arrived: the schedule's ${due.length} but those due in the last ${(lateness * 1000).toFixed(1)} ms (timers' lateness) at most`);
  t.equal(st.completions + st.errors.reduce((a, b) => a + b, 0) + st.inFlight, st.arrivals, 'answered + failed + in flight = arrived');
  st.classes.forEach((c, i) => {
    const done = c.completions + c.errors.reduce((a, b) => a + b, 0);
    const right = expected[i] < 0 ? c.completions : c.errors[expected[i]];
    t.equal(right, done, `${paths[i]}: ${right} of ${done} under the expected cause`);
  });
  t.ok(st.classes[0].completions > 0 && st.classes[1].errors[CAUSE_INDEX.backlogFull] > 0, 'resets did not stop answers on the other connections');
});

t.test('closed model: users think between requests, one connection each', async (t) => {
  const users = 5, think = 0.05, T = 2;
  const d = new ClosedDriver({
    targets: [{ host: '127.0.0.1', ports: [port], path: '/ok', resendLost: false }], weights: [1], clients: users, seed: 1, duration: T, warmup: 0, maxConnections: users,
  }, users, { kind: 'constant', value: think });
  const { lateness } = await loopLateness(() => d.run());
  d.close();
  const st = d.stats;
  // Each user's cycle is think + response time + how late its timer fired: the bounds come from
  // the think time kept, the slowest answer and this process's measured timer lateness, not from
  // an idle machine's speed.
  const [lo, hi] = closedBounds(users, T, think, st.fromSend.max, lateness);
  t.ok(st.arrivals <= hi, `${st.arrivals} requests ≤ ${hi}: no user sent sooner than its think time`);
  t.ok(st.arrivals >= lo, `${st.arrivals} requests ≥ ${lo} (slowest answer ${(st.fromSend.max * 1000).toFixed(1)} ms, timers up to ${(lateness * 1000).toFixed(1)} ms late): every user kept looping`);
  t.equal(d.connections, users, 'one connection per user');
  t.equal(st.errors.reduce((a, b) => a + b, 0), 0);
});

t.test('a port nobody listens on: requests are refused, and the driver does not spin reconnecting', async (t) => {
  const probe = http.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const dead = (probe.address() as { port: number }).port;
  await new Promise((r) => probe.close(r));
  const rate = 200, T = 2;
  const curve = { flat: true, rate: () => rate, maxOn: () => rate, integral: (a: number, b: number) => rate * (b - a) };
  const d = new OpenDriver({
    targets: [{ host: '127.0.0.1', ports: [dead], path: '/', resendLost: true }], weights: [1], clients: 10, seed: 2, duration: T, warmup: 0, maxConnections: 32,
  }, curve);
  const c0 = process.cpuUsage();
  const { lateness } = await loopLateness(() => d.run());
  const c = process.cpuUsage(c0);
  d.close();
  const st = d.stats;
  t.equal(st.completions, 0);
  // A refusal on 127.0.0.1 comes back at once: each request due before the last two timer
  // latenesses (its send, then its refusal's turn of the loop) was counted refused by the end.
  const early = scheduled(curve, 2, T).filter((x) => x < T - 2 * lateness).length;
  t.ok(st.errors[CAUSE_INDEX.backlogFull] >= early, `${st.errors[CAUSE_INDEX.backlogFull]} of ${st.arrivals} refused, at least the ${early} due ${(2 * lateness * 1000).toFixed(1)} ms or more before the end`);
  // CPU time, not wall time: a crowded machine stretches the run, not the work a spinning
  // reconnect loop would do (it would take a whole core: 2 s).
  const cpu = (c.user + c.system) / 1e6;
  t.ok(cpu < 0.5 * T, `the driver used ${cpu.toFixed(2)} s of CPU in ${T} s`);
});

t.test('a request lost with a kept-alive connection goes out once more on a fresh one (resendLost), else it is refused', async (t) => {
  const run = async (resendLost: boolean) => {
    const d = new ClosedDriver({
      targets: [{ host: '127.0.0.1', ports: [port], path: '/second-closes', resendLost }], weights: [1], clients: 4, seed: 3, duration: 1, warmup: 0, maxConnections: 4,
    }, 4, { kind: 'constant', value: 0.01 });
    await d.run();
    d.close();
    return d.stats;
  };
  const resend = await run(true);
  t.ok(resend.resent > 0, `${resend.resent} resent`);
  t.equal(resend.errors.reduce((a, b) => a + b, 0), 0, 'every request lost that way was answered on a fresh connection');
  t.ok(resend.completions >= resend.resent, 'and counted once, as a completion');
  const refuse = await run(false);
  t.equal(refuse.resent, 0);
  t.ok(refuse.errors[CAUSE_INDEX.backlogFull] > 0, `${refuse.errors[CAUSE_INDEX.backlogFull]} counted refused where a reset is the answer`);
});

t.test('warmup: requests due before it count as requests, not in latency (as the simulator)', async (t) => {
  const { DriverStats } = await import('../../src/bench/driver/stats.ts');
  const st = new DriverStats(1, 1);
  for (const due of [0.2, 0.5, 1.5, 2.5]) {
    st.arrive(due, 0);
    st.wrote(due, due);
    st.finish(due + 0.1, due, due, 0, -1);
  }
  t.equal(st.completions, 4);
  t.equal(st.latency.count, 2, 'only the two due after the 1 s warmup');
  t.equal(st.takeInterval().latency !== null, true);
});
