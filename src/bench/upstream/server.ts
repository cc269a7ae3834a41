// One instance of a scenario pool as a real HTTP server: the simulator's pool station
// (src/model/pool.ts, simulation.ts accept/startService/onDeparture) re-expressed over sockets.
//   admission: a worker free → serve; else a backlog place free → wait (FIFO); else refuse by
//              resetting the connection (TCP RST). nginx reads that as `error`: the peer's
//              failure counts toward max_fails and proxy_next_upstream tries the next peer, as the
//              model's backlogFull refusal does. (One difference: on a keepalive connection nginx
//              had cached, its ngx_http_upstream_next gives that try back — `peer.cached` → tries++.)
//   service:   a draw from the pool's service-time distribution × the class's scale, spent either
//              waiting (I/O-bound: a timer) or busy on a worker thread (CPU-bound: real cycles).
//   deadline:  behind nginx, proxy_read_timeout is the pool's timeout (nginx owns the deadline, a
//              miss is a `timeout` for next_upstream); a request nginx gave up on while it waited
//              here leaves the backlog, as the model drops it; one on a worker is finished for
//              nothing. Entered directly (driver or a tandem caller) the instance answers 504 itself.
//   next:      after its own service the request leaves the worker (as in the model: the worker is
//              free at the departure) and is relayed to the next hop; its answer is this answer.
import http from 'node:http';
import { Worker } from 'node:worker_threads';
import { sampler } from '../../sim/distribution.ts';
import { stream } from '../../sim/rng.ts';
import { LogHistogram } from '../../stats/log-histogram.ts';
import { CAUSES, OK, classify } from '../causes.ts';
import { SPIN_WORKER_SOURCE } from './cpu-work.ts';
import { HEADER, classOfPath, type NextHop, type UpstreamConfig, type UpstreamCounters, type UpstreamSample } from './protocol.ts';

const now = () => performance.now() / 1000;
const BODY = 'ok\n';

interface Job {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  cls: number;
  arrived: number; // s
  viaProxy: boolean;
  queued: boolean;
  gone: boolean; // timed out or abandoned by the caller: no completion counted, nothing sent
  timer: NodeJS.Timeout | null;
}

class Counters {
  arrivals = 0;
  completions = 0;
  refused = 0;
  timeouts = 0;
  busyArea = 0;
  queueArea = 0;
  waitCount = 0;
  waitSum = 0;
  waited = 0;
  responseSum = 0; // every completion's time at the instance, warmup included (the autoscaler's responseTime)
  constructor(readonly latency: LogHistogram, public since: number) {}
}

export class PoolInstance {
  readonly server: http.Server;
  private readonly draw: () => number;
  private busy = 0;
  private queue: Job[] = [];
  private head = 0;
  private live = 0; // queued jobs still waiting (abandoned ones are skipped when reached)
  private last = now(); // time the areas were last advanced
  private readonly interval: Counters;
  private readonly run: Counters;
  private readonly threads: Worker[] = [];
  private readonly idleThreads: Worker[] = [];
  private readonly onThread = new Map<Worker, Job>();
  private next: NextHop;
  private nextCursor = 0;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  /**
   * Latency and wait are recorded for requests that arrived from this time on (s; Infinity during
   * the run's warmup): as the simulator (src/model/pool.ts, entered ≥ warmup) and the driver do. By
   * completion time instead, an overloaded run would count the warmup's queue the model leaves out.
   */
  private measuringFrom: number;

  constructor(private readonly cfg: UpstreamConfig) {
    this.draw = sampler(cfg.serviceTime, stream(cfg.seed, `service:${cfg.pool}:${cfg.instance}`));
    this.next = cfg.next;
    this.measuringFrom = cfg.warmup ? Infinity : 0;
    const t = now();
    this.interval = new Counters(new LogHistogram(7), t);
    this.run = new Counters(new LogHistogram(10), t);
    if (cfg.mode === 'cpu') {
      for (let i = 0; i < cfg.workers; i++) {
        const w = new Worker(SPIN_WORKER_SOURCE, { eval: true });
        w.on('message', () => this.threadDone(w));
        w.unref();
        this.threads.push(w);
        this.idleThreads.push(w);
      }
    }
    this.server = http.createServer({ keepAliveTimeout: 600_000, requestTimeout: 0, headersTimeout: 0 }, (req, res) => this.onRequest(req, res));
    this.server.keepAliveTimeout = 600_000; // nginx's upstream keepalive_timeout (60 s) closes idle connections first
    this.server.on('clientError', (_e, socket) => socket.destroy());
  }

  setNext(next: NextHop): void {
    this.next = next;
  }

  close(): void {
    this.server.close();
    this.server.closeAllConnections();
    for (const w of this.threads) void w.terminate();
    this.agent.destroy();
  }

  private advance(t: number): void {
    const dt = t - this.last;
    if (dt > 0) {
      const b = this.busy * dt, q = this.live * dt;
      this.interval.busyArea += b; this.run.busyArea += b;
      this.interval.queueArea += q; this.run.queueArea += q;
      this.last = t;
    }
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const t = now(), cfg = this.cfg;
    this.interval.arrivals++; this.run.arrivals++;
    const viaProxy = req.headers[HEADER.via] !== undefined;
    const job: Job = { req, res, cls: classOfPath(req.url ?? ''), arrived: t, viaProxy, queued: false, gone: false, timer: null };
    if (this.busy < cfg.workers) {
      this.advance(t);
      this.busy++;
      this.start(job, t);
    } else if (cfg.backlog < 0 || this.live < cfg.backlog) {
      this.advance(t);
      this.live++;
      job.queued = true;
      this.queue.push(job);
      res.once('close', () => this.abandonQueued(job));
    } else {
      this.interval.refused++; this.run.refused++;
      req.socket.resetAndDestroy();
      return;
    }
    if (!viaProxy && cfg.timeout >= 0) job.timer = setTimeout(() => this.deadline(job), cfg.timeout * 1000);
  }

  /** The caller went away while the job waited (nginx's proxy_read_timeout): it leaves the backlog. */
  private abandonQueued(job: Job): void {
    if (!job.queued || job.gone || job.res.writableFinished) return;
    const t = now();
    this.advance(t);
    job.gone = true;
    this.live--;
    if (t - job.arrived >= this.cfg.timeout - 0.05) { this.interval.timeouts++; this.run.timeouts++; }
  }

  /** The instance's own deadline (requests entered directly): 504 now, the work (if started) goes on. */
  private deadline(job: Job): void {
    job.timer = null;
    if (job.gone) return;
    if (job.queued) { this.advance(now()); this.live--; }
    job.gone = true;
    this.interval.timeouts++; this.run.timeouts++;
    this.send(job.res, 504, 'timeout');
  }

  private start(job: Job, t: number): void {
    job.queued = false;
    const c1 = this.interval, c2 = this.run, w = t - job.arrived;
    if (job.arrived >= this.measuringFrom) {
      c1.waitCount++; c2.waitCount++; c1.waitSum += w; c2.waitSum += w;
      if (w > 0) { c1.waited++; c2.waited++; }
    }
    const s = this.draw() * (this.cfg.scales[job.cls] ?? 1);
    if (this.cfg.mode === 'cpu') {
      const thread = this.idleThreads.pop()!;
      this.onThread.set(thread, job);
      thread.postMessage(Math.round(s * this.cfg.spinPerSecond));
    } else if (s <= 0) this.finish(job);
    else setTimeout(() => this.finish(job), s * 1000);
  }

  private threadDone(thread: Worker): void {
    const job = this.onThread.get(thread)!;
    this.onThread.delete(thread);
    this.idleThreads.push(thread);
    this.finish(job);
  }

  /** Service over: count it, hand the worker to the next live waiter, relay or answer. */
  private finish(job: Job): void {
    const t = now();
    if (job.timer) { clearTimeout(job.timer); job.timer = null; }
    const abandoned = job.gone || job.res.destroyed;
    if (!abandoned) {
      const took = t - job.arrived;
      this.interval.completions++; this.run.completions++;
      this.run.responseSum += took;
      if (job.arrived >= this.measuringFrom) { this.interval.latency.record(took); this.run.latency.record(took); }
    } else if (!job.gone && t - job.arrived >= this.cfg.timeout - 0.05) {
      this.interval.timeouts++; this.run.timeouts++; // nginx gave up while it was on a worker
    }
    this.advance(t);
    let nextJob: Job | undefined;
    while (this.head < this.queue.length) {
      const j = this.queue[this.head++];
      if (!j.gone) { nextJob = j; break; }
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) { this.queue = this.queue.slice(this.head); this.head = 0; }
    if (nextJob) { this.live--; this.start(nextJob, t); }
    else this.busy--;
    if (abandoned) return;
    if (this.next) this.relay(job);
    else this.send(job.res, 200, null);
  }

  private relay(job: Job): void {
    const hop = this.next!;
    let port: number, path: string;
    if (hop.kind === 'balancer') { port = hop.port; path = `/lb/${hop.name}/c${job.cls}`; }
    else {
      if (hop.ports.length === 0) { this.send(job.res, 500, 'noUpstream'); return; }
      port = hop.ports[this.nextCursor++ % hop.ports.length]; path = `/pool/${hop.name}/c${job.cls}`;
    }
    const client = job.req.headers[HEADER.client];
    const out = http.get({ host: '127.0.0.1', port, path, agent: this.agent, headers: client ? { [HEADER.client]: client } : {} }, (r) => {
      r.resume();
      r.on('end', () => {
        const k = classify(r.statusCode ?? 0, header(r.headers[HEADER.cause]), header(r.headers[HEADER.upstream]));
        // A relayed failure goes back as 500 + its cause: a status nginx neither retries nor counts
        // against this instance (the model frees this peer when its own service ends).
        this.send(job.res, k === OK ? 200 : 500, k === OK ? null : CAUSES[k]);
      });
    });
    out.on('error', () => this.send(job.res, 500, 'backlogFull'));
  }

  private send(res: http.ServerResponse, status: number, cause: string | null): void {
    if (res.destroyed || res.headersSent) return;
    if (cause) res.setHeader(HEADER.cause, cause);
    res.writeHead(status, { 'content-length': BODY.length, 'content-type': 'text/plain' });
    res.end(BODY);
  }

  /** Counters since the previous report (interval) or since start (run), then the interval restarts. */
  sample(final: boolean): UpstreamSample {
    const t = now();
    this.advance(t);
    const c = final ? this.run : this.interval;
    const out: UpstreamSample = {
      span: t - c.since, arrivals: c.arrivals, completions: c.completions, refused: c.refused, timeouts: c.timeouts,
      latency: c.latency.snapshot(), busyArea: c.busyArea, queueArea: c.queueArea,
      waitCount: c.waitCount, waitSum: c.waitSum, waited: c.waited, busy: this.busy, queued: this.live,
    };
    if (!final) {
      const i = this.interval;
      i.arrivals = i.completions = i.refused = i.timeouts = i.busyArea = i.queueArea = i.waitCount = i.waitSum = i.waited = 0;
      i.latency.reset();
      i.since = t;
    }
    return out;
  }

  /** Whole-run counters for the autoscaler's window (nothing restarts). */
  counters(): UpstreamCounters {
    const r = this.run;
    return { completions: r.completions, failed: r.refused + r.timeouts, responseSum: r.responseSum, busy: this.busy, queued: this.live };
  }

  /** Warmup over: latency and wait are recorded for requests arriving from now on (requests are counted all along). */
  endWarmup(): void {
    this.measuringFrom = now();
  }
}

function header(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
