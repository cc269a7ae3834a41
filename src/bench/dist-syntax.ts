// A fitted distribution written back in the scenario's own syntax (src/scenario/dist.ts), so a
// calibration value can be pasted into a scenario file as is, and read back by the same parser.
import { mean } from '../sim/distribution.ts';
import type { Dist } from '../sim/distribution-types.ts';
import type { Parametric } from './families.ts';

const Z99 = 2.3263478740408408;

/** Rounds to 6 significant digits: the fit's own error is far larger, and the file stays readable. */
const r6 = (x: number) => Number(x.toPrecision(6));

export function distSyntax(d: Dist | Parametric): unknown {
  switch (d.kind) {
    case 'lognormal': return { dist: 'lognormal', mu: r6(d.mu), sigma: r6(d.sigma) };
    case 'gamma': return { dist: 'gamma', shape: r6(d.shape), scale: r6(d.scale) };
    case 'empirical': return { dist: 'empirical', samples: d.samples.map(r6) };
    case 'constant': return d.value;
    default: throw new Error(`calibration writes lognormal, gamma and empirical fits only, not ${d.kind}`);
  }
}

const ms = (s: number) => `${Number((s * 1000).toPrecision(3))} ms`;

/** One line a person reads: "lognormal, median 35.1 ms, p99 121 ms". */
export function describeDist(d: Dist): string {
  switch (d.kind) {
    case 'lognormal': return `lognormal, median ${ms(Math.exp(d.mu))}, p99 ${ms(Math.exp(d.mu + Z99 * d.sigma))}`;
    case 'gamma': return `gamma, mean ${ms(d.shape * d.scale)}, cv ${Number((1 / Math.sqrt(d.shape)).toPrecision(3))}`;
    case 'empirical': return `empirical, ${d.samples.length} quantiles, mean ${ms(mean(d))}`;
    default: return d.kind;
  }
}
