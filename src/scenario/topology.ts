// Cross-references between components, checked once every component is parsed: a balancer's
// upstream, a pool's routes (`next`) and calls, a connection pool's database, request classes
// named in calls and in a database's `writes`. Each bad one is an error at the field, with a
// did-you-mean; cycles show themselves. The checks:
// - routes: a cycle of certain routes (p = 1) never ends, nor does a loop no route leaves;
// - calls go to a pool (without routes of its own: a call returns when the callee answers) or a
//   database, never in a cycle (a call waiting on itself);
// - sessions: a database's max_connections must hold its callers' pools at their largest fleet
//   (the initial instances, or the policy's maximum when larger) × pool size: on the primary (any
//   caller may write), and on the replicas' reader endpoint (initial replicas × max_connections,
//   when it starts with replicas). Below that — replicas scaled in, drains overlapping new
//   instances — the database refuses sessions at run time, as Postgres does.
import { bounds } from '../autoscale/index.ts';
import { child, fail, type Where } from './errors.ts';
import { didYouMean, isMapping } from './fields.ts';
import { CONNECTION_DEFAULTS } from './calls.ts';
import type { CallConfig, ComponentConfig, DatabaseConfig, PoolConfig, RequestClass } from './types.ts';

type Raw = Record<string, Record<string, unknown>>;
type Want = 'component' | 'pool' | 'callee' | 'entry';

const WANT_TEXT: Record<Want, string> = {
  component: 'a component', pool: 'a pool', callee: 'a pool or a database', entry: 'a component',
};

/** A database's primary and replicas pools (`db/primary`): not addressed by name in a file. */
export function isPart(c: ComponentConfig): boolean {
  return c.name.includes('/');
}

function accepts(c: ComponentConfig, want: Want): boolean {
  if (isPart(c)) return false;
  if (want === 'pool') return c.kind === 'pool';
  if (want === 'callee') return c.kind === 'pool' || c.kind === 'database';
  return c.kind !== 'database'; // a database is reached through calls only
}

export function checkRef(name: string, at: Where, components: ComponentConfig[], want: Want): ComponentConfig {
  const found = components.find((c) => c.name === name && !isPart(c));
  if (found !== undefined && accepts(found, want)) return found;
  const candidates = components.filter((c) => accepts(c, want)).map((c) => c.name);
  const suggestion = didYouMean(name, candidates);
  let hint: string;
  if (found?.kind === 'database') hint = `"${name}" is a database: it is reached through calls, whose pool holds the connections`;
  else if (found !== undefined) hint = `"${name}" is a ${found.kind}`;
  else if (suggestion !== undefined) hint = `did you mean "${suggestion}"?`;
  else hint = candidates.length > 0 ? `one of ${candidates.join(', ')}` : 'there is none';
  return fail(at, `the name of ${WANT_TEXT[want]} (${hint})`, name);
}

function checkClass(name: string, at: Where, mix: RequestClass[]): void {
  if (mix.some((m) => m.name === name)) return;
  const s = didYouMean(name, mix.map((m) => m.name));
  fail(at, `the name of a request class (${s !== undefined ? `did you mean "${s}"?` : `one of ${mix.map((m) => m.name).join(', ')}`})`, name);
}

/** Where a route's target sits in the file: `next` (the short form) or `next[i].to`. */
function routeAt(at: Where, raw: unknown, i: number): Where {
  return Array.isArray(raw) ? child(child(child(at, 'next'), i), 'to') : child(at, 'next');
}

export function checkTopology(components: ComponentConfig[], mix: RequestClass[], at: Where, raw: Raw): void {
  const pools = components.filter((c): c is PoolConfig => c.kind === 'pool' && !isPart(c));
  for (const c of components) {
    if (c.kind === 'loadBalancer') checkRef(c.upstream, child(child(at, c.name), 'upstream'), components, 'pool');
    if (c.kind === 'database') c.writes.forEach((w, i) => checkClass(w, child(child(child(at, c.name), 'writes'), i), mix));
  }
  for (const p of pools) {
    p.next.forEach((r, i) => checkRef(r.to, routeAt(child(at, p.name), raw[p.name].next, i), components, 'component'));
  }
  checkRouteCycles(components, at, raw);
  for (const p of pools) checkCalls(p, components, mix, child(at, p.name), raw);
  checkCallCycles(pools, at, raw);
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
    if (target.kind === 'pool' && target.next.length > 0) {
      fail(child(w, 'to'), `a pool without routes of its own (a call returns when ${c.to} answers; ${c.to} routes on with next)`, c.to);
    }
    c.classes?.forEach((n, k) => checkClass(n, child(child(w, 'classes'), k), mix));
    if (target.kind === 'database') dbs.add(target.name);
    else if (c.query !== null) fail(child(w, 'query'), `no query kind: ${c.to} is a pool, not a database`, c.query);
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

/** A call graph cycle: a request would wait on itself. */
function checkCallCycles(pools: PoolConfig[], at: Where, raw: Raw): void {
  const byName = new Map(pools.map((p) => [p.name, p]));
  const state = new Map<string, 1 | 2>(); // 1: on the path, 2: done
  const path: string[] = [];
  const visit = (p: PoolConfig): void => {
    state.set(p.name, 1);
    path.push(p.name);
    forEachCall(p, raw, (c, where) => {
      const q = byName.get(c.to);
      if (q === undefined || state.get(q.name) === 2) return;
      if (state.get(q.name) === 1) {
        const cycle = [...path.slice(path.indexOf(q.name)), q.name].join(' → ');
        fail(child(where(child(at, p.name)), 'to'), `a call that does not lead back to its caller (a cycle: ${cycle})`, c.to);
      }
      visit(q);
    });
    path.pop();
    state.set(p.name, 2);
  };
  for (const p of pools) if (!state.has(p.name)) visit(p);
}

/** Routes: certain ones (p = 1, a balancer's upstream) must not close a cycle; every loop must let requests leave. */
function checkRouteCycles(components: ComponentConfig[], at: Where, raw: Raw): void {
  const edges = new Map<string, { to: string; at: Where; got: unknown }>();
  for (const c of components) {
    const where = child(at, c.name);
    if (c.kind === 'loadBalancer') edges.set(c.name, { to: c.upstream, at: child(where, 'upstream'), got: raw[c.name].upstream });
    else if (c.kind === 'pool' && c.next.length === 1 && c.next[0].p >= 1) {
      edges.set(c.name, { to: c.next[0].to, at: routeAt(where, raw[c.name]?.next, 0), got: c.next[0].to });
    }
  }
  // Each component has at most one certain edge, so a walk from each finds any cycle.
  for (const start of components) {
    const seen: string[] = [start.name];
    let node = start.name;
    for (;;) {
      const edge = edges.get(node);
      if (edge === undefined) break;
      if (edge.to === start.name) {
        fail(edge.at, `a component that does not lead back in a cycle (${[...seen, start.name].join(' → ')})`, edge.got);
      }
      if (seen.includes(edge.to)) break; // a cycle not through start: found from its own start
      seen.push(edge.to);
      node = edge.to;
    }
  }
  // Probabilistic routes: a component from which no request can ever leave.
  const leaves = new Set<string>();
  const out = (c: ComponentConfig): string[] => (c.kind === 'loadBalancer' ? [c.upstream] : c.kind === 'pool' ? c.next.map((r) => r.to) : []);
  const exits = (c: ComponentConfig) => c.kind !== 'loadBalancer' && (c.kind !== 'pool' || c.next.reduce((s, r) => s + r.p, 0) < 1 - 1e-9);
  for (let changed = true; changed;) {
    changed = false;
    for (const c of components) {
      if (leaves.has(c.name) || !(exits(c) || out(c).some((n) => leaves.has(n)))) continue;
      leaves.add(c.name);
      changed = true;
    }
  }
  const trapped = components.find((c) => !leaves.has(c.name));
  if (trapped !== undefined && trapped.kind === 'pool') {
    const loop = [trapped.name, ...trapped.next.map((r) => r.to).filter((n, i, a) => a.indexOf(n) === i)].join(', ');
    fail(child(child(at, trapped.name), 'next'), `routes that let a request leave: from ${trapped.name} no route ever does (a closed loop through ${loop}; let the probabilities add up to less than 1)`, raw[trapped.name]?.next);
  }
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
