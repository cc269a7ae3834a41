// What a metrics pipeline (metrics-server, a Prometheus adapter, CloudWatch's agent) makes of an
// instance's cumulative counters: scraped every scrape interval, each figure is the increase over
// the averaging window divided by the window's length. The simulator (src/model/scaler.ts) and the
// live stack (src/bench/live-scaler.ts) keep the same window and name the same figures, so a
// policy sees one thing whichever side feeds it.

/** Cumulative counters of one instance over a window of scrapes: the oldest kept is the first at or before now − window. */
export class CounterWindow {
  private times: number[] = [];
  private values: number[][] = [];

  constructor(readonly window: number) {}

  /**
   * Adds one scrape (time in s, cumulative values); returns the seconds covered and each value's
   * increase since the oldest scrape kept, or null on a first scrape (no rate yet, as with
   * metrics-server).
   */
  push(time: number, values: number[]): { seconds: number; delta: number[] } | null {
    const ts = this.times, vs = this.values;
    ts.push(time);
    vs.push(values);
    while (ts.length > 2 && ts[1]! <= time - this.window) { ts.shift(); vs.shift(); }
    const seconds = time - ts[0]!;
    if (!(seconds > 0)) return null;
    const first = vs[0]!;
    return { seconds, delta: values.map((v, i) => v - first[i]!) };
  }
}

/**
 * The request figures of one instance over a window: served and failed requests and the summed
 * response time of the served ones, over `seconds` of the clock rates are read on.
 * `requestRate` also goes by the names a Prometheus adapter usually serves it under (Pods metrics).
 */
export function requestMetrics(seconds: number, served: number, failed: number, responseSum: number): Record<string, number> {
  const rate = served / seconds;
  return {
    requestRate: rate,
    http_requests_per_second: rate,
    requests_per_second: rate,
    responseTime: served > 0 ? responseSum / served : 0,
    errorRate: served + failed > 0 ? failed / (served + failed) : 0,
  };
}
