// A growable FIFO ring of (request slot, tag) pairs in typed arrays: the shape both an instance's
// backlog (tag = the slot's generation) and a pool's deadlines (tag = the deadline) take. Entries
// whose tag no longer matches the request are stale; their owners skip them at the head.
export class SlotRing {
  private slots: Int32Array;
  private tags: Float64Array;
  private head = 0;
  size = 0; // entries, stale ones included

  constructor(capacity = 16) { // a power of two: indices wrap by mask
    this.slots = new Int32Array(capacity);
    this.tags = new Float64Array(capacity);
  }

  push(slot: number, tag: number): void {
    if (this.size === this.slots.length) this.grow();
    const i = (this.head + this.size) & (this.slots.length - 1);
    this.slots[i] = slot;
    this.tags[i] = tag;
    this.size++;
  }

  /** Puts an entry back at the head (a message redelivered before the ones behind it). */
  unshift(slot: number, tag: number): void {
    if (this.size === this.slots.length) this.grow();
    this.head = (this.head - 1) & (this.slots.length - 1);
    this.slots[this.head] = slot;
    this.tags[this.head] = tag;
    this.size++;
  }

  get headSlot(): number {
    return this.slots[this.head];
  }

  get headTag(): number {
    return this.tags[this.head];
  }

  drop(): void {
    this.head = (this.head + 1) & (this.slots.length - 1);
    this.size--;
  }

  private grow(): void {
    const cap = this.slots.length * 2, mask = this.slots.length - 1;
    const s = new Int32Array(cap), t = new Float64Array(cap);
    for (let k = 0; k < this.size; k++) {
      s[k] = this.slots[(this.head + k) & mask];
      t[k] = this.tags[(this.head + k) & mask];
    }
    this.slots = s;
    this.tags = t;
    this.head = 0;
  }
}
