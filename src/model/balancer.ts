// A load balancer at run time: nginx's upstream (peers = the pool's ready instances) and limit_req,
// with the maps between peer indices and instances, and its counters.
import type { LoadBalancerConfig, NextUpstreamCondition } from '../scenario/types.ts';
import type { Rng } from '../sim/rng.ts';
import { LimitReq } from './limit-req.ts';
import { Upstream } from './upstream.ts';
import { Counters, type PoolRuntime } from './pool.ts';

export const COND_ERROR = 1;
export const COND_TIMEOUT = 2;
export const COND_502 = 4;
export const COND_503 = 8;
export const COND_504 = 16;
const COND_BITS: Record<NextUpstreamCondition, number> = {
  error: COND_ERROR, timeout: COND_TIMEOUT, http_502: COND_502, http_503: COND_503, http_504: COND_504,
};

export class BalancerRuntime {
  readonly counters = new Counters();
  readonly upstream: Upstream;
  readonly limit: LimitReq | null;
  readonly retryOn: number;
  retries = 0;
  forwarded = 0;
  peerInstance = new Int32Array(16); // peer → instance of `pool`
  instancePeer = new Int32Array(16).fill(-1); // instance → peer
  perPeer = new Float64Array(16); // requests sent to each peer

  /** component: index among the scenario's components; index: among balancers. */
  constructor(readonly cfg: LoadBalancerConfig, readonly component: number, readonly index: number, readonly pool: PoolRuntime, random: Rng, clients: number) {
    this.upstream = new Upstream(cfg.balancing, random);
    this.limit = cfg.limitReq
      ? new LimitReq({
          rate: cfg.limitReq.rate,
          burst: cfg.limitReq.burst,
          nodelay: cfg.limitReq.nodelay,
          delay: cfg.limitReq.delay,
          keys: cfg.limitReq.key === 'client' ? clients : 1,
        })
      : null;
    this.retryOn = cfg.nextUpstream.on.reduce((m, c) => m | COND_BITS[c], 0);
  }

  /** An instance became ready: it joins the upstream with its configured weight. */
  addInstance(inst: number): void {
    const weight = this.cfg.weights[inst] ?? 1; // instances are numbered in creation order
    const peer = this.upstream.addPeer(weight, this.cfg.maxFails, this.cfg.failTimeout);
    if (peer >= this.peerInstance.length) {
      const a = new Int32Array(this.peerInstance.length * 2); a.set(this.peerInstance); this.peerInstance = a;
      const b = new Float64Array(this.perPeer.length * 2); b.set(this.perPeer); this.perPeer = b;
    }
    while (inst >= this.instancePeer.length) {
      const a = new Int32Array(this.instancePeer.length * 2).fill(-1); a.set(this.instancePeer); this.instancePeer = a;
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
}
