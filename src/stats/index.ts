export { LatencyHistogram } from './latency.ts';
export { TimeWeighted } from './time-weighted.ts';
export { ci95, t975, type Interval } from './confidence.ts';
export * from './results.ts';
