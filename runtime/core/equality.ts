// eq(a, b): built-in `==` (language.md §7.5). Structural on every value shape; Float per IEEE
// (NaN != NaN, -0 == 0); user types use a hand-written `impl Eq` when present, otherwise the
// derived field-/payload-wise comparison. Also defines the `$k` kind tags that the collection
// classes put on their prototypes, so that this file (and hash/compare/text) need not import them.
import { structMetaOf, variantMetaOf } from "./meta.js";

export const K_LIST = 1;
export const K_MAP = 2;
export const K_SET = 3;
export const K_RANGE = 4;

export interface Kinded {
  readonly $k?: number;
}

// The structural views of the collections that eq/compare/hash/text use.
export interface ListLike {
  readonly length: number;
  get(i: number): unknown;
}
export interface MapLike {
  readonly size: number;
  lookup(k: unknown): unknown; // NOT_FOUND when absent
  entryArrays(): { keys: unknown[]; vals: unknown[] };
}
export interface SetLike {
  readonly size: number;
  has(k: unknown): boolean;
  keyArray(): unknown[];
}

/** Sentinel returned by MeshMap.lookup for a missing key (Mesh values are never this object). */
export const NOT_FOUND: unique symbol = Symbol("NOT_FOUND");

export function eq(a: unknown, b: unknown): boolean {
  if (a === b) return true; // numbers: NaN !== NaN and -0 === 0 already follow IEEE
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  return eqObject(a, b);
}

function eqObject(a: object, b: object): boolean {
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!eq(a[i], b[i])) return false;
    return true;
  }
  const ka = (a as Kinded).$k;
  if (ka !== undefined) {
    if ((b as Kinded).$k !== ka) return false;
    switch (ka) {
      case K_LIST: {
        const x = a as unknown as ListLike;
        const y = b as unknown as ListLike;
        const n = x.length;
        if (n !== y.length) return false;
        for (let i = 0; i < n; i++) if (!eq(x.get(i), y.get(i))) return false;
        return true;
      }
      case K_MAP: {
        const x = a as unknown as MapLike;
        const y = b as unknown as MapLike;
        if (x.size !== y.size) return false;
        // Snapshot one side first: both maps may be versions of one store (map.ts), and
        // alternating reads between versions would thrash.
        const { keys, vals } = x.entryArrays();
        for (let i = 0; i < keys.length; i++) {
          const w = y.lookup(keys[i]);
          if (w === NOT_FOUND || !eq(vals[i], w)) return false;
        }
        return true;
      }
      case K_SET: {
        const x = a as unknown as SetLike;
        const y = b as unknown as SetLike;
        if (x.size !== y.size) return false;
        const keys = x.keyArray();
        for (let i = 0; i < keys.length; i++) if (!y.has(keys[i])) return false;
        return true;
      }
      case K_RANGE: {
        const x = a as unknown as { start: number; end: number };
        const y = b as unknown as { start: number; end: number };
        return x.start === y.start && x.end === y.end;
      }
    }
    return false;
  }
  const va = variantMetaOf(a);
  if (va !== undefined) {
    const vb = variantMetaOf(b);
    if (vb === undefined) return false;
    const t = va.type;
    if (!t.derives.has("Eq") && t.impls.Eq?.eq) return t.impls.Eq.eq(a, b) === true;
    if (va !== vb) return false;
    const x = a as Record<string, unknown>;
    const y = b as Record<string, unknown>;
    switch (va.arity) {
      case 0:
        return true;
      case 1:
        return eq(x._0, y._0);
      case 2:
        return eq(x._0, y._0) && eq(x._1, y._1);
      default:
        for (let i = 0; i < va.arity; i++) if (!eq(x["_" + i], y["_" + i])) return false;
        return true;
    }
  }
  const sa = structMetaOf(a);
  if (sa !== undefined) {
    if (structMetaOf(b) !== sa) return false;
    if (!sa.derives.has("Eq") && sa.impls.Eq?.eq) return sa.impls.Eq.eq(a, b) === true;
    const x = a as Record<string, unknown>;
    const y = b as Record<string, unknown>;
    const fs = sa.fields;
    for (let i = 0; i < fs.length; i++) if (!eq(x[fs[i]], y[fs[i]])) return false;
    return true;
  }
  const p = a as { $pid?: boolean; equals?: (o: unknown) => boolean; $eq?: (o: unknown) => boolean };
  if (p.$pid === true && typeof p.equals === "function") return (b as { $pid?: boolean }).$pid === true && p.equals(b);
  if (typeof p.$eq === "function") return p.$eq(b);
  return false; // Atoms are interned (identity handled above); functions/handles have no Eq
}

/** `a != b` (language.md §7.2: true for NaN). */
export function neq(a: unknown, b: unknown): boolean {
  return !eq(a, b);
}
