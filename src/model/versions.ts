// The versions a pool runs: what each one's service time and faulty answers are, whether the
// balancer sends it traffic (a blue-green fleet waits unrouted until the switch), and, once a
// release has happened, each version's own figures: counters and latency at the pool (the
// series rows `<pool>@<version>`) and a window a canary's abort rule reads.
import { sampler, type Dist } from '../sim/distribution.ts';
import type { Rng } from '../sim/rng.ts';
import type { PoolSize } from '../scenario/types.ts';
import { LatencyHistogram } from '../stats/latency.ts';
import { TimeWeighted } from '../stats/time-weighted.ts';
import { Counters, CAUSE_KILLED, CAUSE_REFUSED, CAUSE_SERVER_ERROR, CAUSE_TIMEOUT } from './counters.ts';

export const MAX_VERSIONS = 255;

/** One version's figures at the pool. */
export class VersionStats {
  readonly counters = new Counters();
  /** At the pool: the run's at 3 digits, the sample interval's at 2. */
  readonly latency = new LatencyHistogram(3, 2);
  // the abort rule's window: answers and failures since the window began, and their latency
  windowServed = 0;
  windowFailed = 0;
  readonly window = new LatencyHistogram(3, 2);
  /** Its instances billed (provisioning to gone), kept when the pool was resized: each version's cost is at its own price. */
  readonly existing = new TimeWeighted(0);

  served(took: number, counted: boolean): void {
    this.counters.completions++;
    this.windowServed++;
    this.window.record(took);
    if (counted) this.latency.record(took);
  }

  failed(cause: number): void {
    this.counters.error(cause);
    // what a canary's error rate counts: answers the version got wrong (not limits ahead of it)
    if (cause === CAUSE_TIMEOUT || cause === CAUSE_KILLED || cause === CAUSE_REFUSED || cause === CAUSE_SERVER_ERROR) this.windowFailed++;
  }

  resetWindow(): void {
    this.windowServed = 0;
    this.windowFailed = 0;
    this.window.reset();
  }
}

export class Versions {
  readonly names: string[] = [];
  readonly services: Array<() => number> = [];
  /** Fraction of this version's answers that are 5xx. */
  readonly errorRate: number[] = [];
  /** Its processes crash on every start (a release that cannot start: a bad config, a missing secret). */
  readonly crashOnStart: boolean[] = [];
  /** Its ready instances are peers of the pool's balancers. */
  readonly routed: boolean[] = [];
  /** The size its instances run at (./resize.ts): workers, CPU, memory, price. */
  readonly sizes: PoolSize[] = [];
  /** Some version runs at another size than the first: instances are billed and counted per version. */
  resized = false;
  /** Per version, from the first release on (null before: a pool that never changes version keeps no second set of figures). */
  stats: VersionStats[] | null = null;
  /** The version new instances launch with (the template). */
  current = 0;

  constructor(private readonly stream: (name: string) => Rng, private readonly pool: string) {}

  /** Adds a version at `size`; `resized`: a size other than the pool's own (the scenario attaches only those). */
  add(name: string, service: Dist, errorRate: number, size: PoolSize, resized = false, crashOnStart = false): number {
    if (this.names.length >= MAX_VERSIONS) throw new RangeError(`pool ${this.pool}: more than ${MAX_VERSIONS} versions`);
    const v = this.names.length;
    this.names.push(name);
    // The first version draws from the pool's own service stream, so a pool without releases draws as before.
    this.services.push(sampler(service, this.stream(v === 0 ? `service:${this.pool}` : `service:${this.pool}@${name}`)));
    this.errorRate.push(errorRate);
    this.crashOnStart.push(crashOnStart);
    this.routed.push(true);
    this.sizes.push(size);
    if (resized) this.resized = true;
    if (v > 0 && this.stats === null) this.stats = [new VersionStats()];
    this.stats?.push(new VersionStats());
    return v;
  }

  /** Instance-hours and cost of version v up to `end` (only when resized: else the pool's own figures hold). */
  billing(v: number, end: number): { instanceHours: number; cost: number } {
    const instanceHours = this.stats![v].existing.integral(end) / 3600;
    return { instanceHours, cost: instanceHours * this.sizes[v].pricePerHour };
  }

  /** A version by name, or −1. */
  indexOf(name: string): number {
    return this.names.indexOf(name);
  }
}
