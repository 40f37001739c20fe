// The Map module (stdlib.md §6) over core/map.ts.
import { NOT_FOUND } from "../core/equality.js";
import { MeshMap, Store, storePut } from "../core/map.js";
import { List } from "../core/list.js";
import { panic } from "../core/panic.js";
import { drain, drain$g, type Iter } from "./iter.js";

type G<R> = Generator<unknown, R, unknown>;

/**
 * Map.get(m, k): a missing key gives the zero value of V. The runtime cannot see V, so the
 * compiler passes that zero value as a third argument (`0`, `0.0`, `false`, `""`, `[]`, `%{}`)
 * when V has one, and omits it otherwise; then a missing key panics.
 */
function get<K, V>(m: MeshMap<K, V>, k: K, zero?: V): V {
  const v = m.lookup(k);
  if (v !== NOT_FOUND) return v;
  if (arguments.length > 2) return zero as V;
  return panic("Map.get: key not found");
}

function merge<K, V>(a: MeshMap<K, V>, b: MeshMap<K, V>): MeshMap<K, V> {
  if (b.size === 0) return a;
  if (a.size === 0) return b;
  const { keys, vals } = b.entryArrays(); // snapshot: a and b may share a store
  let m = a;
  for (let i = 0; i < keys.length; i++) m = m.put(keys[i] as K, vals[i] as V);
  return m;
}

function to_list<K, V>(m: MeshMap<K, V>): List<[K, V]> {
  return List.fromArray(m.pairs());
}

function from_list<K, V>(ps: List<[K, V]>): MeshMap<K, V> {
  const st = new Store(true);
  for (let i = 0; i < ps.length; i++) {
    const p = ps.get(i);
    storePut(st, p[0], p[1]);
  }
  return MeshMap.fromStore(st);
}

export const Map_ = {
  new: <K, V>(): MeshMap<K, V> => MeshMap.empty as MeshMap<K, V>,
  put: <K, V>(m: MeshMap<K, V>, k: K, v: V): MeshMap<K, V> => m.put(k, v),
  get,
  has_key: <K, V>(m: MeshMap<K, V>, k: K): boolean => m.has(k),
  delete: <K, V>(m: MeshMap<K, V>, k: K): MeshMap<K, V> => m.delete(k),
  size: <K, V>(m: MeshMap<K, V>): number => m.size,
  keys: <K, V>(m: MeshMap<K, V>): List<K> => m.keys(),
  values: <K, V>(m: MeshMap<K, V>): List<V> => m.values(),
  merge,
  to_list,
  from_list,
  collect: <K, V>(it: Iter<[K, V]>): MeshMap<K, V> => MeshMap.fromPairs(drain(it)),
  *collect$g<K, V>(it: Iter<[K, V]>): G<MeshMap<K, V>> {
    return MeshMap.fromPairs<K, V>(yield* drain$g(it));
  },
};
