// An independent client side of the wire protocol (concurrency.md §7.3–§7.6), written from the
// spec for the hostile-peer tests: frame and term encoders that can also produce wrong bytes on
// purpose, the HMAC handshake computed from the cookie, and a socket wrapper that collects the
// frames the node sends back. Deliberately does not import runtime/dist (it checks it).
import { createHmac, randomBytes } from "node:crypto";
import * as net from "node:net";

export class Writer {
  private parts: Buffer[] = [];
  u8(n: number): this {
    this.parts.push(Buffer.from([n & 0xff]));
    return this;
  }
  u16(n: number): this {
    const b = Buffer.alloc(2);
    b.writeUInt16LE(n & 0xffff);
    this.parts.push(b);
    return this;
  }
  u32(n: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n >>> 0);
    this.parts.push(b);
    return this;
  }
  u64(n: number | bigint): this {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt.asUintN(64, BigInt(n)));
    this.parts.push(b);
    return this;
  }
  i64(n: number | bigint): this {
    const b = Buffer.alloc(8);
    b.writeBigInt64LE(BigInt.asIntN(64, BigInt(n)));
    this.parts.push(b);
    return this;
  }
  f64(x: number): this {
    const b = Buffer.alloc(8);
    b.writeDoubleLE(x);
    this.parts.push(b);
    return this;
  }
  bytes(b: Uint8Array): this {
    this.parts.push(Buffer.from(b));
    return this;
  }
  str16(s: string | Uint8Array): this {
    const b = typeof s === "string" ? Buffer.from(s, "utf8") : Buffer.from(s);
    return this.u16(b.length).bytes(b);
  }
  str32(s: string | Uint8Array): this {
    const b = typeof s === "string" ? Buffer.from(s, "utf8") : Buffer.from(s);
    return this.u32(b.length).bytes(b);
  }
  pid(p: WirePid): this {
    return this.str16(p.node).u32(p.creation).u64(p.id);
  }
  to(id: number | bigint, creation: number): this {
    return this.u64(id).u32(creation);
  }
  done(): Buffer {
    return Buffer.concat(this.parts);
  }
}

export interface WirePid {
  node: string;
  creation: number;
  id: number | bigint;
}

export const NULL_PID: WirePid = { node: "", creation: 0, id: 0 };

// ---- terms (§7.5) ---------------------------------------------------------------------------------

export type Term =
  | { t: "int"; v: bigint }
  | { t: "float"; v: number }
  | { t: "bool"; v: boolean }
  | { t: "str"; v: string }
  /** tag 0x05 with arbitrary (possibly invalid UTF-8) bytes */
  | { t: "rawstr"; v: Uint8Array }
  | { t: "unit" }
  | { t: "atom"; v: string }
  | { t: "pid"; v: WirePid }
  | { t: "list"; items: Term[] }
  | { t: "tuple"; items: Term[] }
  | { t: "map"; entries: [Term, Term][] }
  | { t: "set"; items: Term[] }
  | { t: "struct"; name: string; fields: [string, Term][] }
  | { t: "sum"; type: string; ctor: string; args: Term[] }
  | { t: "lib"; name: string; v: Term }
  /** any bytes, e.g. an unknown tag */
  | { t: "raw"; bytes: Uint8Array };

export function writeTerm(w: Writer, x: Term): Writer {
  switch (x.t) {
    case "int":
      return w.u8(0x01).i64(x.v);
    case "float":
      return w.u8(0x02).f64(x.v);
    case "bool":
      return w.u8(x.v ? 0x03 : 0x04);
    case "str":
      if ((x.v as string & { isWellFormed(): boolean }).isWellFormed()) return w.u8(0x05).str32(x.v);
      w.u8(0x06).u32(x.v.length);
      for (let i = 0; i < x.v.length; i++) w.u16(x.v.charCodeAt(i));
      return w;
    case "rawstr":
      return w.u8(0x05).str32(x.v);
    case "unit":
      return w.u8(0x07);
    case "atom":
      return w.u8(0x08).str16(x.v);
    case "pid":
      return w.u8(0x09).pid(x.v);
    case "list":
      w.u8(0x0a).u32(x.items.length);
      for (const i of x.items) writeTerm(w, i);
      return w;
    case "tuple":
      w.u8(0x0b).u16(x.items.length);
      for (const i of x.items) writeTerm(w, i);
      return w;
    case "map":
      w.u8(0x0c).u32(x.entries.length);
      for (const [k, v] of x.entries) writeTerm(writeTerm(w, k), v);
      return w;
    case "set":
      w.u8(0x0d).u32(x.items.length);
      for (const i of x.items) writeTerm(w, i);
      return w;
    case "struct":
      w.u8(0x0e).str16(x.name).u16(x.fields.length);
      for (const [k, v] of x.fields) writeTerm(w.str16(k), v);
      return w;
    case "sum":
      w.u8(0x0f).str16(x.type).str16(x.ctor).u16(x.args.length);
      for (const a of x.args) writeTerm(w, a);
      return w;
    case "lib":
      return writeTerm(w.u8(0x10).str16(x.name), x.v);
    case "raw":
      return w.bytes(x.bytes);
  }
}

export const termBytes = (x: Term): Buffer => writeTerm(new Writer(), x).done();

/** A list nested `depth` levels deep (depth 1 = `[]`), built without recursion. */
export function deepListBytes(depth: number): Buffer {
  const w = new Writer();
  for (let i = 1; i < depth; i++) w.u8(0x0a).u32(1);
  return w.u8(0x0a).u32(0).done();
}

// ---- frames ----------------------------------------------------------------------------------------

export const KIND = {
  HELLO: 0x01,
  CHALLENGE: 0x02,
  PROOF: 0x03,
  ACCEPT: 0x04,
  REJECT: 0x05,
  SEND: 0x10,
  LINK: 0x11,
  UNLINK: 0x12,
  EXIT: 0x13,
  MONITOR: 0x14,
  DEMONITOR: 0x15,
  DOWN: 0x16,
  SPAWN: 0x17,
  SPAWN_REPLY: 0x18,
  CALL: 0x19,
  CAST: 0x1a,
  REPLY: 0x1b,
  CALL_FAIL: 0x1c,
  GLOBAL_REGISTER: 0x20,
  GLOBAL_UNREGISTER: 0x21,
  GLOBAL_SYNC: 0x22,
  PEERS: 0x23,
  ROOM_BROADCAST: 0x24,
  TICK: 0x30,
  BYE: 0x31,
} as const;

/** Length prefix + payload. */
export function frame(payload: Uint8Array, length = payload.length): Buffer {
  const b = Buffer.alloc(4 + payload.length);
  b.writeUInt32LE(length >>> 0, 0);
  b.set(payload, 4);
  return b;
}

export const MAGIC = Buffer.from("MESH", "ascii");

export function helloPayload(name: string, creation: number, nonce: Uint8Array, version = 1, kind: number = KIND.HELLO): Buffer {
  return new Writer().u8(kind).bytes(MAGIC).u16(version).str16(name).u32(creation).bytes(nonce).done();
}

export interface Challenge {
  version: number;
  name: string;
  creation: number;
  nonce: Buffer;
}

export function parseChallenge(p: Buffer): Challenge | null {
  if (p[0] !== KIND.CHALLENGE || p.length < 1 + 4 + 2 + 2) return null;
  if (!p.subarray(1, 5).equals(MAGIC)) return null;
  const version = p.readUInt16LE(5);
  const n = p.readUInt16LE(7);
  const name = p.subarray(9, 9 + n).toString("utf8");
  const o = 9 + n;
  if (p.length !== o + 4 + 32) return null;
  return { version, name, creation: p.readUInt32LE(o), nonce: Buffer.from(p.subarray(o + 4, o + 36)) };
}

export interface Reject {
  code: number;
  name: string;
  text: string;
}

export function parseReject(p: Buffer): Reject | null {
  if (p[0] !== KIND.REJECT || p.length < 6) return null;
  const code = p[1]!;
  const n = p.readUInt16LE(2);
  const name = p.subarray(4, 4 + n).toString("utf8");
  const m = p.readUInt16LE(4 + n);
  return { code, name, text: p.subarray(6 + n, 6 + n + m).toString("utf8") };
}

/** mac_i / mac_a of §7.4. */
export function handshakeMac(cookie: string, role: "initiator" | "acceptor", iNonce: Uint8Array, aNonce: Uint8Array, iName: string, aName: string, iCreation: number, aCreation: number): Buffer {
  const t = new Writer().bytes(iNonce).bytes(aNonce).str16(iName).str16(aName).u32(iCreation).u32(aCreation).done();
  return createHmac("sha256", Buffer.from(cookie, "utf8")).update(`MESH/1 ${role}`).update(t).digest();
}

// ---- a socket that collects frames ------------------------------------------------------------------

/** A raw TCP connection to a node with a frame splitter on the incoming side. */
export class Conn {
  readonly frames: Buffer[] = [];
  closed = false;
  private buf: Buffer = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  readonly closedP: Promise<void>;

  private constructor(readonly sock: net.Socket) {
    sock.setNoDelay(true);
    sock.on("data", (c: Buffer) => {
      this.buf = this.buf.length ? Buffer.concat([this.buf, c]) : c;
      while (this.buf.length >= 4) {
        const len = this.buf.readUInt32LE(0);
        if (this.buf.length < 4 + len) break;
        this.frames.push(Buffer.from(this.buf.subarray(4, 4 + len)));
        this.buf = this.buf.subarray(4 + len);
      }
      this.wake();
    });
    sock.on("error", () => {});
    this.closedP = new Promise((resolve) =>
      sock.on("close", () => {
        this.closed = true;
        this.wake();
        resolve();
      }),
    );
  }

  static open(port: number, timeoutMs = 3000): Promise<Conn> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, "127.0.0.1");
      const t = setTimeout(() => {
        s.destroy();
        reject(new Error("connect timeout"));
      }, timeoutMs);
      s.once("connect", () => {
        clearTimeout(t);
        resolve(new Conn(s));
      });
      s.once("error", (e) => {
        clearTimeout(t);
        reject(e);
      });
    });
  }

  private wake(): void {
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w();
  }

  write(b: Uint8Array): void {
    if (!this.closed && !this.sock.destroyed) this.sock.write(b);
  }

  /** Waits for the n-th incoming frame (0-based), or null on close / timeout. */
  frameAt(n: number, ms: number): Promise<Buffer | null> {
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(this.frames[n] ?? null), ms);
      const check = () => {
        if (this.frames.length > n) {
          clearTimeout(t);
          resolve(this.frames[n]!);
        } else if (this.closed) {
          clearTimeout(t);
          resolve(null);
        } else this.waiters.push(check);
      };
      check();
    });
  }

  /** Resolves true when the node closed the connection within `ms`. */
  waitClosed(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(this.closed), ms);
      void this.closedP.then(() => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }

  end(): void {
    this.sock.end();
  }

  destroy(): void {
    this.sock.destroy();
  }
}

export interface Session {
  conn: Conn;
  peer: Challenge;
  name: string;
  creation: number;
}

/** Runs the initiator side of the handshake with the right cookie; resolves once ACCEPT was
 * verified. Sends our (empty) GLOBAL_SYNC and PEERS like a real node. */
export async function openSession(port: number, name: string, cookie: string, creation = (randomBytes(4).readUInt32LE(0) | 1) >>> 0): Promise<Session> {
  const conn = await Conn.open(port);
  const nonceI = randomBytes(32);
  conn.write(frame(helloPayload(name, creation, nonceI)));
  const ch = await conn.frameAt(0, 3000);
  const peer = ch && parseChallenge(ch);
  if (!peer) {
    conn.destroy();
    throw new Error(`no CHALLENGE: ${ch ? JSON.stringify(parseReject(ch) ?? ch.toString("hex")) : "closed"}`);
  }
  conn.write(frame(Buffer.concat([Buffer.from([KIND.PROOF]), handshakeMac(cookie, "initiator", nonceI, peer.nonce, name, peer.name, creation, peer.creation)])));
  const acc = await conn.frameAt(1, 3000);
  const expected = handshakeMac(cookie, "acceptor", nonceI, peer.nonce, name, peer.name, creation, peer.creation);
  if (!acc || acc[0] !== KIND.ACCEPT || !acc.subarray(1).equals(expected)) {
    conn.destroy();
    throw new Error(`no valid ACCEPT: ${acc ? acc.toString("hex") : "closed"}`);
  }
  conn.write(frame(new Writer().u8(KIND.GLOBAL_SYNC).u32(0).done()));
  conn.write(frame(new Writer().u8(KIND.PEERS).u16(0).done()));
  return { conn, peer, name, creation };
}
