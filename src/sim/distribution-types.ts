// The one distribution type. Scenario files' human forms (median+p99, mean+cv, "20ms") are
// normalised into these parameterisations by src/scenario; samplers live in ./distribution.ts.
export type Dist =
  | { kind: 'constant'; value: number }
  | { kind: 'exponential'; mean: number }
  | { kind: 'uniform'; min: number; max: number }
  /** Normal truncated at zero by resampling: a duration is never negative. */
  | { kind: 'normal'; mean: number; sd: number }
  /** ln X ~ N(mu, sigma²). */
  | { kind: 'lognormal'; mu: number; sigma: number }
  | { kind: 'gamma'; shape: number; scale: number }
  /** Pareto type I: P(X > x) = (scale / x)^shape for x >= scale. */
  | { kind: 'pareto'; scale: number; shape: number }
  /** Resamples the given values uniformly (bootstrap of a measured sample). */
  | { kind: 'empirical'; samples: number[] };
