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
 * Hot-path layout: struct-of-arrays in typed arrays (the peer table,
 * ./upstream-peers.ts), grown by doubling in addPeer. pick()/free() allocate
 * nothing and create no closures.
 *
 * Time: nginx's ngx_time() is whole seconds; we use floor(now) (secs()).
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
import { PeerTable, secs } from './upstream-peers.ts';

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

export class Upstream extends PeerTable {
  readonly method: Balancing;
  private readonly m: number;
  private readonly random: () => number;
  /**
   * Failures that left a peer at max_fails within fail_timeout: each time nginx logs "upstream
   * server temporarily disabled" (free() below), so also a late failure of a request the peer had
   * before it went out, and a failed probe. Counted as nginx's error log would show them.
   */
  markedDown = 0;

  constructor(method: Balancing, random: () => number) {
    super();
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
      const mf = this.maxFails[peer];
      this.fails[peer]++;
      this.accessed[peer] = t;
      this.checked[peer] = t;
      if (mf !== 0) {
        // integer division, as in C: weight / max_fails
        this.ew[peer] -= Math.floor(this.w[peer] / mf);
        // nginx logs "upstream server temporarily disabled" here on every failure with fails >= max_fails.
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
}
