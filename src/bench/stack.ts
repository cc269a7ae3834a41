// The live stack a scenario describes: one nginx (its load balancers) in front of one upstream
// process per pool instance, all on 127.0.0.1, all running from a private prefix directory and
// all tied to headroom's life (./procs.ts). Instances can be added and removed while it runs
// (`scale`): the upstream blocks are rewritten and nginx reloaded, as an autoscaler would do.
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { PoolConfig, Scenario } from '../scenario/types.ts';
import { bundleUpstream } from './bundle.ts';
import { nextStage, nginxConf } from './nginx-conf.ts';
import { endAll, killAllSync, signal, spawnTied, waitGone } from './procs.ts';
import { removeRecord, writeRecord } from './stale.ts';
import { UpstreamProcess } from './upstream-process.ts';
import { measureSpinRate } from './upstream/cpu-work.ts';
import type { NextHop, UpstreamConfig, UpstreamSample, WorkMode } from './upstream/protocol.ts';

/** The nginx binary: Debian's, or HEADROOM_NGINX. */
export const NGINX = process.env.HEADROOM_NGINX ?? '/usr/sbin/nginx';

export interface StackOptions {
  scenario: Scenario;
  /** Private directory for the stack (created): nginx prefix, temp paths, pid, logs, the upstream program. */
  prefix: string;
  mode: WorkMode;
  /** nginx's listen port; default a free one. */
  port?: number;
  workerProcesses?: number;
  nginx?: string;
}

/** A bad-input problem the CLI reports in one line with exit code 2. */
export class StackError extends Error {
  override name = 'StackError';
}

/** A free loopback port (the kernel's choice; nginx cannot listen on port 0 itself). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Whether `port` on 127.0.0.1 can be listened on now. */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

export class LiveStack {
  readonly instances = new Map<string, UpstreamProcess[]>(); // pool → its instances in nginx's upstream block, in order
  /** pool → its processes outside the upstream block: launched and not yet admitted, or retired and draining. */
  readonly outside = new Map<string, UpstreamProcess[]>();
  private reloads: Promise<void> = Promise.resolve();
  private nginx: ChildProcess | null = null;
  private nginxExit: Promise<number | null> = Promise.resolve(null);
  /** Called if nginx exits while the stack runs (not stopped by us), with a one-line reason. */
  onNginxDeath: ((reason: string) => void) | null = null;
  private generation = 0;
  private record = '';
  private readonly onExit = () => killAllSync(this.prefix);
  private spinRate = 0;
  private bundle = '';
  private nextIndex = new Map<string, number>();
  /** Whole-run counters of instances scale() removed, per pool: the run's summary still counts their requests. */
  private readonly retired = new Map<string, UpstreamSample[]>();
  /** "127.0.0.1:port" → "pool-index" of every instance the stack ever ran (the access log names peers by address). */
  readonly peerNames = new Map<string, string>();
  stopped = false;
  private warmupOver = false;

  readonly prefix: string;
  readonly accessLog: string;
  readonly errorLog: string;
  readonly confFile: string;
  port = 0;
  notes: string[] = [];

  private constructor(readonly opts: StackOptions) {
    this.prefix = opts.prefix;
    this.accessLog = join(this.prefix, 'access.log');
    this.errorLog = join(this.prefix, 'error.log');
    this.confFile = join(this.prefix, 'nginx.conf');
  }

  get scenario(): Scenario {
    return this.opts.scenario;
  }

  /** Starts the whole stack; on any failure stops what it started and rethrows. */
  static async start(opts: StackOptions): Promise<LiveStack> {
    const s = new LiveStack(opts);
    mkdirSync(join(s.prefix, 'tmp'), { recursive: true });
    s.record = writeRecord(s.prefix);
    process.on('exit', s.onExit);
    try {
      await s.boot();
      return s;
    } catch (e) {
      await s.stop();
      throw e;
    }
  }

  private pools(): PoolConfig[] {
    return this.scenario.components.filter((c): c is PoolConfig => c.kind === 'pool');
  }

  private async boot(): Promise<void> {
    const nginxBin = this.opts.nginx ?? NGINX;
    this.bundle = bundleUpstream(join(this.prefix, 'upstream.mjs'));
    if (this.opts.mode === 'cpu') this.spinRate = await measureSpinRate();
    this.port = this.opts.port ?? (await freePort());
    await Promise.all(this.pools().map(async (p) => {
      this.instances.set(p.name, []);
      this.outside.set(p.name, []);
      this.instances.get(p.name)!.push(...await Promise.all(Array.from({ length: p.instances }, () => this.spawn(p))));
    }));
    this.updateNextHops();
    for (let attempt = 0; ; attempt++) {
      try {
        await this.startNginx(nginxBin);
        return;
      } catch (e) {
        // A port chosen for us can be taken by someone else before nginx binds it: choose again.
        if (this.opts.port === undefined && attempt < 3 && /Address already in use/.test((e as Error).message)) {
          this.port = await freePort();
          this.updateNextHops();
          continue;
        }
        throw e;
      }
    }
  }

  private hopOf(p: PoolConfig): NextHop {
    const stage = nextStage(p);
    if (stage === null) return null;
    const c = this.scenario.components.find((x) => x.name === stage)!;
    if (c.kind === 'loadBalancer') return { kind: 'balancer', name: c.name, port: this.port };
    return { kind: 'pool', name: c.name, ports: (this.instances.get(c.name) ?? []).map((u) => u.port) };
  }

  private updateNextHops(): void {
    for (const p of this.pools()) {
      const hop = this.hopOf(p);
      for (const u of [...this.instances.get(p.name) ?? [], ...this.outside.get(p.name) ?? []]) u.setNext(hop);
    }
  }

  /** Starts one process of pool p (in no upstream block yet). */
  private async spawn(p: PoolConfig): Promise<UpstreamProcess> {
    const sc = this.scenario;
    const index = this.nextIndex.get(p.name) ?? 0;
    this.nextIndex.set(p.name, index + 1);
    const cfg: UpstreamConfig = {
      pool: p.name, instance: index, seed: sc.seed, workers: p.workers,
      backlog: Number.isFinite(p.backlog) ? p.backlog : -1, serviceTime: p.serviceTime,
      timeout: Number.isFinite(p.timeout) ? p.timeout : -1, mode: this.opts.mode, spinPerSecond: this.spinRate,
      scales: sc.mix.map((m) => m.serviceTimeScale), next: this.hopOf(p), warmup: sc.warmup > 0 && !this.warmupOver,
    };
    const u = await UpstreamProcess.start(this.bundle, cfg, 30_000);
    if (this.stopped) {
      await u.stop();
      throw new StackError(`the stack stopped while ${u.name} started`);
    }
    this.peerNames.set(`127.0.0.1:${u.port}`, u.name);
    return u;
  }

  private pool(name: string): PoolConfig {
    const p = this.pools().find((x) => x.name === name);
    if (!p) throw new StackError(`no pool named "${name}"`);
    return p;
  }

  /** Starts one more process for `pool`, outside nginx: it gets no traffic until `admit`. */
  async launch(pool: string): Promise<UpstreamProcess> {
    const u = await this.spawn(this.pool(pool));
    this.outside.get(pool)!.push(u);
    return u;
  }

  /** Puts a launched process into the pool's upstream block; resolves once nginx serves the new configuration. */
  async admit(pool: string, u: UpstreamProcess): Promise<void> {
    remove(this.outside.get(pool)!, u);
    this.instances.get(pool)!.push(u);
    this.updateNextHops();
    await this.reload();
  }

  /**
   * Takes an instance out of the upstream block (nginx sends it nothing more once reloaded), lets it
   * finish what it holds for up to `drainTimeout` s, then stops it; its whole-run counters are kept.
   */
  async retire(pool: string, u: UpstreamProcess, drainTimeout: number): Promise<void> {
    remove(this.instances.get(pool)!, u);
    this.outside.get(pool)!.push(u);
    this.updateNextHops();
    await this.reload();
    const end = Date.now() + drainTimeout * 1000;
    for (;;) {
      const c = await u.scrape();
      if (!c || (c.busy === 0 && c.queued === 0) || Date.now() >= end) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await this.discard(pool, u);
  }

  /** Stops a process outside the upstream block (launched and never admitted, or drained), keeping its whole-run counters. */
  async discard(pool: string, u: UpstreamProcess): Promise<void> {
    const last = await u.finish();
    // Out of `outside` as its counters join `retired`: a final sample of the stack counts it once.
    remove(this.outside.get(pool)!, u);
    if (last) this.retired.set(pool, [...(this.retired.get(pool) ?? []), last]);
  }

  private writeConf(): void {
    const ports: Record<string, number[]> = {};
    for (const [pool, list] of this.instances) ports[pool] = list.map((u) => u.port);
    const { text, notes } = nginxConf(this.scenario, {
      prefix: this.prefix, port: this.port, ports, workerProcesses: this.opts.workerProcesses ?? 1,
    }, this.accessLog, this.errorLog);
    this.notes = notes;
    this.generation++;
    // The readiness location answers with the config generation, so a reload is seen to have landed.
    writeFileSync(this.confFile, text.replace('return 204;', `add_header X-Headroom-Generation ${this.generation}; return 204;`));
  }

  private async startNginx(bin: string): Promise<void> {
    this.writeConf();
    const child = spawnTied(bin, ['-p', this.prefix, '-c', this.confFile, '-e', this.errorLog], 'TERM', { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => { if (stderr.length < 4000) stderr += d.toString(); });
    this.nginx = child;
    this.nginxExit = new Promise((r) => child.once('exit', (code) => r(code)));
    void this.nginxExit.then((code) => {
      if (this.stopped || !this.onNginxDeath) return;
      let last = '';
      try {
        last = readFileSync(this.errorLog, 'utf8').trim().split('\n').filter((l) => /\[(emerg|alert|crit)\]/.test(l)).pop() ?? '';
      } catch { /* no log */ }
      this.onNginxDeath(`nginx exited during the run (${code ?? 'signal'})${last ? `: ${last.replace(/^\S+ \S+ /, '')}` : ''}`);
    });
    const spawnError = new Promise<never>((_, rej) => child.once('error', (e) => rej(new StackError(`nginx could not be started (${bin}): ${e.message}`))));
    const early = this.nginxExit.then((code) => {
      const line = stderr.split('\n').find((l) => l.includes('[emerg]')) ?? stderr.trim();
      throw new StackError(`nginx exited (${code}) at start: ${line.replace(/^nginx: /, '')}`);
    });
    await Promise.race([this.waitGeneration(15_000), early, spawnError]);
    early.catch(() => {});
  }

  /** Polls the readiness location until it answers with the current config generation. */
  private async waitGeneration(ms: number): Promise<void> {
    const end = Date.now() + ms, want = String(this.generation);
    while (Date.now() < end) {
      try {
        const r = await fetch(`http://127.0.0.1:${this.port}/headroom-ready`, { signal: AbortSignal.timeout(1000) });
        if (r.headers.get('x-headroom-generation') === want) return;
      } catch { /* not listening yet */ }
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new StackError(`nginx did not serve configuration ${want} within ${ms / 1000} s (see ${this.errorLog})`);
  }

  /**
   * Rewrites nginx.conf from the current instances and reloads nginx (SIGHUP); resolves once the new
   * workers answer. Reloads run one after another (each waits for its own generation).
   */
  reload(): Promise<void> {
    const next = this.reloads.then(async () => {
      if (this.stopped) return;
      this.writeConf();
      signal(this.nginx!.pid!, 'SIGHUP');
      await this.waitGeneration(15_000);
    });
    this.reloads = next.catch(() => {});
    return next;
  }

  /** Sets pool's instance count: new processes join, the newest leave (nginx stops sending first, then they drain). */
  async scale(pool: string, n: number): Promise<void> {
    const p = this.pool(pool);
    const list = this.instances.get(pool)!;
    if (n > list.length) {
      const added = await Promise.all(Array.from({ length: n - list.length }, () => this.launch(pool)));
      for (const u of added) { remove(this.outside.get(pool)!, u); list.push(u); }
      this.updateNextHops();
      await this.reload();
    } else if (n < list.length) {
      await Promise.all(list.slice(n).map((u) => this.retire(pool, u, p.drainTimeout)));
    }
  }

  /**
   * Stops one instance's process for `seconds` (SIGSTOP … SIGCONT): a stop-the-world pause, as a
   * long GC. Resolves with when it really stopped and resumed (performance.now() s): timers run late
   * on a busy machine.
   */
  async stall(pool: string, index: number, seconds: number): Promise<{ from: number; to: number }> {
    const u = this.instances.get(pool)?.[index];
    if (!u) throw new StackError(`no instance ${index} in pool "${pool}"`);
    signal(u.pid, 'SIGSTOP');
    const from = performance.now() / 1000;
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const to = performance.now() / 1000;
    signal(u.pid, 'SIGCONT');
    return { from, to };
  }

  /** Counters of every live instance since the previous call; with final, over the whole run, removed instances included. */
  async sample(final = false): Promise<Map<string, Array<UpstreamSample | null>>> {
    const out = new Map<string, Array<UpstreamSample | null>>();
    await Promise.all([...this.instances].map(async ([pool, list]) => {
      const live = await Promise.all([...list, ...this.outside.get(pool)!].map((u) => u.sample(final)));
      out.set(pool, final ? [...live, ...(this.retired.get(pool) ?? [])] : live);
    }));
    return out;
  }

  endWarmup(): void {
    this.warmupOver = true;
    for (const u of this.processes()) u.endWarmup();
  }

  /** Every upstream process running: in the upstream blocks and outside them. */
  processes(): UpstreamProcess[] {
    return [...this.instances.values(), ...this.outside.values()].flat();
  }

  /** nginx's pids now: the master and its workers (from /proc's children list). */
  nginxPids(): number[] {
    const master = this.nginx?.pid;
    if (!master) return [];
    try {
      const kids = readFileSync(`/proc/${master}/task/${master}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
      return [master, ...kids];
    } catch {
      return [master];
    }
  }

  /** Stops nginx (graceful, so its buffered access log is written out) and every upstream; idempotent. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const ng = this.nginx;
    if (ng?.pid && ng.exitCode === null && ng.signalCode === null) {
      const pids = this.nginxPids();
      signal(ng.pid, 'SIGQUIT');
      const done = await Promise.race([this.nginxExit.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5000))]);
      if (!done) { signal(ng.pid, 'SIGTERM'); await waitGone(pids, 2000); }
      await waitGone(pids, 2000);
    }
    await this.reloads;
    await Promise.all(this.processes().map((u) => u.stop()));
    await endAll(this.prefix, 1000); // anything still under the prefix (a worker an early failure left)
    process.off('exit', this.onExit);
    if (this.record) removeRecord(this.record);
  }
}

function remove<T>(list: T[], x: T): void {
  const i = list.indexOf(x);
  if (i >= 0) list.splice(i, 1);
}
