// hash(v): a 32-bit hash consistent with eq() (equality.ts), used by MeshMap/MeshSet for keys that
// are not JS primitives (tuples, lists, structs, variants, maps, sets, pids) and by derived Hash.
// Exact values are unspecified (language.md §3.9) and must never be printed by tests.
import { Atom, structMetaOf, variantMetaOf } from "./meta.js";
import { K_LIST, K_MAP, K_RANGE, K_SET, type Kinded } from "./equality.js";

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

export function hashNumber(x: number): number {
  if ((x | 0) === x) return mix(x); // also maps -0 to the hash of 0
  if (x !== x) return 0x7ff80000;
  f64[0] = x;
  return mix(u32[0] ^ Math.imul(u32[1], 0x9e3779b1));
}

export function hashString(s: string): number {
  let h = 0x811c9dc5 ^ s.length;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return mix(h);
}

const atomHashes = new WeakMap<Atom, number>();

function combine(h: number, x: number): number {
  return (Math.imul(h, 31) + x) | 0;
}

export function hash(v: unknown): number {
  switch (typeof v) {
    case "number":
      return hashNumber(v);
    case "string":
      return hashString(v);
    case "boolean":
      return v ? 0x4cf5ad43 : 0x2545f491;
    case "undefined":
      return 0x1b873593;
    case "object":
      return hashObject(v);
    default:
      return 0x5bd1e995; // functions have no Hash (E0006); any constant is consistent with identity eq
  }
}

function hashObject(v: object | null): number {
  if (v === null) return 0x68e31da4;
  if (Array.isArray(v)) {
    let h = 0x3c6ef372 ^ v.length;
    for (let i = 0; i < v.length; i++) h = combine(h, hash(v[i]));
    return mix(h);
  }
  const k = (v as Kinded).$k;
  if (k !== undefined) {
    switch (k) {
      case K_LIST: {
        const l = v as unknown as { length: number; get(i: number): unknown };
        let h = 0x6a09e667 ^ l.length;
        for (let i = 0; i < l.length; i++) h = combine(h, hash(l.get(i)));
        return mix(h);
      }
      case K_MAP: {
        // order-independent: maps are equal regardless of insertion order
        let h = 0x510e527f;
        (v as unknown as { forEachPair(f: (k: unknown, x: unknown) => void): void }).forEachPair((key, x) => {
          h = (h + mix(combine(hash(key), hash(x)))) | 0;
        });
        return mix(h);
      }
      case K_SET: {
        let h = 0x1f83d9ab;
        (v as unknown as { forEachKey(f: (k: unknown) => void): void }).forEachKey((key) => {
          h = (h + mix(hash(key))) | 0;
        });
        return mix(h);
      }
      case K_RANGE: {
        const r = v as unknown as { start: number; end: number };
        return mix(combine(hashNumber(r.start), hashNumber(r.end)) ^ 0x2f);
      }
    }
  }
  if (v instanceof Atom) {
    let h = atomHashes.get(v);
    if (h === undefined) {
      h = hashString(v.name) ^ 0x9b05688c;
      atomHashes.set(v, h);
    }
    return h;
  }
  const vm = variantMetaOf(v);
  if (vm !== undefined) {
    const t = vm.type;
    if (!t.derives.has("Hash") && t.impls.Hash?.hash) return Number(t.impls.Hash.hash(v)) | 0;
    const o = v as Record<string, unknown>;
    let h = 0x7137449 ^ vm.tag ^ hashString(t.qname);
    for (let i = 0; i < vm.arity; i++) h = combine(h, hash(o["_" + i]));
    return mix(h);
  }
  const sm = structMetaOf(v);
  if (sm !== undefined) {
    if (!sm.derives.has("Hash") && sm.impls.Hash?.hash) return Number(sm.impls.Hash.hash(v)) | 0;
    const o = v as Record<string, unknown>;
    let h = hashString(sm.qname);
    const fs = sm.fields;
    for (let i = 0; i < fs.length; i++) h = combine(h, hash(o[fs[i]]));
    return mix(h);
  }
  const p = v as { $pid?: boolean; hash?: () => number; $hash?: () => number };
  if (p.$pid === true && typeof p.hash === "function") return p.hash() | 0;
  if (typeof p.$hash === "function") return p.$hash() | 0;
  return 0x3f84d5b5;
}
