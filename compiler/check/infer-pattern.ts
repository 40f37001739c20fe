// Pattern checking (§5): binds names (E0043 duplicates), resolves constructors (E0010, E0003,
// E0051, system-message constructors E0102), or-patterns (E0011) and refutability (E0047).
import type * as S from "../ast/syntax.js";
import type { Ref } from "./annotations.js";
import { SYSTEM_VARIANTS } from "./builtins.js";
import { substitute, type Ctx } from "./context.js";
import type { VariantEntity } from "./env.js";
import { builtinVariant, lookupTypeDecl, systemVariant } from "./resolve.js";
import { con, freshVar, monoScheme, tBool, tErr, tFloat, tInt, tList, tString, tUnit, type TVar, type Type } from "./types.js";

export interface PatBind {
  readonly name: string;
  readonly type: Type;
  readonly pat: S.Pattern;
  readonly id: number;
}
export type PatBinds = Map<string, PatBind>;

export function variantRef(v: VariantEntity): Ref & { kind: "variant" } {
  return { kind: "variant", type: v.type.qname, module: v.type.module, variant: v.name, tag: v.tag, arity: v.fields.length };
}

// Is the outermost constructor of `p` a built-in system message (§2.1 of concurrency.md)?
export function isSystemPattern(cx: Ctx, p: S.Pattern): boolean {
  if (p.kind === "PAs") return isSystemPattern(cx, p.pattern);
  if (p.kind === "POr") return p.alts.some((a) => isSystemPattern(cx, a));
  if (p.kind !== "PCtor") return false;
  if (p.path.length === 2) return p.path[0] === "SystemMessage" && SYSTEM_VARIANTS.has(p.path[1]!);
  const n = p.path[0]!;
  return SYSTEM_VARIANTS.has(n) && !userVariantVisible(cx, n);
}

function userVariantVisible(cx: Ctx, n: string): boolean {
  return (cx.mod.ownVariants.get(n)?.length ?? 0) > 0 || (cx.mod.visVariants.get(n)?.length ?? 0) > 0;
}

export function resolveCtor(cx: Ctx, path: readonly string[], span: S.Span, systemOk: boolean): VariantEntity | null {
  if (path.length === 1) {
    const n = path[0]!;
    const own = cx.mod.ownVariants.get(n);
    if (own && own.length > 0) return own[0]!;
    const vis = cx.mod.visVariants.get(n);
    if (vis && vis.length > 0) {
      if (vis.length > 1) cx.error("E0051", `the constructor \`${n}\` is ambiguous: it is defined by ${vis.map((v) => `\`${v.type.name}\``).join(" and ")}; qualify it`, span);
      return vis[0]!;
    }
    const b = builtinVariant(cx, n);
    if (b) return b;
    if (SYSTEM_VARIANTS.has(n)) {
      if (!systemOk) cx.error("E0102", `system message constructor \`${n}\` may only be used as the outermost pattern of a \`receive\` arm`, span);
      return systemVariant(cx, n);
    }
    return null;
  }
  const head = path.slice(0, -1);
  const vn = path[path.length - 1]!;
  if (head.length === 1 && head[0] === "SystemMessage") {
    if (!systemOk) cx.error("E0102", `system message constructor \`${vn}\` may only be used as the outermost pattern of a \`receive\` arm`, span);
    return systemVariant(cx, vn);
  }
  const ns = head.length === 1 ? cx.mod.namespaces.get(head[0]!) : undefined;
  if (ns?.kind === "module") {
    for (const d of ns.scope.types.values()) {
      if (!d.pub) continue;
      const v = d.variants.find((x) => x.name === vn);
      if (v) return v;
    }
    return null;
  }
  const d = lookupTypeDecl(cx, cx.mod, head, span, false);
  if (!d) return null;
  return d.variants.find((x) => x.name === vn) ?? null;
}

export function instantiateVariant(cx: Ctx, v: VariantEntity): { result: Type; fields: Type[] } {
  const d = v.type;
  if (d.params.length === 0) return { result: con(d.qname), fields: v.fields };
  const sub = new Map<TVar, Type>();
  const args = d.params.map((p) => {
    const f = freshVar(cx.level);
    sub.set(p, f);
    return f;
  });
  return { result: con(d.qname, args), fields: v.fields.map((f) => substitute(f, sub)) };
}

export function checkPattern(cx: Ctx, p: S.Pattern, t: Type, out: PatBinds, systemOk = false): void {
  cx.patTypes.set(p, t);
  const mismatch = (what: Type, name: string) =>
    cx.expect(p.span, what, t, (f, e) => `this ${name} pattern has type \`${f}\`, but the value matched has type \`${e}\``);
  switch (p.kind) {
    case "PWild":
      return;
    case "PVar": {
      if (out.has(p.name)) {
        cx.error("E0043", `\`${p.name}\` is bound more than once in this pattern`, p.span);
        return;
      }
      const id = cx.newBindingId();
      cx.bindings.set(p, id);
      out.set(p.name, { name: p.name, type: t, pat: p, id });
      return;
    }
    case "PLit": {
      const lt = p.value.type === "int" ? tInt : p.value.type === "float" ? tFloat : p.value.type === "string" ? tString : p.value.type === "bool" ? tBool : tUnit;
      mismatch(lt, "literal");
      return;
    }
    case "PTuple": {
      const elems = p.elems.map(() => freshVar(cx.level) as Type);
      mismatch({ k: "tuple", elems }, "tuple");
      p.elems.forEach((e, i) => checkPattern(cx, e, elems[i]!, out));
      return;
    }
    case "PEmptyList":
      mismatch(tList(freshVar(cx.level)), "list");
      return;
    case "PCons": {
      const el = freshVar(cx.level);
      mismatch(tList(el), "list");
      // `h1 :: h2 :: ... :: t` in a loop (the links after the first have the list type already)
      let q: S.Pattern = p;
      for (; q.kind === "PCons"; q = q.tail) {
        if (q !== p) cx.patTypes.set(q, tList(el));
        checkPattern(cx, q.head, el, out);
      }
      checkPattern(cx, q, tList(el), out);
      return;
    }
    case "PCtor": {
      const v = resolveCtor(cx, p.path, p.span, systemOk);
      if (!v) {
        cx.error("E0010", `unknown variant \`${p.path.join(".")}\` in pattern`, p.span);
        for (const a of p.args ?? []) checkPattern(cx, a, tErr, out);
        return;
      }
      cx.ctors.set(p, variantRef(v));
      const inst = instantiateVariant(cx, v);
      mismatch(inst.result, `\`${v.name}\``);
      const args = p.args ?? [];
      if (args.length !== inst.fields.length) {
        cx.error("E0003", `constructor \`${v.name}\` has ${inst.fields.length} field${inst.fields.length === 1 ? "" : "s"} but the pattern gives ${args.length}`, p.span);
        for (const a of args) checkPattern(cx, a, tErr, out);
        return;
      }
      args.forEach((a, i) => checkPattern(cx, a, inst.fields[i]!, out));
      return;
    }
    case "POr": {
      const maps: PatBinds[] = [];
      for (const alt of p.alts) {
        const m: PatBinds = new Map();
        checkPattern(cx, alt, t, m, systemOk);
        maps.push(m);
      }
      const first = maps[0] ?? new Map();
      for (let i = 1; i < maps.length; i++) {
        const m = maps[i]!;
        const missing = [...first.keys()].filter((k) => !m.has(k)).concat([...m.keys()].filter((k) => !first.has(k)));
        if (missing.length > 0) {
          cx.error("E0011", `the alternatives of this or-pattern bind different names (\`${missing[0]}\` is not bound in every alternative)`, p.alts[i]!.span);
          continue;
        }
        for (const [n, b] of m) {
          const f = first.get(n)!;
          cx.expect(b.pat.span, b.type, f.type, (x, y) => `\`${n}\` has type \`${x}\` in this alternative but \`${y}\` in the first one`, "E0011");
          cx.bindings.set(b.pat, f.id);
        }
      }
      for (const [n, b] of first) {
        if (out.has(n)) cx.error("E0043", `\`${n}\` is bound more than once in this pattern`, b.pat.span);
        else out.set(n, b);
      }
      return;
    }
    case "PAs": {
      checkPattern(cx, p.pattern, t, out, systemOk);
      if (out.has(p.name)) {
        cx.error("E0043", `\`${p.name}\` is bound more than once in this pattern`, p.span);
        return;
      }
      const id = cx.newBindingId();
      cx.bindings.set(p, id);
      out.set(p.name, { name: p.name, type: t, pat: p, id });
      return;
    }
  }
}

export function bindAll(cx: Ctx, binds: PatBinds): void {
  for (const b of binds.values()) cx.env.bind({ name: b.name, id: b.id, scheme: monoScheme(b.type), fn: false });
}

export function isIrrefutable(p: S.Pattern): boolean {
  switch (p.kind) {
    case "PVar":
    case "PWild":
      return true;
    case "PTuple":
      return p.elems.every(isIrrefutable);
    case "PAs":
      return isIrrefutable(p.pattern);
    case "PLit":
      return p.value.type === "unit";
    default:
      return false;
  }
}
