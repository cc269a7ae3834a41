// The peer table of an nginx upstream: per-peer state as ngx_http_upstream_rr_peer_t holds it
// (weights, fails/accessed/checked, conns, down) in typed arrays grown by doubling, the peer list
// (peers->peer, removed peers excluded) and the eligibility tests every selection method shares.
// Selection and failure accounting are ./upstream.ts, whose header names the nginx sources.
import { grown } from '../sim/grown.ts';

/** ngx_time(): whole seconds of the simulated clock (with a 1e-9 s guard, so a float clock reading 2.9999999999999996 counts as second 3). */
export function secs(now: number): number {
  return Math.floor(now + 1e-9);
}

export class PeerTable {
  protected cap = 0;
  protected count = 0; // slots ever created

  // ---- per-peer state (ngx_http_upstream_rr_peer_t fields) ----
  /** active connections per peer (peer->conns). Re-read `up.conns` after addPeer: it is replaced on growth. */
  conns: Int32Array;
  protected w: Int32Array; // weight
  protected ew: Int32Array; // effective_weight
  protected cw: Int32Array; // current_weight
  protected maxFails: Int32Array;
  protected fails: Int32Array;
  protected failTimeout: Float64Array; // seconds
  protected accessed: Float64Array; // whole seconds
  protected checked: Float64Array; // whole seconds
  protected maxConns: Int32Array;
  protected downF: Uint8Array;
  protected removedF: Uint8Array;
  protected mark: Uint8Array; // scratch: the request's `tried` bitmap

  // ---- peer list (peers->peer linked list, in index order, removed peers excluded) ----
  protected order: Int32Array;
  protected n = 0; // peers->number
  protected totalWeight = 0; // peers->total_weight (includes down peers, as nginx does)
  protected ranges: Float64Array; // random module: ranges[k] = sum of weights before position k

  constructor() {
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

  /** peer is usable apart from the tried bitmap: not down, not failed out, under max_conns */
  protected usable(i: number, nowSec: number): boolean {
    if (this.downF[i] !== 0) return false;
    const mf = this.maxFails[i];
    if (mf !== 0 && this.fails[i] >= mf && nowSec - this.checked[i] <= this.failTimeout[i]) return false;
    const mc = this.maxConns[i];
    if (mc !== 0 && this.conns[i] >= mc) return false;
    return true;
  }

  /** on selection: `if (now - best->checked > best->fail_timeout) best->checked = now;` */
  protected touch(i: number, nowSec: number): void {
    if (nowSec - this.checked[i] > this.failTimeout[i]) this.checked[i] = nowSec;
  }

  protected check(peer: number): void {
    if (!(peer >= 0 && peer < this.count)) throw new Error(`no peer ${peer}`);
  }

  protected rebuild(): void {
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

  protected grow(): void {
    const c = this.cap * 2;
    this.conns = grown(this.conns, c);
    this.w = grown(this.w, c);
    this.ew = grown(this.ew, c);
    this.cw = grown(this.cw, c);
    this.maxFails = grown(this.maxFails, c);
    this.fails = grown(this.fails, c);
    this.failTimeout = grown(this.failTimeout, c);
    this.accessed = grown(this.accessed, c);
    this.checked = grown(this.checked, c);
    this.maxConns = grown(this.maxConns, c);
    this.downF = grown(this.downF, c);
    this.removedF = grown(this.removedF, c);
    this.mark = grown(this.mark, c);
    this.order = new Int32Array(c);
    this.ranges = new Float64Array(c + 1);
    this.cap = c;
  }
}
