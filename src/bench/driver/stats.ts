// What the driver measures, end to end, in the simulator's terms. A request's latency runs from
// its INTENDED send time — when the arrival process said it was due — to the end of its answer,
// as wrk2 measures: if the generator or the stack held it back, that wait is part of what a
// user would have seen. The time from the actual write (what a closed-loop tool's own timer
// shows) and the lag between intended and actual send are kept beside it, so a run shows how far
// the generator kept its schedule.
import { LatencyHistogram } from '../../stats/latency.ts';
import { TimeWeighted } from '../../stats/time-weighted.ts';
import { OK } from '../causes.ts';

/** A send this much after its intended time is "late": beyond the event loop's timer granularity (1 ms) and a tick's batch. */
export const LATE = 0.002;

export class ClassStats {
  arrivals = 0;
  completions = 0;
  readonly errors = new Float64Array(4);
  readonly latency = new LatencyHistogram(3);
}

export class DriverStats {
  readonly latency = new LatencyHistogram(3);
  readonly iLatency = new LatencyHistogram(2);
  readonly fromSend = new LatencyHistogram(3);
  readonly lag = new LatencyHistogram(3);
  readonly iLag = new LatencyHistogram(2);
  readonly inSystem = new TimeWeighted(0);
  readonly classes: ClassStats[];
  arrivals = 0;
  sent = 0;
  completions = 0;
  late = 0;
  /** Requests sent a second time after a kept-alive connection closed under them (ClassTarget.resendLost). */
  resent = 0;
  readonly errors = new Float64Array(4);
  /** Sum of (end − intended) over finished requests, and Σ intended over those still in flight: W and L = λW. */
  sojournDone = 0;
  bornInFlight = 0;
  inFlight = 0;
  // the current sample interval
  iArrivals = 0;
  iSent = 0;
  iCompletions = 0;
  iLate = 0;
  readonly iErrors = new Float64Array(4);

  /** Sees every finished request (tests look at requests by due time with it). */
  observe: ((intended: number, end: number, sentAt: number, cause: number) => void) | null = null;

  constructor(classes: number, private readonly warmup: number) {
    this.classes = Array.from({ length: classes }, () => new ClassStats());
  }

  arrive(t: number, cls: number): void {
    this.arrivals++; this.iArrivals++;
    this.classes[cls].arrivals++;
    this.inFlight++;
    this.bornInFlight += t;
    this.inSystem.add(t, 1);
  }

  wrote(t: number, intended: number): void {
    this.sent++; this.iSent++;
    const lag = t - intended;
    if (lag > LATE) { this.late++; this.iLate++; }
    if (intended >= this.warmup) this.lag.record(lag > 0 ? lag : 0);
    this.iLag.record(lag > 0 ? lag : 0);
  }

  /** The answer (or loss) of a request; `cause` is OK or a cause index (../causes.ts). */
  finish(t: number, intended: number, sentAt: number, cls: number, cause: number): void {
    this.inFlight--;
    this.bornInFlight -= intended;
    this.sojournDone += t - intended;
    this.inSystem.add(t, -1);
    this.observe?.(intended, t, sentAt, cause);
    const c = this.classes[cls];
    if (cause === OK) {
      this.completions++; this.iCompletions++; c.completions++;
      const took = t - intended;
      if (intended >= this.warmup) {
        // As the simulator: requests due in the warmup are left out of latency, the interval's too.
        this.iLatency.record(took);
        this.latency.record(took);
        this.fromSend.record(t - sentAt);
        c.latency.record(took);
      }
    } else {
      this.errors[cause]++; this.iErrors[cause]++; c.errors[cause]++;
    }
  }

  /** The interval's figures; its counters and histograms restart. */
  takeInterval(): IntervalFigures {
    const has = this.iLatency.count > 0;
    const [p50, p95, p99] = has ? this.iLatency.percentiles([50, 95, 99]) : [0, 0, 0];
    const [lag99] = this.iLag.count > 0 ? this.iLag.percentiles([99]) : [0];
    const out: IntervalFigures = {
      arrivals: this.iArrivals, sent: this.iSent, completions: this.iCompletions, late: this.iLate,
      errors: Array.from(this.iErrors), inFlight: this.inFlight,
      latency: has ? { p50, p95, p99, max: this.iLatency.max } : null,
      lag: { p99: lag99, max: this.iLag.max },
    };
    this.iArrivals = this.iSent = this.iCompletions = this.iLate = 0;
    this.iErrors.fill(0);
    this.iLatency.reset();
    this.iLag.reset();
    return out;
  }
}

export interface IntervalFigures {
  arrivals: number;
  sent: number;
  completions: number;
  late: number;
  errors: number[];
  inFlight: number;
  latency: { p50: number; p95: number; p99: number; max: number } | null;
  lag: { p99: number; max: number };
}
