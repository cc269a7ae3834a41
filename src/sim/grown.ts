// The model keeps its per-request, per-instance, per-peer and per-pod state in typed arrays that
// grow by doubling when they run out (nothing is allocated per event; a grow is rare). This is the
// one copy-into-a-longer-array they all use.
type Growable = Int32Array | Float64Array | Uint8Array;

/** A copy of `a`, `length` long: `a`'s values first, the rest 0 (or `fill`). */
export function grown<T extends Growable>(a: T, length: number, fill?: number): T {
  const b = new (a.constructor as new (n: number) => T)(length);
  if (fill !== undefined) b.fill(fill);
  b.set(a);
  return b;
}
