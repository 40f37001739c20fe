// Unification over union-find type variables. Knows nothing about source positions: it reports
// success or the kind of failure, and hands the predicates of variables it binds to `woken` so
// the checker can re-examine them (deferred member and interface constraints, §6.5).
import { prune, type Pred, type TVar, type Type } from "./types.js";

export type UnifyFailure = { readonly kind: "mismatch" } | { readonly kind: "occurs" };

const MISMATCH: UnifyFailure = { kind: "mismatch" };
const OCCURS: UnifyFailure = { kind: "occurs" };

// Predicates of variables bound by unify, waiting to be re-dispatched by the checker.
export const woken: Pred[] = [];

// Occurs check combined with level adjustment (so generalisation stays correct).
function adjust(v: TVar, t: Type): boolean {
  t = prune(t);
  switch (t.k) {
    case "var":
      if (t === v) return false;
      if (t.level > v.level) t.level = v.level;
      return true;
    case "con":
      for (const a of t.args) if (!adjust(v, a)) return false;
      return true;
    case "tuple":
      for (const a of t.elems) if (!adjust(v, a)) return false;
      return true;
    case "fun":
      for (const a of t.params) if (!adjust(v, a)) return false;
      return adjust(v, t.ret);
    default:
      return true;
  }
}

function bind(v: TVar, t: Type): UnifyFailure | null {
  if (!adjust(v, t)) return OCCURS;
  v.ref = t;
  if (v.preds !== null) {
    for (const p of v.preds) woken.push(p);
    v.preds = null;
  }
  return null;
}

export function unify(a: Type, b: Type): UnifyFailure | null {
  a = prune(a);
  b = prune(b);
  if (a === b) return null;
  if (a.k === "never" || b.k === "never") return null;
  if (a.k === "var" && a.rigid === null) return bind(a, b);
  if (b.k === "var" && b.rigid === null) return bind(b, a);
  if (a.k === "err" || b.k === "err") return null;
  if (a.k === "var" || b.k === "var") return MISMATCH; // distinct rigid variables, or rigid vs concrete
  switch (a.k) {
    case "con": {
      if (b.k !== "con" || a.name !== b.name) return MISMATCH;
      if (a.args.length !== b.args.length) {
        // `Pid` and `Pid<M>` are mutually assignable (concurrency.md §1.3)
        return a.name === "Pid" ? null : MISMATCH;
      }
      let fail: UnifyFailure | null = null;
      for (let i = 0; i < a.args.length; i++) {
        const r = unify(a.args[i]!, b.args[i]!);
        if (r && !fail) fail = r;
      }
      return fail;
    }
    case "tuple": {
      if (b.k !== "tuple" || a.elems.length !== b.elems.length) return MISMATCH;
      let fail: UnifyFailure | null = null;
      for (let i = 0; i < a.elems.length; i++) {
        const r = unify(a.elems[i]!, b.elems[i]!);
        if (r && !fail) fail = r;
      }
      return fail;
    }
    case "fun": {
      if (b.k !== "fun" || a.params.length !== b.params.length) return MISMATCH;
      let fail: UnifyFailure | null = null;
      for (let i = 0; i < a.params.length; i++) {
        const r = unify(a.params[i]!, b.params[i]!);
        if (r && !fail) fail = r;
      }
      const r = unify(a.ret, b.ret);
      return fail ?? r;
    }
  }
}

// Structural equality test without binding anything (for impl selection).
export function sameType(a: Type, b: Type): boolean {
  a = prune(a);
  b = prune(b);
  if (a === b) return true;
  switch (a.k) {
    case "con":
      return b.k === "con" && a.name === b.name && a.args.length === b.args.length && a.args.every((x, i) => sameType(x, b.args[i]!));
    case "tuple":
      return b.k === "tuple" && a.elems.length === b.elems.length && a.elems.every((x, i) => sameType(x, b.elems[i]!));
    case "fun":
      return b.k === "fun" && a.params.length === b.params.length && a.params.every((x, i) => sameType(x, b.params[i]!)) && sameType(a.ret, b.ret);
    default:
      return false;
  }
}
