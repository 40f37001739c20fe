// Shared SQL text helpers of the ORM layer (orm.md §0, §1.2): identifier quoting and the
// `?` → `$n` rewriting used by raw where clauses and fragments. Pure; no database.
import type { Atom } from "../core/meta.js";

/** `q(x)`: the whole string as one double-quoted identifier, inner quotes doubled. */
export function qi(x: string): string {
  return x.includes('"') ? `"${x.replace(/"/g, '""')}"` : `"${x}"`;
}

/** An atom argument denotes its name without the colon (`:org_id` is `org_id`). */
export function atomName(a: Atom | string): string {
  return typeof a === "string" ? a : a.name;
}

/**
 * Replaces every `?` of `text` by the next `$n`, starting at `next.n`; `next.n` advances. Every
 * `?` counts, also inside string literals (orm.md §10, kept).
 */
export function numberMarks(text: string, next: { n: number }): string {
  if (!text.includes("?")) return text;
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    out += c === "?" ? `$${next.n++}` : c;
  }
  return out;
}

export function countMarks(text: string): number {
  let k = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 63) k++;
  return k;
}
