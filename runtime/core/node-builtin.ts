// Node's built-in modules for the runtime core, taken with process.getBuiltinModule (Node >= 20.16)
// instead of `import … from "node:fs"`: an import builds the built-in's ES-module facade, which reads
// every export once, and for node:fs that includes the ReadStream/WriteStream getters that load
// Node's whole streams stack (a few ms of every program's start-up). Older Node falls back to require.
import { createRequire } from "node:module";

type GetBuiltin = (id: string) => unknown;
const get: GetBuiltin =
  (process as { getBuiltinModule?: GetBuiltin }).getBuiltinModule?.bind(process) ?? createRequire(import.meta.url);

export const nodeFs = get("node:fs") as typeof import("node:fs");

let crypto: typeof import("node:crypto") | undefined;
/** node:crypto on first use: loading it costs ~16 internal modules a program may never need. */
export function nodeCrypto(): typeof import("node:crypto") {
  return (crypto ??= get("node:crypto") as typeof import("node:crypto"));
}
