// Calls between components, checked once every component is parsed (names and routes: ./references.ts):
// a pool's calls, a connection pool's database, request classes named in calls and in a
// database's `writes`. Each bad one is an error at the field, with a did-you-mean; cycles show
// themselves. The checks:
// - calls go to any component (a pool, a balancer, a cache, a queue, a CDN edge, a database): the
//   caller waits on the answer of the whole path from there (a pool's `next` stages, a cache's
//   backend on a miss), so no pool on that path may lead back to the caller (a call waiting on
//   itself), however many calls apart;
// - sessions: a database's max_connections must hold its callers' pools at their largest fleet
//   (the initial instances, or the policy's maximum when larger) × pool size: on the primary (any
//   caller may write), and on the replicas' reader endpoint (initial replicas × max_connections,
//   when it starts with replicas). Below that — replicas scaled in, drains overlapping new
//   instances — the database refuses sessions at run time, as Postgres does.
import { bounds } from '../autoscale/index.ts';
import { child, fail, type Where } from './errors.ts';
import { didYouMean, isMapping } from './fields.ts';
import { checkRef, goesOn, isPart } from './references.ts';
import { CONNECTION_DEFAULTS } from './calls.ts';
import type { CallConfig, ComponentConfig, DatabaseConfig, PoolConfig, RequestClass } from './types.ts';

type Raw = Record<string, Record<string, unknown>>;

function checkClass(name: string, at: Where, mix: RequestClass[]): void {
  if (mix.some((m) => m.name === name)) return;
  const s = didYouMean(name, mix.map((m) => m.name));
  fail(at, `the name of a request class (${s !== undefined ? `did you mean "${s}"?` : `one of ${mix.map((m) => m.name).join(', ')}`})`, name);
}

export function checkTopology(components: ComponentConfig[], mix: RequestClass[], at: Where, raw: Raw): void {
  const pools = components.filter((c): c is PoolConfig => c.kind === 'pool' && !isPart(c));
  for (const c of components) {
    if (c.kind === 'database') c.writes.forEach((w, i) => checkClass(w, child(child(child(at, c.name), 'writes'), i), mix));
  }
  for (const p of pools) checkCalls(p, components, mix, child(at, p.name), raw);
  checkCallCycles(pools, components, at, raw);
  for (const db of components) if (db.kind === 'database') checkSessions(db, pools, components, at);
}

/** Each call of p with where it sits in the file: calls[i] (a step of one call) or calls[i].parallel[j]. */
function forEachCall(p: PoolConfig, raw: Raw, f: (c: CallConfig, at: (pool: Where) => Where) => void): void {
  const steps = raw[p.name]?.calls as unknown[] | undefined;
  p.calls.forEach((step, i) => step.forEach((c, j) => {
    const parallel = isMapping(steps?.[i]) && 'parallel' in (steps![i] as object);
    f(c, (w) => (parallel ? child(child(child(child(w, 'calls'), i), 'parallel'), j) : child(child(w, 'calls'), i)));
  }));
}

function checkCalls(p: PoolConfig, components: ComponentConfig[], mix: RequestClass[], at: Where, raw: Raw): void {
  const dbs = new Set<string>();
  forEachCall(p, raw, (c, where) => {
    const w = where(at);
    const target = checkRef(c.to, child(w, 'to'), components, 'callee');
    c.classes?.forEach((n, k) => checkClass(n, child(child(w, 'classes'), k), mix));
    if (target.kind === 'database') dbs.add(target.name);
    else if (c.query !== null) fail(child(w, 'query'), `no query kind: ${c.to} is a ${target.kind}, not a database`, c.query);
  });
  for (const name of Object.keys(p.connections)) {
    if (!dbs.has(name)) {
      const called = [...dbs];
      const s = didYouMean(name, called);
      fail(child(child(at, 'connections'), name), `the name of a database ${p.name} calls (${s !== undefined ? `did you mean "${s}"?` : called.length ? `one of ${called.join(', ')}` : 'it calls none'})`, name);
    }
  }
  for (const name of dbs) p.connections[name] ??= { ...CONNECTION_DEFAULTS };
}

/** The pools a request sent to `start` may reach on its path, each with the way there: a call waits on all of them. */
function reached(start: string, byName: Map<string, ComponentConfig>): Map<string, string[]> {
  const out = new Map<string, string[]>(), seen = new Set([start]), ways = [[start]];
  for (let i = 0; i < ways.length; i++) {
    const way = ways[i], c = byName.get(way[way.length - 1]);
    if (c === undefined) continue;
    if (c.kind === 'pool') out.set(c.name, way);
    for (const n of goesOn(c)) if (!seen.has(n)) { seen.add(n); ways.push([...way, n]); }
  }
  return out;
}

/** A call graph cycle: a request would wait on itself. */
function checkCallCycles(pools: PoolConfig[], components: ComponentConfig[], at: Where, raw: Raw): void {
  const byName = new Map(components.map((c) => [c.name, c]));
  const state = new Map<string, 1 | 2>(); // 1: on the path, 2: done
  const path: Array<{ pool: string; way: string[] }> = []; // the pools waiting, each with the way its caller's call took to it
  const visit = (p: PoolConfig, way: string[]): void => {
    state.set(p.name, 1);
    path.push({ pool: p.name, way });
    forEachCall(p, raw, (c, where) => {
      for (const [name, to] of reached(c.to, byName)) {
        if (state.get(name) === 2) continue;
        if (state.get(name) === 1) {
          const cycle = [name, ...path.slice(path.findIndex((e) => e.pool === name) + 1).flatMap((e) => e.way), ...to].join(' → ');
          fail(child(where(child(at, p.name)), 'to'), `a call that does not lead back to its caller (a cycle: ${cycle})`, c.to);
        }
        visit(byName.get(name) as PoolConfig, to);
      }
    });
    path.pop();
    state.set(p.name, 2);
  };
  for (const p of pools) if (!state.has(p.name)) visit(p, [p.name]);
}

/** The database's max_connections hold its callers' pools at their largest fleet (see the header). */
function checkSessions(db: DatabaseConfig, pools: PoolConfig[], components: ComponentConfig[], at: Where): void {
  const callers = pools.filter((p) => p.connections[db.name] !== undefined);
  const fleet = (p: PoolConfig) => Math.max(p.instances, p.autoscaling ? bounds(p.autoscaling).max : 0);
  const need = callers.reduce((s, p) => s + fleet(p) * p.connections[db.name].size, 0);
  const replicas = components.find((c) => c.name === db.replicas) as PoolConfig | undefined;
  const sides: Array<[string, number]> = [['primary', db.maxConnections.primary]];
  if (replicas && replicas.instances > 0) sides.push([`${replicas.instances} replicas`, replicas.instances * db.maxConnections.replica]);
  for (const [side, limit] of sides) {
    if (need <= limit) continue;
    const worst = callers.reduce((a, b) => (fleet(b) * b.connections[db.name].size > fleet(a) * a.connections[db.name].size ? b : a));
    const terms = callers.map((p) => `${p.name} ${fleet(p)} × ${p.connections[db.name].size}`).join(' + ');
    fail(
      child(child(child(child(at, worst.name), 'connections'), db.name), 'size'),
      `a pool size ${db.name} accepts: at their largest fleet its callers would open ${terms} = ${need} sessions, over ${db.name}'s max_connections of ${limit} on the ${side} (Postgres refuses the rest: "too many clients")`,
      worst.connections[db.name].size,
    );
  }
}
