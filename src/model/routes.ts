// Where a pool sends a request it answered (its `next:` routes): each route with its probability,
// the rest leave the system — the routing matrix of a Jackson network. One route with p = 1 (the
// tandem stage `next: api`) draws nothing, so scenarios written before routes had probabilities
// keep their random streams.
import type { Route } from '../scenario/types.ts';
import type { Rng } from '../sim/rng.ts';
import type { RunContext } from './component.ts';

export class Routes {
  private readonly to: Int32Array; // component index per route
  private readonly upTo: Float64Array; // cumulative probability
  /** The one destination when there is a single route with p = 1, else −1. */
  only = -1;
  private rng: Rng | null = null;

  constructor(private readonly routes: Route[], private readonly run: RunContext, private readonly owner: string) {
    this.to = new Int32Array(routes.length).fill(-1);
    let sum = 0;
    this.upTo = Float64Array.from(routes, (r) => (sum += r.p));
  }

  /** Resolves names (every component exists by now). */
  link(): Routes {
    this.routes.forEach((r, i) => (this.to[i] = this.run.component(r.to).index));
    const single = this.routes.length === 1 && this.routes[0].p >= 1;
    this.only = single ? this.to[0] : -1;
    if (!single && this.routes.length > 0) this.rng = this.run.stream(`route:${this.owner}`);
    return this;
  }

  get none(): boolean {
    return this.routes.length === 0;
  }

  /** The component the request goes to next, or −1: it leaves the system. */
  pick(): number {
    if (this.only >= 0) return this.only;
    if (this.rng === null) return -1;
    const u = this.rng();
    for (let i = 0; i < this.upTo.length; i++) if (u < this.upTo[i]) return this.to[i];
    return -1;
  }
}
