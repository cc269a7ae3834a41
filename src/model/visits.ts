// How many components a request visits on average, from the scenario alone: the walk the model
// makes it take (a balancer to its pool, a pool's `next` routes and calls, a cache's misses to its
// backend, a CDN's misses to its origin, a queue's messages to its consumers). The work estimate
// (./work-size.ts) prices a run by requests and by visits, since a deep stack costs several times
// what a single pool does per request (bench:work measures both unit costs).
//
// It is the healthy run's walk, erring high where the scenario does not say: a call's retries
// (which only failures cause) and a balancer's next-upstream tries are not counted; an LRU
// cache's hits emerge from its keys, so its misses are counted as all lookups; a cycle of routes
// (a pool routing back to itself) is cut at MAX_DEPTH.
import type { ComponentConfig, Scenario } from '../scenario/types.ts';

const MAX_DEPTH = 32;

/** Expected visits of one request of class `cls` entering at component `name`. */
function visitsFrom(byName: Map<string, ComponentConfig>, name: string, cls: number, clsName: string, depth: number): number {
  const c = byName.get(name);
  if (c === undefined || depth > MAX_DEPTH) return 0;
  const on = (to: string | null, p = 1) => (to === null || p === 0 ? 0 : p * visitsFrom(byName, to, cls, clsName, depth + 1));
  switch (c.kind) {
    case 'loadBalancer':
      return 1 + on(c.upstream);
    case 'pool': {
      let v = 1;
      for (const r of c.next) v += on(r.to, r.p);
      for (const step of c.calls) {
        for (const call of step) {
          if (call.classes !== null && !call.classes.includes(clsName)) continue;
          v += on(call.to, call.p);
        }
      }
      return v;
    }
    case 'cache':
      return 1 + on(c.backend, c.hitRatio === null ? 1 : 1 - c.hitRatio) + on(c.next);
    case 'cdn':
      return 1 + on(c.origin, 1 - (c.edgeByClass[cls] ?? 0));
    case 'queue':
      return 1 + on(c.consumers) + on(c.next);
    case 'database':
      return 2; // the database, then its primary's or its replicas' pool
  }
}

/** Mean components visited per request, over the request mix. */
export function visitsPerRequest(sc: Scenario): number {
  const byName = new Map(sc.components.map((c) => [c.name, c]));
  const total = sc.mix.reduce((s, m) => s + m.weight, 0);
  return sc.mix.reduce((s, m, i) => s + (m.weight / total) * visitsFrom(byName, m.entry, i, m.name, 0), 0);
}
