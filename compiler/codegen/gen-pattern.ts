// Pattern lowering (language.md §5): a pattern applied to a subject expression becomes a list of
// JS tests (a conjunction) and the bindings it makes. The subject must be a side-effect-free
// expression (a variable or a property path on one); callers store scrutinees in variables.
// Or-patterns that bind names assign pre-declared `let` variables inside the test.
import type * as S from "../ast/syntax.js";
import { and, assign, bin, bool, call, id, idx, mem, num, seq, str, un, undef, type JsExpr, type JsStmt } from "./js-ast.js";
import { findVariant, SYSTEM_VARIANTS, type VariantInfo } from "./context.js";
import type { FnCtx } from "./state.js";

export interface PatBind {
  readonly name: string; // Mesh name
  readonly value: JsExpr; // expression to bind (or the pre-declared variable for or-patterns)
  readonly declared?: string; // JS name of an already declared variable (or-patterns)
}

export interface PatCode {
  readonly tests: JsExpr[];
  readonly binds: PatBind[];
  readonly decls: string[]; // `let` variables to declare before evaluating the tests
}

export interface PatOptions {
  readonly system?: boolean; // a top-level receive-arm pattern: system message constructors allowed
}

// JS expression for a variant: the class (payload) or singleton (nullary).
export function variantRef(ctx: FnCtx, v: VariantInfo): JsExpr {
  if (v.module === null) {
    if (v.type === "SystemMessage") return ctx.rt(`Sys${v.name}`);
    return ctx.rt(v.name);
  }
  return ctx.m.ref(v.module, `variant:${v.name}`);
}

function resolveCtor(ctx: FnCtx, p: Extract<S.Pattern, { kind: "PCtor" }>, opts: PatOptions): VariantInfo | undefined {
  const ann = ctx.m.check.annotations.ctors.get(p);
  if (ann) {
    const tdef = ann.module ? ctx.m.px.mods.get(ann.module)?.sums.get(ann.type.slice(ann.module.length + 1)) ?? null : null;
    return { module: ann.module, type: ann.type, typeDef: tdef, name: ann.variant, tag: ann.tag, arity: ann.arity };
  }
  const px = ctx.m.px;
  const m = ctx.m.mod;
  if (p.path.length === 2) {
    const [head, name] = p.path as [string, string];
    if (head === "SystemMessage") return SYSTEM_VARIANTS[name];
    const ns = m.namespaces.get(head);
    if (ns) {
      const v = px.mods.get(ns)?.variants.get(name);
      if (v) return v;
    }
    // Type.Variant
    for (const mm of [m, ...[...px.mods.values()]]) {
      const sum = mm.sums.get(head);
      if (sum) {
        const i = sum.variants.findIndex((x) => x.name === name);
        if (i >= 0) return { module: mm.name, type: `${mm.name}.${head}`, typeDef: sum, name, tag: i, arity: sum.variants[i]!.fields.length };
      }
    }
    return findVariant(px, m, name);
  }
  const name = p.path[0]!;
  const v = findVariant(px, m, name);
  if (opts.system && SYSTEM_VARIANTS[name] && (!v || v.module === null)) return SYSTEM_VARIANTS[name];
  return v;
}

// Literal test for a pattern literal.
function litTest(ctx: FnCtx, subj: JsExpr, v: S.LiteralValue): JsExpr | null {
  switch (v.type) {
    case "int":
    case "float":
      return bin("===", subj, num(v.value));
    case "string":
      return bin("===", subj, str(v.value));
    case "bool":
      return v.value ? bin("===", subj, bool(true)) : bin("===", subj, bool(false));
    case "unit":
      return null;
  }
  void ctx;
}

export function compilePattern(ctx: FnCtx, p: S.Pattern, subj: JsExpr, opts: PatOptions = {}): PatCode {
  const out: PatCode = { tests: [], binds: [], decls: [] };
  walk(ctx, p, subj, out, opts);
  return out;
}

function walk(ctx: FnCtx, p: S.Pattern, subj: JsExpr, out: PatCode, opts: PatOptions): void {
  switch (p.kind) {
    case "PWild":
      return;
    case "PVar":
      out.binds.push({ name: p.name, value: subj });
      return;
    case "PLit": {
      const t = litTest(ctx, subj, p.value);
      if (t) out.tests.push(t);
      return;
    }
    case "PTuple":
      p.elems.forEach((e, i) => walk(ctx, e, idx(subj, num(i)), out, {}));
      return;
    case "PEmptyList":
      out.tests.push(call(ctx.rt("isEmpty"), [subj]));
      return;
    case "PCons": {
      // `h1 :: h2 :: ... :: t` in a loop; every 64 links the rest of the list goes into a
      // variable (assigned inside the tests), so the JavaScript is never nested deeply
      let q: S.Pattern = p;
      for (let n = 1; q.kind === "PCons"; n++) {
        out.tests.push(call(ctx.rt("isCons"), [subj]));
        walk(ctx, q.head, call(ctx.rt("head"), [subj]), out, {});
        subj = call(ctx.rt("tail"), [subj]);
        if (n % 64 === 0) {
          const v = ctx.temp("$rest");
          out.decls.push(v);
          out.tests.push(seq([assign(id(v), subj), bool(true)]));
          subj = id(v);
        }
        q = q.tail;
      }
      walk(ctx, q, subj, out, {});
      return;
    }
    case "PAs":
      walk(ctx, p.pattern, subj, out, opts);
      out.binds.push({ name: p.name, value: subj });
      return;
    case "PCtor": {
      const v = resolveCtor(ctx, p, opts);
      if (!v) {
        out.tests.push(bool(false));
        return;
      }
      const ref = variantRef(ctx, v);
      if (v.arity === 0 && v.type !== "SystemMessage") out.tests.push(bin("===", subj, ref));
      else out.tests.push(bin("instanceof", subj, ref));
      (p.args ?? []).forEach((a, i) => walk(ctx, a, mem(subj, `_${i}`), out, {}));
      return;
    }
    case "POr": {
      const alts = p.alts.map((a) => compilePattern(ctx, a, subj, opts));
      const names = alts[0] ? alts[0].binds.map((b) => b.name) : [];
      if (names.length === 0) {
        out.tests.push(alts.map((a) => and(a.tests)).reduce((x, y) => bin("||", x, y)));
        for (const a of alts) out.decls.push(...a.decls);
        return;
      }
      // Names bound by every alternative are assigned to shared variables inside the test.
      const vars = new Map(names.map((n) => [n, ctx.temp(n)]));
      out.decls.push(...vars.values());
      const altTests = alts.map((a) => {
        out.decls.push(...a.decls);
        const assigns = a.binds.filter((b) => vars.has(b.name)).map((b) => assign(id(vars.get(b.name)!), b.value));
        return and([...a.tests, seq([...assigns, bool(true)])]);
      });
      out.tests.push(altTests.reduce((x, y) => bin("||", x, y)));
      for (const [n, v] of vars) out.binds.push({ name: n, value: id(v), declared: v });
      return;
    }
  }
}

// Binds the pattern's names in the current scope: emits `const` declarations (or reuses the
// or-pattern variables) and returns the statements.
export function bindPattern(ctx: FnCtx, code: PatCode, line?: number): JsStmt[] {
  const out: JsStmt[] = [];
  for (const b of code.binds) {
    if (b.declared) {
      ctx.scope.set(b.name, { js: b.declared });
      continue;
    }
    // A binding to a plain variable of the same Mesh name needs no copy (`fn f(x)` clause params).
    if (b.value.k === "id" && ctx.scope.lookup(b.name)?.js === b.value.name) continue;
    const js = ctx.bind(b.name);
    out.push({ k: "decl", kind: "const", name: js, init: b.value, line });
  }
  return out;
}

export function declStmts(code: PatCode): JsStmt[] {
  return code.decls.map((d) => ({ k: "decl", kind: "let", name: d, init: null }) as JsStmt);
}

// True when the pattern can never fail (no tests).
export function irrefutable(ctx: FnCtx, p: S.Pattern): boolean {
  return compilePattern(ctx, p, id("$x")).tests.length === 0;
}

export const notE = (e: JsExpr): JsExpr => un("!", e);
export const unitE = undef;
