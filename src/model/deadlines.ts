// A pool's pending request deadlines. Every request at a pool gets the same timeout, so deadlines
// arrive in increasing order and a FIFO holds them sorted: the event heap carries one timer per
// pool (for the earliest live deadline) instead of one event per request. Entries of requests that
// finished in time go stale and are dropped when they reach the head.
import { SlotRing } from './slot-ring.ts';

export class DeadlineQueue {
  private readonly ring = new SlotRing(64);
  /** A timer event for this queue is in the heap (or being handled). */
  armed = false;

  push(slot: number, deadline: number): void {
    this.ring.push(slot, deadline);
  }

  /** Drops stale entries at the head: those whose request no longer waits on that deadline. */
  prune(pending: Float64Array): void {
    const r = this.ring;
    while (r.size > 0 && pending[r.headSlot] !== r.headTag) r.drop();
  }

  get empty(): boolean {
    return this.ring.size === 0;
  }

  get headSlot(): number {
    return this.ring.headSlot;
  }

  get headTime(): number {
    return this.ring.headTag;
  }

  drop(): void {
    this.ring.drop();
  }
}
