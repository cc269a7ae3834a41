// A calling pool's connection pools: per instance, per database it calls, per endpoint (the
// primary; the replicas' reader endpoint), as an application holds one HikariCP pool per
// datasource (Rails: one pool per role). A pool of `size` opens its sessions when first needed and
// keeps them (HikariCP's default fixed-size pool, minimumIdle = maximumPoolSize); the database
// refuses sessions beyond its max_connections as Postgres does ("FATAL: sorry, too many clients
// already"), and a pool left short retries when sessions free up. A request that finds every
// connection in use waits in FIFO order, at most `acquireTimeout` (HikariCP's connectionTimeout).
//
// Left out: idle eviction and maxLifetime (connections live as long as their instance), the
// validation query, per-connection pinning to one replica (reads balance per query), and
// Postgres's superuser_reserved_connections.
import type { ConnectionPoolConfig } from '../scenario/types.ts';
import { TimeWeighted } from '../stats/time-weighted.ts';
import { SlotRing } from './slot-ring.ts';
import { grown } from '../sim/grown.ts';

export const PRIMARY = 0;
export const REPLICAS = 1;

/** What a database offers its callers' connection pools (./database.ts). */
export interface SessionHost {
  readonly name: string;
  /** Opens up to `want` sessions on a side; returns how many it accepted. `first`: the pool's first fill (refusals count). */
  openSessions(side: number, want: number, first: boolean): number;
  closeSessions(side: number, n: number): void;
  /** `refill` is called whenever sessions may be had again (some closed, a replica joined). */
  onSessionsFreed(refill: () => void): void;
  /** `reset` is called when every session to a side is dropped (a failover). */
  onSessionsReset(reset: (side: number) => void): void;
}

export interface PoolRef {
  host: SessionHost;
  cfg: ConnectionPoolConfig;
}

/** Per database called: what its connection pools went through, summed over the caller's instances. */
export class RefStats {
  waitSum = 0; // s waited for a connection (after warmup)
  waitCount = 0; // connections taken (after warmup)
  waitedCount = 0; // … of which after a wait
  acquireTimeouts = 0;
  refused = 0; // sessions the database refused when a pool filled
  readonly inUse = new TimeWeighted(0);
  readonly open = new TimeWeighted(0);
  /** Attempts waiting for a connection (the connection pool's queue: the bottleneck reads it per interval). */
  readonly waiting = new TimeWeighted(0);
}

export class ConnectionPools {
  readonly stats: RefStats[];
  private opened = new Int32Array(16);
  private inUse = new Int32Array(16);
  private filled = new Uint8Array(16);
  private rings: Array<SlotRing | undefined> = [];

  constructor(readonly refs: PoolRef[], private readonly alive: (inst: number) => boolean, private readonly clock: { readonly now: number }) {
    this.stats = refs.map(() => new RefStats());
  }

  index(inst: number, ref: number, side: number): number {
    const cp = (inst * this.refs.length + ref) * 2 + side;
    if (cp >= this.opened.length) this.grow(cp + 1);
    return cp;
  }

  /** Takes an idle connection of pool cp, opening its sessions on first use; false: none idle. */
  take(cp: number): boolean {
    if (this.filled[cp] === 0) {
      this.filled[cp] = 1;
      this.fill(cp, true);
    }
    if (this.inUse[cp] >= this.opened[cp]) return false;
    this.inUse[cp]++;
    this.stats[this.refOf(cp)].inUse.add(this.clock.now, 1);
    return true;
  }

  /** Gives a connection back; true when it stays open and idle (a waiter may have it). */
  put(cp: number): boolean {
    this.inUse[cp]--;
    this.stats[this.refOf(cp)].inUse.add(this.clock.now, -1);
    return this.inUse[cp] < this.opened[cp];
  }

  /** Hands the idle connection of cp straight to a waiter (counted in use again). */
  handOver(cp: number): void {
    this.inUse[cp]++;
    this.stats[this.refOf(cp)].inUse.add(this.clock.now, 1);
  }

  idle(cp: number): boolean {
    return this.inUse[cp] < this.opened[cp];
  }

  /** Requests waiting on cp: (attempt, its wait deadline) in arrival order. */
  waiters(cp: number): SlotRing {
    return (this.rings[cp] ??= new SlotRing());
  }

  /**
   * The instance's process is gone: its sessions close (connections still out close as they come
   * back); a process started again in its place opens its pools afresh on first use.
   */
  close(inst: number): void {
    for (let ref = 0; ref < this.refs.length; ref++) {
      for (let side = 0; side < 2; side++) {
        const cp = this.index(inst, ref, side), n = this.opened[cp];
        this.filled[cp] = 0;
        if (n === 0) continue;
        this.opened[cp] = 0;
        this.stats[ref].open.add(this.clock.now, -n);
        this.refs[ref].host.closeSessions(side, n);
      }
    }
  }

  /**
   * Every instance's pool to `ref` on `side` loses its sessions (a failover): connections still out
   * close as they come back, and the pools open again when sessions may be had (refill).
   */
  reset(ref: number, side: number): void {
    const step = 2 * this.refs.length;
    let closed = 0;
    for (let cp = ref * 2 + side; cp < this.opened.length; cp += step) {
      closed += this.opened[cp];
      this.opened[cp] = 0;
    }
    if (closed === 0) return;
    this.stats[ref].open.add(this.clock.now, -closed);
    this.refs[ref].host.closeSessions(side, closed);
  }

  /** Pools left short by a refusal try again; returns the pools that gained connections. */
  refill(into: number[]): void {
    const n = this.refs.length;
    for (let cp = 0; cp < this.opened.length; cp++) {
      if (this.filled[cp] === 0 || !this.alive(Math.floor(cp / 2 / n))) continue;
      if (this.opened[cp] < this.refs[this.refOf(cp)].cfg.size && this.fill(cp, false) > 0) into.push(cp);
    }
  }

  refOf(cp: number): number {
    return (cp >> 1) % this.refs.length;
  }

  /** Opens sessions up to the pool's size; `first`: the database's refusals are counted. */
  private fill(cp: number, first: boolean): number {
    const ref = this.refOf(cp), want = this.refs[ref].cfg.size - this.opened[cp];
    const got = this.refs[ref].host.openSessions(cp & 1, want, first);
    if (first) this.stats[ref].refused += want - got;
    this.opened[cp] += got;
    if (got > 0) this.stats[ref].open.add(this.clock.now, got);
    return got;
  }

  private grow(min: number): void {
    let cap = this.opened.length;
    while (cap < min) cap *= 2;
    this.opened = grown(this.opened, cap);
    this.inUse = grown(this.inUse, cap);
    this.filled = grown(this.filled, cap);
  }
}
