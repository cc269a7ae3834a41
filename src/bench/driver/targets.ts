// Where each request class is sent and the HTTP text that carries it. A class entering at a load
// balancer goes to nginx's location for it; one entering a pool directly goes round robin over the
// pool's instances (as the simulator's direct routing); with --target everything goes to that URL.
import { clientAddress } from '../../traffic/mix.ts';

export interface ClassTarget {
  host: string; // 127.0.0.1 but for --target with --allow-remote
  /** Ports the class is sent to (round robin when several). */
  ports: number[];
  path: string;
  /**
   * A request lost with a kept-alive connection (closed or reset before any answer) goes out once
   * more on a fresh one, as HTTP clients do for idempotent requests (RFC 9112 §9.3.1) — nginx
   * closes its idle keep-alive connections when a reload retires its old workers. Not where a reset
   * is the answer: an upstream entered directly resets a connection to refuse (backlog full).
   */
  resendLost: boolean;
}

/** HTTP/1.1 request text up to the client header; the driver appends `X-Client-Addr: a.b.c.d\r\n\r\n`. */
export function requestHead(host: string, path: string, port: number): string {
  return `GET ${path} HTTP/1.1\r\nHost: ${host}:${port}\r\nConnection: keep-alive\r\nX-Client-Addr: `;
}

/** Dotted client addresses by client id, built once per id on first use. */
export class ClientAddresses {
  private readonly cache: string[];
  constructor(n: number) {
    this.cache = new Array<string>(Math.max(1, n));
  }
  get(id: number): string {
    let s = this.cache[id];
    if (s === undefined) {
      const a = clientAddress(id);
      s = this.cache[id] = `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
    }
    return s;
  }
}

/** IPv4 loopback, which the driver connects over. */
const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost)$/;

/** Parses --target: an http URL; only loopback unless allowRemote. Throws a one-line message. */
export function parseTarget(url: string, allowRemote: boolean): { host: string; port: number; path: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`--target: expected an http URL like http://127.0.0.1:8080/, got "${url}"`);
  }
  if (u.protocol !== 'http:') throw new Error(`--target: only http:// is supported, got "${u.protocol}"`);
  if (!LOOPBACK.test(u.hostname) && !allowRemote) {
    throw new Error(`--target: ${u.hostname} is not an IPv4 loopback address; headroom sends load only to 127.0.0.1 unless --allow-remote is given`);
  }
  const port = u.port === '' ? 80 : Number(u.port);
  return { host: u.hostname === 'localhost' ? '127.0.0.1' : u.hostname, port, path: (u.pathname || '/') + u.search };
}
