// Per-instance capacity by the utilisation law, U = X·D (Denning & Buzen): an upstream process's
// CPU utilisation U (cores busy) grows with its throughput X (requests/s) by D, the CPU seconds one
// request costs. Over runs at several load levels, U = U₀ + D·X is fitted by least squares
// (simple-statistics linearRegression) to one point per instance per sample interval; U₀ is what the
// process burns idle. One core saturates at X = (1 − U₀)/D: the instance's capacity, since a Node
// upstream runs its JavaScript on one thread. Points come only from intervals inside a load level
// (the transitions between levels, and warmup, are left out).
import { linearRegression, linearRegressionLine, rSquared } from 'simple-statistics';
import type { CpuRow } from './cpu-format.ts';
import type { RunLevels } from './run-levels.ts';

export interface Capacity {
  perInstance: number; // requests/s one instance serves with its core saturated
  cpuPerRequest: number; // D, CPU seconds per request
  idleCpu: number; // U₀, cores
  r2: number;
  points: number;
  levels: number; // distinct load levels the points span
}

export type CapacityResult = { ok: true; capacity: Capacity } | { ok: false; why: string };

/** Fits the utilisation law for `pool` from each run's CPU rows and load levels. */
export function fitCapacity(pool: string, runs: Array<{ cpu: CpuRow[]; levels: RunLevels }>): CapacityResult {
  const points: Array<[number, number]> = [];
  const levelKeys = new Set<string>();
  runs.forEach(({ cpu, levels }, r) => {
    const ends = levels.rows.map((x) => x.time);
    for (const row of cpu) {
      if (row.pool !== pool) continue;
      const i = ends.findIndex((t) => Math.abs(t - row.time) <= 1e-6 * Math.max(1, t));
      if (i < 0 || levels.levelOf[i]! < 0) continue;
      const dt = ends[i]! - (i === 0 ? 0 : ends[i - 1]!);
      if (dt <= 0) continue;
      points.push([row.requests / dt, row.cpuSeconds / dt]);
      levelKeys.add(`${r}:${levels.levelOf[i]}`);
    }
  });
  if (points.length === 0) return { ok: false, why: `no CPU figures for pool ${pool} inside a load level` };
  if (levelKeys.size < 2) return { ok: false, why: `CPU figures span ${levelKeys.size} load level; the utilisation law needs runs at two or more` };
  const fit = linearRegression(points);
  if (!(fit.m > 0)) return { ok: false, why: `CPU does not grow with throughput (slope ${fit.m.toExponential(2)} s/request)` };
  const r2 = rSquared(points, linearRegressionLine(fit));
  return {
    ok: true,
    capacity: { perInstance: (1 - fit.b) / fit.m, cpuPerRequest: fit.m, idleCpu: fit.b, r2, points: points.length, levels: levelKeys.size },
  };
}
