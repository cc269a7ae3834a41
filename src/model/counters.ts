// What every component counts, for the run and for the current sample interval, and the error
// causes a request can end with (the index order of ErrorCounts in src/stats/results.ts).
import { ERROR_CAUSES, type ErrorCounts } from '../stats/results.ts';

export const CAUSE_RATE_LIMITED = 0;
export const CAUSE_BACKLOG_FULL = 1;
export const CAUSE_TIMEOUT = 2;
export const CAUSE_NO_UPSTREAM = 3;
export const CAUSE_KILLED = 4;
export const CAUSE_REFUSED = 5;
export const CAUSE_SERVER_ERROR = 6;
export const CAUSE_QUEUE_FULL = 7;
export const CAUSE_CONNECTION_TIMEOUT = 8;
export const CAUSE_CALL_TIMEOUT = 9;
export const CAUSE_DOWNSTREAM = 10;
const CAUSES = ERROR_CAUSES.length;
/** Not an error: a visit that ended with an answer (ComponentKind.onReturn's `cause`). */
export const OK = -1;

/** Run totals; the current sample interval's are the differences from where it began (one increment per event, not two). */
export class Counters {
  arrivals = 0;
  completions = 0;
  readonly errors = new Float64Array(CAUSES);
  private arrivalsBefore = 0;
  private completionsBefore = 0;
  private readonly errorsBefore = new Float64Array(CAUSES);

  error(cause: number): void {
    this.errors[cause]++;
  }

  get iArrivals(): number {
    return this.arrivals - this.arrivalsBefore;
  }

  get iCompletions(): number {
    return this.completions - this.completionsBefore;
  }

  iErrors(cause: number): number {
    return this.errors[cause] - this.errorsBefore[cause];
  }

  /** The current interval ends: the next one counts from here. */
  resetInterval(): void {
    this.arrivalsBefore = this.arrivals;
    this.completionsBefore = this.completions;
    this.errorsBefore.set(this.errors);
  }
}

export function errorCounts(k: Counters): ErrorCounts {
  const out = {} as ErrorCounts;
  ERROR_CAUSES.forEach((c, i) => { out[c] = k.errors[i]; });
  return out;
}

/**
 * Causes a pool answers with an HTTP status of its own (the application's 5xx, or its calls'
 * failure), which a balancer in front reads as the upstream's answer (nginx: a response, retried
 * only when proxy_next_upstream lists its status), as opposed to a refusal, a timeout or a cut
 * connection (nginx's `error` and `timeout`).
 */
export function answered(cause: number): boolean {
  return cause === CAUSE_SERVER_ERROR || cause === CAUSE_CONNECTION_TIMEOUT || cause === CAUSE_CALL_TIMEOUT || cause === CAUSE_DOWNSTREAM;
}

/** The status a pool answers with when its calls fail with `cause` (connectionTimeout, callTimeout, downstream). */
export function callFailureStatus(cause: number): number {
  return cause === CAUSE_CONNECTION_TIMEOUT ? 503 : cause === CAUSE_CALL_TIMEOUT ? 504 : 502;
}
