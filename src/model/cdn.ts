// A CDN edge in front of an origin: each request is answered at the edge with its class's
// probability (the edge hit ratio the team reads from its CDN's reports), after `edgeTime`, and
// billed per request; the rest go on to the origin component at once. A Bernoulli split per
// request keeps a Poisson stream Poisson at the origin (thinning), which is what the test checks.
//
// Left out: the edge's own capacity (CDNs are provisioned far beyond one origin's load), the extra
// hop a pass-through adds, bandwidth pricing (per GB), and cache dynamics at the edge (use a
// `cache` component for an emergent hit ratio).
import type { CdnConfig } from '../scenario/types.ts';
import type { SeriesRow } from '../stats/results.ts';
import type { CdnSummary } from '../stats/data-tier.ts';
import { sampler } from '../sim/distribution.ts';
import type { Rng } from '../sim/rng.ts';
import { LatencyHistogram } from '../stats/latency.ts';
import { ReqState } from './requests.ts';
import { Counters, errorCounts } from './counters.ts';
import { REQUEST, type Billing, type Component, type RunContext } from './component.ts';
import { intervalRow } from './series.ts';

const ANSWERED = 0; // request event: s's edge time is over

export class CdnRuntime implements Component {
  readonly readsClient = false;
  readonly scaling = null;
  readonly counters = new Counters();
  private origin = -1;
  private readonly edgeTime: () => number;
  private readonly rng: Rng;
  private readonly edge: Float64Array; // per class
  private readonly latency = new LatencyHistogram(3, 2);
  private atEdge = 0;
  private toOrigin = 0;

  constructor(readonly cfg: CdnConfig, readonly index: number, private readonly run: RunContext) {
    this.edgeTime = sampler(cfg.edgeTime, run.stream(`cdn-time:${cfg.name}`));
    this.rng = run.stream(`cdn:${cfg.name}`);
    this.edge = Float64Array.from(cfg.edgeByClass);
  }

  link(): void {
    this.origin = this.run.component(this.cfg.origin).index;
  }

  start(): void {}

  admit(s: number): void {
    const req = this.run.req;
    this.counters.arrivals++;
    if (this.rng() < this.edge[req.cls[s]]) {
      this.atEdge++;
      req.entered[s] = this.run.now;
      req.state[s] = ReqState.Delayed;
      this.run.heap.push(this.run.now + this.edgeTime(), REQUEST + ANSWERED, s);
    } else {
      this.toOrigin++;
      this.run.route(s, this.origin);
    }
  }

  onRequest(_code: number, s: number): void {
    const req = this.run.req, entered = req.entered[s];
    if (entered >= this.run.warmup) this.latency.record(this.run.now - entered);
    this.counters.completions++;
    this.run.complete(s);
  }

  onReturn(): boolean {
    return false;
  }

  onTimer(): void {}

  sample(now: number, dt: number): SeriesRow {
    const row = intervalRow(now, this.cfg.name, dt, this.counters, this.latency, 0, 0);
    row.cost = this.atEdge * this.cfg.pricePerRequest;
    return row;
  }

  /** Billed per request, not per instance: its cost joins the run's with no instance-hours. */
  billing(): Billing {
    return { instanceHours: 0, cost: this.atEdge * this.cfg.pricePerRequest, peak: 0 };
  }

  summary(): CdnSummary {
    const n = this.atEdge + this.toOrigin;
    return {
      kind: 'cdn',
      arrivals: this.counters.arrivals,
      atEdge: this.atEdge,
      toOrigin: this.toOrigin,
      edgeFraction: n > 0 ? this.atEdge / n : 0,
      errors: errorCounts(this.counters),
      cost: this.atEdge * this.cfg.pricePerRequest,
    };
  }
}
