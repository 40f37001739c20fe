// Small syntactic walks used before type checking: the names a definition refers to (for the
// call-graph SCCs), tail positions (actor continuation calls, E0100) and suspending operations
// inside receive guards (E0101).
import type * as S from "../ast/syntax.js";

export type ChainNode = S.ExprOf<"Binary"> | S.ExprOf<"Pipe">;

/** The left spine of an operator chain, innermost link first (`a + b - c` gives `[a + b, a + b - c]`;
 * the first link's `left` is the first operand). Operators are left-associative, so a long flat
 * chain is a left-deep tree: walkers loop over its links instead of recursing on its length. */
export function leftSpine(e: ChainNode): ChainNode[] {
  const links: ChainNode[] = [];
  let x: S.Expr = e;
  while (x.kind === "Binary" || x.kind === "Pipe") {
    links.push(x);
    x = x.left;
  }
  return links.reverse();
}

// The direct sub-expressions of `e`; for an operator chain, the operands of the whole chain (the
// intermediate Binary/Pipe links are not visited), so that walks never recurse on its length.
export function forEachChild(e: S.Expr, f: (e: S.Expr) => void, fb: (b: S.Block) => void): void {
  switch (e.kind) {
    case "String":
      for (const p of e.parts) if (typeof p !== "string") f(p);
      return;
    case "Member":
      f(e.target);
      return;
    case "Call":
      f(e.callee);
      for (const a of e.args) f(a);
      for (const k of e.kwargs) f(k.value);
      return;
    case "Index":
      f(e.target);
      f(e.index);
      return;
    case "Try":
      f(e.expr);
      return;
    case "Unary":
      f(e.operand);
      return;
    case "Binary":
    case "Pipe": {
      const links = leftSpine(e);
      f(links[0]!.left);
      for (const l of links) f(l.right);
      return;
    }
    case "Tuple":
    case "List":
      for (const x of e.elems) f(x);
      return;
    case "MapLit":
      for (const x of e.entries) {
        f(x.key);
        f(x.value);
      }
      return;
    case "StructLit":
      for (const x of e.fields) f(x.value);
      return;
    case "StructUpdate":
      f(e.base);
      for (const x of e.fields) f(x.value);
      return;
    case "If":
      f(e.cond);
      fb(e.then);
      if (e.elseBranch) {
        if (e.elseBranch.kind === "Block") fb(e.elseBranch);
        else f(e.elseBranch);
      }
      return;
    case "Case":
      f(e.scrutinee);
      for (const a of e.arms) {
        if (a.guard) f(a.guard);
        f(a.body);
      }
      return;
    case "Receive":
      for (const a of e.arms) {
        if (a.guard) f(a.guard);
        f(a.body);
      }
      if (e.after) {
        f(e.after.timeout);
        f(e.after.body);
      }
      return;
    case "Closure":
      for (const c of e.clauses) {
        if (c.guard) f(c.guard);
        fb(c.body);
      }
      return;
    case "For":
      f(e.iterable);
      if (e.filter) f(e.filter);
      fb(e.body);
      return;
    case "While":
      f(e.cond);
      fb(e.body);
      return;
    case "Return":
      if (e.value) f(e.value);
      return;
    case "BlockExpr":
      fb(e.block);
      return;
    case "Ascribe":
      f(e.expr);
      return;
    case "Spawn":
      for (const a of e.args) f(a);
      return;
    case "Send":
      f(e.pid);
      f(e.message);
      return;
    case "Link":
      f(e.pid);
      return;
    default:
      return;
  }
}

// Every identifier a body mentions (over-approximates references; shadowing is ignored).
export function collectNames(b: S.Block | S.Expr, out: Set<string>): void {
  const visitBlock = (bl: S.Block): void => {
    for (const s of bl.stmts) {
      if (s.kind === "Let") visit(s.value);
      else if (s.kind === "FnDef") {
        if (s.guard) visit(s.guard);
        visitBlock(s.body);
      } else visit(s);
    }
  };
  const visit = (e: S.Expr): void => {
    switch (e.kind) {
      case "Name":
        out.add(e.name);
        return;
      case "Int":
      case "Float":
      case "Bool":
      case "Atom":
      case "Unit":
        return;
      case "Call":
        visit(e.callee);
        for (const a of e.args) visit(a);
        for (const k of e.kwargs) visit(k.value);
        return;
      case "Member":
        visit(e.target);
        return;
      case "StructLit":
        if (e.path.length === 1) out.add(e.path[0]!);
        for (const x of e.fields) visit(x.value);
        return;
      default:
        forEachChild(e, visit, visitBlock);
    }
  };
  if (b.kind === "Block") visitBlock(b);
  else visit(b);
}

// Expressions in tail position of a body (§1.10 of concurrency.md, §7.9 of language.md).
export function tailPositions(b: S.Block, out: Set<S.Expr>): void {
  const last = b.stmts[b.stmts.length - 1];
  if (!last || last.kind === "Let" || last.kind === "FnDef") return;
  tailExpr(last, out);
}

function tailExpr(e: S.Expr, out: Set<S.Expr>): void {
  out.add(e);
  switch (e.kind) {
    case "If":
      tailPositions(e.then, out);
      if (e.elseBranch) {
        if (e.elseBranch.kind === "Block") tailPositions(e.elseBranch, out);
        else tailExpr(e.elseBranch, out);
      }
      return;
    case "Case":
    case "Receive":
      for (const a of e.arms) tailExpr(a.body, out);
      if (e.kind === "Receive" && e.after) tailExpr(e.after.body, out);
      return;
    case "BlockExpr":
      tailPositions(e.block, out);
      return;
    case "Return":
      if (e.value) tailExpr(e.value, out);
      return;
    default:
      return;
  }
}
