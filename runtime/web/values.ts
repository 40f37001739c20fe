// Conversions between Mesh collection values (runtime/core `List`, `MeshMap`) and JS arrays for the
// web and database modules, kept in one place so the hot paths stay readable.
import { List } from "../core/list.js";
import { MeshMap } from "../core/map.js";

export type MeshStrMap = MeshMap<string, string>;

export function listToArray<T>(l: List<T>): T[] {
  return l.toArray();
}
export function listFromArray<T>(a: T[]): List<T> {
  return List.fromArray(a);
}
/** Builds a map in entry order; a repeated key keeps its first position and takes the last value. */
export function strMapFromEntries(entries: ArrayLike<readonly [string, string]>): MeshStrMap {
  return MeshMap.fromPairs<string, string>(entries);
}
export function strMapEntries(m: MeshStrMap): [string, string][] {
  return m.pairs();
}
