// The String module (stdlib.md §3). Every length and index counts Unicode code points (§27);
// JS strings are UTF-16, so functions take a fast path when the text has no surrogate pairs.
import { None, Some, type Option } from "../core/builtin-types.js";
import { List } from "../core/list.js";
import { parseFloatText, parseIntText, text, trimWhiteSpace } from "../core/text.js";
import { DONE, type Iter } from "./iter.js";

const HAS_SURROGATE = /[\uD800-\uDFFF]/;

/** Number of code points. */
export function cpLength(s: string): number {
  if (!HAS_SURROGATE.test(s)) return s.length;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++;
  }
  return n;
}

/** UTF-16 offset of code point index `cp` (0 <= cp <= length), scanning from the start. */
function unitOffset(s: string, cp: number): number {
  let i = 0;
  while (cp > 0 && i < s.length) {
    const c = s.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < s.length ? 2 : 1;
    cp--;
  }
  return i;
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

export function slice(s: string, start: number, end: number): string {
  if (!HAS_SURROGATE.test(s)) {
    const n = s.length;
    const a = clamp(start, 0, n);
    const b = clamp(end, 0, n);
    return b <= a ? "" : s.slice(a, b);
  }
  const n = cpLength(s);
  const a = clamp(start, 0, n);
  const b = clamp(end, 0, n);
  if (b <= a) return "";
  const ua = unitOffset(s, a);
  let ub = ua;
  for (let k = a; k < b; k++) {
    const c = s.charCodeAt(ub);
    ub += c >= 0xd800 && c <= 0xdbff ? 2 : 1;
  }
  return s.slice(ua, ub);
}

function codePoints(s: string): string[] {
  return Array.from(s);
}

export function split(s: string, sep: string): List<string> {
  if (sep.length === 0) {
    const parts = codePoints(s);
    parts.unshift("");
    parts.push("");
    return List.fromArray(parts);
  }
  return List.fromArray(s.split(sep));
}

export function join(parts: List<string>, sep: string): string {
  const n = parts.length;
  if (n === 0) return "";
  let out = parts.get(0);
  for (let i = 1; i < n; i++) out += sep + parts.get(i);
  return out;
}

export function replace(s: string, from: string, to: string): string {
  if (from.length === 0) {
    let out = "";
    for (const c of s) out += to + c;
    return out + to;
  }
  return s.split(from).join(to);
}

function to_int(s: string): Option<number> {
  const v = parseIntText(trimWhiteSpace(s));
  return v === undefined ? None : new Some(v);
}

function to_float(s: string): Option<number> {
  const v = parseFloatText(trimWhiteSpace(s));
  return v === undefined ? None : new Some(v);
}

function collect(it: Iter<string>): string {
  let out = "";
  for (;;) {
    const x = it.next();
    if (x === DONE) return out;
    out += x;
  }
}

function* collect$g(it: Iter<string>): Generator<unknown, string, unknown> {
  if (!it.y) return collect(it);
  let out = "";
  for (;;) {
    const x = yield* it.nextG();
    if (x === DONE) return out;
    out += x as string;
  }
}

export const String_ = {
  length: cpLength,
  slice,
  contains: (s: string, needle: string): boolean => s.includes(needle),
  starts_with: (s: string, prefix: string): boolean => s.startsWith(prefix),
  ends_with: (s: string, suffix: string): boolean => s.endsWith(suffix),
  trim: trimWhiteSpace,
  to_upper: (s: string): string => s.toUpperCase(),
  to_lower: (s: string): string => s.toLowerCase(),
  replace,
  split,
  join,
  to_int,
  to_float,
  from: (x: unknown): string => text(x),
  collect,
  collect$g,
};
