// Little-endian byte writer/reader for the distribution wire format (concurrency.md §7.3, §7.5),
// plus the two errors every encoder/decoder speaks: MalformedFrame (structural, the socket goes)
// and UnsendableValue (refused at the sender). Hot path: no per-value allocation for numbers, and
// an ASCII fast path for strings.

/** A structural problem in received bytes (§7.5, §7.8): the connection must be destroyed. */
export class MalformedFrame extends Error {
  constructor(readonly detail: string) {
    super(detail);
    this.name = "MalformedFrame";
  }
}

/** A value that may not cross nodes (§6.10); message exactly `unsendable value: <TypeName>`. */
export class UnsendableValue extends Error {
  constructor(readonly typeName: string) {
    super(`unsendable value: ${typeName}`);
    this.name = "UnsendableValue";
  }
}

const TWO32 = 4294967296;

/** `String.prototype.isWellFormed` (Node >= 20; not in this project's TS lib). */
export function isWellFormed(s: string): boolean {
  return (s as unknown as { isWellFormed(): boolean }).isWellFormed();
}
const utf8Encoder = new TextEncoder();
const utf8Fatal = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** A growable output buffer. `reset()` keeps the storage for reuse (one writer per connection). */
export class ByteWriter {
  buf: Uint8Array;
  dv: DataView;
  pos = 0;

  constructor(initial = 256) {
    this.buf = new Uint8Array(initial);
    this.dv = new DataView(this.buf.buffer);
  }

  reset(): void {
    this.pos = 0;
  }

  /** Makes room for n more bytes. */
  ensure(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    let cap = Math.max(64, this.buf.length * 2);
    while (cap < need) cap *= 2;
    const nb = new Uint8Array(cap);
    nb.set(this.buf); // all of it: callers may have written ahead of pos (utf8WellFormed32)
    this.buf = nb;
    this.dv = new DataView(nb.buffer);
  }

  u8(v: number): void {
    if (this.pos >= this.buf.length) this.ensure(1);
    this.buf[this.pos++] = v;
  }

  u16(v: number): void {
    this.ensure(2);
    this.dv.setUint16(this.pos, v, true);
    this.pos += 2;
  }

  u32(v: number): void {
    this.ensure(4);
    this.dv.setUint32(this.pos, v, true);
    this.pos += 4;
  }

  /** Patches a u32 at an earlier position (frame lengths). */
  u32At(at: number, v: number): void {
    this.dv.setUint32(at, v, true);
  }

  /** A non-negative integer up to 2^53−1 as u64, without BigInt. */
  u64(v: number): void {
    this.ensure(8);
    this.dv.setUint32(this.pos, v >>> 0, true);
    this.dv.setUint32(this.pos + 4, Math.floor(v / TWO32) >>> 0, true);
    this.pos += 8;
  }

  /** A safe integer as i64 two's complement. */
  i64(v: number): void {
    this.ensure(8);
    this.dv.setUint32(this.pos, v >>> 0, true);
    this.dv.setInt32(this.pos + 4, Math.floor(v / TWO32), true);
    this.pos += 8;
  }

  f64(v: number): void {
    this.ensure(8);
    this.dv.setFloat64(this.pos, v, true);
    this.pos += 8;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /**
   * UTF-8 of a well-formed string preceded by its byte length (u16 when `wide` is false, else
   * u32). Returns false without writing anything if the encoded length exceeds `max`.
   */
  utf8(s: string, wide: boolean, max: number): boolean {
    const n = s.length;
    const hdr = wide ? 4 : 2;
    // ASCII fast path: one pass writing char codes, bailing out at the first non-ASCII unit.
    if (n <= max) {
      this.ensure(hdr + n);
      const buf = this.buf;
      let p = this.pos + hdr;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[p++] = c;
      }
      if (i === n) {
        if (wide) this.dv.setUint32(this.pos, n, true);
        else this.dv.setUint16(this.pos, n, true);
        this.pos = p;
        return true;
      }
    }
    // General case: at most 3 bytes per UTF-16 unit.
    this.ensure(hdr + n * 3);
    const r = utf8Encoder.encodeInto(s, this.buf.subarray(this.pos + hdr));
    const len = r.written;
    if (len > max) return false;
    if (wide) this.dv.setUint32(this.pos, len, true);
    else this.dv.setUint16(this.pos, len, true);
    this.pos += hdr + len;
    return true;
  }

  /**
   * u32 byte length + UTF-8 (term tag 0x05) if `s` is well-formed; returns false without writing
   * anything when it contains a lone surrogate. ASCII strings never reach `isWellFormed`.
   */
  utf8WellFormed32(s: string): boolean {
    const n = s.length;
    this.ensure(4 + n);
    const buf = this.buf;
    let p = this.pos + 4;
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) break;
      buf[p++] = c;
    }
    if (i === n) {
      this.dv.setUint32(this.pos, n, true);
      this.pos = p;
      return true;
    }
    if (!isWellFormed(s)) return false;
    // The ASCII prefix is already in place; encode the rest after it.
    this.ensure(4 + i + (n - i) * 3);
    const r = utf8Encoder.encodeInto(i === 0 ? s : s.slice(i), this.buf.subarray(this.pos + 4 + i));
    const len = i + r.written;
    this.dv.setUint32(this.pos, len, true);
    this.pos += 4 + len;
    return true;
  }

  /** u32 code-unit count + UTF-16LE units (term tag 0x06). */
  utf16(s: string): void {
    const n = s.length;
    this.ensure(4 + 2 * n);
    this.dv.setUint32(this.pos, n, true);
    let p = this.pos + 4;
    for (let i = 0; i < n; i++, p += 2) this.dv.setUint16(p, s.charCodeAt(i), true);
    this.pos = p;
  }

  /** A copy of the written bytes. */
  toBuffer(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.pos));
  }
}

// f64 reads go through an aliased scratch array (no DataView per payload); hosts are little-endian
// (x86-64, arm64), checked once.
const f64Scratch = new Float64Array(1);
const f64Bytes = new Uint8Array(f64Scratch.buffer);
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
const latin1Slice = (Buffer.prototype as unknown as { latin1Slice(this: Uint8Array, s: number, e: number): string }).latin1Slice;

/** Reads a payload; every overrun throws MalformedFrame. Reusable through `reset`. */
export class ByteReader {
  buf: Uint8Array;
  pos: number;
  end: number;

  constructor(buf: Uint8Array, start = 0, end = buf.length) {
    this.buf = buf;
    this.pos = start;
    this.end = end;
  }

  reset(buf: Uint8Array, start = 0, end = buf.length): this {
    this.buf = buf;
    this.pos = start;
    this.end = end;
    return this;
  }

  remaining(): number {
    return this.end - this.pos;
  }

  need(n: number, what: string): void {
    if (this.end - this.pos < n) throw new MalformedFrame(`truncated ${what}`);
  }

  u8(what = "u8"): number {
    if (this.pos >= this.end) throw new MalformedFrame(`truncated ${what}`);
    return this.buf[this.pos++];
  }

  u16(what = "u16"): number {
    const p = this.pos;
    if (this.end - p < 2) throw new MalformedFrame(`truncated ${what}`);
    const b = this.buf;
    this.pos = p + 2;
    return b[p] | (b[p + 1] << 8);
  }

  u32(what = "u32"): number {
    const p = this.pos;
    if (this.end - p < 4) throw new MalformedFrame(`truncated ${what}`);
    const b = this.buf;
    this.pos = p + 4;
    return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16)) + b[p + 3] * 0x1000000;
  }

  /** u64 as a number; values above 2^53−1 are structural errors. */
  u64(what = "u64"): number {
    const lo = this.u32(what);
    const hi = this.u32(what);
    if (hi > 0x1fffff) throw new MalformedFrame(`${what} out of range`);
    return hi * TWO32 + lo;
  }

  /** i64 limited to the Int range ±(2^53−1). */
  i64(what = "Int"): number {
    const lo = this.u32(what);
    const hi = this.u32(what) | 0;
    if (hi > 0x1fffff || hi < -0x200000 || (hi === -0x200000 && lo === 0)) throw new MalformedFrame(`${what} out of range`);
    return hi * TWO32 + lo;
  }

  f64(what = "Float"): number {
    const p = this.pos;
    if (this.end - p < 8) throw new MalformedFrame(`truncated ${what}`);
    const b = this.buf;
    this.pos = p + 8;
    if (LITTLE_ENDIAN) {
      for (let i = 0; i < 8; i++) f64Bytes[i] = b[p + i];
    } else {
      for (let i = 0; i < 8; i++) f64Bytes[7 - i] = b[p + i];
    }
    return f64Scratch[0];
  }

  bytes(n: number, what: string): Uint8Array {
    this.need(n, what);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  /** n bytes of UTF-8; invalid UTF-8 is structural. */
  utf8(n: number, what: string): string {
    const start = this.pos;
    if (this.end - start < n) throw new MalformedFrame(`truncated ${what}`);
    if (n === 0) return "";
    const buf = this.buf;
    const stop = start + n;
    // Native decoders cost a few hundred ns per call: very short ASCII strings are built in JS
    // (V8 keeps strings under 13 characters flat), longer ASCII ones with one latin1 slice.
    if (n <= 12) {
      let out = "";
      let i = start;
      for (; i < stop; i++) {
        const c = buf[i];
        if (c >= 0x80) break;
        out += String.fromCharCode(c);
      }
      if (i === stop) {
        this.pos = stop;
        return out;
      }
    } else if (n <= 4096) {
      let i = start;
      while (i < stop && buf[i] < 0x80) i++;
      if (i === stop) {
        this.pos = stop;
        return latin1Slice.call(buf, start, stop);
      }
    }
    let s: string;
    try {
      s = utf8Fatal.decode(buf.subarray(start, stop));
    } catch {
      throw new MalformedFrame(`invalid UTF-8 in ${what}`);
    }
    this.pos = stop;
    return s;
  }

  /** True (and skips them) when the next bytes equal `expect`. */
  skipIf(expect: Uint8Array): boolean {
    const n = expect.length;
    const p = this.pos;
    if (this.end - p < n) return false;
    const b = this.buf;
    for (let i = 0; i < n; i++) if (b[p + i] !== expect[i]) return false;
    this.pos = p + n;
    return true;
  }

  str16(what: string): string {
    return this.utf8(this.u16(what), what);
  }

  str32(what: string): string {
    return this.utf8(this.u32(what), what);
  }

  /** u32 code-unit count + UTF-16LE units. */
  utf16(what: string): string {
    const n = this.u32(what);
    if (n > (this.end - this.pos) / 2) throw new MalformedFrame(`truncated ${what}`);
    const b = this.buf;
    let p = this.pos;
    let s = "";
    // Chunked fromCharCode keeps the number of intermediate strings small.
    const CH = 4096;
    const units = new Array<number>(Math.min(n, CH));
    for (let done = 0; done < n; ) {
      const k = Math.min(CH, n - done);
      units.length = k;
      for (let i = 0; i < k; i++, p += 2) units[i] = b[p] | (b[p + 1] << 8);
      s += String.fromCharCode.apply(null, units);
      done += k;
    }
    this.pos = p;
    return s;
  }
}
