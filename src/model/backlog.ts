// An instance's FIFO backlog: a growable ring of (slot, generation) pairs. An entry whose slot
// generation moved on (the request timed out while waiting) is skipped when it reaches the head.
export class Backlog {
  private slots: Int32Array;
  private gens: Int32Array;
  private head = 0;
  private size = 0; // entries, stale ones included
  live = 0; // entries still waiting

  constructor(capacity = 16) { // a power of two: indices wrap by mask
    this.slots = new Int32Array(capacity);
    this.gens = new Int32Array(capacity);
  }

  push(slot: number, gen: number): void {
    if (this.size === this.slots.length) this.grow();
    const i = (this.head + this.size) & (this.slots.length - 1);
    this.slots[i] = slot;
    this.gens[i] = gen;
    this.size++;
    this.live++;
  }

  /** Next live slot, or -1. `gen` is the request table's current generations. */
  shift(gen: Int32Array): number {
    while (this.size > 0) {
      const i = this.head;
      this.head = (this.head + 1) & (this.slots.length - 1);
      this.size--;
      const s = this.slots[i];
      if (gen[s] === this.gens[i]) { this.live--; return s; }
    }
    return -1;
  }

  /** Marks one waiting entry as gone (its slot's generation is bumped by the caller). */
  forget(): void {
    this.live--;
  }

  private grow(): void {
    const cap = this.slots.length * 2;
    const s = new Int32Array(cap), g = new Int32Array(cap);
    for (let k = 0; k < this.size; k++) {
      const i = (this.head + k) & (this.slots.length - 1);
      s[k] = this.slots[i];
      g[k] = this.gens[i];
    }
    this.slots = s;
    this.gens = g;
    this.head = 0;
  }
}
