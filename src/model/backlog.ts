// An instance's FIFO backlog: (slot, generation) pairs. An entry whose slot generation moved on
// (the request timed out while waiting) is skipped when it reaches the head.
import { SlotRing } from './slot-ring.ts';

export class Backlog {
  private readonly ring = new SlotRing();
  live = 0; // entries still waiting

  push(slot: number, gen: number): void {
    this.ring.push(slot, gen);
    this.live++;
  }

  /** Next live slot, or -1. `gen` is the request table's current generations. */
  shift(gen: Int32Array): number {
    const r = this.ring;
    while (r.size > 0) {
      const s = r.headSlot, g = r.headTag;
      r.drop();
      if (gen[s] === g) { this.live--; return s; }
    }
    return -1;
  }

  /** Marks one waiting entry as gone (its slot's generation is bumped by the caller). */
  forget(): void {
    this.live--;
  }
}
