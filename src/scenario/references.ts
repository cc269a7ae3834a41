// Names that point at other components (a balancer's upstream, a pool's next stage, a class's
// entry): each must exist and be of the right kind, and no chain may lead back in a cycle.
import { child, fail, type Where } from './errors.ts';
import { didYouMean } from './fields.ts';
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
  const edges = new Map<string, { to: string; key: 'upstream' | 'next' }>();
  for (const c of components) {
    const where = child(at, c.name);
    if (c.kind === 'loadBalancer') {
      checkRef(c.upstream, child(where, 'upstream'), components, 'pool');
      edges.set(c.name, { to: c.upstream, key: 'upstream' });
    } else if (c.next !== null) {
      checkRef(c.next, child(where, 'next'), components, 'component');
      edges.set(c.name, { to: c.next, key: 'next' });
    }
  }
  // Each component has at most one outgoing edge, so a walk from each finds any cycle.
  for (const start of components) {
    const seen: string[] = [start.name];
    let node = start.name;
    for (;;) {
      const edge = edges.get(node);
      if (edge === undefined) break;
      if (edge.to === start.name) {
        const cycle = [...seen, start.name].join(' → ');
        fail(child(child(at, node), edge.key), `a component that does not lead back in a cycle (${cycle})`, raw[node][edge.key]);
      }
      if (seen.includes(edge.to)) break; // a cycle not through start: found from its own start
      seen.push(edge.to);
      node = edge.to;
    }
  }
}
