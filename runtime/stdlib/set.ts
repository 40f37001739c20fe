// The Set module (stdlib.md §7) over core/set.ts.
import { List } from "../core/list.js";
import { MeshSet } from "../core/set.js";
import { drain, drain$g, type Iter } from "./iter.js";

type G<R> = Generator<unknown, R, unknown>;

function union<T>(a: MeshSet<T>, b: MeshSet<T>): MeshSet<T> {
  if (b.size === 0) return a;
  if (a.size === 0) return b;
  const ks = b.keyArray(); // snapshot: a and b may share a store
  let s = a;
  for (let i = 0; i < ks.length; i++) s = s.add(ks[i] as T);
  return s;
}

function intersection<T>(a: MeshSet<T>, b: MeshSet<T>): MeshSet<T> {
  const ks = a.keyArray();
  const out: T[] = [];
  for (let i = 0; i < ks.length; i++) if (b.has(ks[i])) out.push(ks[i] as T);
  return out.length === a.size ? a : MeshSet.fromArray(out);
}

function difference<T>(a: MeshSet<T>, b: MeshSet<T>): MeshSet<T> {
  if (b.size === 0) return a;
  const ks = a.keyArray();
  const out: T[] = [];
  for (let i = 0; i < ks.length; i++) if (!b.has(ks[i])) out.push(ks[i] as T);
  return out.length === a.size ? a : MeshSet.fromArray(out);
}

export const Set_ = {
  new: <T>(): MeshSet<T> => MeshSet.empty as MeshSet<T>,
  add: <T>(s: MeshSet<T>, x: T): MeshSet<T> => s.add(x),
  remove: <T>(s: MeshSet<T>, x: T): MeshSet<T> => s.remove(x),
  contains: <T>(s: MeshSet<T>, x: T): boolean => s.has(x),
  size: <T>(s: MeshSet<T>): number => s.size,
  union,
  intersection,
  difference,
  to_list: <T>(s: MeshSet<T>): List<T> => s.toList(),
  from_list: <T>(xs: List<T>): MeshSet<T> => MeshSet.fromArray(xs.toArray()),
  collect: <T>(it: Iter<T>): MeshSet<T> => MeshSet.fromArray(drain(it)),
  *collect$g<T>(it: Iter<T>): G<MeshSet<T>> {
    return MeshSet.fromArray(yield* drain$g(it));
  },
};
