// Ordering (language.md §7.5): `<` is lt(a, b); `compare` returns the Ordering values of
// builtin-types.ts. Int/Float numerically, Bool false < true, String by code point (not by UTF-16
// unit as JavaScript's `<` does), tuples and lists lexicographically (a proper prefix is smaller),
// sum types by variant declaration order then payloads, structs by field order. User types use a
// hand-written `impl Ord` when present.
import { Equal, Greater, Less } from "./builtin-types.js";
import { structMetaOf, variantMetaOf, type TypeMeta } from "./meta.js";
import { K_LIST, K_RANGE, type Kinded, type ListLike } from "./equality.js";
import { eq } from "./equality.js";

/** Code-point order of two strings: negative, 0 or positive. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      // UTF-16 order differs from code-point order only between a surrogate (U+D800-DFFF, which
      // encodes >= U+10000) and a unit in U+E000-FFFF: lift surrogates above every BMP unit.
      if (x >= 0xd800 && y >= 0xd800) {
        x = x < 0xe000 ? x + 0x2000 : x - 0x800;
        y = y < 0xe000 ? y + 0x2000 : y - 0x800;
      }
      return x - y;
    }
  }
  return a.length - b.length;
}

function userOrd(t: TypeMeta): Record<string, Function> | undefined {
  if (t.derives.has("Ord")) return undefined;
  return t.impls.Ord;
}

/** Three-way comparison: negative, 0 or positive (0 also when unordered, e.g. NaN). */
export function cmp(a: unknown, b: unknown): number {
  switch (typeof a) {
    case "number":
      return a < (b as number) ? -1 : a > (b as number) ? 1 : 0;
    case "string":
      return compareStrings(a, b as string);
    case "boolean":
      return a === b ? 0 : a ? 1 : -1;
    case "object":
      if (a === b) return 0;
      return cmpObject(a as object, b as object);
    default:
      return 0;
  }
}

function cmpSeq(n1: number, n2: number, get1: (i: number) => unknown, get2: (i: number) => unknown): number {
  const n = n1 < n2 ? n1 : n2;
  for (let i = 0; i < n; i++) {
    const c = cmp(get1(i), get2(i));
    if (c !== 0) return c;
  }
  return n1 - n2;
}

function cmpObject(a: object, b: object): number {
  if (Array.isArray(a)) {
    const y = b as unknown[];
    const n = a.length < y.length ? a.length : y.length;
    for (let i = 0; i < n; i++) {
      const c = cmp(a[i], y[i]);
      if (c !== 0) return c;
    }
    return a.length - y.length;
  }
  const k = (a as Kinded).$k;
  if (k === K_LIST) {
    const x = a as unknown as ListLike;
    const y = b as unknown as ListLike;
    return cmpSeq(x.length, y.length, (i) => x.get(i), (i) => y.get(i));
  }
  if (k === K_RANGE) {
    const x = a as unknown as { start: number; end: number };
    const y = b as unknown as { start: number; end: number };
    return x.start - y.start || x.end - y.end;
  }
  const va = variantMetaOf(a);
  if (va !== undefined) {
    const u = userOrd(va.type);
    if (u !== undefined) return cmpUser(u, a, b);
    const vb = variantMetaOf(b)!;
    if (va.tag !== vb.tag) return va.tag - vb.tag;
    const x = a as Record<string, unknown>;
    const y = b as Record<string, unknown>;
    for (let i = 0; i < va.arity; i++) {
      const c = cmp(x["_" + i], y["_" + i]);
      if (c !== 0) return c;
    }
    return 0;
  }
  const sa = structMetaOf(a);
  if (sa !== undefined) {
    const u = userOrd(sa);
    if (u !== undefined) return cmpUser(u, a, b);
    const x = a as Record<string, unknown>;
    const y = b as Record<string, unknown>;
    const fs = sa.fields;
    for (let i = 0; i < fs.length; i++) {
      const c = cmp(x[fs[i]], y[fs[i]]);
      if (c !== 0) return c;
    }
    return 0;
  }
  const p = a as { $cmp?: (o: unknown) => number };
  if (typeof p.$cmp === "function") return p.$cmp(b);
  return 0;
}

function cmpUser(u: Record<string, Function>, a: unknown, b: unknown): number {
  if (typeof u.compare === "function") {
    const o = u.compare(a, b) as { $v?: { tag: number } };
    return o === Less ? -1 : o === Greater ? 1 : 0;
  }
  if (u.lt(a, b) === true) return -1;
  if (u.lt(b, a) === true) return 1;
  return 0;
}

/** `a < b`. */
export function lt(a: unknown, b: unknown): boolean {
  if (typeof a === "number") return a < (b as number);
  if (typeof a === "object" && a !== null) {
    const u = ordImplOf(a);
    if (u !== undefined && typeof u.lt === "function") return u.lt(a, b) === true;
  }
  return cmp(a, b) < 0;
}
/** `a > b` = b.lt(a). */
export function gt(a: unknown, b: unknown): boolean {
  return lt(b, a);
}
/** `a <= b` = not b.lt(a) (false for NaN operands, which IEEE requires). */
export function le(a: unknown, b: unknown): boolean {
  if (typeof a === "number") return a <= (b as number);
  return !lt(b, a);
}
/** `a >= b` = not a.lt(b). */
export function ge(a: unknown, b: unknown): boolean {
  if (typeof a === "number") return a >= (b as number);
  return !lt(a, b);
}

function ordImplOf(a: object): Record<string, Function> | undefined {
  const vm = variantMetaOf(a);
  if (vm !== undefined) return userOrd(vm.type);
  const sm = structMetaOf(a);
  if (sm !== undefined) return userOrd(sm);
  return undefined;
}

/** `compare(a, b)`: Less, Equal or Greater, consistent with `<` and `==`. */
export function compare(a: unknown, b: unknown): typeof Less {
  if (typeof a === "object" && a !== null) {
    const u = ordImplOf(a);
    if (u !== undefined) {
      if (typeof u.compare === "function") return u.compare(a, b) as typeof Less;
      if (u.lt(a, b) === true) return Less;
      return eq(a, b) ? Equal : Greater;
    }
  }
  const c = cmp(a, b);
  return c < 0 ? Less : c > 0 ? Greater : Equal;
}
