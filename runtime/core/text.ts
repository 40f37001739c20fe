// Text conversion (language.md §7.6, stdlib.md §26): text(v) is what interpolation "${v}",
// String.from and to_string produce (Display, falling back to Debug); inspect(v) is Debug.
// Nested components always use text(), so strings inside collections are never quoted.
import { Atom, structMetaOf, variantMetaOf, type TypeMeta } from "./meta.js";
import { K_LIST, K_MAP, K_RANGE, K_SET, type Kinded, type ListLike } from "./equality.js";
import { floatText } from "./float-text.js";

export function text(v: unknown): string {
  switch (typeof v) {
    case "string":
      return v;
    case "number":
      return floatText(v);
    case "boolean":
      return v ? "true" : "false";
    case "undefined":
      return "()";
    case "object":
      return v === null ? "null" : objectText(v, false);
    case "function":
      return "<fn>";
    default:
      return String(v);
  }
}

export function inspect(v: unknown): string {
  if (typeof v === "string") return '"' + v + '"';
  if (typeof v === "object" && v !== null) return objectText(v, true);
  return text(v);
}

function join(xs: ArrayLike<unknown>, start: number, end: number): string {
  if (end <= start) return "";
  let s = text(xs[start]);
  for (let i = start + 1; i < end; i++) s += ", " + text(xs[i]);
  return s;
}

function objectText(v: object, debug: boolean): string {
  if (Array.isArray(v)) return "(" + join(v, 0, v.length) + ")";
  const k = (v as Kinded).$k;
  if (k !== undefined) {
    switch (k) {
      case K_LIST: {
        const l = v as unknown as ListLike & { arr: unknown[]; off: number };
        return "[" + join(l.arr, l.off, l.off + l.length) + "]";
      }
      case K_MAP: {
        const { keys, vals } = (v as unknown as { entryArrays(): { keys: unknown[]; vals: unknown[] } }).entryArrays();
        let s = "%{";
        for (let i = 0; i < keys.length; i++) s += (i > 0 ? ", " : "") + text(keys[i]) + " => " + text(vals[i]);
        return s + "}";
      }
      case K_SET: {
        const keys = (v as unknown as { keyArray(): unknown[] }).keyArray();
        return "#{" + join(keys, 0, keys.length) + "}";
      }
      case K_RANGE: {
        const r = v as unknown as { start: number; end: number };
        return floatText(r.start) + ".." + floatText(r.end);
      }
    }
  }
  if (v instanceof Atom) return v.name;
  const vm = variantMetaOf(v);
  if (vm !== undefined) {
    const t = vm.type;
    const custom = userText(t, debug, v);
    if (custom !== undefined) return custom;
    if (vm.arity === 0) return vm.name;
    const o = v as Record<string, unknown>;
    let s = vm.name + "(" + text(o._0);
    for (let i = 1; i < vm.arity; i++) s += ", " + text(o["_" + i]);
    return s + ")";
  }
  const sm = structMetaOf(v);
  if (sm !== undefined) {
    const custom = userText(sm, debug, v);
    if (custom !== undefined) return custom;
    const o = v as Record<string, unknown>;
    const fs = sm.fields;
    // Display form when the type has (derived) Display and we are not asked for Debug.
    if (!debug && sm.derives.has("Display")) {
      let s = sm.name + "(";
      for (let i = 0; i < fs.length; i++) s += (i > 0 ? ", " : "") + text(o[fs[i]]);
      return s + ")";
    }
    if (fs.length === 0) return sm.name + " {}";
    let s = sm.name + " { ";
    for (let i = 0; i < fs.length; i++) s += (i > 0 ? ", " : "") + fs[i] + ": " + text(o[fs[i]]);
    return s + " }";
  }
  const p = v as { $pid?: boolean; $show?: () => string };
  if (p.$pid === true) return String(v);
  if (typeof p.$show === "function") return p.$show();
  return String(v);
}

// A hand-written impl, when the chosen interface is not the generic derived one. Display first
// (text) unless the type derives Display; Debug (inspect, or text's fallback) otherwise.
function userText(t: TypeMeta, debug: boolean, v: unknown): string | undefined {
  const d = t.derives;
  if (!debug) {
    if (d.has("Display")) return undefined;
    const disp = t.impls.Display?.to_string;
    if (disp !== undefined) return String(disp(v));
  }
  if (d.has("Debug")) return undefined;
  const dbg = t.impls.Debug?.inspect;
  if (dbg !== undefined) return String(dbg(v));
  if (debug) {
    // No Debug at all (the checker rejects that): fall back to Display if any.
    const disp = t.impls.Display?.to_string;
    if (disp !== undefined && !d.has("Display")) return String(disp(v));
  }
  return undefined;
}

// ---- text parsing shared by String.to_int/to_float/trim (stdlib string.ts) and deriving(Row) (json.ts)

const MAX_INT = Number.MAX_SAFE_INTEGER;

/** Unicode White_Space (stdlib.md §3 String.trim); U+FEFF is not whitespace. */
export function isWhiteSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0x85) return false;
  return (
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

export function trimWhiteSpace(s: string): string {
  let i = 0;
  let j = s.length;
  while (i < j && isWhiteSpace(s.charCodeAt(i))) i++;
  while (j > i && isWhiteSpace(s.charCodeAt(j - 1))) j--;
  return i === 0 && j === s.length ? s : s.slice(i, j);
}

/** `[+-]?[0-9]+` (already trimmed) within ±(2^53−1), else undefined. */
export function parseIntText(t: string): number | undefined {
  const n = t.length;
  let i = 0;
  let neg = false;
  if (n === 0) return undefined;
  const c0 = t.charCodeAt(0);
  if (c0 === 0x2b || c0 === 0x2d) {
    neg = c0 === 0x2d;
    i = 1;
    if (n === 1) return undefined;
  }
  let v = 0;
  for (; i < n; i++) {
    const d = t.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return undefined;
    v = v * 10 + d;
    if (v > MAX_INT) return undefined; // every further digit only grows it
  }
  return neg ? 0 - v : v;
}

const FLOAT_RE = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const SPECIAL_RE = /^[+-]?(?:inf|infinity|nan)$/i;

/** stdlib.md §3 String.to_float grammar (already trimmed), else undefined. */
export function parseFloatText(t: string): number | undefined {
  if (FLOAT_RE.test(t)) return Number(t);
  if (SPECIAL_RE.test(t)) {
    const neg = t.charCodeAt(0) === 0x2d;
    const c = t.charCodeAt(neg || t.charCodeAt(0) === 0x2b ? 1 : 0) | 0x20;
    if (c === 0x6e) return NaN;
    return neg ? -Infinity : Infinity;
  }
  return undefined;
}
