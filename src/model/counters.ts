// What every component counts, for the run and for the current sample interval, and the error
// causes a request can end with (the index order of ErrorCounts in src/stats/results.ts).
import type { ErrorCounts } from '../stats/results.ts';

export const CAUSE_RATE_LIMITED = 0;
export const CAUSE_BACKLOG_FULL = 1;
export const CAUSE_TIMEOUT = 2;
export const CAUSE_NO_UPSTREAM = 3;
/** Not an error: a visit that ended with an answer (ComponentKind.onReturn's `cause`). */
export const OK = -1;

export class Counters {
  arrivals = 0;
  completions = 0;
  errors = new Float64Array(4);
  iArrivals = 0;
  iCompletions = 0;
  iErrors = new Float64Array(4);

  error(cause: number): void {
    this.errors[cause]++;
    this.iErrors[cause]++;
  }

  resetInterval(): void {
    this.iArrivals = 0;
    this.iCompletions = 0;
    this.iErrors.fill(0);
  }
}

export function errorCounts(k: Counters): ErrorCounts {
  return { rateLimited: k.errors[0], backlogFull: k.errors[1], timeout: k.errors[2], noUpstream: k.errors[3] };
}
