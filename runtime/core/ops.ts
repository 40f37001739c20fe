// Operations that generated code calls directly (language.md §4, §7): checked Int arithmetic
// (safe-range overflow, division by zero), dynamic operator dispatch for generic code, index
// expressions, match failures, code-point string comparison, struct/variant definition helpers,
// the impl table for built-in types, and run-time method / interface dispatch.
import { Atom, plainMethods, registerImpl, typeMeta, variantMeta, structMetaOf, variantMetaOf, type MethodTable, type TypeMeta } from "./meta.js";
import { None, Err, Some } from "./builtin-types.js";
import { MeshPanic, panic } from "./panic.js";
import { List } from "./list.js";
import { MeshMap } from "./map.js";
import { MeshSet } from "./set.js";
import { Range } from "./range.js";
import { eq, neq } from "./equality.js";
import { compareStrings, lt, gt, le, ge, compare } from "./compare.js";
import { text, inspect } from "./text.js";
import { hash } from "./hash.js";
import { registerMaker, decodeDerived, fromRow } from "./json.js";

const MAX = 9007199254740991;
// The hot checks below spell the bound as a literal: bundlers turn the `const` above into a
// module `var`, which V8 cannot constant-fold (a tail-call loop measured 2.5x slower).

// ---------------------------------------------------------------- Int arithmetic (§7.1)

/** Range check of an Int `+`/`-` result (both operands are safe integers, so the result is exact or out of range). */
// `(v | 0) === v` first: small Ints (the common case) skip the double comparisons, which keeps
// checked arithmetic within ~10% of unchecked JS (fib(30)).
export function ck(v: number): number {
  if ((v | 0) !== v && (v > 9007199254740991 || v < -9007199254740991)) panic("integer overflow");
  return v;
}

/**
 * Statement form of the range check, used where generated code stores a result in a variable:
 * `acc = acc + n; if (!$isInt(acc)) throw $OVERFLOW;`. V8 inlines this predicate, and throwing a
 * preallocated panic (no call on the slow path) keeps tail-call loops at hand-written speed.
 * Only called with results of Int `+ - *` on safe integers, which are integral.
 */
export function isInt(v: number): boolean {
  return Math.abs(v) <= 9007199254740991;
}

/**
 * The one `integer overflow` panic thrown by inline checks. The scheduler reads only its `reason`.
 * Its stack is emptied: it was captured at module load, so it would name no `.mpl` location
 * (runtime/core/location.ts prints no location line for it).
 */
export const OVERFLOW: MeshPanic = new MeshPanic("integer overflow");
OVERFLOW.stack = "MeshPanic: integer overflow";

export function imul(a: number, b: number): number {
  const v = a * b;
  if ((v | 0) !== v && (v > 9007199254740991 || v < -9007199254740991)) panic("integer overflow");
  return v + 0; // 0 * -n is -0 in JS; Ints have no negative zero
}

/** Int `/`: truncates toward zero; exact for every safe integer (a - a % b is divisible by b). */
export function idiv(a: number, b: number): number {
  if (b === 0) panic("division by zero");
  const v = (a - (a % b)) / b;
  if (v > MAX) panic("integer overflow");
  return v + 0;
}

/** Int `%`: remainder with the sign of the dividend. */
export function imod(a: number, b: number): number {
  if (b === 0) panic("division by zero");
  return (a % b) + 0;
}

// ---------------------------------------------------------------- dynamic operators

function metaOf(v: unknown): TypeMeta | undefined {
  return structMetaOf(v) ?? variantMetaOf(v)?.type;
}

function userOp(iface: string, method: string, a: unknown, b?: unknown): unknown {
  const f = metaOf(a)?.impls[iface]?.[method] ?? builtinImplFor(a, iface, method);
  if (!f) return panic(`no ${iface} impl for this value`);
  return b === undefined && method === "neg" ? f(a) : f(a, b);
}

const isSafeInt = Number.isSafeInteger;

export function add(a: unknown, b: unknown): unknown {
  if (typeof a === "number" && typeof b === "number") return isSafeInt(a) && isSafeInt(b) ? ck(a + b) : a + b;
  if (typeof a === "string" && typeof b === "string") return a + b;
  return userOp("Add", "add", a, b);
}
export function sub(a: unknown, b: unknown): unknown {
  if (typeof a === "number" && typeof b === "number") return isSafeInt(a) && isSafeInt(b) ? ck(a - b) : a - b;
  return userOp("Sub", "sub", a, b);
}
export function mul(a: unknown, b: unknown): unknown {
  if (typeof a === "number" && typeof b === "number") return isSafeInt(a) && isSafeInt(b) ? imul(a, b) : a * b;
  return userOp("Mul", "mul", a, b);
}
// Generic code cannot tell 4.0 from 4 at run time; both-integral operands divide as Ints.
export function div(a: unknown, b: unknown): unknown {
  if (typeof a === "number" && typeof b === "number") return isSafeInt(a) && isSafeInt(b) ? idiv(a, b) : a / b;
  return userOp("Div", "div", a, b);
}
export function rem(a: unknown, b: unknown): unknown {
  if (typeof a === "number" && typeof b === "number") return isSafeInt(a) && isSafeInt(b) ? imod(a, b) : a % b;
  return userOp("Mod", "mod", a, b);
}
export function negate(a: unknown): unknown {
  if (typeof a === "number") return isSafeInt(a) ? 0 - a : -a;
  return userOp("Neg", "neg", a);
}

export { eq, neq as ne, lt, gt, le, ge, compare, hash, text, inspect };

/** `to_string` (Display) — text() already prefers Display. */
export function toString(v: unknown): string {
  return text(v);
}

export function strLt(a: string, b: string): boolean {
  return compareStrings(a, b) < 0;
}
export function strGt(a: string, b: string): boolean {
  return compareStrings(a, b) > 0;
}
export function strLe(a: string, b: string): boolean {
  return compareStrings(a, b) <= 0;
}
export function strGe(a: string, b: string): boolean {
  return compareStrings(a, b) >= 0;
}

// Ord through a hand-written `lt` (§3.10): a > b = b.lt(a), a <= b = not b.lt(a), a >= b = not a.lt(b)
export function ordGt(ltf: (x: unknown, y: unknown) => boolean, a: unknown, b: unknown): boolean {
  return ltf(b, a);
}
export function ordLe(ltf: (x: unknown, y: unknown) => boolean, a: unknown, b: unknown): boolean {
  return !ltf(b, a);
}
export function ordGe(ltf: (x: unknown, y: unknown) => boolean, a: unknown, b: unknown): boolean {
  return !ltf(a, b);
}

/** `x == 0` where x may be a pid (concurrency.md §1.3: compares with the null pid). */
export function eqZero(x: unknown): boolean {
  if (x === 0) return true;
  return typeof x === "object" && x !== null && typeof (x as { isNull?: unknown }).isNull === "function" && (x as { isNull(): boolean }).isNull();
}
export function isNullPid(x: unknown): boolean {
  return eqZero(x);
}

// ---------------------------------------------------------------- match failures and `?`

export function noClause(nameArity: string): never {
  return panic(`no function clause matching ${nameArity}`);
}
export function noCase(): never {
  return panic("no case clause matching");
}
export function isFailure(v: unknown): boolean {
  return v instanceof Err || v === None;
}
/** `?` without checker information: convert a foreign error with the From impl for its type. */
export function errInto(r: unknown, target: TypeMeta, table: Record<string, Function>): unknown {
  if (!(r instanceof Err)) return r;
  const e = r._0;
  if (metaOf(e) === target) return r;
  const key = builtinTypeKey(e);
  const f = table[key] ?? (key === "Int" ? table.Float : undefined);
  return f ? new Err(f(e)) : r;
}

// ---------------------------------------------------------------- collections

export function list<T>(arr: T[]): List<T> {
  return List.fromArray(arr);
}
export function isCons(x: List): boolean {
  return x.length > 0;
}
export function isEmpty(x: List): boolean {
  return x.length === 0;
}
export function head<T>(x: List<T>): T {
  return x.arr[x.off]!;
}
export function tail<T>(x: List<T>): List<T> {
  return x.tail();
}
export function listConcat<T>(a: List<T>, b: List<T>): List<T> {
  return a.concat(b);
}
/** `<>` when the operand type is unknown: strings or lists. */
export function concat(a: unknown, b: unknown): unknown {
  if (typeof a === "string") return a + (b as string);
  return (a as List).concat(b as List);
}
export function mapOf(pairs: unknown[][]): MeshMap {
  return MeshMap.fromPairs(pairs);
}
export function range(a: number, b: number): Range {
  return new Range(a, b);
}
export function atom(name: string): Atom {
  return Atom.of(name);
}

/** `xs[i]` / `m[k]` (§4.17). */
export function index(x: unknown, i: unknown): unknown {
  if (x instanceof List) return x.at(i as number);
  if (x instanceof MeshMap) return x.at(i);
  if (typeof x === "string") return panic("cannot index a String");
  return panic("value cannot be indexed");
}

/** What `for` iterates (§4.10): Map entries as `{k, v}` tuples, or its keys for a single name. */
export function iter(x: unknown, pairs: boolean): Iterable<unknown> {
  if (x instanceof MeshMap) return pairs ? x : (x as unknown as { keyArray(): unknown[] }).keyArray();
  if (x instanceof List || x instanceof MeshSet || x instanceof Range) return x as Iterable<unknown>;
  if (x !== null && typeof x === "object" && Symbol.iterator in x) return x as Iterable<unknown>;
  const it = callIfaceOpt("Iterable", "iter", x, []) ?? x;
  if (it !== null && typeof it === "object" && Symbol.iterator in it) return it as Iterable<unknown>;
  const next = implFor(it, "Iterator", "next");
  if (next) return pullNext(it, next);
  return panic("value is not iterable");
}

/** A user Iterator: `next(self)` until it answers `None`. */
function* pullNext(recv: unknown, next: Function): Generator<unknown, void, unknown> {
  for (;;) {
    const o = next(recv); // method tables hold plain functions (plainMethods)
    if (!(o instanceof Some)) return;
    yield o._0;
  }
}

// ---------------------------------------------------------------- types

export { typeMeta, registerImpl };

export function defineStruct(cls: Function, meta: TypeMeta): void {
  Object.defineProperty(cls.prototype, "$t", { value: meta });
  registerMaker(meta, (...vals: unknown[]) => new (cls as new (...a: unknown[]) => unknown)(...vals));
}

export function defineVariant(cls: Function, meta: TypeMeta, name: string, arity: number): void {
  const v = variantMeta(meta, name, arity);
  Object.defineProperty(cls.prototype, "$v", { value: v });
  registerMaker(v, (...vals: unknown[]) => new (cls as new (...a: unknown[]) => unknown)(...vals));
}

export function nullaryVariant(meta: TypeMeta, name: string): object {
  const v = variantMeta(meta, name, 0);
  const cls = { [name]: class {} }[name]!;
  Object.defineProperty(cls.prototype, "$v", { value: v });
  const inst = new cls();
  registerMaker(v, () => inst);
  return inst;
}

/** `%{base | f: v}` when the checker gave no struct type: copy through the value's own class. */
export function updateStruct(base: object, changes: Record<string, unknown>): unknown {
  const t = structMetaOf(base);
  if (!t) return panic("struct update on a non-struct value");
  const b = base as Record<string, unknown>;
  const C = base.constructor as new (...a: unknown[]) => unknown;
  return new C(...t.fields.map((f) => (f in changes ? changes[f] : b[f])));
}

export function makeStruct(name: string, _fields: Record<string, unknown>): never {
  return panic(`unknown struct ${name}`);
}

// ---------------------------------------------------------------- impls for built-in types

const builtinImpls = new Map<string, Record<string, MethodTable>>();

/** `impl Describe for Int do … end`: registered per type key at module load. */
export function registerBuiltinImpl(typeKey: string, iface: string, methods: MethodTable): void {
  let t = builtinImpls.get(typeKey);
  if (!t) builtinImpls.set(typeKey, (t = Object.create(null) as Record<string, MethodTable>));
  t[iface] = Object.assign(t[iface] ?? Object.create(null), plainMethods(methods));
}

export function builtinTypeKey(v: unknown): string {
  switch (typeof v) {
    case "number":
      return Number.isInteger(v) ? "Int" : "Float";
    case "string":
      return "String";
    case "boolean":
      return "Bool";
    case "undefined":
      return "Unit";
    default:
      break;
  }
  if (v instanceof List) return "List";
  if (v instanceof MeshMap) return "Map";
  if (v instanceof MeshSet) return "Set";
  if (v instanceof Range) return "Range";
  if (v instanceof Atom) return "Atom";
  if (Array.isArray(v)) return "Tuple";
  const vm = variantMetaOf(v);
  if (vm) return vm.type.qname;
  const sm = structMetaOf(v);
  if (sm) return sm.qname;
  return "?";
}

function builtinImplFor(v: unknown, iface: string | null, method: string): Function | undefined {
  const key = builtinTypeKey(v);
  let t = builtinImpls.get(key);
  if (!t && key === "Int") t = builtinImpls.get("Float"); // 4.0 is indistinguishable from 4
  if (!t) return undefined;
  if (iface && t[iface]?.[method]) return t[iface]![method];
  for (const k in t) if (t[k]![method]) return t[k]![method];
  return undefined;
}

function implFor(v: unknown, iface: string | null, method: string): Function | undefined {
  const m = metaOf(v);
  if (m) {
    if (iface && m.impls[iface]?.[method]) return m.impls[iface]![method];
    for (const k in m.impls) if (m.impls[k]![method]) return m.impls[k]![method];
  }
  return builtinImplFor(v, iface, method);
}

// The stdlib object (set by runtime/index.ts) for method calls on String/List/Map/Set/Range.
let library: Record<string, Record<string, unknown>> = {};
export function setMethodLibrary(lib: Record<string, Record<string, unknown>>): void {
  library = lib;
}

const BUILTIN_METHODS: Record<string, (v: unknown, args: unknown[]) => unknown> = {
  to_string: (v) => text(v),
  inspect: (v) => inspect(v),
  eq: (v, a) => eq(v, a[0]),
  lt: (v, a) => lt(v, a[0]),
  compare: (v, a) => compare(v, a[0]),
  hash: (v) => hash(v),
};

function callIfaceOpt(iface: string, method: string, recv: unknown, args: unknown[]): unknown {
  const f = implFor(recv, iface, method);
  return f ? f(recv, ...args) : undefined;
}

/** Interface method with run-time dispatch on the receiver (generic code, derived or built-in impls). */
export function callIface(iface: string, method: string, recv: unknown, args: unknown[]): unknown {
  const f = implFor(recv, iface, method);
  if (f) return f(recv, ...args);
  const b = BUILTIN_METHODS[method];
  if (b) return b(recv, args);
  return panic(`no ${iface}.${method} for ${builtinTypeKey(recv)}`);
}

/** `recv.name(args)` without checker information (§4.4 resolution order, at run time). */
export function callMethod(recv: unknown, name: string, args: unknown[]): unknown {
  const t = structMetaOf(recv);
  if (t && t.fields.includes(name)) {
    const f = (recv as Record<string, unknown>)[name];
    if (typeof f === "function") return f(...args);
  }
  const impl = implFor(recv, null, name);
  if (impl) return impl(recv, ...args);
  const b = BUILTIN_METHODS[name];
  const modName =
    typeof recv === "string" ? "String" : recv instanceof List ? "List" : recv instanceof MeshMap ? "Map" : recv instanceof MeshSet ? "Set" : recv instanceof Range ? "Range" : typeof recv === "number" ? (Number.isInteger(recv) ? "Int" : "Float") : null;
  const mod = modName ? library[modName] : undefined;
  const lf = mod?.[name];
  if (typeof lf === "function") return lf(recv, ...args);
  if (b) return b(recv, args);
  return panic(`no method ${name} for ${builtinTypeKey(recv)}`);
}

/** Static methods the code generator could not bind directly: derived `from_json`/`from_row`, or impl lookup. */
export function callStatic(meta: TypeMeta | string, method: string, args: unknown[]): unknown {
  if (typeof meta !== "string") {
    if (method === "from_json") return decodeDerived(meta, args[0] as string);
    if (method === "from_row") return fromRow(meta, args[0] as MeshMap<string, string>);
    for (const k in meta.impls) {
      const f = meta.impls[k]![method];
      if (f) return f(...args);
    }
  } else {
    const t = builtinImpls.get(meta);
    if (t) for (const k in t) if (t[k]![method]) return t[k]![method]!(...args);
  }
  return panic(`no static method ${method}`);
}

// ---------------------------------------------------------------- Node.spawn function registry

// Keys are `<module path>.<name>/<arity>` (`name/arity` for main.mpl), concurrency.md §6.7.
export const functionRegistry = new Map<string, Function>();
const functionKeys = new Map<Function, string>();
export function registerFunctions(table: Record<string, Function>): void {
  for (const k in table) {
    functionRegistry.set(k, table[k]!);
    functionKeys.set(table[k]!, k);
  }
}
/** The registry key of a top-level function or actor (what `Node.spawn` sends), if any. */
export function functionKey(f: Function): string | undefined {
  return functionKeys.get(f);
}
