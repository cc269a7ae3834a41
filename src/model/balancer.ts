// An nginx load balancer: limit_req at the door, its own time per request (`overhead`, nginx's
// request_time − upstream time: a pure delay, no capacity limit), then the upstream loop — pick a
// peer (./upstream.ts; peers are the upstream pool's ready instances), connect, and on a refused
// connection (`error`) or a deadline (`timeout`) try the next peer as proxy_next_upstream allows.
// nginx holds the peer until the answer, so the balancer marks itself as the request's `via` and
// frees the peer when the visit ends (onReturn).
import type { LoadBalancerConfig, NextUpstreamCondition } from '../scenario/types.ts';
import type { BalancerSummary, SeriesRow, UpstreamCauses } from '../stats/results.ts';
import { sampler } from '../sim/distribution.ts';
import { LimitReq } from './limit-req.ts';
import { Upstream } from './upstream.ts';
import { ReqState, MAX_TRIED } from './requests.ts';
import { Counters, CAUSE_KILLED, CAUSE_NO_UPSTREAM, CAUSE_RATE_LIMITED, CAUSE_TIMEOUT, OK, answered, errorCounts } from './counters.ts';
import { REQUEST, isAddressable, type Addressable, type Component, type RunContext } from './component.ts';
import { intervalRow } from './series.ts';
import { grown } from '../sim/grown.ts';

export const COND_ERROR = 1;
export const COND_TIMEOUT = 2;
export const COND_502 = 4;
export const COND_503 = 8;
export const COND_504 = 16;
export const COND_500 = 32;
const COND_BITS: Record<NextUpstreamCondition, number> = {
  error: COND_ERROR, timeout: COND_TIMEOUT, http_500: COND_500, http_502: COND_502, http_503: COND_503, http_504: COND_504,
};
/** proxy_next_upstream's condition for a 5xx status (0: one it has no condition for). */
function statusCond(status: number): number {
  return status === 500 ? COND_500 : status === 502 ? COND_502 : status === 503 ? COND_503 : status === 504 ? COND_504 : 0;
}

// Its request events (s is held here, off any worker, state Delayed):
const PASS = 0; // s's wait at the door (limit_req delay, overhead) is over
const CONNECT_TIMEOUT = 1; // s's connect to a lost host got no answer within proxy_connect_timeout

/** nginx's defaults for max_fails and fail_timeout (ngx_http_upstream_server: 1 and 10 s). */
const NGINX_MAX_FAILS = 1, NGINX_FAIL_TIMEOUT = 10;

export class BalancerRuntime implements Component {
  readonly counters = new Counters();
  readonly upstream: Upstream;
  readonly limit: LimitReq | null;
  readonly retryOn: number;
  readonly readsClient: boolean;
  readonly scaling = null;
  retries = 0;
  forwarded = 0;
  connectTimeouts = 0; // connects to lost hosts that timed out (proxy_connect_timeout)
  private markedBefore = 0; // markedDown when the current sample interval began
  peerInstance = new Int32Array(16); // peer → instance of the upstream
  instancePeer = new Int32Array(16).fill(-1); // instance → peer
  perPeer = new Float64Array(16); // requests sent to each peer
  private target!: Component & Addressable;
  private readonly overhead: (() => number) | null;
  private readonly tried = new Int32Array(MAX_TRIED); // scratch: the request's tried peers, for pick()

  constructor(readonly cfg: LoadBalancerConfig, readonly index: number, private readonly run: RunContext) {
    this.upstream = new Upstream(cfg.balancing, run.stream(`balance:${cfg.name}`));
    this.limit = cfg.limitReq
      ? new LimitReq({
          rate: cfg.limitReq.rate,
          burst: cfg.limitReq.burst,
          nodelay: cfg.limitReq.nodelay,
          delay: cfg.limitReq.delay,
          keys: cfg.limitReq.key === 'client' ? run.clientAddress.length : 1,
        })
      : null;
    this.retryOn = cfg.nextUpstream.on.reduce((m, c) => m | COND_BITS[c], 0);
    this.readsClient = cfg.balancing === 'ip_hash' || cfg.limitReq?.key === 'client';
    const o = cfg.overhead; // constant 0 (the default) is no overhead: no draw, no delay
    this.overhead = o.kind === 'constant' && o.value === 0 ? null : sampler(o, run.stream(`overhead:${cfg.name}`));
  }

  /**
   * Times max_fails within fail_timeout took a peer out (nginx's "upstream server temporarily
   * disabled", Upstream.free), over the run so far; iMarkedDown: in the current sample interval.
   */
  get markedDown(): number {
    return this.upstream.markedDown;
  }

  get iMarkedDown(): number {
    return this.upstream.markedDown - this.markedBefore;
  }

  link(): void {
    const t = this.run.component(this.cfg.upstream);
    if (!isAddressable(t)) throw new Error(`${this.cfg.name}: upstream ${this.cfg.upstream} is a ${t.cfg.kind}, not something with instances to balance over`);
    this.target = t;
    t.listen(this);
  }

  start(): void {}

  /** An instance became ready: it joins the upstream with its configured weight. */
  addInstance(inst: number): void {
    const weight = this.cfg.weights[inst] ?? 1; // instances are numbered in creation order
    const peer = this.upstream.addPeer(weight, this.cfg.maxFails, this.cfg.failTimeout);
    if (peer >= this.peerInstance.length) {
      this.peerInstance = grown(this.peerInstance, this.peerInstance.length * 2);
      this.perPeer = grown(this.perPeer, this.perPeer.length * 2);
    }
    while (inst >= this.instancePeer.length) {
      this.instancePeer = grown(this.instancePeer, this.instancePeer.length * 2, -1);
    }
    this.peerInstance[peer] = inst;
    this.instancePeer[inst] = peer;
  }

  /** An instance is draining or gone: no new requests. */
  removeInstance(inst: number): void {
    const peer = this.instancePeer[inst];
    if (peer >= 0) {
      this.upstream.removePeer(peer);
      this.instancePeer[inst] = -1;
    }
  }

  admit(s: number): void {
    const req = this.run.req, now = this.run.now;
    this.counters.arrivals++;
    req.firstTry[s] = now;
    req.triedCount[s] = 0;
    let delay = 0;
    if (this.limit) {
      delay = this.limit.admit(this.cfg.limitReq!.key === 'client' ? req.client[s] : 0, now);
      if (delay < 0) {
        this.counters.error(CAUSE_RATE_LIMITED);
        this.run.fail(s, CAUSE_RATE_LIMITED);
        return;
      }
    }
    if (this.overhead) delay += this.overhead();
    if (delay > 0) {
      req.state[s] = ReqState.Delayed;
      this.run.heap.push(now + delay, REQUEST + PASS, s);
    } else this.forward(s);
  }

  onRequest(code: number, s: number): void {
    if (this.run.req.state[s] !== ReqState.Delayed) return;
    if (code === PASS) this.forward(s);
    else this.connectTimedOut(s);
  }

  onTimer(): void {}

  /** nginx's upstream loop: pick a peer, connect; on a refused connection try the next one. */
  private forward(s: number): void {
    const req = this.run.req, tried = this.tried, base = s * MAX_TRIED, up = this.upstream, now = this.run.now;
    for (;;) {
      const n = req.triedCount[s];
      for (let i = 0; i < n; i++) tried[i] = req.tried[base + i];
      const peer = up.pick(now, this.run.clientAddress[req.client[s]], tried, n);
      if (peer < 0) {
        this.counters.error(CAUSE_NO_UPSTREAM);
        this.run.fail(s, CAUSE_NO_UPSTREAM);
        return;
      }
      if (n < MAX_TRIED) req.tried[base + n] = peer;
      req.triedCount[s] = n + 1;
      this.forwarded++;
      this.perPeer[peer]++;
      const inst = this.peerInstance[peer];
      if (this.target.unreachable(inst)) {
        // nginx still lists the peer (a static upstream knows nothing of zones) and its connect
        // hangs: the peer is charged with the failure only when the connect times out, so until
        // then max_fails cannot take it out and every pick of it hangs the same way.
        req.handle[s] = peer;
        req.comp[s] = this.index;
        req.state[s] = ReqState.Delayed;
        this.run.heap.push(now + this.cfg.connectTimeout, REQUEST + CONNECT_TIMEOUT, s);
        return;
      }
      if (this.target.offer(s, inst, this.index, peer)) return;
      up.free(peer, now, true); // connection refused: an `error` for max_fails
      if (!this.mayRetry(COND_ERROR, n + 1, now - req.firstTry[s])) {
        const cause = this.target.refusal; // a full backlog, or a process that is down
        this.counters.error(cause);
        this.run.fail(s, cause);
        return;
      }
      this.retries++;
    }
  }

  /**
   * CONNECT_TIMEOUT: nginx takes the same path as for a read timeout (ngx_http_upstream_next with
   * NGX_HTTP_UPSTREAM_FT_TIMEOUT) — the peer freed as failed, the next peer if proxy_next_upstream
   * allows, else 504 (a `timeout`) — so it is onReturn's, and the request fails here when it ends.
   */
  private connectTimedOut(s: number): void {
    this.connectTimeouts++;
    if (!this.onReturn(s, CAUSE_TIMEOUT)) this.run.fail(s, CAUSE_TIMEOUT);
  }

  /**
   * The visit at the peer ended: nginx's peer.free; proxy_next_upstream may try the next peer after
   * a deadline (`timeout`), an instance that died with the request (`error`: "upstream prematurely
   * closed connection"), or a 5xx whose status it lists (ngx_http_upstream_test_next). A 5xx it does
   * not list is an answer like any other: passed to the client, the peer not counted as failed.
   */
  onReturn(s: number, cause: number): boolean {
    const req = this.run.req, now = this.run.now;
    let cond: number;
    const fromApp = answered(cause); // a 5xx the pool answered with (a fault, its calls' failure)
    if (cause === CAUSE_TIMEOUT) cond = COND_TIMEOUT;
    else if (cause === CAUSE_KILLED) cond = COND_ERROR;
    else if (fromApp) {
      cond = statusCond(this.target.status);
      if ((this.retryOn & cond) === 0) cond = 0;
    } else cond = 0;
    this.upstream.free(req.handle[s], now, cause !== OK && (!fromApp || cond !== 0));
    if (cond === 0) return false; // answered (a 5xx included), or killed at the end of a drain: no retry
    if (this.mayRetry(cond, req.triedCount[s], now - req.firstTry[s])) {
      this.retries++;
      req.comp[s] = this.index;
      this.forward(s);
      return true;
    }
    this.counters.error(cause);
    return false;
  }

  /** proxy_next_upstream: may another peer be tried after `cond` on attempt number `attempts`? */
  mayRetry(cond: number, attempts: number, elapsed: number): boolean {
    if ((this.retryOn & cond) === 0) return false;
    const nu = this.cfg.nextUpstream;
    // ngx_http_upstream_next: tries are capped by the number of peers and by proxy_next_upstream_tries.
    const peers = this.upstream.live();
    const tries = nu.tries > 0 ? Math.min(nu.tries, Math.max(peers, 1)) : Math.max(peers, 1);
    if (attempts >= tries) return false;
    return nu.timeout <= 0 || elapsed < nu.timeout;
  }

  // ---- reports ----

  sample(now: number, dt: number): SeriesRow {
    const row = intervalRow(now, this.cfg.name, dt, this.counters, null, 0, 0);
    row.marked_down = this.iMarkedDown;
    this.markedBefore = this.upstream.markedDown; // the next interval starts
    return row;
  }

  billing(): null {
    return null;
  }

  summary(): BalancerSummary {
    const perPeer: Record<string, number> = {};
    const sent: Array<[number, number]> = [];
    for (let peer = 0; peer < this.upstream.size; peer++) sent.push([peer, this.perPeer[peer]]);
    sent.sort((x, y) => y[1] - x[1] || x[0] - y[0]);
    for (const [peer, n] of sent.slice(0, 50)) perPeer[`${this.target.cfg.name}-${this.peerInstance[peer]}`] = n;
    return {
      kind: 'loadBalancer',
      arrivals: this.counters.arrivals,
      forwarded: this.forwarded,
      retries: this.retries,
      errors: errorCounts(this.counters),
      perPeer,
      causes: this.causes(),
    };
  }

  /** nginx's passive health check as a chain: failed attempts at the upstream → peers marked down → 502s. */
  private causes(): UpstreamCauses {
    const failed = errorCounts(this.target.counters), cfg = this.cfg;
    return {
      pool: this.target.cfg.name,
      maxFails: cfg.maxFails,
      failTimeout: cfg.failTimeout,
      nginxDefaults: cfg.maxFails === NGINX_MAX_FAILS && cfg.failTimeout === NGINX_FAIL_TIMEOUT,
      refused: failed.backlogFull,
      timedOut: failed.timeout,
      drainKilled: failed.noUpstream,
      markedDown: this.upstream.markedDown,
      noLiveUpstreams: this.counters.errors[CAUSE_NO_UPSTREAM],
      ...(this.connectTimeouts > 0 ? { connectTimedOut: this.connectTimeouts, connectTimeout: cfg.connectTimeout } : {}),
      failed: Object.fromEntries(Object.entries(failed).filter(([, n]) => n > 0)),
    };
  }
}
