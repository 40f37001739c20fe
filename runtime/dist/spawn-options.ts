// The spawn options of a program's actors by function-registry key (concurrency.md §6.7), which
// generated code registers at load time. Kept apart from the rest of runtime/dist so that a program
// that never starts a node does not load the distribution layer for it.
import { functionKey } from "../core/ops.js";

export type ActorOptions = { kind: "actor"; name: string; terminate?: (args: unknown[]) => unknown };
const spawnOptions = new Map<string, ActorOptions>();

/** Spawn options of a registered actor (kind, name, terminate clause), by its function. */
export function spawnOptionsOf(fn: Function): ActorOptions | undefined {
  const key = functionKey(fn);
  return key === undefined ? undefined : spawnOptions.get(key);
}

/** Generated code of programs with actors: registry key → the actor's spawn options. */
export function registerSpawnOptions(table: Record<string, ActorOptions>): void {
  for (const k in table) spawnOptions.set(k, table[k]!);
}
