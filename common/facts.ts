// Facts the compiler and the runtime must agree on, kept in one dependency-free module: the
// service helper name of a handler, the supervisor defaults and the flat library names. It lives
// outside both (common/), so the compiler imports no runtime module and the runtime none of the
// compiler's (docs/decisions.md #63).

/**
 * The helper a service handler generates (concurrency.md §4.3): every ASCII uppercase letter
 * becomes lowercase, preceded by `_` unless it is the first character (`GetCount` → `get_count`).
 */
export function helperName(handler: string): string {
  let out = "";
  for (let i = 0; i < handler.length; i++) {
    const c = handler[i]!;
    out += c >= "A" && c <= "Z" ? (i > 0 ? "_" : "") + c.toLowerCase() : c;
  }
  return out;
}

/** Supervisor settings a `supervisor` block leaves out (concurrency.md §3). */
export const SUPERVISOR_DEFAULTS = { strategy: "one_for_one", maxRestarts: 3, maxSeconds: 5 } as const;

/** Child-spec settings a `child` entry leaves out: restart type, and ms between "shutdown" and "kill". */
export const CHILD_DEFAULTS = { restart: "permanent", shutdown: 5000 } as const;

/**
 * The original's flat built-in names (issue 10): each is the module function it names, with the
 * same type and behaviour. A user definition of the same name shadows it like any prelude name.
 */
export const FLAT_NAMES: Readonly<Record<string, readonly [module: string, name: string]>> = {
  string_length: ["String", "length"],
  string_slice: ["String", "slice"],
  string_contains: ["String", "contains"],
  string_starts_with: ["String", "starts_with"],
  string_ends_with: ["String", "ends_with"],
  string_trim: ["String", "trim"],
  string_to_upper: ["String", "to_upper"],
  string_to_lower: ["String", "to_lower"],
  string_replace: ["String", "replace"],
  string_split: ["String", "split"],
  string_join: ["String", "join"],
  string_to_int: ["String", "to_int"],
  string_to_float: ["String", "to_float"],
  file_read: ["File", "read"],
  file_write: ["File", "write"],
  file_append: ["File", "append"],
  file_exists: ["File", "exists"],
  file_delete: ["File", "delete"],
  io_read_line: ["IO", "read_line"],
  io_eprintln: ["IO", "eprintln"],
  env_get: ["Env", "get"],
  list_map: ["List", "map"],
  list_filter: ["List", "filter"],
  list_reduce: ["List", "reduce"],
  list_head: ["List", "head"],
  list_tail: ["List", "tail"],
  list_new: ["List", "new"],
  list_length: ["List", "length"],
  list_append: ["List", "append"],
  list_get: ["List", "get"],
  list_concat: ["List", "concat"],
  list_reverse: ["List", "reverse"],
};
