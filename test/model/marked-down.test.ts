// Peer mark-downs: how often max_fails within fail_timeout takes a peer out, counted as nginx's
// error log shows them. Worked by hand from nginx 1.18–1.22 src/http/ngx_http_upstream_round_robin.c:
//   ngx_http_upstream_free_round_robin_peer, on NGX_PEER_FAILED:
//     fails++; accessed = checked = now; effective_weight -= weight / max_fails;
//     if (fails >= max_fails) log "upstream server temporarily disabled"
//   ngx_http_upstream_get_peer skips a peer while max_fails && fails >= max_fails && now - checked <= fail_timeout,
//   and on picking one sets checked = now when now - checked > fail_timeout (the probe).
// So the failure that reaches max_fails counts, and so does every later one before fails are reset:
// a late failure of a request the peer already had, a failed probe.
import t from 'tap';
import { Upstream } from '../../src/model/upstream.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import { Simulation } from '../../src/model/index.ts';

const NONE = new Int32Array(0);
const A = 0, B = 1;

function pickUntil(u: Upstream, now: number, target: number): void {
  for (let i = 0; i < 100; i++) {
    const p = u.pick(now, 0, NONE, 0);
    if (p === target) return;
    if (p >= 0) u.free(p, now, false);
  }
  throw new Error(`peer ${target} not picked at t=${now}`);
}

t.test('max_fails=3 fail_timeout=30: the third failure marks A down, and each failure after it until fails reset', async (t) => {
  const u = new Upstream('round_robin', () => 0);
  u.addPeer(1, 3, 30);
  u.addPeer(1, 3, 30);
  // t=10: smooth WRR over two equal peers goes A B A B A B A; B's are answered, A keeps four requests.
  for (let i = 0; i < 7; i++) {
    const p = u.pick(10, 0, NONE, 0);
    t.equal(p, i % 2 === 0 ? A : B);
    if (p === B) u.free(B, 10, false);
  }
  // t=12: A's four requests fail. fails 1, 2: still in. fails 3 >= max_fails: out (count 1).
  u.free(A, 12, true);
  u.free(A, 12, true);
  t.equal(u.markedDown, 0, 'two failures: A still in');
  u.free(A, 12, true);
  t.equal(u.markedDown, 1, 'the third failure within fail_timeout marks A down');
  t.ok(u.isFailed(A, 12));
  // The fourth request A already had fails too: fails = 4 >= 3, checked = 12 again (out until
  // t = 43 from here): nginx logs the warning again.
  u.free(A, 12, true);
  t.equal(u.failsOf(A), 4);
  t.equal(u.markedDown, 2, 'a late failure while out is logged again');
  // Out while floor(now) - 12 <= 30: only B is picked through t = 42.9.
  for (let now = 12; now < 43; now += 0.5) {
    t.equal(u.pick(now, 0, NONE, 0), B);
    u.free(B, now, false);
  }
  // t=43: 43 - 12 > 30, A is probed (checked = 43 > accessed = 12); the probe fails: fails = 5,
  // accessed = checked = 43, out for another fail_timeout: a second mark-down.
  pickUntil(u, 43, A);
  t.equal(u.checkedOf(A), 43);
  u.free(A, 43, true);
  t.equal(u.markedDown, 3, 'a failed probe takes A out again');
  t.ok(u.isFailed(A, 73.99) && !u.isFailed(A, 74), 'out until t = 74');
  // t=74: probed again, answered: accessed (43) < checked (74), fails reset to 0.
  pickUntil(u, 74, A);
  u.free(A, 74, false);
  t.equal(u.failsOf(A), 0);
  // Now one failure is only fails = 1: no mark-down.
  pickUntil(u, 75, A);
  u.free(A, 75, true);
  t.equal(u.markedDown, 3, 'one failure after recovery is not a mark-down');
});

t.test('failures wider apart than fail_timeout still accumulate (no success between): marked down at the third', async (t) => {
  // The accessed/checked rule: without a success picked after fail_timeout, fails are never reset.
  const u = new Upstream('round_robin', () => 0);
  u.addPeer(1, 3, 30);
  u.addPeer(1, 3, 30);
  for (const now of [0, 40, 80]) {
    pickUntil(u, now, A);
    u.free(A, now, true);
  }
  t.equal(u.failsOf(A), 3);
  t.equal(u.markedDown, 1);
});

t.test('no mark-downs with max_fails=0 or a single peer (peers->single skips the accounting)', async (t) => {
  const off = new Upstream('round_robin', () => 0);
  off.addPeer(1, 0, 30);
  off.addPeer(1, 0, 30);
  for (let i = 0; i < 10; i++) { const p = off.pick(1, 0, NONE, 0); off.free(p, 1, true); }
  t.equal(off.markedDown, 0, 'max_fails=0');
  const single = new Upstream('round_robin', () => 0);
  single.addPeer(1, 1, 30);
  for (let i = 0; i < 10; i++) { const p = single.pick(1, 0, NONE, 0); single.free(p, 1, true); }
  t.equal(single.markedDown, 0, 'one peer');
});

t.test('the balancer runtime exposes mark-downs for the run and per sample interval', async (t) => {
  // An overloaded pool refuses (backlog 0): refusals are `error`s for max_fails, so peers go out.
  const sc = parseScenario({
    name: 'md', seed: 3, duration: '5m', sampleInterval: '1m',
    traffic: { rate: 200 },
    components: {
      lb: { kind: 'loadBalancer', upstream: 'web', maxFails: 2, failTimeout: '5s', nextUpstream: { on: ['error'], tries: 2 } },
      web: { kind: 'pool', instances: 3, workers: 2, backlog: 0, serviceTime: { dist: 'exponential', mean: '20ms' } },
    },
  }, 'md.yaml', '.');
  const run = new Simulation(sc).run();
  const lb = run.balancers[0];
  t.ok(lb.markedDown > 0, `peers were marked down (${lb.markedDown})`);
  t.equal(lb.iMarkedDown, 0, 'the final sample closed the last interval');
  t.equal(new Simulation(sc).run().balancers[0].markedDown, lb.markedDown, 'deterministic');
  // After the run: failures on one peer count in the current interval and in the total; a sample closes the interval.
  const total = lb.markedDown, T = sc.duration + 60;
  const peer = lb.instancePeer[0];
  for (let i = 0; i < 3; i++) lb.upstream.free(peer, T, true);
  t.ok(lb.iMarkedDown >= 1 && lb.iMarkedDown === lb.markedDown - total, `counted in the current interval (${lb.iMarkedDown})`);
  const row = lb.sample(T + 1, 1);
  t.equal(row.marked_down, lb.markedDown - total, 'the series row carries the interval\'s count');
  t.equal(lb.iMarkedDown, 0, 'a sample starts the next interval');
});
