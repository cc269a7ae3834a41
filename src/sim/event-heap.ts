// The future event list: a binary min-heap over (time, insertion order) held in parallel typed
// arrays, so scheduling an event allocates nothing. An event is a kind (small int, the model's
// own enum) and an int argument (an index into the model's own arrays). Ties in time pop in
// insertion order, which keeps runs deterministic.
export class EventHeap {
  private times: Float64Array;
  private seqs: Float64Array; // float64: exact insertion counter up to 2^53
  private kinds: Int32Array;
  private args: Int32Array;
  private n = 0;
  private counter = 0;

  /** Filled by pop(). */
  time = 0;
  kind = 0;
  arg = 0;

  constructor(capacity = 1024) {
    this.times = new Float64Array(capacity);
    this.seqs = new Float64Array(capacity);
    this.kinds = new Int32Array(capacity);
    this.args = new Int32Array(capacity);
  }

  get size(): number {
    return this.n;
  }

  push(time: number, kind: number, arg: number): void {
    if (this.n === this.times.length) this.grow();
    const seq = this.counter++;
    const times = this.times, seqs = this.seqs, kinds = this.kinds, args = this.args;
    // Sift the hole up from the end, then drop the event in.
    let i = this.n++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = times[p];
      if (pt < time || (pt === time && seqs[p] < seq)) break;
      times[i] = pt; seqs[i] = seqs[p]; kinds[i] = kinds[p]; args[i] = args[p];
      i = p;
    }
    times[i] = time; seqs[i] = seq; kinds[i] = kind; args[i] = arg;
  }

  /** Removes the earliest event into (time, kind, arg); false when empty. */
  pop(): boolean {
    if (this.n === 0) return false;
    const times = this.times, seqs = this.seqs, kinds = this.kinds, args = this.args;
    this.time = times[0]; this.kind = kinds[0]; this.arg = args[0];
    const n = --this.n;
    if (n === 0) return true;
    const t = times[n], s = seqs[n], k = kinds[n], a = args[n];
    // Sift the hole down from the root, then drop the last event in.
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      const r = c + 1;
      if (r < n && (times[r] < times[c] || (times[r] === times[c] && seqs[r] < seqs[c]))) c = r;
      const ct = times[c];
      if (t < ct || (t === ct && s < seqs[c])) break;
      times[i] = ct; seqs[i] = seqs[c]; kinds[i] = kinds[c]; args[i] = args[c];
      i = c;
    }
    times[i] = t; seqs[i] = s; kinds[i] = k; args[i] = a;
    return true;
  }

  /** pop(), but only an event due at or before `until`. */
  popUntil(until: number): boolean {
    return this.n > 0 && this.times[0] <= until && this.pop();
  }

  peekTime(): number {
    return this.n === 0 ? Infinity : this.times[0];
  }

  private grow(): void {
    const cap = this.times.length * 2;
    const t = new Float64Array(cap); t.set(this.times); this.times = t;
    const s = new Float64Array(cap); s.set(this.seqs); this.seqs = s;
    const k = new Int32Array(cap); k.set(this.kinds); this.kinds = k;
    const a = new Int32Array(cap); a.set(this.args); this.args = a;
  }
}
