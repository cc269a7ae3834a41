// The kernel: clock and event heap, seeded streams, distributions. No domain knowledge.
export { EventHeap } from './event-heap.ts';
export { stream, type Rng } from './rng.ts';
export { sampler, mean, scv, type Dist } from './distribution.ts';
