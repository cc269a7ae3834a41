// The causes a request can fail with, and the helpers every mirror of them derives from
// (counters, series columns, the CSV reader, the report). Re-exported by results.ts.

/**
 * The causes a request can fail with, in the order of the model's CAUSE_* indices. Everything that
 * mirrors them (counters, series columns, the CSV reader, report charts) derives from this list;
 * a new cause is appended, and files written before it existed read it as 0.
 *   rateLimited        limit_req rejected (503)
 *   backlogFull        instance backlog overflow (503)
 *   timeout            request deadline passed (504)
 *   noUpstream         no live peer to send to, or killed at the end of a drain (502)
 *   killed             in flight when its instance crashed or was lost (502: upstream prematurely closed)
 *   refused            connection refused by an instance whose process is down (502)
 *   serverError        answered with a 5xx by the application (a fault or a faulty release)
 *   queueFull          a bounded message queue was full (the producer's enqueue is refused, 503)
 *   connectionTimeout  no database connection within the pool's acquire timeout (503)
 *   callTimeout        a call's attempts ran past their timeout at the caller (504)
 *   downstream         a call failed at the callee and the caller passed the failure on (502)
 */
export const ERROR_CAUSES = [
  'rateLimited', 'backlogFull', 'timeout', 'noUpstream', 'killed', 'refused', 'serverError',
  'queueFull', 'connectionTimeout', 'callTimeout', 'downstream',
] as const;
export type ErrorCause = (typeof ERROR_CAUSES)[number];
/** Errors by cause, as counts. */
export type ErrorCounts = Record<ErrorCause, number>;
/** The causes every file has had; later ones may be missing from older files. */
export const FIRST_CAUSES = 4;

/** A cause's timeseries.csv column: errors_ + its name in snake case. */
export function causeColumn(c: ErrorCause): string {
  return `errors_${c.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`)}`;
}

/** All errors, whatever the cause (a cause missing from an older file counts 0). */
export function errorTotal(e: ErrorCounts): number {
  return ERROR_CAUSES.reduce((s, c) => s + (e[c] ?? 0), 0);
}

/** Fills causes an older file lacks with 0. */
export function completeErrors(e: Partial<ErrorCounts>): ErrorCounts {
  const out = {} as ErrorCounts;
  for (const c of ERROR_CAUSES) out[c] = e[c] ?? 0;
  return out;
}
