// Reading access logs in the `headroom` format (./log-format.ts), line by line: a production log
// of any size is streamed, and memory stays what the caller's aggregates hold.
//
// What nginx writes, from ngx_http_upstream.c (ngx_http_upstream_response_time_variable,
// ngx_http_upstream_addr_variable, ngx_http_upstream_status_variable):
//   - one entry per upstream try; entries are joined by ", "; an internal redirect (X-Accel-Redirect,
//     error_page, a named location) starts a new group, joined by " : ";
//   - a time is "%T.%03M" (seconds with milliseconds), or "-" where nginx has none (a try that never
//     connected has no connect time); a status is "-" where no response header arrived;
//   - a request that reached no upstream (limit_req refusal, a static answer) logs "-" for the whole
//     variable; "no live upstreams" logs the group's name as the address and 502.
// $upstream_connect_time, $upstream_response_time, $upstream_addr and $upstream_status walk the same
// array, so their shapes must agree: a line where they do not is reported as unreadable.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

/** One upstream try of a request. */
export interface UpstreamTry {
  addr: string; // host:port, or the upstream group's name ("no live upstreams")
  status: number | null; // null: "-"
  connect: number | null; // s; null: "-"
  response: number | null; // s; null: "-"
  group: number; // internal-redirect group: 0 for the first, 1 after the first " : ", …
}

export interface LogRecord {
  line: number;
  remoteAddr: string;
  path: string; // the request line's target ("/lb/nginx/c0"); "" when the request line has none
  msec: number; // end of the request, s since the epoch
  status: number;
  requestTime: number; // s
  tries: UpstreamTry[]; // empty when the request reached no upstream
  upstream: string | null; // $proxy_host: the group of the last redirect group; null for "-"
}

/** A log that cannot be read: one line naming the file, the line and what was expected. */
export class AccessLogError extends Error {
  override name = 'AccessLogError';
}

const LINE_RE =
  /^(\S+) \[([^\]]*)\] "((?:[^"\\]|\\.)*)" (\d{3}) (\d+) msec=(\d+\.\d{3}) rt=(\d+\.\d{3}) uct="([^"]*)" urt="([^"]*)" ua="([^"]*)" us="([^"]*)" up=(\S+)$/;

// In the order they appear, for pointing at the first one that is wrong.
const FIELD_CHECKS: Array<[RegExp, string]> = [
  [/^\S+ \[[^\]]*\] /, 'an address and [$time_iso8601] at the start'],
  [/^\S+ \[[^\]]*\] "(?:[^"\\]|\\.)*" /, 'the request line in double quotes'],
  [/^\S+ \[[^\]]*\] "(?:[^"\\]|\\.)*" \d{3} \d+ /, 'the status and body size after the request'],
  [/ msec=\d+\.\d{3}(?= |$)/, 'msec=<seconds.milliseconds>'],
  [/ rt=\d+\.\d{3}(?= |$)/, 'rt=<seconds.milliseconds> ($request_time)'],
  [/ uct="[^"]*"(?= |$)/, 'uct="…" ($upstream_connect_time)'],
  [/ urt="[^"]*"(?= |$)/, 'urt="…" ($upstream_response_time)'],
  [/ ua="[^"]*"(?= |$)/, 'ua="…" ($upstream_addr)'],
  [/ us="[^"]*"(?= |$)/, 'us="…" ($upstream_status)'],
  [/ up=\S+$/, 'up=<upstream name> ($proxy_host) at the end'],
];

const TIME_RE = /^\d+\.\d{3}$/;
const STATUS_RE = /^\d{3}$/;

function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

/** Splits a per-try variable into its redirect groups and tries; "-" alone is no try at all. */
function splitTries(value: string): string[][] {
  if (value === '-' || value === '') return [];
  return value.split(' : ').map((g) => g.split(', '));
}

/** Parses one line; throws a message without the file (the reader adds it). */
export function parseLine(text: string, line: number): LogRecord {
  const m = LINE_RE.exec(text);
  if (m === null) {
    const missing = FIELD_CHECKS.find(([re]) => !re.test(text));
    const what = missing?.[1] ?? 'nothing after up=<upstream name>';
    throw new Error(`expected the headroom log format (${what}), got ${JSON.stringify(shorten(text))}`);
  }
  const [, remoteAddr, , request, status, , msec, rt, uct, urt, ua, us, up] = m;
  const addrs = splitTries(ua!);
  // "-" is both "no upstream at all" and the one entry of a single try without that value.
  const entries = (v: string) => (v === '-' && addrs.length === 1 && addrs[0]!.length === 1 ? [['-']] : splitTries(v));
  const shape = (v: string) => entries(v).map((g) => g.length).join(',');
  const want = addrs.map((g) => g.length).join(',');
  for (const [name, v] of [['uct', uct!], ['urt', urt!], ['us', us!]] as const) {
    // A request that reached no upstream has "-" for all four.
    if (shape(v) !== want) {
      throw new Error(`expected ${name}="${v}" to have one entry per upstream try like ua="${ua}", got ${JSON.stringify(shorten(text))}`);
    }
  }
  const times = (v: string, name: string) =>
    entries(v).flat().map((x) => {
      if (x === '-') return null;
      if (!TIME_RE.test(x)) throw new Error(`expected ${name} entries as seconds.milliseconds or "-", got ${JSON.stringify(x)}`);
      return Number(x);
    });
  const connect = times(uct!, 'uct'), response = times(urt!, 'urt');
  const statuses = entries(us!).flat().map((x) => {
    if (x === '-') return null;
    if (!STATUS_RE.test(x)) throw new Error(`expected us entries as a 3-digit status or "-", got ${JSON.stringify(x)}`);
    return Number(x);
  });
  const tries: UpstreamTry[] = [];
  let k = 0;
  addrs.forEach((g, group) => {
    for (const addr of g) {
      tries.push({ addr, status: statuses[k]!, connect: connect[k]!, response: response[k]!, group });
      k++;
    }
  });
  return {
    line,
    remoteAddr: remoteAddr!,
    path: request!.split(' ')[1] ?? '',
    msec: Number(msec),
    status: Number(status),
    requestTime: Number(rt),
    tries,
    upstream: up === '-' ? null : up!,
  };
}

export interface ReadOptions {
  /** Count unreadable lines instead of stopping at the first (the default is strict). */
  skipBadLines?: boolean;
}

export interface ReadResult {
  lines: number; // records read
  badLines: number; // skipped (only with skipBadLines)
  firstBad: string | null; // the first skipped line's message, to show the user what was wrong
}

/**
 * Streams `file`, calling `onRecord` for each line. Errors name the file and the line:
 * `access.log:17: expected the headroom log format (rt=<seconds.milliseconds> ($request_time)), got "…"`.
 */
export async function readAccessLog(file: string, onRecord: (r: LogRecord) => void, opts: ReadOptions = {}): Promise<ReadResult> {
  const stream = createReadStream(file, { encoding: 'utf8' });
  const opened = new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (e: NodeJS.ErrnoException) => reject(new AccessLogError(`${file}: cannot read the access log (${e.code ?? e.message})`)));
  });
  await opened;
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  let n = 0, lines = 0, bad = 0;
  let firstBad: string | null = null;
  try {
    for await (const text of rl) {
      n++;
      if (text === '') continue; // nginx writes none; a trailing blank line is harmless
      let rec: LogRecord;
      try {
        rec = parseLine(text, n);
      } catch (e) {
        const msg = `${file}:${n}: ${(e as Error).message}`;
        if (!opts.skipBadLines) throw new AccessLogError(msg);
        bad++;
        firstBad ??= msg;
        continue;
      }
      lines++;
      onRecord(rec);
    }
  } finally {
    rl.close();
    stream.destroy();
  }
  return { lines, badLines: bad, firstBad };
}
