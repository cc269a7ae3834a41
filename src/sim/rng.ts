// Seeded random streams. Each random source (arrivals, service times of a pool, routing, …) draws
// from its own stream derived from (seed, name), so adding a component leaves the others' draws
// unchanged. Alea: fast, and pure float arithmetic, so identical on every machine.
import seedrandom from 'seedrandom';

export type Rng = () => number; // uniform on [0, 1)

export function stream(seed: number, name: string): Rng {
  return seedrandom.alea(`headroom:${seed}:${name}`) as Rng;
}
