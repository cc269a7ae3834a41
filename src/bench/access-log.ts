// Reading the access log nginx writes in headroom's format (./log-format.ts): one request per line,
// the request line and status, then key=value fields. A line that does not parse is returned as
// null (the caller decides whether that is an error: a bench run's own log never has one).
export interface AccessLine {
  /** Client address ($remote_addr, after realip). */
  remote: string;
  path: string;
  status: number;
  /** End of the request, s since the epoch ($msec). */
  end: number;
  /** nginx's whole time for the request, s ($request_time). */
  requestTime: number;
  /** Per upstream try: address (or the group's name when no live peer was left), status, response and connect time (s, NaN when "-"). */
  tries: Array<{ addr: string; status: number; responseTime: number; connectTime: number }>;
  /** $proxy_host: the upstream group (pool) name, or "-". */
  pool: string;
}

const LINE = /^(\S+) \[[^\]]*\] "(?:[A-Z]+ )?(\S*)[^"]*" (\d{3}) \d+ msec=([\d.]+) rt=([\d.]+) uct="([^"]*)" urt="([^"]*)" ua="([^"]*)" us="([^"]*)" up=(\S+)$/;

/** nginx separates tries with ", " and internal redirects with " : "; both are tries here. */
function list(v: string): string[] {
  return v === '-' || v === '' ? [] : v.split(/, | : /);
}

const seconds = (s: string | undefined) => (s === undefined || s === '-' ? NaN : Number(s));

export function parseAccessLine(line: string): AccessLine | null {
  const m = LINE.exec(line);
  if (!m) return null;
  const addrs = list(m[8]), statuses = list(m[9]), rts = list(m[7]), cts = list(m[6]);
  return {
    remote: m[1],
    path: m[2],
    status: Number(m[3]),
    end: Number(m[4]),
    requestTime: Number(m[5]),
    tries: addrs.map((addr, i) => ({ addr, status: Number(statuses[i]) || 0, responseTime: seconds(rts[i]), connectTime: seconds(cts[i]) })),
    pool: m[10],
  };
}
