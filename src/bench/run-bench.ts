// `headroom bench`: start the stack the scenario describes (or take --target), drive the scenario's
// traffic at it for `duration` seconds, sample every interval, stop everything, and write the run
// folder in the simulator's format plus what only a live run has (nginx.conf, access.log,
// error.log, cpu.csv, generator.csv). Nothing is left behind on failure or interrupt: the stack is
// stopped, its private prefix removed, and the results are written only when the run completed.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, rmdirSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join, resolve } from 'node:path';
import type { PoolConfig, Scenario } from '../scenario/types.ts';
import type { ComponentSummary, RunSummary, SeriesRow } from '../stats/results.ts';
import { ClosedDriver } from './driver/closed.ts';
import type { Driver } from './driver/driver.ts';
import { OpenDriver } from './driver/open.ts';
import { LATE } from './driver/stats.ts';
import { CpuMeter } from './cpu.ts';
import { LiveStack, StackError } from './stack.ts';
import { DEFAULT_CONNECTIONS, benchInterval, classTargets, loadAverage, scaledCurve } from './plan.ts';
import { cleanStale } from './stale.ts';
import { PoolSeries } from './pool-series.ts';
import { Fleet } from './fleet.ts';
import { LiveScaler } from './live-scaler.ts';
import { balancersFromLog } from './log-series.ts';
import { allRow, generatorCsv, generatorWarnings, type GeneratorRow } from './generator-rows.ts';
import { measuredSummary } from './summary.ts';
import type { WorkMode } from './upstream/protocol.ts';

export interface BenchOptions {
  scenario: Scenario;
  duration: number; // s of traffic
  mode: WorkMode;
  out: string;
  /** Drive this instead of building a stack. */
  target?: { host: string; port: number; path: string; url: string };
  /** nginx's listen port (default: a free one). */
  port?: number;
  /** Open model: connections per target port at most. */
  maxConnections?: number;
  /** Stop-the-world pauses of an instance (the coordinated-omission check): at `at` s for `seconds`. */
  stalls?: Array<{ pool: string; instance: number; at: number; seconds: number }>;
  /** Sees every finished request: due time, end, actual send (bench s) and cause (OK = -1). */
  observe?: (intended: number, end: number, sentAt: number, cause: number) => void;
  /** Called with each interval's end-to-end row as it is measured (progress). */
  onInterval?: (row: SeriesRow, generator: GeneratorRow) => void;
}

export interface BenchResult {
  summary: RunSummary;
  rows: SeriesRow[];
  /** Files to write into the run folder (the stack's own files are moved there by `finish`). */
  files: Record<string, string>;
  /** Moves nginx.conf, access.log, error.log into the run folder and removes the stack's prefix. */
  finish(): void;
  /** Removes the stack's prefix without keeping anything (when writing the results failed). */
  discard(): void;
  /** The stalls as they happened, in bench s (SIGSTOP sent … SIGCONT sent). */
  stalled: Array<{ pool: string; instance: number; from: number; to: number }>;
}

/** The run was interrupted (SIGINT/SIGTERM): everything was stopped and nothing written. */
export class BenchInterrupted extends Error {
  constructor(readonly signal: NodeJS.Signals) {
    super(`interrupted by ${signal}: the stack was stopped, nothing written`);
  }
}

export async function runBench(o: BenchOptions): Promise<BenchResult> {
  const sc = o.scenario, out = resolve(o.out), T = o.duration;
  const k = sc.duration / T, interval = benchInterval(sc, k, T), warmup = sc.warmup / k;
  let interrupted: NodeJS.Signals | null = null;
  let driver: Driver | null = null;
  const onSignal = (sig: NodeJS.Signals) => { interrupted ??= sig; driver?.abort(); };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const createdOut = !existsSync(out);
  const prefix = join(out, `.stack-${process.pid}`);
  let stack: LiveStack | null = null;
  let scalers: LiveScaler[] = [];
  const discard = () => {
    rmSync(prefix, { recursive: true, force: true });
    if (createdOut) try { if (readdirSync(out).length === 0) rmdirSync(out); } catch { /* not ours to remove */ }
  };
  try {
    await cleanStale();
    if (!o.target) {
      mkdirSync(out, { recursive: true });
      stack = await LiveStack.start({ scenario: sc, prefix, mode: o.mode, port: o.port });
    }
    if (interrupted) throw new BenchInterrupted(interrupted);
    const cfg = {
      targets: classTargets(sc, stack, o.target), weights: sc.mix.map((m) => m.weight), clients: sc.clients,
      seed: sc.seed, duration: T, warmup, maxConnections: o.maxConnections ?? DEFAULT_CONNECTIONS,
    };
    const w = sc.workload;
    driver = w.model === 'open' ? new OpenDriver(cfg, scaledCurve(sc, k)) : new ClosedDriver(cfg, w.users, w.thinkTime);
    const d = driver;
    if (o.observe) d.stats.observe = o.observe;
    // An autoscaled pool's fleet is steered by its policy on the live stack (./live-scaler.ts); others keep their instances.
    const poolCfgs = sc.components.filter((c): c is PoolConfig => c.kind === 'pool');
    scalers = stack ? poolCfgs.flatMap((p) => (p.autoscaling ? [new LiveScaler(stack!, p, p.autoscaling, k, () => d.now())] : [])) : [];
    const pools = new Map(poolCfgs.map((p) => [p.name, new PoolSeries(p, scalers.find((s) => s.cfg === p)?.fleet ?? new Fleet(p.instances))]));
    const driverRows: SeriesRow[] = [], genRows: GeneratorRow[] = [];
    const cpu = new CpuMeter();
    const procs = () => stack ? [
      ...stack.nginxPids().map((pid, i) => ({ pid, name: i === 0 ? 'nginx' : 'nginx-worker' })),
      ...stack.processes().map((u) => ({ pid: u.pid, name: u.name })),
    ] : [];
    let last = 0, chain = Promise.resolve(), busiest = loadAverage();
    const take = (time: number) => {
      const dt = time - last;
      if (dt <= 1e-6) return;
      last = time;
      const fig = d.stats.takeInterval();
      const share = cpu.sample(time, dt, procs());
      busiest = Math.max(busiest, loadAverage());
      const g: GeneratorRow = { time, due: fig.arrivals / dt, sent: fig.sent / dt, late: fig.late, lagP99: fig.lag.p99, lagMax: fig.lag.max, cpu: share };
      const row = allRow(time, dt, fig);
      driverRows.push(row);
      genRows.push(g);
      o.onInterval?.(row, g);
      if (stack) {
        const s = stack;
        const fleets = new Map([...pools].map(([name, series]) => [name, series.fleet.snapshot(time)]));
        chain = chain.then(async () => {
          const samples = await s.sample();
          for (const [name, series] of pools) series.add(time, dt, samples.get(name) ?? [], fleets.get(name)!);
        });
      }
    };
    let died: string | null = null;
    if (stack) stack.onNginxDeath = (reason) => { died = reason; d.abort(); };
    const timers: NodeJS.Timeout[] = [];
    const stalled: BenchResult['stalled'] = [], stalls: Array<Promise<void>> = [];
    const running = d.run();
    // Ticks start with the driver's clock (its connections open first).
    const started = (async () => {
      while (d.epoch0 === 0 && !interrupted) await new Promise((r) => setTimeout(r, 5));
      cpu.start(procs());
      if (!interrupted) for (const s of scalers) s.start();
      let n = 1;
      const t0 = performance.now();
      const tick = () => {
        if (n * interval >= T - 1e-9) return;
        take(n * interval);
        n++;
        timers.push(setTimeout(tick, Math.max(0, t0 + n * interval * 1000 - performance.now())));
      };
      timers.push(setTimeout(tick, interval * 1000));
      if (stack && warmup > 0) timers.push(setTimeout(() => stack!.endWarmup(), warmup * 1000));
      for (const s of o.stalls ?? []) {
        timers.push(setTimeout(() => {
          const p = stack?.stall(s.pool, s.instance, s.seconds).then(({ from, to }) => {
            const base = performance.now() / 1000 - d.now();
            stalled.push({ pool: s.pool, instance: s.instance, from: from - base, to: to - base });
          });
          if (p) stalls.push(p);
        }, s.at * 1000));
      }
    })();
    await running;
    await started;
    await Promise.all(scalers.map((s) => s.stop()));
    for (const t of timers) clearTimeout(t);
    await Promise.all(stalls);
    if (interrupted) throw new BenchInterrupted(interrupted);
    if (died) throw new StackError(died);
    take(T);
    await chain;
    const finals = stack ? await stack.sample(true) : new Map();
    if (died) throw new StackError(died);
    d.close();
    if (stack) await stack.stop();
    const components: Record<string, ComponentSummary> = {};
    const balancerRows = stack ? await balancersFromLog(sc, stack, interval, T, d.epoch0) : new Map();
    for (const c of sc.components) {
      if (c.kind === 'pool' && stack) {
        const pool = pools.get(c.name)!.summary(T, finals.get(c.name) ?? []);
        const scaler = scalers.find((s) => s.cfg === c);
        if (scaler) pool.autoscaling = scaler.report(T);
        components[c.name] = pool;
      }
      else if (c.kind === 'loadBalancer' && balancerRows.has(c.name)) components[c.name] = balancerRows.get(c.name)!.summary;
    }
    const rows: SeriesRow[] = [];
    driverRows.forEach((r, i) => {
      rows.push(r);
      if (!stack) return;
      for (const c of sc.components) {
        const x = c.kind === 'pool' ? pools.get(c.name)!.rows[i] : balancerRows.get(c.name)?.rows[i];
        if (x) rows.push(x);
      }
    });
    const st = d.stats;
    const lag = st.lag.percentiles([50, 99]), fromSend = st.fromSend.percentiles([50, 99]);
    const shares = genRows.map((g) => g.cpu);
    const summary = measuredSummary({
      scenario: sc, duration: T, warmup, sampleInterval: interval, stats: st, components, rows,
      scaling: scalers.flatMap((s) => s.events).sort((a, b) => a.time - b.time),
      bench: {
        mode: o.target ? null : o.mode, target: o.target?.url ?? null, workload: sc.workload.model,
        timeScale: k, scenarioDuration: sc.duration, offered: st.arrivals, sent: st.sent, late: st.late, lateAfter: LATE, resent: st.resent,
        lag: { p50: lag[0], p99: lag[1], max: st.lag.max },
        latencyFromSend: { p50: fromSend[0], p99: fromSend[1], max: st.fromSend.max },
        generatorCpu: { mean: shares.reduce((a, b) => a + b, 0) / Math.max(1, shares.length), max: Math.max(0, ...shares) },
        connections: d.connections, cores: availableParallelism(),
        warnings: [...generatorWarnings(genRows, st, d.connections, cfg.maxConnections), ...(stack?.notes ?? []),
          ...scalers.flatMap((s) => s.notes),
          ...(o.target ? poolCfgs.filter((p) => p.autoscaling).map((p) => `pool ${p.name} has autoscaling: not run against --target (headroom scales only the stack it built)`) : []),
          ...(scalers.length > 0 && k !== 1 ? [`autoscaling ran on the scenario's clock: its sync period, scrape interval, window, stabilisation and cooldowns, bootTime and readinessDelay ${+k.toFixed(3)}× shorter in real time, like the curve`] : []),
          ...(busiest > cpus().length ? [`the machine was busy: load average up to ${busiest.toFixed(1)} on ${cpus().length} cores during the run (timers, and so I/O-bound service times, run late when processes wait for a CPU)`] : []),
          ...(k !== 1 ? [`the scenario's ${sc.duration} s curve runs in ${T} s: time compressed ${+k.toFixed(3)}×, rates as written`] : [])],
      },
    });
    const files: Record<string, string> = {
      'summary.json': JSON.stringify(summary, null, 2) + '\n',
      'cpu.csv': cpu.csv(),
      'generator.csv': generatorCsv(genRows),
    };
    return {
      summary, rows, files, stalled,
      finish() {
        if (stack) for (const f of ['nginx.conf', 'access.log', 'error.log']) {
          if (existsSync(join(prefix, f))) renameSync(join(prefix, f), join(out, f));
        }
        rmSync(prefix, { recursive: true, force: true });
      },
      discard,
    };
  } catch (e) {
    for (const s of scalers) await s.stop();
    driver?.abort();
    driver?.close();
    await stack?.stop();
    discard();
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
