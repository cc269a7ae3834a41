// A scenario after loading: every default applied, every duration in seconds, every rate in
// requests per second, every percentage a fraction. The model runs from this and nothing else.
import type { Dist } from '../sim/distribution-types.ts';
import type { Curve } from '../traffic/curve-types.ts';
import type { PolicyConfig } from '../autoscale/types.ts';

export type Balancing = 'round_robin' | 'least_conn' | 'ip_hash' | 'random_two_least_conn' | 'random';

/** What proxy_next_upstream retries on; `error` covers refused connections (a full backlog, no ready listener). */
export type NextUpstreamCondition = 'error' | 'timeout' | 'http_502' | 'http_503' | 'http_504';

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
  /** Component a request goes to after this pool served it (a tandem stage), or null. */
  next: string | null;
  autoscaling: PolicyConfig | null;
  /** How the engine sees metrics: scrape interval and averaging window, s. */
  metrics: { scrapeInterval: number; window: number };
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

export type ComponentConfig = LoadBalancerConfig | PoolConfig | CacheConfig | QueueConfig | CdnConfig;

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
}
