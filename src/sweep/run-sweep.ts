// Running a sweep: the points of this shard × replications on the worker pool; in search mode,
// the lines bisected in rounds (one probe per unfinished line per round, all lines' probes run
// together), so the points run are the same whatever the number of workers.
//
// Search exploits monotonicity where it holds: with a pool's `instances` (or `workers`) and no
// autoscaler, more capacity never makes latency or errors worse and always costs more, so on
// each line the cheapest passing point is the smallest passing count, found by bisection in
// ⌈log2(m+1)⌉ runs instead of m. It does NOT hold for: a pool under autoscaling (`instances` is
// only the start; the autoscaler decides the rest), HPA targets and stabilization windows (a
// lower target scales earlier but can oscillate; cost and latency trade off non-monotonically),
// balancer weights and retry settings, and near the boundary where the verdict is noise —
// those parameters are run at every level (mark them `monotone: false`, or true to assert it).
// An inconclusive verdict counts as not passing, so the answer errs towards more capacity.
import { VERSION } from '../model/index.ts';
import { okOutcomes, type Outcome } from '../check/replicated.ts';
import type { SweepPointResult, SweepResult } from '../stats/sweep-results.ts';
import { RunPool } from './pool.ts';
import { bisected, gridPoints, inShard, randomPoints, searchLines, type Point, type Shard } from './points.ts';
import { finalize, pointResult, type SweepMeta } from './result.ts';
import type { SweepSpec } from './spec.ts';
import type { RunTask } from './task.ts';

export interface SweepPlan {
  /** Points to run now (grid, random) or the lines to bisect (search), this shard's only. */
  points: Point[];
  lines: Point[][];
  /** Items the whole sweep divides among shards. */
  items: number;
  /** Runs this shard will do at most (search: ⌈log2(m+1)⌉ probes per line). */
  runs: number;
}

export function plan(spec: SweepSpec, shard: Shard | null): SweepPlan {
  if (spec.mode === 'search') {
    const all = searchLines(spec);
    const lines = all.filter((_, i) => inShard(i, shard));
    const probes = (m: number) => (m === 1 ? 1 : Math.ceil(Math.log2(m + 1)));
    return { points: [], lines, items: all.length, runs: lines.reduce((n, l) => n + probes(l.length), 0) * spec.replications };
  }
  const all = spec.mode === 'grid' ? gridPoints(spec) : randomPoints(spec);
  const points = all.filter((p) => inShard(p.index, shard));
  return { points, lines: [], items: all.length, runs: points.length * spec.replications };
}

export function meta(spec: SweepSpec, shard: Shard | null, items: number): SweepMeta {
  const axis = spec.mode === 'search' ? bisected(spec) : null;
  return {
    format: 'headroom-sweep/1', headroom: VERSION, sweep: spec.file, scenario: spec.scenarioFile, name: spec.scenario.name,
    currency: spec.scenario.currency, mode: spec.mode, replications: spec.replications,
    parameters: spec.parameters.map((p) => ({ name: p.name, path: p.path, kind: p.kind, monotone: p.monotone })),
    bisected: axis === null ? null : spec.parameters[axis].name,
    slo: spec.scenario.slo.map((s) => ({ name: s.name, metric: s.metric, op: s.op, threshold: s.threshold })),
    fingerprint: spec.fingerprint, shard, items,
  };
}

export async function runSweep(spec: SweepSpec, shard: Shard | null, pool: RunPool, onProgress?: (fraction: number) => void): Promise<SweepResult> {
  const p = plan(spec, shard);
  const names = spec.parameters.map((x) => x.name);
  let done = 0;
  const evaluate = async (points: Point[]): Promise<SweepPointResult[]> => {
    const tasks: RunTask[] = points.flatMap((pt) => Array.from({ length: spec.replications }, (_, r) => ({
      file: spec.scenarioFile, set: [...spec.set, ...pt.levels.map((l) => l.set)], seed: spec.scenario.seed + r,
    })));
    const outcomes = okOutcomes(await pool.run(tasks, onProgress ? (f) => onProgress((done + f * tasks.length) / Math.max(1, p.runs)) : undefined));
    done += tasks.length;
    return points.map((pt, i) => pointResult(pt, names, outcomes.slice(i * spec.replications, (i + 1) * spec.replications) as Outcome[]));
  };
  let results: SweepPointResult[];
  if (spec.mode !== 'search') results = await evaluate(p.points);
  else results = await bisectLines(p.lines, evaluate);
  onProgress?.(1);
  return finalize(meta(spec, shard, p.items), results);
}

/** The first passing level of each line, all lines in step: lo fails (or −1), hi passes (or m). */
async function bisectLines(lines: Point[][], evaluate: (pts: Point[]) => Promise<SweepPointResult[]>): Promise<SweepPointResult[]> {
  const state = lines.map((l) => ({ line: l, lo: -1, hi: l.length }));
  const results: SweepPointResult[] = [];
  for (;;) {
    const open = state.filter((s) => s.hi - s.lo > 1);
    if (open.length === 0) return results;
    const probes = open.map((s) => s.line[(s.lo + s.hi) >> 1]);
    const got = await evaluate(probes);
    results.push(...got);
    open.forEach((s, i) => {
      const mid = (s.lo + s.hi) >> 1;
      if (got[i].verdict === 'pass') s.hi = mid;
      else s.lo = mid;
    });
  }
}
