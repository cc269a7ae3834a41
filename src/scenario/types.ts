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
  /** nginx's own time per request ($request_time − upstream time), s; `headroom calibrate` fits it. Constant 0 by default. */
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

export type ComponentConfig = LoadBalancerConfig | PoolConfig;

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
