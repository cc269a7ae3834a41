// A pool's `calls`, `connections` and `next` as people write them → the normalised types.
//
//   calls:                                  steps in order; a step is one call or { parallel: [...] }
//     - { to: auth, timeout: 200ms }
//     - parallel:
//         - { to: db, p: 0.6, query: read, retries: { max: 2, backoff: 50ms, cap: 1s, jitter: full } }
//         - { to: search, classes: [page], required: false }
//   connections: { db: { size: 10, acquireTimeout: 2s } }   per instance, per database called
//   next: api                               or [{ to: a, p: 0.3 }, { to: b, p: 0.5 }] (the rest leave)
import type { CallConfig, CallStep, ConnectionPoolConfig, RetryPolicy, Route } from './types.ts';
import { ScenarioError, child, fail, type Where } from './errors.ts';
import { Fields, boolean, integer, isMapping, list, oneOf, string } from './fields.ts';
import { parseDuration, parsePercent } from './units.ts';

export const CALL_KEYS = ['to', 'p', 'classes', 'timeout', 'retries', 'required', 'query'] as const;
export const RETRY_KEYS = ['max', 'backoff', 'cap', 'jitter'] as const;
export const CONNECTION_KEYS = ['size', 'acquireTimeout'] as const;
/** Calls in one parallel step, at most (a request's branches are kept in a fixed-width row). */
export const MAX_PARALLEL = 16;

/** HikariCP's defaults: maximumPoolSize 10, connectionTimeout 30 s. */
export const CONNECTION_DEFAULTS: ConnectionPoolConfig = { size: 10, acquireTimeout: 30 };
/** No retry unless asked; when asked, AWS SDK-like defaults: 100 ms base, 20 s cap, full jitter. */
const NO_RETRIES: RetryPolicy = { max: 0, backoff: 0.1, cap: 20, jitter: 'full' };

const PROBABILITY = 'a probability in [0, 1], like 0.6 or "60%"';

export function parseProbability(value: unknown, at: Where): number {
  try {
    return parsePercent(value, at);
  } catch (err) {
    if (err instanceof ScenarioError) fail(at, PROBABILITY, value);
    throw err;
  }
}

function parseTimeout(value: unknown, at: Where): number {
  if (value === 'none') return Infinity;
  const s = parseDuration(value, at);
  if (s <= 0) fail(at, 'a duration greater than 0, like "2s", or "none"', value);
  return s;
}

function parseRetries(value: unknown, at: Where): RetryPolicy {
  if (typeof value === 'number') return { ...NO_RETRIES, max: integer(0)(value, at) };
  const f = new Fields(value, at, RETRY_KEYS, 'a number of retries, or a mapping like { max: 2, backoff: 50ms, cap: 1s, jitter: full }');
  const backoff = f.opt('backoff', parseDuration, NO_RETRIES.backoff);
  const cap = f.opt('cap', parseDuration, Math.max(NO_RETRIES.cap, backoff));
  if (cap < backoff) fail(f.where('cap'), `a duration ≥ backoff (${backoff}s)`, f.raw.cap);
  return {
    max: f.req('max', integer(0)),
    backoff,
    cap,
    jitter: f.opt('jitter', oneOf(['none', 'full', 'equal', 'decorrelated'] as const), 'full'),
  };
}

function parseCall(value: unknown, at: Where): CallConfig {
  const f = new Fields(value, at, CALL_KEYS, 'a call like { to: db, p: 0.6, timeout: 2s }');
  return {
    to: f.req('to', string('the name of the component called')),
    p: f.opt('p', parseProbability, 1),
    classes: f.opt('classes', list(string('a request class name'), 1, 'a list of request class names'), null),
    timeout: f.opt('timeout', parseTimeout, Infinity),
    retries: f.opt('retries', parseRetries, NO_RETRIES),
    required: f.opt('required', boolean, true),
    query: f.opt('query', oneOf(['read', 'write'] as const), null),
  };
}

function parseStep(value: unknown, at: Where): CallStep {
  if (isMapping(value) && 'parallel' in value) {
    const f = new Fields(value, at, ['parallel'], 'a step like { parallel: [{ to: a }, { to: b }] }');
    const calls = f.req('parallel', list(parseCall, 1, 'a list of calls made in parallel'));
    if (calls.length > MAX_PARALLEL) fail(f.where('parallel'), `at most ${MAX_PARALLEL} calls in parallel`, `${calls.length} calls`);
    return calls as CallStep;
  }
  return [parseCall(value, at)];
}

export function parseCalls(value: unknown, at: Where): CallStep[] {
  return list(parseStep, 0, 'a list of calls, like [{ to: db }, { parallel: [{ to: a }, { to: b }] }]')(value, at);
}

export function parseConnections(value: unknown, at: Where): Record<string, ConnectionPoolConfig> {
  if (!isMapping(value)) fail(at, 'a mapping of database names to pools, like { db: { size: 10, acquireTimeout: 2s } }', value);
  const out: Record<string, ConnectionPoolConfig> = {};
  for (const [name, raw] of Object.entries(value as Record<string, unknown>)) {
    const f = new Fields(raw, child(at, name), CONNECTION_KEYS, 'a connection pool like { size: 10, acquireTimeout: 2s }');
    out[name] = {
      size: f.opt('size', integer(1), CONNECTION_DEFAULTS.size),
      acquireTimeout: f.opt('acquireTimeout', parseTimeout, CONNECTION_DEFAULTS.acquireTimeout),
    };
  }
  return out;
}

export function parseNext(value: unknown, at: Where): Route[] {
  if (typeof value === 'string') return [{ to: string('the name of a component')(value, at), p: 1 }];
  const routes = list((v, a) => {
    const f = new Fields(v, a, ['to', 'p'], 'a route like { to: api, p: 0.3 }');
    const p = f.req('p', parseProbability);
    if (p === 0) fail(f.where('p'), `${PROBABILITY} greater than 0`, f.raw.p);
    return { to: f.req('to', string('the name of a component')), p };
  }, 1, 'the name of a component, or a list of routes like [{ to: api, p: 0.3 }]')(value, at);
  const sum = routes.reduce((s, r) => s + r.p, 0);
  if (sum > 1 + 1e-9) {
    throw new ScenarioError(at.file, at.path, 'routes whose probabilities add up to at most 1 (the rest leave the system)', value, { gotText: `a sum of ${+sum.toFixed(6)}` });
  }
  return routes;
}
