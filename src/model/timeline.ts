// A pool's part of the scenario's timeline: the faults that hit it (a zone outage of one of its
// zones, kills, crashes, slowdowns, 5xx answers) and its releases, each scheduled on the pool's
// CONTROL timer (x = sub-kind | index << 3) and carried out when due. Which instances a kill or a
// crash takes is drawn from a stream of the pool's own (`faults:<pool>`).
import type { Fault, PoolSize, Release, Strategy } from '../scenario/types.ts';
import type { Rng } from '../sim/rng.ts';
import { Life } from './fleet.ts';
import type { RunContext } from './component.ts';
import { CONTROL, type Lifecycle } from './lifecycle.ts';
import { ROLLOUT_SUB, fmtSeconds, type Rollout } from './rollout.ts';
import { DeploymentRollout } from './rollout-kubernetes.ts';
import { SwarmUpdate } from './rollout-swarm.ts';
import { BlueGreenRollout, CanaryRollout } from './rollout-traffic.ts';
import { VERTICAL_SUB } from './vertical.ts';

const FAULT_START = 0;
const FAULT_END = 1;
const RELEASE = 2;
// 3: ROLLOUT_SUB, the rollout in progress's own timers; 4: VERTICAL_SUB, the VPA's loops

/** What the timeline needs of its pool beyond the lifecycle. */
export interface TimelinePool extends Lifecycle {
  slow: number;
  faultErrors: number;
  faultStatus: number;
  updateInjection(): void;
}

export class PoolTimeline {
  private readonly faults: Array<{ fault: Fault; zone: number }> = [];
  private readonly releases: Release[] = [];
  private readonly releaseVersion: number[] = [];
  private readonly rng: Rng;
  private readonly activeErrors: number[] = [];
  /** Every rollout begun, in order (the summary's outcomes). */
  readonly rollouts: Rollout[] = [];

  constructor(private readonly pool: TimelinePool, private readonly run: RunContext) {
    const name = pool.cfg.name, sc = run.scenario;
    this.rng = run.stream(`faults:${name}`);
    for (const f of sc.faults) {
      if (f.kind === 'zoneOutage') {
        const z = pool.cfg.zones.indexOf(f.zone);
        if (z >= 0) this.faults.push({ fault: f, zone: z });
      } else if (f.kind !== 'failover' && f.pool === name) this.faults.push({ fault: f, zone: -1 }); // a failover is its database's (./failover.ts)
    }
    // Every version a release brings is known from the start (its series rows run the whole run).
    let dist = pool.cfg.serviceTime;
    for (const r of sc.releases) {
      if (r.pool !== name) continue;
      dist = r.serviceTime ?? dist;
      let v = pool.versions.indexOf(r.version);
      if (v < 0) v = pool.versions.add(r.version, dist, r.errorRate, r.size ?? pool.versions.sizes[0], r.size !== undefined, r.crashOnStart);
      this.releases.push(r);
      this.releaseVersion.push(v);
    }
  }

  start(): void {
    this.faults.forEach(({ fault }, i) => {
      this.pool.timer(fault.at, CONTROL, (i << 3) | FAULT_START);
      const d = 'duration' in fault ? fault.duration : 0;
      if (d > 0 && d < Infinity) this.pool.timer(fault.at + d, CONTROL, (i << 3) | FAULT_END);
    });
    this.releases.forEach((r, i) => this.pool.timer(r.at, CONTROL, (i << 3) | RELEASE));
  }

  onControl(x: number): void {
    const sub = x & 7, arg = x >>> 3;
    switch (sub) {
      case FAULT_START: this.begin(arg); break;
      case FAULT_END: this.finish(arg); break;
      case RELEASE: this.release(arg); break;
      case ROLLOUT_SUB: this.pool.rollout?.onTimer(arg); break;
      case VERTICAL_SUB: this.pool.vertical?.onTimer(); break;
    }
  }

  // ---- faults ----

  private begin(i: number): void {
    const { fault: f, zone } = this.faults[i], p = this.pool, sup = p.cfg.supervision;
    switch (f.kind) {
      case 'zoneOutage': {
        p.zonesUp[zone] = 0;
        const hit = this.pick((j) => p.zone[j] === zone && p.life[j] !== Life.Gone);
        p.record('fault', `zone ${f.zone} down${f.duration < Infinity ? ` for ${fmtSeconds(f.duration)}` : ''}: ${hit.length} instances lost`);
        for (const j of hit) p.lose(j, sup.zoneLossAfter, `zone ${f.zone} outage`);
        break;
      }
      case 'kill': {
        const hit = this.select(f.select, (j) => p.life[j] <= Life.Ready && p.lost[j] === 0);
        p.record('fault', `kill ${hit.length} instances`);
        for (const j of hit) p.lose(j, sup.replaceAfter, 'killed');
        break;
      }
      case 'crash': {
        const hit = this.select(f.select, (j) => p.life[j] === Life.Ready);
        p.record('fault', `crash ${hit.length} processes${f.duration > 0 ? `; they crash on every start for ${fmtSeconds(f.duration)}` : ''}`);
        for (const j of hit) {
          if (f.duration > 0) p.crashLoopUntil[j] = f.at + f.duration;
          p.crash(j, 'crashed');
        }
        break;
      }
      case 'slow':
        p.slow *= f.factor;
        p.record('fault', `service ${f.factor}× slower${f.duration < Infinity ? ` for ${fmtSeconds(f.duration)}` : ''}`);
        break;
      case 'errors':
        this.activeErrors.push(f.fraction);
        p.faultStatus = f.status;
        this.applyErrors();
        p.record('fault', `${(100 * f.fraction).toFixed(2)}% of answers ${f.status}${f.duration < Infinity ? ` for ${fmtSeconds(f.duration)}` : ''}`);
        break;
    }
  }

  private finish(i: number): void {
    const { fault: f, zone } = this.faults[i], p = this.pool;
    switch (f.kind) {
      case 'zoneOutage': {
        p.zonesUp[zone] = 1;
        const back = this.pick((j) => p.zone[j] === zone && p.lost[j] === 1 && p.life[j] === Life.Down);
        p.record('fault', `zone ${f.zone} back${back.length > 0 ? `: ${back.length} instances not yet replaced come back` : ''}`);
        for (const j of back) p.regain(j);
        p.reconcile(); // launches that found no zone up can go there now
        break;
      }
      case 'slow':
        p.slow /= f.factor;
        p.record('fault', 'service speed back to normal');
        break;
      case 'errors':
        this.activeErrors.splice(this.activeErrors.indexOf(f.fraction), 1);
        this.applyErrors();
        p.record('fault', '5xx answers stopped');
        break;
      default:
        break; // a crash loop's window ends by itself (crashLoopUntil)
    }
  }

  private applyErrors(): void {
    this.pool.faultErrors = 1 - this.activeErrors.reduce((q, e) => q * (1 - e), 1);
    this.pool.updateInjection();
  }

  private pick(ok: (inst: number) => boolean): number[] {
    const out: number[] = [];
    for (let j = 0; j < this.pool.n; j++) if (ok(j)) out.push(j);
    return out;
  }

  /** The instances a selection takes among those `ok` accepts, drawn at random (count: up to what there is; a fraction rounds to nearest). */
  private select(sel: Extract<Fault, { kind: 'kill' }>['select'], ok: (inst: number) => boolean): number[] {
    const p = this.pool;
    const cands = this.pick((j) => ok(j) && (sel.by !== 'zone' || p.cfg.zones[p.zone[j]] === sel.zone));
    const k = sel.by === 'count' ? Math.min(sel.count, cands.length) : sel.by === 'fraction' ? Math.round(sel.fraction * cands.length) : cands.length;
    // partial Fisher–Yates: the first k of a uniform shuffle
    for (let a = 0; a < k; a++) {
      const b = a + Math.floor(this.rng() * (cands.length - a));
      const t = cands[a]; cands[a] = cands[b]; cands[b] = t;
    }
    return cands.slice(0, k).sort((x, y) => x - y);
  }

  // ---- releases ----

  private release(i: number): void {
    const r = this.releases[i], p = this.pool, to = this.releaseVersion[i];
    const strategy = r.strategy ?? p.cfg.supervision.strategy!;
    if (p.rollout !== null) p.rollout.supersede(`superseded by ${r.version}`);
    const was = p.versions.sizes[p.versions.current], size = p.versions.sizes[to];
    if (JSON.stringify(size) !== JSON.stringify(was)) p.record('resize', `${r.version}: ${fmtSize(was)} → ${fmtSize(size)}`);
    const rollout = this.build(r, to, strategy, false);
    this.rollouts.push(rollout);
    p.rollout = rollout;
    rollout.start();
  }

  /** Swarm's failure_action rollback: an update back to the version it replaced, under rollback_config. */
  rollback(failed: Rollout): void {
    const p = this.pool, s = failed.strategyOf;
    if (s.kind !== 'swarm') return;
    const back = new SwarmUpdate(p, failed.release, failed.from, s, s.rollback, true);
    this.rollouts.push(back);
    p.rollout = back;
    back.start();
  }

  private build(r: Release, to: number, s: Strategy, rollback: boolean): Rollout {
    const p = this.pool;
    switch (s.kind) {
      case 'RollingUpdate':
      case 'Recreate': return new DeploymentRollout(p, r, to, s);
      case 'swarm': return new SwarmUpdate(p, r, to, s, rollback ? s.rollback : s.update, rollback);
      case 'blueGreen': return new BlueGreenRollout(p, r, to, s);
      case 'canary': return new CanaryRollout(p, r, to, s);
    }
  }
}

/** "m6i.2xlarge: 8 workers, 8000m, 32768Mi, $0.384/h": a resize's event line. */
function fmtSize(z: PoolSize): string {
  const cpu = z.cpuLimit === z.cpuRequest ? `${z.cpuRequest}m` : `${z.cpuRequest}m/${z.cpuLimit}m`;
  return `${z.instanceType !== undefined ? `${z.instanceType}: ` : ''}${z.workers} workers, ${cpu}, ${Math.round(z.memoryRequest / 2 ** 20)}Mi, ${z.pricePerHour}/h`;
}
