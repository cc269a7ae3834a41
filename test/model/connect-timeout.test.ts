// A connect to a lost host (a zone outage: the machine is gone, nothing answers — no SYN-ACK, no
// reset) hangs until nginx's proxy_connect_timeout, then goes through ngx_http_upstream_next with
// NGX_HTTP_UPSTREAM_FT_TIMEOUT (src/http/ngx_http_upstream.c): the peer is freed as failed, and
// the request goes to the next peer when proxy_next_upstream lists `timeout` and its tries and
// proxy_next_upstream_timeout allow — otherwise nginx answers 504 (a `timeout`).
import t from 'tap';
import { parseScenario } from '../../src/scenario/index.ts';
import { Simulation } from '../../src/model/index.ts';
import { summarise } from '../../src/model/summary.ts';
import type { BalancerRuntime } from '../../src/model/balancer.ts';
import { causeChains } from '../../src/report/explain.ts';
import { messageOf, minimal } from '../scenario/helpers.ts';

const FAULT = 120;

/**
 * Three instances, one per zone, behind nginx round robin with max_fails=0 (no failure accounting:
 * the dead server keeps its turn, every third pick); service is short and light, so the zone's
 * instance rarely holds a request when it goes. Each connect-timeout's request is watched.
 */
function outage(connectTimeout: string, nextUpstreamTimeout: string) {
  const sc = parseScenario({
    name: 'connect', seed: 7, duration: '10m', sampleInterval: '10s', zones: ['a', 'b', 'c'],
    traffic: { rate: 6 },
    components: {
      lb: { kind: 'loadBalancer', upstream: 'web', maxFails: 0, connectTimeout, nextUpstream: { on: ['error', 'timeout'], timeout: nextUpstreamTimeout } },
      web: { kind: 'pool', instances: 3, workers: 4, serviceTime: '5ms' },
    },
    faults: [{ at: `${FAULT}s`, zoneOutage: 'b' }],
  }, 'connect.yaml', '.');
  const sim = new Simulation(sc) as unknown as { run(): ReturnType<Simulation['run']>; components: [BalancerRuntime]; now: number; req: { firstTry: Float64Array } };
  const lb = sim.components[0];
  const hung: Array<{ picked: number; timedOut: number }> = [];
  const watched = lb as unknown as { connectTimedOut(s: number): void };
  const original = watched.connectTimedOut.bind(lb);
  watched.connectTimedOut = (s: number) => {
    hung.push({ picked: sim.req.firstTry[s], timedOut: sim.now });
    original(s);
  };
  const run = sim.run();
  return { s: summarise(run), lb, hung };
}

t.test('past proxy_next_upstream_timeout: each connect to the lost host hangs the connect timeout, then 504', async (t) => {
  const { s, lb, hung } = outage('15s', '10s');
  t.ok(hung.length > 50, `${hung.length} connects to the lost host timed out`);
  t.ok(hung.every((h) => h.picked >= FAULT), 'none picked before the zone went');
  t.ok(hung.every((h) => Math.abs(h.timedOut - h.picked - 15) < 1e-9), 'each exactly 15 s after its request reached nginx');
  t.equal(s.totals.errors.timeout, hung.length, 'every one answered 504: 15 s is past the 10 s proxy_next_upstream_timeout, no retry');
  t.equal(s.totals.errors.refused, 0, 'nothing refused: a lost host sends no reset');
  // Round robin over three equal peers cycles a, b, c: a third of the picks from the fault to 15 s
  // before the end (later connects are still hanging when the run ends) go to the dead server.
  // Poisson arrivals at 6/s over 465 s: 2,790 expected, a third 930, standard deviation
  // √2790 / 3 = 17.6; 99.9 % bounds ±3.29 σ.
  const mean = (6 * (600 - FAULT - 15)) / 3, half = 3.29 * Math.sqrt(6 * (600 - FAULT - 15)) / 3;
  t.ok(Math.abs(hung.length - mean) <= half, `${hung.length} in [${(mean - half).toFixed(0)}, ${(mean + half).toFixed(0)}]: every third pick after the fault`);
  t.equal(lb.connectTimeouts, hung.length);
  const [chain] = causeChains(s);
  t.equal(chain?.answered, 'hung', 'the terminal and report explain it (no 502 was answered)');
  t.match(chain?.steps.join(' → '), `${hung.length} connects to lost hosts got no answer and hung proxy_connect_timeout 15`);
});

t.test('within proxy_next_upstream_timeout: the hung connect is retried on a live peer and answered late', async (t) => {
  const { s, hung } = outage('5s', '10s');
  t.ok(hung.length > 50, `${hung.length} connects timed out`);
  t.equal(s.totals.errors.timeout, 0, 'none failed: `timeout` is listed and 5 s < 10 s leaves time for the next peer');
  t.ok(s.latency.max >= 5, `their answers took the 5 s connect timeout and more (max ${s.latency.max.toFixed(3)} s)`);
  t.equal(s.components.lb.kind === 'loadBalancer' ? s.components.lb.retries : -1, hung.length, 'one retry per hung connect');
});

t.test('connectTimeout must be a positive duration', async (t) => {
  const bad = minimal();
  bad.components.nginx.connectTimeout = '0s';
  t.match(messageOf(() => parseScenario(bad, 'x.yaml', '.')), /^x\.yaml: components\.nginx\.connectTimeout: expected .*, got "0s"$/);
});
