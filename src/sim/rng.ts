// Seeded random streams. Each random source (arrivals, service times of a pool, routing, …) draws
// from its own stream derived from (seed, name), so adding a component leaves the others' draws
// unchanged. seedrandom's Alea hashes (seed, name) into the state of a Small Fast Counter
// generator (sfc32, from PractRand): integer arithmetic only, so identical on every machine.
import seedrandom from 'seedrandom';

export type Rng = () => number; // uniform on [0, 1), 32 bits of resolution

export function stream(seed: number, name: string): Rng {
  const init = seedrandom.alea(`headroom:${seed}:${name}`);
  let a = (init() * 4294967296) | 0, b = (init() * 4294967296) | 0, c = (init() * 4294967296) | 0, d = 1;
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next(); // PractRand's recommended warm-up for sfc32
  return next;
}
