// Term format v1 (concurrency.md §7.5): exact round trips of every sendable value shape
// (property-based), byte-exact golden encodings, every structural error as a clean
// MalformedFrame, semantic errors as `{ ok: false }`, unsendable values refused at the sender.
import { describe, expect, test } from "vitest";
import fc from "fast-check";
import {
  decodeTerm,
  decodeTermBytes,
  encodeTermBytes,
  encodeTermTo,
  ByteReader,
  ByteWriter,
  MalformedFrame,
  UnsendableValue,
  MAX_DEPTH,
  MAX_NETWORK_ATOMS,
  type PidCodec,
  type WirePid,
} from "../../../runtime/dist/codec.js";
import { defineType, lookupWireType, wireTypeName } from "../../../runtime/core/type-registry.js";
import { Atom, typeMeta } from "../../../runtime/core/meta.js";
import { List } from "../../../runtime/core/list.js";
import { MeshMap } from "../../../runtime/core/map.js";
import { MeshSet } from "../../../runtime/core/set.js";
import { Range } from "../../../runtime/core/range.js";
import { JFloat, JsonValue, type JsonNode } from "../../../runtime/core/json.js";
import { Some, None, Ok, Err, Less, Equal, Greater, OptionType } from "../../../runtime/core/builtin-types.js";
import { Queue } from "../../../runtime/stdlib/queue.js";
import { Iter_ } from "../../../runtime/stdlib/iter.js";
import { NodeRef, Pid } from "../../../runtime/sched/pid.js";
import { PoolHandle } from "../../../runtime/db/pool.js";
import { PgConn } from "../../../runtime/db/pg.js";
import { SqliteConn } from "../../../runtime/db/sqlite.js";
import { Router } from "../../../runtime/web/router.js";
import { MeshRequest } from "../../../runtime/web/request.js";
import { MeshResponse } from "../../../runtime/web/response.js";

// ------------------------------------------------------------------ fixtures

/** Pids by node name + creation, with interned NodeRefs (what the node layer does). */
function pidCodec(): PidCodec {
  const nodes = new Map<string, NodeRef>();
  return {
    toWire: (p: Pid): WirePid => ({ node: p.node.name, creation: p.node.creation, id: p.serial }),
    fromWire: (w: WirePid): Pid => {
      const key = `${w.node}/${w.creation}`;
      let n = nodes.get(key);
      if (n === undefined) nodes.set(key, (n = new NodeRef(w.node, w.creation, false)));
      return new Pid(n, w.id);
    },
  };
}
const pids = pidCodec();

// Test types, defined the way generated code defines them.
const Event = defineType("Types.Event.Event", { fields: ["id", "tags", "payload"] });
const Shape = defineType("Main.Shape", { variants: [["Circle", 1], ["Rect", 2], ["Dot", 0]] });
const Tree = defineType("Lib.Tree.Tree", { variants: [["Leaf", 0], ["Node", 3]] });
const Point = defineType("Main.Point", { fields: ["x", "y"] });
const Proto = defineType("Main.Weird", { fields: ["__proto__", "constructor"] });
type Ctor = new (...a: unknown[]) => unknown;
const mkEvent = (id: unknown, tags: unknown, payload: unknown) => new (Event.ctors[0] as Ctor)(id, tags, payload);
const mkPoint = (x: unknown, y: unknown) => new (Point.ctors[0] as Ctor)(x, y);
const Circle = Shape.ctors[0] as Ctor;
const Rect = Shape.ctors[1] as Ctor;
const Dot = Shape.ctors[2];
const Leaf = Tree.ctors[0];
const Node = Tree.ctors[1] as Ctor;

/** Exact structural identity: same classes, Object.is on numbers, same iteration order. */
function same(a: unknown, b: unknown): boolean {
  if (a === b && typeof a === "object") return true; // singletons (nullary variants, atoms)
  if (typeof a !== "object" || a === null || typeof b !== "object" || b === null) return Object.is(a, b);
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (a instanceof Atom) return a === b;
  if (a instanceof Pid) return a.equals(b) && (b as Pid).node.name === a.node.name;
  if (a instanceof List) return sameArr(a.toArray(), (b as List).toArray());
  if (a instanceof MeshMap) return sameArr(a.pairs().flat(), (b as MeshMap).pairs().flat());
  if (a instanceof MeshSet) return sameArr(a.keyArray(), (b as MeshSet).keyArray());
  if (a instanceof Queue) return sameArr(a.items(), (b as Queue).items());
  if (a instanceof Range) return Object.is(a.start, (b as Range).start) && Object.is(a.end, (b as Range).end);
  if (a instanceof JsonValue) return sameJson(a.node, (b as JsonValue).node);
  if (Array.isArray(a)) return sameArr(a, b as unknown[]);
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (!sameArr(ka, kb)) return false;
  return ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
function sameArr(a: unknown[], b: unknown[]): boolean {
  return a.length === b.length && a.every((x, i) => same(x, b[i]));
}
function sameJson(a: JsonNode, b: JsonNode): boolean {
  if (a instanceof JFloat) return b instanceof JFloat && Object.is(a.f, b.f);
  if (typeof a !== "object" || a === null) return Object.is(a, b);
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  if (typeof b !== "object" || b === null || Array.isArray(b) || b instanceof JFloat) return false;
  const ka = Object.keys(a);
  return sameArr(ka, Object.keys(b)) && ka.every((k) => sameJson(a[k], (b as Record<string, JsonNode>)[k]));
}

function roundTrip(v: unknown): unknown {
  const t = decodeTermBytes(encodeTermBytes(v, pids), pids);
  if (!t.ok) throw new Error(`semantic error: ${t.error}`);
  return t.value;
}

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString("hex");
}
function bytes(h: string): Uint8Array {
  return Uint8Array.from(Buffer.from(h.replace(/\s+/g, ""), "hex"));
}
function malformed(b: Uint8Array): string {
  try {
    decodeTermBytes(b, pids);
  } catch (e) {
    if (e instanceof MalformedFrame) return e.message;
    throw e;
  }
  throw new Error("decoded without error");
}

// ------------------------------------------------------------------ arbitraries

const MAX = Number.MAX_SAFE_INTEGER;
const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)); // lone surrogates included
const str = fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.string({ unit: anyUnit }), fc.constantFrom("\ud800", "a\udfffb", "\udc00\ud800", "\ud83d\ude00", "", "\u0000"));
const int = fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.constantFrom(MAX, -MAX, 0, 2 ** 32, -(2 ** 32), 2 ** 32 - 1, -1));
const float = fc.oneof(fc.double(), fc.constantFrom(-0, NaN, Infinity, -Infinity, 0.1, 1e300, 2 ** 53, -(2 ** 60), Number.MIN_VALUE));
const atom = fc.constantFrom("ok", "error", "", "normal", "héllo").map((n) => Atom.of(n));
const nodeRefs = [new NodeRef("alpha@host", 7, false), new NodeRef("β@h", 0xffffffff, false), new NodeRef("", 0, false)];
const pid = fc.tuple(fc.nat(2), fc.oneof(fc.nat(), fc.constant(MAX))).map(([i, s]) => pids.fromWire({ node: nodeRefs[i].name, creation: nodeRefs[i].creation, id: s }));
const scalar = fc.oneof(int, float, fc.boolean(), str, fc.constant(undefined), atom, pid);

const jsonNode: fc.Arbitrary<JsonNode> = fc.letrec<{ j: JsonNode }>((tie) => ({
  j: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((f) => (Number.isInteger(f) && Math.abs(f) <= MAX ? new JFloat(f) : f)),
    str,
    fc.array(tie("j"), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string(), fc.constant("__proto__")), tie("j"), { maxKeys: 4 }),
  ),
})).j;

const value: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => {
  const v = tie("v");
  return {
    v: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      scalar,
      fc.array(v, { maxLength: 5 }).map((xs) => List.fromArray(xs)),
      fc.array(v, { minLength: 2, maxLength: 4 }),
      fc.array(fc.tuple(v, v), { maxLength: 4 }).map((ps) => MeshMap.fromPairs(ps)),
      fc.array(v, { maxLength: 4 }).map((xs) => MeshSet.fromArray(xs)),
      fc.tuple(v, v, v).map(([a, b, c]) => mkEvent(a, b, c)),
      fc.tuple(v, v).map(([a, b]) => mkPoint(a, b)),
      v.map((x) => new Circle(x)),
      fc.tuple(v, v).map(([a, b]) => new Rect(a, b)),
      fc.constant(Dot),
      fc.constant(Leaf),
      fc.tuple(v, v, v).map(([a, b, c]) => new Node(a, b, c)),
      v.map((x) => new Some(x)),
      fc.constant(None),
      v.map((x) => new Ok(x)),
      v.map((x) => new Err(x)),
      fc.constantFrom(Less, Equal, Greater),
      fc.tuple(int, int).map(([a, b]) => new Range(a, b)),
      fc.array(v, { maxLength: 4 }).map((xs) => xs.reduce((q: Queue, x) => q.push(x), Queue.empty)),
      jsonNode.map((n) => new JsonValue(n)),
    ),
  };
}).v;

// ------------------------------------------------------------------ round trips

describe("round trips", () => {
  test("every sendable value shape round-trips exactly (property)", () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(same(roundTrip(v), v)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  test("scalars at the edges", () => {
    for (const v of [MAX, -MAX, 0, -0, NaN, Infinity, -Infinity, 2 ** 53, -(2 ** 53), 1.5, 5e-324, true, false, undefined]) {
      expect(Object.is(roundTrip(v), v)).toBe(true);
    }
  });

  test("strings: lone surrogates use 0x06 and round-trip; well-formed ones use 0x05", () => {
    for (const s of ["\ud800", "x\udc00y", "\udbff", "a\ud83d", "\ude00\ud83d"]) {
      const b = encodeTermBytes(s, pids);
      expect(b[0]).toBe(0x06);
      expect(roundTrip(s)).toBe(s);
    }
    for (const s of ["", "plain", "é", "😀", "\u0000", "日本語"]) {
      const b = encodeTermBytes(s, pids);
      expect(b[0]).toBe(0x05);
      expect(roundTrip(s)).toBe(s);
    }
    fc.assert(
      fc.property(fc.string({ unit: anyUnit, maxLength: 200 }), (s) => {
        expect(roundTrip(s)).toBe(s);
      }),
      { numRuns: 2000 },
    );
  });

  test("a string whose non-ASCII tail makes the buffer grow keeps its ASCII prefix", () => {
    const w = new ByteWriter(8);
    encodeTermTo("\u0001\u0080", w, pids);
    expect(hex(w.buf.subarray(0, w.pos))).toBe("05" + "03000000" + "01c280");
    const w2 = new ByteWriter(16);
    const s = "abcdefgh" + "é".repeat(40);
    encodeTermTo(s, w2, pids);
    expect(decodeTermBytes(w2.buf.slice(0, w2.pos), pids)).toEqual({ ok: true, value: s });
  });

  test("every string length across the decoder's short/medium/long paths", () => {
    for (const n of [0, 1, 11, 12, 13, 14, 31, 32, 33, 100, 4095, 4096, 4097, 5000]) {
      const ascii = "q".repeat(n);
      expect(roundTrip(ascii)).toBe(ascii);
      if (n > 0) {
        for (const at of [0, n >> 1, n - 1]) {
          const mixed = ascii.slice(0, at) + "é" + ascii.slice(at + 1);
          expect(roundTrip(mixed)).toBe(mixed);
          const lone = ascii.slice(0, at) + "\udc01" + ascii.slice(at + 1);
          expect(roundTrip(lone)).toBe(lone);
        }
        // a byte that is not UTF-8 at the end of each path
        const bad = Buffer.concat([Buffer.from([0x05]), Buffer.from(Uint32Array.of(n).buffer), Buffer.from("q".repeat(n - 1)), Buffer.from([0xff])]);
        expect(malformed(bad)).toMatch(/invalid UTF-8/);
      }
    }
  });

  test("long non-ASCII and ASCII strings", () => {
    const s = "é".repeat(100_000) + "x".repeat(70_000) + "😀";
    expect(roundTrip(s)).toBe(s);
    const lone = "a".repeat(10_000) + "\ud800" + "b".repeat(10_000);
    expect(roundTrip(lone)).toBe(lone);
  });

  test("structs and variants are rebuilt as instances of the registered classes", () => {
    const e = roundTrip(mkEvent(1, List.of("a"), new Some(new Rect(1.5, Dot)))) as Record<string, unknown>;
    expect(e).toBeInstanceOf(Event.ctors[0] as Ctor);
    expect((e.payload as Some)._0).toBeInstanceOf(Rect);
    expect(((e.payload as Some)._0 as { _1: unknown })._1).toBe(Dot); // nullary singleton identity
    expect(roundTrip(None)).toBe(None);
    expect(roundTrip(Less)).toBe(Less);
    expect(roundTrip(new Ok(3))).toBeInstanceOf(Ok);
    const w = new (Proto.ctors[0] as Ctor)(1, 2) as Record<string, unknown>;
    expect(same(roundTrip(w), w)).toBe(true);
  });

  test("repeated headers (decoder caches) resolve exactly as the first time", () => {
    const vs = [new Circle(1), new Rect(1, 2), Dot, mkPoint(1, 2), new Some(Dot), None, mkEvent(1, 2, 3), new Rect(Dot, new Circle(Dot))];
    for (let round = 0; round < 3; round++) for (const v of round === 1 ? [...vs].reverse() : vs) expect(same(roundTrip(v), v)).toBe(true);
    // a cached header with another argument count or an unknown constructor still fails semantically
    const ascii = (x: string) => Buffer.from([x.length, 0]).toString("hex") + hex(Buffer.from(x));
    roundTrip(new Circle(1));
    expect(decodeTermBytes(bytes("0f" + ascii("Shape") + ascii("Circle") + "0200 03 03"), pids)).toEqual({ ok: false, error: "wrong argument count for Shape.Circle: 2 (expected 1)" });
    expect(decodeTermBytes(bytes("0f" + ascii("Shape") + ascii("Circle") + "0100 0f" + ascii("Shape") + ascii("Nope") + "0000"), pids)).toEqual({ ok: false, error: "unknown constructor Nope of Shape" });
    expect(decodeTermBytes(bytes("0e" + ascii("Point") + "0100" + ascii("x") + "03"), pids)).toEqual({ ok: false, error: "wrong field count for Point: 1 (expected 2)" });
  });

  test("map and set iteration order survives", () => {
    const m = MeshMap.fromPairs([["z", 1], ["a", 2], [3, 3], [List.of(1), 4]]);
    expect((roundTrip(m) as MeshMap).pairs().map((p) => p[1])).toEqual([1, 2, 3, 4]);
    const s = MeshSet.fromArray(["z", "a", "m"]);
    expect((roundTrip(s) as MeshSet).keyArray()).toEqual(["z", "a", "m"]);
  });

  test("pids keep node, creation and id", () => {
    const p = pids.fromWire({ node: "a@h", creation: 3, id: MAX });
    const q = roundTrip(p) as Pid;
    expect(q.node.name).toBe("a@h");
    expect(q.node.creation).toBe(3);
    expect(q.serial).toBe(MAX);
  });

  test("nesting: 256 levels encode and decode, 257 are refused at the sender", () => {
    let v: unknown = 1;
    for (let i = 0; i < MAX_DEPTH; i++) v = List.of(v);
    expect(same(roundTrip(v), v)).toBe(true);
    expect(() => encodeTermBytes(List.of(v), pids)).toThrow("unsendable value: nesting deeper than 256");
  });
});

// ------------------------------------------------------------------ golden bytes

describe("golden encodings (written out by hand from §7.5)", () => {
  test("scalars", () => {
    expect(hex(encodeTermBytes(1, pids))).toBe("01" + "0100000000000000");
    expect(hex(encodeTermBytes(-1, pids))).toBe("01" + "ffffffffffffffff");
    expect(hex(encodeTermBytes(MAX, pids))).toBe("01" + "ffffffffffff1f00");
    expect(hex(encodeTermBytes(-MAX, pids))).toBe("01" + "010000000000e0ff");
    expect(hex(encodeTermBytes(-0, pids))).toBe("02" + "0000000000000080");
    expect(hex(encodeTermBytes(1.5, pids))).toBe("02" + "000000000000f83f");
    expect(hex(encodeTermBytes(Infinity, pids))).toBe("02" + "000000000000f07f");
    expect(hex(encodeTermBytes(true, pids))).toBe("03");
    expect(hex(encodeTermBytes(false, pids))).toBe("04");
    expect(hex(encodeTermBytes(undefined, pids))).toBe("07");
    expect(hex(encodeTermBytes("hé", pids))).toBe("05" + "03000000" + "68c3a9");
    expect(hex(encodeTermBytes("a\ud800", pids))).toBe("06" + "02000000" + "6100" + "00d8");
    expect(hex(encodeTermBytes(Atom.of("ok"), pids))).toBe("08" + "0200" + "6f6b");
  });

  test("pid, list, tuple, map, set", () => {
    const p = pids.fromWire({ node: "b@h", creation: 0x01020304, id: 5 });
    expect(hex(encodeTermBytes(p, pids))).toBe("09" + "0300" + "624068" + "04030201" + "0500000000000000");
    expect(hex(encodeTermBytes(List.of(true, false), pids))).toBe("0a" + "02000000" + "03" + "04");
    expect(hex(encodeTermBytes([true, undefined], pids))).toBe("0b" + "0200" + "03" + "07");
    expect(hex(encodeTermBytes(MeshMap.fromPairs([["k", true]]), pids))).toBe("0c" + "01000000" + "05" + "01000000" + "6b" + "03");
    expect(hex(encodeTermBytes(MeshSet.fromArray([false]), pids))).toBe("0d" + "01000000" + "04");
  });

  test("struct, sum type, builtin sum, library values", () => {
    // Main.Point travels as "Point" (items of main.mpl unqualified)
    expect(hex(encodeTermBytes(mkPoint(true, false), pids))).toBe(
      "0e" + "0500" + hex(Buffer.from("Point")) + "0200" + "0100" + "78" + "03" + "0100" + "79" + "04",
    );
    expect(hex(encodeTermBytes(new (Shape.ctors[0] as Ctor)(true), pids))).toBe(
      "0f" + "0500" + hex(Buffer.from("Shape")) + "0600" + hex(Buffer.from("Circle")) + "0100" + "03",
    );
    expect(hex(encodeTermBytes(Leaf, pids))).toBe("0f" + "0d00" + hex(Buffer.from("Lib.Tree.Tree")) + "0400" + hex(Buffer.from("Leaf")) + "0000");
    expect(hex(encodeTermBytes(None, pids))).toBe("0f" + "0600" + hex(Buffer.from("Option")) + "0400" + hex(Buffer.from("None")) + "0000");
    expect(hex(encodeTermBytes(new Range(1, 4), pids))).toBe(
      "10" + "0500" + hex(Buffer.from("Range")) + "0b" + "0200" + "01" + "0100000000000000" + "01" + "0400000000000000",
    );
    expect(hex(encodeTermBytes(Queue.empty.push(true), pids))).toBe("10" + "0500" + hex(Buffer.from("Queue")) + "0a" + "01000000" + "03");
    expect(hex(encodeTermBytes(new JsonValue({ a: [null, new JFloat(2)] }), pids))).toBe(
      "10" + "0400" + hex(Buffer.from("Json")) + "0c" + "01000000" + "05" + "01000000" + "61" + "0a" + "02000000" + "07" + "02" + "0000000000000040",
    );
  });

  test("qualified names: main.mpl items unqualified, others fully qualified", () => {
    expect(wireTypeName(Point.meta)).toBe("Point");
    expect(wireTypeName(Event.meta)).toBe("Types.Event.Event");
    expect(wireTypeName(OptionType)).toBe("Option");
    expect(lookupWireType("Point")).toBe(Point.meta);
    expect(lookupWireType("Types.Event.Event")).toBe(Event.meta);
    expect(lookupWireType("Main.Point")).toBeUndefined();
    expect(lookupWireType("Option")).toBe(OptionType);
  });
});

// ------------------------------------------------------------------ structural errors

describe("structural errors are MalformedFrame, never another exception", () => {
  test("unknown tag", () => {
    for (const t of ["00", "11", "7f", "ff"]) expect(malformed(bytes(t))).toMatch(/unknown term tag/);
  });

  test("empty input and every strict prefix of a valid encoding are truncated (property)", () => {
    expect(malformed(new Uint8Array(0))).toMatch(/truncated/);
    fc.assert(
      fc.property(value, fc.nat(), (v, k) => {
        const b = encodeTermBytes(v, pids);
        const cut = k % b.length;
        expect(malformed(b.subarray(0, cut))).toMatch(/truncated|count/);
      }),
      { numRuns: 2000 },
    );
  });

  test("a count larger than the remaining bytes", () => {
    expect(malformed(bytes("0a ffffffff 03"))).toMatch(/count/);
    expect(malformed(bytes("0c 02000000 03 03"))).toMatch(/count/);
    expect(malformed(bytes("0d 05000000 03"))).toMatch(/count/);
    expect(malformed(bytes("0b 0300 03"))).toMatch(/count/);
    expect(malformed(bytes("05 ffffff7f 61"))).toMatch(/truncated/);
    expect(malformed(bytes("06 ffffff7f 6100"))).toMatch(/truncated/);
  });

  test("invalid UTF-8 in a 0x05 string, an atom, a pid node name and a type name", () => {
    expect(malformed(bytes("05 02000000 c328"))).toMatch(/invalid UTF-8/); // bad continuation
    expect(malformed(bytes("05 02000000 c080"))).toMatch(/invalid UTF-8/); // overlong
    expect(malformed(bytes("05 03000000 eda080"))).toMatch(/invalid UTF-8/); // encoded surrogate
    expect(malformed(bytes("05 01000000 ff"))).toMatch(/invalid UTF-8/);
    expect(malformed(bytes("08 0100 80"))).toMatch(/invalid UTF-8/);
    expect(malformed(bytes("09 0100 80 00000000 0000000000000000"))).toMatch(/invalid UTF-8/);
    expect(malformed(bytes("0e 0100 ff 0000"))).toMatch(/invalid UTF-8/);
  });

  test("depth above 256", () => {
    const deep = (n: number) => bytes("0a01000000".repeat(n) + "07");
    expect(decodeTermBytes(deep(256), pids).ok).toBe(true);
    expect(malformed(deep(257))).toMatch(/nesting/);
    expect(malformed(bytes("0b0100".repeat(100_000) + "07"))).toMatch(/nesting/); // no stack overflow
  });

  test("duplicate map keys and set elements", () => {
    expect(malformed(bytes("0c 02000000 03 07 03 04"))).toMatch(/duplicate map key/);
    expect(malformed(bytes("0d 02000000 03 03"))).toMatch(/duplicate set element/);
    expect(malformed(bytes("0d 02000000 01 0500000000000000 01 0500000000000000"))).toMatch(/duplicate set element/);
    // structurally equal compound keys
    const k = hex(encodeTermBytes(List.of(1, "a"), pids));
    expect(malformed(bytes("0c 02000000" + k + "03" + k + "04"))).toMatch(/duplicate map key/);
    // Int 0 and Float -0.0 are the same key
    expect(malformed(bytes("0c 02000000 01 0000000000000000 03 02 0000000000000080 03"))).toMatch(/duplicate/);
  });

  test("trailing bytes", () => {
    expect(malformed(bytes("03 03"))).toMatch(/trailing/);
    expect(malformed(bytes("0a 00000000 00"))).toMatch(/trailing/);
  });

  test("Int outside ±(2^53−1)", () => {
    expect(malformed(bytes("01 0000000000002000"))).toMatch(/out of range/); // 2^53
    expect(malformed(bytes("01 000000000000e0ff"))).toMatch(/out of range/); // -2^53
    expect(malformed(bytes("01 ffffffffffffff7f"))).toMatch(/out of range/); // 2^63-1
    expect(malformed(bytes("01 0000000000000080"))).toMatch(/out of range/); // -2^63
    expect(decodeTermBytes(bytes("01 ffffffffffff1f00"), pids)).toEqual({ ok: true, value: MAX });
    expect(decodeTermBytes(bytes("01 010000000000e0ff"), pids)).toEqual({ ok: true, value: -MAX });
  });

  test("pid node name above 255 bytes", () => {
    expect(malformed(bytes("09 0001" + "61".repeat(256) + "00000000 0000000000000000"))).toMatch(/255/);
  });

  test("random bytes never raise anything but MalformedFrame (10,000+ cases)", () => {
    let ok = 0;
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 64 }), (b) => {
        try {
          decodeTermBytes(b, pids);
          ok++;
        } catch (e) {
          expect(e).toBeInstanceOf(MalformedFrame);
        }
      }),
      { numRuns: 10_000 },
    );
    expect(ok).toBeGreaterThan(0);
  });

  test("mutated valid encodings never raise anything but MalformedFrame (10,000 cases)", () => {
    fc.assert(
      fc.property(value, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), (v, muts) => {
        const b = encodeTermBytes(v, pids).slice();
        for (const [i, x] of muts) b[i % b.length] = x;
        try {
          const t = decodeTermBytes(b, pids);
          expect(typeof t.ok).toBe("boolean");
        } catch (e) {
          expect(e).toBeInstanceOf(MalformedFrame);
        }
      }),
      { numRuns: 10_000 },
    );
  });
});

// ------------------------------------------------------------------ semantic errors

describe("semantic errors make only the term { ok: false }", () => {
  const ascii = (s: string) => hex(Buffer.from(s));
  const s16 = (s: string) => Buffer.from([s.length & 0xff, s.length >> 8]).toString("hex") + ascii(s);
  const sem = (h: string) => {
    const t = decodeTermBytes(bytes(h), pids);
    expect(t.ok).toBe(false);
    return (t as { error: string }).error;
  };

  test("unknown type, constructor, field, library type; wrong counts", () => {
    expect(sem("0e" + s16("Nope.T") + "0000")).toBe("unknown type Nope.T");
    expect(sem("0f" + s16("Nope.S") + s16("A") + "0000")).toBe("unknown type Nope.S");
    expect(sem("0f" + s16("Shape") + s16("Square") + "0000")).toBe("unknown constructor Square of Shape");
    expect(sem("0f" + s16("Shape") + s16("Circle") + "0000")).toBe("wrong argument count for Shape.Circle: 0 (expected 1)");
    expect(sem("0e" + s16("Point") + "0100" + s16("x") + "03")).toBe("wrong field count for Point: 1 (expected 2)");
    expect(sem("0e" + s16("Point") + "0200" + s16("x") + "03" + s16("z") + "03")).toBe("unknown field z in Point");
    expect(sem("0e" + s16("Point") + "0200" + s16("x") + "03" + s16("x") + "03")).toBe("duplicate field x in Point");
    expect(sem("0e" + s16("Shape") + "0000")).toBe("Shape is not a struct");
    expect(sem("0f" + s16("Point") + s16("P") + "0000")).toBe("Point is not a sum type");
    expect(sem("10" + s16("Socket") + "07")).toBe("unknown library type Socket");
    expect(sem("10" + s16("Range") + "03")).toBe("bad Range value");
    expect(sem("10" + s16("Queue") + "03")).toBe("bad Queue value");
    expect(sem("10" + s16("Json") + "0b0000")).toBe("bad Json value");
  });

  test("Json values: object keys must be Strings; duplicate keys are structural; __proto__ is a plain key", () => {
    const json = "10" + s16("Json");
    expect(sem(json + "0c 01000000 01 0100000000000000 07")).toBe("bad Json value: object key is not a String");
    expect(malformed(bytes(json + "0c 02000000 05 01000000 61 07 05 01000000 61 03"))).toMatch(/duplicate map key/);
    const node: Record<string, JsonNode> = {};
    Object.defineProperty(node, "__proto__", { value: [1, new JFloat(2), 2.5, "x"], enumerable: true, writable: true, configurable: true });
    node.b = { c: null };
    const back = roundTrip(new JsonValue(node)) as JsonValue;
    expect(Object.keys(back.node as object)).toEqual(["__proto__", "b"]);
    expect(Object.getPrototypeOf(back.node)).toBe(Object.prototype);
    expect(same(back, new JsonValue(node))).toBe(true);
  });

  test("fields may arrive in another order", () => {
    const t = decodeTermBytes(bytes("0e" + s16("Point") + "0200" + s16("y") + "04" + s16("x") + "03"), pids);
    expect(t.ok && same(t.value, mkPoint(true, false))).toBe(true);
  });

  test("the rest of the term is still checked structurally", () => {
    expect(malformed(bytes("0a 02000000 0e" + s16("Nope") + "0000" + "ff"))).toMatch(/unknown term tag/);
    expect(malformed(bytes("0e" + s16("Nope") + "0000" + "03"))).toMatch(/trailing/);
  });

  test("placeholders of dropped terms do not count as duplicate map keys", () => {
    const bad = "0e" + s16("Nope") + "0000";
    expect(sem("0c 02000000" + bad + "03" + bad + "04")).toBe("unknown type Nope");
  });

  test("decodeTerm reads exactly one term and leaves the reader after it", () => {
    const b = bytes("03 04");
    const r = new ByteReader(b);
    expect(decodeTerm(r, pids)).toEqual({ ok: true, value: true });
    expect(decodeTerm(r, pids)).toEqual({ ok: true, value: false });
    expect(r.pos).toBe(2);
  });

  test("types registered later are found (registry lookups are not stale)", () => {
    expect(sem("0e" + s16("Late.T") + "0000")).toBe("unknown type Late.T");
    defineType("Late.T", { fields: [] });
    expect(decodeTermBytes(bytes("0e" + s16("Late.T") + "0000"), pids).ok).toBe(true);
  });

  test("a type registered without classes still decodes to a value carrying its meta", () => {
    typeMeta("struct", "Bare", "Bare.Bare", ["a"]);
    const t = decodeTermBytes(bytes("0e" + s16("Bare.Bare") + "0100" + s16("a") + "03"), pids);
    expect(t.ok && (t.value as { a: unknown }).a).toBe(true);
  });
});

// ------------------------------------------------------------------ unsendable values

describe("unsendable values are refused at the sender", () => {
  const refuse = (v: unknown) => {
    try {
      encodeTermBytes(v, pids);
    } catch (e) {
      expect(e).toBeInstanceOf(UnsendableValue);
      return (e as Error).message;
    }
    throw new Error("encoded");
  };

  // Handles are real class instances created without opening anything (no database or server
  // is needed to check that the encoder refuses them).
  test("functions, closures and handles give the exact message", () => {
    const x = 1;
    expect(refuse(() => x)).toBe("unsendable value: Fun");
    expect(refuse(function* () {})).toBe("unsendable value: Fun");
    expect(refuse(Math.max)).toBe("unsendable value: Fun");
    expect(refuse(Object.create(PoolHandle.prototype))).toBe("unsendable value: PoolHandle");
    expect(refuse(Object.create(PgConn.prototype))).toBe("unsendable value: PgConn");
    expect(refuse(new SqliteConn())).toBe("unsendable value: SqliteConn");
    expect(refuse(new Router())).toBe("unsendable value: Router");
    expect(refuse(Object.create(MeshRequest.prototype))).toBe("unsendable value: Request");
    expect(refuse(Object.create(MeshResponse.prototype))).toBe("unsendable value: Response");
    expect(refuse(Iter_.from(List.of(1, 2)))).toBe("unsendable value: Iter");
  });

  test("the first unsendable value depth first, left to right", () => {
    const pool = Object.create(PoolHandle.prototype);
    expect(refuse(List.of(1, [2, pool], () => 0))).toBe("unsendable value: PoolHandle");
    expect(refuse(mkEvent(1, () => 0, pool))).toBe("unsendable value: Fun");
    expect(refuse(MeshMap.fromPairs([["a", new Some(new Router())], ["b", pool]]))).toBe("unsendable value: Router");
    expect(refuse(new Ok(List.of(Queue.empty.push(pool))))).toBe("unsendable value: PoolHandle");
  });

  test("a refused term leaves the writer as it was", () => {
    const w = new ByteWriter(8);
    encodeTermTo(true, w, pids);
    expect(() => encodeTermTo(List.of(1, 2, () => 0), w, pids)).toThrow(UnsendableValue);
    expect(hex(w.buf.subarray(0, w.pos))).toBe("03");
  });
});

describe("atoms from the network", () => {
  test("existing atoms are reused (identity), new ones created up to the limit", () => {
    const ok = Atom.of("ok");
    expect(roundTrip(ok)).toBe(ok);
    const t = decodeTermBytes(bytes("08 0600" + hex(Buffer.from("fresh1"))), pids);
    expect(t.ok && t.value).toBe(Atom.of("fresh1"));
  });

  test("peers cannot grow the atom table without bound", () => {
    const atomTerm = (n: string) => bytes("08" + hex(Buffer.from([n.length, 0])) + hex(Buffer.from(n)));
    let created = 0;
    let refused: string | null = null;
    for (let i = 0; i < MAX_NETWORK_ATOMS + 10 && refused === null; i++) {
      const t = decodeTermBytes(atomTerm(`net_atom_${i}`), pids);
      if (t.ok) created++;
      else refused = t.error;
    }
    expect(created).toBeLessThanOrEqual(MAX_NETWORK_ATOMS);
    expect(refused).toBe(`too many distinct atoms received (limit ${MAX_NETWORK_ATOMS})`);
    expect(Atom.existing(`net_atom_${created}`)).toBeUndefined();
    // atoms this node already knows still decode
    expect(decodeTermBytes(atomTerm("net_atom_0"), pids)).toEqual({ ok: true, value: Atom.of("net_atom_0") });
  });
});

// ------------------------------------------------------------------ generated code

describe("types defined by compiled Mesh code", () => {
  test("generated classes register under their wire names and are rebuilt by the decoder", async () => {
    const { parseModule } = await import("../../../compiler/syntax/parse.js");
    const { buildProgram } = await import("../../../compiler/analyse/project.js");
    const { checkProgram } = await import("../../../compiler/check/check.js");
    const { generateModule } = await import("../../../compiler/codegen/generate.js");
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join, resolve } = await import("node:path");
    const { pathToFileURL } = await import("node:url");
    const src = [
      "type Shape2 do",
      "  Circle2(Float)",
      "  Rect2(Float, Float)",
      "  Dot2",
      "end",
      "struct Point2 do",
      "  x :: Int",
      "  y :: Shape2",
      "end",
      "fn main() do",
      "  println(\"unused\")",
      "end",
    ].join("\n");
    const parsed = parseModule("main.mpl", src, "Main");
    const program = buildProgram([parsed.module], []);
    const check = checkProgram(program);
    const runtime = pathToFileURL(resolve(import.meta.dirname ?? ".", "../../../runtime/index.ts")).href;
    let js = generateModule(program.modules[0]!, program, check, { runtimeImport: runtime, sourceText: src }).js;
    js = js.replace(/^\$runMain\(.*$/m, ""); // define the types only; do not start the program
    const dir = mkdtempSync(join(tmpdir(), "meshc-codec-"));
    const file = join(dir, "main.mjs");
    writeFileSync(file, js);
    const mod = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as Record<string, unknown>;
    const Point2 = mod.Point2 as Ctor;
    const Rect2 = mod.Rect2 as Ctor;
    const p = new Point2(3, new Rect2(1.5, -0));
    const b = encodeTermBytes(p, pids);
    expect(hex(b).startsWith("0e" + "0600" + hex(Buffer.from("Point2")))).toBe(true);
    const t = decodeTermBytes(b, pids);
    expect(t.ok).toBe(true);
    const q = (t as { value: Record<string, unknown> }).value;
    expect(q).toBeInstanceOf(Point2);
    expect(q.y).toBeInstanceOf(Rect2);
    expect(Object.is((q.y as { _1: number })._1, -0)).toBe(true);
    const d = decodeTermBytes(encodeTermBytes(mod.Dot2, pids), pids);
    expect(d.ok && d.value).toBe(mod.Dot2);
  });
});
