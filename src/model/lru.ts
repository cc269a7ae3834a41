// An LRU of integer keys with an optional TTL, as a cache node evicts (Redis' allkeys-lru is an
// approximation of this; the exact policy is what Che's approximation describes). Keys are
// 0..keys−1; `slotOf` maps a key to its entry and may be shared by several Lrus whose key sets are
// disjoint (the shards of a cluster: a key lives on one shard only). Entries form a doubly linked
// list in typed arrays, most recent at the head: get, put and evict are O(1) and allocate nothing.

export class Lru {
  size = 0;
  private head = -1; // most recently used
  private tail = -1; // least recently used, evicted first
  private free = 0; // entries 0..free−1 have been used; after that the list's own slots are reused
  private readonly keyOf: Int32Array;
  private readonly prev: Int32Array;
  private readonly next: Int32Array;
  private readonly expires: Float64Array;

  /** capacity: entries it holds; slotOf: key → entry (−1 absent), length = key count, shared by disjoint Lrus. */
  constructor(readonly capacity: number, private readonly slotOf: Int32Array) {
    this.keyOf = new Int32Array(capacity);
    this.prev = new Int32Array(capacity);
    this.next = new Int32Array(capacity);
    this.expires = new Float64Array(capacity);
  }

  /** A lookup at `now`: true on a hit (the key moves to the head); an expired entry is dropped and misses. */
  get(key: number, now: number): boolean {
    const e = this.slotOf[key];
    if (e < 0) return false;
    if (this.expires[e] <= now) {
      this.unlink(e);
      this.slotOf[key] = -1;
      this.release(e);
      return false;
    }
    if (e !== this.head) {
      this.unlink(e);
      this.pushHead(e);
    }
    return true;
  }

  /** Inserts or refreshes `key` until now + ttl (Infinity: no expiry); evicts the least recent entry when full. */
  put(key: number, now: number, ttl: number): void {
    if (this.capacity === 0) return;
    let e = this.slotOf[key];
    if (e >= 0) {
      if (e !== this.head) { this.unlink(e); this.pushHead(e); }
    } else {
      if (this.size === this.capacity) {
        e = this.tail;
        this.unlink(e);
        this.slotOf[this.keyOf[e]] = -1;
      } else {
        e = this.stackTop >= 0 ? this.pop() : this.free++;
        this.size++;
      }
      this.keyOf[e] = key;
      this.slotOf[key] = e;
      this.pushHead(e);
    }
    this.expires[e] = now + ttl;
  }

  /** Empties it (a restart): its keys leave the shared map. O(size). */
  clear(): void {
    for (let e = this.head; e >= 0; e = this.next[e]) this.slotOf[this.keyOf[e]] = -1;
    this.head = this.tail = -1;
    this.size = 0;
    this.free = 0;
    this.stackTop = -1;
  }

  // Entries freed by expiry, reused before fresh ones (a singly linked stack through `next`).
  private stackTop = -1;

  private release(e: number): void {
    this.size--;
    this.next[e] = this.stackTop;
    this.stackTop = e;
  }

  private pop(): number {
    const e = this.stackTop;
    this.stackTop = this.next[e];
    return e;
  }

  private unlink(e: number): void {
    const p = this.prev[e], n = this.next[e];
    if (p >= 0) this.next[p] = n; else this.head = n;
    if (n >= 0) this.prev[n] = p; else this.tail = p;
  }

  private pushHead(e: number): void {
    this.prev[e] = -1;
    this.next[e] = this.head;
    if (this.head >= 0) this.prev[this.head] = e; else this.tail = e;
    this.head = e;
  }
}
