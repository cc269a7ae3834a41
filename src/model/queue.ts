// A message queue (RabbitMQ, SQS) and its consumer pool. A producer's request spends `enqueueTime`
// at the queue (its latency here: a publish with confirms, an SQS SendMessage) and is answered, or
// refused with queueFull when `capacity` messages already wait (RabbitMQ's x-max-length with
// overflow reject-publish). The message is a request slot of its own, born at enqueue: it never
// counts as a client request. It waits FIFO until a worker of the consumer pool is free: the queue
// offers it to a ready instance with an idle worker (as a broker pushes to a consumer with prefetch
// 1), marking itself as the message's `via`, so the pool's departure tells it the message is done
// (onReturn) and the worker is about to free; a timer at that same instant then hands the next
// message on. A consumer instance drained, crashed or lost with messages on it puts them back at
// the head (unacknowledged messages are requeued), counted as redelivered; so does a consumer that
// fails a message with a 5xx (an `errors` fault, a faulty release): it never acknowledges it, as an
// SQS message not deleted becomes visible again and a RabbitMQ nack requeues (here at once: no
// visibility timeout).
//
// What the autoscaler sees (`external`): the broker's own figures under the names KEDA's scalers
// read — RabbitMQ's management API (messages, messages_ready, messages_unacknowledged, the publish
// and deliver_get rates over its 5 s statistics interval) and SQS's queue attributes
// (ApproximateNumberOfMessages, …NotVisible, …Delayed) and CloudWatch metric
// (ApproximateNumberOfMessagesVisible{QueueName=…}). Left out: visibility timeouts and consumer
// timeouts (a consumer pool here has none), dead-letter queues, delayed messages (always 0),
// priorities, prefetch above 1, the broker's own capacity and memory alarms.
import type { QueueConfig } from '../scenario/types.ts';
import type { SeriesRow } from '../stats/results.ts';
import type { QueueSummary } from '../stats/data-tier.ts';
import { sampler } from '../sim/distribution.ts';
import { TimeWeighted } from '../stats/time-weighted.ts';
import { LatencyHistogram } from '../stats/latency.ts';
import { ReqState } from './requests.ts';
import { SlotRing } from './slot-ring.ts';
import { Counters, CAUSE_KILLED, CAUSE_NO_UPSTREAM, CAUSE_QUEUE_FULL, CAUSE_SERVER_ERROR, OK, errorCounts } from './counters.ts';
import { REQUEST, TIMER, timerArg, type Component, type InstanceListener, type RunContext } from './component.ts';
import { PoolRuntime } from './pool.ts';
import { Life } from './fleet.ts';
import { intervalRow } from './series.ts';

const ENQUEUED = 0; // request event: the producer's enqueue time is over
const PULL = 0; // timer: a consumer worker has just freed (x = its instance)
const STATS = 1; // timer: the broker's statistics interval ends (rates)
/** RabbitMQ's collect_statistics_interval: rates are differences over this, s. */
export const STATS_INTERVAL = 5;

/** Something whose figures an autoscaler reads as External metrics (Observation.external). */
export interface MetricsSource {
  external(out: Record<string, number>, now: number): void;
}

export class QueueRuntime implements Component, InstanceListener, MetricsSource {
  readonly readsClient = false;
  readonly scaling = null;
  readonly counters = new Counters();
  private pool!: PoolRuntime;
  private next = -1;
  private readonly enqueue: () => number;
  private readonly ring = new SlotRing();
  private readonly depth = new TimeWeighted(0);
  private readonly latency = new LatencyHistogram(3, 2); // the producer's time here
  private cursor = 0; // round robin over the pool's ready instances
  private onWorkers = 0; // messages a consumer holds (unacknowledged)
  private published = 0;
  private delivered = 0;
  private statsAt = [0, 0, 0, 0]; // published, delivered at the last two statistics ticks
  private enqueued = 0;
  private rejected = 0;
  private consumed = 0;
  private redelivered = 0;
  private maxDepth = 0;
  private maxAge = 0;
  private waitSum = 0;
  private waitCount = 0;
  private waitedCount = 0;

  constructor(readonly cfg: QueueConfig, readonly index: number, private readonly run: RunContext) {
    this.enqueue = sampler(cfg.enqueueTime, run.stream(`enqueue:${cfg.name}`));
  }

  link(): void {
    const c = this.run.component(this.cfg.consumers);
    if (!(c instanceof PoolRuntime)) throw new Error(`${this.cfg.name}: consumers ${this.cfg.consumers} is a ${c.cfg.kind}, not a pool`);
    if (c.cfg.timeout < Infinity) throw new Error(`${this.cfg.name}: consumer pool ${c.cfg.name} has a request timeout; a consumer has none`);
    this.pool = c;
    c.listen(this);
    c.metricSources.push(this);
    if (this.cfg.next !== null) this.next = this.run.component(this.cfg.next).index;
  }

  start(): void {
    this.run.heap.push(STATS_INTERVAL, TIMER + STATS, timerArg(this.index, 0));
  }

  // ---- producers ----

  admit(s: number): void {
    const req = this.run.req;
    this.counters.arrivals++;
    req.entered[s] = this.run.now;
    req.state[s] = ReqState.Delayed;
    this.run.heap.push(this.run.now + this.enqueue(), REQUEST + ENQUEUED, s);
  }

  /** The enqueue completes: a full queue refuses it, else the message is stored and the producer goes on. */
  onRequest(_code: number, s: number): void {
    const req = this.run.req, now = this.run.now;
    if (this.ring.size >= this.cfg.capacity) {
      this.rejected++;
      this.counters.error(CAUSE_QUEUE_FULL);
      this.run.fail(s, CAUSE_QUEUE_FULL);
      return;
    }
    const m = req.alloc();
    req.born[m] = now;
    req.cls[m] = req.cls[s];
    req.client[m] = req.client[s];
    req.comp[m] = this.index;
    req.via[m] = -1;
    req.callDepth[m] = 0;
    req.state[m] = ReqState.Queued;
    this.ring.push(m, 0);
    this.depth.add(now, 1);
    if (this.ring.size > this.maxDepth) this.maxDepth = this.ring.size;
    this.enqueued++;
    this.published++;
    if (req.entered[s] >= this.run.warmup) this.latency.record(now - req.entered[s]);
    this.counters.completions++;
    if (this.next >= 0) this.run.route(s, this.next);
    else this.run.complete(s);
    this.dispatch(-1);
  }

  // ---- consumers ----

  /** Hands waiting messages to idle workers (`hint` first: an instance that just freed one). */
  private dispatch(hint: number): void {
    const req = this.run.req, now = this.run.now, warmup = this.run.warmup;
    while (this.ring.size > 0) {
      const inst = this.idle(hint);
      if (inst < 0) return;
      const m = this.ring.headSlot;
      this.ring.drop();
      this.depth.add(now, -1);
      const born = req.born[m];
      if (born >= warmup) {
        this.waitSum += now - born;
        this.waitCount++;
        if (now > born) this.waitedCount++;
      }
      this.onWorkers++;
      this.delivered++;
      this.pool.offer(m, inst, this.index, 0); // an idle worker: it starts at once
    }
  }

  /** A ready consumer instance with an idle worker, or −1. */
  private idle(hint: number): number {
    const p = this.pool, ready = p.ready, w = p.cfg.workers;
    if (hint >= 0 && p.life[hint] === Life.Ready && p.busy[hint] < w) return hint;
    for (let k = 0; k < ready.length; k++) {
      if (this.cursor >= ready.length) this.cursor = 0;
      const inst = ready[this.cursor++];
      if (p.busy[inst] < w) return inst;
    }
    return -1;
  }

  /** The consumer finished message m (or lost it with its instance: then it is requeued at the head). */
  onReturn(m: number, cause: number): boolean {
    const req = this.run.req, now = this.run.now, inst = req.inst[m];
    this.onWorkers--;
    if (cause === CAUSE_NO_UPSTREAM || cause === CAUSE_KILLED || cause === CAUSE_SERVER_ERROR) {
      // Unacknowledged: it goes back. A slot still on the dead worker stays there until that
      // departure comes due and a copy goes back; one already off it (the pool's copy of a killed
      // message, a 5xx answer) goes back itself.
      let r = m;
      if (req.state[m] === ReqState.Service) {
        r = req.clone(m);
        req.state[m] = ReqState.Abandoned;
      }
      this.redelivered++;
      req.comp[r] = this.index;
      req.via[r] = -1;
      req.state[r] = ReqState.Queued;
      this.ring.unshift(r, 0);
      this.depth.add(now, 1);
    } else {
      if (cause === OK) this.consumed++;
      req.release(m);
    }
    // The worker frees right after this returns; the next message goes to it at the same instant.
    this.run.heap.push(now, TIMER + PULL, timerArg(this.index, inst < 0 ? 0 : inst + 1));
    return true;
  }

  addInstance(inst: number): void {
    this.dispatch(inst);
  }

  removeInstance(): void {}

  onTimer(code: number, x: number): void {
    if (code === PULL) this.dispatch(x - 1);
    else if (code === STATS) {
      const a = this.statsAt;
      a[0] = a[2]; a[1] = a[3];
      a[2] = this.published; a[3] = this.delivered;
      this.run.heap.push(this.run.now + STATS_INTERVAL, TIMER + STATS, timerArg(this.index, 0));
    }
  }

  // ---- what the autoscaler reads ----

  external(out: Record<string, number>): void {
    const q = this.cfg.queueName, ready = this.ring.size, unacked = this.onWorkers, a = this.statsAt;
    out[`rabbitmq:${q}:messages`] = ready + unacked;
    out[`rabbitmq:${q}:messages_ready`] = ready;
    out[`rabbitmq:${q}:messages_unacknowledged`] = unacked;
    out[`rabbitmq:${q}:publish_rate`] = (a[2] - a[0]) / STATS_INTERVAL;
    out[`rabbitmq:${q}:deliver_get_rate`] = (a[3] - a[1]) / STATS_INTERVAL;
    out[`sqs:${q}:ApproximateNumberOfMessages`] = ready;
    out[`sqs:${q}:ApproximateNumberOfMessagesNotVisible`] = unacked;
    out[`sqs:${q}:ApproximateNumberOfMessagesDelayed`] = 0;
    out[`ApproximateNumberOfMessagesVisible{QueueName=${q}}`] = ready;
  }

  /** Age of the oldest waiting message, s (0 when none waits). */
  oldestAge(now: number): number {
    return this.ring.size > 0 ? now - this.run.req.born[this.ring.headSlot] : 0;
  }

  // ---- reports ----

  sample(now: number, dt: number): SeriesRow {
    const row = intervalRow(now, this.cfg.name, dt, this.counters, this.latency, this.ring.size, this.depth.windowMean(now));
    const age = this.oldestAge(now);
    if (age > this.maxAge) this.maxAge = age;
    row.oldest_age = age;
    return row;
  }

  billing(): null {
    return null;
  }

  summary(end: number): QueueSummary {
    const age = this.oldestAge(end);
    return {
      kind: 'queue',
      arrivals: this.counters.arrivals,
      enqueued: this.enqueued,
      rejected: this.rejected,
      consumed: this.consumed,
      redelivered: this.redelivered,
      atEnd: { waiting: this.ring.size, onWorkers: this.onWorkers },
      wait: {
        mean: this.waitCount > 0 ? this.waitSum / this.waitCount : 0,
        probWait: this.waitCount > 0 ? this.waitedCount / this.waitCount : 0,
        count: this.waitCount,
      },
      meanDepth: this.depth.mean(end),
      maxDepth: this.maxDepth,
      maxOldestAge: Math.max(this.maxAge, age),
      errors: errorCounts(this.counters),
    };
  }
}
