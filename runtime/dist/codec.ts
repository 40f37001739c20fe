// The term format, version 1 (concurrency.md §7.5): encodes the sendable values of §6.10 and
// rebuilds them on the receiving node with its own type definitions (core/type-registry.ts).
// Structural errors throw MalformedFrame; semantic errors (unknown type, constructor, field,
// library type, wrong counts) make only that term `{ ok: false }`, after the whole term has been
// checked structurally. Unsendable values throw UnsendableValue (first found, depth first).
import { Atom, typesByQname, type TypeMeta, type VariantMeta } from "../core/meta.js";
import { K_LIST, K_MAP, K_SET, K_RANGE } from "../core/equality.js";
import { List } from "../core/list.js";
import { MeshMap, Store, Cell, storeFind, storePush } from "../core/map.js";
import { MeshSet } from "../core/set.js";
import { Range } from "../core/range.js";
import { JFloat, JsonValue, type JsonNode } from "../core/json.js";
import { lookupWireType, makeStruct, makeVariant, wireTypeName } from "../core/type-registry.js";
import { Queue } from "../stdlib/queue.js";
import { Iter } from "../stdlib/iter.js";
import { Pid } from "../sched/pid.js";
import { ByteReader, ByteWriter, MalformedFrame, UnsendableValue, isWellFormed } from "./bytes.js";

export { ByteReader, ByteWriter, MalformedFrame, UnsendableValue };

/** A pid as it travels: `pid` of §7.3. Null pid: { node: "", creation: 0, id: 0 }. */
export interface WirePid {
  node: string;
  creation: number;
  id: number;
}

/** How pids map between runtime Pid objects and the wire (provided by the node layer). */
export interface PidCodec {
  toWire(pid: Pid): WirePid;
  fromWire(w: WirePid): Pid;
}

/** A decoded term: semantic errors drop only the message that carried it. */
export type Term = { ok: true; value: unknown } | { ok: false; error: string };

/** Maximum number of nested compound terms (§7.3). */
export const MAX_DEPTH = 256;
/** Node names are at most 255 bytes (§7.3). */
export const MAX_NODE_NAME = 255;
/** Atoms a node creates because peers sent them (the atom table is never collected). */
export const MAX_NETWORK_ATOMS = 10_000;

export const T_INT = 0x01;
export const T_FLOAT = 0x02;
export const T_TRUE = 0x03;
export const T_FALSE = 0x04;
export const T_STRING = 0x05;
export const T_STRING16 = 0x06;
export const T_UNIT = 0x07;
export const T_ATOM = 0x08;
export const T_PID = 0x09;
export const T_LIST = 0x0a;
export const T_TUPLE = 0x0b;
export const T_MAP = 0x0c;
export const T_SET = 0x0d;
export const T_STRUCT = 0x0e;
export const T_SUM = 0x0f;
export const T_LIBRARY = 0x10;

const MAX_INT = 9007199254740991;
const U16 = 0xffff;
const U32 = 0xffffffff;

// ---------------------------------------------------------------------------------------------
// Encoding

/** Pre-encoded headers per type/variant: tag, names and count never change. */
interface StructPlan {
  head: Uint8Array; // 0x0E, str16 type name, u16 n
  fieldHeads: Uint8Array[]; // str16 field name
  props: string[]; // JS property of each field
}
// Kept on the metadata objects themselves (a symbol-keyed property is an inline-cached load;
// a WeakMap lookup is a hash probe per value).
const PLAN: unique symbol = Symbol("wirePlan");
type Planned = { [PLAN]?: StructPlan | Uint8Array };
/** `_0`, `_1`, …: payload property names, interned once. */
const PAYLOAD = Array.from({ length: 64 }, (_, i) => "_" + i);
const scratch = new ByteWriter(64);

function str16Bytes(s: string, what: string): Uint8Array {
  scratch.reset();
  if (!isWellFormed(s) || !scratch.utf8(s, false, U16)) throw new UnsendableValue(`${what} ${JSON.stringify(s)}`);
  return scratch.buf.slice(0, scratch.pos);
}

function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function u8(v: number): Uint8Array {
  return Uint8Array.of(v);
}

function u16le(v: number): Uint8Array {
  return Uint8Array.of(v & 0xff, v >>> 8);
}

function structPlan(t: TypeMeta): StructPlan {
  let p = (t as Planned)[PLAN] as StructPlan | undefined;
  if (p === undefined) {
    const n = t.fields.length;
    if (n > U16) throw new UnsendableValue(t.name);
    p = {
      head: concat([u8(T_STRUCT), str16Bytes(wireTypeName(t), "type name"), u16le(n)]),
      fieldHeads: t.fields.map((f) => str16Bytes(f, "field name")),
      props: t.fields.map((f) => (f === "__proto__" ? "__proto__$" : f)),
    };
    Object.defineProperty(t, PLAN, { value: p });
  }
  return p;
}

function variantHead(v: VariantMeta): Uint8Array {
  let h = (v as Planned)[PLAN] as Uint8Array | undefined;
  if (h === undefined) {
    if (v.arity > U16) throw new UnsendableValue(v.type.name);
    h = concat([u8(T_SUM), str16Bytes(wireTypeName(v.type), "type name"), str16Bytes(v.name, "constructor name"), u16le(v.arity)]);
    Object.defineProperty(v, PLAN, { value: h });
  }
  return h;
}

const libHeads = {
  Range: concat([u8(T_LIBRARY), str16Bytes("Range", "")]),
  Queue: concat([u8(T_LIBRARY), str16Bytes("Queue", "")]),
  Json: concat([u8(T_LIBRARY), str16Bytes("Json", "")]),
};

/** Appends one term. Throws UnsendableValue (writer position undefined afterwards: see encodeTermTo). */
export function encodeTerm(v: unknown, w: ByteWriter, pids: PidCodec): void {
  enc(v, w, pids, 0);
}

/** Appends one term; on UnsendableValue the writer is left as it was. */
export function encodeTermTo(v: unknown, w: ByteWriter, pids: PidCodec): void {
  const start = w.pos;
  try {
    enc(v, w, pids, 0);
  } catch (e) {
    w.pos = start;
    throw e;
  }
}

/** One term as bytes. */
export function encodeTermBytes(v: unknown, pids: PidCodec): Uint8Array {
  const w = new ByteWriter(64);
  enc(v, w, pids, 0);
  return w.buf.slice(0, w.pos);
}

function tooDeep(): never {
  throw new UnsendableValue(`nesting deeper than ${MAX_DEPTH}`);
}

// `depth` is the number of compound terms enclosing v; a compound term at depth MAX_DEPTH is refused
// (the decoder applies the same rule).
function enc(v: unknown, w: ByteWriter, pids: PidCodec, depth: number): void {
  switch (typeof v) {
    case "number":
      w.ensure(9);
      if (Number.isInteger(v) && v <= MAX_INT && v >= -MAX_INT && !(v === 0 && 1 / v < 0)) {
        w.buf[w.pos++] = T_INT;
        w.i64(v);
      } else {
        w.buf[w.pos++] = T_FLOAT;
        w.f64(v);
      }
      return;
    case "string":
      encString(v, w);
      return;
    case "boolean":
      w.u8(v ? T_TRUE : T_FALSE);
      return;
    case "undefined":
      w.u8(T_UNIT);
      return;
    case "function":
      throw new UnsendableValue("Fun");
    case "object":
      break;
    default:
      throw new UnsendableValue(typeof v);
  }
  if (v === null) {
    w.u8(T_UNIT);
    return;
  }
  const o = v as { $k?: number; $t?: TypeMeta; $v?: VariantMeta };
  const d = depth + 1;
  switch (o.$k) {
    case K_LIST: {
      if (depth >= MAX_DEPTH) tooDeep();
      const l = v as List;
      const n = l.length;
      w.ensure(5);
      w.buf[w.pos++] = T_LIST;
      w.u32(n);
      const arr = l.arr;
      for (let i = l.off, end = l.off + n; i < end; i++) enc(arr[i], w, pids, d);
      return;
    }
    case K_MAP: {
      if (depth >= MAX_DEPTH) tooDeep();
      const { keys, vals } = (v as MeshMap).entryArrays();
      w.ensure(5);
      w.buf[w.pos++] = T_MAP;
      w.u32(keys.length);
      for (let i = 0; i < keys.length; i++) {
        enc(keys[i], w, pids, d);
        enc(vals[i], w, pids, d);
      }
      return;
    }
    case K_SET: {
      if (depth >= MAX_DEPTH) tooDeep();
      const keys = (v as MeshSet).keyArray();
      w.ensure(5);
      w.buf[w.pos++] = T_SET;
      w.u32(keys.length);
      for (let i = 0; i < keys.length; i++) enc(keys[i], w, pids, d);
      return;
    }
    case K_RANGE: {
      // canonical form: the tuple (start, end)
      if (d >= MAX_DEPTH) tooDeep();
      const r = v as Range;
      w.bytes(libHeads.Range);
      w.u8(T_TUPLE);
      w.u16(2);
      enc(r.start, w, pids, d + 1);
      enc(r.end, w, pids, d + 1);
      return;
    }
  }
  if (Array.isArray(v)) {
    if (depth >= MAX_DEPTH) tooDeep();
    const n = v.length;
    if (n > U16) throw new UnsendableValue(`tuple of ${n} elements`);
    w.ensure(3);
    w.buf[w.pos++] = T_TUPLE;
    w.u16(n);
    for (let i = 0; i < n; i++) enc(v[i], w, pids, d);
    return;
  }
  const vm = o.$v;
  if (vm !== undefined) {
    if (depth >= MAX_DEPTH) tooDeep();
    w.bytes(variantHead(vm));
    const p = v as Record<string, unknown>;
    for (let i = 0; i < vm.arity; i++) enc(p[i < 64 ? PAYLOAD[i] : "_" + i], w, pids, d);
    return;
  }
  const t = o.$t;
  if (t !== undefined) {
    if (depth >= MAX_DEPTH) tooDeep();
    const plan = structPlan(t);
    w.bytes(plan.head);
    const p = v as Record<string, unknown>;
    for (let i = 0; i < plan.props.length; i++) {
      w.bytes(plan.fieldHeads[i]);
      enc(p[plan.props[i]], w, pids, d);
    }
    return;
  }
  if (v instanceof Pid) {
    w.u8(T_PID);
    writePid(w, pids.toWire(v));
    return;
  }
  if (v instanceof Atom) {
    w.u8(T_ATOM);
    if (!isWellFormed(v.name) || !w.utf8(v.name, false, U16)) throw new UnsendableValue("Atom");
    return;
  }
  if (v instanceof Queue) {
    // canonical form: the List of its elements, front first
    if (d >= MAX_DEPTH) tooDeep();
    w.bytes(libHeads.Queue);
    const n = v.size;
    w.u8(T_LIST);
    w.u32(n);
    for (let i = v.off, end = v.off + n; i < end; i++) enc(v.arr[i], w, pids, d + 1);
    return;
  }
  if (v instanceof JsonValue) {
    if (depth >= MAX_DEPTH) tooDeep();
    w.bytes(libHeads.Json);
    encJson(v.node, w, d);
    return;
  }
  throw new UnsendableValue(unsendableName(v));
}

function unsendableName(v: object): string {
  if (v instanceof Iter) return "Iter";
  const c = (v as { constructor?: { localOnly?: unknown; name?: unknown } }).constructor;
  if (c !== undefined && c !== null) {
    if (typeof c.localOnly === "string") return c.localOnly;
    if (typeof c.name === "string" && c.name !== "" && c.name !== "Object") return c.name;
  }
  return "value";
}

function encString(s: string, w: ByteWriter): void {
  const start = w.pos;
  w.u8(T_STRING);
  if (w.utf8WellFormed32(s)) return;
  w.buf[start] = T_STRING16;
  w.utf16(s);
}

/** JSON node: null → (), bool, int → Int, float → Float, string, array → List, object → Map. */
function encJson(n: JsonNode, w: ByteWriter, depth: number): void {
  switch (typeof n) {
    case "number":
      if (Number.isInteger(n) && n <= MAX_INT && n >= -MAX_INT) {
        w.u8(T_INT);
        w.i64(n === 0 ? 0 : n);
      } else {
        w.u8(T_FLOAT);
        w.f64(n);
      }
      return;
    case "string":
      encString(n, w);
      return;
    case "boolean":
      w.u8(n ? T_TRUE : T_FALSE);
      return;
  }
  if (n === null) {
    w.u8(T_UNIT);
    return;
  }
  if (n instanceof JFloat) {
    w.u8(T_FLOAT);
    w.f64(n.f);
    return;
  }
  if (depth >= MAX_DEPTH) tooDeep();
  if (Array.isArray(n)) {
    w.u8(T_LIST);
    w.u32(n.length);
    for (let i = 0; i < n.length; i++) encJson(n[i], w, depth + 1);
    return;
  }
  const keys = Object.keys(n);
  w.u8(T_MAP);
  w.u32(keys.length);
  for (const k of keys) {
    encString(k, w);
    encJson(n[k], w, depth + 1);
  }
}

/** `pid` of §7.3: str16 node, u32 creation, u64 id. */
let lastWNode = "";
let lastWNodeHead: Uint8Array = Uint8Array.of(0, 0);

export function writePid(w: ByteWriter, p: WirePid): void {
  // the same few node names repeat: reuse the encoded str16 of the last one
  if (p.node === lastWNode) w.bytes(lastWNodeHead);
  else {
    const at = w.pos;
    if (!w.utf8(p.node, false, MAX_NODE_NAME)) throw new UnsendableValue("Pid");
    lastWNode = p.node;
    lastWNodeHead = w.buf.slice(at, w.pos);
  }
  w.u32(p.creation);
  w.u64(p.id);
}

// ---------------------------------------------------------------------------------------------
// Decoding

// The first semantic error of the term being decoded (decoding is synchronous and not re-entered).
let semantic: string | null = null;
let networkAtoms = 0;

function sem(msg: string): undefined {
  if (semantic === null) semantic = msg;
  return undefined;
}

/** Reads one term from r (trailing bytes are the caller's business). Throws only MalformedFrame. */
export function decodeTerm(r: ByteReader, pids: PidCodec): Term {
  semantic = null;
  let value: unknown;
  try {
    value = dec(r, pids, 0);
  } catch (e) {
    semantic = null;
    if (e instanceof MalformedFrame) throw e;
    throw new MalformedFrame(`term: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (semantic !== null) {
    const error = semantic;
    semantic = null;
    return { ok: false, error };
  }
  return { ok: true, value };
}

/** Decodes exactly one term filling `bytes`. Throws only MalformedFrame. */
export function decodeTermBytes(bytes: Uint8Array, pids: PidCodec): Term {
  const r = new ByteReader(bytes);
  const t = decodeTerm(r, pids);
  if (r.pos !== r.end) throw new MalformedFrame("trailing bytes after term");
  return t;
}

let lastNodeHead: Uint8Array | null = null; // str16 bytes of the last node name read
let lastNode = "";

/** `pid` of §7.3 as a WirePid. */
export function readPid(r: ByteReader): WirePid {
  let node: string;
  // pids of one peer repeat the same node name: compare bytes instead of decoding it again
  if (lastNodeHead !== null && r.skipIf(lastNodeHead)) node = lastNode;
  else {
    const at = r.pos;
    const len = r.u16("pid");
    if (len > MAX_NODE_NAME) throw new MalformedFrame("node name longer than 255 bytes");
    node = r.utf8(len, "node name");
    lastNodeHead = r.buf.slice(at, r.pos);
    lastNode = node;
  }
  const creation = r.u32("pid");
  const id = r.u64("pid");
  return { node, creation, id };
}

function count(r: ByteReader, n: number, minBytes: number, what: string): void {
  if (n * minBytes > r.end - r.pos) throw new MalformedFrame(`${what} count ${n} larger than the remaining bytes`);
}

function dec(r: ByteReader, pids: PidCodec, depth: number): unknown {
  if (r.pos >= r.end) throw new MalformedFrame("truncated term");
  const tag = r.buf[r.pos++];
  switch (tag) {
    case T_INT:
      return r.i64("Int");
    case T_FLOAT:
      return r.f64("Float");
    case T_TRUE:
      return true;
    case T_FALSE:
      return false;
    case T_STRING:
      return r.str32("String");
    case T_STRING16:
      return r.utf16("String");
    case T_UNIT:
      return undefined;
    case T_ATOM:
      return decAtom(r);
    case T_PID:
      return pids.fromWire(readPid(r));
  }
  if (depth >= MAX_DEPTH) throw new MalformedFrame(`term nesting deeper than ${MAX_DEPTH}`);
  const d = depth + 1;
  switch (tag) {
    case T_LIST: {
      const n = r.u32("List");
      count(r, n, 1, "List");
      const arr = new Array<unknown>(n);
      for (let i = 0; i < n; i++) arr[i] = dec(r, pids, d);
      return List.fromArray(arr);
    }
    case T_TUPLE: {
      const n = r.u16("tuple");
      count(r, n, 1, "tuple");
      const arr = new Array<unknown>(n);
      for (let i = 0; i < n; i++) arr[i] = dec(r, pids, d);
      return arr;
    }
    case T_MAP: {
      const n = r.u32("Map");
      count(r, n, 2, "Map");
      const st = new Store(true);
      for (let i = 0; i < n; i++) {
        const k = dec(r, pids, d);
        const v = dec(r, pids, d);
        if (semantic !== null) continue; // placeholders may collide; the term is dropped anyway
        if (storeFind(st, k) >= 0) throw new MalformedFrame("duplicate map key");
        storePush(st, k, v);
      }
      return MeshMap.fromStore(st);
    }
    case T_SET: {
      const n = r.u32("Set");
      count(r, n, 1, "Set");
      const st = new Store(false);
      for (let i = 0; i < n; i++) {
        const k = dec(r, pids, d);
        if (semantic !== null) continue;
        if (storeFind(st, k) >= 0) throw new MalformedFrame("duplicate set element");
        storePush(st, k, undefined);
      }
      if (st.live === 0) return MeshSet.empty;
      st.budget = 4 * st.live + 64;
      return new MeshSet(new Cell(st), st.keys.length, st.live);
    }
    case T_STRUCT:
      return decStruct(r, pids, d);
    case T_SUM:
      return decSum(r, pids, d);
    case T_LIBRARY:
      return decLibrary(r, pids, d);
  }
  throw new MalformedFrame(`unknown term tag 0x${tag.toString(16).padStart(2, "0")}`);
}

// Recently decoded atoms by their raw str16 bytes (atoms are never collected: never stale).
const aKeys: Uint8Array[] = [];
const aAtoms: Atom[] = [];
let aNext = 0;

function decAtom(r: ByteReader): unknown {
  for (let i = 0; i < aKeys.length; i++) if (r.skipIf(aKeys[i])) return aAtoms[i];
  const at = r.pos;
  const name = r.str16("atom");
  let a = Atom.existing(name);
  if (a === undefined) {
    if (networkAtoms >= MAX_NETWORK_ATOMS) return sem(`too many distinct atoms received (limit ${MAX_NETWORK_ATOMS})`);
    networkAtoms++;
    a = Atom.of(name);
  }
  const slot = aKeys.length < V_CACHE ? aKeys.length : aNext++ % V_CACHE;
  aKeys[slot] = r.buf.slice(at, r.pos);
  aAtoms[slot] = a;
  return a;
}

// Type lookups by wire name, cached (misses too, until the registry grows).
const typeCache = new Map<string, TypeMeta>();

function findType(name: string): TypeMeta | undefined {
  let t = typeCache.get(name);
  // a hit is still this program's current definition (tests may redefine a name)
  if (t !== undefined && typesByQname.get(t.qname) === t) return t;
  t = lookupWireType(name);
  if (t !== undefined && typeCache.size < 4096) typeCache.set(name, t);
  return t;
}



// Recently decoded struct type names (raw str16 bytes) and their types.
const sKeys: Uint8Array[] = [];
const sTypes: TypeMeta[] = [];
const sNames: string[] = [];
let sNext = 0;
let sFor = -1;

function structType(r: ByteReader): [TypeMeta | undefined, string] {
  if (sFor !== typesByQname.size) {
    sKeys.length = 0;
    sTypes.length = 0;
    sNames.length = 0;
    sFor = typesByQname.size;
  }
  for (let i = 0; i < sKeys.length; i++) if (r.skipIf(sKeys[i])) return [sTypes[i], sNames[i]];
  const at = r.pos;
  const name = r.str16("struct type name");
  const t = findType(name);
  if (t !== undefined && t.kind === "struct") {
    const slot = sKeys.length < V_CACHE ? sKeys.length : sNext++ % V_CACHE;
    sKeys[slot] = r.buf.slice(at, r.pos);
    sTypes[slot] = t;
    sNames[slot] = name;
  }
  return [t, name];
}

function decStruct(r: ByteReader, pids: PidCodec, d: number): unknown {
  const [t, name] = structType(r);
  const n = r.u16("struct");
  count(r, n, 3, "struct field");
  if (t === undefined || t.kind !== "struct") {
    for (let i = 0; i < n; i++) {
      r.str16("field name");
      dec(r, pids, d);
    }
    return sem(t === undefined ? `unknown type ${name}` : `${name} is not a struct`);
  }
  const nf = t.fields.length;
  const vals = new Array<unknown>(nf);
  const plan = structPlanOrNull(t);
  let seen: boolean[] | null = null;
  let bad: string | null = n === nf ? null : `wrong field count for ${name}: ${n} (expected ${nf})`;
  for (let i = 0; i < n; i++) {
    // fast path: the fields arrive in this node's declaration order
    if (seen === null && i < nf && plan !== null && r.skipIf(plan.fieldHeads[i])) {
      vals[i] = dec(r, pids, d);
      continue;
    }
    const f = r.str16("field name");
    const v = dec(r, pids, d);
    if (seen === null) {
      seen = new Array<boolean>(nf).fill(false);
      for (let j = 0; j < i && j < nf; j++) seen[j] = true;
    }
    const j = t.fields.indexOf(f);
    if (j < 0) bad ??= `unknown field ${f} in ${name}`;
    else if (seen[j]) bad ??= `duplicate field ${f} in ${name}`;
    else {
      seen[j] = true;
      vals[j] = v;
    }
  }
  if (bad !== null) return sem(bad);
  if (semantic !== null) return undefined;
  return makeStruct(t, vals);
}

function structPlanOrNull(t: TypeMeta): StructPlan | null {
  try {
    return structPlan(t);
  } catch {
    return null;
  }
}

// Recently decoded variant headers (the raw bytes after the tag: str16 type, str16 constructor,
// u16 n) with what they resolve to, so a stream of the same few messages decodes no names.
interface VariantHit {
  t: TypeMeta;
  tag: number;
  arity: number;
  C: unknown; // class, nullary instance, or undefined (no ctors registered)
}
const V_CACHE = 16;
const vKeys: Uint8Array[] = [];
const vHits: VariantHit[] = [];
let vNext = 0;
let vFor = -1; // typesByQname.size the cache was filled for

function decSum(r: ByteReader, pids: PidCodec, d: number): unknown {
  if (vFor !== typesByQname.size) {
    vKeys.length = 0;
    vHits.length = 0;
    vFor = typesByQname.size;
  }
  for (let i = 0; i < vKeys.length; i++) {
    if (!r.skipIf(vKeys[i])) continue;
    const h = vHits[i];
    const C = h.C;
    switch (h.arity) {
      case 0:
        return C !== undefined && typeof C !== "function" ? C : makeVariant(h.t, h.tag, []);
      case 1: {
        const a = dec(r, pids, d);
        if (semantic !== null) return undefined;
        return typeof C === "function" ? new (C as new (a: unknown) => unknown)(a) : makeVariant(h.t, h.tag, [a]);
      }
    }
    const vals = new Array<unknown>(h.arity);
    for (let j = 0; j < h.arity; j++) vals[j] = dec(r, pids, d);
    if (semantic !== null) return undefined;
    return makeVariant(h.t, h.tag, vals);
  }
  return decSumSlow(r, pids, d);
}

function decSumSlow(r: ByteReader, pids: PidCodec, d: number): unknown {
  const at = r.pos;
  const name = r.str16("sum type name");
  const ctor = r.str16("constructor name");
  const n = r.u16("sum");
  const headEnd = r.pos;
  count(r, n, 1, "constructor argument");
  const vals = new Array<unknown>(n);
  for (let i = 0; i < n; i++) vals[i] = dec(r, pids, d);
  const t = findType(name);
  if (t === undefined) return sem(`unknown type ${name}`);
  if (t.kind !== "sum") return sem(`${name} is not a sum type`);
  const vs = t.variants;
  let tag = -1;
  for (let i = 0; i < vs.length; i++)
    if (vs[i].name === ctor) {
      tag = i;
      break;
    }
  if (tag < 0) return sem(`unknown constructor ${ctor} of ${name}`);
  if (vs[tag].arity !== n) return sem(`wrong argument count for ${name}.${ctor}: ${n} (expected ${vs[tag].arity})`);
  const slot = vKeys.length < V_CACHE ? vKeys.length : vNext++ % V_CACHE;
  vKeys[slot] = r.buf.slice(at, headEnd);
  vHits[slot] = { t, tag, arity: n, C: t.ctors?.[tag] };
  if (semantic !== null) return undefined;
  return makeVariant(t, tag, vals);
}

function decLibrary(r: ByteReader, pids: PidCodec, d: number): unknown {
  const name = r.str16("library type name");
  if (name === "Json") {
    if (r.pos >= r.end) throw new MalformedFrame("truncated term");
    const node = decJson(r, pids, d);
    return semantic === null ? new JsonValue(node as JsonNode) : undefined;
  }
  const v = dec(r, pids, d);
  if (semantic !== null) return undefined;
  switch (name) {
    case "Range":
      if (Array.isArray(v) && v.length === 2 && isInt(v[0]) && isInt(v[1])) return new Range(v[0], v[1]);
      return sem("bad Range value");
    case "Queue":
      if (v instanceof List) return v.length === 0 ? Queue.empty : new Queue(v.toArray(), 0, v.length);
      return sem("bad Queue value");
  }
  return sem(`unknown library type ${name}`);
}

function isInt(x: unknown): x is number {
  return typeof x === "number" && Number.isInteger(x) && x <= MAX_INT && x >= -MAX_INT;
}

/** A JSON node straight from the term bytes; other term kinds are semantic errors. */
function decJson(r: ByteReader, pids: PidCodec, depth: number): JsonNode | undefined {
  const tag = r.buf[r.pos];
  switch (tag) {
    case T_UNIT:
      r.pos++;
      return null;
    case T_FLOAT: {
      r.pos++;
      const f = r.f64("Float");
      return Number.isInteger(f) && f <= MAX_INT && f >= -MAX_INT ? new JFloat(f) : f;
    }
    case T_INT:
    case T_TRUE:
    case T_FALSE:
    case T_STRING:
    case T_STRING16:
      return dec(r, pids, depth) as JsonNode;
    case T_LIST: {
      if (depth >= MAX_DEPTH) throw new MalformedFrame(`term nesting deeper than ${MAX_DEPTH}`);
      r.pos++;
      const n = r.u32("List");
      count(r, n, 1, "List");
      const out = new Array<JsonNode>(n);
      for (let i = 0; i < n; i++) {
        if (r.pos >= r.end) throw new MalformedFrame("truncated term");
        out[i] = decJson(r, pids, depth + 1) as JsonNode;
      }
      return out;
    }
    case T_MAP: {
      if (depth >= MAX_DEPTH) throw new MalformedFrame(`term nesting deeper than ${MAX_DEPTH}`);
      r.pos++;
      const n = r.u32("Map");
      count(r, n, 2, "Map");
      const out: Record<string, JsonNode> = {};
      const seen = new Set<string>();
      for (let i = 0; i < n; i++) {
        const k = dec(r, pids, depth + 1);
        if (r.pos >= r.end) throw new MalformedFrame("truncated term");
        const v = decJson(r, pids, depth + 1) as JsonNode;
        if (typeof k !== "string") {
          sem("bad Json value: object key is not a String");
          continue;
        }
        if (seen.has(k)) {
          if (semantic === null) throw new MalformedFrame("duplicate map key");
          continue;
        }
        seen.add(k);
        if (k === "__proto__") Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
        else out[k] = v;
      }
      return out;
    }
  }
  dec(r, pids, depth); // structural check of whatever it is
  return sem("bad Json value");
}
