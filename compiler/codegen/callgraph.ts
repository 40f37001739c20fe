// Strongly connected components of the call graph between top-level functions. A call inside a
// component is (mutual) recursion: between generator functions it goes through the depth
// protocol (`$callDepth` / `$deep`) so that deep recursion continues on the scheduler's frame
// stack instead of nesting `yield*` chains on the JS stack.
import type * as S from "../ast/syntax.js";
import type { CheckResult } from "../check/annotations.js";
import { resolveGlobalName, resolveQualified, type ProgramIndex } from "./context.js";
import { walkExpr, walkStmts } from "./gen-decl.js";

export class CallGraph {
  private readonly comp = new Map<string, number>(); // "Module:name" -> component id

  constructor(px: ProgramIndex, check: CheckResult) {
    const edges = new Map<string, Set<string>>();
    for (const m of px.mods.values()) {
      for (const g of m.fns.values()) {
        const out = new Set<string>();
        const visit = (e: S.Expr | S.FnDef): boolean => {
          if (e.kind === "Call" && (e.callee.kind === "Name" || e.callee.kind === "Member")) {
            const c = e.callee;
            const ref =
              check.annotations.refs.get(c) ??
              (c.kind === "Name" ? resolveGlobalName(px, m, c.name) : c.target.kind === "Name" ? resolveQualified(px, m, c.target.name, c.name) : null);
            if (ref?.kind === "global" && px.mods.get(ref.module)?.fns.has(ref.name)) out.add(`${ref.module}:${ref.name}`);
          }
          return false;
        };
        for (const c of g.clauses) {
          if (c.guard) walkExpr(c.guard, visit);
          walkStmts(c.body.stmts, visit);
        }
        edges.set(`${m.name}:${g.name}`, out);
      }
    }
    this.tarjan(edges);
  }

  private tarjan(edges: Map<string, Set<string>>): void {
    let index = 0;
    let compId = 0;
    const idx = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const strong = (v: string): void => {
      idx.set(v, index);
      low.set(v, index);
      index++;
      stack.push(v);
      onStack.add(v);
      for (const w of edges.get(v) ?? []) {
        if (!idx.has(w)) {
          strong(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
      }
      if (low.get(v) === idx.get(v)) {
        for (;;) {
          const w = stack.pop()!;
          onStack.delete(w);
          this.comp.set(w, compId);
          if (w === v) break;
        }
        compId++;
      }
    };
    for (const v of edges.keys()) if (!idx.has(v)) strong(v);
  }

  sameComponent(a: string, b: string): boolean {
    const x = this.comp.get(a);
    return x !== undefined && x === this.comp.get(b);
  }
}
