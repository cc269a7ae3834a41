// A load balancer's figures from nginx's access log, in the simulator's terms (src/model/series.ts
// and summary.ts): arrivals when nginx received the request ($msec − $request_time), forwarded =
// upstream tries that reached a peer, retries = tries after the first, errors by cause from the
// status and $upstream_addr (../causes.ts), perPeer = tries per instance. Throughput is what nginx
// answered successfully per second (the simulator's balancer rows leave it at 0: it never counts
// completions at a balancer). A 500 is an upstream relaying its `next:` pool's failure: the
// simulator charges that to the next pool, not to this balancer, and so does this.
import type { LoadBalancerConfig } from '../scenario/types.ts';
import { completeErrors, errorColumns, type BalancerSummary, type SeriesRow } from '../stats/results.ts';
import type { LogRecord } from './access-log.ts';
import { OK, classify } from './causes.ts';

const ADDRESS = /:\d+$/;

export class BalancerSeries {
  private readonly arrivals: Float64Array;
  private readonly completions: Float64Array;
  private readonly errors: Float64Array[]; // per cause, per interval
  private readonly perPeer = new Map<string, number>();
  private total = 0;
  private forwarded = 0;
  private retries = 0;
  private readonly errorTotals = new Float64Array(4);
  readonly path: string;

  constructor(
    readonly cfg: LoadBalancerConfig,
    private readonly interval: number,
    private readonly duration: number,
    private readonly epoch0: number,
    /** "127.0.0.1:port" → "pool-index" */
    private readonly peerName: (addr: string) => string,
  ) {
    const n = Math.max(1, Math.ceil(duration / interval - 1e-9));
    this.arrivals = new Float64Array(n);
    this.completions = new Float64Array(n);
    this.errors = [0, 1, 2, 3].map(() => new Float64Array(n));
    this.path = `/lb/${cfg.name}/`;
  }

  private slot(t: number): number {
    return Math.min(this.arrivals.length - 1, Math.max(0, Math.floor(t / this.interval)));
  }

  /** Counts a log line of this balancer (path under its location). Lines ending after the run are left out, as the simulator stops at its horizon. */
  add(line: LogRecord): void {
    const end = line.msec - this.epoch0;
    const start = end - line.requestTime;
    if (start >= this.duration) return;
    this.total++;
    this.arrivals[this.slot(start)]++;
    for (const t of line.tries) {
      if (!ADDRESS.test(t.addr)) continue;
      this.forwarded++;
      const name = this.peerName(t.addr);
      this.perPeer.set(name, (this.perPeer.get(name) ?? 0) + 1);
    }
    if (line.tries.length > 1) this.retries += line.tries.length - 1;
    if (end > this.duration + 0.001 || line.status === 500) return;
    const last = line.tries.length > 0 ? line.tries[line.tries.length - 1].addr : undefined;
    const k = classify(line.status, undefined, line.status === 502 ? last ?? '' : undefined);
    if (k === OK) this.completions[this.slot(end)]++;
    else { this.errors[k][this.slot(end)]++; this.errorTotals[k]++; }
  }

  rows(): SeriesRow[] {
    return Array.from(this.arrivals, (_, i): SeriesRow => {
      const time = Math.min(this.duration, (i + 1) * this.interval), dt = time - i * this.interval;
      return {
        time, component: this.cfg.name,
        offered: this.arrivals[i] / dt, throughput: this.completions[i] / dt,
        ...errorColumns({
          rateLimited: this.errors[0][i], backlogFull: this.errors[1][i], timeout: this.errors[2][i], noUpstream: this.errors[3][i],
        }),
        latency_p50: null, latency_p95: null, latency_p99: null, latency_max: null,
        in_flight: 0, queue_mean: 0, utilisation: null,
        instances_desired: null, instances_ready: null, instances_total: null, cost: null,
      };
    });
  }

  summary(): BalancerSummary {
    const e = this.errorTotals;
    const perPeer: Record<string, number> = {};
    for (const [k, v] of [...this.perPeer].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 50)) perPeer[k] = v;
    return {
      kind: 'loadBalancer', arrivals: this.total, forwarded: this.forwarded, retries: this.retries,
      errors: completeErrors({ rateLimited: e[0], backlogFull: e[1], timeout: e[2], noUpstream: e[3] }), perPeer,
    };
  }
}
