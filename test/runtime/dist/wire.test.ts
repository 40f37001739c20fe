// Framing and frame layouts (concurrency.md §7.3, §7.4, §7.6): byte-exact golden frames written
// out by hand from the spec, round trips of every kind, FrameReader over arbitrary chunk splits
// and its limits, and hostile bytes that must only ever produce MalformedFrame.
import { describe, expect, test } from "vitest";
import fc from "fast-check";
import {
  decodeFrame,
  encodeFrame,
  encodeFrameTo,
  encodeSendTo,
  FrameReader,
  ByteWriter,
  MalformedFrame,
  UnsendableValue,
  FRAME_MAX,
  HANDSHAKE_MAX,
  type Frame,
  type OutFrame,
  type PidCodec,
  type WirePid,
} from "../../../runtime/dist/wire.js";
import { List } from "../../../runtime/core/list.js";
import { NodeRef, Pid } from "../../../runtime/sched/pid.js";

const nodes = new Map<string, NodeRef>();
const pids: PidCodec = {
  toWire: (p: Pid): WirePid => ({ node: p.node.name, creation: p.node.creation, id: p.serial }),
  fromWire: (w: WirePid): Pid => {
    const key = `${w.node}/${w.creation}`;
    let n = nodes.get(key);
    if (n === undefined) nodes.set(key, (n = new NodeRef(w.node, w.creation, false)));
    return new Pid(n, w.id);
  },
};

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const bytes = (h: string) => Uint8Array.from(Buffer.from(h.replace(/\s+/g, ""), "hex"));
const a = (s: string) => Buffer.from(s).toString("hex");
const s16 = (s: string) => {
  const b = Buffer.from(s);
  return Buffer.from([b.length & 0xff, b.length >> 8]).toString("hex") + b.toString("hex");
};
const s32 = (s: string) => {
  const b = Buffer.from(s);
  const l = Buffer.alloc(4);
  l.writeUInt32LE(b.length);
  return l.toString("hex") + b.toString("hex");
};
const u32 = (v: number) => {
  const l = Buffer.alloc(4);
  l.writeUInt32LE(v);
  return l.toString("hex");
};
const u64 = (v: number) => u32(v % 2 ** 32) + u32(Math.floor(v / 2 ** 32));
/** A whole frame: u32 length + payload. */
const frame = (payload: string) => u32(payload.replace(/\s+/g, "").length / 2) + payload.replace(/\s+/g, "");

const nonceI = Buffer.alloc(32, 0xa1);
const nonceA = Buffer.alloc(32, 0xb2);
const mac = Buffer.alloc(32, 0x5c);
const P1: WirePid = { node: "a@h", creation: 9, id: 42 };
const P2: WirePid = { node: "bb@host", creation: 0xfffffffe, id: 2 ** 40 + 3 };
const NULLP: WirePid = { node: "", creation: 0, id: 0 };
const TO = { id: 7, creation: 0x01020304 };
const pidHex = (p: WirePid) => s16(p.node) + u32(p.creation) + u64(p.id);
const toHex = u64(7) + "04030201";

// [frame, expected bytes written out from the spec tables]
const goldens: [OutFrame, string][] = [
  [{ kind: "HELLO", version: 1, name: "a@h", creation: 0x0a0b0c0d, nonce: nonceI }, frame("01" + a("MESH") + "0100" + s16("a@h") + "0d0c0b0a" + hex(nonceI))],
  [{ kind: "CHALLENGE", version: 1, name: "bb@host", creation: 1, nonce: nonceA }, frame("02" + a("MESH") + "0100" + s16("bb@host") + "01000000" + hex(nonceA))],
  [{ kind: "PROOF", mac }, frame("03" + hex(mac))],
  [{ kind: "ACCEPT", mac }, frame("04" + hex(mac))],
  [{ kind: "REJECT", code: 2, name: "bb@host", text: "authentication failed" }, frame("05 02" + s16("bb@host") + s16("authentication failed"))],
  [{ kind: "SEND", to: TO, msg: true }, frame("10" + toHex + "03")],
  [{ kind: "LINK", from: P1, to: TO }, frame("11" + pidHex(P1) + toHex)],
  [{ kind: "UNLINK", from: P2, to: TO }, frame("12" + pidHex(P2) + toHex)],
  [{ kind: "EXIT", from: P1, to: TO, origin: 1, reason: "kill" }, frame("13" + pidHex(P1) + toHex + "01" + s32("kill"))],
  [{ kind: "MONITOR", watcher: P1, to: TO, ref: 2 ** 53 - 1 }, frame("14" + pidHex(P1) + toHex + "ffffffffffff1f00")],
  [{ kind: "DEMONITOR", watcher: P1, to: TO, ref: 5 }, frame("15" + pidHex(P1) + toHex + u64(5))],
  [{ kind: "DOWN", watched: P2, to: TO, ref: 5, reason: "noproc" }, frame("16" + pidHex(P2) + toHex + u64(5) + s32("noproc"))],
  [
    { kind: "SPAWN", req: 3, requester: P1, link: true, key: "Main.worker/1", args: [true] },
    frame("17" + u64(3) + pidHex(P1) + "01" + s16("Main.worker/1") + "0a 01000000 03"),
  ],
  [{ kind: "SPAWN_REPLY", req: 3, to: TO, status: 0, pid: P2 }, frame("18" + u64(3) + toHex + "00" + pidHex(P2))],
  [{ kind: "SPAWN_REPLY", req: 3, to: TO, status: 1, text: "unknown function" }, frame("18" + u64(3) + toHex + "01" + s16("unknown function"))],
  [
    { kind: "CALL", ref: 11, caller: P1, to: TO, service: "Counter", handler: "get", args: [] },
    frame("19" + u64(11) + pidHex(P1) + toHex + s16("Counter") + s16("get") + "0a 00000000"),
  ],
  [{ kind: "CAST", to: TO, service: "Counter", handler: "add", args: [false, true] }, frame("1a" + toHex + s16("Counter") + s16("add") + "0a 02000000 04 03")],
  [{ kind: "REPLY", ref: 11, to: TO, reply: undefined }, frame("1b" + u64(11) + toHex + "07")],
  [{ kind: "CALL_FAIL", ref: 11, to: TO, reason: "noproc" }, frame("1c" + u64(11) + toHex + s32("noproc"))],
  [{ kind: "GLOBAL_REGISTER", name: "reg", pid: P1, time: 1_765_000_000_123 }, frame("20" + s16("reg") + pidHex(P1) + u64(1_765_000_000_123))],
  [{ kind: "GLOBAL_UNREGISTER", name: "reg", pid: NULLP }, frame("21" + s16("reg") + "0000 00000000 0000000000000000")],
  [
    { kind: "GLOBAL_SYNC", entries: [{ name: "x", pid: P1, time: 1 }, { name: "y", pid: P2, time: 2 }] },
    frame("22 02000000" + s16("x") + pidHex(P1) + u64(1) + s16("y") + pidHex(P2) + u64(2)),
  ],
  [{ kind: "GLOBAL_SYNC", entries: [] }, frame("22 00000000")],
  [{ kind: "PEERS", nodes: ["c@h", "d@h"] }, frame("23 0200" + s16("c@h") + s16("d@h"))],
  [{ kind: "ROOM_BROADCAST", room: "project:42", text: "{\"a\":1}" }, frame("24" + s16("project:42") + s32("{\"a\":1}"))],
  [{ kind: "TICK" }, frame("30")],
  [{ kind: "BYE", reason: "shutdown" }, frame("31" + s16("shutdown"))],
];

/** What decodeFrame should give back for an OutFrame (terms wrapped, args as arrays). */
function expected(f: OutFrame): unknown {
  switch (f.kind) {
    case "SEND":
      return { ...f, msg: { ok: true, value: f.msg } };
    case "REPLY":
      return { ...f, reply: { ok: true, value: f.reply } };
    case "SPAWN":
    case "CALL":
    case "CAST":
      return { ...f, args: { ok: true, value: [...f.args] } };
    case "HELLO":
    case "CHALLENGE":
      return { ...f, nonce: Buffer.from(f.nonce) };
    case "PROOF":
    case "ACCEPT":
      return { ...f, mac: Buffer.from(f.mac) };
  }
  return f;
}

const phaseOf = (f: { kind: string }) => (["HELLO", "CHALLENGE", "PROOF", "ACCEPT", "REJECT"].includes(f.kind) ? "handshake" : "session");

function malformed(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    if (e instanceof MalformedFrame) return e.message;
    throw e;
  }
  throw new Error("no error");
}

describe("golden frames (byte-exact from §7.3, §7.4, §7.6)", () => {
  for (const [f, h] of goldens) {
    test(`${f.kind}${"status" in f ? " " + f.status : ""}`, () => {
      expect(hex(encodeFrame(f, pids))).toBe(h.replace(/\s+/g, ""));
      const decoded = decodeFrame(bytes(h).subarray(4), phaseOf(f), pids);
      expect(decoded).toEqual(expected(f));
    });
  }

  test("encodeSendTo writes the same bytes as encodeFrame for SEND, and batches", () => {
    const w = new ByteWriter(4);
    encodeSendTo(w, 7, 0x01020304, true, pids);
    encodeFrameTo(w, { kind: "TICK" }, pids);
    encodeSendTo(w, 7, 0x01020304, List.of("x"), pids);
    expect(hex(w.buf.subarray(0, w.pos))).toBe(frame("10" + toHex + "03") + frame("30") + frame("10" + toHex + "0a01000000" + s32("x").replace(/^/, "05")));
  });

  test("an unsendable value in any term position leaves the batch untouched", () => {
    const w = new ByteWriter(4);
    encodeFrameTo(w, { kind: "TICK" }, pids);
    const before = hex(w.buf.subarray(0, w.pos));
    const fn = () => 1;
    expect(() => encodeSendTo(w, 1, 1, List.of(1, fn), pids)).toThrow("unsendable value: Fun");
    expect(() => encodeFrameTo(w, { kind: "CALL", ref: 1, caller: P1, to: TO, service: "S", handler: "h", args: [1, fn] }, pids)).toThrow("unsendable value: Fun");
    expect(() => encodeFrameTo(w, { kind: "REPLY", ref: 1, to: TO, reply: fn }, pids)).toThrow(UnsendableValue);
    expect(() => encodeFrameTo(w, { kind: "SPAWN", req: 1, requester: P1, link: false, key: "k", args: [fn] }, pids)).toThrow(UnsendableValue);
    expect(hex(w.buf.subarray(0, w.pos))).toBe(before);
  });

  test("a message above 16 MiB is refused at the sender", () => {
    const big = "x".repeat(FRAME_MAX);
    expect(() => encodeFrame({ kind: "SEND", to: TO, msg: big }, pids)).toThrow("unsendable value: message larger than 16 MiB");
    const ok = "x".repeat(FRAME_MAX - 1 - 12 - 5);
    const b = encodeFrame({ kind: "SEND", to: TO, msg: ok }, pids);
    expect(b.length).toBe(4 + FRAME_MAX);
    const r = new FrameReader();
    r.phase = "session";
    expect(r.push(b).map((p) => p.length)).toEqual([FRAME_MAX]);
  });
});

describe("decoding errors", () => {
  test("every strict prefix and any extra byte of every golden frame is malformed", () => {
    for (const [f, h] of goldens) {
      const p = bytes(h).subarray(4);
      for (let n = 0; n < p.length; n++) expect(() => decodeFrame(p.subarray(0, n), phaseOf(f), pids)).toThrow(MalformedFrame);
      const extra = new Uint8Array(p.length + 1);
      extra.set(p);
      expect(malformed(() => decodeFrame(extra, phaseOf(f), pids))).toMatch(/trailing/);
    }
  });

  test("frames of the wrong phase and unknown kinds", () => {
    expect(malformed(() => decodeFrame(bytes("30"), "handshake", pids))).toBe("TICK frame during the handshake");
    expect(malformed(() => decodeFrame(bytes("03" + hex(mac)), "session", pids))).toBe("PROOF frame during the session");
    for (const k of ["00", "06", "0f", "1d", "1f", "25", "2f", "32", "ff"]) {
      expect(malformed(() => decodeFrame(bytes(k), "session", pids))).toMatch(/unknown frame kind/);
      expect(malformed(() => decodeFrame(bytes(k), "handshake", pids))).toMatch(/unknown frame kind/);
    }
  });

  test("bad magic, other versions, long node names, invalid UTF-8 names", () => {
    expect(malformed(() => decodeFrame(bytes("01" + a("MASH") + "0100" + s16("a@h") + "01000000" + hex(nonceI)), "handshake", pids))).toBe("bad magic");
    expect(decodeFrame(bytes("01" + a("MESH") + "0200" + "whatever"), "handshake", pids)).toEqual({ kind: "HELLO", version: 2, name: "", creation: 0, nonce: new Uint8Array(0) });
    const long = "n".repeat(256);
    expect(malformed(() => decodeFrame(bytes("01" + a("MESH") + "0100" + s16(long) + "01000000" + hex(nonceI)), "handshake", pids))).toMatch(/255/);
    expect(() => encodeFrame({ kind: "HELLO", version: 1, name: long, creation: 1, nonce: nonceI }, pids)).toThrow("node name longer than 255 bytes");
    expect(malformed(() => decodeFrame(bytes("01" + a("MESH") + "0100" + "0200 c328" + "01000000" + hex(nonceI)), "handshake", pids))).toMatch(/invalid UTF-8/);
    expect(malformed(() => decodeFrame(bytes("31 0100 ff"), "session", pids))).toMatch(/invalid UTF-8/);
  });

  test("out-of-range enums and u64 fields", () => {
    const exit = (o: string) => bytes("13" + pidHex(P1) + toHex + o + s32("x"));
    expect(malformed(() => decodeFrame(exit("02"), "session", pids))).toMatch(/origin/);
    expect(malformed(() => decodeFrame(bytes("17" + u64(1) + pidHex(P1) + "02" + s16("k") + "0a00000000"), "session", pids))).toMatch(/link flag/);
    expect(malformed(() => decodeFrame(bytes("18" + u64(1) + toHex + "03" + s16("x")), "session", pids))).toMatch(/status/);
    expect(malformed(() => decodeFrame(bytes("14" + pidHex(P1) + toHex + "0000000000002000"), "session", pids))).toMatch(/out of range/);
  });

  test("counts larger than the remaining bytes", () => {
    expect(malformed(() => decodeFrame(bytes("22 ffffffff"), "session", pids))).toMatch(/count/);
    expect(malformed(() => decodeFrame(bytes("23 ffff 0000"), "session", pids))).toMatch(/count/);
  });

  test("a structural term error makes the frame malformed; a semantic one only the term", () => {
    expect(malformed(() => decodeFrame(bytes("10" + toHex + "0c 02000000 03 07 03 07"), "session", pids))).toMatch(/duplicate map key/);
    const f = decodeFrame(bytes("10" + toHex + "0e" + s16("No.Such") + "0000"), "session", pids);
    expect(f).toEqual({ kind: "SEND", to: TO, msg: { ok: false, error: "unknown type No.Such" } });
    const c = decodeFrame(bytes("1a" + toHex + s16("S") + s16("h") + "03"), "session", pids);
    expect(c).toEqual({ kind: "CAST", to: TO, service: "S", handler: "h", args: { ok: false, error: "arguments are not a List" } });
  });

  test("random payloads never raise anything but MalformedFrame (20,000 cases)", () => {
    const kinds = [0x01, 0x02, 0x03, 0x04, 0x05, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x20, 0x21, 0x22, 0x23, 0x24, 0x30, 0x31];
    fc.assert(
      fc.property(fc.constantFrom(...kinds), fc.uint8Array({ maxLength: 80 }), fc.constantFrom("handshake" as const, "session" as const), (k, rest, phase) => {
        const p = new Uint8Array(rest.length + 1);
        p[0] = k;
        p.set(rest, 1);
        try {
          const f = decodeFrame(p, phase, pids);
          expect(typeof f.kind).toBe("string");
        } catch (e) {
          expect(e).toBeInstanceOf(MalformedFrame);
        }
      }),
      { numRuns: 20_000 },
    );
  });

  test("mutated golden frames never raise anything but MalformedFrame (10,000 cases)", () => {
    fc.assert(
      fc.property(fc.nat(goldens.length - 1), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 }), (gi, muts) => {
        const [f, h] = goldens[gi];
        const p = bytes(h).subarray(4).slice();
        for (const [i, x] of muts) p[i % p.length] = x;
        try {
          decodeFrame(p, phaseOf(f), pids);
        } catch (e) {
          expect(e).toBeInstanceOf(MalformedFrame);
        }
      }),
      { numRuns: 10_000 },
    );
  });

  test("an exception from the pid codec is converted, never escapes as another error", () => {
    const bad: PidCodec = { toWire: pids.toWire, fromWire: () => { throw new TypeError("boom"); } };
    expect(malformed(() => decodeFrame(bytes("10" + toHex + "09" + pidHex(P1)), "session", bad))).toMatch(/boom/);
  });
});

describe("FrameReader", () => {
  const stream = Buffer.concat(goldens.filter(([f]) => phaseOf(f) === "session").map(([f]) => encodeFrame(f, pids)));
  const payloads = goldens.filter(([f]) => phaseOf(f) === "session").map(([, h]) => hex(bytes(h).subarray(4)));

  test("reassembles frames across arbitrary chunk splits (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(stream.length), { maxLength: 40 }), (cuts) => {
        const pts = [...new Set(cuts)].sort((x, y) => x - y);
        const r = new FrameReader();
        r.phase = "session";
        const out: string[] = [];
        let prev = 0;
        for (const c of [...pts, stream.length]) {
          for (const p of r.push(stream.subarray(prev, c))) out.push(hex(p));
          prev = c;
        }
        expect(out).toEqual(payloads);
        expect(r.buffered).toBe(0);
      }),
      { numRuns: 2000 },
    );
  });

  test("one byte at a time", () => {
    const r = new FrameReader();
    r.phase = "session";
    const out: string[] = [];
    for (let i = 0; i < stream.length; i++) for (const p of r.push(stream.subarray(i, i + 1))) out.push(hex(p));
    expect(out).toEqual(payloads);
  });

  test("limits: length 0, above 4096 during the handshake, above 16 MiB later", () => {
    const r0 = new FrameReader();
    expect(malformed(() => r0.push(bytes("00000000")))).toBe("frame length 0");
    const r1 = new FrameReader();
    expect(malformed(() => r1.push(bytes(u32(HANDSHAKE_MAX + 1))))).toMatch(/above the handshake limit of 4096/);
    const r2 = new FrameReader();
    expect(r2.push(bytes(u32(HANDSHAKE_MAX)))).toEqual([]); // 4096 is allowed; the payload is awaited
    const r3 = new FrameReader();
    r3.phase = "session";
    expect(r3.push(bytes(u32(FRAME_MAX)))).toEqual([]);
    const r4 = new FrameReader();
    r4.phase = "session";
    expect(malformed(() => r4.push(bytes(u32(FRAME_MAX + 1))))).toMatch(/above the session limit/);
    const r5 = new FrameReader();
    r5.phase = "session";
    expect(malformed(() => r5.push(bytes("ffffffff")))).toMatch(/above the session limit/);
    // the length is judged as soon as its 4 bytes are in, split or not
    const r6 = new FrameReader();
    r6.push(bytes("01"));
    expect(malformed(() => r6.push(bytes("100000")))).toMatch(/handshake limit/);
  });

  test("feed/next lets the phase change between two frames of one chunk", () => {
    const big = { kind: "GLOBAL_SYNC" as const, entries: Array.from({ length: 300 }, (_, i) => ({ name: `name${i}`, pid: P1, time: i })) };
    const chunk = Buffer.concat([encodeFrame({ kind: "ACCEPT", mac }, pids), encodeFrame(big, pids)]);
    expect(chunk.length).toBeGreaterThan(HANDSHAKE_MAX + 40);
    const r = new FrameReader();
    r.feed(chunk);
    const first = r.next()!;
    expect(decodeFrame(first, "handshake", pids).kind).toBe("ACCEPT");
    r.phase = "session";
    const second = r.next()!;
    expect((decodeFrame(second, "session", pids) as Extract<Frame, { kind: "GLOBAL_SYNC" }>).entries.length).toBe(300);
    expect(r.next()).toBeNull();
  });

  test("a large frame in many chunks is copied once and arrives whole", () => {
    const msg = List.fromArray(Array.from({ length: 50_000 }, (_, i) => i));
    const b = encodeFrame({ kind: "SEND", to: TO, msg }, pids);
    const r = new FrameReader();
    r.phase = "session";
    const got: Uint8Array[] = [];
    for (let i = 0; i < b.length; i += 1000) got.push(...r.push(b.subarray(i, i + 1000)));
    expect(got.length).toBe(1);
    const f = decodeFrame(got[0], "session", pids) as Extract<Frame, { kind: "SEND" }>;
    expect(f.msg.ok && (f.msg.value as List).length).toBe(50_000);
  });
});
