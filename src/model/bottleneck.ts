// Naming the bottleneck, interval by interval, from what every component kind reports in its series
// row (Component.sample, and partRows for resources inside a component: a calling pool's connection
// pools): `utilisation` — the share of its own capacity in use over the interval, 0..1, or null for
// a kind with no capacity limit of its own (a balancer: nginx's time is a pure delay) —,
// `waiting_share` — of that capacity in use, the share only waiting on other components (a calling
// pool's workers held during its calls; a connection pool's connections held during queries) — and
// `queue_mean` — the time-weighted number of requests waiting for that capacity. All are read at
// the interval boundary, once per candidate: nothing here runs per request or event.
//
// The rule (the utilisation law's bottleneck: the station with the highest utilisation is the first
// to saturate; Lazowska et al., Quantitative System Performance, ch. 5): per interval, the busiest
// candidate is the one with the highest utilisation of its own work — utilisation × (1 −
// waiting_share): a caller's workers that only wait on a database are the database's load, as in
// simultaneous resource possession the held resource is passive and the one serving is active —
// ties broken by the longer queue, then by order; the longest queue is the highest queue_mean,
// ties broken by the higher utilisation, then order. Saturated components all read exactly 1 (a
// pool's utilisation is capped there), so among several saturated ones the queue decides. A caller
// whose workers are exhausted by slow calls (a passive resource run dry) shows as the longest
// queue. An interval in which nothing was busy (or nothing waited) names none.
import type { SeriesRow } from '../stats/results.ts';
import type { BottleneckFigures, BottleneckSummary } from '../stats/bottleneck.ts';

/** A candidate's figures over the run so far. */
interface Tally {
  name: string;
  busiest: number;
  busiestUtil: number; // sum of its own-work utilisation over the intervals it was the busiest
  longest: number;
  peakUtil: number;
  peakUtilAt: number; // −1: no utilisation of its own yet
  peakQueue: number;
  peakQueueAt: number; // −1: never waited
}

/** Utilisation of a row's own work (−1: none of its own). */
function own(r: SeriesRow): number {
  return r.utilisation === null ? -1 : r.utilisation * (1 - (r.waiting_share ?? 0));
}

export class BottleneckTracker {
  private intervals = 0;
  private readonly tallies: Tally[] = []; // in order of first appearance
  private readonly byName = new Map<string, Tally>();
  private scratch: Tally[] = [];

  /**
   * The interval ending at `now`: `rows` are the candidates' rows, in file order. Writes the names
   * it judged on `all` (the whole system's row: bottleneck_util, bottleneck_queue).
   */
  observe(now: number, rows: readonly SeriesRow[], all: SeriesRow): void {
    this.intervals++;
    const tallies = this.scratch;
    tallies.length = rows.length;
    let u = -1, uOwn = 0, q = -1;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i], t = (tallies[i] = this.tally(r.component)), ui = own(r), qi = r.queue_mean;
      if (ui >= 0) {
        if (ui > t.peakUtil || t.peakUtilAt < 0) {
          t.peakUtil = ui;
          t.peakUtilAt = now;
        }
        if (ui > 0 && (u < 0 || ui > uOwn || (ui === uOwn && qi > rows[u].queue_mean))) {
          u = i;
          uOwn = ui;
        }
      }
      if (qi > 0) {
        if (qi > t.peakQueue) {
          t.peakQueue = qi;
          t.peakQueueAt = now;
        }
        if (q < 0 || qi > rows[q].queue_mean || (qi === rows[q].queue_mean && ui > own(rows[q]))) q = i;
      }
    }
    if (u >= 0) {
      tallies[u].busiest++;
      tallies[u].busiestUtil += uOwn;
    }
    if (q >= 0) tallies[q].longest++;
    all.bottleneck_util = u >= 0 ? tallies[u].name : null;
    all.bottleneck_queue = q >= 0 ? tallies[q].name : null;
  }

  private tally(name: string): Tally {
    let t = this.byName.get(name);
    if (t === undefined) {
      t = { name, busiest: 0, busiestUtil: 0, longest: 0, peakUtil: 0, peakUtilAt: -1, peakQueue: 0, peakQueueAt: -1 };
      this.byName.set(name, t);
      this.tallies.push(t);
    }
    return t;
  }

  summary(): BottleneckSummary {
    const components: Record<string, BottleneckFigures> = {};
    let busiest: Tally | null = null, longest: Tally | null = null;
    for (const t of this.tallies) {
      if (t.busiest > 0 && (busiest === null || t.busiest > busiest.busiest)) busiest = t;
      if (t.longest > 0 && (longest === null || t.longest > longest.longest)) longest = t;
      const util = t.peakUtilAt >= 0;
      if (!util && t.peakQueueAt < 0) continue; // no capacity and never a queue: nothing to say
      components[t.name] = {
        busiest: t.busiest,
        busiestUtilisation: t.busiest > 0 ? t.busiestUtil / t.busiest : null,
        longestQueue: t.longest,
        peakUtilisation: util ? t.peakUtil : null,
        peakUtilisationAt: util ? t.peakUtilAt : null,
        peakQueue: t.peakQueue,
        peakQueueAt: t.peakQueueAt >= 0 ? t.peakQueueAt : null,
      };
    }
    return { intervals: this.intervals, busiest: busiest?.name ?? null, longestQueue: longest?.name ?? null, components };
  }
}
