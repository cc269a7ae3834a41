/**
 * nginx upstream peer selection and passive failure accounting, re-expressed
 * from nginx's own sources (http upstream, 1.18–1.22 era; the logic quoted
 * below is unchanged through 1.22):
 *
 *   src/http/ngx_http_upstream_round_robin.c
 *     ngx_http_upstream_get_round_robin_peer   (single-peer branch, else get_peer)
 *     ngx_http_upstream_get_peer               (smooth weighted round robin)
 *     ngx_http_upstream_free_round_robin_peer  (fails/accessed/checked/effective_weight)
 *   src/http/modules/ngx_http_upstream_least_conn_module.c
 *     ngx_http_upstream_get_least_conn_peer
 *   src/http/modules/ngx_http_upstream_ip_hash_module.c
 *     ngx_http_upstream_get_ip_hash_peer
 *   src/http/modules/ngx_http_upstream_random_module.c
 *     ngx_http_upstream_get_random_peer, ngx_http_upstream_get_random2_peer,
 *     ngx_http_upstream_peek_random_peer, ngx_http_upstream_update_random
 *
 * Hot-path layout: struct-of-arrays in typed arrays, grown by doubling in
 * addPeer. pick()/free() allocate nothing and create no closures.
 *
 * Time: nginx's ngx_time() is whole seconds; we use floor(now) (with a 1e-9 s
 * guard so that a float clock reading 2.9999999999999996 counts as second 3).
 *
 * Things nginx has that are deliberately not modelled here: backup servers
 * (peers->next), max_conns queueing (nginx-plus), slow_start (plus), keepalive
 * cache. `max_conns` itself (OSS: skip a peer at its limit) is supported via
 * addPeer's optional 4th argument.
 *
 * Per-request state: nginx keeps ip_hash's running hash and the ip_hash/random
 * 20-try counters in the request (iphp->hash, iphp->tries, rp->tries) across
 * proxy_next_upstream retries. pick() is stateless per call, so a retry
 * re-walks the ip_hash chain from 89 skipping `tried` peers (same peer as nginx
 * when the earlier candidates' state has not changed; the 20-try budget can be
 * reached one or more candidates earlier), and random's budget restarts at 0.
 * The pre-1.11 "all peers failed, reset fails for quick recovery" loop is gone
 * from 1.18–1.22 and is not reproduced.
 */

export type Balancing = 'round_robin' | 'least_conn' | 'ip_hash' | 'random_two_least_conn' | 'random';

const M_RR = 0;
const M_LEAST_CONN = 1;
const M_IP_HASH = 2;
const M_RANDOM2 = 3;
const M_RANDOM = 4;

/** Build an IPv4 address a.b.c.d as a uint32 (network order: a is the most significant byte). */
export function ipv4(a: number, b: number, c: number, d: number): number {
  return (((a & 255) << 24) | ((b & 255) << 16) | ((c & 255) << 8) | (d & 255)) >>> 0;
}

/** ngx_time(): whole seconds of the simulated clock. */
function secs(now: number): number {
  return Math.floor(now + 1e-9);
}

export class Upstream {
  readonly method: Balancing;
  private readonly m: number;
  private readonly random: () => number;

  private cap = 0;
  private count = 0; // slots ever created

  // ---- per-peer state (ngx_http_upstream_rr_peer_t fields) ----
  /** active connections per peer (peer->conns). Re-read `up.conns` after addPeer: it is replaced on growth. */
  conns: Int32Array;
  private w: Int32Array; // weight
  private ew: Int32Array; // effective_weight
  private cw: Int32Array; // current_weight
  private maxFails: Int32Array;
  private fails: Int32Array;
  private failTimeout: Float64Array; // seconds
  private accessed: Float64Array; // whole seconds
  private checked: Float64Array; // whole seconds
  private maxConns: Int32Array;
  private downF: Uint8Array;
  private removedF: Uint8Array;
  private mark: Uint8Array; // scratch: the request's `tried` bitmap

  // ---- peer list (peers->peer linked list, in index order, removed peers excluded) ----
  private order: Int32Array;
  private n = 0; // peers->number
  private totalWeight = 0; // peers->total_weight (includes down peers, as nginx does)
  private ranges: Float64Array; // random module: ranges[k] = sum of weights before position k
  /** Failures that left a peer at max_fails within fail_timeout: each time nginx logs "upstream server temporarily disabled". */
  markedDown = 0;

  constructor(method: Balancing, random: () => number) {
    this.method = method;
    switch (method) {
      case 'round_robin': this.m = M_RR; break;
      case 'least_conn': this.m = M_LEAST_CONN; break;
      case 'ip_hash': this.m = M_IP_HASH; break;
      case 'random_two_least_conn': this.m = M_RANDOM2; break;
      case 'random': this.m = M_RANDOM; break;
      default: throw new Error(`unknown balancing method ${String(method)}`);
    }
    this.random = random;
    const c = 8;
    this.cap = c;
    this.conns = new Int32Array(c);
    this.w = new Int32Array(c);
    this.ew = new Int32Array(c);
    this.cw = new Int32Array(c);
    this.maxFails = new Int32Array(c);
    this.fails = new Int32Array(c);
    this.failTimeout = new Float64Array(c);
    this.accessed = new Float64Array(c);
    this.checked = new Float64Array(c);
    this.maxConns = new Int32Array(c);
    this.downF = new Uint8Array(c);
    this.removedF = new Uint8Array(c);
    this.mark = new Uint8Array(c);
    this.order = new Int32Array(c);
    this.ranges = new Float64Array(c + 1);
  }

  /** number of peer slots ever created (indices 0..size-1; removed ones stay allocated) */
  get size(): number {
    return this.count;
  }

  /** peers not removed and not down; also nginx's peers->tries, the default number of attempts per request */
  live(): number {
    let c = 0;
    for (let k = 0; k < this.n; k++) if (this.downF[this.order[k]] === 0) c++;
    return c;
  }

  /** peers->single: exactly one (non-removed) peer; nginx then skips max_fails accounting entirely */
  get single(): boolean {
    return this.n === 1;
  }

  /**
   * Add a peer. New peers start as nginx initialises them (ngx_http_upstream_init_round_robin,
   * and the dynamic-upstream modules that append at run time): effective_weight = weight,
   * current_weight = 0, fails = 0. Returns a stable index.
   * maxConns (optional, default 0 = unlimited) is the OSS `max_conns=` server parameter.
   */
  addPeer(weight: number, maxFails: number, failTimeout: number, maxConns = 0): number {
    if (!Number.isInteger(weight) || weight < 1) throw new Error(`weight must be an integer >= 1, got ${weight}`);
    if (!Number.isInteger(maxFails) || maxFails < 0) throw new Error(`maxFails must be an integer >= 0, got ${maxFails}`);
    if (!(failTimeout >= 0)) throw new Error(`failTimeout must be >= 0, got ${failTimeout}`);
    if (!Number.isInteger(maxConns) || maxConns < 0) throw new Error(`maxConns must be an integer >= 0, got ${maxConns}`);
    if (this.count === this.cap) this.grow();
    const p = this.count++;
    this.w[p] = weight;
    this.ew[p] = weight;
    this.cw[p] = 0;
    this.maxFails[p] = maxFails;
    this.fails[p] = 0;
    this.failTimeout[p] = failTimeout;
    this.accessed[p] = 0;
    this.checked[p] = 0;
    this.maxConns[p] = maxConns;
    this.conns[p] = 0;
    this.downF[p] = 0;
    this.removedF[p] = 0;
    this.rebuild();
    return p;
  }

  /** The peer leaves the upstream: never picked again; its index is not reused. free() on it stays legal. */
  removePeer(peer: number): void {
    this.check(peer);
    if (this.removedF[peer] === 1) return;
    this.removedF[peer] = 1;
    this.rebuild();
  }

  /** `down` server parameter / readiness failing. A down peer keeps its weight in total_weight (ip_hash/random ranges), as in nginx. */
  setDown(peer: number, down: boolean): void {
    this.check(peer);
    this.downF[peer] = down ? 1 : 0;
  }

  // ---- read-only inspection (tests, reports) ----
  weightOf(p: number): number { return this.w[p]; }
  effectiveWeightOf(p: number): number { return this.ew[p]; }
  currentWeightOf(p: number): number { return this.cw[p]; }
  failsOf(p: number): number { return this.fails[p]; }
  checkedOf(p: number): number { return this.checked[p]; }
  accessedOf(p: number): number { return this.accessed[p]; }
  isDown(p: number): boolean { return this.downF[p] === 1; }
  isRemoved(p: number): boolean { return this.removedF[p] === 1; }
  /** true when max_fails accounting currently excludes the peer (fails >= max_fails within fail_timeout of `checked`) */
  isFailed(p: number, now: number): boolean {
    const mf = this.maxFails[p];
    return mf !== 0 && this.fails[p] >= mf && secs(now) - this.checked[p] <= this.failTimeout[p];
  }

  /**
   * nginx's peer.get. Returns a peer index or -1 (NGX_BUSY: "no live upstreams", 502).
   * tried[0..triedCount) are the peers this request already used (rrp->tried).
   * Increments conns[peer].
   */
  pick(now: number, clientAddr: number, tried: Int32Array, triedCount: number): number {
    if (this.n === 0) return -1;
    const mark = this.mark;
    const size = this.count;
    for (let k = 0; k < triedCount; k++) {
      const t = tried[k];
      if (t >= 0 && t < size) mark[t] = 1;
    }
    const nowSec = secs(now);
    let p: number;
    switch (this.m) {
      case M_RR: p = this.getRoundRobinPeer(nowSec); break;
      case M_LEAST_CONN: p = this.getLeastConnPeer(nowSec); break;
      case M_IP_HASH: p = this.getIpHashPeer(nowSec, clientAddr >>> 0); break;
      case M_RANDOM2: p = this.getRandom2Peer(nowSec); break;
      default: p = this.getRandomPeer(nowSec); break;
    }
    for (let k = 0; k < triedCount; k++) {
      const t = tried[k];
      if (t >= 0 && t < size) mark[t] = 0;
    }
    if (p >= 0) this.conns[p]++;
    return p;
  }

  /**
   * nginx's peer.free = ngx_http_upstream_free_round_robin_peer (all five methods use it).
   * failed=true for NGX_PEER_FAILED (error, timeout, and http_5xx listed in proxy_next_upstream).
   */
  free(peer: number, now: number, failed: boolean): void {
    // single peer: only the connection count changes; no failure accounting at all
    if (this.n === 1) {
      this.conns[peer]--;
      return;
    }
    if (failed) {
      const t = secs(now);
      this.fails[peer]++;
      this.accessed[peer] = t;
      this.checked[peer] = t;
      const mf = this.maxFails[peer];
      if (mf !== 0) {
        // integer division, as in C: weight / max_fails
        this.ew[peer] -= Math.floor(this.w[peer] / mf);
        if (this.fails[peer] >= mf) this.markedDown++;
      }
      if (this.ew[peer] < 0) this.ew[peer] = 0;
    } else {
      // "mark peer live if check passed": only when a pick after fail_timeout advanced `checked` past the last failure
      if (this.accessed[peer] < this.checked[peer]) this.fails[peer] = 0;
    }
    this.conns[peer]--;
  }

  // ------------------------------------------------------------------------------------------
  // selection algorithms
  // ------------------------------------------------------------------------------------------

  /** peer is usable apart from the tried bitmap: not down, not failed out, under max_conns */
  private usable(i: number, nowSec: number): boolean {
    if (this.downF[i] !== 0) return false;
    const mf = this.maxFails[i];
    if (mf !== 0 && this.fails[i] >= mf && nowSec - this.checked[i] <= this.failTimeout[i]) return false;
    const mc = this.maxConns[i];
    if (mc !== 0 && this.conns[i] >= mc) return false;
    return true;
  }

  /** on selection: `if (now - best->checked > best->fail_timeout) best->checked = now;` */
  private touch(i: number, nowSec: number): void {
    if (nowSec - this.checked[i] > this.failTimeout[i]) this.checked[i] = nowSec;
  }

  /**
   * ngx_http_upstream_get_round_robin_peer. With peers->single nginx checks only
   * `down` and `max_conns` (not max_fails, not tried, and does not touch `checked`).
   * With a single peer nginx never asks for a second attempt (free sets tries = 0);
   * if the simulator asks anyway with that peer in `tried` we answer -1.
   */
  private getRoundRobinPeer(nowSec: number): number {
    if (this.n === 1) {
      const i = this.order[0];
      if (this.downF[i] !== 0) return -1;
      const mc = this.maxConns[i];
      if (mc !== 0 && this.conns[i] >= mc) return -1;
      if (this.mark[i] !== 0) return -1;
      return i;
    }
    return this.getPeer(nowSec);
  }

  /** ngx_http_upstream_get_peer: smooth weighted round robin over non-tried, usable peers. */
  private getPeer(nowSec: number): number {
    const order = this.order, n = this.n, mark = this.mark, cw = this.cw, ew = this.ew, w = this.w;
    let best = -1;
    let total = 0;
    for (let k = 0; k < n; k++) {
      const i = order[k];
      if (mark[i] !== 0) continue;
      if (!this.usable(i, nowSec)) continue;
      cw[i] += ew[i];
      total += ew[i];
      if (ew[i] < w[i]) ew[i]++;
      if (best < 0 || cw[i] > cw[best]) best = i;
    }
    if (best < 0) return -1;
    cw[best] -= total;
    this.touch(best, nowSec);
    return best;
  }

  /**
   * ngx_http_upstream_get_least_conn_peer: minimum conns/weight (compared as cross products);
   * several peers at the minimum ("many") are resolved by smooth WRR among just those peers,
   * scanning from the first of them.
   */
  private getLeastConnPeer(nowSec: number): number {
    if (this.n === 1) return this.getRoundRobinPeer(nowSec);
    const order = this.order, n = this.n, mark = this.mark, conns = this.conns, w = this.w;
    let best = -1;
    let bestK = 0;
    let many = false;
    for (let k = 0; k < n; k++) {
      const i = order[k];
      if (mark[i] !== 0) continue;
      if (!this.usable(i, nowSec)) continue;
      if (best < 0 || conns[i] * w[best] < conns[best] * w[i]) {
        best = i;
        bestK = k;
        many = false;
      } else if (conns[i] * w[best] === conns[best] * w[i]) {
        many = true;
      }
    }
    if (best < 0) return -1;
    let total = 0;
    if (many) {
      const cw = this.cw, ew = this.ew;
      for (let k = bestK; k < n; k++) {
        const i = order[k];
        if (mark[i] !== 0) continue;
        if (this.downF[i] !== 0) continue;
        if (conns[i] * w[best] !== conns[best] * w[i]) continue;
        if (!this.usable(i, nowSec)) continue;
        cw[i] += ew[i];
        total += ew[i];
        if (ew[i] < w[i]) ew[i]++;
        if (cw[i] > cw[best]) best = i;
      }
    }
    this.cw[best] -= total;
    this.touch(best, nowSec);
    return best;
  }

  /**
   * ngx_http_upstream_get_ip_hash_peer: hash = 89; per round hash = (hash*113 + octet) % 6271 over
   * the first three octets; w = hash % total_weight walks the peer list by weight. A tried/down/
   * failed/full peer triggers a re-hash (continuing from the current hash); after 20 re-hashes
   * (the 21st rejection) nginx falls back to round robin.
   */
  private getIpHashPeer(nowSec: number, addr: number): number {
    if (this.n === 1) return this.getRoundRobinPeer(nowSec);
    const o0 = (addr >>> 24) & 255, o1 = (addr >>> 16) & 255, o2 = (addr >>> 8) & 255;
    const order = this.order, w = this.w, tw = this.totalWeight;
    let hash = 89;
    let tries = 0;
    for (;;) {
      hash = (hash * 113 + o0) % 6271;
      hash = (hash * 113 + o1) % 6271;
      hash = (hash * 113 + o2) % 6271;
      let x = hash % tw;
      let k = 0;
      while (x >= w[order[k]]) {
        x -= w[order[k]];
        k++;
      }
      const i = order[k];
      if (this.mark[i] === 0 && this.usable(i, nowSec)) {
        this.touch(i, nowSec);
        return i;
      }
      if (++tries > 20) return this.getRoundRobinPeer(nowSec);
    }
  }

  /** ngx_http_upstream_peek_random_peer: x = random % total_weight, binary search over weight ranges. Returns a position in `order`. */
  private peek(): number {
    const tw = this.totalWeight;
    let x = Math.floor(this.random() * tw);
    if (x >= tw) x = tw - 1;
    if (x < 0) x = 0;
    const r = this.ranges;
    let i = 0;
    let j = this.n;
    while (j - i > 1) {
      const k = (i + j) >>> 1;
      if (x < r[k]) j = k;
      else i = k;
    }
    return i;
  }

  /** ngx_http_upstream_get_random_peer: weighted random; rejected candidates count toward 20, then round robin. */
  private getRandomPeer(nowSec: number): number {
    if (this.n < 2) return this.getRoundRobinPeer(nowSec);
    let tries = 0;
    for (;;) {
      const i = this.order[this.peek()];
      if (this.mark[i] === 0 && this.usable(i, nowSec)) {
        this.touch(i, nowSec);
        return i;
      }
      if (++tries > 20) return this.getRoundRobinPeer(nowSec);
    }
  }

  /**
   * ngx_http_upstream_get_random2_peer (`random two least_conn`): two distinct usable weighted-random
   * candidates; the second is kept unless conns2*weight1 > conns1*weight2 (ties go to the second).
   * Every candidate drawn (including the first accepted one) counts toward the 20-try budget.
   */
  private getRandom2Peer(nowSec: number): number {
    if (this.n < 2) return this.getRoundRobinPeer(nowSec);
    const conns = this.conns, w = this.w;
    let prev = -1;
    let tries = 0;
    for (;;) {
      let i = this.order[this.peek()];
      if (i !== prev && this.mark[i] === 0 && this.usable(i, nowSec)) {
        if (prev >= 0) {
          if (conns[i] * w[prev] > conns[prev] * w[i]) i = prev;
          this.touch(i, nowSec);
          return i;
        }
        prev = i;
      }
      if (++tries > 20) return this.getRoundRobinPeer(nowSec);
    }
  }

  // ------------------------------------------------------------------------------------------

  private check(peer: number): void {
    if (!(peer >= 0 && peer < this.count)) throw new Error(`no peer ${peer}`);
  }

  private rebuild(): void {
    let n = 0;
    let tw = 0;
    for (let i = 0; i < this.count; i++) {
      if (this.removedF[i] !== 0) continue;
      this.ranges[n] = tw;
      this.order[n++] = i;
      tw += this.w[i];
    }
    this.ranges[n] = tw;
    this.n = n;
    this.totalWeight = tw;
  }

  private grow(): void {
    const c = this.cap * 2;
    const i32 = (a: Int32Array) => { const b = new Int32Array(c); b.set(a); return b; };
    const f64 = (a: Float64Array) => { const b = new Float64Array(c); b.set(a); return b; };
    const u8 = (a: Uint8Array) => { const b = new Uint8Array(c); b.set(a); return b; };
    this.conns = i32(this.conns);
    this.w = i32(this.w);
    this.ew = i32(this.ew);
    this.cw = i32(this.cw);
    this.maxFails = i32(this.maxFails);
    this.fails = i32(this.fails);
    this.failTimeout = f64(this.failTimeout);
    this.accessed = f64(this.accessed);
    this.checked = f64(this.checked);
    this.maxConns = i32(this.maxConns);
    this.downF = u8(this.downF);
    this.removedF = u8(this.removedF);
    this.mark = u8(this.mark);
    this.order = new Int32Array(c);
    this.ranges = new Float64Array(c + 1);
    this.cap = c;
  }
}
