// Conservation, as a property: whatever the fleet, limits, timeouts, retries and scaling, every
// request that arrived has completed, failed, or is still in flight — and the in-flight count
// matches the live slots in the request table.
import t from 'tap';
import fc from 'fast-check';
import { parseScenario } from '../../src/scenario/index.ts';
import { Simulation } from '../../src/model/index.ts';
import { summarise } from '../../src/model/summary.ts';
import { ERROR_CAUSES, errorTotal } from '../../src/stats/results.ts';
import { Life } from '../../src/model/fleet.ts';
import { fastHpa } from './fast-hpa.ts';

const balancing = fc.constantFrom('round_robin', 'least_conn', 'ip_hash', 'random_two_least_conn');

const scenario = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  rate: fc.integer({ min: 1, max: 400 }),
  instances: fc.integer({ min: 1, max: 5 }),
  workers: fc.integer({ min: 1, max: 8 }),
  backlog: fc.integer({ min: 0, max: 20 }),
  meanMs: fc.integer({ min: 5, max: 400 }),
  timeoutMs: fc.option(fc.integer({ min: 50, max: 2000 }), { nil: undefined }),
  balancing,
  maxFails: fc.integer({ min: 0, max: 3 }),
  tries: fc.integer({ min: 0, max: 3 }),
  limit: fc.option(fc.record({ rate: fc.integer({ min: 1, max: 200 }), burst: fc.integer({ min: 0, max: 20 }), nodelay: fc.boolean() }), { nil: undefined }),
  tandem: fc.boolean(),
  closed: fc.boolean(),
  scaling: fc.boolean(),
  drainMs: fc.integer({ min: 0, max: 300 }),
  // Faults: instances lost or crashed mid-flight (their work fails or is retried), a zone down, slow or failing answers.
  faults: fc.array(fc.oneof(
    fc.record({ at: fc.integer({ min: 1, max: 55 }), kill: fc.constant('web'), count: fc.integer({ min: 1, max: 3 }) }),
    fc.record({ at: fc.integer({ min: 1, max: 55 }), crash: fc.constant('web'), count: fc.integer({ min: 1, max: 3 }), for: fc.option(fc.constantFrom('5s', '20s'), { nil: undefined }) }),
    fc.record({ at: fc.integer({ min: 1, max: 55 }), zoneOutage: fc.constantFrom('a', 'b'), for: fc.constantFrom('10s', '30s') }),
    fc.record({ at: fc.integer({ min: 1, max: 55 }), slow: fc.constant('web'), factor: fc.constantFrom(2, 5), for: fc.constant('10s') }),
    fc.record({ at: fc.integer({ min: 1, max: 55 }), errors: fc.constant('web'), fraction: fc.constantFrom('10%', '50%'), status: fc.constantFrom(500, 502), for: fc.constant('10s') }),
  ), { maxLength: 3 }),
  restart: fc.constantFrom('none', 'swarm', 'health'),
});

t.test('arrivals = completions + errors + in flight, and L = λW, on random scenarios', async (t) => {
  let scaledIn = 0, killed = 0, timedOut = 0, lostWork = 0, refusedRuns = 0, answered5xx = 0;
  fc.assert(
    fc.property(scenario, (p) => {
      const web: Record<string, unknown> = {
        kind: 'pool', instances: p.instances, workers: p.workers, backlog: p.backlog,
        ...(p.restart === 'swarm' && !p.scaling ? { restartPolicy: { condition: 'any', delay: '2s', max_attempts: 2 }, replacement: { after: '3s', afterZoneLoss: '8s' } } : {}),
        ...(p.restart === 'health' && !p.scaling ? { restartPolicy: { condition: 'any', delay: '1s' }, healthCheck: { interval: '2s', timeout: '500ms', retries: 2 } } : {}),
        // Long requests when scaling, so that some are still running when the drain timeout kills them.
        serviceTime: { dist: 'exponential', mean: `${p.scaling ? p.meanMs * 20 : p.meanMs}ms` },
        ...(p.timeoutMs ? { timeout: `${p.timeoutMs}ms` } : {}),
        ...(p.tandem ? { next: 'api' } : {}),
        ...(p.scaling
          ? {
              bootTime: '3s', readinessDelay: '1s', drainTimeout: `${p.drainMs}ms`, cpuLimit: '2000m',
              metrics: { scrapeInterval: '5s', window: '5s' },
              // An HPA that follows the load both ways at once: scale-in drains and kills mid-flight.
              autoscaling: fastHpa(12),
            }
          : {}),
      };
      const raw = {
        name: 'prop', seed: p.seed, duration: '60s', sampleInterval: '5s', zones: ['a', 'b', 'c'],
        faults: p.faults.map((f) => ({ ...f, at: `${f.at}s` })),
        traffic: p.closed
          ? { closed: { users: p.rate, thinkTime: { dist: 'exponential', mean: '500ms' } }, clients: 50 }
          : { rate: p.scaling ? { step: { initial: p.rate, steps: [{ at: '20s', rate: p.rate * 4 }, { at: '40s', rate: Math.max(1, p.rate / 2) }] } } : p.rate, clients: 50 },
        components: {
          lb: {
            kind: 'loadBalancer', upstream: 'web', balancing: p.balancing, maxFails: p.maxFails, failTimeout: '5s',
            nextUpstream: { on: ['error', 'timeout'], tries: p.tries },
            ...(p.limit ? { limitReq: { rate: p.limit.rate, burst: p.limit.burst, nodelay: p.limit.nodelay } } : {}),
          },
          web,
          api: { kind: 'pool', instances: 2, workers: 4, backlog: 10, serviceTime: { dist: 'exponential', mean: '20ms' } },
        },
      };
      const run = new Simulation(parseScenario(raw, 'prop.yaml', '.')).run();
      const s = summarise(run);
      const e = s.totals.errors;
      if (s.scaling.some((x) => x.to < x.from)) scaledIn++;
      const webPool = s.components.web;
      if (webPool.kind === 'pool' && webPool.errors.noUpstream > 0) killed++;
      if (e.timeout > 0) timedOut++;
      if (e.killed > 0) lostWork++;
      if (e.refused > 0) refusedRuns++;
      if ((webPool.kind === 'pool' && webPool.errors.serverError > 0)) answered5xx++;
      const failed = errorTotal(e);
      if (s.totals.arrivals !== s.totals.completions + failed + s.totals.inFlight) return false;
      // Little's law, L = λW, with L measured as a time average and W from per-request sojourns.
      const L = s.totals.meanInSystem, lw = s.totals.offeredRate * s.totals.meanResponse;
      if (Math.abs(L - lw) > 1e-9 * Math.max(1, L)) return false;
      let live = 0, probes = 0;
      const req = run.requests;
      for (let i = 0; i < req.capacity; i++) {
        if (req.state[i] < 1 || req.state[i] > 3) continue;
        if (req.cls[i] === run.scenario.mix.length) probes++; // a health check in flight: not a request of the run
        else live++;
      }
      // Delayed + queued + in service = in flight (abandoned slots are not requests any more).
      if (live !== s.totals.inFlight || s.totals.inFlight < 0) return false;
      // The pools' running totals agree with their instances: no worker or queue entry leaks
      // through timeouts, drains or kills.
      for (const pool of run.pools) {
        let busy = 0, queued = 0;
        for (let i = 0; i < pool.n; i++) {
          if (pool.life[i] === Life.Gone || pool.life[i] === Life.Down) continue; // no workers
          busy += pool.busy[i];
          queued += pool.backlogs[i].live;
        }
        if (busy !== pool.busyTotal.current || queued !== pool.queued.current) return false;
      }
      return true;
    }),
    { numRuns: 150, seed: 42 },
  );
  t.pass('conservation held on 150 random scenarios');
  // The property is only as good as what it reaches: scale-in, kills at the drain timeout, timeouts.
  t.ok(scaledIn >= 10, `scale-in happened in ${scaledIn} runs`);
  t.ok(killed >= 3, `requests were killed with a draining instance in ${killed} runs`);
  t.ok(timedOut >= 10, `timeouts happened in ${timedOut} runs`);
  t.ok(lostWork >= 10, `requests failed with a crashed or lost instance in ${lostWork} runs`);
  t.ok(refusedRuns >= 5, `a down instance refused connections in ${refusedRuns} runs`);
  t.ok(answered5xx >= 5, `5xx answers were injected in ${answered5xx} runs`);
});

t.test('per-class totals add up to the system totals', async (t) => {
  const raw = {
    name: 'classes', seed: 3, duration: '10m', sampleInterval: '1m',
    traffic: { rate: 50, mix: [{ name: 'a', weight: 3, entry: 'lb' }, { name: 'b', weight: 1, entry: 'web' }] },
    components: {
      lb: { kind: 'loadBalancer', upstream: 'web', limitReq: { rate: 30, burst: 5, key: 'global', nodelay: true } },
      web: { kind: 'pool', instances: 2, workers: 2, backlog: 3, serviceTime: { dist: 'exponential', mean: '30ms' }, timeout: '200ms' },
    },
  };
  const s = summarise(new Simulation(parseScenario(raw, 'classes.yaml', '.')).run());
  const cs = Object.values(s.classes!);
  t.equal(cs.length, 2);
  t.equal(cs.reduce((a, c) => a + c.arrivals, 0), s.totals.arrivals, 'arrivals');
  t.equal(cs.reduce((a, c) => a + c.completions, 0), s.totals.completions, 'completions');
  for (const k of ERROR_CAUSES) {
    t.equal(cs.reduce((a, c) => a + c.errors[k], 0), s.totals.errors[k], `errors ${k}`);
  }
  t.ok(s.classes!.a.errors.rateLimited > 0 && s.classes!.b.errors.rateLimited === 0, 'only the class through the balancer is rate-limited');
  // Class a's count is Binomial(n, 3/4): within ±3.3 standard deviations (99.9%).
  const n = s.totals.arrivals;
  t.ok(Math.abs(s.classes!.a.arrivals - 0.75 * n) <= 3.3 * Math.sqrt(n * 0.75 * 0.25), 'the mix weights hold');
});
