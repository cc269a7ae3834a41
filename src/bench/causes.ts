// From an HTTP answer of the live stack to the simulator's error causes, so a measured run counts
// errors the way a simulated one does. nginx and the upstream processes answer as follows:
//   limit_req rejects            → 503 from nginx (limit_req_status 503)        → rateLimited
//   an instance's backlog is full → the instance resets the connection; nginx   → backlogFull
//                                  tries the next peer (proxy_next_upstream error) and, out of
//                                  tries, answers 502 with $upstream_addr = the peers it tried
//   no live peer (max_fails)     → 502 from nginx, $upstream_addr ends with the group's name → noUpstream
//   an upstream deadline passed  → 504 (nginx's proxy_read_timeout, or the instance itself) → timeout
// Answers the stack does not produce (other 4xx/5xx, a reset on the driver's own connection to a
// pool entered directly) count as backlogFull: the request was refused. A part that knows the cause
// better (an instance relaying its `next:` pool's failure) names it in x-headroom-cause.
import type { ErrorCause } from '../stats/results.ts';

/** The causes a live stack's answers tell apart (the model's first four; killed, refused and serverError come from its faults). */
type LiveCause = Extract<ErrorCause, 'rateLimited' | 'backlogFull' | 'timeout' | 'noUpstream'>;
export const CAUSE_INDEX: Record<LiveCause, number> = { rateLimited: 0, backlogFull: 1, timeout: 2, noUpstream: 3 };
export const CAUSES: readonly LiveCause[] = ['rateLimited', 'backlogFull', 'timeout', 'noUpstream'];
export const OK = -1;

/** An address "host:port" as nginx writes it into $upstream_addr, as opposed to a group's name. */
const ADDRESS = /:\d+$/;

/**
 * The cause index (CAUSE_INDEX) of an answer, or OK (-1) for a success.
 * cause: the x-headroom-cause header; upstream: the x-headroom-upstream header (nginx's
 * $upstream_addr, sent on 502s only).
 */
export function classify(status: number, cause?: string, upstream?: string): number {
  if (status >= 200 && status < 400) return OK;
  if (cause !== undefined && cause in CAUSE_INDEX) return CAUSE_INDEX[cause as LiveCause];
  if (status === 503) return CAUSE_INDEX.rateLimited;
  if (status === 504) return CAUSE_INDEX.timeout;
  if (status === 502 && upstream !== undefined) {
    const last = upstream.split(/[,:]\s/).pop()!.trim();
    return last !== '' && !ADDRESS.test(last) ? CAUSE_INDEX.noUpstream : CAUSE_INDEX.backlogFull;
  }
  return CAUSE_INDEX.backlogFull;
}
