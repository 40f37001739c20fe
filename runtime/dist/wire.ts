// Framing (concurrency.md §7.3) and every frame kind of the handshake (§7.4) and the session
// (§7.6): encodeFrame/encodeFrameTo write `u32 LE length` + payload, decodeFrame parses one
// payload and throws nothing but MalformedFrame, FrameReader splits a byte stream into payloads
// with the limits of the current phase.
import { ByteReader, ByteWriter, MalformedFrame, UnsendableValue } from "./bytes.js";
import { decodeTerm, encodeTerm, readPid, writePid, MAX_NODE_NAME, T_LIST, type PidCodec, type Term, type WirePid } from "./codec.js";
import { List } from "../core/list.js";

export { MalformedFrame, UnsendableValue, ByteWriter, ByteReader };
export type { PidCodec, Term, WirePid };

export const HANDSHAKE_MAX = 4096; // payload bytes
export const FRAME_MAX = 16 * 1024 * 1024; // payload bytes
export const PROTOCOL_VERSION = 1;
export const NONCE_LEN = 32;
export const MAC_LEN = 32;
const MAGIC = [0x4d, 0x45, 0x53, 0x48]; // "MESH"

export const K = {
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

/** REJECT codes (§7.4). */
export const REJECT = { VERSION: 1, AUTH: 2, DUPLICATE: 3, NAME: 4, PROTOCOL: 5 } as const;

/** `to` of §7.3: a process on the receiving node. */
export interface WireTo {
  id: number;
  creation: number;
}

export interface GlobalEntry {
  name: string;
  pid: WirePid;
  time: number;
}

/** Frames with their fields; `T` is how terms appear (decoded: Term, outgoing: runtime values). */
type Frames<TMsg, TArgs> =
  | { kind: "HELLO"; version: number; name: string; creation: number; nonce: Uint8Array }
  | { kind: "CHALLENGE"; version: number; name: string; creation: number; nonce: Uint8Array }
  | { kind: "PROOF"; mac: Uint8Array }
  | { kind: "ACCEPT"; mac: Uint8Array }
  | { kind: "REJECT"; code: number; name: string; text: string }
  | { kind: "SEND"; to: WireTo; msg: TMsg }
  | { kind: "LINK" | "UNLINK"; from: WirePid; to: WireTo }
  | { kind: "EXIT"; from: WirePid; to: WireTo; origin: 0 | 1; reason: string }
  | { kind: "MONITOR" | "DEMONITOR"; watcher: WirePid; to: WireTo; ref: number }
  | { kind: "DOWN"; watched: WirePid; to: WireTo; ref: number; reason: string }
  | { kind: "SPAWN"; req: number; requester: WirePid; link: boolean; key: string; args: TArgs }
  | { kind: "SPAWN_REPLY"; req: number; to: WireTo; status: 0 | 1 | 2; pid?: WirePid; text?: string }
  | { kind: "CALL"; ref: number; caller: WirePid; to: WireTo; service: string; handler: string; args: TArgs }
  | { kind: "CAST"; to: WireTo; service: string; handler: string; args: TArgs }
  | { kind: "REPLY"; ref: number; to: WireTo; reply: TMsg }
  | { kind: "CALL_FAIL"; ref: number; to: WireTo; reason: string }
  | { kind: "GLOBAL_REGISTER"; name: string; pid: WirePid; time: number }
  | { kind: "GLOBAL_UNREGISTER"; name: string; pid: WirePid }
  | { kind: "GLOBAL_SYNC"; entries: GlobalEntry[] }
  | { kind: "PEERS"; nodes: string[] }
  | { kind: "ROOM_BROADCAST"; room: string; text: string }
  | { kind: "TICK" }
  | { kind: "BYE"; reason: string };

/**
 * A decoded frame. Terms are `Term`s; the args of SPAWN/CALL/CAST decode to a Term whose value is
 * a JS array of the arguments (a non-List args term is a semantic error: "arguments are not a List").
 */
export type Frame = Frames<Term, Term>;
/** A frame to send: terms are runtime values; args are a JS array (sent as a List term). */
export type OutFrame = Frames<unknown, readonly unknown[]>;
export type FrameKind = Frame["kind"];

// ---------------------------------------------------------------------------------------------
// Encoding

const shared = new ByteWriter(1024);

/** One frame INCLUDING its 4-byte length prefix, as a fresh Buffer. Throws UnsendableValue. */
export function encodeFrame(f: OutFrame, pids: PidCodec): Buffer {
  shared.reset();
  try {
    encodeFrameTo(shared, f, pids);
    return shared.toBuffer();
  } finally {
    if (shared.buf.length > 1 << 20) shared.buf = new Uint8Array(1024), (shared.dv = new DataView(shared.buf.buffer));
  }
}

/**
 * Appends one frame (length prefix included) to `w`, e.g. a per-connection batch. On
 * UnsendableValue (or a payload above FRAME_MAX, reported as `unsendable value: message larger
 * than 16 MiB`) nothing is appended.
 */
export function encodeFrameTo(w: ByteWriter, f: OutFrame, pids: PidCodec): void {
  const start = w.pos;
  try {
    w.u32(0);
    writePayload(w, f, pids);
    const len = w.pos - start - 4;
    if (len > FRAME_MAX) throw new UnsendableValue("message larger than 16 MiB");
    w.u32At(start, len);
  } catch (e) {
    w.pos = start;
    throw e;
  }
}

/** The hot path: a SEND frame without building a frame object. Same contract as encodeFrameTo. */
export function encodeSendTo(w: ByteWriter, toId: number, toCreation: number, msg: unknown, pids: PidCodec): void {
  const start = w.pos;
  try {
    w.ensure(17);
    w.pos += 4;
    w.buf[w.pos++] = K.SEND;
    w.u64(toId);
    w.u32(toCreation);
    encodeTerm(msg, w, pids);
    const len = w.pos - start - 4;
    if (len > FRAME_MAX) throw new UnsendableValue("message larger than 16 MiB");
    w.u32At(start, len);
  } catch (e) {
    w.pos = start;
    throw e;
  }
}

function str16(w: ByteWriter, s: string, what: string): void {
  if (!w.utf8(s, false, 0xffff)) throw new UnsendableValue(`${what} longer than 65535 bytes`);
}

function str32(w: ByteWriter, s: string): void {
  w.utf8(s, true, 0xffffffff);
}

function nodeName(w: ByteWriter, s: string): void {
  if (!w.utf8(s, false, MAX_NODE_NAME)) throw new UnsendableValue("node name longer than 255 bytes");
}

function to(w: ByteWriter, t: WireTo): void {
  w.u64(t.id);
  w.u32(t.creation);
}

function fixed(w: ByteWriter, b: Uint8Array, n: number, what: string): void {
  if (b.length !== n) throw new RangeError(`${what} must be ${n} bytes`);
  w.bytes(b);
}

function args(w: ByteWriter, xs: readonly unknown[], pids: PidCodec): void {
  encodeTerm(List.fromArray(xs as unknown[]), w, pids);
}

function writePayload(w: ByteWriter, f: OutFrame, pids: PidCodec): void {
  w.u8(K[f.kind]);
  switch (f.kind) {
    case "HELLO":
    case "CHALLENGE":
      for (const b of MAGIC) w.u8(b);
      w.u16(f.version);
      nodeName(w, f.name);
      w.u32(f.creation);
      fixed(w, f.nonce, NONCE_LEN, "nonce");
      return;
    case "PROOF":
    case "ACCEPT":
      fixed(w, f.mac, MAC_LEN, "mac");
      return;
    case "REJECT":
      w.u8(f.code);
      nodeName(w, f.name);
      str16(w, f.text, "reject text");
      return;
    case "SEND":
      to(w, f.to);
      encodeTerm(f.msg, w, pids);
      return;
    case "LINK":
    case "UNLINK":
      writePid(w, f.from);
      to(w, f.to);
      return;
    case "EXIT":
      writePid(w, f.from);
      to(w, f.to);
      w.u8(f.origin);
      str32(w, f.reason);
      return;
    case "MONITOR":
    case "DEMONITOR":
      writePid(w, f.watcher);
      to(w, f.to);
      w.u64(f.ref);
      return;
    case "DOWN":
      writePid(w, f.watched);
      to(w, f.to);
      w.u64(f.ref);
      str32(w, f.reason);
      return;
    case "SPAWN":
      w.u64(f.req);
      writePid(w, f.requester);
      w.u8(f.link ? 1 : 0);
      str16(w, f.key, "function key");
      args(w, f.args, pids);
      return;
    case "SPAWN_REPLY":
      w.u64(f.req);
      to(w, f.to);
      w.u8(f.status);
      if (f.status === 0) writePid(w, f.pid ?? { node: "", creation: 0, id: 0 });
      else str16(w, f.text ?? "", "spawn reply text");
      return;
    case "CALL":
      w.u64(f.ref);
      writePid(w, f.caller);
      to(w, f.to);
      str16(w, f.service, "service name");
      str16(w, f.handler, "handler name");
      args(w, f.args, pids);
      return;
    case "CAST":
      to(w, f.to);
      str16(w, f.service, "service name");
      str16(w, f.handler, "handler name");
      args(w, f.args, pids);
      return;
    case "REPLY":
      w.u64(f.ref);
      to(w, f.to);
      encodeTerm(f.reply, w, pids);
      return;
    case "CALL_FAIL":
      w.u64(f.ref);
      to(w, f.to);
      str32(w, f.reason);
      return;
    case "GLOBAL_REGISTER":
      str16(w, f.name, "global name");
      writePid(w, f.pid);
      w.u64(f.time);
      return;
    case "GLOBAL_UNREGISTER":
      str16(w, f.name, "global name");
      writePid(w, f.pid);
      return;
    case "GLOBAL_SYNC":
      w.u32(f.entries.length);
      for (const e of f.entries) {
        str16(w, e.name, "global name");
        writePid(w, e.pid);
        w.u64(e.time);
      }
      return;
    case "PEERS":
      if (f.nodes.length > 0xffff) throw new RangeError("too many peers");
      w.u16(f.nodes.length);
      for (const n of f.nodes) nodeName(w, n);
      return;
    case "ROOM_BROADCAST":
      str16(w, f.room, "room name");
      str32(w, f.text);
      return;
    case "TICK":
      return;
    case "BYE":
      str16(w, f.reason, "bye reason");
      return;
  }
}

// ---------------------------------------------------------------------------------------------
// Decoding

const NO_BYTES = new Uint8Array(0);
const reader = new ByteReader(NO_BYTES); // decodeFrame is synchronous and not re-entered
const KIND_NAMES: (FrameKind | undefined)[] = [];
for (const [name, code] of Object.entries(K)) KIND_NAMES[code] = name as FrameKind;

/**
 * Decodes one payload (without the length prefix). Phase "handshake" accepts only kinds
 * 0x01–0x05, "session" only those of §7.6. Throws MalformedFrame(detail) on any structural error
 * and nothing else. A HELLO/CHALLENGE with a version other than 1 is returned with only `version`
 * read (name "", creation 0, empty nonce) so the node can answer REJECT 1.
 */
export function decodeFrame(payload: Uint8Array, phase: "handshake" | "session", pids: PidCodec): Frame {
  try {
    const r = reader.reset(payload);
    const f = readPayload(r, phase, pids);
    if (r.pos !== r.end) throw new MalformedFrame(`trailing bytes in ${f.kind}`);
    return f;
  } catch (e) {
    if (e instanceof MalformedFrame) throw e;
    throw new MalformedFrame(`internal error while decoding: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    reader.reset(NO_BYTES); // do not keep the payload alive
  }
}

function readNodeName(r: ByteReader, what: string): string {
  const n = r.u16(what);
  if (n > MAX_NODE_NAME) throw new MalformedFrame(`${what} longer than 255 bytes`);
  return r.utf8(n, what);
}

function readTo(r: ByteReader): WireTo {
  const id = r.u64("to");
  const creation = r.u32("to");
  return { id, creation };
}

function copy(b: Uint8Array): Uint8Array {
  return Buffer.from(b);
}

function readArgs(r: ByteReader, pids: PidCodec): Term {
  const tagAt = r.pos;
  const t = decodeTerm(r, pids);
  if (!t.ok) return t;
  if (r.buf[tagAt] !== T_LIST || !(t.value instanceof List)) return { ok: false, error: "arguments are not a List" };
  return { ok: true, value: t.value.toArray() };
}

function readPayload(r: ByteReader, phase: "handshake" | "session", pids: PidCodec): Frame {
  const code = r.u8("frame kind");
  const kind = KIND_NAMES[code];
  if (kind === undefined) throw new MalformedFrame(`unknown frame kind 0x${code.toString(16).padStart(2, "0")}`);
  const hs = code <= 0x05;
  if (hs !== (phase === "handshake")) throw new MalformedFrame(`${kind} frame during the ${phase}`);
  switch (kind) {
    case "HELLO":
    case "CHALLENGE": {
      const m = r.bytes(4, kind);
      if (m[0] !== MAGIC[0] || m[1] !== MAGIC[1] || m[2] !== MAGIC[2] || m[3] !== MAGIC[3]) throw new MalformedFrame("bad magic");
      const version = r.u16(kind);
      if (version !== PROTOCOL_VERSION) {
        r.pos = r.end; // the rest of another version's frame is not ours to parse
        return { kind, version, name: "", creation: 0, nonce: new Uint8Array(0) };
      }
      const name = readNodeName(r, "node name");
      const creation = r.u32(kind);
      const nonce = copy(r.bytes(NONCE_LEN, "nonce"));
      return { kind, version, name, creation, nonce };
    }
    case "PROOF":
    case "ACCEPT":
      return { kind, mac: copy(r.bytes(MAC_LEN, "mac")) };
    case "REJECT": {
      const code = r.u8("REJECT");
      const name = readNodeName(r, "node name");
      const text = r.str16("reject text");
      return { kind, code, name, text };
    }
    case "SEND": {
      const t = readTo(r);
      return { kind, to: t, msg: decodeTerm(r, pids) };
    }
    case "LINK":
    case "UNLINK": {
      const from = readPid(r);
      return { kind, from, to: readTo(r) };
    }
    case "EXIT": {
      const from = readPid(r);
      const t = readTo(r);
      const origin = r.u8("EXIT");
      if (origin > 1) throw new MalformedFrame(`bad EXIT origin ${origin}`);
      return { kind, from, to: t, origin: origin as 0 | 1, reason: r.str32("exit reason") };
    }
    case "MONITOR":
    case "DEMONITOR": {
      const watcher = readPid(r);
      const t = readTo(r);
      return { kind, watcher, to: t, ref: r.u64("monitor ref") };
    }
    case "DOWN": {
      const watched = readPid(r);
      const t = readTo(r);
      const ref = r.u64("monitor ref");
      return { kind, watched, to: t, ref, reason: r.str32("down reason") };
    }
    case "SPAWN": {
      const req = r.u64("spawn request id");
      const requester = readPid(r);
      const link = r.u8("SPAWN");
      if (link > 1) throw new MalformedFrame(`bad SPAWN link flag ${link}`);
      const key = r.str16("function key");
      return { kind, req, requester, link: link === 1, key, args: readArgs(r, pids) };
    }
    case "SPAWN_REPLY": {
      const req = r.u64("spawn request id");
      const t = readTo(r);
      const status = r.u8("SPAWN_REPLY");
      if (status > 2) throw new MalformedFrame(`bad SPAWN_REPLY status ${status}`);
      if (status === 0) return { kind, req, to: t, status, pid: readPid(r) };
      return { kind, req, to: t, status: status as 1 | 2, text: r.str16("spawn reply text") };
    }
    case "CALL": {
      const ref = r.u64("call ref");
      const caller = readPid(r);
      const t = readTo(r);
      const service = r.str16("service name");
      const handler = r.str16("handler name");
      return { kind, ref, caller, to: t, service, handler, args: readArgs(r, pids) };
    }
    case "CAST": {
      const t = readTo(r);
      const service = r.str16("service name");
      const handler = r.str16("handler name");
      return { kind, to: t, service, handler, args: readArgs(r, pids) };
    }
    case "REPLY": {
      const ref = r.u64("call ref");
      const t = readTo(r);
      return { kind, ref, to: t, reply: decodeTerm(r, pids) };
    }
    case "CALL_FAIL": {
      const ref = r.u64("call ref");
      const t = readTo(r);
      return { kind, ref, to: t, reason: r.str32("call failure reason") };
    }
    case "GLOBAL_REGISTER": {
      const name = r.str16("global name");
      const pid = readPid(r);
      return { kind, name, pid, time: r.u64("registration time") };
    }
    case "GLOBAL_UNREGISTER": {
      const name = r.str16("global name");
      return { kind, name, pid: readPid(r) };
    }
    case "GLOBAL_SYNC": {
      const n = r.u32("GLOBAL_SYNC");
      // an entry takes at least 2 + 14 + 8 bytes
      if (n * 24 > r.remaining()) throw new MalformedFrame(`GLOBAL_SYNC count ${n} larger than the remaining bytes`);
      const entries: GlobalEntry[] = [];
      for (let i = 0; i < n; i++) {
        const name = r.str16("global name");
        const pid = readPid(r);
        entries.push({ name, pid, time: r.u64("registration time") });
      }
      return { kind, entries };
    }
    case "PEERS": {
      const n = r.u16("PEERS");
      if (n * 2 > r.remaining()) throw new MalformedFrame(`PEERS count ${n} larger than the remaining bytes`);
      const nodes: string[] = [];
      for (let i = 0; i < n; i++) nodes.push(readNodeName(r, "node name"));
      return { kind, nodes };
    }
    case "ROOM_BROADCAST": {
      const room = r.str16("room name");
      return { kind, room, text: r.str32("broadcast text") };
    }
    case "TICK":
      return { kind };
    case "BYE":
      return { kind, reason: r.str16("bye reason") };
  }
}

// ---------------------------------------------------------------------------------------------
// Stream splitting

/**
 * Splits a byte stream into frame payloads with the §7.3 limits of the current `phase`. Each byte
 * is copied at most once (a payload inside one chunk is a zero-copy view of it). During the
 * handshake use feed() + next() so the phase can change between two frames of one chunk;
 * push() returns every complete payload at once. Payloads may be views of the fed chunks, so a
 * chunk must not be modified after it was fed (sockets hand out a fresh Buffer per read).
 */
export class FrameReader {
  phase: "handshake" | "session" = "handshake";
  private chunks: Uint8Array[] = [];
  private head = 0; // offset into chunks[0]
  private total = 0; // unconsumed bytes
  private expect = -1; // length of the frame being assembled, once its prefix was read

  feed(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.total += chunk.length;
  }

  /** The next complete payload, or null. Throws MalformedFrame on a length of 0 or above the limit. */
  next(): Uint8Array | null {
    if (this.expect < 0) {
      if (this.total < 4) return null;
      const len = this.readLength();
      const limit = this.phase === "handshake" ? HANDSHAKE_MAX : FRAME_MAX;
      if (len === 0) throw new MalformedFrame("frame length 0");
      if (len > limit) throw new MalformedFrame(`frame length ${len} above the ${this.phase} limit of ${limit}`);
      this.expect = len;
    }
    const len = this.expect;
    if (this.total < len) return null;
    this.expect = -1;
    return this.take(len);
  }

  push(chunk: Uint8Array): Uint8Array[] {
    this.feed(chunk);
    const out: Uint8Array[] = [];
    for (let p = this.next(); p !== null; p = this.next()) out.push(p);
    return out;
  }

  /** Bytes received but not yet returned as a payload. */
  get buffered(): number {
    return this.total;
  }

  private readLength(): number {
    const c = this.chunks[0];
    if (c.length - this.head >= 4) {
      const h = this.head;
      const v = (c[h] | (c[h + 1] << 8) | (c[h + 2] << 16)) + c[h + 3] * 0x1000000;
      this.consume(4);
      return v;
    }
    const b = this.take(4);
    return (b[0] | (b[1] << 8) | (b[2] << 16)) + b[3] * 0x1000000;
  }

  private consume(n: number): void {
    this.head += n;
    this.total -= n;
    while (this.chunks.length > 0 && this.head >= this.chunks[0].length) {
      this.head -= this.chunks[0].length;
      this.chunks.shift();
    }
  }

  private take(n: number): Uint8Array {
    const c = this.chunks[0];
    if (c.length - this.head >= n) {
      const out = c.subarray(this.head, this.head + n);
      this.consume(n);
      return out;
    }
    const out = new Uint8Array(n);
    let o = 0;
    while (o < n) {
      const cur = this.chunks[0];
      const k = Math.min(n - o, cur.length - this.head);
      out.set(cur.subarray(this.head, this.head + k), o);
      o += k;
      this.consume(k);
    }
    return out;
  }
}
