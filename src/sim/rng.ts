// Seeded random streams. Each random source (arrivals, service times of a pool, routing, …) draws
// from its own stream derived from (seed, name), so adding a component leaves the others' draws
// unchanged. seedrandom's Alea hashes (seed, name) into the state of a Small Fast Counter
// generator (sfc32, from PractRand): integer arithmetic only, so identical on every machine.
import seedrandom from 'seedrandom';

export type Rng = () => number; // uniform on [0, 1), 32 bits of resolution

export function stream(seed: number, name: string): Rng {
  const init = seedrandom.alea(`headroom:${seed}:${name}`);
  // The state in an Int32Array rather than four closed-over `let`s: V8 checks a captured `let`
  // for its temporal dead zone and keeps it tagged on every read, while int32 elements are read
  // and written as machine words. The arithmetic is sfc32's, so the draws are the same.
  const st = Int32Array.of((init() * 4294967296) | 0, (init() * 4294967296) | 0, (init() * 4294967296) | 0, 1);
  const next = () => {
    const a = st[0], b = st[1], c = st[2], d = st[3];
    const t = (((a + b) | 0) + d) | 0;
    st[3] = (d + 1) | 0;
    st[0] = b ^ (b >>> 9);
    st[1] = (c + (c << 3)) | 0;
    st[2] = (((c << 21) | (c >>> 11)) + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next(); // PractRand's recommended warm-up for sfc32
  return next;
}
