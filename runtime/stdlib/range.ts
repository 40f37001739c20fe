// The Range module (stdlib.md §9): half-open Int ranges.
import { List } from "../core/list.js";
import { Range } from "../core/range.js";
import { panic } from "../core/panic.js";
import { callSync, isGenFn } from "./hof.js";

type G<R> = Generator<unknown, R, unknown>;

function to_list(r: Range): List<number> {
  const out: number[] = [];
  for (let i = r.start; i < r.end; i++) out.push(i);
  return List.fromArray(out);
}

function map<U>(r: Range, f: (i: number) => U): List<U> {
  if (isGenFn(f)) return callSync(map$g, [r, f]) as List<U>;
  const out: U[] = [];
  for (let i = r.start; i < r.end; i++) out.push(f(i));
  return List.fromArray(out);
}
function* map$g<U>(r: Range, f: (i: number) => U): G<List<U>> {
  const g = isGenFn(f);
  if (!g) return map(r, f);
  const out: U[] = [];
  for (let i = r.start; i < r.end; i++) out.push(g ? ((yield* f(i) as unknown as G<U>) as U) : f(i));
  return List.fromArray(out);
}

function filter(r: Range, p: (i: number) => boolean): List<number> {
  if (isGenFn(p)) return callSync(filter$g, [r, p]) as List<number>;
  const out: number[] = [];
  for (let i = r.start; i < r.end; i++) if (p(i)) out.push(i);
  return List.fromArray(out);
}
function* filter$g(r: Range, p: (i: number) => boolean): G<List<number>> {
  const g = isGenFn(p);
  if (!g) return filter(r, p);
  const out: number[] = [];
  for (let i = r.start; i < r.end; i++) if ((g ? yield* p(i) as unknown as G<boolean> : p(i)) === true) out.push(i);
  return List.fromArray(out);
}

export const Range_ = {
  new: (start: number, end: number): Range => new Range(start, end),
  to_list,
  map,
  map$g,
  filter,
  filter$g,
  length: (r: Range): number => {
    const n = r.length;
    return n > Number.MAX_SAFE_INTEGER ? panic("integer overflow") : n;
  },
};
