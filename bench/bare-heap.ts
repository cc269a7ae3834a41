// The kernel alone: the M/M/c event pattern of scenarios/mmc.yaml with no model around it — the
// reference bench:engine holds headroom's engine against. The same pieces headroom's run uses
// (src/sim's EventHeap, seeded stream and exponential sampler) and the same event pattern:
// arrivals in a register beside the heap, each service end a heap event, waiting customers in a
// FIFO of typed arrays. No requests, components, counters, histograms or series.
import { EventHeap } from '../src/sim/event-heap.ts';
import { stream } from '../src/sim/rng.ts';
import { sampler } from '../src/sim/distribution.ts';

export interface BareResult {
  customers: number;
  meanWait: number;
}

export function bareMmc(customers: number, lambda: number, meanService: number, servers: number, seed: number): BareResult {
  const heap = new EventHeap(1024);
  const interarrival = sampler({ kind: 'exponential', mean: 1 / lambda }, stream(seed, 'arrivals'));
  const service = sampler({ kind: 'exponential', mean: meanService }, stream(seed, 'service'));
  let waiting = new Float64Array(1024); // arrival times of waiting customers, a ring
  let head = 0, queued = 0;
  let busy = 0, arrived = 0, done = 0, waitSum = 0;
  let next = interarrival();
  for (;;) {
    if (arrived < customers && next <= heap.peekTime()) {
      const now = next;
      next = now + interarrival();
      arrived++;
      if (busy < servers) {
        busy++;
        heap.push(now + service(), 0, 0);
      } else {
        if (queued === waiting.length) {
          const w = new Float64Array(queued * 2);
          for (let k = 0; k < queued; k++) w[k] = waiting[(head + k) & (queued - 1)];
          waiting = w;
          head = 0;
        }
        waiting[(head + queued++) & (waiting.length - 1)] = now;
      }
    } else if (heap.pop()) {
      const now = heap.time;
      done++;
      if (queued > 0) {
        waitSum += now - waiting[head];
        head = (head + 1) & (waiting.length - 1);
        queued--;
        heap.push(now + service(), 0, 0);
      } else busy--;
    } else break;
  }
  return { customers: done, meanWait: waitSum / done };
}
