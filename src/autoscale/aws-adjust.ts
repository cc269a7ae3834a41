// EC2 Auto Scaling adjustment arithmetic: adjustment types, PercentChangeInCapacity rounding,
// MinAdjustmentMagnitude, and step-adjustment selection relative to the alarm threshold.
import type { AdjustmentType, StepAdjustment } from './aws-types.ts';

/**
 * PercentChangeInCapacity rounding (EC2 Auto Scaling User Guide, "Scaling adjustment types"):
 * values > 1 round down, values in (0, 1) round to 1, values in (-1, 0) round to -1,
 * values < -1 round up (toward zero).
 */
export function roundPercentChange(raw: number): number {
  if (Number.isInteger(raw)) return raw;
  if (raw > 1) return Math.floor(raw);
  if (raw > 0) return 1;
  if (raw > -1) return -1;
  return Math.ceil(raw);
}

/** New capacity after applying one adjustment to `base` capacity. */
export function applyAdjustment(type: AdjustmentType, adjustment: number, base: number, minAdjustmentMagnitude?: number): number {
  switch (type) {
    case 'ExactCapacity':
      return adjustment;
    case 'ChangeInCapacity':
      return base + adjustment;
    case 'PercentChangeInCapacity': {
      let delta = roundPercentChange((base * adjustment) / 100);
      if (minAdjustmentMagnitude !== undefined && delta !== 0 && Math.abs(delta) < minAdjustmentMagnitude) {
        delta = Math.sign(delta) * minAdjustmentMagnitude;
      }
      return base + delta;
    }
  }
}

/**
 * The step whose interval contains (metric - threshold). Above the threshold the lower bound
 * is inclusive and the upper exclusive; below it, the lower bound is exclusive and the upper
 * inclusive (StepAdjustment API reference).
 */
export function selectStep(steps: StepAdjustment[], metric: number, threshold: number): StepAdjustment | undefined {
  const diff = metric - threshold;
  const above = metric >= threshold;
  return steps.find((s) => {
    const lo = s.lower ?? -Infinity;
    const hi = s.upper ?? Infinity;
    return above ? lo <= diff && diff < hi : lo < diff && diff <= hi;
  });
}
