// End-to-end totals: the whole system (the `_all` component of the series) and each request class.
import { LatencyHistogram } from '../stats/latency.ts';
import { TimeWeighted } from '../stats/time-weighted.ts';
import { Counters } from './counters.ts';

/** Per request class, when the mix has more than one: Gatling's per-request table. */
export class ClassTotals {
  readonly counters = new Counters();
  readonly latency = new LatencyHistogram(3);
  constructor(readonly name: string) {}
}

/** System-wide totals, the `_all` component. */
export class SystemTotals {
  readonly counters = new Counters();
  classes: ClassTotals[] = [];
  /** End-to-end latency: the run's at 3 digits, the sample interval's at 2. */
  readonly latency = new LatencyHistogram(3, 2);
  readonly inSystem = new TimeWeighted(0);
  sojournDone = 0; // Σ (exit − born) over requests that left
  bornInFlight = 0; // Σ born over requests still in the system
  inFlight = 0;
}
