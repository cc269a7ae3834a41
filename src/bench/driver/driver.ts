// What the open and the closed driver share: connections per target port, sending, answers into
// DriverStats, the end of a run (no more arrivals; what is unanswered stays in flight), closing.
import { stream } from '../../sim/rng.ts';
import { WeightedChoice } from '../../traffic/mix.ts';
import { classify, CAUSE_INDEX } from '../causes.ts';
import { Connection, type ConnEvents } from './engine.ts';
import { DriverStats } from './stats.ts';
import { ClientAddresses, requestHead, type ClassTarget } from './targets.ts';

export interface DriverConfig {
  targets: ClassTarget[]; // per request class
  weights: number[]; // the mix's weights, per class
  clients: number;
  seed: number;
  duration: number; // s of traffic
  warmup: number; // s: requests due earlier are left out of latency statistics
  /** Open model: connections per target port at most; requests due when all are busy wait (and count late). */
  maxConnections: number;
}

/** Connections to one port: the idle ones, how many exist, requests waiting for one (a ring of typed arrays). */
export class PortPool {
  readonly idle: Connection[] = [];
  readonly all: Connection[] = [];
  // waiting requests: intended time, class, client
  private wt = new Float64Array(1024);
  private wc = new Int32Array(1024);
  private wk = new Int32Array(1024);
  private head = 0;
  waiting = 0;
  constructor(readonly host: string, readonly port: number, readonly index: number) {}

  push(t: number, cls: number, client: number): void {
    if (this.waiting === this.wt.length) this.grow();
    const i = (this.head + this.waiting) & (this.wt.length - 1);
    this.wt[i] = t; this.wc[i] = cls; this.wk[i] = client;
    this.waiting++;
  }

  /** Index of the oldest waiting request in the ring (valid until the next push/shift); -1 when none. */
  shift(): number {
    if (this.waiting === 0) return -1;
    const i = this.head;
    this.head = (this.head + 1) & (this.wt.length - 1);
    this.waiting--;
    return i;
  }
  at(i: number): [number, number, number] {
    return [this.wt[i], this.wc[i], this.wk[i]];
  }

  private grow(): void {
    const n = this.wt.length * 2, t = new Float64Array(n), c = new Int32Array(n), k = new Int32Array(n);
    for (let j = 0; j < this.waiting; j++) {
      const i = (this.head + j) & (this.wt.length - 1);
      t[j] = this.wt[i]; c[j] = this.wc[i]; k[j] = this.wk[i];
    }
    this.wt = t; this.wc = c; this.wk = k; this.head = 0;
  }
}

export abstract class Driver implements ConnEvents {
  readonly stats: DriverStats;
  protected readonly mix: WeightedChoice;
  protected readonly clientRng: () => number;
  protected readonly addresses: ClientAddresses;
  /** Per class: its port pools and the request text before the client address, per pool. */
  protected readonly classPools: PortPool[][];
  protected readonly classHeads: string[][];
  /** Whole request texts per class, port and client, built on first use (when clients are few enough to keep them). */
  private readonly texts: Array<Array<Array<Buffer | undefined>>>;
  private readonly cursor: Int32Array;
  protected readonly pools = new Map<string, PortPool>();
  protected t0 = 0;
  /** Wall-clock time (s since the epoch) of the driver's t = 0: lines of nginx's log map onto the run with it. */
  epoch0 = 0;
  protected ending = false;
  private constructing = false;

  constructor(protected readonly cfg: DriverConfig) {
    this.stats = new DriverStats(cfg.targets.length, cfg.warmup);
    this.mix = new WeightedChoice(cfg.weights, stream(cfg.seed, 'mix'));
    this.clientRng = stream(cfg.seed, 'clients');
    this.addresses = new ClientAddresses(cfg.clients);
    this.classPools = cfg.targets.map((t) => t.ports.map((port) => this.poolFor(t.host, port)));
    this.classHeads = cfg.targets.map((t) => t.ports.map((port) => requestHead(t.host, t.path, port)));
    this.texts = cfg.targets.map((t) => t.ports.map(() => (cfg.clients <= 65536 ? new Array<Buffer | undefined>(Math.max(1, cfg.clients)) : [])));
    this.cursor = new Int32Array(cfg.targets.length);
  }

  private poolFor(host: string, port: number): PortPool {
    const key = `${host}:${port}`;
    let p = this.pools.get(key);
    if (!p) { p = new PortPool(host, port, this.pools.size); this.pools.set(key, p); }
    return p;
  }

  /** Seconds since the driver started. */
  now(): number {
    return performance.now() / 1000 - this.t0;
  }

  protected drawClient(): number {
    return this.cfg.clients > 1 ? (this.clientRng() * this.cfg.clients) | 0 : 0;
  }

  /** Round robin over the class's ports; returns the pool index within the class. */
  protected pickPort(cls: number): number {
    const n = this.classPools[cls].length;
    if (n === 1) return 0;
    const k = this.cursor[cls];
    this.cursor[cls] = (k + 1) % n;
    return k;
  }

  protected openConnection(pool: PortPool): Connection {
    this.constructing = true;
    try {
      const c = new Connection(pool.host, pool.port, this, this.cfg.duration + 60);
      pool.all.push(c);
      return c;
    } finally {
      this.constructing = false;
    }
  }

  protected send(conn: Connection, cls: number, k: number, client: number, intended: number, resent = false): void {
    const cache = this.texts[cls][k];
    let text = cache[client];
    if (text === undefined) {
      text = Buffer.from(this.classHeads[cls][k] + this.addresses.get(client) + '\r\n\r\n', 'latin1');
      if (cache.length > 0) cache[client] = text;
    }
    const t = this.now();
    conn.send(text, intended, t, cls, client, k, resent);
    if (!resent) this.stats.wrote(t, intended);
  }

  onAnswer(conn: Connection, status: number, cause: string | undefined, upstream: string | undefined): void {
    if (this.ending) return;
    this.stats.finish(this.now(), conn.intended, conn.sentAt, conn.cls, classify(status, cause, upstream));
  }

  onLost(conn: Connection): void {
    if (this.ending) return;
    if (conn.reused && !conn.resent && this.cfg.targets[conn.cls].resendLost) {
      // On the same Connection: autocannon has opened a fresh socket already (or the send opens one).
      this.stats.resent++;
      this.send(conn, conn.cls, conn.portIndex, conn.clientId, conn.intended, true);
      return;
    }
    this.stats.finish(this.now(), conn.intended, conn.sentAt, conn.cls, CAUSE_INDEX.backlogFull);
  }

  onFree(conn: Connection): void {
    if (this.constructing || this.ending) return;
    this.free(conn);
  }

  /** A connection can take the next request. */
  protected abstract free(conn: Connection): void;
  /** Begins arrivals. */
  protected abstract begin(): void;
  /** Stops arrivals (end of the run, or an interrupt). */
  protected abstract halt(): void;

  /** Connections to open before the clock starts (opening one costs ~0.5 ms of CPU: not during the schedule). */
  protected abstract warmConnections(): Promise<void>;

  /** Opens n idle connections to every port pool and waits until they are connected. */
  protected async openIdle(n: number): Promise<void> {
    const waits: Array<Promise<void>> = [];
    for (const pool of this.pools.values()) {
      for (let i = pool.all.length; i < n; i++) {
        const c = this.openConnection(pool);
        pool.idle.push(c);
        waits.push(c.connected);
      }
    }
    await Promise.all(waits);
  }

  /**
   * Runs the schedule for `duration` s and resolves at its end. Requests unanswered then stay
   * counted as in flight (the simulator stops at its horizon the same way); the caller takes its
   * last samples and then calls close().
   */
  async run(): Promise<void> {
    await this.warmConnections();
    this.t0 = performance.now() / 1000;
    this.epoch0 = Date.now() / 1000;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.abort(), this.cfg.duration * 1000);
      this.stopNow = () => { clearTimeout(timer); resolve(); };
      this.begin();
    });
  }

  private stopNow: () => void = () => {};

  /** Ends the schedule now (at its end, or on an interrupt): no more arrivals, answers no longer counted. */
  abort(): void {
    if (this.ending) return;
    this.ending = true;
    this.halt();
    this.stopNow();
  }

  /** Closes every connection. */
  close(): void {
    for (const p of this.pools.values()) for (const c of p.all) c.close();
  }

  /** Requests written and unanswered plus requests waiting for a connection: equals stats.inFlight while nothing is lost. */
  get outstanding(): number {
    let n = 0;
    for (const p of this.pools.values()) {
      n += p.waiting;
      for (const c of p.all) if (c.busy) n++;
    }
    return n;
  }

  /** Connections opened so far. */
  get connections(): number {
    let n = 0;
    for (const p of this.pools.values()) n += p.all.length;
    return n;
  }
}

