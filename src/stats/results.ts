// The results of one run: everything a report needs, nothing it must recompute from a simulation.
// summary.json is `RunSummary` serialised; timeseries.csv is `SeriesRow[]` with the columns in SERIES_COLUMNS.

/**
 * Every cause a request can fail with, in index order (the CAUSE_* numbers of src/model/counters.ts).
 * Everything that mirrors the list derives from it: ErrorCounts, the `errors_*` series columns, the
 * CSV reader, the report's labels and charts. A new cause is appended here (never reordered) with
 * its line in ERROR_CAUSE_INFO; files written before it existed read it as 0.
 */
export const ERROR_CAUSES = [
  'rateLimited', 'backlogFull', 'timeout', 'noUpstream', 'connectionTimeout', 'callTimeout', 'downstream',
] as const;
export type ErrorCause = (typeof ERROR_CAUSES)[number];

/**
 * What a cause means: the HTTP status the client sees, a short label, and whether the failing
 * component answers with that status (an HTTP response a balancer in front reads, as nginx reads
 * an upstream's 502) rather than refusing, timing out or being cut, which a balancer sees as a
 * transport failure.
 */
export const ERROR_CAUSE_INFO: Record<ErrorCause, { status: number; label: string; answered: boolean }> = {
  rateLimited: { status: 503, label: 'rate limited', answered: false }, // limit_req rejected
  backlogFull: { status: 503, label: 'backlog full', answered: false }, // instance backlog overflow
  timeout: { status: 504, label: 'timeout', answered: false }, // request deadline passed
  noUpstream: { status: 502, label: 'no upstream', answered: false }, // no live peer to send to
  connectionTimeout: { status: 503, label: 'connection timeout', answered: true }, // no database connection within the pool's acquire timeout
  callTimeout: { status: 504, label: 'call timeout', answered: true }, // a call's attempts ran past their timeout at the caller
  downstream: { status: 502, label: 'downstream', answered: true }, // a call failed at the callee and the caller passed the failure on
};

/** Errors by cause, as counts. */
export type ErrorCounts = Record<ErrorCause, number>;

/** `rateLimited` → `rate_limited`, as a type. */
type Snake<S extends string> = S extends `${infer H}${infer T}` ? `${H extends Lowercase<H> ? H : `_${Lowercase<H>}`}${Snake<T>}` : S;
/** A cause's series column: `errors_rate_limited`, … */
export type ErrorColumn = `errors_${Snake<ErrorCause>}`;

export function errorColumn(cause: ErrorCause): ErrorColumn {
  return `errors_${cause.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`)}` as ErrorColumn;
}
export const ERROR_COLUMNS: readonly ErrorColumn[] = ERROR_CAUSES.map(errorColumn);

/** Every cause at 0. */
export function zeroErrors(): ErrorCounts {
  return Object.fromEntries(ERROR_CAUSES.map((c) => [c, 0])) as ErrorCounts;
}

/** Counts by cause index (CAUSE_* order) as ErrorCounts. */
export function errorsOf(byIndex: ArrayLike<number>): ErrorCounts {
  return Object.fromEntries(ERROR_CAUSES.map((c, i) => [c, byIndex[i] ?? 0])) as ErrorCounts;
}

/** Counts by cause index as the errors_* columns of a series row. */
export function errorColumnsOf(byIndex: (cause: number) => number): Record<ErrorColumn, number> {
  return Object.fromEntries(ERROR_COLUMNS.map((c, i) => [c, byIndex(i)])) as Record<ErrorColumn, number>;
}

/** Error counts as any version wrote them: a cause the writer did not know yet reads 0. */
export function completeErrors(e: Partial<ErrorCounts> | undefined): ErrorCounts {
  const out = zeroErrors();
  for (const c of ERROR_CAUSES) if (typeof e?.[c] === 'number') out[c] = e[c];
  return out;
}

/** All errors, whatever the cause. */
export function errorTotal(e: ErrorCounts): number {
  return ERROR_CAUSES.reduce((s, c) => s + e[c], 0);
}

/** Latency percentiles in seconds, from an HDR histogram. */
export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
  /** HdrHistogram's percentile distribution: [latency s, percentile 0..100, total count at or below]. */
  distribution: Array<[number, number, number]>;
}

export interface PoolSummary {
  kind: 'pool';
  arrivals: number;
  completions: number;
  errors: ErrorCounts;
  latency: LatencySummary; // time spent at this pool (queue + service)
  /** Waiting for a worker (Erlang C's W_q and P(wait)), requests that reached a worker after warmup. */
  wait: { mean: number; probWait: number; count: number };
  utilisation: number; // time-weighted busy workers / workers of ready instances, 0..1
  meanQueue: number; // time-weighted backlog length, whole pool
  meanInPool: number; // time-weighted work at the pool: queued + on workers (abandoned work included)
  instances: { min: number; max: number; mean: number; final: number };
  instanceHours: number;
  cost: number;
  pricePerHour: number;
  /** Present when a policy scales the pool. */
  autoscaling?: PoolAutoscaling;
  /** Present when the pool makes calls. */
  calls?: CallsSummary;
}

/** A pool's calls, per component called, and what its own timeouts were waiting on. */
export interface CallsSummary {
  to: Record<string, CallSummary>;
  /** Of the time its workers were busy, the share they spent waiting on calls (0..1). */
  waitingShare: number;
  /** The pool's own timeouts (504s) by what the request was doing when its deadline passed. */
  timedOutWhile: {
    queued: number; // waiting for a worker
    working: number; // on its own work
    /** waiting for a connection to that database */
    connection: Record<string, number>;
    /** waiting on a call to that component */
    call: Record<string, number>;
    /** waiting out a retry's backoff for a call to that component */
    backoff: Record<string, number>;
  };
}

export interface CallSummary {
  made: number; // calls made (a request's call, however many attempts it took)
  attempts: number; // first attempts and retries
  retries: number;
  /** Calls that failed for good (their last attempt), by how: the cause the caller answers with. */
  failed: { callTimeout: number; connectionTimeout: number; downstream: number };
  /** Attempts the callee failed, by the callee's cause. */
  downstreamCauses: Partial<ErrorCounts>;
  /** A database's connection pool, summed over the caller's instances. */
  connections?: ConnectionPoolSummary;
}

export interface ConnectionPoolSummary {
  size: number; // per instance and endpoint
  acquireTimeout: number; // s
  /** Waiting for a connection (Erlang C's W_q and P(wait) at the pool), connections taken after warmup. */
  wait: { mean: number; probWait: number; count: number };
  acquireTimeouts: number;
  /** Sessions the database refused ("too many clients") when a pool opened. */
  refused: number;
  meanInUse: number; // time-weighted connections in use, all instances
  meanOpen: number; // time-weighted sessions open, all instances
}

/** A database: its queries and sessions (its primary and replicas are pools of their own). */
export interface DatabaseSummary {
  kind: 'database';
  arrivals: number; // queries
  completions: number;
  errors: ErrorCounts;
  primary: string;
  replicas: string | null;
  queries: {
    reads: number;
    writes: number;
    readsOnPrimary: number; // reads sent to the primary (no replica ready, or read-your-writes)
    readYourWrites: number; // … of which because the client wrote within readYourWrites
    staleReads: number; // reads on a replica before the client's last write reached it (replication lag)
  };
  /** Sessions (Postgres backends) per side: the most open at once, the limit, and refused attempts. */
  sessions: { primary: SessionSummary; replicas: SessionSummary | null };
}

export interface SessionSummary {
  peak: number;
  maxConnections: number; // per server
  refused: number;
}

/** One figure a scaling policy compared with one of its thresholds (autoscale's ObservedMetric). */
export interface PolicyFigure {
  metric: string; // "cpu utilization" (HPA), "ASGAverageCPUUtilization Average 60s" (AWS), "cpu_usage" (orchestrator)
  threshold: string; // "target", the alarm's name, the guide's key
  op: 'target' | '>' | '>=' | '<' | '<=';
  value: number | null;
  target: number;
  unit: string;
}

/** What a pool's scaling policy is, and whether it ran out of room. */
export interface PoolAutoscaling {
  policy: 'hpa' | 'aws' | 'orchestrator';
  min: number;
  max: number;
  /** Each figure and threshold the policy acts on (values: the last decision's); series columns per figure. */
  figures: PolicyFigure[];
  /** Time at max while the policy wanted more, or null if that never happened. */
  pinnedAtMax: {
    seconds: number;
    from: number; // s, start of the first stretch
    peakWanted: number;
    peakTime: number;
    /** what the policy saw when it wanted the most */
    peakFigures: PolicyFigure[];
  } | null;
}

/**
 * nginx's passive health check at one balancer, as a chain of causes: failed attempts at the
 * pool's instances → peers marked down (max_fails within fail_timeout) → requests answered 502
 * because no peer was left.
 */
export interface UpstreamCauses {
  pool: string;
  maxFails: number;
  failTimeout: number; // s
  /** nginx's own defaults (max_fails=1 fail_timeout=10s) were in force */
  nginxDefaults: boolean;
  /** attempts that failed at the pool (every caller of the pool): refused (backlog full), timed out, cut by a drain */
  refused: number;
  timedOut: number;
  drainKilled: number;
  /** times a failure left a peer at max_fails within fail_timeout (nginx logs "upstream server temporarily disabled") */
  markedDown: number;
  /** requests this balancer answered 502 because no peer was usable */
  noLiveUpstreams: number;
}

export interface BalancerSummary {
  kind: 'loadBalancer';
  arrivals: number;
  forwarded: number;
  retries: number; // proxy_next_upstream attempts after the first
  errors: ErrorCounts;
  /** Requests sent to each peer (instance id → count); the busiest 50 only when the pool autoscaled. */
  perPeer: Record<string, number>;
  /** From failed attempts to 502s (absent in summaries written before it existed). */
  causes?: UpstreamCauses;
}

export type ComponentSummary = PoolSummary | BalancerSummary | DatabaseSummary;

/** A check of the run against an expectation the scenario states (SLO). */
export interface SloResult {
  name: string;
  metric: string; // e.g. "latency.p99", "errorRate", "cost"
  op: '<=' | '>=';
  threshold: number;
  value: number;
  pass: boolean;
}

export interface ScalingEvent {
  time: number; // s since run start
  pool: string;
  from: number;
  to: number;
  rule: string;
  reasons: string[];
  /** What the policy asked for before [min, max] (absent in older summaries). */
  unclamped?: number;
  /** The figures it compared with its thresholds at this decision. */
  observed?: PolicyFigure[];
}

/** A key figure across independent replications (seeds seed, seed+1, …). */
export interface ReplicationStat {
  metric: string; // as SLO metrics name them, plus peakInstances.<pool>
  mean: number;
  low: number; // 95% confidence interval of the mean (Student's t)
  high: number;
  min: number;
  max: number;
}

export interface Replications {
  n: number;
  seeds: number[];
  stats: ReplicationStat[];
  slo: Array<{ name: string; passed: number; of: number }>;
}

/** One request class of the mix, end to end. */
export interface ClassSummary {
  arrivals: number;
  completions: number;
  errors: ErrorCounts;
  errorRate: number;
  latency: Omit<LatencySummary, 'distribution'>;
}

/** How a measured run's load was generated and how well the generator kept its schedule (headroom bench). */
export interface BenchInfo {
  /** Upstream service time spent waiting (io) or busy on a CPU (cpu); null when a --target was driven. */
  mode: 'io' | 'cpu' | null;
  /** The URL driven instead of a stack built from the scenario, or null. */
  target: string | null;
  workload: 'open' | 'closed';
  /** Scenario seconds per bench second: the curve is compressed in time by this factor, its rates are not. */
  timeScale: number;
  scenarioDuration: number; // s, the scenario's own
  /** Requests the schedule made due, and how many of them were written to a socket. */
  offered: number;
  sent: number;
  /** Sent more than `lateAfter` s after they were due, and the send lag (actual − due) over the run, s. */
  late: number;
  lateAfter: number;
  lag: { p50: number; p99: number; max: number };
  /** Latency from the actual write instead of the due time: what a closed-loop tool's timer shows. */
  latencyFromSend: { p50: number; p99: number; max: number };
  /** The generator's own CPU, as a share of one core, over the sample intervals. */
  generatorCpu: { mean: number; max: number };
  connections: number; // opened to the target
  /** Where the generator could not keep the schedule, or the stack differs from the scenario (one line each). */
  warnings: string[];
}

export interface RunSummary {
  headroom: string; // tool version
  /** How the figures were obtained: by simulation, or measured on a live stack by `headroom bench`. Absent = simulated. */
  source?: 'simulated' | 'measured';
  /** Present on measured runs: the load generator's figures. */
  bench?: BenchInfo;
  scenario: {
    name: string;
    description: string;
    file: string;
    seed: number;
    duration: number; // s
    warmup: number; // s excluded from the statistics
    sampleInterval: number; // s
    startTime?: string; // ISO wall-clock of t=0, when the scenario has one
  };
  totals: {
    arrivals: number;
    completions: number;
    errors: ErrorCounts;
    errorRate: number; // errors / (completions + errors)
    inFlight: number; // still in the system at the end
    throughput: number; // completions per second
    offeredRate: number; // arrivals per second
    meanInSystem: number; // time-weighted number in system (L of Little's law)
    meanResponse: number; // mean sojourn of completed and failed requests (W)
  };
  latency: LatencySummary; // end to end, completed requests
  /** Per request class, when the mix has more than one (else the totals are the one class's). */
  classes?: Record<string, ClassSummary>;
  components: Record<string, ComponentSummary>;
  cost: { total: number; currency: string; instanceHours: number };
  peakInstances: Record<string, number>;
  worstInterval: { time: number; p99: number } | null; // sample interval with the highest p99
  slo: SloResult[];
  scaling: ScalingEvent[];
  /** Present when `run --calibration FILE` applied a calibration over the scenario: the file and what it replaced. */
  calibration?: { file: string; applied: string[] };
  /** Present when the run was replicated: the rest of the summary is the first replication's. */
  replications?: Replications;
  /** The scenario as loaded (defaults applied), so a report can show it without the file. */
  scenarioSource: unknown;
}

/** One row of timeseries.csv: one component in one sample interval. Component "_all" is the whole system. */
export interface SeriesRow extends Record<ErrorColumn, number> { // errors_*: counts in the interval, one column per cause
  time: number; // s, end of the interval
  component: string;
  offered: number; // arrivals per second at this component
  throughput: number; // completions per second
  latency_p50: number | null; // s; null when nothing completed in the interval
  latency_p95: number | null;
  latency_p99: number | null;
  latency_max: number | null;
  in_flight: number; // at the end of the interval: in the system (_all), queued + on workers (pools)
  queue_mean: number; // time-weighted backlog
  utilisation: number | null; // 0..1; null for components without workers
  instances_desired: number | null;
  instances_ready: number | null;
  instances_total: number | null;
  cost: number | null; // cumulative cost so far
  /** Autoscaled pools: the policy's unclamped wish at its last decision (absent/null elsewhere and in older files). */
  wanted?: number | null;
  /** Balancers: times a peer was marked down (max_fails reached) in the interval. */
  marked_down?: number | null;
  /**
   * Autoscaled pools: the figures the policy acts on, held from its last decision, in columns named
   * `observed:<metric>` (the value) and `threshold:<metric>:<threshold>` (what it is compared with).
   * A figure with no value at that decision is left out (an empty cell).
   */
  policy?: Record<string, number>;
  /** Pools that make calls: call attempts (first tries and retries) and retries in the interval; null elsewhere (and in older files). */
  calls?: number | null;
  call_retries?: number | null;
}

export const SERIES_COLUMNS: Array<keyof SeriesRow> = [
  'time', 'component', 'offered', 'throughput',
  ...ERROR_COLUMNS,
  'latency_p50', 'latency_p95', 'latency_p99', 'latency_max',
  'in_flight', 'queue_mean', 'utilisation',
  'instances_desired', 'instances_ready', 'instances_total', 'cost',
];
/** Columns written after SERIES_COLUMNS; files written before they existed lack them (read as null). */
export const SERIES_OPTIONAL_COLUMNS = ['wanted', 'marked_down', 'calls', 'call_retries'] as const;
export const OBSERVED_PREFIX = 'observed:';
export const THRESHOLD_PREFIX = 'threshold:';
/** The series columns of one policy figure. */
export function figureColumns(f: Pick<PolicyFigure, 'metric' | 'threshold'>): { value: string; threshold: string } {
  return { value: `${OBSERVED_PREFIX}${f.metric}`, threshold: `${THRESHOLD_PREFIX}${f.metric}:${f.threshold}` };
}
