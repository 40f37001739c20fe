// Facts the compiler and the runtime must agree on, kept in one dependency-free module: the
// service helper name of a handler and the supervisor defaults. The runtime uses it directly;
// the compiler imports it as data (this file imports nothing, so the compiler pulls in no
// runtime code — docs/decisions.md #63).

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
