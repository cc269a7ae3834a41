// Rate curves, normalised: rates in requests per second, times in seconds from the run start.
export type Curve =
  | { kind: 'constant'; rate: number }
  /** Linear from `from` at `start` to `to` at `end`; flat outside. */
  | { kind: 'ramp'; from: number; to: number; start: number; end: number }
  /** `initial` until the first step; each step sets the rate from `at` on. Steps sorted by `at`. */
  | { kind: 'step'; initial: number; steps: Array<{ at: number; rate: number }> }
  /** Flash crowd: base, linear rise to peak over `rise` from `at`, hold, then exponential decay with time constant `decay`. */
  | { kind: 'spike'; base: number; peak: number; at: number; rise: number; hold: number; decay: number }
  /** Daily sine: max at peakHour, min twelve hours (half a period) later. */
  | { kind: 'diurnal'; min: number; max: number; peakHour: number; period: number }
  | { kind: 'sum'; of: Curve[] }
  /** Pointwise product, e.g. a diurnal day times a dimensionless weekly factor. */
  | { kind: 'product'; of: Curve[] }
  /** A replayed trace: rate at sample times, held (step) or interpolated (linear); before the first / after the last sample the end values hold. */
  | { kind: 'trace'; times: number[]; rates: number[]; interpolate: 'step' | 'linear'; source: string };
