// One upstream process seen from the stack: spawn it (tied to headroom by pdeathsig and its IPC
// channel), wait for its port, ask it for counters, stop it.
import type { ChildProcess } from 'node:child_process';
import { spawnTied, signal, waitGone } from './procs.ts';
import type { ChildMessage, NextHop, ParentMessage, UpstreamConfig, UpstreamCounters, UpstreamSample } from './upstream/protocol.ts';

export class UpstreamProcess {
  private nextId = 1;
  private readonly pending = new Map<number, (m: ChildMessage) => void>();
  private exited = false;
  readonly exitedPromise: Promise<void>;

  private constructor(readonly cfg: UpstreamConfig, readonly child: ChildProcess, readonly port: number, readonly pid: number) {
    this.exitedPromise = new Promise((res) => child.once('exit', () => { this.exited = true; res(); }));
    child.on('message', (m: ChildMessage) => {
      if (m.type === 'sample' || m.type === 'scrape') {
        const r = this.pending.get(m.id);
        this.pending.delete(m.id);
        r?.(m);
      }
    });
  }

  get name(): string {
    return `${this.cfg.pool}-${this.cfg.instance}`;
  }

  get alive(): boolean {
    return !this.exited;
  }

  /** Starts `node bundle` with the instance's configuration; resolves once it listens. */
  static start(bundle: string, cfg: UpstreamConfig, timeoutMs: number): Promise<UpstreamProcess> {
    const child = spawnTied(process.execPath, [bundle], 'KILL', {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: { ...process.env, HEADROOM_UPSTREAM: JSON.stringify(cfg), NODE_OPTIONS: '' },
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => { if (stderr.length < 4000) stderr += d.toString(); });
    return new Promise((resolve, reject) => {
      const name = `${cfg.pool}-${cfg.instance}`;
      const timer = setTimeout(() => { signal(child.pid!, 'SIGKILL'); reject(new Error(`upstream ${name} did not start within ${timeoutMs / 1000} s${stderr ? `: ${stderr.trim()}` : ''}`)); }, timeoutMs);
      const onExit = (code: number | null) => { clearTimeout(timer); reject(new Error(`upstream ${name} exited (${code}) before it listened${stderr ? `: ${stderr.trim()}` : ''}`)); };
      child.once('exit', onExit);
      child.once('error', (e) => { clearTimeout(timer); reject(e); });
      child.on('message', function ready(m: ChildMessage) {
        if (m.type === 'ready') {
          clearTimeout(timer);
          child.off('exit', onExit);
          child.off('message', ready);
          resolve(new UpstreamProcess(cfg, child, m.port, m.pid));
        } else if (m.type === 'fatal') {
          clearTimeout(timer);
          reject(new Error(`upstream ${name}: ${m.message}`));
        }
      });
    });
  }

  private send(m: ParentMessage): void {
    if (this.child.connected) this.child.send(m);
  }

  /** Counters since the last call (or the whole run with final); null if the process is gone or silent for 5 s. */
  async sample(final = false): Promise<UpstreamSample | null> {
    const m = await this.ask((id) => ({ type: 'sample', id, final }));
    return m?.type === 'sample' ? m.sample : null;
  }

  /** Whole-run counters and what it holds now (nothing restarts); null if the process is gone or silent for 5 s. */
  async scrape(): Promise<UpstreamCounters | null> {
    const m = await this.ask((id) => ({ type: 'scrape', id }));
    return m?.type === 'scrape' ? m.counters : null;
  }

  private ask(message: (id: number) => ParentMessage): Promise<ChildMessage | null> {
    if (!this.child.connected) return Promise.resolve(null);
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => { this.pending.delete(id); resolve(null); }, 5000);
      this.pending.set(id, (m) => { clearTimeout(timer); resolve(m); });
      this.send(message(id));
    });
  }

  endWarmup(): void {
    this.send({ type: 'warmup' });
  }

  setNext(next: NextHop): void {
    this.send({ type: 'next', next });
  }

  /**
   * Stops it, its whole-run counters its last word (a request it was still given is cut, and the
   * caller — nginx — retries it elsewhere): nothing completes after the counters. Null if it was gone.
   */
  async finish(): Promise<UpstreamSample | null> {
    const m = await this.ask((id) => ({ type: 'finish', id }));
    await this.stop();
    return m?.type === 'sample' ? m.sample : null;
  }

  /** Asks it to stop, then SIGKILL after graceMs. */
  async stop(graceMs = 2000): Promise<void> {
    if (this.exited) return;
    this.send({ type: 'stop' });
    if ((await waitGone([this.pid], graceMs)).length > 0) signal(this.pid, 'SIGKILL');
    await Promise.race([this.exitedPromise, new Promise((r) => setTimeout(r, 1000))]);
  }
}
