// Conservation with calls, as a property: on random stacks — nginx, a caller whose calls go to a
// pool, a cache (whose misses go on to that pool), an internal nginx in front of that pool and a
// database in sequence and in parallel, with probabilities, timeouts, retries,
// optional calls, connection pools that time out, replicas, and a caller that scales in and
// kills requests mid-call — every request arrived has completed, failed or is in flight, no
// worker, slot, attempt or connection leaks, and every outstanding attempt's child is at a callee.
import t from 'tap';
import fc from 'fast-check';
import { parseScenario } from '../../src/scenario/index.ts';
import { Simulation } from '../../src/model/index.ts';
import { summarise } from '../../src/model/summary.ts';
import { errorTotal } from '../../src/stats/results.ts';
import { AttemptState } from '../../src/model/call-attempts.ts';
import { ReqState, MAX_CALL_DEPTH } from '../../src/model/requests.ts';
import type { PoolRuntime } from '../../src/model/pool.ts';
import { fastHpa } from './fast-hpa.ts';

const call = fc.record({
  to: fc.constantFrom('api', 'db', 'redis', 'inner'),
  p: fc.constantFrom(1, 1, 0.5),
  timeoutMs: fc.option(fc.integer({ min: 20, max: 500 }), { nil: undefined }),
  retries: fc.integer({ min: 0, max: 3 }),
  jitter: fc.constantFrom('none', 'full', 'equal', 'decorrelated'),
  required: fc.boolean(),
});
const scenario = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  rate: fc.integer({ min: 5, max: 300 }),
  instances: fc.integer({ min: 1, max: 4 }),
  workers: fc.integer({ min: 1, max: 16 }),
  backlog: fc.integer({ min: 0, max: 20 }),
  timeoutMs: fc.option(fc.integer({ min: 50, max: 2000 }), { nil: undefined }),
  steps: fc.array(fc.array(call, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 2 }),
  apiWorkers: fc.integer({ min: 1, max: 4 }),
  apiBacklog: fc.integer({ min: 0, max: 10 }),
  apiTimeoutMs: fc.option(fc.integer({ min: 20, max: 500 }), { nil: undefined }),
  dbWorkers: fc.integer({ min: 1, max: 4 }),
  replicas: fc.integer({ min: 0, max: 2 }),
  poolSize: fc.integer({ min: 1, max: 5 }),
  acquireMs: fc.integer({ min: 20, max: 1000 }),
  ryw: fc.boolean(),
  nextUpstream: fc.constantFrom(['error', 'timeout'], ['error', 'timeout', 'http_502', 'http_503', 'http_504'], 'off'),
  scaling: fc.boolean(),
  hitRatio: fc.constantFrom(0, 0.5, 0.9),
  redisConnections: fc.integer({ min: 1, max: 20 }),
});

t.test('calls conserve requests, workers, slots, attempts and connections on random stacks', async (t) => {
  let retried = 0, connTimeouts = 0, killed = 0, orphans = 0, cacheMisses = 0, cacheRefusals = 0, viaBalancer = 0;
  fc.assert(
    fc.property(scenario, (p) => {
      const raw = {
        name: 'prop', seed: p.seed, duration: '40s', sampleInterval: '5s',
        traffic: { rate: p.scaling ? { step: { initial: p.rate, steps: [{ at: '15s', rate: Math.max(1, p.rate / 8) }] } } : p.rate, clients: 30, mix: [{ name: 'r', weight: 3, entry: 'lb' }, { name: 'w', weight: 1, entry: 'lb' }] },
        components: {
          lb: { kind: 'loadBalancer', upstream: 'web', maxFails: 0, nextUpstream: { on: p.nextUpstream, tries: 2 } },
          web: {
            kind: 'pool', instances: p.instances, workers: p.workers, backlog: p.backlog, serviceTime: { dist: 'exponential', mean: '5ms' },
            ...(p.timeoutMs ? { timeout: `${p.timeoutMs}ms` } : {}),
            calls: p.steps.map((step) => {
              const calls = step.map((c) => ({
                to: c.to, p: c.p, required: c.required, retries: { max: c.retries, backoff: '10ms', cap: '100ms', jitter: c.jitter },
                ...(c.timeoutMs ? { timeout: `${c.timeoutMs}ms` } : {}),
              }));
              return calls.length === 1 ? calls[0] : { parallel: calls };
            }),
            ...(p.steps.flat().some((c) => c.to === 'db') ? { connections: { db: { size: p.poolSize, acquireTimeout: `${p.acquireMs}ms` } } } : {}),
            ...(p.scaling
              ? {
                  drainTimeout: '10ms', cpuLimit: '2000m', metrics: { scrapeInterval: '5s', window: '5s' },
                  autoscaling: fastHpa(4),
                }
              : {}),
          },
          // Slow calls when scaling, so that some are still out when the drain timeout cuts their request.
          api: {
            kind: 'pool', instances: 1, workers: p.apiWorkers, backlog: p.apiBacklog, serviceTime: { dist: 'exponential', mean: p.scaling ? '300ms' : '20ms' },
            ...(p.apiTimeoutMs ? { timeout: `${p.apiTimeoutMs}ms` } : {}),
          },
          inner: { kind: 'loadBalancer', upstream: 'api', maxFails: 0 },
          redis: { kind: 'cache', backend: 'api', hitRatio: p.hitRatio, opTime: { dist: 'exponential', mean: '2ms' }, connections: p.redisConnections },
          db: {
            kind: 'database', writes: ['w'], replicationLag: '50ms', ...(p.ryw ? { readYourWrites: '1s' } : {}),
            primary: { workers: p.dbWorkers, maxConnections: 100, serviceTime: { read: { dist: 'exponential', mean: '10ms' }, write: { dist: 'exponential', mean: '30ms' } } },
            ...(p.replicas > 0 ? { replicas: { instances: p.replicas, maxConnections: 100 } } : {}),
          },
        },
      };
      const sim = new Simulation(parseScenario(raw, 'prop.yaml', '.'));
      const run = sim.run();
      const s = summarise(run);
      if (s.totals.arrivals !== s.totals.completions + errorTotal(s.totals.errors) + s.totals.inFlight) return false;
      const L = s.totals.meanInSystem, lw = s.totals.offeredRate * s.totals.meanResponse;
      if (Math.abs(L - lw) > 1e-9 * Math.max(1, L)) return false;
      const req = run.requests;
      let used = 0, top = 0;
      for (let i = 0; i < req.capacity; i++) {
        const st = req.state[i];
        if (st === ReqState.Free) continue;
        used++;
        // A request of the system: waited on by no caller (a call's child is waited on by its caller).
        if (st !== ReqState.Abandoned && req.callDepth[i] === 0) top++;
      }
      if (used !== req.live || top !== s.totals.inFlight) return false;
      for (const pool of run.pools as PoolRuntime[]) {
        let busy = 0, queued = 0, onWorkers = 0, waiting = 0;
        for (let i = 0; i < pool.n; i++) {
          if (pool.life[i] === 4) continue;
          busy += pool.busy[i];
          queued += pool.backlogs[i].live;
        }
        for (let i = 0; i < req.capacity; i++) {
          if (req.comp[i] !== pool.index || pool.life[req.inst[i]] === 4) continue;
          const st = req.state[i];
          if (st === ReqState.Service || st === ReqState.Calling || st === ReqState.Abandoned) onWorkers++;
          else if (st === ReqState.Queued) waiting++;
        }
        if (busy !== pool.busyTotal.current || queued !== pool.queued.current || busy !== onWorkers || queued !== waiting) return false;
      }
      // Every attempt still out has its child at a callee, sent by this caller for this attempt;
      // connections in use are exactly the attempts holding one.
      const web = run.pools.find((x) => x.cfg.name === 'web')!;
      const at = (web.caller as any).at, conns = (web.caller as any).conns;
      const held = new Map<number, number>();
      let live = 0;
      for (let a = 0; a < at.capacity; a++) {
        const st = at.state[a];
        if (st === AttemptState.Free) continue;
        live++;
        if (st === AttemptState.Orphan) orphans++;
        if (st === AttemptState.Out || st === AttemptState.Orphan) {
          const ch = at.child[a];
          // The child is waited on by web for this attempt, first in its stack (a cache's miss adds itself above).
          if (req.callDepth[ch] < 1 || req.callers[ch * MAX_CALL_DEPTH] !== web.index || req.callHandles[ch * MAX_CALL_DEPTH] !== a) return false;
          if (![ReqState.Queued, ReqState.Service, ReqState.Calling].includes(req.state[ch])) return false;
          if (at.conn[a] >= 0) held.set(at.conn[a], (held.get(at.conn[a]) ?? 0) + 1);
        }
      }
      if (live > at.live) return false;
      for (let cp = 0; cp < conns.inUse.length; cp++) if (conns.inUse[cp] !== (held.get(cp) ?? 0)) return false;
      const c = s.components.web.kind === 'pool' ? s.components.web.calls! : null;
      if (c === null) return false;
      retried += Object.values(c.to).some((x) => x.retries > 0) ? 1 : 0;
      connTimeouts += (c.to.db?.connections?.acquireTimeouts ?? 0) > 0 ? 1 : 0;
      killed += s.components.web.errors.noUpstream > 0 ? 1 : 0;
      const r = s.components.redis;
      if (r.kind !== 'cache' || r.arrivals !== (c.to.redis?.attempts ?? 0)) return false; // every attempt reached the cache, none other did
      if (r.misses > 0) cacheMisses++;
      if ((c.to.inner?.attempts ?? 0) > 0) viaBalancer++;
      if (r.errors.backlogFull > 0) cacheRefusals++;
      return true;
    }),
    { numRuns: 120, seed: 7 },
  );
  t.pass('conservation held on 120 random stacks');
  t.ok(retried >= 10, `retries happened in ${retried} runs`);
  t.ok(connTimeouts >= 5, `connection timeouts happened in ${connTimeouts} runs`);
  t.ok(killed >= 3, `requests were cut mid-call by a drain in ${killed} runs`);
  t.ok(orphans >= 1, `attempts were orphaned (${orphans} at the end)`);
  t.ok(cacheMisses >= 10, `calls to the cache missed on to its backend in ${cacheMisses} runs`);
  t.ok(viaBalancer >= 10, `calls went through a balancer in ${viaBalancer} runs`);
  t.ok(cacheRefusals >= 3, `the cache refused calls (connections full) in ${cacheRefusals} runs`);
});
