// A scenario after loading: every default applied, every duration in seconds, every rate in
// requests per second, every percentage a fraction. The model runs from this and nothing else.
import type { Dist } from '../sim/distribution-types.ts';
import type { Curve } from '../traffic/curve-types.ts';
import type { PolicyConfig } from '../autoscale/types.ts';
import type { VpaPolicy } from '../autoscale/vpa-parse.ts';
import type { NodesConfig } from './node-types.ts';

export type Balancing = 'round_robin' | 'least_conn' | 'ip_hash' | 'random_two_least_conn' | 'random';

/** What proxy_next_upstream retries on; `error` covers refused connections (a full backlog, no ready listener). */
export type NextUpstreamCondition = 'error' | 'timeout' | 'http_500' | 'http_502' | 'http_503' | 'http_504';

export interface LimitReqConfig {
  rate: number; // requests per second (5r/m is 5/60)
  burst: number;
  nodelay: boolean;
  delay: number; // nginx's delay= parameter (requests passed without delay beyond the rate); nodelay means delay = burst
  key: 'client' | 'global'; // $binary_remote_addr or one shared key
}

export interface LoadBalancerConfig {
  kind: 'loadBalancer';
  name: string;
  upstream: string; // a pool's name
  balancing: Balancing;
  /** Weight per instance in creation order; instances beyond the list get weight 1. */
  weights: number[];
  maxFails: number; // nginx default 1; 0 disables failure accounting
  failTimeout: number; // s, nginx default 10
  /** proxy_connect_timeout, s (nginx's default 60): how long a connect to a lost host (no answer at all, no RST) hangs before it counts as a `timeout`. */
  connectTimeout: number;
  nextUpstream: { on: NextUpstreamCondition[]; tries: number; timeout: number }; // tries 0 / timeout 0 = unlimited, as nginx
  limitReq: LimitReqConfig | null;
  /** nginx's own time per request ($request_time − upstream time), s: a pure delay on the way in, no capacity limit; `headroom calibrate` fits it. Constant 0 by default. */
  overhead: Dist;
}

export interface PoolConfig {
  kind: 'pool';
  name: string;
  instances: number; // at start, all ready
  workers: number; // concurrent requests an instance serves
  backlog: number; // queued requests an instance holds beyond its busy workers; Infinity = unbounded
  serviceTime: Dist; // s, per request
  timeout: number; // s from reaching an instance until 504; Infinity = none
  bootTime: Dist; // s, provisioning until the process starts
  readinessDelay: number; // s, process start until it passes readiness and takes traffic
  drainTimeout: number; // s a draining instance may finish its requests before it is killed
  pricePerHour: number; // per instance-hour, in `currency`
  /** CPU the app is granted (k8s requests.cpu), millicores: utilisation targets are relative to it. */
  cpuRequest: number;
  /** CPU an instance uses with every worker busy (k8s limits.cpu), millicores, ≥ cpuRequest. */
  cpuLimit: number;
  memoryRequest: number; // bytes
  /** Memory in use (bytes): base + perRequest × requests on workers + perQueued × requests waiting. */
  memory: { base: number; perRequest: number; perQueued: number };
  /**
   * Where a request goes once this pool answered it, the worker already free (routing, as in a
   * Jackson network): each route taken with its probability, the rest leave the system. Empty: none.
   */
  next: Route[];
  /** Its calls after its own work, holding the worker until they end: steps in order, a step's calls in parallel. */
  calls: CallStep[];
  /** Its connection pool per database it calls (per instance), by database name. */
  connections: Record<string, ConnectionPoolConfig>;
  autoscaling: PolicyConfig | null;
  /** How the engine sees metrics: scrape interval and averaging window, s. */
  metrics: { scrapeInterval: number; window: number };
  /** Zones its instances spread over (the scenario's zones when not narrowed; one unnamed zone without any). */
  zones: string[];
  /** The version its instances start at (a release names the next one). */
  version: string;
  /** Who runs its instances: restarts, replacements, health checks, how a release rolls out. */
  supervision: Supervision;
  /** The catalogued VM type each instance is (./instance-type.ts); absent: sized by hand. */
  instanceType?: string;
  /** With `nodes:`, the node pool its pods go to ('none': not on the cluster's nodes); absent: any node pool. */
  nodePool?: string;
  /** With `nodes:`, millicores a busy worker burns at full speed; absent: cpuLimit / workers. */
  cpuPerWorker?: number;
  /** A VerticalPodAutoscaler sizing its pods' CPU (on nodes, under a Deployment); absent: none. */
  vertical?: VpaPolicy;
}

export interface Route {
  to: string; // component name
  p: number; // probability, 0 < p ≤ 1; the routes of a pool sum to at most 1
}

/** How a client retries a failed attempt (AWS Architecture Blog, "Exponential Backoff and Jitter"). */
export interface RetryPolicy {
  max: number; // retries after the first attempt; 0 = none
  backoff: number; // s, the base: attempt n (n = 0 for the first retry) waits up to min(cap, backoff · 2^n)
  cap: number; // s
  jitter: 'none' | 'full' | 'equal' | 'decorrelated';
}

export interface CallConfig {
  to: string; // the component called: any kind (a database through the pool's connections)
  p: number; // probability the call is made, 0..1
  classes: string[] | null; // request classes that make it; null = every class
  timeout: number; // s per attempt, at the caller; Infinity = none
  retries: RetryPolicy;
  /** A failed required call fails the caller's request; an optional one is only counted. */
  required: boolean;
  /** For a database: the query's kind, or null to follow the database's `writes` classes. */
  query: 'read' | 'write' | null;
}

/** One step of a pool's calls: the calls run in parallel (fork-join); the step ends when the last one does. */
export type CallStep = [CallConfig, ...CallConfig[]];

/** A caller's connection pool to one database, per caller instance (HikariCP's terms and defaults). */
export interface ConnectionPoolConfig {
  size: number; // maximumPoolSize, per endpoint (primary; the replicas' reader endpoint)
  acquireTimeout: number; // s, connectionTimeout: a wait for a connection longer than this fails
}

/**
 * A database: a primary and optional read replicas, each a pool of its own named `<name>/primary`
 * and `<name>/replicas` (queries are their requests, workers the queries a server runs at once).
 */
export interface DatabaseConfig {
  kind: 'database';
  name: string;
  primary: string; // its primary's pool
  replicas: string | null; // its replicas' pool, or null without replicas
  /** Postgres max_connections per server: sessions beyond it are refused ("too many clients"). */
  maxConnections: { primary: number; replica: number };
  /** The primary's service time for writes (its `serviceTime` is the reads'). */
  writeTime: Dist;
  writes: string[]; // request classes whose queries are writes; the others read
  replicationLag: Dist; // s from a write on the primary until a replica shows it
  /** s after a client's write during which its reads go to the primary (Rails' delay); 0 = off. */
  readYourWrites: number;
}


/** A cache node or cluster (Redis): a lookup at its shard, then a hit answers and a miss goes on to `backend`. */
export interface CacheConfig {
  kind: 'cache';
  name: string;
  /** The component a miss goes to (and waits on, to fill the key when it answers). */
  backend: string;
  /** Where a request goes after its hit (or its filled miss); null = answered. */
  next: string | null;
  /** A fixed hit ratio (0..1), or null when hits emerge from `lru`. */
  hitRatio: number | null;
  /** An LRU over Zipf-popular keys: entries per shard, key count, Zipf exponent s, TTL (s, Infinity = none). */
  lru: { size: number; keys: number; zipf: number; ttl: number } | null;
  /** A miss that the backend answered inserts its key. */
  fill: boolean;
  /** Warm: each shard starts full of its most popular keys; cold: empty. */
  start: 'warm' | 'cold';
  /** Times (s) at which every shard restarts and empties. */
  restarts: number[];
  /** The node's time per operation, queueing excluded: a hit's latency at the node. */
  opTime: Dist;
  shards: number;
  /** Operations a shard serves at once (Redis runs commands on one thread: 1). */
  workers: number;
  /** Operations a shard holds, in service and waiting (maxclients); beyond it a request is refused. Infinity = no limit. */
  connections: number;
  pricePerHour: number; // per shard
}

/** A message queue (RabbitMQ, SQS): a request enqueues and is answered; a consumer pool drains the messages. */
export interface QueueConfig {
  kind: 'queue';
  name: string;
  /** The pool whose workers take the messages. */
  consumers: string;
  /** Messages it holds waiting; a producer finding it full fails with queueFull. Infinity = unbounded. */
  capacity: number;
  /** The producer's time to enqueue (its latency at the queue). */
  enqueueTime: Dist;
  /** Where the producer's request goes after enqueueing; null = answered. */
  next: string | null;
  /** The queue's name as KEDA triggers and CloudWatch dimensions call it. */
  queueName: string;
}

/** A CDN edge: a fraction of each class's requests is answered at the edge; the rest go to `origin`. */
export interface CdnConfig {
  kind: 'cdn';
  name: string;
  origin: string;
  /** Fraction answered at the edge, per request class in mix order (resolved from default + per-class overrides). */
  edgeByClass: number[];
  /** As written: the default and per-class fractions. */
  edge: { default: number; classes: Record<string, number> };
  edgeTime: Dist;
  pricePerRequest: number; // per request answered at the edge, in `currency`
}

export type ComponentConfig = LoadBalancerConfig | PoolConfig | CacheConfig | QueueConfig | CdnConfig | DatabaseConfig;

// ---- nodes: the machines pods run on (./node-types.ts) ----
export type { ClusterAutoscalerConfig, NodePoolConfig, NodesConfig } from './node-types.ts';

// ---- supervision: who restarts, replaces and updates a pool's instances ----

/** What runs the instances, read from `deploy:` (a Kubernetes Deployment, a Swarm service) or the autoscaler's kind. */
export type Platform = 'kubernetes' | 'swarm' | 'asg' | 'none';

/** Kubernetes' IntOrString for maxSurge / maxUnavailable: a count, or a percentage of the desired replicas. */
export interface CountOrPercent {
  value: number;
  percent: boolean;
}

/** How a crashed process comes back. */
export type RestartPolicy =
  | { kind: 'never' }
  /** Swarm's deploy.restart_policy (swarmkit restart.Supervisor): condition, delay, max_attempts (0 = no limit), window (0 = all time). */
  | { kind: 'swarm'; condition: 'none' | 'on-failure' | 'any'; delay: number; maxAttempts: number; window: number }
  /** A pod's restartPolicy Always under the kubelet's CrashLoopBackOff: 10 s doubling to 300 s, reset after 600 s running. */
  | { kind: 'kubelet' };

/**
 * A liveness check: Docker's HEALTHCHECK (interval, timeout, retries, start_period) or a pod's
 * livenessProbe (periodSeconds, timeoutSeconds, failureThreshold, initialDelaySeconds). `retries`
 * failures in a row kill the process, which then restarts by the restart policy.
 */
export interface HealthCheck {
  interval: number; // s between the end of one check and the start of the next
  timeout: number; // s a check may take
  retries: number; // consecutive failures that make the instance unhealthy
  startPeriod: number; // s after the process starts during which failures do not count
}

/** Swarm's update_config / rollback_config (docker stack's spelling, swarmkit's defaults). */
export interface SwarmUpdateConfig {
  parallelism: number; // tasks updated at once; 0 = all
  delay: number; // s between tasks
  order: 'stop-first' | 'start-first';
  monitor: number; // s after a task starts during which its failure counts
  failureAction: 'pause' | 'continue' | 'rollback';
  maxFailureRatio: number; // failures / tasks to update that is tolerated
}

/** How a release replaces a pool's instances. */
export type Strategy =
  | { kind: 'RollingUpdate'; maxSurge: CountOrPercent; maxUnavailable: CountOrPercent; minReadySeconds: number; progressDeadlineSeconds: number }
  | { kind: 'Recreate'; minReadySeconds: number; progressDeadlineSeconds: number }
  | { kind: 'swarm'; update: SwarmUpdateConfig; rollback: SwarmUpdateConfig }
  /** The guide's nginx blue-green: a second fleet brought up in full, traffic switched at once, the old one kept `keepOld` s to switch back to. */
  | { kind: 'blueGreen'; keepOld: number; abort: AbortRule | null }
  /** Weight shifted in steps (Argo Rollouts' replica-weighted canary): the new version gets ceil(weight × replicas) instances. */
  | { kind: 'canary'; steps: Array<{ weight: number; pause: number }>; abort: AbortRule | null };

/** When a canary or a fresh blue-green switch is abandoned: the new version's own figures over the step. */
export interface AbortRule {
  errorRate: number | null; // fraction of the new version's requests that failed
  latencyP99: number | null; // s, the new version's p99 at the pool
  minRequests: number; // requests the new version must have served before the rule judges
}

export interface Supervision {
  platform: Platform;
  restart: RestartPolicy;
  healthCheck: HealthCheck | null;
  /** s from an instance's loss (killed, host gone) until its manager launches a replacement; Infinity: never. */
  replaceAfter: number;
  /** s from a zone's loss until its manager gives up on the instances there and replaces them. */
  zoneLossAfter: number;
  /** How the platform rolls out a release (a release may bring its own). */
  strategy: Strategy | null;
}

// ---- the timeline: faults and releases ----

/** Which of a pool's instances a fault takes: a count, a fraction, or those in one zone. */
export type Selection = { by: 'count'; count: number } | { by: 'fraction'; fraction: number } | { by: 'zone'; zone: string };

export type Fault =
  /** Every instance in the zone is lost and nothing launches there until `duration` has passed (Infinity: for good). */
  | { kind: 'zoneOutage'; at: number; zone: string; duration: number }
  /** Instances lost (the host or pod is gone): in-flight requests fail, the manager replaces them. */
  | { kind: 'kill'; at: number; pool: string; select: Selection }
  /** Processes exit: in-flight requests fail, the restart policy brings them back; with a duration every start crashes again until then. */
  | { kind: 'crash'; at: number; pool: string; select: Selection; duration: number }
  /** Service times multiplied by `factor` for `duration`. */
  | { kind: 'slow'; at: number; pool: string; factor: number; duration: number }
  /** A fraction of answers are 5xx (`status`) for `duration`. */
  | { kind: 'errors'; at: number; pool: string; fraction: number; status: number; duration: number }
  /**
   * The database's primary is lost: writes (and reads on the primary) fail until the loss is
   * detected (`detection`, s) and a replica promoted (`promotion`, s); the new primary is taken
   * from the replicas, and every caller's connections to the database are reset.
   */
  | { kind: 'failover'; at: number; database: string; detection: number; promotion: number };

/**
 * What one instance of a pool is (resized by a release: ./resize.ts): its concurrent requests, its
 * price, and the CPU and memory it asks for and may use. The pool's own figures are the first size.
 */
export interface PoolSize {
  instanceType?: string; // a catalogued VM type (VM pools sized by instanceType)
  workers: number;
  pricePerHour: number;
  cpuRequest: number; // millicores
  cpuLimit: number; // millicores
  memoryRequest: number; // bytes
}

/** A new version of a pool rolled out at `at`. */
export interface Release {
  at: number;
  pool: string;
  version: string;
  /** The new version's service time (null: as the version it replaces). */
  serviceTime: Dist | null;
  /** Fraction of the new version's answers that are 5xx (a bug it ships with). */
  errorRate: number;
  /** Its processes crash on every start (a release that cannot start: a bad config, a missing secret). */
  crashOnStart: boolean;
  /** How it rolls out (null: the pool's platform strategy). */
  strategy: Strategy | null;
  /** The size its instances run at, when other than the pool's own (a resize, or a release after one). */
  size?: PoolSize;
}

export interface RequestClass {
  name: string;
  weight: number; // relative
  entry: string; // component name
  serviceTimeScale: number; // multiplies every pool's service time for this class (1 = as configured)
}

export type Workload =
  | { model: 'open'; rate: Curve }
  /** Closed model: `users` each send a request, wait for the answer, think, repeat. */
  | { model: 'closed'; users: number; thinkTime: Dist };

export interface SloConfig {
  name: string;
  metric: string; // latency.p50|p90|p95|p99|p999|max|mean, errorRate, cost, throughput
  op: '<=' | '>=';
  threshold: number;
}

export interface Scenario {
  name: string;
  description: string;
  file: string; // where it was loaded from
  seed: number;
  duration: number; // s
  warmup: number; // s: requests arriving before this are left out of latency statistics
  sampleInterval: number; // s
  startTime: string | null; // ISO wall-clock time of t = 0
  currency: string;
  workload: Workload;
  clients: number; // distinct client ids (addresses) requests come from
  mix: RequestClass[];
  components: ComponentConfig[]; // in file order
  slo: SloConfig[];
  /** Availability zones, in order (empty: one unnamed zone). */
  zones: string[];
  faults: Fault[]; // by time
  releases: Release[]; // by time
  /** A fault's or release's recovery: the SLO must hold this many seconds in a row again. */
  recoveryHold: number;
  /** The nodes pools' pods run on; absent: instances are machines of their own (today's model). */
  nodes?: NodesConfig;
}
