// Kubernetes resource.Quantity parsing ("100", "500m", "256Mi", "1.5", "2e3").
// Returns the milli-value rounded up, as Quantity.MilliValue() does, because the
// HPA controller does all its arithmetic on int64 milli-values.
import { PolicyError, describe } from './policy-error.ts';

const SUFFIX: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const QUANTITY_RE = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$/;

/** Parses a quantity (string, or a bare YAML number) to its plain numeric value. */
export function parseQuantity(v: unknown, path: string): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v !== 'string') throw new PolicyError(path, 'a Kubernetes quantity like "100", "500m" or "256Mi"', describe(v));
  const m = QUANTITY_RE.exec(v.trim());
  if (!m) throw new PolicyError(path, 'a Kubernetes quantity like "100", "500m" or "256Mi"', describe(v));
  const base = Number(m[1]);
  if (m[3] !== undefined) return base * 10 ** Number(m[3]);
  return base * SUFFIX[m[2] ?? ''];
}

/** Value × 1000 rounded up (Quantity.MilliValue semantics), robust to float noise like 0.1*1000. */
export function toMilli(value: number): number {
  const scaled = value * 1000;
  const rounded = Math.round(scaled);
  if (Math.abs(scaled - rounded) < 1e-6) return rounded;
  return Math.ceil(scaled);
}
