// The real decision engine steering the real stack: for a pool with `autoscaling`, the policy
// (src/autoscale, through the same PolicyRunner the simulator's src/model/scaler.ts uses) decides
// on metrics measured on the live processes, and its decisions start and stop upstream processes.
//
// Metrics, scraped every `metrics.scrapeInterval` and averaged over `metrics.window` (the
// simulator's CounterWindow and figure names, src/autoscale/metric-window.ts):
//   cpu          the process's own CPU from /proc/PID/stat (utime + stime, 10 ms ticks), in
//                millicores — real CPU: in --mode cpu the service time itself, in --mode io only
//                what Node spends on HTTP (the waiting costs nothing, so a CPU target sees little)
//   memory       the process's resident memory now (/proc, bytes), as metrics-server's working set
//   requestRate, responseTime, errorRate   from the instance's own whole-run counters
// `requests` and `capacity` are the pool's cpuRequest / memoryRequest and cpuLimit, as the
// simulator gives them (a Node upstream is not confined to them: the figures are what it used).
//
// Lifecycle, as the simulator's (simulation.ts launch/onBooted/onReady/drain): a launch starts a
// process at once but it stays `pending` for a draw of bootTime (a real start that takes longer
// is the floor), then `running` unready for readinessDelay, then joins nginx's upstream block
// (a reload) and is ready from when nginx serves that configuration. Scale-in takes not-ready
// instances before ready ones, newest first (the ReplicaSet controller's order); a ready one
// leaves the upstream block, drains for up to drainTimeout and stops.
//
// Clock: the policy runs on the scenario's clock. A bench compressed k× (`--duration` shorter than
// the scenario) plays the curve k× faster with its rates as written; the sync period, scrape
// interval, window, every stabilisation window and cooldown, bootTime and readinessDelay are then
// k× shorter in real time too — `now` handed to the engine is bench time × k — so the policy meets
// the curve's changes at the same points of the curve as in the simulation. Rates are per real
// second (the curve's rates are not compressed), and request and drain times stay real: service
// times, timeouts and drainTimeout belong to requests, which are not compressed.
import { CounterWindow, requestMetrics } from '../autoscale/metric-window.ts';
import { PolicyRunner } from '../autoscale/runner.ts';
import type { InstanceObservation, PolicyConfig } from '../autoscale/types.ts';
import type { PoolConfig } from '../scenario/types.ts';
import { sampler } from '../sim/distribution.ts';
import { stream } from '../sim/rng.ts';
import type { PoolAutoscaling, ScalingEvent } from '../stats/results.ts';
import { Fleet } from './fleet.ts';
import { cpuSeconds, rssBytes } from './procs.ts';
import type { LiveStack } from './stack.ts';
import type { UpstreamProcess } from './upstream-process.ts';

/** Life of an instance, in the simulator's order (not-ready ones are taken first at scale-in). */
const enum Phase { Pending = 0, Starting = 1, Ready = 2, Draining = 3, Gone = 4 }

interface Member {
  seq: number;
  proc: UpstreamProcess | null;
  phase: Phase;
  created: number; // scenario s
  changed: number; // scenario s of the last phase change (readySince once ready)
  window: CounterWindow;
  metrics: Record<string, number> | null;
}

/** Scrapes and syncs faster than this (real s) are refused: a scrape asks every process over IPC. */
export const MIN_LIVE_PERIOD = 0.25;

export class LiveScaler {
  readonly fleet: Fleet;
  readonly runner: PolicyRunner;
  readonly events: ScalingEvent[] = [];
  /** What went wrong in the background (an instance that did not start, a reload that failed). */
  readonly notes: string[] = [];
  private readonly members: Member[] = [];
  private readonly boot: () => number;
  private seq = 0;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly sleepers = new Set<() => void>();
  private readonly tasks = new Set<Promise<void>>();

  /**
   * `clock` reads the run's time (bench s); `k` is scenario s per bench s. The pool's initial
   * instances are the stack's, ready at t = 0.
   */
  constructor(private readonly stack: LiveStack, readonly cfg: PoolConfig, policy: PolicyConfig, private readonly k: number, private readonly clock: () => number) {
    this.runner = new PolicyRunner(policy, cfg.instances, 0);
    this.fleet = new Fleet(cfg.instances);
    this.fleet.desired = cfg.instances;
    this.boot = sampler(cfg.bootTime, stream(stack.scenario.seed, `boot:${cfg.name}`));
    for (const proc of stack.instances.get(cfg.name) ?? []) {
      this.members.push({ seq: this.seq++, proc, phase: Phase.Ready, created: 0, changed: 0, window: new CounterWindow(cfg.metrics.window), metrics: null });
    }
  }

  /** Scenario seconds now. */
  private now(): number {
    return this.clock() * this.k;
  }

  /** Starts the scrape and sync schedule (scenario times scrapeInterval, 2·scrapeInterval, … and period, 2·period, …). */
  start(): void {
    let nextScrape = this.cfg.metrics.scrapeInterval, nextSync = this.runner.period;
    const wake = async () => {
      this.timer = null;
      if (this.stopped) return;
      const now = this.now();
      // A scrape due at the same time as a sync goes first (the simulator's event order).
      if (nextScrape <= now + 1e-9) {
        await this.scrape();
        while (nextScrape <= now + 1e-9) nextScrape += this.cfg.metrics.scrapeInterval;
      }
      if (this.stopped) return;
      if (nextSync <= now + 1e-9) {
        this.sync(this.now());
        while (nextSync <= now + 1e-9) nextSync += this.runner.period;
      }
      this.timer = setTimeout(() => void wake(), Math.max(0, (Math.min(nextScrape, nextSync) / this.k - this.clock()) * 1000));
    };
    this.timer = setTimeout(() => void wake(), (Math.min(nextScrape, nextSync) / this.k) * 1000);
  }

  /** No more decisions or lifecycle steps; the stack's stop ends whatever processes remain. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    for (const wake of this.sleepers) wake();
    await Promise.all(this.tasks);
  }

  /** The policy for the run's summary, its times on the run's clock (bench s) like the series and the scaling events. */
  report(T: number): PoolAutoscaling {
    const r = this.runner.report(T * this.k), p = r.pinnedAtMax, k = this.k;
    return { ...r, pinnedAtMax: p && { ...p, seconds: p.seconds / k, from: p.from / k, peakTime: p.peakTime / k } };
  }

  private async scrape(): Promise<void> {
    await Promise.all(this.members.map(async (m) => {
      if (m.phase === Phase.Gone || m.phase === Phase.Pending || !m.proc) { m.metrics = null; return; }
      const counters = await m.proc.scrape();
      const cpu = cpuSeconds(m.proc.pid), rss = rssBytes(m.proc.pid);
      if (!counters || cpu === null) { m.metrics = null; return; }
      const got = m.window.push(this.now(), [cpu, counters.completions, counters.failed, counters.responseSum]);
      if (got === null) { m.metrics = null; return; }
      const real = got.seconds / this.k, [dCpu, served, failed, resp] = got.delta as [number, number, number, number];
      m.metrics = {
        cpu: (dCpu / real) * 1000,
        ...(rss !== null ? { memory: rss } : {}),
        ...requestMetrics(real, served, failed, resp),
      };
    }));
  }

  private observe(): InstanceObservation[] {
    const c = this.cfg;
    return this.members.filter((m) => m.phase !== Phase.Gone).map((m) => ({
      id: m.proc?.name ?? `${c.name}-launching-${m.seq}`,
      phase: m.phase === Phase.Pending ? 'pending' : m.phase === Phase.Draining ? 'deleting' : 'running',
      ready: m.phase === Phase.Ready,
      startTime: m.created,
      readySince: m.changed,
      requests: { cpu: c.cpuRequest, memory: c.memoryRequest },
      capacity: { cpu: c.cpuLimit },
      metrics: m.metrics ? { ...m.metrics } : {},
    }));
  }

  private sync(now: number): void {
    const f = this.fleet;
    const d = this.runner.decide({ currentReplicas: f.desired, instances: this.observe() }, now);
    f.decision = d;
    if (d.desired === f.desired) return;
    const t = this.clock();
    this.events.push({ time: t, pool: this.cfg.name, from: f.desired, to: d.desired, rule: d.rule, reasons: d.reasons, unclamped: d.unclamped, observed: d.observed });
    f.desired = d.desired;
    const active = this.members.filter((m) => m.phase <= Phase.Ready);
    for (let n = active.length; n < d.desired; n++) this.track(this.launch(now));
    if (active.length > d.desired) {
      active.sort((a, b) => a.phase - b.phase || b.created - a.created || b.seq - a.seq);
      for (const m of active.slice(0, active.length - d.desired)) this.track(this.scaleIn(m));
    }
  }

  private track(p: Promise<void>): void {
    const q = p.catch((e: Error) => { if (!this.stopped) this.notes.push(`pool ${this.cfg.name}: ${e.message}`); });
    this.tasks.add(q);
    void q.then(() => this.tasks.delete(q));
  }

  private setPhase(m: Member, phase: Phase): void {
    const t = this.clock();
    if (m.phase === Phase.Ready) this.fleet.readyChange(t, -1);
    if (phase === Phase.Ready) this.fleet.readyChange(t, 1);
    if (phase === Phase.Gone) this.fleet.exist(t, -1);
    m.phase = phase;
    m.changed = this.now();
  }

  /** Real seconds; resolves early when the scaler stops. */
  private sleep(s: number): Promise<void> {
    if (s <= 0 || this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => { clearTimeout(timer); this.sleepers.delete(done); resolve(); };
      const timer = setTimeout(done, s * 1000);
      this.sleepers.add(done);
    });
  }

  private async launch(now: number): Promise<void> {
    const c = this.cfg, pool = c.name;
    const m: Member = { seq: this.seq++, proc: null, phase: Phase.Pending, created: now, changed: now, window: new CounterWindow(c.metrics.window), metrics: null };
    this.members.push(m);
    this.fleet.exist(this.clock(), 1);
    const booted = this.clock() + this.boot() / this.k;
    const proc = await this.stack.launch(pool);
    m.proc = proc;
    const gone = () => this.stopped || m.phase === Phase.Gone;
    if (!gone()) await this.sleep(booted - this.clock());
    if (gone()) return this.stack.discard(pool, proc);
    this.setPhase(m, Phase.Starting);
    await this.sleep(c.readinessDelay / this.k);
    if (gone()) return this.stack.discard(pool, proc);
    await this.stack.admit(pool, proc);
    if (this.stopped) return;
    if (m.phase === Phase.Gone) return this.stack.retire(pool, proc, c.drainTimeout); // scaled in while nginx reloaded
    this.setPhase(m, Phase.Ready);
  }

  private async scaleIn(m: Member): Promise<void> {
    if (m.phase !== Phase.Ready) {
      this.setPhase(m, Phase.Gone); // its launch sees this and stops the process
      return;
    }
    this.setPhase(m, Phase.Draining);
    await this.stack.retire(this.cfg.name, m.proc!, this.cfg.drainTimeout);
    if (!this.stopped) this.setPhase(m, Phase.Gone);
  }
}
