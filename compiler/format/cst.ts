// Reading the parser's concrete syntax tree (Chevrotain CST) in source order, for the formatter:
// children of a node are grouped by label, so they are merged back by offset here.
import type { CstElement, CstNode, IToken } from "chevrotain";

export type El = CstElement;

export function isTok(e: El): e is IToken {
  return (e as IToken).image !== undefined;
}

// Offsets of a node are computed once and kept on the node itself (faster than a WeakMap).
type Cached = CstNode & { $start?: number; $end?: number };

// Offset of the first character, or NaN for an empty node.
export function startOf(e: El): number {
  if (isTok(e)) return e.startOffset;
  const c = (e as Cached).$start;
  if (c !== undefined) return c;
  let best = NaN;
  for (const list of Object.values(e.children)) {
    for (const x of list) {
      const s = startOf(x);
      if (!(s >= best)) best = s; // also replaces NaN
    }
  }
  (e as Cached).$start = best;
  return best;
}

// Offset just past the last character, or NaN for an empty node.
export function endOf(e: El): number {
  if (isTok(e)) return e.startOffset + e.image.length;
  const c = (e as Cached).$end;
  if (c !== undefined) return c;
  let best = NaN;
  for (const list of Object.values(e.children)) {
    for (const x of list) {
      const s = endOf(x);
      if (!(s <= best)) best = s;
    }
  }
  (e as Cached).$end = best;
  return best;
}

// All children in source order.
export function kids(n: CstNode): El[] {
  const keyed: { s: number; e: El }[] = [];
  for (const list of Object.values(n.children)) {
    for (const x of list) {
      const s = startOf(x);
      if (!Number.isNaN(s)) keyed.push({ s, e: x });
    }
  }
  if (keyed.length > 1) keyed.sort((a, b) => a.s - b.s);
  return keyed.map((k) => k.e);
}

// Children under one label, in source order.
export function under(n: CstNode, key: string): El[] {
  const l = n.children[key];
  if (l === undefined) return [];
  return l.length > 1 ? [...l].sort((a, b) => startOf(a) - startOf(b)) : [...l];
}

export function node(n: CstNode, key: string): CstNode | undefined {
  const l = under(n, key);
  return l.length > 0 && !isTok(l[0]!) ? (l[0] as CstNode) : undefined;
}

export function nodes(n: CstNode, key: string): CstNode[] {
  return under(n, key).filter((e) => !isTok(e)) as CstNode[];
}

export function token(n: CstNode, key: string): IToken | undefined {
  const l = under(n, key);
  return l.length > 0 && isTok(l[0]!) ? l[0] : undefined;
}

export function tokens(n: CstNode, key: string): IToken[] {
  return under(n, key).filter(isTok);
}

// Every token below a node, in source order.
export function allTokens(e: El): IToken[] {
  const out: IToken[] = [];
  const stack: El[] = [e];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (isTok(x)) out.push(x);
    else for (const list of Object.values(x.children)) for (const y of list) stack.push(y);
  }
  return out.sort((a, b) => a.startOffset - b.startOffset);
}
