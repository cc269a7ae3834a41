// A database's primary failovers (a `failover:` fault), as a managed Postgres (RDS, Patroni) does
// them: at `at` the primary is lost — the queries it runs fail with it (`killed`), it takes no
// sessions, and every caller's connections to it close, so writes (and reads sent to the primary)
// find no connection and fail with their caller's acquire timeout (`connectionTimeout`) or wait.
// After `detection` (the loss noticed: Patroni's leader key expiring) and `promotion` (a replica
// promoted and the writer endpoint pointed at it), the primary serves again on the promoted
// replica's server, which takes sessions once ready: the replicas are one fewer, and the callers' connections to the database
// are reset (the reader endpoint lost a server) and open again on demand.
//
// Left out: writes lost with the old primary's unreplicated WAL, the promoted replica's own
// replication lag at promotion, and a client's DNS cache outliving the flip.
import type { Fault } from '../scenario/types.ts';
import { Life } from './fleet.ts';
import { PRIMARY, REPLICAS } from './connections.ts';
import { TIMER, timerArg, type RunContext } from './component.ts';
import type { PoolRuntime } from './pool.ts';

type FailoverFault = Extract<Fault, { kind: 'failover' }>;

/** The database's timer codes for failovers (x = the failover's index). */
export const FAILOVER_LOST = 0;
export const FAILOVER_PROMOTED = 1;
export const FAILOVER_READY = 2; // the new primary passed readiness: it takes sessions

/** What a failover needs of its database. */
export interface FailoverHost {
  readonly name: string;
  readonly index: number;
  readonly primary: PoolRuntime;
  readonly replicas: PoolRuntime | null;
  /** Every caller's connections to `side` close (connections still out close as they come back). */
  resetSessions(side: number): void;
  /** Callers' connection pools may open sessions again. */
  wake(): void;
}

export interface FailoverRecord {
  at: number;
  /** When the promoted primary took writes again. */
  writesBackAt: number | null;
  /** The replica promoted (`db/replicas-2`), or null when none was ready and the primary restarted in place. */
  promoted: string | null;
}

export class Failovers {
  private readonly faults: FailoverFault[];
  readonly records: FailoverRecord[] = [];
  /** From the loss until the new primary is ready: the primary takes no sessions. */
  down = false;

  constructor(private readonly db: FailoverHost, private readonly run: RunContext) {
    this.faults = run.scenario.faults.filter((f): f is FailoverFault => f.kind === 'failover' && f.database === db.name);
  }

  get any(): boolean {
    return this.faults.length > 0;
  }

  start(): void {
    this.faults.forEach((f, i) => {
      this.run.heap.push(f.at, TIMER + FAILOVER_LOST, timerArg(this.db.index, i));
      this.run.heap.push(f.at + f.detection + f.promotion, TIMER + FAILOVER_PROMOTED, timerArg(this.db.index, i));
    });
  }

  onTimer(code: number, i: number): void {
    if (code === FAILOVER_LOST) this.lost(i);
    else if (code === FAILOVER_PROMOTED) this.promoted(i);
    else if (code === FAILOVER_READY) {
      this.down = false;
      this.db.wake();
    }
  }

  private lost(i: number): void {
    const f = this.faults[i], db = this.db, p = db.primary;
    this.down = true;
    this.records.push({ at: f.at, writesBackAt: null, promoted: null });
    this.event('fault', `primary lost: writes fail until a replica is promoted (detection ${f.detection} s + promotion ${f.promotion} s); connections to it close`);
    for (let j = 0; j < p.n; j++) if (p.life[j] !== Life.Gone && p.lost[j] === 0) p.lose(j, Infinity, 'failover: the primary is lost');
    db.resetSessions(PRIMARY);
  }

  private promoted(i: number): void {
    const db = this.db, p = db.primary, r = db.replicas!, rec = this.records[i];
    // The oldest ready replica (caught up the longest) becomes the primary's server: one replica fewer.
    let pick = -1;
    for (let j = 0; j < r.n && pick < 0; j++) if (r.life[j] === Life.Ready) pick = j;
    if (pick >= 0) {
      const v = r.versions.current;
      r.want[v] = Math.max(0, r.want[v] - 1);
      r.drain(pick);
      r.reconcile();
    }
    rec.promoted = pick >= 0 ? `${r.cfg.name}-${pick}` : null;
    rec.writesBackAt = this.run.now + p.cfg.readinessDelay;
    const how = pick >= 0 ? `${rec.promoted} promoted to primary` : 'no replica ready: the primary restarts in place';
    for (let j = 0; j < p.n; j++) if (p.lost[j] === 1 && p.life[j] === Life.Down) p.regain(j, how);
    this.event('recovered', `${how}; ${r.readyCount()} replicas left; connections reset`);
    db.resetSessions(REPLICAS);
    // After the primary's own READY timer (pushed first by regain, so popped first at the same time).
    this.run.heap.push(rec.writesBackAt, TIMER + FAILOVER_READY, timerArg(db.index, i));
  }

  private event(kind: string, detail: string): void {
    this.run.record({ time: this.run.now, component: this.db.name, kind, detail });
  }
}
