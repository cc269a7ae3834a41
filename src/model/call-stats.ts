// What a pool's calls count: per call, the calls made, attempts and retries (run totals and the
// current sample interval, so a retry storm shows in the series), how calls failed for good, what
// the callees failed attempts with; what the pool's own timeouts were waiting on; and its
// connection pools' figures. Everything is summed per component called in the summary.
import type { ConnectionPoolConfig } from '../scenario/types.ts';
import { ERROR_CAUSES, type CallSummary, type CallsSummary, type ConnectionPoolSummary } from '../stats/results.ts';
import { CAUSE_CALL_TIMEOUT, CAUSE_CONNECTION_TIMEOUT } from './counters.ts';
import type { RefStats } from './connections.ts';

export class CallStats {
  readonly made: Float64Array;
  private readonly attempts: Float64Array;
  private readonly retries: Float64Array;
  private readonly gave: Float64Array; // per call × 3: callTimeout, connectionTimeout, downstream
  private readonly down: Float64Array; // per call × causes: attempts the callee failed
  private attemptsTotal = 0;
  private retriesTotal = 0;
  private attemptsBefore = 0;
  private retriesBefore = 0;
  private queued = 0;
  private working = 0;
  private readonly whileWaiting: Float64Array; // per call × 3: connection, call, backoff
  /** Its connection pools per database called (their rows: ./pool-report.ts). */
  refs: Array<{ to: string; cfg: ConnectionPoolConfig; stats: RefStats }> = [];

  constructor(private readonly to: string[]) {
    const n = to.length;
    this.made = new Float64Array(n);
    this.attempts = new Float64Array(n);
    this.retries = new Float64Array(n);
    this.gave = new Float64Array(n * 3);
    this.down = new Float64Array(n * ERROR_CAUSES.length);
    this.whileWaiting = new Float64Array(n * 3);
  }

  connections(refs: Array<{ to: string; cfg: ConnectionPoolConfig }>, stats: RefStats[]): void {
    this.refs = refs.map((r, i) => ({ ...r, stats: stats[i] }));
  }

  attempt(call: number, retry: boolean): void {
    this.attempts[call]++;
    this.attemptsTotal++;
    if (retry) {
      this.retries[call]++;
      this.retriesTotal++;
    }
  }

  downstream(call: number, cause: number): void {
    this.down[call * ERROR_CAUSES.length + cause]++;
  }

  /** The call failed for good; `how` is the cause the caller answers with. */
  gaveUp(call: number, how: number): void {
    this.gave[call * 3 + (how === CAUSE_CALL_TIMEOUT ? 0 : how === CAUSE_CONNECTION_TIMEOUT ? 1 : 2)]++;
  }

  timedOutAt(where: 'queued' | 'working' | 'connection' | 'call' | 'backoff', call: number): void {
    if (where === 'queued') this.queued++;
    else if (where === 'working') this.working++;
    else if (call >= 0) this.whileWaiting[call * 3 + (where === 'connection' ? 0 : where === 'call' ? 1 : 2)]++;
  }

  /** The current sample interval's attempts and retries; the next interval starts. */
  interval(): { calls: number; retries: number } {
    const out = { calls: this.attemptsTotal - this.attemptsBefore, retries: this.retriesTotal - this.retriesBefore };
    this.attemptsBefore = this.attemptsTotal;
    this.retriesBefore = this.retriesTotal;
    return out;
  }

  summary(end: number): Omit<CallsSummary, 'waitingShare'> {
    const to: Record<string, CallSummary> = {};
    const waiting = { connection: {} as Record<string, number>, call: {} as Record<string, number>, backoff: {} as Record<string, number> };
    const add = (rec: Record<string, number>, k: string, v: number) => { if (v > 0) rec[k] = (rec[k] ?? 0) + v; };
    this.to.forEach((name, d) => {
      const c = (to[name] ??= { made: 0, attempts: 0, retries: 0, failed: { callTimeout: 0, connectionTimeout: 0, downstream: 0 }, downstreamCauses: {} });
      c.made += this.made[d];
      c.attempts += this.attempts[d];
      c.retries += this.retries[d];
      c.failed.callTimeout += this.gave[d * 3];
      c.failed.connectionTimeout += this.gave[d * 3 + 1];
      c.failed.downstream += this.gave[d * 3 + 2];
      ERROR_CAUSES.forEach((cause, k) => add(c.downstreamCauses, cause, this.down[d * ERROR_CAUSES.length + k]));
      add(waiting.connection, name, this.whileWaiting[d * 3]);
      add(waiting.call, name, this.whileWaiting[d * 3 + 1]);
      add(waiting.backoff, name, this.whileWaiting[d * 3 + 2]);
    });
    for (const r of this.refs) to[r.to].connections = connectionSummary(r.cfg, r.stats, end);
    return { to, timedOutWhile: { queued: this.queued, working: this.working, ...waiting } };
  }
}

function connectionSummary(cfg: ConnectionPoolConfig, s: RefStats, end: number): ConnectionPoolSummary {
  return {
    size: cfg.size,
    acquireTimeout: cfg.acquireTimeout,
    wait: {
      mean: s.waitCount > 0 ? s.waitSum / s.waitCount : 0,
      probWait: s.waitCount > 0 ? s.waitedCount / s.waitCount : 0,
      count: s.waitCount,
    },
    acquireTimeouts: s.acquireTimeouts,
    refused: s.refused,
    meanInUse: s.inUse.mean(end),
    meanOpen: s.open.mean(end),
  };
}
