// A Swarm service update, re-expressed from swarmkit's updater
// (manager/orchestrator/update/updater.go, Updater.Run / worker / updateTask):
//
//   - the slots to update are the tasks not at the new spec ("dirty"), taken in order by
//     `parallelism` workers (0: all at once);
//   - stop-first: the old task is shut down and the new one starts once it has stopped (or after
//     the one-minute old-task timeout); start-first: the new one starts and the old one is shut
//     down once the new one is RUNNING; a worker waits `delay` before its next slot;
//   - a task this update created that fails before it runs, or within `monitor` after it started
//     running, counts once; when failures / dirty slots > max_failure_ratio, failure_action:
//     pause (no further slots; the service stays mixed), rollback (a new update back to the
//     previous spec under rollback_config — and a failing rollback pauses: "never roll back a
//     rollback"), continue;
//   - once every slot is dispatched and its worker done, failures are watched for one more
//     `monitor` period before the update completes.
// A task is RUNNING when its instance is ready; it fails when its process crashes, is killed as
// unhealthy (a HEALTHCHECK failing `retries` times) or its host is lost. The restart supervisor's
// replacement of a failed task is not the updater's (./lifecycle.ts restarts it in place).
import type { Release, Strategy, SwarmUpdateConfig } from '../scenario/types.ts';
import { Life } from './fleet.ts';
import { Rollout, type RolloutHost } from './rollout.ts';

const OLD_TASK_TIMEOUT = 60; // s, restart.Supervisor's defaultOldTaskTimeout

const enum Phase { Idle, Stopping, Starting, Delaying }

interface Lane {
  phase: Phase;
  old: number; // instance being replaced
  fresh: number; // instance started for the slot
  since: number; // when the phase began
}

export class SwarmUpdate extends Rollout {
  private queue: number[] = []; // dirty slots (instances) not yet dispatched
  private dirty = 0; // len(dirtySlots)
  private lanes: Lane[] = [];
  private started = new Map<number, number>(); // tasks this update created → when they ran (NaN: not yet)
  private failedTasks = new Set<number>();
  private failures = 0;
  private stopped = false; // no more slots dispatched (paused, rolled back)
  private monitorFrom = -1; // when the last worker finished: completion after `monitor`

  override readonly isRollback: boolean;

  constructor(pool: RolloutHost, release: Release, to: number, strategy: Strategy, private readonly cfg: SwarmUpdateConfig, isRollback: boolean) {
    super(pool, release, to, strategy);
    this.isRollback = isRollback;
  }

  start(): void {
    const p = this.pool;
    p.versions.current = this.to;
    while (p.want.length <= this.to) p.want.push(0);
    for (let i = 0; i < p.n; i++) if (p.life[i] <= Life.Ready && p.version[i] !== this.to) this.queue.push(i);
    this.dirty = this.queue.length;
    const c = this.cfg;
    this.log(this.isRollback ? 'rollback' : 'release', `${this.isRollback ? 'rolling back' : 'updating'} ${this.dirty} tasks (parallelism ${c.parallelism}, delay ${c.delay} s, ${c.order}, monitor ${c.monitor} s, failure_action ${c.failureAction}, max_failure_ratio ${c.maxFailureRatio})`);
    const n = c.parallelism === 0 ? Math.max(1, this.dirty) : c.parallelism;
    for (let k = 0; k < n; k++) this.lanes.push({ phase: Phase.Idle, old: -1, fresh: -1, since: this.now });
    this.onChange();
  }

  onTimer(code: number): void {
    if (code === MONITOR_DONE) {
      if (this.outcome === 'in progress' && this.monitorFrom >= 0 && this.now >= this.monitorFrom + this.cfg.monitor) this.end('complete', `${this.dirty} tasks updated, no failure past max_failure_ratio within monitor`);
      return;
    }
    this.onChange(); // a lane's delay or old-task timeout
  }

  protected step(): void {
    if (this.outcome !== 'in progress') return;
    this.watchFailures();
    if (this.outcome !== 'in progress') return;
    const p = this.pool, now = this.now;
    for (const lane of this.lanes) {
      for (;;) {
        if (lane.phase === Phase.Delaying) {
          if (now < lane.since + this.cfg.delay) break;
          lane.phase = Phase.Idle;
        }
        if (lane.phase === Phase.Idle) {
          if (this.stopped || this.queue.length === 0) break;
          const old = this.queue.shift()!;
          if (p.life[old] > Life.Ready || p.version[old] === this.to) continue; // gone since it was queued
          lane.old = old;
          lane.since = now;
          if (this.cfg.order === 'stop-first') {
            lane.phase = Phase.Stopping;
            this.stopOld(old);
          } else this.startNew(lane);
        }
        if (lane.phase === Phase.Stopping) {
          // the new task starts once the old one has stopped (or the old-task timeout passed)
          if (p.life[lane.old] !== Life.Gone && p.life[lane.old] !== Life.Down && now < lane.since + OLD_TASK_TIMEOUT) {
            this.timer(lane.since + OLD_TASK_TIMEOUT - now, TICK);
            break;
          }
          this.startNew(lane);
        }
        if (lane.phase === Phase.Starting) {
          const f = lane.fresh, life = f < 0 ? Life.Gone : p.life[f];
          if (life === Life.Provisioning || life === Life.Starting) break; // not RUNNING yet
          if (life === Life.Ready && Number.isNaN(this.started.get(f)!)) this.started.set(f, now);
          if (this.cfg.order === 'start-first' && lane.old >= 0) {
            this.stopOld(lane.old); // start-first: the old task goes once the new one runs (or failed)
            lane.old = -1;
          }
          lane.phase = Phase.Delaying;
          lane.since = now;
          if (this.cfg.delay > 0) { this.timer(this.cfg.delay, TICK); break; }
          continue;
        }
        break;
      }
    }
    // Every slot dispatched and every worker idle: watch one more monitor period, then complete.
    if (!this.stopped && this.queue.length === 0 && this.lanes.every((l) => l.phase === Phase.Idle || (l.phase === Phase.Delaying && now >= l.since + this.cfg.delay)) && this.monitorFrom < 0) {
      this.monitorFrom = now;
      this.timer(this.cfg.monitor, MONITOR_DONE);
    }
  }

  private stopOld(inst: number): void {
    const p = this.pool, v = p.version[inst];
    if (p.life[inst] > Life.Ready) return;
    p.want[v] = Math.max(0, p.want[v] - 1);
    p.drain(inst);
  }

  private startNew(lane: Lane): void {
    const p = this.pool;
    p.want[this.to]++;
    lane.fresh = p.launch(this.to);
    lane.phase = Phase.Starting;
    lane.since = this.now;
    if (lane.fresh >= 0) this.started.set(lane.fresh, NaN);
  }

  /** failureTriggersAction over the tasks this update created. */
  private watchFailures(): void {
    const p = this.pool, now = this.now;
    for (const [inst, ranAt] of this.started) {
      if (this.failedTasks.has(inst)) continue;
      const failed = p.life[inst] === Life.Down || (p.life[inst] === Life.Gone && p.lost[inst] === 1);
      if (!failed) continue;
      // a failure counts if the task never ran, or within `monitor` of when it started running
      if (!Number.isNaN(ranAt) && now - ranAt > this.cfg.monitor) continue;
      this.failedTasks.add(inst);
      this.failures++;
      if (this.cfg.failureAction === 'continue') continue;
      // float32(totalFailures)/float32(len(dirtySlots)) > MaxFailureRatio, in Go's float32 as swarmkit computes it
      if (Math.fround(Math.fround(this.failures) / Math.fround(this.dirty)) > Math.fround(this.cfg.maxFailureRatio)) {
        this.act(inst);
        return;
      }
    }
  }

  private act(inst: number): void {
    const why = `task ${this.pool.cfg.name}-${inst} failed: ${this.failures} of ${this.dirty} > max_failure_ratio ${this.cfg.maxFailureRatio}`;
    this.stopped = true;
    if (this.cfg.failureAction === 'pause' || this.isRollback) {
      this.end('paused', `${this.isRollback ? 'rollback paused' : 'update paused'} (${why})`);
      return;
    }
    this.end('rolled back', why);
    this.pool.startRollback(this);
  }

  /** Failures counted so far (tests). */
  get failureCount(): number {
    return this.failures;
  }
}

const TICK = 0;
const MONITOR_DONE = 1;
