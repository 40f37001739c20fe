// Declarations after names are known: struct fields, variant payloads, aliases (E0049), and
// impls (§3.8: E0007/E0026/E0040/E0041, generic targets, where bounds, inherited defaults).
import type * as S from "../ast/syntax.js";
import { groupFunctions, type FnGroup } from "../analyse/group.js";
import type { Ctx } from "./context.js";
import type { ImplDecl, ModScope, TypeDecl } from "./env.js";
import { lookupIface, lookupTypeDecl, resolveAlias, resolveType, type TyEnv } from "./resolve.js";
import { freshVar, tErr, typeKey, type TVar, type Type } from "./types.js";

export function resolveTypeBodies(cx: Ctx, sc: ModScope): void {
  for (const d of sc.types.values()) {
    if (d.kind === "alias") {
      resolveAlias(cx, d);
      continue;
    }
    const def = d.def as S.StructDef | S.SumTypeDef;
    const vars = new Map<string, Type>();
    def.generics.forEach((g, i) => vars.set(g.name, d.params[i]!));
    const env: TyEnv = { vars, self: null, assoc: null };
    if (def.kind === "StructDef") {
      const seen = new Set<string>();
      for (const f of def.fields) {
        if (seen.has(f.name)) {
          cx.error("E0043", `field \`${f.name}\` is declared twice in struct \`${d.name}\``, f.span);
          continue;
        }
        seen.add(f.name);
        d.fields.push({ name: f.name, type: resolveType(cx, sc, f.type, env), span: f.span });
      }
    } else {
      def.variants.forEach((v, i) => {
        d.variants[i]!.fields = v.fields.map((f) => resolveType(cx, sc, f.type, env));
      });
    }
  }
}

function ifaceKeyArgs(ts: readonly Type[]): string[] {
  return ts.map((t) => typeKey(t) ?? "_");
}

// Register every impl of the module (before any body is checked).
export function registerImpls(cx: Ctx, sc: ModScope): void {
  for (const it of sc.pm.ast.items) {
    if (it.kind !== "ImplDef") continue;
    const iface = lookupIface(cx, sc, it.iface, it.ifaceSpan);
    if (!iface) continue;
    // the target's arguments are type variables (`impl Show for Box<T>`), whatever their names
    const implicitVars = new Map<string, TVar>();
    if (it.target.kind === "TName") {
      for (const a of it.target.args) if (a.kind === "TName" && a.path.length === 1 && a.args.length === 0) implicitVars.set(a.path[0]!, freshVar(1 << 30));
    }
    const env: TyEnv = { vars: new Map(implicitVars), self: null, assoc: null, implicitVars };
    let target: Type = tErr;
    if (it.target.kind === "TName") {
      const d = lookupTypeDecl(cx, sc, it.target.path, it.target.span, true);
      if (!d) cx.error("E0049", `unknown type \`${it.target.path.join(".")}\``, it.target.span);
      else target = resolveType(cx, sc, it.target, env);
    } else target = resolveType(cx, sc, it.target, env);
    const key = typeKey(target);
    if (key === null) continue;
    const vars = [...implicitVars.values()];
    const varEnv: TyEnv = { vars: new Map(implicitVars), self: target, assoc: null, implicitVars };
    const ifaceArgs = it.ifaceArgs.map((a) => resolveType(cx, sc, a, varEnv));
    const found = ifaceArgs.length;
    if (found !== iface.params.length) {
      while (ifaceArgs.length < iface.params.length) ifaceArgs.push(tErr);
      ifaceArgs.length = iface.params.length;
      cx.error("E0049", `interface \`${iface.name}\` expects ${iface.params.length} type argument${iface.params.length === 1 ? "" : "s"}, found ${found}`, it.ifaceSpan);
    }
    // duplicate impls (E0026), including an impl of a trait listed in the type's deriving clause
    const list = cx.impls.get(`${iface.qname}|${key}`) ?? [];
    const argKeys = ifaceKeyArgs(ifaceArgs);
    if (list.some((o) => ifaceKeyArgs(o.ifaceArgs).join(",") === argKeys.join(","))) {
      cx.error("E0026", `duplicate impl of \`${iface.name}\` for \`${cx.show(target)}\``, it.span);
      continue;
    }
    const td = cx.types.get(key);
    const derivingNames = (td?.def as S.StructDef | S.SumTypeDef | null)?.deriving?.names.map((n) => n.name) ?? [];
    if (td && td.module !== null && derivingNames.includes(iface.qname)) {
      cx.error("E0026", `\`${iface.name}\` for \`${td.name}\` is both derived and implemented by hand`, it.span);
      continue;
    }
    const bounds = new Map<TVar, string[]>();
    for (const w of it.where) {
      const v = implicitVars.get(w.typeVar);
      const i = lookupIface(cx, sc, w.iface, w.span);
      if (!v) cx.error("E0049", `unknown type parameter \`${w.typeVar}\` in \`where\``, w.span);
      else if (i) bounds.set(v, [...(bounds.get(v) ?? []), i.qname]);
    }
    // associated types (E0040 missing, E0041 undeclared)
    const assoc = new Map<string, Type>();
    for (const a of it.assocTypes) {
      if (!iface.assoc.includes(a.name)) {
        cx.error("E0041", `interface \`${iface.name}\` declares no associated type \`${a.name}\``, a.span);
        continue;
      }
      if (assoc.has(a.name)) {
        cx.error("E0043", `associated type \`${a.name}\` is bound twice`, a.span);
        continue;
      }
      assoc.set(a.name, resolveType(cx, sc, a.type, varEnv));
    }
    for (const a of iface.assoc) if (!assoc.has(a)) cx.error("E0040", `impl of \`${iface.name}\` for \`${cx.show(target)}\` does not bind the associated type \`${a}\``, it.span);
    // methods (E0007 missing, E0008 not in the interface)
    const groups = groupFunctions(it.methods, cx.diags);
    const methods = new Map<string, FnGroup>();
    for (const g of groups) {
      if (!iface.methods.has(g.name)) {
        cx.error("E0008", `\`${g.name}\` is not a method of interface \`${iface.name}\``, g.first.nameSpan);
        continue;
      }
      methods.set(g.name, g);
    }
    const defaults: string[] = [];
    for (const m of iface.methods.values()) {
      if (methods.has(m.name)) continue;
      if (m.hasDefault) defaults.push(m.name);
      else if (!(iface.qname === "Ord" && m.name === "compare")) cx.error("E0007", `impl of \`${iface.name}\` for \`${cx.show(target)}\` is missing the method \`${m.name}\``, it.span);
    }
    const impl: ImplDecl = {
      iface, ifaceArgs, target, vars, varNames: [...implicitVars.keys()], key, module: sc.name, decl: it, assoc, methods, bounds,
      ref: { iface: iface.qname, ifaceArgs: argKeys, type: key, module: sc.name, derived: false },
    };
    list.push(impl);
    cx.impls.set(`${iface.qname}|${key}`, list);
    cx.implInfos.push({ impl: impl.ref, decl: it, defaults });
    cx.implByDecl.set(it, impl);
  }
}

export function userTypeDecls(cx: Ctx): TypeDecl[] {
  return [...cx.types.values()].filter((d) => d.module !== null && d.kind !== "alias");
}
