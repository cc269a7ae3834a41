// The results of one run: everything a report needs, nothing it must recompute from a simulation.
// summary.json is `RunSummary` serialised; timeseries.csv is `SeriesRow[]` with the columns in SERIES_COLUMNS.
import type { SloJudgement } from './noise.ts';
import type { AttemptCauses, BottleneckColumns, WithBottleneck } from './bottleneck.ts';
import type { CacheSummary, CdnSummary, QueueSummary } from './data-tier.ts';
import type { CallsSummary, DatabaseSummary } from './calls.ts';
export type { CallSummary, CallsSummary, ConnectionPoolSummary, DatabaseSummary, SessionSummary } from './calls.ts';

export * from './error-causes.ts';
import { ERROR_CAUSES, causeColumn, type ErrorCounts } from './error-causes.ts';

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
  /** Per version, when the pool had a release: what each version's instances took and answered. */
  versions?: Record<string, VersionSummary>;
  /** Present when a VerticalPodAutoscaler sizes the pool. */
  vertical?: VerticalSummary;
  /** Present when the pool makes calls. */
  calls?: CallsSummary;
}

/** A pool's VerticalPodAutoscaler: its mode, its last recommendation (millicores), samples taken and pods evicted. */
export interface VerticalSummary {
  updateMode: string;
  recommendation: { target: number; lowerBound: number; upperBound: number } | null;
  samples: number;
  evictions: number;
}

export interface VersionSummary {
  arrivals: number;
  completions: number;
  errors: ErrorCounts;
  latency: Omit<LatencySummary, 'distribution'>; // at the pool
  instancesFinal: number;
  /** A resized pool's versions: the size it ran at (workers, CPU, memory, price), its instance-hours and their cost. */
  size?: { instanceType?: string; workers: number; pricePerHour: number; cpuRequest: number; cpuLimit: number; memoryRequest: number };
  instanceHours?: number;
  cost?: number;
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
  policy: 'hpa' | 'aws' | 'orchestrator' | 'keda';
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
 * nginx's passive health check at one balancer, as a chain of causes: failed attempts at the pool's
 * instances (by cause: `failed`) → peers marked down (max_fails within fail_timeout) → 502s, no peer left.
 */
export interface UpstreamCauses extends AttemptCauses {
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
  /** connects to lost hosts (no answer, no reset) that hung until proxy_connect_timeout (`connectTimeout`, s); absent when none */
  connectTimedOut?: number;
  connectTimeout?: number;
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

export type ComponentSummary = PoolSummary | BalancerSummary | CacheSummary | QueueSummary | CdnSummary | DatabaseSummary;

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

/**
 * Something that happened to a component besides scaling: a fault injected, an instance lost,
 * crashed, restarted or replaced, a release's steps, a rollback. Shown with the scaling actions.
 */
export interface RunEvent {
  time: number; // s since run start
  component: string;
  kind: string; // fault, lost, crashed, restarted, replaced, unhealthy, release, step, rollback, paused, complete, switch, abort, stalled
  detail: string;
}

/** A fault or a release, and how long the SLO took to hold again after it. */
export interface Disruption {
  time: number; // s: when it began
  kind: string; // zoneOutage, kill, crash, slow, errors, failover, release
  target: string; // zone, pool, database, or pool@version
  /** The first sample interval after it in which an SLO the series can judge failed; null: none did. */
  breachedAt: number | null;
  /** When the SLO began to hold for `recoveryHold` seconds in a row after the breach; null: not by the end. */
  recoveredAt: number | null;
  /** recoveredAt − time (0 when the SLO never failed after it); null: not recovered by the end. */
  recoveryTime: number | null;
  /** For a release: how it ended (complete, rolled back, paused, aborted, superseded, in progress) and when (null: it had not). */
  outcome?: string;
  endedAt?: number | null;
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
  /** Per SLO: replications that met it, and (from `run`/`check`) the verdict on the confidence interval of its mean. */
  slo: Array<{ name: string; passed: number; of: number; judgement?: SloJudgement }>;
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
  /** Requests sent once more on a fresh connection after a kept-alive one closed under them (nginx reloads); absent in older files. */
  resent?: number;
  lag: { p50: number; p99: number; max: number };
  /** Latency from the actual write instead of the due time: what a closed-loop tool's timer shows. */
  latencyFromSend: { p50: number; p99: number; max: number };
  /** The generator's own CPU, as a share of one core, over the sample intervals. */
  generatorCpu: { mean: number; max: number };
  connections: number; // opened to the target
  /** CPUs of the machine the stack ran on (its upstreams, nginx and the generator share them); absent in older files. */
  cores?: number;
  /** Where the generator could not keep the schedule, or the stack differs from the scenario (one line each). */
  warnings: string[];
}

export interface RunSummary extends WithBottleneck {
  headroom: string; // tool version
  /** The summary.json format (SUMMARY_FORMAT in results-schema.ts): readers refuse a newer one. */
  format: number;
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
  cost: { total: number; currency: string; instanceHours: number; nodeHours?: number }; // total includes nodes' cost (nodeHours then present)
  peakInstances: Record<string, number>;
  worstInterval: { time: number; p99: number } | null; // sample interval with the highest p99
  slo: SloResult[];
  scaling: ScalingEvent[];
  /** Faults, failures and releases as they happened (absent in files from before faults existed). */
  events?: RunEvent[];
  nodes?: import('./nodes-summary.ts').NodesSummary; // nodes, scheduler, cluster autoscaler (absent without `nodes:`)
  /** Each fault and release with its recovery time (absent when the scenario has neither). */
  disruptions?: Disruption[];
  /** Present when `run --calibration FILE` applied a calibration over the scenario: the file and what it replaced. */
  calibration?: { file: string; applied: string[] };
  /** Present when the run was replicated: the rest of the summary is the first replication's. */
  replications?: Replications;
  /** The scenario as loaded (defaults applied), so a report can show it without the file. */
  scenarioSource: unknown;
}

/** One row of timeseries.csv: one component in one sample interval. Component "_all" is the whole system. */
export interface SeriesRow extends BottleneckColumns {
  time: number; // s, end of the interval
  component: string;
  offered: number; // arrivals per second at this component
  throughput: number; // completions per second
  errors_rate_limited: number; // counts in the interval
  errors_backlog_full: number;
  errors_timeout: number;
  errors_no_upstream: number;
  errors_killed: number;
  errors_refused: number;
  errors_server_error: number;
  errors_queue_full: number; // absent in files written before queues (read as 0)
  errors_connection_timeout: number; // the three below: absent in files written before calls (read as 0)
  errors_call_timeout: number;
  errors_downstream: number;
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
  /** Caches: hits / lookups in the interval (null elsewhere, or with no lookup; absent in older files). */
  hit_ratio?: number | null;
  /** Queues: age of the oldest waiting message at the end of the interval, s (null elsewhere; absent in older files). */
  oldest_age?: number | null;
  /** Pools that make calls: call attempts (first tries and retries) and retries in the interval; null elsewhere (and in older files). */
  calls?: number | null;
  call_retries?: number | null;
}

/** One column per cause, in ERROR_CAUSES order. */
export const ERROR_COLUMNS = ERROR_CAUSES.map(causeColumn) as Array<keyof SeriesRow>;
/** A row's errors_* columns. */
export type ErrorColumns = { [K in keyof SeriesRow as K extends `errors_${string}` ? K : never]: number };
/** The errors_* columns of counts that may lack the later causes (a source that cannot produce them: 0). */
export function errorColumns(e: Partial<ErrorCounts>): ErrorColumns {
  const out: Record<string, number> = {};
  for (const c of ERROR_CAUSES) out[causeColumn(c)] = e[c] ?? 0;
  return out as ErrorColumns;
}

export const SERIES_COLUMNS: Array<keyof SeriesRow> = [
  'time', 'component', 'offered', 'throughput',
  ...ERROR_COLUMNS,
  'latency_p50', 'latency_p95', 'latency_p99', 'latency_max',
  'in_flight', 'queue_mean', 'utilisation',
  'instances_desired', 'instances_ready', 'instances_total', 'cost',
];
/** Columns written after SERIES_COLUMNS; files written before they existed lack them (read as null). */
export const SERIES_OPTIONAL_COLUMNS = ['wanted', 'marked_down', 'hit_ratio', 'oldest_age', 'calls', 'call_retries', 'waiting_share'] as const;
export const OBSERVED_PREFIX = 'observed:';
export const THRESHOLD_PREFIX = 'threshold:';
/** The series columns of one policy figure. */
export function figureColumns(f: Pick<PolicyFigure, 'metric' | 'threshold'>): { value: string; threshold: string } {
  return { value: `${OBSERVED_PREFIX}${f.metric}`, threshold: `${THRESHOLD_PREFIX}${f.metric}:${f.threshold}` };
}
/**
 * A policy decision's figures as series cells (sample and hold until the next decision): each
 * metric's value (the first figure of a metric names it) and each threshold; null when there are none.
 */
export function policyCells(figures: PolicyFigure[]): Record<string, number> | null {
  const cells: Record<string, number> = {};
  for (const f of figures) {
    const col = figureColumns(f);
    if (f.value !== null) cells[col.value] ??= f.value;
    cells[col.threshold] = f.target;
  }
  return Object.keys(cells).length > 0 ? cells : null;
}
