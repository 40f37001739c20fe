// A Map whose insertions are appended to a log and indexed on the first read. The checker records
// an annotation for almost every node (about 60,000 entries per 10,000 lines) and `meshc check`
// never reads most of them: appending a pair to an array costs a fraction of a hash-table insert
// (identity hash, table growth), so the hashing is deferred to whoever reads the table (the code
// generator, the language server). Replaying the log in order gives exactly the Map that direct
// insertion would have built (same entries, same iteration order, last value wins).
// The log is kept in fixed-size chunks: one large array grown by doubling is copied again and
// again, and each copy is a large fresh allocation.
const CHUNK = 4096; // slots (2,048 pairs)

export class LogMap<K, V> extends Map<K, V> {
  private chunks: unknown[][] | null = []; // key, value, key, value, ... not yet in the Map
  private last: unknown[] = [];
  private n = CHUNK; // slots used in `last`
  private shared = false; // `chunks` is also read by a table made by mapped()
  private convert: ((v: never) => V) | null = null; // applied to logged values when indexed

  override set(k: K, v: V): this {
    if (this.chunks === null) return super.set(k, v);
    if (this.shared) this.unshare();
    let n = this.n;
    if (n === CHUNK) {
      this.last = new Array(CHUNK);
      this.chunks.push(this.last);
      n = 0;
    }
    this.last[n] = k;
    this.last[n + 1] = v;
    this.n = n + 2;
    return this;
  }

  private unshare(): void {
    this.chunks = this.chunks!.map((c) => c.slice());
    this.last = this.chunks[this.chunks.length - 1] ?? [];
    this.shared = false;
  }

  // A new table holding f(value) for every entry, computed on its first read. The values must
  // not change meaning after this call (the checker calls it once checking is over).
  mapped<W>(f: (v: V) => W): LogMap<K, W> {
    const out = new LogMap<K, W>();
    if (this.chunks !== null) {
      out.chunks = this.chunks;
      out.last = this.last;
      out.n = this.n;
      out.shared = this.shared = true;
    } else {
      for (const [k, v] of super.entries()) out.set(k, v as unknown as W);
    }
    out.convert = f as (v: never) => W;
    return out;
  }

  private flush(): void {
    const chunks = this.chunks;
    if (chunks === null) return;
    this.chunks = null;
    const f = this.convert;
    this.convert = null;
    for (let c = 0; c < chunks.length; c++) {
      const log = chunks[c]!;
      const end = c === chunks.length - 1 ? this.n : CHUNK;
      for (let i = 0; i < end; i += 2) super.set(log[i] as K, (f === null ? log[i + 1] : f(log[i + 1] as never)) as V);
    }
    this.last = [];
  }

  override get(k: K): V | undefined {
    if (this.chunks !== null) this.flush();
    return super.get(k);
  }
  override has(k: K): boolean {
    if (this.chunks !== null) this.flush();
    return super.has(k);
  }
  override delete(k: K): boolean {
    if (this.chunks !== null) this.flush();
    return super.delete(k);
  }
  override clear(): void {
    this.chunks = null;
    this.convert = null;
    super.clear();
  }
  override get size(): number {
    if (this.chunks !== null) this.flush();
    return super.size;
  }
  override forEach(cb: (v: V, k: K, m: Map<K, V>) => void, thisArg?: unknown): void {
    if (this.chunks !== null) this.flush();
    super.forEach(cb, thisArg);
  }
  override entries(): MapIterator<[K, V]> {
    if (this.chunks !== null) this.flush();
    return super.entries();
  }
  override keys(): MapIterator<K> {
    if (this.chunks !== null) this.flush();
    return super.keys();
  }
  override values(): MapIterator<V> {
    if (this.chunks !== null) this.flush();
    return super.values();
  }
  override [Symbol.iterator](): MapIterator<[K, V]> {
    if (this.chunks !== null) this.flush();
    return super[Symbol.iterator]();
  }
}
