// A pool's pending request deadlines. Every request at a pool gets the same timeout, so deadlines
// arrive in increasing order and a FIFO holds them sorted: the event heap carries one timer per
// pool (for the earliest live deadline) instead of one event per request. Entries of requests that
// finished in time go stale and are dropped when they reach the head.
export class DeadlineQueue {
  private slots = new Int32Array(64);
  private times = new Float64Array(64);
  private head = 0;
  private size = 0;
  /** A timer event for this queue is in the heap (or being handled). */
  armed = false;

  push(slot: number, deadline: number): void {
    if (this.size === this.slots.length) this.grow();
    const i = (this.head + this.size) & (this.slots.length - 1);
    this.slots[i] = slot;
    this.times[i] = deadline;
    this.size++;
  }

  /** Drops stale entries at the head: those whose request no longer waits on that deadline. */
  prune(pending: Float64Array): void {
    while (this.size > 0 && pending[this.slots[this.head]] !== this.times[this.head]) this.drop();
  }

  get empty(): boolean {
    return this.size === 0;
  }

  get headSlot(): number {
    return this.slots[this.head];
  }

  get headTime(): number {
    return this.times[this.head];
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
      t[k] = this.times[(this.head + k) & mask];
    }
    this.slots = s;
    this.times = t;
    this.head = 0;
  }
}
