// The calibrate command's work, loaded on demand: gather the inputs (run folders or a log and a
// scenario), check them all before anything is written, calibrate, write, and say what was fitted.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadRun, writeFileAtomic } from '../report/files.ts';
import { loadScenario } from '../scenario/index.ts';
import { didYouMean } from '../scenario/fields.ts';
import { calibrate, logStart, type LogSource, type Topology, type UpstreamCorrection } from '../bench/calibrate.ts';
import { CPU_FILE, readCpuCsv, type CpuRow } from '../bench/cpu-format.ts';
import type { CapacityRun } from '../bench/capacity.ts';
import { runLevels, type RunLevels } from '../bench/run-levels.ts';
import { VERSION } from '../model/index.ts';
import type { RunSummary, SeriesRow } from '../stats/results.ts';
import type { CalibrationFile } from '../scenario/calibration.ts';

export const LOG_FILE = 'access.log';

export interface CalibrateOptions {
  runs: string[];
  nginxLog?: string;
  scenario?: string;
  pool: string[];
  out?: string;
  skipBadLines: boolean;
}

function topologyOfScenario(file: string): { topology: Topology; name: string } {
  const sc = loadScenario(file);
  return {
    name: sc.name,
    topology: {
      file,
      pools: sc.components.flatMap((c) => (c.kind === 'pool' ? [{ name: c.name, instances: c.instances, workers: c.workers }] : [])),
      balancers: sc.components.flatMap((c) => (c.kind === 'loadBalancer' ? [{ name: c.name, upstream: c.upstream }] : [])),
    },
  };
}

/** The pools and balancers of a run, from the scenario recorded in its summary.json. */
function topologyOfRun(dir: string, s: RunSummary): Topology {
  const file = join(dir, 'summary.json');
  const comps = (s.scenarioSource as { components?: unknown })?.components;
  if (!Array.isArray(comps)) throw new Error(`${file}: scenarioSource.components: expected the scenario as run (or give --scenario FILE)`);
  const pools: Topology['pools'] = [], balancers: Topology['balancers'] = [];
  comps.forEach((c: Record<string, unknown>, i) => {
    if (c?.kind === 'pool' && typeof c.name === 'string') {
      pools.push({ name: c.name, instances: Number(c.instances) || 1, workers: Number(c.workers) || 1 });
    } else if (c?.kind === 'loadBalancer' && typeof c.name === 'string' && typeof c.upstream === 'string') {
      balancers.push({ name: c.name, upstream: c.upstream });
    } else throw new Error(`${file}: scenarioSource.components[${i}]: expected a pool or a loadBalancer with a name`);
  });
  return { file: `${file} (scenarioSource)`, pools, balancers };
}

function parsePoolMap(entries: string[], topology: Topology): Record<string, string> {
  const out: Record<string, string> = {};
  const pools = topology.pools.map((p) => p.name);
  for (const e of entries) {
    const m = /^([^=\s]+)=([^=\s]+)$/.exec(e);
    if (m === null) throw new Error(`--pool ${e}: expected UPSTREAM=POOL, like --pool saler_backend=web`);
    const [, up, pool] = m;
    if (!pools.includes(pool!)) {
      const dym = didYouMean(pool!, pools);
      throw new Error(`--pool ${e}: no pool "${pool}" in ${topology.file}; ${dym !== undefined ? `did you mean "${dym}"?` : `its pools are ${pools.join(', ')}`}`);
    }
    out[up!] = pool!;
  }
  return out;
}

interface BenchRun {
  dir: string;
  summary: RunSummary;
  rows: SeriesRow[];
  levels: RunLevels;
  cpu: CpuRow[];
}

async function loadBenchRun(dir: string): Promise<BenchRun> {
  const { summary, rows } = await loadRun(dir);
  const log = join(dir, LOG_FILE);
  if (!existsSync(log)) throw new Error(`${log}: not found (calibrate reads the nginx access log a bench run keeps; a simulated run has none)`);
  const cpuFile = join(dir, CPU_FILE);
  const cpu = existsSync(cpuFile) ? readCpuCsv(readFileSync(cpuFile, 'utf8'), cpuFile) : [];
  return { dir, summary, rows, levels: runLevels(summary, rows), cpu };
}

/** The lowest load level over the runs: its run, its rate and its intervals as run-time ranges. */
function lowestLevel(runs: BenchRun[]): { run: BenchRun; rate: number; window: Array<[number, number]> } {
  let best: { run: BenchRun; k: number; rate: number } | null = null;
  for (const run of runs) {
    run.levels.rates.forEach((rate, k) => {
      if (run.levels.levelOf.includes(k) && (best === null || rate < best.rate)) best = { run, k, rate };
    });
  }
  if (best === null) throw new Error(`${runs[0]!.dir}: no load level (no sample interval after warmup at one offered rate)`);
  const { run, k, rate } = best as { run: BenchRun; k: number; rate: number };
  const ends = run.levels.rows.map((r) => r.time);
  const window = ends.flatMap((t, i): Array<[number, number]> => (run.levels.levelOf[i] === k ? [[i === 0 ? 0 : ends[i - 1]!, t]] : []));
  return { run, rate, window };
}

export async function runCalibrate(o: CalibrateOptions): Promise<{ file: string; calibration: CalibrationFile; text: string }> {
  if (o.runs.length > 0 && o.nginxLog !== undefined) throw new Error('calibrate: give bench run folders or --nginx-log FILE, not both');
  if (o.runs.length === 0 && o.nginxLog === undefined) throw new Error('calibrate: name a bench run folder, or --nginx-log FILE with --scenario FILE');
  let topology: Topology, log: LogSource, out: string, cpuRuns: CapacityRun[] = [], from: Record<string, unknown>;
  let upstreamOwn: Record<string, { atPool: number; wait: number }> | undefined;
  if (o.nginxLog !== undefined) {
    if (o.scenario === undefined) throw new Error('calibrate --nginx-log: --scenario FILE is needed to name the pools the log is mapped to');
    if (!existsSync(o.nginxLog)) throw new Error(`${o.nginxLog}: not found (the nginx access log to calibrate from)`);
    const t = topologyOfScenario(o.scenario);
    topology = t.topology;
    log = { file: o.nginxLog, start: null, window: null, label: 'every line of the log' };
    out = o.out ?? join('reports', t.name, 'calibration.json');
    from = { kind: 'nginx-log', scenario: o.scenario };
  } else {
    const runs = await Promise.all(o.runs.map(loadBenchRun));
    topology = o.scenario !== undefined ? topologyOfScenario(o.scenario).topology : topologyOfRun(runs[0]!.dir, runs[0]!.summary);
    const low = lowestLevel(runs);
    const file = join(low.run.dir, LOG_FILE);
    log = {
      file,
      start: await logStart(file, o.skipBadLines),
      window: low.window,
      label: `the ${Number(low.rate.toPrecision(4))} req/s level of ${low.run.dir} (${low.window.length} sample intervals)`,
    };
    cpuRuns = runs.filter((r) => r.cpu.length > 0).map((r) => ({ cpu: r.cpu, levels: r.levels, rows: r.rows, cores: r.summary.bench?.cores ?? null }));
    // The upstreams' own time at the pool and wait are in the summary for the whole run: they are the fitted requests' only when the run is one level.
    if (low.run.levels.rates.length === 1) {
      for (const [name, c] of Object.entries(low.run.summary.components)) {
        if (c.kind === 'pool' && c.wait?.count > 0 && c.latency.count > 0) (upstreamOwn ??= {})[name] = { atPool: c.latency.mean, wait: c.wait.mean };
      }
    }
    out = o.out ?? join(runs[0]!.dir, 'calibration.json');
    from = { kind: 'bench', runs: o.runs, scenario: topology.file, cpu: cpuRuns.length > 0 ? `${CPU_FILE} of ${cpuRuns.length} run(s)` : 'none' };
  }
  const poolOf = parsePoolMap(o.pool, topology);
  const calibration = await calibrate({ topology, log, poolOf, skipBadLines: o.skipBadLines, cpuRuns, version: VERSION, from, upstreamOwn });
  if (Object.keys(calibration.pools).length === 0) throw new Error(`${log.file}: no request served by a pool of ${topology.file} in ${log.label}: nothing to fit`);
  const text = JSON.stringify(calibration, null, 2) + '\n';
  await writeFileAtomic(out, text);
  return { file: resolve(out), calibration, text: describe(calibration, resolve(out)) };
}

const pct = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)}%`;

function describe(c: CalibrationFile, file: string): string {
  const lines = [`calibrated on ${String(c.from.fittedOn)} of ${String(c.from.log)}: ${String(c.from.lines)} lines`];
  if (c.from.badLinesSkipped) lines.push(`  skipped ${String(c.from.badLinesSkipped)} unreadable lines; the first: ${String(c.from.firstBadLine)}`);
  for (const [name, p] of Object.entries(c.pools)) {
    const f = p.fit as { summary: string; n: number; ks: { distance: number; critical: number }; quantiles: Record<string, { error: number }> };
    const s = p.source as { utilisation: number | null; upstreamTimes?: UpstreamCorrection };
    lines.push(`pool ${name}: ${f.summary} (n ${f.n}, KS ${f.ks.distance.toFixed(4)}, 1% critical ${f.ks.critical.toFixed(4)}; ` +
      `quantile error p50 ${pct(f.quantiles.p50!.error)}, p90 ${pct(f.quantiles.p90!.error)}, p99 ${pct(f.quantiles.p99!.error)}` +
      `${s.utilisation !== null ? `; utilisation while fitted ${(s.utilisation * 100).toFixed(1)}%` : ''})`);
    const w = s.upstreamTimes, ms = (x: number) => `${(x * 1000).toFixed(2)} ms`;
    if (w) {
      lines.push(w.applied
        ? `  the upstreams held a worker ${ms(w.service)} (waited ${ms(w.wait)}); nginx saw ${ms(w.transport)} more (transport): service scaled ×${w.factor.toFixed(3)}, transport added to the overhead${w.share > 0.5 ? '; they waited over half of their time: the shape is wider than the service\'s, fit a run at lower load for it' : ''}`
        : `  the upstreams waited ${ms(w.wait)} for a worker (${(w.share * 100).toFixed(1)}% of nginx's upstream time): ${w.note}`);
    }
    const cap = p.capacity as { perInstance?: number; cores?: number; cpuPerRequest?: number; r2?: number; levels?: number; note?: string } | undefined;
    if (cap?.perInstance !== undefined) {
      lines.push(`  capacity ${cap.perInstance.toFixed(1)} req/s per instance at ${cap.cores} core${cap.cores === 1 ? '' : 's'} (CPU ${(cap.cpuPerRequest! * 1000).toFixed(2)} ms/request, R² ${cap.r2!.toFixed(3)}, ${cap.levels} levels)${p.workers !== undefined ? `: workers → ${p.workers}` : ''}`);
    } else if (cap?.note) lines.push(`  capacity: ${cap.note}`);
  }
  for (const [name, b] of Object.entries(c.balancers)) lines.push(`balancer ${name}: overhead ${(b.fit as { summary: string }).summary}`);
  lines.push(`written: ${file}`);
  return lines.join('\n') + '\n';
}
