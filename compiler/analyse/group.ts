// Groups consecutive clauses of a multi-clause function (§3.2) into one FnGroup and reports
// the clause-ordering rules: E0022 catch-all not last, E0023 non-consecutive clauses,
// E0043 arity overload / duplicate, W0002 pub/generics/return type on a later clause.
// Used for the top level of a module and for every block (local functions).
import type { FnDef, Pattern } from "../ast/syntax.js";
import { error, warning, type Diagnostic } from "../diag/diagnostic.js";

export interface FnGroup {
  readonly name: string;
  readonly first: FnDef; // pub, generics, return type, where-bounds come from here
  readonly clauses: readonly FnDef[];
  readonly arity: number;
}

function isCatchAllPattern(p: Pattern): boolean {
  return p.kind === "PVar" || p.kind === "PWild";
}

export function isCatchAllClause(c: FnDef): boolean {
  return c.guard === null && c.params.every((p) => isCatchAllPattern(p.pattern));
}

// `defs` is the sequence of items/statements in source order; non-function entries (null)
// break consecutiveness.
export function groupFunctions(seq: readonly (FnDef | null)[], diags: Diagnostic[]): FnGroup[] {
  const groups: FnGroup[] = [];
  const byName = new Map<string, FnGroup>();
  let prev: { name: string; group: FnGroup } | null = null;
  for (const d of seq) {
    if (d === null) {
      prev = null;
      continue;
    }
    const existing = byName.get(d.name);
    // A zero-parameter function cannot have several clauses: a second one is a duplicate.
    if (existing && d.params.length === 0 && existing.arity === 0) {
      diags.push(
        error("E0043", `function \`${d.name}\` is already defined`, d.nameSpan, {
          secondary: [{ span: existing.first.nameSpan, message: "first defined here" }],
          hint: "rename one of the two definitions",
        }),
      );
      prev = null;
      continue;
    }
    if (prev && prev.name === d.name && existing === prev.group) {
      const g = existing;
      if (d.params.length !== g.arity) {
        diags.push(
          error("E0043", `function \`${d.name}\` is already defined with ${g.arity} parameter${g.arity === 1 ? "" : "s"}; clauses must have the same arity (found ${d.params.length})`, d.nameSpan, {
            secondary: [{ span: g.first.nameSpan, message: "first defined here" }],
          }),
        );
        continue;
      }
      const last = g.clauses[g.clauses.length - 1]!;
      if (isCatchAllClause(last)) {
        diags.push(
          error("E0022", `clause of \`${d.name}\` can never match: the previous clause matches every argument`, d.nameSpan, {
            secondary: [{ span: last.nameSpan, message: "catch-all clause here" }],
            hint: "move the catch-all clause last",
          }),
        );
      }
      if (d.pub || d.generics.length > 0 || (d.ret !== null && g.first.ret === null)) {
        const what = d.pub ? "`pub`" : d.generics.length > 0 ? "generic parameters" : "a return type";
        diags.push(warning("W0002", `${what} on a later clause of \`${d.name}\` is ignored; put it on the first clause`, d.nameSpan));
      }
      (g.clauses as FnDef[]).push(d);
      continue;
    }
    if (existing) {
      const code = existing.arity !== d.params.length ? "E0043" : "E0023";
      const msg =
        code === "E0043"
          ? `function \`${d.name}\` is already defined (with ${existing.arity} parameter${existing.arity === 1 ? "" : "s"}); overloading by arity is not allowed`
          : `clauses of \`${d.name}\` must be consecutive; another definition comes in between`;
      diags.push(error(code, msg, d.nameSpan, { secondary: [{ span: existing.first.nameSpan, message: "first defined here" }] }));
      prev = null;
      continue;
    }
    const g: FnGroup = { name: d.name, first: d, clauses: [d], arity: d.params.length };
    groups.push(g);
    byName.set(d.name, g);
    prev = { name: d.name, group: g };
  }
  return groups;
}
