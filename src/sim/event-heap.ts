// The future event list: a binary min-heap over (time, insertion order) held in parallel typed
// arrays, so scheduling an event allocates nothing. An event is a kind (small int, the model's
// own enum) and an int argument (an index into the model's own arrays), packed in one word so
// that a sift moves three arrays, not four. Ties in time pop in insertion order, which keeps
// runs deterministic.
import { grown } from './grown.ts';

// 5 bits: 8 global and request kinds, then 24 timer codes per component (a pool's own 8 and its calls').
const KIND_BITS = 5;
const KIND_MASK = (1 << KIND_BITS) - 1;
/** Kinds are 0..EVENT_KINDS−1 and args 0..MAX_EVENT_ARG (the model's slots and packed indices). */
export const EVENT_KINDS = 1 << KIND_BITS;
export const MAX_EVENT_ARG = 2 ** (32 - KIND_BITS) - 1;

export class EventHeap {
  private times: Float64Array;
  private seqs: Float64Array; // float64: exact insertion counter up to 2^53
  private words: Int32Array; // kind in the low KIND_BITS bits, arg above: one array moves instead of two
  private n = 0;
  private counter = 0;

  /** Filled by pop(). */
  time = 0;
  kind = 0;
  arg = 0;

  constructor(capacity = 1024) {
    this.times = new Float64Array(capacity);
    this.times[0] = Infinity; // empty: see peekTime
    this.seqs = new Float64Array(capacity);
    this.words = new Int32Array(capacity);
  }

  get size(): number {
    return this.n;
  }

  push(time: number, kind: number, arg: number): void {
    if (this.n === this.times.length) this.grow();
    const seq = this.counter++;
    const w = (arg << KIND_BITS) | kind;
    const times = this.times, seqs = this.seqs, words = this.words;
    // Sift the hole up from the end, then drop the event in.
    let i = this.n++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = times[p];
      if (pt < time || (pt === time && seqs[p] < seq)) break;
      times[i] = pt; seqs[i] = seqs[p]; words[i] = words[p];
      i = p;
    }
    times[i] = time; seqs[i] = seq; words[i] = w;
  }

  /** Removes the earliest event into (time, kind, arg); false when empty. */
  pop(): boolean {
    if (this.n === 0) return false;
    const times = this.times, seqs = this.seqs, words = this.words;
    const w0 = words[0];
    this.time = times[0]; this.kind = w0 & KIND_MASK; this.arg = w0 >>> KIND_BITS;
    const n = --this.n;
    if (n === 0) { times[0] = Infinity; return true; }
    const t = times[n], s = seqs[n], w = words[n];
    // Sift the hole down from the root, then drop the last event in.
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      const r = c + 1;
      if (r < n && (times[r] < times[c] || (times[r] === times[c] && seqs[r] < seqs[c]))) c = r;
      const ct = times[c];
      if (t < ct || (t === ct && s < seqs[c])) break;
      times[i] = ct; seqs[i] = seqs[c]; words[i] = words[c];
      i = c;
    }
    times[i] = t; seqs[i] = s; words[i] = w;
    return true;
  }

  /** pop(), but only an event due at or before `until`. */
  popUntil(until: number): boolean {
    return this.times[0] <= until && this.pop();
  }

  /**
   * The earliest event's time, Infinity when empty. An empty heap keeps Infinity in its root slot
   * (pop sets it, push overwrites it) so this is one load: a `n === 0 ? Infinity : …` merges a
   * constant with a load, which V8 boxes, an allocation per call on the simulator's hot path.
   */
  peekTime(): number {
    return this.times[0];
  }

  private grow(): void {
    const cap = this.times.length * 2;
    this.times = grown(this.times, cap);
    this.seqs = grown(this.seqs, cap);
    this.words = grown(this.words, cap);
  }
}
