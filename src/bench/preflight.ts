// Everything `bench` can check before it writes a file or starts a process: a problem here is bad
// input (one line, exit 2, nothing written, nothing started). Work too big for one machine's
// loopback is refused here too, up front.
import { accessSync, constants } from 'node:fs';
import { bounds, syncPeriod } from '../autoscale/index.ts';
import type { Scenario } from '../scenario/types.ts';
import { MIN_LIVE_PERIOD } from './live-scaler.ts';
import { parseTarget } from './driver/targets.ts';
import { nextStage, nginxConf } from './nginx-conf.ts';
import { SETPRIV } from './procs.ts';
import { NGINX, StackError, portFree } from './stack.ts';
import { scaledCurve } from './plan.ts';
import type { WorkMode } from './upstream/protocol.ts';

export const LIMITS = {
  duration: 3600, // s of traffic
  instances: 64, // upstream processes in all
  cpuWorkers: 64, // worker threads per instance in cpu mode
  rate: 200_000, // req/s at the curve's peak
  users: 20_000, // closed-model users (one connection each; the fd limit is near)
  connections: 16_000,
};

export interface Preflight {
  target?: { host: string; port: number; path: string; url: string };
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export async function preflight(sc: Scenario, o: {
  duration: number; mode: WorkMode; target?: string; allowRemote: boolean; port?: number; connections?: number; nginx?: string;
}): Promise<Preflight> {
  const file = sc.file;
  if (!(o.duration >= 1) || o.duration > LIMITS.duration) throw new StackError(`--duration: expected 1 s to ${LIMITS.duration / 60} min of traffic, got ${o.duration} s`);
  if (o.connections !== undefined && !(Number.isInteger(o.connections) && o.connections >= 1 && o.connections <= LIMITS.connections)) {
    throw new StackError(`--connections: expected a whole number from 1 to ${LIMITS.connections}, got ${o.connections}`);
  }
  const w = sc.workload;
  if (w.model === 'open') {
    const peak = scaledCurve(sc, sc.duration / o.duration).maxOn(0, o.duration);
    if (peak > LIMITS.rate) throw new StackError(`${file}: traffic.rate: peaks at ${Math.round(peak)} req/s; a loopback bench drives at most ${LIMITS.rate}`);
  } else if (w.users > LIMITS.users) {
    throw new StackError(`${file}: traffic.closed.users: ${w.users} users need as many connections; a loopback bench drives at most ${LIMITS.users}`);
  }
  if (o.target !== undefined) {
    try {
      const t = parseTarget(o.target, o.allowRemote);
      return { target: { ...t, url: o.target } };
    } catch (e) {
      throw new StackError((e as Error).message);
    }
  }
  const nginx = o.nginx ?? NGINX;
  if (!executable(nginx)) throw new StackError(`${nginx}: nginx not found (install Debian's nginx-light, or drive a running service with --target URL)`);
  if (!executable(SETPRIV)) throw new StackError(`${SETPRIV}: setpriv (util-linux) not found; it ties the stack's processes to headroom's life`);
  let instances = 0;
  const k = sc.duration / o.duration;
  for (const c of sc.components) {
    // The live stack runs nginx, pools and tandem stages; calls, routes with probabilities and
    // databases are the simulator's for now.
    if (c.kind === 'database') throw new StackError(`${file}: components.${c.name}: the live bench does not run a database yet (simulate it with headroom run)`);
    if (c.kind !== 'pool') continue;
    if (c.calls.length > 0) throw new StackError(`${file}: components.${c.name}.calls: the live bench does not run calls yet (simulate them with headroom run)`);
    if (c.next.length > 0 && nextStage(c) === null) throw new StackError(`${file}: components.${c.name}.next: the live bench runs one next stage, not routes with probabilities (simulate them with headroom run)`);
    instances += c.autoscaling ? Math.max(c.instances, bounds(c.autoscaling).max) : c.instances;
    if (c.autoscaling) {
      // The policy runs on the scenario's clock (./live-scaler.ts): compression shortens its periods too.
      const sync = syncPeriod(c.autoscaling), scrape = c.metrics.scrapeInterval;
      const fastest = Math.min(sync, scrape);
      if (fastest / k < MIN_LIVE_PERIOD) {
        throw new StackError(`--duration ${o.duration}s: compresses ${file}'s ${sc.duration} s ${+k.toFixed(2)}×, so pool ${c.name}'s ` +
          `${fastest === scrape ? `metrics scrape interval ${scrape} s` : `policy sync period ${sync} s`} would be ${+(fastest / k).toFixed(3)} s; ` +
          `the live autoscaler scrapes and decides at most every ${MIN_LIVE_PERIOD} s: give --duration ${Math.ceil(sc.duration * MIN_LIVE_PERIOD / fastest)}s or more`);
      }
    }
    if (o.mode === 'cpu' && c.workers > LIMITS.cpuWorkers) {
      throw new StackError(`${file}: components.${c.name}.workers: ${c.workers} worker threads per instance in cpu mode; at most ${LIMITS.cpuWorkers}`);
    }
  }
  if (instances > LIMITS.instances) throw new StackError(`${file}: components: ${instances} pool instances (autoscaled pools at their maximum) would be ${instances} processes; a bench runs at most ${LIMITS.instances}`);
  // The config generator's own refusals (two balancers on one pool), before anything starts.
  try {
    nginxConf(sc, { prefix: '/nonexistent', port: 1, ports: {}, workerProcesses: 1 }, '/dev/null', '/dev/null');
  } catch (e) {
    throw new StackError((e as Error).message);
  }
  if (o.port !== undefined) {
    if (!(Number.isInteger(o.port) && o.port >= 1 && o.port <= 65535)) throw new StackError(`--port: expected a port number 1–65535, got ${o.port}`);
    if (!(await portFree(o.port))) throw new StackError(`--port: 127.0.0.1:${o.port} is in use`);
  }
  return {};
}
