// autocannon as the HTTP engine. autocannon's run loop is a closed model: each connection sends
// its next request when the previous answer arrives (and `overallRate` only caps how many go out
// per second, all at the start of each second), so it cannot offer an open arrival process.
// Its connection, autocannon/lib/httpClient.js `Client` (keep-alive socket, reconnect on error,
// HTTP response parser, per-request timing), is what we drive instead: `setupClient` — the
// documented hook handed every Client before it connects — replaces the Client's "send the next
// request now" step (`_doRequest`, called on connect and after each answer) with "tell the
// scheduler this connection is free", and the scheduler writes a request when one is due.
// This leans on autocannon 9's Client internals (_doRequest, _connect, conn, pipelinedRequests);
// test/bench/driver.test.ts exercises them, so an upgrade that moves them fails there.
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';

const require = createRequire(import.meta.url);

interface AutocannonClient {
  conn: Socket;
  pipelinedRequests: unknown;
  destroyed: boolean;
  _doRequest(): void;
  _connect(): void;
  destroy(): void;
  on(event: 'response', f: (status: number, bytes: number, ms: number) => void): void;
  on(event: 'connError' | 'timeout', f: (e?: Error) => void): void;
}

/**
 * Stands in for autocannon's PipelinedRequestsQueue on a connection that carries one request at a
 * time and times requests itself: the queue's per-request record (hrtime pair, body string built
 * from every chunk) cost more CPU than the rest of the send/answer path (bench:generator).
 */
class OneExchange {
  readonly answer = { req: undefined, headers: { statusCode: 0, headers: [] as string[] }, body: '', bytes: 0, duration: 0 };
  insertRequest(): void {}
  setHeaders(h: { statusCode: number; headers: string[] }): void { this.answer.headers = h; }
  addBody(): void {}
  addByteCount(): void {}
  terminateRequest() { return this.answer; }
  peek() { return this.answer; }
  clear(): void {}
  size(): number { return 0; }
  toArray(): unknown[] { return []; }
}
type ClientCtor = new (opts: Record<string, unknown>) => AutocannonClient;
const Client = require('autocannon/lib/httpClient.js') as ClientCtor;

/** What the scheduler hears from a connection. */
export interface ConnEvents {
  /** An answer to the request in flight: status and the headers the cause needs (502s only). */
  onAnswer(conn: Connection, status: number, cause: string | undefined, upstream: string | undefined): void;
  /** The request in flight is lost with the socket (reset, closed): a refusal. */
  onLost(conn: Connection): void;
  /** The connection can take a request. */
  onFree(conn: Connection): void;
}

const CAUSE = 'x-headroom-cause', UPSTREAM = 'x-headroom-upstream';

/** One keep-alive connection to host:port carrying one request at a time. */
export class Connection {
  private readonly client: AutocannonClient;
  private readonly exchange = new OneExchange();
  /** Scheduler fields of the request in flight (kept here, so nothing is allocated per request). */
  intended = 0;
  sentAt = 0;
  cls = 0;
  /** The simulated client the request comes from. */
  clientId = 0;
  /** The request's port index within its class. */
  portIndex = 0;
  /** It is a resend (a request goes out again at most once). */
  resent = false;
  /** It went out on a socket that had answered before: a kept-alive connection the server may have closed meanwhile. */
  reused = false;
  private answeredOnSocket = 0;
  busy = false;
  /** Owed one onFree: set by an answer or a loss (and at the start), spent by the next onFree. A
   * reconnect alone (autocannon calls _doRequest from _connect too) owes nothing. */
  private owed = true;
  private inflight: Socket | null = null; // the socket the request in flight was written to
  /** Resolves when the first socket has connected (or failed to). */
  readonly connected: Promise<void>;
  private onConnected: () => void = () => {};
  /** The last connection attempt was refused. autocannon reconnects at once on every error, which
   * against a port nobody listens on would spin a core: after a refusal the next attempt waits for
   * the next request, so each request sent there costs one refused connect, counted as refused. */
  private refused = false;
  private reopen: () => void = () => {};

  constructor(readonly host: string, readonly port: number, private readonly events: ConnEvents, timeoutS: number) {
    const self = this;
    this.connected = new Promise((r) => { this.onConnected = r; });
    this.client = new Client({
      hostname: host,
      port,
      timeout: timeoutS,
      setupClient(c: AutocannonClient) {
        c.pipelinedRequests = self.exchange;
        c._doRequest = () => self.offer();
        const connect = c._connect;
        const open = () => {
          self.refused = false;
          self.answeredOnSocket = 0;
          connect.call(c);
          const sock = c.conn;
          let up = false;
          sock.setNoDelay(true);
          sock.once('connect', () => { up = true; self.onConnected(); });
          sock.once('error', () => { if (!up) self.refused = true; self.onConnected(); });
          sock.on('close', () => self.closed(sock));
        };
        self.reopen = open;
        c._connect = () => { if (!self.refused && !c.destroyed) open(); };
      },
    });
    this.client.on('response', (status) => {
      this.busy = false;
      this.answeredOnSocket++;
      this.inflight = null;
      this.owed = true;
      let cause: string | undefined, upstream: string | undefined;
      if (status >= 400) {
        const raw = this.exchange.answer.headers.headers;
        for (let i = 0; i < raw.length; i += 2) {
          const k = raw[i].toLowerCase();
          if (k === CAUSE) cause = raw[i + 1];
          else if (k === UPSTREAM) upstream = raw[i + 1];
        }
      }
      this.events.onAnswer(this, status, cause, upstream);
      // autocannon calls _doRequest (→ offer → onFree) right after this event.
    });
  }

  /** A socket closed. If it carried the request in flight, that request is lost; the connection is
   * free again (autocannon has reconnected, or — after a refusal — the next send will). */
  private closed(sock: Socket): void {
    if (!this.busy || sock !== this.inflight) return;
    this.busy = false;
    this.inflight = null;
    this.owed = true;
    this.events.onLost(this);
    if (!this.client.destroyed) this.offer();
  }

  private offer(): void {
    if (this.busy || !this.owed) return;
    this.owed = false;
    this.events.onFree(this);
  }

  /**
   * Writes one request (the whole HTTP/1.1 text) now. autocannon's own request timeout is not
   * re-armed: it is set past the run's end at construction, and the run's end bounds every request.
   */
  send(text: Buffer, intended: number, sentAt: number, cls: number, client: number, port: number, resent: boolean): void {
    const c = this.client;
    this.busy = true;
    this.intended = intended;
    this.sentAt = sentAt;
    this.cls = cls;
    this.clientId = client;
    this.portIndex = port;
    this.resent = resent;
    if (c.conn.destroyed) this.reopen(); // refused last time: try again for this request
    this.reused = this.answeredOnSocket > 0;
    this.inflight = c.conn;
    c.conn.write(text);
  }

  close(): void {
    this.busy = false;
    this.client.destroy();
  }
}
