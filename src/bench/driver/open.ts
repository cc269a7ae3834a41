// The open model: requests arrive on the scenario's schedule whatever the stack does — a
// non-homogeneous Poisson process over the curve (the simulator's own ArrivalProcess, same RNG
// stream), so a slow answer never delays the next arrival. A due request takes an idle connection,
// or opens one (up to maxConnections per port: many users each on their own connection); when
// none can be had it waits, and its latency still counts from when it was due.
// Timers: Node's fire at whole milliseconds, so each tick sends every request due by then and
// sleeps until the next one is due; the lag this adds is measured (DriverStats.lag), not hidden.
import { stream } from '../../sim/rng.ts';
import { ArrivalProcess, type RateFunction } from '../../traffic/index.ts';
import { Driver, type DriverConfig, type PortPool } from './driver.ts';
import type { Connection } from './engine.ts';

export class OpenDriver extends Driver {
  private readonly arrivals: ArrivalProcess;
  private nextAt: number;
  private timer: NodeJS.Timeout | null = null;
  private readonly connPool = new Map<Connection, PortPool>();

  constructor(cfg: DriverConfig, private readonly rate: RateFunction) {
    super(cfg);
    this.arrivals = new ArrivalProcess(rate, stream(cfg.seed, 'arrivals'), cfg.duration);
    this.arrivals.advance();
    this.nextAt = this.arrivals.time;
  }

  /** Enough idle connections for the peak rate at 50 ms per request (Little's law), more opened on demand. */
  protected warmConnections(): Promise<void> {
    const peak = this.rate.maxOn(0, this.cfg.duration);
    return this.openIdle(Math.min(this.cfg.maxConnections, Math.max(16, Math.ceil(peak * 0.05))));
  }

  protected begin(): void {
    this.tick();
  }

  protected halt(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.nextAt = Infinity;
  }

  private readonly tick = (): void => {
    this.timer = null;
    if (this.ending) return;
    const now = this.now();
    while (this.nextAt <= now) {
      this.arrive(this.nextAt);
      this.arrivals.advance();
      this.nextAt = this.arrivals.time;
    }
    if (this.nextAt < Infinity) this.timer = setTimeout(this.tick, Math.max(0, Math.floor((this.nextAt - this.now()) * 1000)));
  };

  private arrive(t: number): void {
    const cls = this.mix.pick(), client = this.drawClient();
    this.stats.arrive(t, cls);
    const k = this.pickPort(cls), pool = this.classPools[cls][k];
    let conn = pool.idle.pop();
    if (!conn && pool.all.length < this.cfg.maxConnections) {
      conn = this.openConnection(pool);
      this.connPool.set(conn, pool);
    }
    if (conn) this.send(conn, cls, k, client, t);
    else pool.push(t, cls, client);
  }

  protected free(conn: Connection): void {
    const pool = this.connPool.get(conn);
    if (!pool) return;
    const i = pool.shift();
    if (i < 0) { pool.idle.push(conn); return; }
    const [t, cls, client] = pool.at(i);
    // The waiting request was for this port; its class's port index is where this pool sits for it.
    this.send(conn, cls, this.classPools[cls].indexOf(pool), client, t);
  }
}
