import { EventHeap } from '../src/sim/event-heap.ts';
import { stream } from '../src/sim/rng.ts';
const N = 3_000_000, lam = 9, c = 10;
for (let rep = 0; rep < 3; rep++) {
const h = new EventHeap(64); const ra = stream(1, 'a'), rs = stream(1, 's');
let busy = 0, q = 0, done = 0, now = 0;
const t0 = performance.now();
h.push(-Math.log(1 - ra()) / lam, 0, 0);
while (done < N && h.pop()) {
  now = h.time;
  if (h.kind === 0) { h.push(now - Math.log(1 - ra()) / lam, 0, 0); if (busy < c) { busy++; h.push(now - Math.log(1 - rs()), 1, 0); } else q++; }
  else { done++; if (q > 0) { q--; h.push(now - Math.log(1 - rs()), 1, 0); } else busy--; }
}
const dt = (performance.now() - t0) / 1000;
console.log('bare kernel', Math.round(N / dt), '/s');
}
