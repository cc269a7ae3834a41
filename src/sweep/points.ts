// The points of a sweep: the grid (every combination, the last parameter changing fastest), a
// seeded random draw, or the lines a search bisects; and which of them a shard runs.
import seedrandom from 'seedrandom';
import type { Level, Parameter, SweepSpec } from './spec.ts';

export interface Point {
  /** Position in the full grid (grid, search) or in the draw (random): stable across shards and worker counts. */
  index: number;
  levels: Level[];
}

export interface Shard {
  index: number; // 1-based
  count: number;
}

/** `3/40` → { index: 3, count: 40 }; null when malformed. */
export function parseShard(text: string): Shard | null {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (m === null) return null;
  const index = Number(m[1]), count = Number(m[2]);
  return count >= 1 && index >= 1 && index <= count ? { index, count } : null;
}

/** Items i with i mod count = index − 1: round-robin, so every shard gets a share of each region of the grid. */
export function inShard(i: number, shard: Shard | null): boolean {
  return shard === null || i % shard.count === shard.index - 1;
}

/** Mixed-radix position of a combination of level positions (parameters in declared order). */
export function gridIndex(params: readonly Parameter[], positions: readonly number[]): number {
  return positions.reduce((acc, pos, k) => acc * params[k].levels.length + pos, 0);
}

function* combinations(params: readonly Parameter[]): Generator<number[]> {
  const pos = params.map(() => 0);
  if (params.some((p) => p.levels.length === 0)) return;
  for (;;) {
    yield [...pos];
    let k = params.length - 1;
    while (k >= 0 && ++pos[k] === params[k].levels.length) pos[k--] = 0;
    if (k < 0) return;
  }
}

export function gridPoints(spec: SweepSpec): Point[] {
  return [...combinations(spec.parameters)].map((pos) => ({ index: gridIndex(spec.parameters, pos), levels: pos.map((i, k) => spec.parameters[k].levels[i]) }));
}

export function randomPoints(spec: SweepSpec): Point[] {
  const rng = seedrandom(`headroom-sweep:${spec.seed}`);
  return Array.from({ length: spec.samples }, (_, index) => ({
    index,
    levels: spec.parameters.map((p) => {
      if (!p.range) return p.levels[Math.floor(rng() * p.levels.length)];
      const { from, to, step, integer } = p.range;
      const u = rng();
      const v = step !== null ? from + Math.floor(u * (Math.floor((to - from) / step + 1e-9) + 1)) * step
        : integer ? from + Math.floor(u * (to - from + 1)) : from + u * (to - from);
      const value = Number(v.toPrecision(6));
      return { label: value, set: `${p.path}=${JSON.stringify(value)}`, numeric: value };
    }),
  }));
}

/** Search: the parameter bisected (the last monotone one), or null when none is (then every point is run). */
export function bisected(spec: SweepSpec): number | null {
  for (let k = spec.parameters.length - 1; k >= 0; k--) if (spec.parameters[k].monotone) return k;
  return null;
}

/** Search lines: every combination of the other parameters; a line is the bisected parameter's levels in order. */
export function searchLines(spec: SweepSpec): Point[][] {
  const axis = bisected(spec);
  if (axis === null) return gridPoints(spec).map((p) => [p]);
  const others = spec.parameters.filter((_, k) => k !== axis);
  return [...combinations(others)].map((pos) => spec.parameters[axis].levels.map((_, a) => {
    const full = [...pos.slice(0, axis), a, ...pos.slice(axis)];
    return { index: gridIndex(spec.parameters, full), levels: full.map((i, k) => spec.parameters[k].levels[i]) };
  }));
}
