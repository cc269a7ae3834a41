// The scenario's `traffic`: the workload (an open rate curve or a closed population), the clients
// and the request classes, their entries checked against the components.
import { parseCurve } from './curve.ts';
import { parseDist } from './dist.ts';
import { checkRef } from './references.ts';
import { child, fail, type Where } from './errors.ts';
import { Fields, integer, list, number, string } from './fields.ts';
import type { ComponentConfig, RequestClass, Workload } from './types.ts';

export const TRAFFIC_KEYS = ['rate', 'closed', 'clients', 'mix'] as const;

export function parseTraffic(
  value: unknown,
  at: Where,
  baseDir: string,
  components: ComponentConfig[],
): { workload: Workload; clients: number; mix: RequestClass[] } {
  const t = new Fields(value, at, TRAFFIC_KEYS, 'a mapping with rate (or closed), clients and mix');
  if (t.has('rate') === t.has('closed')) {
    fail(at, 'exactly one of rate (an open model) or closed (a closed model)', t.raw);
  }
  let workload: Workload;
  if (t.has('rate')) {
    workload = { model: 'open', rate: t.req('rate', (v, a) => parseCurve(v, a, baseDir)) };
  } else {
    const c = new Fields(t.raw.closed, t.where('closed'), ['users', 'thinkTime']);
    workload = {
      model: 'closed',
      users: c.req('users', integer(1)),
      thinkTime: c.req('thinkTime', (v, a) => parseDist(v, a, baseDir)),
    };
  }
  const clients = t.opt('clients', integer(1), 10000);
  const first = components[0]?.name;
  const mix = t.opt('mix', list((v, a) => parseClass(v, a, first), 1, 'a list of request classes'), [
    { name: 'default', weight: 1, entry: first, serviceTimeScale: 1 },
  ]);
  const seen = new Set<string>();
  mix.forEach((cls, i) => {
    if (seen.has(cls.name)) fail(child(child(t.where('mix'), i), 'name'), 'a name no other class has', cls.name);
    seen.add(cls.name);
  });
  mix.forEach((cls, i) => checkRef(cls.entry, child(child(t.where('mix'), i), 'entry'), components, 'component'));
  return { workload, clients, mix };
}

function parseClass(value: unknown, at: Where, firstComponent: string): RequestClass {
  const c = new Fields(value, at, ['name', 'weight', 'entry', 'serviceTimeScale'], 'a class like { name: page, weight: 70, entry: nginx }');
  return {
    name: c.req('name', string('a class name')),
    weight: c.opt('weight', number({ above: 0 }), 1),
    entry: c.opt('entry', string('a component name'), firstComponent),
    serviceTimeScale: c.opt('serviceTimeScale', number({ above: 0 }), 1),
  };
}
