// The JSON Schema of summary.json (RunSummary in results.ts): what `report` and `compare` check a
// file against before they read it, so a file of another shape is refused with its file and field
// instead of failing deep inside a chart. Fields a reader does not use may be added freely (extra
// properties are allowed: a newer writer may add blocks such as `bench`); a change that breaks
// readers raises SUMMARY_FORMAT.

import { ERROR_CAUSES } from './results.ts';

/** The summary.json format this headroom writes and reads. Files without `format` are format 1. */
export const SUMMARY_FORMAT = 1;

const num = { type: 'number' } as const;
const count = { type: 'number', minimum: 0 } as const;
const fraction = { type: 'number', minimum: 0, maximum: 1 } as const;
const str = { type: 'string' } as const;

// Every cause is a count; a file written before a cause existed lacks it, and the reader fills it
// with 0 (completeErrors), as it does a CSV's missing errors_* column — none is required.
const errorCounts = {
  type: 'object',
  properties: Object.fromEntries(ERROR_CAUSES.map((c) => [c, count])),
} as const;

const latencyFigures = {
  count, mean: num, p50: num, p90: num, p95: num, p99: num, p999: num, max: num,
} as const;
const LATENCY_KEYS = ['count', 'mean', 'p50', 'p90', 'p95', 'p99', 'p999', 'max'] as const;

const latency = {
  type: 'object',
  required: [...LATENCY_KEYS, 'distribution'],
  properties: {
    ...latencyFigures,
    distribution: { type: 'array', items: { type: 'array', items: num, minItems: 3, maxItems: 3 } },
  },
} as const;

const figure = {
  type: 'object',
  required: ['metric', 'threshold', 'op', 'value', 'target', 'unit'],
  properties: {
    metric: str, threshold: str, op: { enum: ['target', '>', '>=', '<', '<='] },
    value: { type: ['number', 'null'] }, target: num, unit: str,
  },
} as const;

const poolAutoscaling = {
  type: 'object',
  required: ['policy', 'min', 'max', 'figures', 'pinnedAtMax'],
  properties: {
    policy: { enum: ['hpa', 'aws', 'orchestrator', 'keda'] },
    min: count, max: count,
    figures: { type: 'array', items: figure },
    pinnedAtMax: {
      anyOf: [
        { type: 'null' },
        {
          type: 'object',
          required: ['seconds', 'from', 'peakWanted', 'peakTime', 'peakFigures'],
          properties: { seconds: count, from: num, peakWanted: count, peakTime: num, peakFigures: { type: 'array', items: figure } },
        },
      ],
    },
  },
} as const;

const upstreamCauses = {
  type: 'object',
  required: ['pool', 'maxFails', 'failTimeout', 'nginxDefaults', 'refused', 'timedOut', 'drainKilled', 'markedDown', 'noLiveUpstreams'],
  properties: {
    pool: str, maxFails: count, failTimeout: count, nginxDefaults: { type: 'boolean' },
    refused: count, timedOut: count, drainKilled: count, markedDown: count, noLiveUpstreams: count,
    connectTimedOut: count, connectTimeout: num,
  },
} as const;

const names = (value: object) => ({ type: 'object', additionalProperties: value }) as const;
const waitFigures = { type: 'object', required: ['mean', 'probWait', 'count'], properties: { mean: num, probWait: fraction, count } } as const;

/** A pool's calls (stats/calls.ts CallsSummary). */
const calls = {
  type: 'object',
  required: ['to', 'waitingShare', 'timedOutWhile'],
  properties: {
    to: names({
      type: 'object',
      required: ['made', 'attempts', 'retries', 'failed', 'downstreamCauses'],
      properties: {
        made: count, attempts: count, retries: count,
        failed: {
          type: 'object', required: ['callTimeout', 'connectionTimeout', 'downstream'],
          properties: { callTimeout: count, connectionTimeout: count, downstream: count },
        },
        downstreamCauses: { type: 'object', properties: Object.fromEntries(ERROR_CAUSES.map((c) => [c, count])) },
        connections: {
          type: 'object',
          required: ['size', 'acquireTimeout', 'wait', 'acquireTimeouts', 'refused', 'meanInUse', 'meanOpen'],
          properties: { size: count, acquireTimeout: count, wait: waitFigures, acquireTimeouts: count, refused: count, meanInUse: count, meanOpen: count },
        },
      },
    }),
    waitingShare: fraction,
    timedOutWhile: {
      type: 'object',
      required: ['queued', 'working', 'connection', 'call', 'backoff'],
      properties: { queued: count, working: count, connection: names(count), call: names(count), backoff: names(count) },
    },
  },
} as const;

const pool = {
  type: 'object',
  required: ['kind', 'arrivals', 'completions', 'errors', 'latency', 'wait', 'utilisation', 'meanQueue', 'meanInPool', 'instances', 'instanceHours', 'cost', 'pricePerHour'],
  properties: {
    kind: { const: 'pool' },
    arrivals: count, completions: count, errors: errorCounts, latency,
    wait: waitFigures,
    utilisation: count, meanQueue: count, meanInPool: count,
    instances: { type: 'object', required: ['min', 'max', 'mean', 'final'], properties: { min: count, max: count, mean: count, final: count } },
    instanceHours: count, cost: num, pricePerHour: num,
    autoscaling: poolAutoscaling,
    calls,
    vertical: {
      type: 'object', required: ['updateMode', 'recommendation', 'samples', 'evictions'],
      properties: {
        updateMode: { type: 'string' }, samples: count, evictions: count,
        recommendation: { type: ['object', 'null'], required: ['target', 'lowerBound', 'upperBound'], properties: { target: count, lowerBound: count, upperBound: count } },
      },
    },
    versions: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        required: ['arrivals', 'completions', 'errors', 'latency', 'instancesFinal'],
        properties: {
          arrivals: count, completions: count, errors: errorCounts,
          latency: { type: 'object', required: [...LATENCY_KEYS], properties: latencyFigures }, instancesFinal: count,
          // a resized pool's versions: the size each ran at, and its instance-hours and cost at its own price
          size: {
            type: 'object', required: ['workers', 'pricePerHour', 'cpuRequest', 'cpuLimit', 'memoryRequest'],
            properties: { instanceType: { type: 'string' }, workers: count, pricePerHour: num, cpuRequest: count, cpuLimit: count, memoryRequest: count },
          },
          instanceHours: count, cost: num,
        },
      },
    },
  },
} as const;

const numOrNull = { type: ['number', 'null'] } as const;

// The data tier (stats/data-tier.ts).
const cache = {
  type: 'object',
  required: ['kind', 'arrivals', 'lookups', 'hits', 'misses', 'hitRatio', 'fills', 'restarts', 'errors', 'latency', 'utilisation', 'meanQueue', 'shards', 'instanceHours', 'cost'],
  properties: {
    kind: { const: 'cache' },
    arrivals: count, lookups: count, hits: count, misses: count, hitRatio: fraction, fills: count, restarts: count,
    errors: errorCounts, latency, utilisation: count, meanQueue: count, shards: count, instanceHours: count, cost: num,
  },
} as const;

const queue = {
  type: 'object',
  required: ['kind', 'arrivals', 'enqueued', 'rejected', 'consumed', 'redelivered', 'atEnd', 'wait', 'meanDepth', 'maxDepth', 'maxOldestAge', 'errors'],
  properties: {
    kind: { const: 'queue' },
    arrivals: count, enqueued: count, rejected: count, consumed: count, redelivered: count,
    atEnd: { type: 'object', required: ['waiting', 'onWorkers'], properties: { waiting: count, onWorkers: count } },
    wait: waitFigures,
    meanDepth: count, maxDepth: count, maxOldestAge: count, errors: errorCounts,
  },
} as const;

const cdn = {
  type: 'object',
  required: ['kind', 'arrivals', 'atEdge', 'toOrigin', 'edgeFraction', 'errors', 'cost'],
  properties: { kind: { const: 'cdn' }, arrivals: count, atEdge: count, toOrigin: count, edgeFraction: fraction, errors: errorCounts, cost: num },
} as const;

/** Faults, failures and releases as they happened (RunEvent). */
const events = {
  type: 'array',
  items: { type: 'object', required: ['time', 'component', 'kind', 'detail'], properties: { time: num, component: str, kind: str, detail: str } },
} as const;

/** Each fault and release with its recovery (Disruption). */
const disruptions = {
  type: 'array',
  items: {
    type: 'object',
    required: ['time', 'kind', 'target', 'breachedAt', 'recoveredAt', 'recoveryTime'],
    properties: {
      time: num, kind: str, target: str, breachedAt: numOrNull, recoveredAt: numOrNull, recoveryTime: numOrNull,
      outcome: str, endedAt: numOrNull,
    },
  },
} as const;

const balancer = {
  type: 'object',
  required: ['kind', 'arrivals', 'forwarded', 'retries', 'errors', 'perPeer'],
  properties: {
    kind: { const: 'loadBalancer' },
    arrivals: count, forwarded: count, retries: count, errors: errorCounts,
    perPeer: { type: 'object', additionalProperties: count },
    causes: upstreamCauses,
  },
} as const;

const session = { type: 'object', required: ['peak', 'maxConnections', 'refused'], properties: { peak: count, maxConnections: count, refused: count } } as const;

/** A database (stats/calls.ts DatabaseSummary): its primary and replicas are pools of their own. */
const database = {
  type: 'object',
  required: ['kind', 'arrivals', 'completions', 'errors', 'primary', 'replicas', 'queries', 'sessions'],
  properties: {
    kind: { const: 'database' },
    arrivals: count, completions: count, errors: errorCounts, primary: str, replicas: { type: ['string', 'null'] },
    queries: {
      type: 'object',
      required: ['reads', 'writes', 'readsOnPrimary', 'readYourWrites', 'staleReads'],
      properties: { reads: count, writes: count, readsOnPrimary: count, readYourWrites: count, staleReads: count },
    },
    sessions: { type: 'object', required: ['primary', 'replicas'], properties: { primary: session, replicas: { anyOf: [{ type: 'null' }, session] } } },
    failovers: {
      type: 'array',
      items: { type: 'object', required: ['at', 'writesBackAt', 'promoted'], properties: { at: num, writesBackAt: numOrNull, promoted: { type: ['string', 'null'] } } },
    },
  },
} as const;

/** Each component kind's summary, picked by its `kind`. */
const COMPONENT_SUMMARIES = { pool, loadBalancer: balancer, cache, queue, cdn, database } as const;

export const RUN_SUMMARY_SCHEMA = {
  $id: 'headroom/summary.json',
  type: 'object',
  required: ['headroom', 'scenario', 'totals', 'latency', 'components', 'cost', 'peakInstances', 'worstInterval', 'slo', 'scaling'],
  properties: {
    headroom: str,
    format: { type: 'integer', minimum: 1 },
    source: { enum: ['simulated', 'measured'] },
    scenario: {
      type: 'object',
      required: ['name', 'description', 'file', 'seed', 'duration', 'warmup', 'sampleInterval'],
      properties: {
        name: str, description: str, file: str, seed: num,
        duration: { type: 'number', exclusiveMinimum: 0 }, warmup: count, sampleInterval: { type: 'number', exclusiveMinimum: 0 },
        startTime: str,
      },
    },
    totals: {
      type: 'object',
      required: ['arrivals', 'completions', 'errors', 'errorRate', 'inFlight', 'throughput', 'offeredRate', 'meanInSystem', 'meanResponse'],
      properties: {
        arrivals: count, completions: count, errors: errorCounts, errorRate: fraction, inFlight: count,
        throughput: count, offeredRate: count, meanInSystem: count, meanResponse: count,
      },
    },
    latency,
    classes: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        required: ['arrivals', 'completions', 'errors', 'errorRate', 'latency'],
        properties: {
          arrivals: count, completions: count, errors: errorCounts, errorRate: fraction,
          latency: { type: 'object', required: [...LATENCY_KEYS], properties: latencyFigures },
        },
      },
    },
    components: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        required: ['kind'],
        properties: { kind: { enum: Object.keys(COMPONENT_SUMMARIES) } },
        allOf: Object.entries(COMPONENT_SUMMARIES).map(([kind, then]) => ({ if: { properties: { kind: { const: kind } } }, then })),
      },
    },
    cost: { type: 'object', required: ['total', 'currency', 'instanceHours'], properties: { total: num, currency: str, instanceHours: count } },
    peakInstances: { type: 'object', additionalProperties: count },
    worstInterval: {
      anyOf: [{ type: 'null' }, { type: 'object', required: ['time', 'p99'], properties: { time: num, p99: num } }],
    },
    slo: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'metric', 'op', 'threshold', 'value', 'pass'],
        properties: { name: str, metric: str, op: { enum: ['<=', '>='] }, threshold: num, value: num, pass: { type: 'boolean' } },
      },
    },
    scaling: {
      type: 'array',
      items: {
        type: 'object',
        required: ['time', 'pool', 'from', 'to', 'rule', 'reasons'],
        properties: {
          time: num, pool: str, from: count, to: count, rule: str, reasons: { type: 'array', items: str },
          unclamped: num, observed: { type: 'array', items: figure },
        },
      },
    },
    events,
    disruptions,
    calibration: { type: 'object', required: ['file', 'applied'], properties: { file: str, applied: { type: 'array', items: str } } },
    replications: {
      type: 'object',
      required: ['n', 'seeds', 'stats', 'slo'],
      properties: {
        n: { type: 'integer', minimum: 2 },
        seeds: { type: 'array', items: num },
        stats: {
          type: 'array',
          items: {
            type: 'object',
            required: ['metric', 'mean', 'low', 'high', 'min', 'max'],
            properties: { metric: str, mean: num, low: num, high: num, min: num, max: num },
          },
        },
        slo: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name', 'passed', 'of'],
            properties: {
              name: str, passed: count, of: count,
              judgement: {
                type: 'object',
                required: ['verdict', 'mean', 'low', 'high', 'n'],
                properties: { verdict: { enum: ['pass', 'fail', 'inconclusive'] }, mean: num, low: num, high: num, n: count, needed: numOrNull },
              },
            },
          },
        },
      },
    },
  },
} as const;
