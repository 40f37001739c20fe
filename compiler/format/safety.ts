// The formatter's safety check (tooling.md §1.2): the output must parse without error to the same
// syntax tree as the input (spans ignored), with the same tokens (separators and commas aside) and
// the same comment texts in order. Comparison is iterative (no recursion on tree depth).
import type { IToken } from "chevrotain";
import type { Module } from "../ast/syntax.js";
import * as T from "../syntax/tokens.js";
import { FormatContext } from "./format-context.js";

export interface Parsed {
  readonly module: Module;
  readonly tokens: readonly IToken[];
  readonly comments: readonly IToken[];
}

const IGNORED = new Set<unknown>([T.Newline, T.Semi, T.Comma]);

// Tokens compared: separators and commas aside, and the parentheses of a from-import list (F13
// adds them when the list does not fit on one line).
function significant(tokens: readonly IToken[]): IToken[] {
  const out: IToken[] = [];
  let importParen = false;
  for (const t of tokens) {
    if (IGNORED.has(t.tokenType)) continue;
    if (t.tokenType === T.LParen && out[out.length - 1]?.tokenType === T.Import) {
      importParen = true;
      continue;
    }
    if (importParen && t.tokenType === T.RParen) {
      importParen = false;
      continue;
    }
    out.push(t);
  }
  return out;
}

// Offset (in `a`'s source) of the first difference, or -1 when equivalent.
export function firstDifference(a: Parsed, b: Parsed): number {
  const ta = significant(a.tokens);
  const tb = significant(b.tokens);
  const n = Math.min(ta.length, tb.length);
  for (let i = 0; i < n; i++) if (ta[i]!.image !== tb[i]!.image) return ta[i]!.startOffset;
  if (ta.length !== tb.length) return ta[n]?.startOffset ?? 0;
  if (a.comments.length !== b.comments.length) return a.comments[Math.min(a.comments.length, b.comments.length)]?.startOffset ?? 0;
  for (let i = 0; i < a.comments.length; i++) {
    if (FormatContext.commentText(a.comments[i]!) !== FormatContext.commentText(b.comments[i]!)) return a.comments[i]!.startOffset;
  }
  return sameTree(a.module, b.module) ? -1 : 0;
}

function isSpanKey(k: string): boolean {
  return k === "span" || k.endsWith("Span") || k === "file";
}

export function sameTree(x: unknown, y: unknown): boolean {
  const stack: [unknown, unknown][] = [[x, y]];
  while (stack.length > 0) {
    const [a, b] = stack.pop()!;
    if (a === b) continue;
    if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) {
      if (typeof a === "number" && typeof b === "number" && Number.isNaN(a) && Number.isNaN(b)) continue;
      return false;
    }
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    if (Array.isArray(a)) {
      const bb = b as unknown[];
      if (a.length !== bb.length) return false;
      for (let i = 0; i < a.length; i++) stack.push([a[i], bb[i]]);
      continue;
    }
    const ao = a as Record<string, unknown>, bo = b as Record<string, unknown>;
    const ka = Object.keys(ao).filter((k) => !isSpanKey(k) && ao[k] !== undefined);
    const kb = Object.keys(bo).filter((k) => !isSpanKey(k) && bo[k] !== undefined);
    if (ka.length !== kb.length) return false;
    for (const k of ka) {
      if (!(k in bo)) return false;
      stack.push([ao[k], bo[k]]);
    }
  }
  return true;
}
