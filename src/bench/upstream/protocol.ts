// What the live stack tells an upstream process and what the process reports back, over the Node
// IPC channel the stack opens to it. One file so both sides agree on every field.
import type { Dist } from '../../sim/distribution-types.ts';
import type { HistogramSnapshot } from '../../stats/log-histogram.ts';

/** How an instance spends a request's service time. */
export type WorkMode = 'io' | 'cpu';

/** Where a request goes after this pool (the scenario's `next:`). */
export type NextHop =
  /** Through nginx, to the load balancer `name` (its location on the nginx port). */
  | { kind: 'balancer'; name: string; port: number }
  /** Straight to the next pool's instances, round robin (as the simulator's direct routing). */
  | { kind: 'pool'; name: string; ports: number[] }
  | null;

export interface UpstreamConfig {
  pool: string;
  instance: number;
  /** RNG stream `service:<pool>:<instance>` of this seed draws the service times. */
  seed: number;
  workers: number;
  /** Requests queued beyond busy workers; -1 = unbounded (JSON has no Infinity). */
  backlog: number;
  serviceTime: Dist; // s
  /** s from arrival to a 504 this instance sends itself (only for requests not behind nginx); -1 = none. */
  timeout: number;
  mode: WorkMode;
  /** CPU mode: busy-loop iterations per CPU second (measured once by the stack). */
  spinPerSecond: number;
  /** The run starts with a warmup: latency and wait are recorded only after the stack says it is over. */
  warmup: boolean;
  /** Service-time multiplier per request class index (the mix's serviceTimeScale). */
  scales: number[];
  next: NextHop;
}

/** Counters of one instance since its previous report (or since start, for `final`). */
export interface UpstreamSample {
  /** Monotonic seconds covered by this report. */
  span: number;
  arrivals: number;
  completions: number;
  refused: number; // backlog full: the connection was reset
  timeouts: number; // 504 sent by the instance, or the proxy gave up on the request first
  /** Time at the instance (queue + service) of completed requests, s. */
  latency: HistogramSnapshot;
  /** ∫ busy workers dt and ∫ queue length dt over the span, s. */
  busyArea: number;
  queueArea: number;
  /** Waiting for a worker: requests that reached one, the summed wait and how many waited at all. */
  waitCount: number;
  waitSum: number;
  waited: number;
  /** Busy workers and queued requests at the moment of the report. */
  busy: number;
  queued: number;
}

/**
 * Cumulative counters of one instance since it started, for the live autoscaler's metrics window
 * (src/autoscale/metric-window.ts takes differences), and what it holds right now (for draining).
 */
export interface UpstreamCounters {
  completions: number;
  /** Refused (backlog full) and timed out. */
  failed: number;
  /** Σ time at the instance of completed requests, s (warmup included: a policy sees it too). */
  responseSum: number;
  busy: number;
  queued: number;
}

export type ParentMessage =
  | { type: 'sample'; id: number; final: boolean }
  /** The cumulative counters (nothing restarts). */
  | { type: 'scrape'; id: number }
  /** The warmup is over: the run's latency statistics restart (request counts do not). */
  | { type: 'warmup' }
  /** The next pool's instances changed (it scaled). */
  | { type: 'next'; next: NextHop }
  | { type: 'stop' }
  /** Stop now and answer with the whole-run counters as the last act: nothing completes after them. */
  | { type: 'finish'; id: number };

export type ChildMessage =
  | { type: 'ready'; port: number; pid: number }
  | { type: 'sample'; id: number; sample: UpstreamSample }
  | { type: 'scrape'; id: number; counters: UpstreamCounters }
  | { type: 'fatal'; message: string };

/** Request path on the stack: /lb/<balancer>/c<class> through nginx, /pool/<pool>/c<class> direct. */
export function classOfPath(url: string): number {
  const i = url.lastIndexOf('/c');
  if (i < 0) return 0;
  const n = Number.parseInt(url.slice(i + 2), 10);
  return Number.isFinite(n) && n >= 0 ? n : 0;
}

/** Headers the stack uses between its parts. */
export const HEADER = {
  /** The simulated client's IPv4 address; nginx's realip module makes it $remote_addr. */
  client: 'x-client-addr',
  /** Set by nginx on requests it proxies: the instance leaves deadlines to nginx's proxy_read_timeout. */
  via: 'x-headroom-via',
  /** An error's cause, when a part of the stack knows it better than the status says. */
  cause: 'x-headroom-cause',
  /** nginx's $upstream_addr on a 502: ends with the group name when no live upstream was left. */
  upstream: 'x-headroom-upstream',
} as const;
