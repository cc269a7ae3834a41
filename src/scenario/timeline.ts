// The scenario's timeline: `zones`, `faults` and `releases`, and how long the SLO must hold again
// for a disruption to count as recovered (`recovery: { holdFor }`). Every name is checked against
// the components and zones (did-you-mean), every time against the run's duration.
import { parseRunTime, type RunClock } from './clock.ts';
import { parseDist } from './dist.ts';
import { child, fail, type Where } from './errors.ts';
import { Fields, didYouMean, integer, isMapping, list, number, string } from './fields.ts';
import { parseDuration, parsePercent, parsePositiveDuration } from './units.ts';
import { RESIZE_KEYS, describeSize, parseResize, poolSize, resize, resizeLabel, sameSize, type ResizeAsk } from './resize.ts';
import type { AbortRule, ComponentConfig, DatabaseConfig, Fault, NodesConfig, PoolConfig, PoolSize, Release, Selection, Strategy } from './types.ts';

export const FAULT_KINDS = ['zoneOutage', 'kill', 'crash', 'slow', 'errors', 'failover'] as const;
const SETTINGS = ['count', 'percent', 'zone', 'factor', 'fraction', 'status', 'detection', 'promotion'] as const;
const FAULT_KEYS = ['at', 'for', ...FAULT_KINDS, ...SETTINGS] as const;
const RELEASE_KEYS = ['at', 'pool', 'version', 'serviceTime', 'errorRate', 'crashOnStart', 'blueGreen', 'canary', ...RESIZE_KEYS] as const;
const STATUSES = [500, 502, 503, 504];
const ZONE_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function parseZones(value: unknown, at: Where): string[] {
  const zones = list(string('a zone name like "us-east-1a"'), 1, 'a list of zone names')(value, at);
  zones.forEach((z, i) => {
    if (!ZONE_RE.test(z)) fail(child(at, i), 'a zone name of letters, digits, ".", "-" and "_"', z);
    if (zones.indexOf(z) !== i) fail(child(at, i), 'a zone name not listed before', z);
  });
  if (zones.length > 255) fail(at, 'at most 255 zones', zones.length);
  return zones;
}

/** A pool's own `zones:` narrows the scenario's. */
export function parsePoolZones(value: unknown, at: Where, all: string[]): string[] {
  const zones = list(string('a zone name'), 1, 'a list of zone names')(value, at);
  zones.forEach((z, i) => checkZone(z, child(at, i), all));
  return zones;
}

function checkZone(z: unknown, at: Where, zones: string[]): string {
  if (typeof z === 'string' && zones.includes(z)) return z;
  const near = typeof z === 'string' ? didYouMean(z, zones) : undefined;
  const hint = zones.length === 0 ? 'the scenario lists no zones' : near !== undefined ? `did you mean "${near}"?` : `one of ${zones.join(', ')}`;
  return fail(at, `a zone of the scenario (${hint})`, z);
}

function checkPool(name: unknown, at: Where, components: ComponentConfig[]): PoolConfig {
  const found = components.find((c) => c.name === name);
  if (found?.kind === 'pool') return found;
  const pools = components.filter((c) => c.kind === 'pool').map((c) => c.name);
  const near = typeof name === 'string' ? didYouMean(name, pools) : undefined;
  const hint = found !== undefined ? `"${String(name)}" is a ${found.kind}` : near !== undefined ? `did you mean "${near}"?` : `one of ${pools.join(', ')}`;
  return fail(at, `the name of a pool (${hint})`, name);
}

/** A failover needs a database with replicas: one of them is promoted. */
function checkDatabase(name: unknown, at: Where, components: ComponentConfig[]): DatabaseConfig {
  const found = components.find((c) => c.name === name);
  if (found?.kind === 'database' && found.replicas !== null) return found;
  const dbs = components.filter((c) => c.kind === 'database').map((c) => c.name);
  const near = typeof name === 'string' ? didYouMean(name, dbs) : undefined;
  const hint = found?.kind === 'database' ? `"${found.name}" has no replicas to promote`
    : found !== undefined ? `"${String(name)}" is a ${found.kind}` : near !== undefined ? `did you mean "${near}"?` : dbs.length ? `one of ${dbs.join(', ')}` : 'the scenario has none';
  return fail(at, `the name of a database with replicas (${hint})`, name);
}

/** A time on the run's clock (see clock.ts) that falls inside the run. */
function parseAt(v: unknown, at: Where, clock: RunClock): number {
  const t = parseRunTime(v, at, clock);
  if (t >= clock.duration) fail(at, `a time before the end of the run (${clock.duration} s)`, v);
  return t;
}

export function parseFaults(value: unknown, at: Where, ctx: TimelineContext): Fault[] {
  const faults = list((v, a) => parseFault(v, a, ctx), 0, 'a list of faults like { at: 2h, zoneOutage: us-east-1b, for: 30m }')(value, at);
  return faults.map((f, i) => [f, i] as const).sort((a, b) => a[0].at - b[0].at || a[1] - b[1]).map(([f]) => f);
}

export interface TimelineContext extends RunClock {
  components: ComponentConfig[];
  zones: string[];
  baseDir: string;
  nodes?: NodesConfig;
}

function parseFault(v: unknown, at: Where, ctx: TimelineContext): Fault {
  const f = new Fields(v, at, FAULT_KEYS, 'a fault like { at: 2h, kill: web, count: 2 }');
  const kinds = FAULT_KINDS.filter((k) => f.has(k));
  if (kinds.length !== 1) fail(at, `exactly one of ${FAULT_KINDS.join(', ')}`, kinds.length === 0 ? v : kinds);
  const kind = kinds[0];
  const t = f.req('at', (x, a) => parseAt(x, a, ctx));
  const window = (required: boolean): number => {
    if (required && !f.has('for')) fail(f.where('for'), `a duration: how long the ${kind} fault lasts, like "10m"`, undefined);
    return f.opt('for', parsePositiveDuration, 0);
  };
  const allow = (keys: readonly string[]) => {
    for (const k of SETTINGS) {
      if (f.has(k) && !keys.includes(k)) fail(f.where(k), `nothing: ${k} is not a setting of a ${kind} fault`, f.raw[k]);
    }
  };
  switch (kind) {
    case 'zoneOutage': {
      allow([]);
      const zone = f.req('zoneOutage', (x, a) => checkZone(x, a, ctx.zones));
      return { kind, at: t, zone, duration: f.opt('for', parsePositiveDuration, Infinity) };
    }
    case 'kill':
    case 'crash': {
      allow(['count', 'percent', 'zone']);
      const pool = checkPool(f.raw[kind], f.where(kind), ctx.components);
      const select = selection(f, at, pool);
      if (kind === 'kill') {
        if (f.has('for')) fail(f.where('for'), 'nothing: a killed instance is replaced, not revived (use crash with for: for a crash loop)', f.raw.for);
        return { kind, at: t, pool: pool.name, select };
      }
      return { kind, at: t, pool: pool.name, select, duration: window(false) };
    }
    case 'slow': {
      allow(['factor']);
      const pool = checkPool(f.raw.slow, f.where('slow'), ctx.components);
      return { kind, at: t, pool: pool.name, factor: f.req('factor', number({ above: 0 })), duration: window(true) };
    }
    case 'errors': {
      allow(['fraction', 'status']);
      const pool = checkPool(f.raw.errors, f.where('errors'), ctx.components);
      const fraction = f.req('fraction', parsePercent);
      const status = f.opt('status', (x, a) => (STATUSES.includes(Number(x)) && String(Number(x)) === String(x) ? Number(x) : fail(a, `one of ${STATUSES.join(', ')}`, x)), 500);
      return { kind, at: t, pool: pool.name, fraction, status, duration: window(true) };
    }
    case 'failover': {
      allow(['detection', 'promotion']);
      if (f.has('for')) fail(f.where('for'), 'nothing: a failover lasts its detection and promotion', f.raw.for);
      const db = checkDatabase(f.raw.failover, f.where('failover'), ctx.components);
      const need = (k: 'detection' | 'promotion', what: string) => {
        if (!f.has(k)) fail(f.where(k), `a duration: ${what}, like "30s"`, undefined);
        return f.req(k, parseDuration);
      };
      return {
        kind, at: t, database: db.name,
        detection: need('detection', 'how long until the primary\'s loss is noticed'),
        promotion: need('promotion', 'how long promoting a replica takes once it is'),
      };
    }
  }
}

function selection(f: Fields, at: Where, pool: PoolConfig): Selection {
  const by = (['count', 'percent', 'zone'] as const).filter((k) => f.has(k));
  if (by.length > 1) fail(at, 'one of count, percent or zone (which instances)', by);
  if (by.length === 0) return { by: 'fraction', fraction: 1 };
  switch (by[0]) {
    case 'count': return { by: 'count', count: f.req('count', integer(1)) };
    case 'percent': return { by: 'fraction', fraction: f.req('percent', parsePercent) };
    case 'zone': return { by: 'zone', zone: f.req('zone', (x, a) => checkZone(x, a, pool.zones)) };
  }
}

/** A release as read, before the timeline's order says what runs before it: its resize, if any. */
type ReadRelease = Omit<Release, 'version'> & { version: string | null; ask: ResizeAsk | null };

export function parseReleases(value: unknown, at: Where, ctx: TimelineContext): Release[] {
  const releases = list((v, a) => parseRelease(v, a, ctx), 0, 'a list of releases like { at: 20:00, pool: web, version: v2 }')(value, at);
  const order = releases.map((r, i) => [r, i] as const).sort((a, b) => a[0].at - b[0].at || a[1] - b[1]);
  // In time order: each release brings a version other than the one running then, at the size in
  // effect then unless it resizes; a label released again brings back its version, size and all.
  const pools = ctx.components.filter((c): c is PoolConfig => c.kind === 'pool');
  const running = new Map(pools.map((c) => [c.name, c.version]));
  const size = new Map(pools.map((c) => [c.name, poolSize(c)]));
  const sizeOf = new Map(pools.map((c) => [`${c.name}@${c.version}`, size.get(c.name)!]));
  return order.map(([{ ask, ...r }, i]): Release => {
    const pool = pools.find((c) => c.name === r.pool)!, now = size.get(r.pool)!;
    const to = ask === null ? now : resize(ask, now, pool, ctx.nodes);
    const version = r.version ?? resizeLabel(running.get(r.pool)!, ask!, to);
    const where = child(child(at, i), 'version');
    if (running.get(r.pool) === version) fail(where, `a version other than the one ${r.pool} runs by then (${version})`, version);
    const before = sizeOf.get(`${r.pool}@${version}`);
    if (before !== undefined && ask !== null && !sameSize(before, to)) fail(where, `a version label not released before at another size (${version} ran ${describeSize(before)})`, version);
    const at2: PoolSize = before ?? to;
    sizeOf.set(`${r.pool}@${version}`, at2);
    running.set(r.pool, version);
    size.set(r.pool, at2);
    return { ...r, version, ...(sameSize(at2, poolSize(pool)) ? {} : { size: at2 }) };
  });
}

function parseRelease(v: unknown, at: Where, ctx: TimelineContext): ReadRelease {
  const f = new Fields(v, at, RELEASE_KEYS, 'a release like { at: 20:00, pool: web, version: v2 }');
  const pool = checkPool(f.raw.pool, f.where('pool'), ctx.components);
  const t = f.req('at', (x, a) => parseAt(x, a, ctx));
  const ask = parseResize(f, at, pool);
  // A resize may leave its label to the timeline (the running version's, marked with the new size).
  const version = ask !== null && !f.has('version') ? null : f.req('version', string('a version label like "v2" (only a resize may leave it out)'));
  if (f.has('blueGreen') && f.has('canary')) fail(at, 'at most one of blueGreen or canary', f.raw);
  let strategy: Strategy | null = null;
  if (f.has('blueGreen')) {
    const b = new Fields(f.raw.blueGreen, f.where('blueGreen'), ['keepOld', 'abort'], 'a mapping like { keepOld: 10m, abort: { errorRate: 1% } }');
    strategy = { kind: 'blueGreen', keepOld: b.opt('keepOld', parseDuration, 300), abort: b.opt('abort', parseAbort, null) };
  } else if (f.has('canary')) {
    const c = new Fields(f.raw.canary, f.where('canary'), ['steps', 'abort'], 'a mapping like { steps: [{ weight: 10%, pause: 5m }], abort: { latencyP99: 500ms } }');
    const steps = c.req('steps', list((s, a) => {
      const st = new Fields(s, a, ['weight', 'pause'], 'a step like { weight: 10%, pause: 5m }');
      return { weight: st.req('weight', parsePercent), pause: st.req('pause', parsePositiveDuration) };
    }, 1, 'a list of steps'));
    steps.forEach((s, i) => {
      if (i > 0 && s.weight <= steps[i - 1].weight) fail(child(child(c.where('steps'), i), 'weight'), `a weight above the step before (${steps[i - 1].weight * 100}%)`, (c.raw.steps as unknown[])[i]);
    });
    strategy = { kind: 'canary', steps, abort: c.opt('abort', parseAbort, null) };
  } else if (pool.supervision.strategy === null) {
    fail(at, `a blueGreen or canary strategy (pool ${pool.name} has no deploy manifest or Kubernetes autoscaler that says how it updates)`, v);
  }
  return {
    at: t,
    pool: pool.name,
    version,
    serviceTime: f.opt('serviceTime', (x, a) => parseDist(x, a, ctx.baseDir), null),
    errorRate: f.opt('errorRate', parsePercent, 0),
    crashOnStart: f.opt('crashOnStart', (x, a) => (typeof x === 'boolean' ? x : fail(a, 'true or false', x)), false),
    strategy,
    ask,
  };
}

function parseAbort(v: unknown, at: Where): AbortRule {
  const a = new Fields(v, at, ['errorRate', 'latencyP99', 'minRequests'], 'a rule like { errorRate: 1%, latencyP99: 500ms }');
  if (!a.has('errorRate') && !a.has('latencyP99')) fail(at, 'errorRate, latencyP99 or both', v);
  return {
    errorRate: a.opt('errorRate', parsePercent, null),
    latencyP99: a.opt('latencyP99', parsePositiveDuration, null),
    minRequests: a.opt('minRequests', integer(1), 100),
  };
}

export function parseRecovery(value: unknown, at: Where): number {
  if (!isMapping(value)) fail(at, 'a mapping like { holdFor: 1m }', value);
  const f = new Fields(value, at, ['holdFor'], 'a mapping like { holdFor: 1m }');
  return f.opt('holdFor', parsePositiveDuration, 60);
}
