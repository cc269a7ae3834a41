// How long a client waits before retrying, as the AWS Architecture Blog's "Exponential Backoff and
// Jitter" (Marc Brooker, 2015) defines the variants and the AWS SDKs implement them:
//   exponential (no jitter)  sleep = min(cap, base · 2^n)
//   full jitter              sleep = random_between(0, min(cap, base · 2^n))
//   equal jitter             t = min(cap, base · 2^n); sleep = t/2 + random_between(0, t/2)
//   decorrelated jitter      sleep = min(cap, random_between(base, previous sleep · 3)), previous starting at base
// n counts retries from 0 (the first retry waits up to `base`).
import type { RetryPolicy } from '../scenario/types.ts';
import type { Rng } from '../sim/rng.ts';

/** The wait before retry number n (0 = the first retry); `previous` is the last wait (decorrelated jitter), or 0 before the first. */
export function backoffDelay(p: RetryPolicy, n: number, previous: number, rng: Rng): number {
  const ceiling = Math.min(p.cap, p.backoff * 2 ** n);
  switch (p.jitter) {
    case 'none': return ceiling;
    case 'full': return rng() * ceiling;
    case 'equal': return ceiling / 2 + rng() * (ceiling / 2);
    case 'decorrelated': {
      const last = previous > 0 ? previous : p.backoff;
      return Math.min(p.cap, p.backoff + rng() * (last * 3 - p.backoff));
    }
  }
}
