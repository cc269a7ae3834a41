// Cross-references between a scenario's components: every name a component uses must exist and be
// of the right kind (with a did-you-mean), and no path a request follows may lead back to where it
// started (a cycle would loop a request forever).
import { child, fail, type Where } from './errors.ts';
import { didYouMean } from './fields.ts';
import { checkConsumers, dataKindRefs } from './data-kinds.ts';
import type { ComponentConfig } from './types.ts';

export function checkRef(
  name: string,
  at: Where,
  components: ComponentConfig[],
  want: 'component' | 'pool',
): ComponentConfig {
  const found = components.find((c) => c.name === name);
  if (found !== undefined && (want === 'component' || found.kind === 'pool')) return found;
  const candidates = components.filter((c) => want === 'component' || c.kind === 'pool').map((c) => c.name);
  const suggestion = didYouMean(name, candidates);
  let hint: string;
  if (found !== undefined) hint = `"${name}" is a ${found.kind}`;
  else if (suggestion !== undefined) hint = `did you mean "${suggestion}"?`;
  else hint = candidates.length > 0 ? `one of ${candidates.join(', ')}` : 'there is none';
  return fail(at, `the name of a ${want} (${hint})`, name);
}

export function checkReferences(components: ComponentConfig[], at: Where, raw: Record<string, Record<string, unknown>>): void {
  // Edges a request follows (a queue's consumers take messages, not the producer's request: no edge).
  const edges = new Map<string, Array<{ to: string; key: string }>>();
  const edge = (from: string, to: string, key: string) => edges.set(from, [...(edges.get(from) ?? []), { to, key }]);
  for (const c of components) {
    const where = child(at, c.name);
    if (c.kind === 'loadBalancer') {
      checkRef(c.upstream, child(where, 'upstream'), components, 'pool');
      edge(c.name, c.upstream, 'upstream');
      continue;
    }
    for (const ref of dataKindRefs(c)) {
      checkRef(ref.to, child(where, ref.key), components, ref.want);
      if (ref.follows) edge(c.name, ref.to, ref.key);
    }
    if (c.kind === 'queue') checkConsumers(c, components, child(where, 'consumers'));
    if ((c.kind === 'pool' || c.kind === 'cache' || c.kind === 'queue') && c.next !== null) {
      checkRef(c.next, child(where, 'next'), components, 'component');
      edge(c.name, c.next, 'next');
    }
  }
  // A depth-first walk from each component in file order finds a cycle through it.
  for (const start of components) {
    const path: string[] = [start.name];
    const visit = (node: string, seen: Set<string>): void => {
      for (const e of edges.get(node) ?? []) {
        if (e.to === start.name) {
          const cycle = [...path, start.name].join(' → ');
          fail(child(child(at, node), e.key), `a component that does not lead back in a cycle (${cycle})`, raw[node][e.key]);
        }
        if (seen.has(e.to)) continue; // a cycle not through start: found from its own start
        seen.add(e.to);
        path.push(e.to);
        visit(e.to, seen);
        path.pop();
      }
    };
    visit(start.name, new Set([start.name]));
  }
}
