// The closed model (traffic.closed): `users` each send a request, wait for its answer, think for a
// draw of the think time, and send again — the simulator's closed population. Each user has its
// own connection per target port. With zero think time this is wrk's loop (N connections, each
// sending as soon as its answer is in), which bench:generator uses to find the maximum rate.
// There is no schedule to fall behind here: a request is due when its user sends it.
import { sampler, type Dist } from '../../sim/distribution.ts';
import { stream } from '../../sim/rng.ts';
import { Driver, type DriverConfig } from './driver.ts';
import type { Connection } from './engine.ts';

export class ClosedDriver extends Driver {
  private readonly think: () => number;
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Per user: its connection to each port pool (by pool index); per connection, its user. */
  private readonly userConns: Array<Array<Connection | undefined>>;
  private readonly userOf = new Map<Connection, number>();

  constructor(cfg: DriverConfig, private readonly users: number, thinkTime: Dist) {
    super(cfg);
    this.think = sampler(thinkTime, stream(cfg.seed, 'think'));
    this.userConns = Array.from({ length: users }, () => []);
  }

  /** Every user's connection to the first class's port, before the clock starts. */
  protected async warmConnections(): Promise<void> {
    const pool = this.classPools[0][0];
    const waits: Array<Promise<void>> = [];
    for (let u = 0; u < this.users; u++) {
      const conn = this.openConnection(pool);
      this.userConns[u][pool.index] = conn;
      this.userOf.set(conn, u);
      waits.push(conn.connected);
    }
    await Promise.all(waits);
  }

  protected begin(): void {
    for (let u = 0; u < this.users; u++) this.later(u, this.think());
  }

  protected halt(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private later(user: number, s: number): void {
    if (this.ending) return;
    if (s <= 0) { this.request(user); return; }
    const t = setTimeout(() => { this.timers.delete(t); this.request(user); }, s * 1000);
    this.timers.add(t);
  }

  private request(user: number): void {
    if (this.ending) return;
    const now = this.now(), cls = this.mix.pick(), client = user % Math.max(1, this.cfg.clients);
    this.stats.arrive(now, cls);
    const k = this.pickPort(cls), pool = this.classPools[cls][k];
    let conn = this.userConns[user][pool.index];
    if (!conn) {
      conn = this.openConnection(pool);
      this.userConns[user][pool.index] = conn;
      this.userOf.set(conn, user);
    }
    this.send(conn, cls, k, client, now);
  }

  protected free(conn: Connection): void {
    const user = this.userOf.get(conn);
    // Free after an answer (or a lost request): the user thinks, then sends again.
    if (user !== undefined) this.later(user, this.think());
  }
}
