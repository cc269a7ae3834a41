// Per-instance capacity by the utilisation law, U = X·D (Denning & Buzen): an upstream process's
// CPU utilisation U (cores busy) grows with its throughput X (requests/s) by D, the CPU seconds one
// request costs. Over runs at several load levels, U = U₀ + D·X is fitted by least squares
// (simple-statistics linearRegression) to one point per pool per sample interval: the pool's
// cores (cpu.csv, its instances' processes) and throughput (timeseries.csv) shared over the
// instances that reported, so a point is an average instance. U₀ is what an instance burns idle.
// An instance saturates when U reaches the cores it can use: a CPU-bound bench upstream runs its
// requests on `workers` threads (src/bench/upstream/cpu-work.ts), so it can keep min(workers,
// cores) cores busy, cores being the machine's (recorded by the bench run; one when a run predates
// that record). Its capacity is X = (min(workers, cores) − U₀)/D. The instances, nginx and the
// generator share those cores: the fit is per average instance at the loads measured, and a
// machine with fewer cores than the stack's instances × workers runs them by processor sharing,
// which the model's independent workers do not. Only intervals inside a load level count
// (transitions and warmup are left out: the law holds in steady state).
import { linearRegression, linearRegressionLine, rSquared } from 'simple-statistics';
import type { SeriesRow } from '../stats/results.ts';
import type { CpuRow } from './cpu-format.ts';
import type { RunLevels } from './run-levels.ts';

export interface Capacity {
  perInstance: number; // requests/s one instance serves with its usable cores saturated
  cores: number; // the cores one instance can keep busy: min(workers, the machine's)
  cpuPerRequest: number; // D, CPU seconds per request
  idleCpu: number; // U₀, cores
  r2: number;
  points: number;
  levels: number; // distinct load levels the points span
}

export type CapacityResult = { ok: true; capacity: Capacity } | { ok: false; why: string };

export interface CapacityRun {
  cpu: CpuRow[];
  levels: RunLevels;
  rows: SeriesRow[]; // the run's whole time series (the pool's own rows are used)
  /** The machine's cores during the run (summary.bench.cores), null when the run did not record them. */
  cores: number | null;
}

const near = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));

/** Fits the utilisation law for `pool` (whose instances run `workers` requests at once) from each run's CPU figures, pool throughput and load levels. */
export function fitCapacity(pool: string, runs: CapacityRun[], workers: number): CapacityResult {
  const points: Array<[number, number]> = [];
  const levelKeys = new Set<string>();
  runs.forEach(({ cpu, levels, rows }, r) => {
    const ends = levels.rows.map((x) => x.time);
    const poolRows = rows.filter((x) => x.component === pool);
    ends.forEach((t, i) => {
      if (levels.levelOf[i]! < 0) return;
      const here = cpu.filter((c) => c.pool === pool && near(c.time, t));
      const served = poolRows.find((x) => near(x.time, t));
      if (here.length === 0 || served === undefined) return;
      const n = here.length;
      points.push([served.throughput / n, here.reduce((s, c) => s + c.cores, 0) / n]);
      levelKeys.add(`${r}:${levels.levelOf[i]}`);
    });
  });
  if (points.length === 0) return { ok: false, why: `no CPU figures for pool ${pool} inside a load level` };
  if (levelKeys.size < 2) return { ok: false, why: `CPU figures span ${levelKeys.size} load level; the utilisation law needs runs at two or more` };
  const fit = linearRegression(points);
  if (!(fit.m > 0)) return { ok: false, why: `CPU does not grow with throughput (slope ${fit.m.toExponential(2)} s/request)` };
  const r2 = rSquared(points, linearRegressionLine(fit));
  const known = runs.flatMap((r) => (r.cores !== null && r.cores > 0 ? [r.cores] : []));
  const cores = Math.min(workers, known.length > 0 ? Math.min(...known) : 1);
  return {
    ok: true,
    capacity: { perInstance: (cores - fit.b) / fit.m, cores, cpuPerRequest: fit.m, idleCpu: fit.b, r2, points: points.length, levels: levelKeys.size },
  };
}
