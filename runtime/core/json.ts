// JSON core (stdlib.md §13, §28.4): the opaque `Json` value, parsing, the exact encoding rules of
// §13.3, and the derived `Json.encode` / `T.from_json` / `T.from_row` machinery.
//
// ---------------------------------------------------------------------------------------------
// TYPE DESCRIPTORS. The runtime cannot see static types (an Int and an integral Float are the
// same JS number), so generated code passes a descriptor (`JsonType`) wherever the type matters:
//
//   { k: "int" } | { k: "float" } | { k: "string" } | { k: "bool" } | { k: "unit" }
//   { k: "json" }                          a parsed Json value
//   { k: "option", of: D }                 None <-> null, Some(x) <-> x
//   { k: "list", of: D } | { k: "set", of: D }
//   { k: "map", of: D }                    Map<K, V>: member names are text(key); decoding needs
//                                          K = String and yields the entries in ascending key order
//   { k: "tuple", elems: D[] }
//   { k: "struct", meta: TypeMeta, args?: D[] }   user struct (or generic instance Box<Float>)
//   { k: "sum", meta: TypeMeta, args?: D[] }      user sum type
//   { k: "param", i: number }              i-th type parameter of the nearest enclosing struct/sum
//   { k: "any" }                           unknown (generic code): inspect the value at run time;
//                                          integral numbers then encode as Int
//
// Where the descriptors live:
// - structs deriving Json or Row: `TypeMeta.fieldTypes[i]` is the descriptor of `meta.fields[i]`;
// - sum types deriving Json: `TypeMeta.fieldTypes[tag]` is the ARRAY of payload descriptors of
//   the variant with that tag (so `fieldTypes` is D[][] for sum types).
// Field descriptors of generic types refer to their type parameters with { k: "param", i }.
//
// CONSTRUCTION. Decoding must build struct and variant values. Generated code registers one
// function per type (structs) or per variant (sum types) with `registerMaker(meta, make)`:
// `make(...fieldValuesInDeclarationOrder)` / `make(...payloads)` (a nullary variant's maker returns
// its singleton). Without a maker, decoding falls back to a plain object carrying `$t` / `$v`.
// ---------------------------------------------------------------------------------------------
import { err, None, Ok, ok, Some, type Result } from "./builtin-types.js";
import { Atom, structMetaOf, variantMetaOf, type TypeMeta, type VariantMeta } from "./meta.js";
import { K_LIST, K_MAP, K_RANGE, K_SET, type Kinded, NOT_FOUND } from "./equality.js";
import { compareStrings } from "./compare.js";
import { jsonFloat } from "./float-text.js";
import { hashString } from "./hash.js";
import { List } from "./list.js";
import { MeshMap, Store, storePut } from "./map.js";
import { MeshSet } from "./set.js";
import { panic } from "./panic.js";
import { parseFloatText, parseIntText, text, trimWhiteSpace } from "./text.js";

export type JsonType =
  | { readonly k: "int" | "float" | "string" | "bool" | "unit" | "json" | "any" }
  | { readonly k: "option" | "list" | "set" | "map"; readonly of: JsonType }
  | { readonly k: "tuple"; readonly elems: readonly JsonType[] }
  | { readonly k: "struct" | "sum"; readonly meta: TypeMeta; readonly args?: readonly JsonType[] }
  | { readonly k: "param"; readonly i: number };

export const ANY: JsonType = { k: "any" };
const MAX_INT = Number.MAX_SAFE_INTEGER;
/** Maximum nesting of arrays/objects accepted by Json.parse. */
export const MAX_DEPTH = 512;

// ---------------------------------------------------------------------------------------------
// Json values. A parsed document is a tree of plain JS data: null, boolean, number, string,
// array, plain object (own enumerable properties; "__proto__" is an ordinary own key). A number
// is an Int when it is an integer within ±(2^53−1) and a Float otherwise; a Float whose value is
// integral (`2.0`, `1e2`) is boxed as JFloat so it re-encodes as a float.

export class JFloat {
  constructor(readonly f: number) {}
}

export type JsonNode = null | boolean | number | string | JFloat | JsonNode[] | { [k: string]: JsonNode };

/** The Mesh `Json` type: a wrapper around one node of a parsed tree. */
export class JsonValue {
  constructor(readonly node: JsonNode) {}
  $show(): string {
    return encodeNode(this.node);
  }
  $eq(o: unknown): boolean {
    return o instanceof JsonValue && nodeEq(this.node, o.node);
  }
  $hash(): number {
    return hashString(encodeNode(this.node));
  }
  toString(): string {
    return encodeNode(this.node);
  }
}

export type JsonKind = "null" | "bool" | "int" | "float" | "string" | "array" | "object";

export function nodeKind(n: JsonNode): JsonKind {
  switch (typeof n) {
    case "boolean":
      return "bool";
    case "number":
      return Number.isInteger(n) && n <= MAX_INT && n >= -MAX_INT ? "int" : "float";
    case "string":
      return "string";
    default:
      if (n === null) return "null";
      if (Array.isArray(n)) return "array";
      if (n instanceof JFloat) return "float";
      return "object";
  }
}

function nodeEq(a: JsonNode, b: JsonNode): boolean {
  const ka = nodeKind(a);
  if (ka !== nodeKind(b)) return false;
  switch (ka) {
    case "float":
      return numOf(a) === numOf(b);
    case "array": {
      const x = a as JsonNode[];
      const y = b as JsonNode[];
      if (x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) if (!nodeEq(x[i], y[i])) return false;
      return true;
    }
    case "object": {
      const x = a as Record<string, JsonNode>;
      const y = b as Record<string, JsonNode>;
      const kx = Object.keys(x);
      if (kx.length !== Object.keys(y).length) return false;
      for (const k of kx) if (!Object.hasOwn(y, k) || !nodeEq(x[k], y[k])) return false;
      return true;
    }
    default:
      return a === b;
  }
}

function numOf(n: JsonNode): number {
  return n instanceof JFloat ? n.f : (n as number);
}

// ---------------------------------------------------------------------------------------------
// Encoding (§13.3)

/** A JSON string literal: `"` `\` and control characters escaped, everything else raw. */
export function quote(s: string): string {
  // JSON.stringify's string escaping is exactly §13.3's for well-formed strings (Mesh strings
  // never hold lone surrogates): \" \\ \b \f \n \r \t, other controls as lowercase \u00xx.
  // Short strings that need no escaping are quoted directly (cheaper than the native call).
  const n = s.length;
  if (n > 64) return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : '"' + s + '"';
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c === 34 || c === 92) return JSON.stringify(s);
  }
  return '"' + s + '"';
}
const NEEDS_ESCAPE = /["\\\u0000-\u001f]/;

function hasHighUnit(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0xd800) return true;
  return false;
}

/** Sorts member names in ascending code-point order (in place). */
export function sortKeys(keys: string[]): string[] {
  keys.sort();
  // Default sort is by UTF-16 unit, which equals code-point order unless a name holds a
  // character at or above U+D800.
  for (let i = 0; i < keys.length; i++) {
    if (hasHighUnit(keys[i])) {
      keys.sort(compareStrings);
      break;
    }
  }
  return keys;
}

export function encodeNode(n: JsonNode): string {
  switch (typeof n) {
    case "string":
      return quote(n);
    case "number":
      return Number.isInteger(n) && n <= MAX_INT && n >= -MAX_INT ? String(n) : jsonFloat(n);
    case "boolean":
      return n ? "true" : "false";
    default: {
      if (n === null) return "null";
      if (n instanceof JFloat) return jsonFloat(n.f);
      if (Array.isArray(n)) {
        if (n.length === 0) return "[]";
        let s = "[" + encodeNode(n[0]);
        for (let i = 1; i < n.length; i++) s += "," + encodeNode(n[i]);
        return s + "]";
      }
      const keys = sortKeys(Object.keys(n));
      if (keys.length === 0) return "{}";
      let s = "{";
      for (let i = 0; i < keys.length; i++) s += (i > 0 ? "," : "") + quote(keys[i]) + ":" + encodeNode(n[keys[i]]);
      return s + "}";
    }
  }
}

function encodeInt(v: unknown): string {
  if (typeof v !== "number") return encodeAny(v);
  return Number.isInteger(v) ? String(v) : jsonFloat(v);
}

function encodeFloat(v: unknown): string {
  return typeof v === "number" ? jsonFloat(v) : encodeAny(v);
}

interface StructPlan {
  readonly names: string[]; // fields in sorted member order
  readonly prefixes: string[]; // `"name":` (with a leading comma after the first)
  readonly types: (JsonType | undefined)[];
}
const structPlans = new WeakMap<TypeMeta, StructPlan>();

function structPlan(meta: TypeMeta): StructPlan {
  let p = structPlans.get(meta);
  if (p === undefined) {
    const idx = meta.fields.map((_, i) => i);
    idx.sort((a, b) => compareStrings(meta.fields[a], meta.fields[b]));
    const ft = meta.fieldTypes as readonly JsonType[] | undefined;
    p = {
      names: idx.map((i) => meta.fields[i]),
      prefixes: idx.map((i, j) => (j > 0 ? "," : "") + quote(meta.fields[i]) + ":"),
      types: idx.map((i) => ft?.[i]),
    };
    structPlans.set(meta, p);
  }
  return p;
}

function resolveArgs(args: readonly JsonType[] | undefined, outer: readonly JsonType[] | undefined): readonly JsonType[] | undefined {
  if (args === undefined || outer === undefined) return args;
  let changed = false;
  const out = args.map((a) => {
    const r = resolve(a, outer);
    if (r !== a) changed = true;
    return r;
  });
  return changed ? out : args;
}

function resolve(d: JsonType, args: readonly JsonType[] | undefined): JsonType {
  if (d.k === "param") return args?.[(d as { i: number }).i] ?? ANY;
  return d;
}

function encodeStruct(v: unknown, meta: TypeMeta, args: readonly JsonType[] | undefined): string {
  const plan = structPlan(meta);
  const o = v as Record<string, unknown>;
  const { names, prefixes, types } = plan;
  if (names.length === 0) return "{}";
  let s = "{";
  for (let i = 0; i < names.length; i++) {
    const t = types[i];
    s += prefixes[i] + (t === undefined ? encodeAny(o[names[i]]) : encodeValue(o[names[i]], t, args));
  }
  return s + "}";
}

function encodeVariant(v: unknown, vm: VariantMeta, args: readonly JsonType[] | undefined): string {
  const ft = vm.type.fieldTypes as readonly (readonly JsonType[])[] | undefined;
  const pts = ft?.[vm.tag];
  const o = v as Record<string, unknown>;
  let s = '{"fields":[';
  for (let i = 0; i < vm.arity; i++) {
    const t = pts?.[i];
    s += (i > 0 ? "," : "") + (t === undefined ? encodeAny(o["_" + i]) : encodeValue(o["_" + i], t, args));
  }
  return s + '],"tag":' + quote(vm.name) + "}";
}

function encodeSeq(arr: ArrayLike<unknown>, start: number, end: number, d: JsonType, args: readonly JsonType[] | undefined): string {
  if (end <= start) return "[]";
  let s = "[" + encodeValue(arr[start], d, args);
  for (let i = start + 1; i < end; i++) s += "," + encodeValue(arr[i], d, args);
  return s + "]";
}

function encodeMap(m: MeshMap, d: JsonType, args: readonly JsonType[] | undefined): string {
  const { keys, vals } = m.entryArrays();
  const n = keys.length;
  if (n === 0) return "{}";
  const names = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const k = keys[i];
    names[i] = typeof k === "string" ? k : text(k);
  }
  // Member order: code-point order of the names (insertion sort: maps encoded as JSON objects are
  // usually small; stable, so among equal names the last inserted comes last and wins below).
  const order: number[] = [];
  if (n <= 32) {
    for (let i = 0; i < n; i++) {
      const name = names[i];
      let j = i - 1;
      while (j >= 0 && compareStrings(names[order[j]], name) > 0) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = i;
    }
  } else {
    for (let i = 0; i < n; i++) order.push(i);
    order.sort((a, b) => compareStrings(names[a], names[b]) || a - b);
  }
  let s = "{";
  for (let i = 0; i < n; i++) {
    const o = order[i];
    if (i + 1 < n && names[order[i + 1]] === names[o]) continue; // several keys with one text: last wins
    s += (s.length > 1 ? "," : "") + quote(names[o]) + ":" + encodeValue(vals[o], d, args);
  }
  return s + "}";
}

/** Json.encode(v) for a value of the type described by `d` (§13.3). */
export function encodeValue(v: unknown, d: JsonType, args?: readonly JsonType[]): string {
  switch (d.k) {
    case "string":
      return typeof v === "string" ? quote(v) : encodeAny(v);
    case "int":
      return encodeInt(v);
    case "float":
      return encodeFloat(v);
    case "bool":
      return v === true ? "true" : v === false ? "false" : encodeAny(v);
    case "unit":
      return "null";
    case "option":
      if (v === None) return "null";
      if (v instanceof Some) return encodeValue(v._0, (d as { of: JsonType }).of, args);
      return encodeAny(v);
    case "list":
    case "set": {
      const of = (d as { of: JsonType }).of;
      if (v instanceof List) return encodeSeq(v.arr, v.off, v.off + v.length, of, args);
      if (v instanceof MeshSet) {
        const ks = v.keyArray();
        return encodeSeq(ks, 0, ks.length, of, args);
      }
      return encodeAny(v);
    }
    case "map":
      return v instanceof MeshMap ? encodeMap(v, (d as { of: JsonType }).of, args) : encodeAny(v);
    case "tuple": {
      if (!Array.isArray(v)) return encodeAny(v);
      const es = (d as { elems: readonly JsonType[] }).elems;
      if (v.length === 0) return "[]";
      let s = "[";
      for (let i = 0; i < v.length; i++) s += (i > 0 ? "," : "") + encodeValue(v[i], es[i] ?? ANY, args);
      return s + "]";
    }
    case "struct":
    case "sum": {
      const dd = d as { meta: TypeMeta; args?: readonly JsonType[] };
      const inner = resolveArgs(dd.args, args);
      const vm = variantMetaOf(v);
      if (vm !== undefined) return encodeVariant(v, vm, inner);
      const sm = structMetaOf(v);
      if (sm !== undefined) return encodeStruct(v, sm, inner);
      return encodeAny(v);
    }
    case "param":
      return encodeValue(v, resolve(d, args), undefined);
    case "json":
      return v instanceof JsonValue ? encodeNode(v.node) : encodeAny(v);
    default:
      return encodeAny(v);
  }
}

/** Encoding without static type information: integral numbers are taken to be Ints. */
export function encodeAny(v: unknown): string {
  switch (typeof v) {
    case "string":
      return quote(v);
    case "number":
      return Number.isInteger(v) && !Object.is(v, -0) && v <= MAX_INT && v >= -MAX_INT ? String(v) : jsonFloat(v);
    case "boolean":
      return v ? "true" : "false";
    case "undefined":
      return "null";
    case "object": {
      if (v === null) return "null";
      if (Array.isArray(v)) return encodeSeq(v, 0, v.length, ANY, undefined);
      if (v instanceof JsonValue) return encodeNode(v.node);
      const k = (v as Kinded).$k;
      if (k === K_LIST) {
        const l = v as List;
        return encodeSeq(l.arr, l.off, l.off + l.length, ANY, undefined);
      }
      if (k === K_SET) {
        const ks = (v as MeshSet).keyArray();
        return encodeSeq(ks, 0, ks.length, ANY, undefined);
      }
      if (k === K_MAP) return encodeMap(v as MeshMap, ANY, undefined);
      if (k === K_RANGE) {
        const r = v as { start: number; end: number };
        const xs: number[] = [];
        for (let i = r.start; i < r.end; i++) xs.push(i);
        return encodeSeq(xs, 0, xs.length, ANY, undefined);
      }
      if (v === None) return "null";
      if (v instanceof Some) return encodeAny(v._0);
      if (v instanceof Atom) return quote(v.name);
      const vm = variantMetaOf(v);
      if (vm !== undefined) return encodeVariant(v, vm, undefined);
      const sm = structMetaOf(v);
      if (sm !== undefined) return encodeStruct(v, sm, undefined);
      return panic("Json.encode: value is not encodable");
    }
    default:
      return panic("Json.encode: value is not encodable");
  }
}

/** `Json.encode(v)` for a value whose type derives Json (fieldTypes come from its meta). */
export function encodeDerived(v: unknown, args?: readonly JsonType[]): string {
  const vm = variantMetaOf(v);
  if (vm !== undefined) return encodeVariant(v, vm, args);
  const sm = structMetaOf(v);
  if (sm !== undefined) return encodeStruct(v, sm, args);
  return encodeAny(v);
}

// ---------------------------------------------------------------------------------------------
// Parsing. Fast path: V8's native JSON.parse, whenever it is sure to yield exactly our tree: no
// number token that could be an integral float (`2.0`, `1e2`: native parsing would make it an
// Int), no \u escape of a surrogate (native parsing accepts lone ones), nesting within MAX_DEPTH.
// Otherwise, and to produce error messages, our own parser below runs.

const SURROGATE_ESCAPE = /\\u[dD][89abcdefABCDEF]/;
// A number token that may be an integral float. Tokens only follow `[`, `,`, `:` or whitespace,
// which keeps hex digits in UUIDs from matching; matches inside strings merely send the text down
// the slower path.
// (A document that starts with a number is sent down the slow path by the caller.)
const FLOAT_HINT = /[[,:\s]-?\d+(?:\.0+(?![0-9])|(?:\.\d+)?[eE])/;

// Is every array/object of the tree at most `max` levels deep? (Iterative: the tree may be deep.)
function depthWithin(root: JsonNode, max: number): boolean {
  const stack: JsonNode[] = [root];
  const depths: number[] = [1];
  while (stack.length > 0) {
    const n = stack.pop()!;
    const d = depths.pop()!;
    if (typeof n !== "object" || n === null) continue;
    if (d > max) return false;
    const kids = Array.isArray(n) ? n : Object.values(n);
    for (let i = 0; i < kids.length; i++) {
      const k = kids[i];
      if (typeof k === "object" && k !== null) {
        stack.push(k);
        depths.push(d + 1);
      }
    }
  }
  return true;
}

const NATIVE_FAILED: unique symbol = Symbol("native parse failed");

/** Json.parse: Ok(tree) or Err("<reason> at line L column C"). */
export function parseJson(s: string): Result<JsonNode, string> {
  const c0 = s.charCodeAt(0);
  if (c0 !== 45 && !(c0 >= 48 && c0 <= 57) && !FLOAT_HINT.test(s) && !(s.indexOf("\\u") >= 0 && SURROGATE_ESCAPE.test(s))) {
    let v: JsonNode | typeof NATIVE_FAILED;
    try {
      v = JSON.parse(s) as JsonNode;
    } catch {
      v = NATIVE_FAILED; // our parser produces the error message
    }
    // A valid text of at most 2*MAX_DEPTH+1 characters cannot nest deeper than MAX_DEPTH.
    if (v !== NATIVE_FAILED && (s.length <= 2 * MAX_DEPTH + 1 || depthWithin(v, MAX_DEPTH))) return ok(v);
  }
  try {
    return ok(new Parser(s).parseDocument());
  } catch (e) {
    if (e instanceof JsonSyntaxError) return err(e.message);
    throw e;
  }
}

class JsonSyntaxError extends Error {}

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly s: string) {}

  private fail(reason: string, at = this.i): never {
    let line = 1;
    let col = 1;
    const s = this.s;
    for (let j = 0; j < at && j < s.length; j++) {
      const c = s.charCodeAt(j);
      if (c === 10) {
        line++;
        col = 1;
      } else if (c < 0xdc00 || c > 0xdfff) col++;
    }
    throw new JsonSyntaxError(`${reason} at line ${line} column ${col}`);
  }

  private ws(): void {
    const s = this.s;
    let i = this.i;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else break;
    }
    this.i = i;
  }

  parseDocument(): JsonNode {
    this.ws();
    if (this.i >= this.s.length) this.fail("unexpected end of input");
    const v = this.value();
    this.ws();
    if (this.i < this.s.length) this.fail("trailing characters");
    return v;
  }

  private value(): JsonNode {
    const s = this.s;
    const c = s.charCodeAt(this.i);
    switch (c) {
      case 34:
        return this.string();
      case 123:
        return this.object();
      case 91:
        return this.array();
      case 116:
        return this.literal("true", true);
      case 102:
        return this.literal("false", false);
      case 110:
        return this.literal("null", null);
      default:
        if (c === 45 || (c >= 48 && c <= 57)) return this.number();
        if (this.i >= s.length) this.fail("unexpected end of input");
        return this.fail("expected value");
    }
  }

  private literal(word: string, v: JsonNode): JsonNode {
    if (this.s.startsWith(word, this.i)) {
      this.i += word.length;
      return v;
    }
    return this.fail("expected value");
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) this.fail("nesting too deep");
  }

  private array(): JsonNode[] {
    this.enter();
    this.i++;
    const out: JsonNode[] = [];
    this.ws();
    if (this.s.charCodeAt(this.i) === 93) {
      this.i++;
      this.depth--;
      return out;
    }
    for (;;) {
      this.ws();
      out.push(this.value());
      this.ws();
      const d = this.s.charCodeAt(this.i);
      if (d === 44) {
        this.i++;
        this.ws();
        if (this.s.charCodeAt(this.i) === 93) this.fail("trailing comma");
        continue;
      }
      if (d === 93) {
        this.i++;
        this.depth--;
        return out;
      }
      if (this.i >= this.s.length) this.fail("unexpected end of input");
      this.fail("expected `,` or `]`");
    }
  }

  private object(): Record<string, JsonNode> {
    this.enter();
    this.i++;
    const out: Record<string, JsonNode> = {};
    this.ws();
    if (this.s.charCodeAt(this.i) === 125) {
      this.i++;
      this.depth--;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.s.charCodeAt(this.i) !== 34) {
        if (this.i >= this.s.length) this.fail("unexpected end of input");
        this.fail("key must be a string");
      }
      const k = this.string();
      this.ws();
      if (this.s.charCodeAt(this.i) !== 58) this.fail("expected `:`");
      this.i++;
      this.ws();
      const v = this.value();
      if (k === "__proto__") Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
      else out[k] = v;
      this.ws();
      const d = this.s.charCodeAt(this.i);
      if (d === 44) {
        this.i++;
        this.ws();
        if (this.s.charCodeAt(this.i) === 125) this.fail("trailing comma");
        continue;
      }
      if (d === 125) {
        this.i++;
        this.depth--;
        return out;
      }
      if (this.i >= this.s.length) this.fail("unexpected end of input");
      this.fail("expected `,` or `}`");
    }
  }

  private hex4(at: number): number {
    let v = 0;
    for (let k = 0; k < 4; k++) {
      const c = this.s.charCodeAt(at + k);
      let d: number;
      if (c >= 48 && c <= 57) d = c - 48;
      else if (c >= 97 && c <= 102) d = c - 87;
      else if (c >= 65 && c <= 70) d = c - 55;
      else return this.fail("invalid \\u escape", at + k);
      v = v * 16 + d;
    }
    return v;
  }

  private string(): string {
    const s = this.s;
    let i = this.i + 1;
    let start = i;
    let out = "";
    for (;;) {
      if (i >= s.length) this.fail("unterminated string", i);
      const c = s.charCodeAt(i);
      if (c === 34) {
        out += s.slice(start, i);
        this.i = i + 1;
        return out;
      }
      if (c < 0x20) this.fail("control character in string", i);
      if (c !== 92) {
        i++;
        continue;
      }
      out += s.slice(start, i);
      const e = s.charCodeAt(i + 1);
      i += 2;
      switch (e) {
        case 34:
          out += '"';
          break;
        case 92:
          out += "\\";
          break;
        case 47:
          out += "/";
          break;
        case 98:
          out += "\b";
          break;
        case 102:
          out += "\f";
          break;
        case 110:
          out += "\n";
          break;
        case 114:
          out += "\r";
          break;
        case 116:
          out += "\t";
          break;
        case 117: {
          const u = this.hex4(i);
          i += 4;
          if (u >= 0xd800 && u <= 0xdbff) {
            if (s.charCodeAt(i) !== 92 || s.charCodeAt(i + 1) !== 117) this.fail("lone surrogate in \\u escape", i);
            const lo = this.hex4(i + 2);
            if (lo < 0xdc00 || lo > 0xdfff) this.fail("lone surrogate in \\u escape", i);
            i += 6;
            out += String.fromCharCode(u, lo);
          } else if (u >= 0xdc00 && u <= 0xdfff) {
            this.fail("lone surrogate in \\u escape", i - 6);
          } else out += String.fromCharCode(u);
          break;
        }
        default:
          this.fail("invalid escape", i - 1);
      }
      start = i;
    }
  }

  private number(): JsonNode {
    const s = this.s;
    const st = this.i;
    let i = st;
    let frac = false;
    if (s.charCodeAt(i) === 45) i++;
    const d0 = s.charCodeAt(i);
    if (d0 === 48) i++;
    else if (d0 >= 49 && d0 <= 57) while (isDigit(s.charCodeAt(i))) i++;
    else this.fail("invalid number", i);
    if (s.charCodeAt(i) === 46) {
      frac = true;
      i++;
      if (!isDigit(s.charCodeAt(i))) this.fail("invalid number", i);
      while (isDigit(s.charCodeAt(i))) i++;
    }
    const e = s.charCodeAt(i);
    if (e === 101 || e === 69) {
      frac = true;
      i++;
      const sg = s.charCodeAt(i);
      if (sg === 43 || sg === 45) i++;
      if (!isDigit(s.charCodeAt(i))) this.fail("invalid number", i);
      while (isDigit(s.charCodeAt(i))) i++;
    }
    this.i = i;
    const v = Number(s.slice(st, i));
    if (frac && Number.isInteger(v) && v <= MAX_INT && v >= -MAX_INT) return new JFloat(v);
    return v;
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

// ---------------------------------------------------------------------------------------------
// Construction of user values during decoding

type Maker = (...args: unknown[]) => unknown;
const makers = new WeakMap<TypeMeta | VariantMeta, Maker>();
const fallbackNullary = new WeakMap<VariantMeta, unknown>();

/** Generated code: how to build a struct (from its fields in declaration order) or a variant. */
export function registerMaker(meta: TypeMeta | VariantMeta, make: Maker): void {
  makers.set(meta, make);
}

function makeStruct(meta: TypeMeta, vals: unknown[]): unknown {
  const m = makers.get(meta);
  if (m !== undefined) return m(...vals);
  const o: Record<string, unknown> = {};
  Object.defineProperty(o, "$t", { value: meta });
  meta.fields.forEach((f, i) => (o[f] = vals[i]));
  return o;
}

function makeVariant(vm: VariantMeta, vals: unknown[]): unknown {
  const m = makers.get(vm);
  if (m !== undefined) return m(...vals);
  if (vm.arity === 0) {
    let o = fallbackNullary.get(vm);
    if (o === undefined) {
      o = Object.defineProperty({}, "$v", { value: vm });
      fallbackNullary.set(vm, o);
    }
    return o;
  }
  const o: Record<string, unknown> = {};
  Object.defineProperty(o, "$v", { value: vm });
  vals.forEach((x, i) => (o["_" + i] = x));
  return o;
}

// ---------------------------------------------------------------------------------------------
// Decoding (§13.2)

class DecodeError extends Error {}

function fail(msg: string): never {
  throw new DecodeError(msg);
}

function isObjectNode(n: JsonNode): n is Record<string, JsonNode> {
  return typeof n === "object" && n !== null && !Array.isArray(n) && !(n instanceof JFloat);
}

function decodeNode(n: JsonNode, d: JsonType, args: readonly JsonType[] | undefined): unknown {
  switch (d.k) {
    case "int": {
      if (typeof n === "number" || n instanceof JFloat) {
        const t = Math.trunc(numOf(n));
        if (t <= MAX_INT && t >= -MAX_INT) return t + 0;
      }
      return fail("expected Int");
    }
    case "float":
      if (typeof n === "number" || n instanceof JFloat) return numOf(n);
      return fail("expected Float");
    case "string":
      return typeof n === "string" ? n : fail("expected String");
    case "bool":
      return typeof n === "boolean" ? n : fail("expected Bool");
    case "unit":
      return n === null ? undefined : fail("expected null");
    case "json":
      return new JsonValue(n);
    case "option":
      return n === null ? None : new Some(decodeNode(n, (d as { of: JsonType }).of, args));
    case "list":
    case "set": {
      if (!Array.isArray(n)) return fail("expected Array");
      const of = (d as { of: JsonType }).of;
      const out = new Array<unknown>(n.length);
      for (let i = 0; i < n.length; i++) out[i] = decodeNode(n[i], of, args);
      return d.k === "list" ? List.fromArray(out) : MeshSet.fromArray(out);
    }
    case "map": {
      if (!isObjectNode(n)) return fail("expected Object");
      const of = (d as { of: JsonType }).of;
      // Entries in ascending key order: the order Json.encode writes, independent of the parser.
      const keys = sortKeys(Object.keys(n));
      const st = new Store(true);
      for (const k of keys) storePut(st, k, decodeNode(n[k], of, args));
      return MeshMap.fromStore(st);
    }
    case "tuple": {
      const es = (d as { elems: readonly JsonType[] }).elems;
      if (!Array.isArray(n) || n.length !== es.length) return fail("expected Array");
      return es.map((e, i) => decodeNode(n[i], e, args));
    }
    case "struct": {
      const dd = d as { meta: TypeMeta; args?: readonly JsonType[] };
      return decodeStruct(n, dd.meta, resolveArgs(dd.args, args));
    }
    case "sum": {
      const dd = d as { meta: TypeMeta; args?: readonly JsonType[] };
      return decodeSum(n, dd.meta, resolveArgs(dd.args, args));
    }
    case "param":
      return decodeNode(n, resolve(d, args), undefined);
    default:
      return decodeAny(n);
  }
}

function decodeAny(n: JsonNode): unknown {
  switch (nodeKind(n)) {
    case "null":
      return undefined;
    case "float":
      return numOf(n);
    case "array":
      return List.fromArray((n as JsonNode[]).map(decodeAny));
    case "object": {
      const o = n as Record<string, JsonNode>;
      const st = new Store(true);
      for (const k of sortKeys(Object.keys(o))) storePut(st, k, decodeAny(o[k]));
      return MeshMap.fromStore(st);
    }
    default:
      return n;
  }
}

function decodeStruct(n: JsonNode, meta: TypeMeta, args: readonly JsonType[] | undefined): unknown {
  if (!isObjectNode(n)) return fail("expected Object");
  const fields = meta.fields;
  const ft = meta.fieldTypes as readonly JsonType[] | undefined;
  const vals = new Array<unknown>(fields.length);
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    let t = ft?.[i] ?? ANY;
    if (t.k === "param") t = resolve(t, args);
    if (Object.hasOwn(n, f)) vals[i] = decodeNode(n[f], t, args);
    else if (t.k === "option") vals[i] = None;
    else fail(`missing field: ${f}`);
  }
  return makeStruct(meta, vals);
}

function decodeSum(n: JsonNode, meta: TypeMeta, args: readonly JsonType[] | undefined): unknown {
  if (!isObjectNode(n)) return fail("expected Object");
  if (!Object.hasOwn(n, "tag")) return fail("missing field: tag");
  const tag = n.tag;
  if (typeof tag !== "string") return fail("expected String");
  const vm = meta.variants.find((v) => v.name === tag);
  if (vm === undefined) return fail(`unknown variant for ${meta.name}`);
  let fields: JsonNode = [];
  if (Object.hasOwn(n, "fields")) fields = n.fields;
  else if (vm.arity > 0) fail("missing field: fields");
  if (!Array.isArray(fields)) return fail("expected Array");
  if (fields.length !== vm.arity) return fail(`wrong number of fields for ${vm.name}`);
  const pts = (meta.fieldTypes as readonly (readonly JsonType[])[] | undefined)?.[vm.tag];
  const vals = new Array<unknown>(vm.arity);
  for (let i = 0; i < vm.arity; i++) vals[i] = decodeNode(fields[i], pts?.[i] ?? ANY, args);
  return makeVariant(vm, vals);
}

/** Decodes a parsed node as the type `d`: Ok(value) or Err(first error, §13.2). */
export function decodeJson(n: JsonNode, d: JsonType): Result<unknown, string> {
  try {
    return ok(decodeNode(n, d, undefined));
  } catch (e) {
    if (e instanceof DecodeError) return err(e.message);
    throw e;
  }
}

/**
 * `T.from_json(text)` for a type deriving Json. `target` is the type's meta (its kind picks
 * struct or sum decoding) or a full descriptor (for generic instances, e.g. Box<Float>).
 */
export function decodeDerived(target: TypeMeta | JsonType, text: string): Result<unknown, string> {
  const parsed = parseJson(text);
  if (!(parsed instanceof Ok)) return parsed;
  const d: JsonType = "k" in target ? target : { k: target.kind, meta: target };
  return decodeJson(parsed._0 as JsonNode, d);
}

// ---------------------------------------------------------------------------------------------
// deriving(Row) (§28.4)

function rowValue(raw: string, d: JsonType): unknown {
  switch (d.k) {
    case "string":
      return raw;
    case "int": {
      const t = trimWhiteSpace(raw);
      const v = parseIntText(t);
      return v === undefined ? fail(`cannot parse '${t}' as Int`) : v;
    }
    case "float": {
      const t = trimWhiteSpace(raw);
      const v = parseFloatText(t);
      return v === undefined ? fail(`cannot parse '${t}' as Float`) : v;
    }
    case "bool": {
      const t = trimWhiteSpace(raw);
      switch (t.toLowerCase()) {
        case "true":
        case "t":
        case "1":
        case "yes":
          return true;
        case "false":
        case "f":
        case "0":
        case "no":
          return false;
      }
      return fail(`cannot parse '${t}' as Bool`);
    }
    case "option":
      return raw === "" ? None : new Some(rowValue(raw, (d as { of: JsonType }).of));
    default:
      return raw;
  }
}

/** `T.from_row(row)` for a struct deriving Row: Ok(value) or Err(first error). */
export function fromRow(meta: TypeMeta, row: MeshMap<string, string>): Result<unknown, string> {
  const fields = meta.fields;
  const ft = meta.fieldTypes as readonly JsonType[] | undefined;
  const vals = new Array<unknown>(fields.length);
  try {
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i];
      const t = ft?.[i] ?? { k: "string" };
      const raw = row.lookup(f);
      if (raw === NOT_FOUND) {
        if (t.k === "option") vals[i] = None;
        else fail(`missing column: ${f}`);
      } else vals[i] = rowValue(raw as string, t);
    }
  } catch (e) {
    if (e instanceof DecodeError) return err(e.message);
    throw e;
  }
  return ok(makeStruct(meta, vals));
}
