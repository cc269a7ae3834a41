// npm run bench:histogram — why latency goes into headroom's own log-linear histogram rather than
// hdr-histogram-js: nanoseconds per recorded value, on the same values, and the percentiles each
// reports for them (they must agree to the histograms' precision).
import * as hdr from 'hdr-histogram-js';
import { LogHistogram } from '../src/stats/log-histogram.ts';
import { stream } from '../src/sim/rng.ts';

const N = 5_000_000;
const rng = stream(1, 'bench');
const values = new Float64Array(1 << 16);
for (let i = 0; i < values.length; i++) values[i] = Math.exp(Math.log(0.03) + 0.9 * Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng()));
const mask = values.length - 1;

function time(label: string, record: (v: number) => void): number {
  for (let i = 0; i < 200_000; i++) record(values[i & mask]); // warm up
  let best = Infinity;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    for (let i = 0; i < N; i++) record(values[i & mask]);
    best = Math.min(best, ((performance.now() - t0) * 1e6) / N);
  }
  console.log(`${label.padEnd(34)} ${best.toFixed(1).padStart(6)} ns per value (best of 3 × ${N.toLocaleString('en-US')})`);
  return best;
}

const own = new LogHistogram(10);
const js = hdr.build({ bitBucketSize: 64, numberOfSignificantValueDigits: 3, useWebAssembly: false });
hdr.initWebAssemblySync();
const wasm = hdr.build({ bitBucketSize: 64, numberOfSignificantValueDigits: 3, useWebAssembly: true });
const a = time('headroom LogHistogram (3 digits)', (v) => own.record(v));
const b = time('hdr-histogram-js, JS (3 digits)', (v) => js.recordValue(Math.round(v * 1e6)));
const c = time('hdr-histogram-js, WASM (3 digits)', (v) => wasm.recordValue(Math.round(v * 1e6)));
console.log(`ratio: JS ${(b / a).toFixed(1)}×, WASM ${(c / a).toFixed(1)}× the time of LogHistogram`);
for (const p of [50, 99, 99.9]) {
  console.log(`p${p}: LogHistogram ${(own.percentile(p) * 1e3).toFixed(3)} ms, hdr-histogram-js ${(js.getValueAtPercentile(p) / 1e3).toFixed(3)} ms`);
}
wasm.destroy();
