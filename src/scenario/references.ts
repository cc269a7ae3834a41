// Cross-references between a scenario's components: every name a component uses must exist and be
// of the right kind (with a did-you-mean), and no path a request follows may lead back to where it
// started (a cycle would loop a request forever). Routes with probabilities (a pool's `next`) may
// loop — a Jackson network — as long as requests can leave the loop. Calls and a database's
// sessions are checked by ./topology.ts.
import { child, fail, type Where } from './errors.ts';
import { didYouMean } from './fields.ts';
import { checkConsumers, dataKindRefs } from './data-kinds.ts';
import type { ComponentConfig } from './types.ts';

type Raw = Record<string, Record<string, unknown>>;
export type Want = 'component' | 'pool' | 'callee';

const WANT_TEXT: Record<Want, string> = { component: 'a component', pool: 'a pool', callee: 'a component to call' };

/** A database's primary and replicas pools (`db/primary`): not addressed by name in a file. */
export function isPart(c: ComponentConfig): boolean {
  return c.name.includes('/');
}

function accepts(c: ComponentConfig, want: Want): boolean {
  if (isPart(c)) return false;
  if (want === 'pool') return c.kind === 'pool';
  if (want === 'callee') return true; // a call waits on the answer of any kind (a database's through its connections)
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

/** Where a route's target sits in the file: `next` (the short form) or `next[i].to`. */
export function routeAt(at: Where, raw: unknown, i: number): Where {
  return Array.isArray(raw) ? child(child(child(at, 'next'), i), 'to') : child(at, 'next');
}

interface Edge {
  to: string;
  at: Where;
  got: unknown;
}

export function checkReferences(components: ComponentConfig[], at: Where, raw: Raw): void {
  // Certain edges a request follows (a queue's consumers take messages, not the producer's request: no edge).
  const edges = new Map<string, Edge[]>();
  const edge = (from: string, e: Edge) => edges.set(from, [...(edges.get(from) ?? []), e]);
  for (const c of components) {
    const where = child(at, c.name);
    if (c.kind === 'loadBalancer') {
      checkRef(c.upstream, child(where, 'upstream'), components, 'pool');
      edge(c.name, { to: c.upstream, at: child(where, 'upstream'), got: raw[c.name]?.upstream });
      continue;
    }
    if (c.kind === 'pool') {
      c.next.forEach((r, i) => checkRef(r.to, routeAt(where, raw[c.name]?.next, i), components, 'component'));
      if (c.next.length === 1 && c.next[0].p >= 1) edge(c.name, { to: c.next[0].to, at: routeAt(where, raw[c.name]?.next, 0), got: c.next[0].to });
      continue;
    }
    for (const ref of dataKindRefs(c)) {
      checkRef(ref.to, child(where, ref.key), components, ref.want);
      if (ref.follows) edge(c.name, { to: ref.to, at: child(where, ref.key), got: raw[c.name]?.[ref.key] });
    }
    if (c.kind === 'queue') checkConsumers(c, components, child(where, 'consumers'));
    if ((c.kind === 'cache' || c.kind === 'queue') && c.next !== null) {
      checkRef(c.next, child(where, 'next'), components, 'component');
      edge(c.name, { to: c.next, at: child(where, 'next'), got: raw[c.name]?.next });
    }
  }
  // A depth-first walk from each component in file order finds a cycle through it.
  for (const start of components) {
    const path: string[] = [start.name];
    const visit = (node: string, seen: Set<string>): void => {
      for (const e of edges.get(node) ?? []) {
        if (e.to === start.name) fail(e.at, `a component that does not lead back in a cycle (${[...path, start.name].join(' → ')})`, e.got);
        if (seen.has(e.to)) continue; // a cycle not through start: found from its own start
        seen.add(e.to);
        path.push(e.to);
        visit(e.to, seen);
        path.pop();
      }
    };
    visit(start.name, new Set([start.name]));
  }
  checkTraps(components, at, raw);
}

/** Where a request goes from c, on some path (a queue's consumers take messages, not the request: not there). */
export function goesOn(c: ComponentConfig): string[] {
  if (c.kind === 'loadBalancer') return [c.upstream];
  if (c.kind === 'pool') return c.next.map((r) => r.to);
  const refs = dataKindRefs(c).filter((r) => r.follows).map((r) => r.to);
  return (c.kind === 'cache' || c.kind === 'queue') && c.next !== null ? [...refs, c.next] : refs;
}

/** Routes with probabilities: a loop must let requests leave (some component on it answers or routes out). */
function checkTraps(components: ComponentConfig[], at: Where, raw: Raw): void {
  // A pool answers the share its routes leave; a cache or queue without `next` and a CDN's edge answer themselves.
  const exits = (c: ComponentConfig) =>
    c.kind === 'pool' ? c.next.reduce((s, r) => s + r.p, 0) < 1 - 1e-9 : c.kind === 'cdn' || c.kind === 'database' || ((c.kind === 'cache' || c.kind === 'queue') && c.next === null);
  const leaves = new Set<string>();
  for (let changed = true; changed;) {
    changed = false;
    for (const c of components) {
      if (leaves.has(c.name) || !(exits(c) || goesOn(c).some((n) => leaves.has(n)))) continue;
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
