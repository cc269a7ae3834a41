/**
 * ngx_http_limit_req_module (one limit_req_zone + one limit_req directive), re-expressed from
 * src/http/modules/ngx_http_limit_req_module.c (1.18–1.22):
 *
 *   ngx_http_limit_req_zone    rate=Nr/s|Nr/m  ->  ctx->rate = N * 1000 / scale   (integer, milli-requests/s)
 *   ngx_http_limit_req         burst=B -> B*1000; delay=D -> D*1000; nodelay -> delay = NGX_MAX_INT_T_VALUE/1000*1000
 *   ngx_http_limit_req_lookup  ms = now - last (ms < -60000 -> 1; ms < 0 -> 0)
 *                              excess = excess - rate*ms/1000 + 1000 (integer division), clamped at 0
 *                              excess > burst -> NGX_BUSY (reject; the node is NOT updated, only bumped in the LRU)
 *                              else node.excess = excess; if (ms) node.last = now
 *                              unknown key -> expire(1), new node with excess 0, last = now
 *   ngx_http_limit_req_account delay_ms = excess <= delay ? 0 : (excess - delay) * 1000 / rate   (integer ms)
 *   ngx_http_limit_req_expire  n=1: remove up to two least-recently-used nodes idle >= 60 s whose
 *                              excess has fully leaked (excess - rate*ms/1000 <= 0)
 *
 * Time is ngx_current_msec: floor(now*1000) of the simulated clock (with a 1e-6 ms guard so a float
 * clock reading 4.35 -> 4349.999999999999 ms counts as 4350 ms).
 * Not modelled: the zone's memory limit (the forced n=0 expiry when the slab is full) and dry_run.
 */

export interface LimitReqOptions {
  /** requests per second, e.g. 10 for 10r/s; 5r/m => 5/60 (stored as nginx does: floor(rate*1000) milli-r/s) */
  rate: number;
  /** burst=, in requests (default 0 in nginx) */
  burst: number;
  /** nodelay: equivalent to delay=burst (nothing admitted is ever delayed) */
  nodelay: boolean;
  /** the delay= parameter, in requests; default 0 */
  delay?: number;
  /** number of distinct keys; key ids are 0..keys-1 */
  keys: number;
}

/** ngx_current_msec from the simulated clock (seconds, float) */
function msec(now: number): number {
  return Math.floor(now * 1000 + 1e-6);
}

export class LimitReq {
  /** ctx->rate: milli-requests per second, integer (5r/m -> 83) */
  readonly rate: number;
  /** limit->burst: milli-requests */
  readonly burst: number;
  /** limit->delay: milli-requests (Infinity for nodelay) */
  readonly delay: number;
  readonly keys: number;

  private readonly excess: Float64Array; // lr->excess, milli-requests
  private readonly last: Float64Array; // lr->last, ms
  private readonly exists: Uint8Array;
  // LRU queue (ctx->sh->queue): head = most recently used; sentinel index = keys
  private readonly prev: Int32Array;
  private readonly next: Int32Array;

  constructor(opts: LimitReqOptions) {
    const { rate, burst, nodelay, keys } = opts;
    const delay = opts.delay ?? 0;
    if (!(rate > 0)) throw new Error(`rate must be > 0, got ${rate}`);
    // ngx_http_limit_req_zone: rate * 1000 / scale in integer arithmetic (5r/m -> 5000/60 = 83)
    const r = Math.floor(rate * 1000 + 1e-6);
    if (r < 1) throw new Error(`rate ${rate} r/s is below nginx's resolution (1 milli-request/s)`);
    if (!Number.isInteger(burst) || burst < 0) throw new Error(`burst must be an integer >= 0, got ${burst}`);
    if (!Number.isInteger(delay) || delay < 0) throw new Error(`delay must be an integer >= 0, got ${delay}`);
    if (!Number.isInteger(keys) || keys < 1) throw new Error(`keys must be an integer >= 1, got ${keys}`);
    this.rate = r;
    this.burst = burst * 1000;
    this.delay = nodelay ? Infinity : delay * 1000;
    this.keys = keys;
    this.excess = new Float64Array(keys);
    this.last = new Float64Array(keys);
    this.exists = new Uint8Array(keys);
    this.prev = new Int32Array(keys + 1);
    this.next = new Int32Array(keys + 1);
    this.prev[keys] = keys;
    this.next[keys] = keys;
  }

  /**
   * One request for `key` at simulated time `now` (s). Returns -1 when rejected (limit_req_status, 503 by default),
   * else the delay in seconds before the request proceeds (a whole number of milliseconds, as nginx's timer).
   */
  admit(key: number, now: number): number {
    if (!(key >= 0 && key < this.keys)) throw new Error(`key ${key} out of range 0..${this.keys - 1}`);
    const nowMs = msec(now);
    let excess: number;
    if (this.exists[key] !== 0) {
      // ngx_http_limit_req_lookup, node found
      this.unlink(key);
      this.pushHead(key);
      let ms = nowMs - this.last[key];
      if (ms < -60000) ms = 1;
      else if (ms < 0) ms = 0;
      excess = this.excess[key] - Math.floor((this.rate * ms) / 1000) + 1000;
      if (excess < 0) excess = 0;
      if (excess > this.burst) return -1; // NGX_BUSY
      this.excess[key] = excess;
      if (ms !== 0) this.last[key] = nowMs;
    } else {
      // ngx_http_limit_req_lookup, new node (after ngx_http_limit_req_expire(ctx, 1))
      this.expire(nowMs);
      this.exists[key] = 1;
      this.excess[key] = 0;
      this.last[key] = nowMs;
      this.pushHead(key);
      excess = 0;
    }
    // ngx_http_limit_req_account
    if (excess <= this.delay) return 0;
    const delayMs = Math.floor(((excess - this.delay) * 1000) / this.rate);
    return delayMs / 1000;
  }

  /** current stored excess for a key in milli-requests (inspection/tests); -1 if the key has no node */
  excessOf(key: number): number {
    return this.exists[key] !== 0 ? this.excess[key] : -1;
  }

  /** ngx_http_limit_req_expire(ctx, 1): up to two LRU-tail nodes idle >= 60 s and fully leaked are deleted */
  private expire(nowMs: number): void {
    const s = this.keys;
    for (let n = 1; n < 3; n++) {
      const q = this.prev[s];
      if (q === s) return; // queue empty
      let ms = nowMs - this.last[q];
      if (ms < 0) ms = -ms;
      if (ms < 60000) return;
      const ex = this.excess[q] - Math.floor((this.rate * ms) / 1000);
      if (ex > 0) return;
      this.unlink(q);
      this.exists[q] = 0;
    }
  }

  private unlink(k: number): void {
    const p = this.prev[k], n = this.next[k];
    this.next[p] = n;
    this.prev[n] = p;
  }

  private pushHead(k: number): void {
    const s = this.keys;
    const h = this.next[s];
    this.next[k] = h;
    this.prev[k] = s;
    this.prev[h] = k;
    this.next[s] = k;
  }
}
