// Module scopes (§2): top-level names of each module, imports and from-imports with the
// visibility rules of §2.3 (E0031/E0034/E0035/E0051), and the resolution of type expressions
// (aliases, arity, E0049) and of unqualified value names (§2.3 resolution order).
import type * as S from "../ast/syntax.js";
import { groupFunctions } from "../analyse/group.js";
import type { ProgramModule } from "../analyse/program.js";
import { BUILTIN_ARITY } from "./builtins.js";
import { substitute, type Ctx } from "./context.js";
import type { IfaceDecl, LocalBinding, ModScope, Namespace, TypeDecl, ValueEntity, VariantEntity } from "./env.js";
import { isDeferredModule, libModuleName, lookupLib, type LibFn } from "./lib.js";
import { con, freshVar, tErr, tFun, tUnit, type TVar, type Type } from "./types.js";

export function newScope(pm: ProgramModule): ModScope {
  return {
    name: pm.name, pm, values: new Map(), types: new Map(), ifaces: new Map(), fromValues: new Map(), fromLib: new Map(),
    visTypes: new Map(), visVariants: new Map(), visIfaces: new Map(), visServices: new Map(), namespaces: new Map(), ownVariants: new Map(),
  };
}

function pushTo<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const a = m.get(k);
  if (a) {
    if (!a.includes(v)) a.push(v);
  } else m.set(k, [v]);
}

// Phase 1: register the module's own top-level names.
export function declareModule(cx: Ctx, sc: ModScope): void {
  const items = sc.pm.ast.items;
  const groups = groupFunctions(items.map((i) => (i.kind === "FnDef" ? i : null)), cx.diags);
  const dup = (name: string, span: S.Span) => cx.error("E0043", `\`${name}\` is already defined in this module`, span);
  for (const g of groups) {
    if (sc.values.has(g.name)) dup(g.name, g.first.nameSpan);
    else sc.values.set(g.name, { kind: "fn", module: sc.name, name: g.name, group: g, pub: g.first.pub, scheme: null, mono: null, declared: false, rigids: null });
  }
  let constIndex = 0;
  for (const it of items) {
    switch (it.kind) {
      case "Const": {
        const idx = constIndex++;
        if (it.pattern.kind !== "PVar") {
          cx.error(it.pattern.kind === "PWild" || it.pattern.kind === "PTuple" ? "E0050" : "E0047", "a module constant must bind a single name (`let name = value`)", it.pattern.span);
          continue;
        }
        const name = it.pattern.name;
        if (sc.values.has(name)) dup(name, it.pattern.span);
        else sc.values.set(name, { kind: "const", module: sc.name, name, def: it, index: idx, scheme: null, mono: null });
        break;
      }
      case "ActorDef":
        if (sc.values.has(it.name)) dup(it.name, it.nameSpan);
        else sc.values.set(it.name, { kind: "actor", module: sc.name, name: it.name, def: it, scheme: null, mono: null });
        break;
      case "ServiceDef":
        if (sc.values.has(it.name) || sc.types.has(it.name)) dup(it.name, it.nameSpan);
        else sc.values.set(it.name, { kind: "service", module: sc.name, name: it.name, def: it, helpers: new Map(), checked: false });
        break;
      case "SupervisorDef":
        if (sc.values.has(it.name)) dup(it.name, it.nameSpan);
        else sc.values.set(it.name, { kind: "supervisor", module: sc.name, name: it.name, def: it });
        break;
      case "StructDef":
      case "SumTypeDef":
      case "TypeAliasDef": {
        if (sc.types.has(it.name) || sc.ifaces.has(it.name)) {
          dup(it.name, it.nameSpan);
          continue;
        }
        const params = it.generics.map(() => freshVar(1 << 30));
        const d: TypeDecl = {
          kind: it.kind === "StructDef" ? "struct" : it.kind === "SumTypeDef" ? "sum" : "alias",
          qname: `${sc.name}.${it.name}`, name: it.name, module: sc.name, pub: it.pub, params, arity: params.length,
          fields: [], variants: [], aliasOf: null, aliasState: 0, def: it, derives: new Set(),
        };
        sc.types.set(it.name, d);
        if (d.kind !== "alias") cx.types.set(d.qname, d);
        if (it.kind === "SumTypeDef") {
          it.variants.forEach((v, tag) => {
            const ve: VariantEntity = { type: d, name: v.name, tag, fields: [] };
            d.variants.push(ve);
            if (sc.ownVariants.has(v.name)) cx.error("E0043", `variant \`${v.name}\` is already defined in this module`, v.span);
            pushTo(sc.ownVariants, v.name, ve);
          });
        }
        break;
      }
      case "InterfaceDef": {
        if (sc.types.has(it.name) || sc.ifaces.has(it.name)) {
          dup(it.name, it.nameSpan);
          continue;
        }
        const d: IfaceDecl = {
          qname: `${sc.name}.${it.name}`, name: it.name, module: sc.name, pub: it.pub, params: it.generics.map((g) => g.name),
          assoc: it.assocTypes.map((a) => a.name), methods: new Map(), def: it,
        };
        for (const ms of it.methods) {
          const hasSelf = ms.params.length > 0 && ms.params[0]!.pattern.kind === "PVar" && (ms.params[0]!.pattern as { name: string }).name === "self";
          d.methods.set(ms.name, { name: ms.name, hasSelf, arity: ms.params.length - (hasSelf ? 1 : 0), sig: ms, build: null, hasDefault: ms.body !== null });
        }
        sc.ifaces.set(it.name, d);
        cx.ifaces.set(d.qname, d);
        if (d.pub) pushTo(cx.publicIfaces, d.name, d);
        for (const name of d.methods.keys()) pushTo(cx.methodIndex, name, d);
        break;
      }
      case "BadItem":
        cx.error("E0050", it.what === "module" ? "inline `module … do … end` blocks are not supported; put the module in its own file" : "an expression is not allowed at the top level of a module; put it inside a function", it.span);
        break;
      default:
        break;
    }
  }
}

function exportedValue(v: ValueEntity): boolean {
  return v.kind === "fn" ? v.pub : v.kind !== "const";
}

function makeTypesVisible(sc: ModScope, from: ModScope): void {
  for (const d of from.types.values()) {
    if (!d.pub || d.kind === "alias") continue;
    pushTo(sc.visTypes, d.name, d);
    for (const v of d.variants) pushTo(sc.visVariants, v.name, v);
  }
  for (const v of from.values.values()) if (v.kind === "service" || v.kind === "actor" || v.kind === "supervisor") pushTo(sc.visServices, v.name, v);
}

// Phase 2: imports.
export function importModule(cx: Ctx, sc: ModScope): void {
  for (const it of sc.pm.ast.items) {
    if (it.kind !== "Import" && it.kind !== "FromImport") continue;
    const full = it.path.join(".");
    const target = cx.modules.get(full);
    const lib = target ? null : libModuleName(full);
    const pathSpan = it.kind === "FromImport" ? it.pathSpan : it.span;
    if (!target && !lib) {
      if (isDeferredModule(full)) cx.error("E0031", `module \`${full}\` is not available in this implementation (the ORM layer is deferred)`, pathSpan);
      else cx.error("E0031", `unknown module \`${full}\``, pathSpan);
      continue;
    }
    if (it.kind === "Import") {
      const ns = it.path[it.path.length - 1]!;
      const binding: Namespace = target ? { kind: "module", scope: target } : { kind: "stdlib", name: lib! };
      const prev = sc.namespaces.get(ns);
      if (prev && !(prev.kind === binding.kind && (prev.kind === "module" ? prev.scope === (binding as { scope: ModScope }).scope : prev.name === (binding as { name: string }).name))) {
        cx.error("E0051", `the namespace \`${ns}\` is already bound by another import`, it.span);
        continue;
      }
      sc.namespaces.set(ns, binding);
      if (target) makeTypesVisible(sc, target);
      continue;
    }
    if (!target) {
      for (const n of it.names) {
        const f = lookupLib(lib!, n.name);
        if (!f) cx.error("E0034", `module \`${full}\` has no function \`${n.name}\``, n.span);
        else pushTo(sc.fromLib, n.name, { module: lib!, name: n.name });
      }
      continue;
    }
    makeTypesVisible(sc, target);
    for (const n of it.names) {
      const v = target.values.get(n.name);
      const t = target.types.get(n.name);
      const i = target.ifaces.get(n.name);
      if (!v && !t && !i) {
        cx.error("E0034", `module \`${full}\` has no item named \`${n.name}\``, n.span);
        continue;
      }
      const isPub = (v && exportedValue(v)) || (t && t.pub) || (i && i.pub);
      if (!isPub) {
        cx.error("E0035", `\`${n.name}\` is private to module \`${full}\``, n.span, { hint: "make it `pub`" });
        // Still bind it, so that uses of the name do not repeat the error as E0004.
        if (v) pushTo(sc.fromValues, n.name, v);
        continue;
      }
      if (v && exportedValue(v)) pushTo(sc.fromValues, n.name, v);
      if (t && t.pub) {
        pushTo(sc.visTypes, n.name, t);
        for (const ve of t.variants) pushTo(sc.visVariants, ve.name, ve);
      }
      if (i && i.pub) pushTo(sc.visIfaces, n.name, i);
    }
  }
}

// ---------------------------------------------------------------- type lookup

export function lookupTypeDecl(cx: Ctx, sc: ModScope, path: readonly string[], span: S.Span, report = true): TypeDecl | null {
  if (path.length === 1) {
    const n = path[0]!;
    const own = sc.types.get(n);
    if (own) return own;
    const vis = sc.visTypes.get(n);
    if (vis && vis.length > 0) {
      if (vis.length > 1 && report) cx.error("E0051", `the type name \`${n}\` is ambiguous: it is imported from ${vis.map((d) => `\`${d.module}\``).join(" and ")}`, span);
      return vis[0]!;
    }
    return cx.types.get(n) ?? null;
  }
  const ns = sc.namespaces.get(path[0]!);
  const target = ns?.kind === "module" ? ns.scope : cx.modules.get(path.slice(0, -1).join("."));
  if (!target) return null;
  const name = path[path.length - 1]!;
  const d = target.types.get(name);
  if (!d) {
    if (report) cx.error("E0034", `module \`${target.name}\` has no type named \`${name}\``, span);
    return null;
  }
  if (!d.pub && target !== sc) {
    if (report) cx.error("E0035", `type \`${name}\` is private to module \`${target.name}\``, span, { hint: "make it `pub`" });
  }
  return d;
}

export interface TyEnv {
  readonly vars: Map<string, Type> | null; // generic parameters in scope
  readonly self: Type | null;
  readonly assoc: ((name: string) => Type | null) | null;
  readonly implicitVars?: Map<string, TVar>; // impl targets: unknown single uppercase names become variables
}

export const EMPTY_TYENV: TyEnv = { vars: null, self: null, assoc: null };

export function resolveType(cx: Ctx, sc: ModScope, te: S.TypeExpr, env: TyEnv): Type {
  switch (te.kind) {
    case "TTuple":
      if (te.elems.length === 0) return tUnit;
      if (te.elems.length === 1) return resolveType(cx, sc, te.elems[0]!, env);
      return { k: "tuple", elems: te.elems.map((e) => resolveType(cx, sc, e, env)) };
    case "TFun":
      return tFun(te.params.map((p) => resolveType(cx, sc, p, env)), resolveType(cx, sc, te.ret, env));
    case "TSelf": {
      if (!env.self) {
        cx.error("E0049", "`Self` can only be used inside an interface or impl", te.span);
        return tErr;
      }
      if (te.assoc === null) return env.self;
      const t = env.assoc ? env.assoc(te.assoc) : null;
      if (!t) {
        cx.error("E0042", `cannot resolve the associated type \`Self.${te.assoc}\``, te.span);
        return tErr;
      }
      return t;
    }
    case "TName": {
      const args = te.args.map((a) => resolveType(cx, sc, a, env));
      if (te.path.length === 1) {
        const n = te.path[0]!;
        const v = env.vars?.get(n);
        if (v) {
          if (args.length > 0) cx.error("E0049", `type parameter \`${n}\` takes no type arguments`, te.span);
          return v;
        }
        if (n === "Unit" && args.length === 0) return tUnit;
        if (n === "Self" && env.self) return env.self;
      }
      const d = lookupTypeDecl(cx, sc, te.path, te.span);
      if (!d) {
        // orm.md §0: the original's untyped `Ptr` means "no annotation here" (a fresh variable)
        if (te.path.length === 1 && te.path[0] === "Ptr" && args.length === 0) return freshVar(cx.level);
        if (env.implicitVars && te.path.length === 1 && /^[A-Z][A-Za-z0-9]?$/.test(te.path[0]!) && args.length === 0) {
          let v = env.implicitVars.get(te.path[0]!);
          if (!v) {
            v = freshVar(1 << 30);
            env.implicitVars.set(te.path[0]!, v);
          }
          return v;
        }
        const looksGeneric = te.path.length === 1 && /^[A-Z][A-Za-z0-9]?$/.test(te.path[0]!);
        cx.error("E0049", `unknown type \`${te.path.join(".")}\``, te.span, looksGeneric ? { hint: `to use it as a type parameter, declare it after the function name: \`fn name<${te.path[0]}>(...)\`` } : {});
        return tErr;
      }
      return applyDecl(cx, d, args, te.span);
    }
  }
}

export function applyDecl(cx: Ctx, d: TypeDecl, args: Type[], span: S.Span): Type {
  if (d.module === null) {
    const ar = BUILTIN_ARITY[d.name] ?? 0;
    if (d.name === "Pid") {
      if (args.length > 1) cx.error("E0049", `type \`Pid\` takes at most 1 type argument, found ${args.length}`, span);
      return con("Pid", args.slice(0, 1));
    }
    if (d.name === "Set" && args.length === 0) return con("Set", [con("Int")]);
    if (args.length !== ar) {
      cx.error("E0049", `type \`${d.name}\` expects ${ar} type argument${ar === 1 ? "" : "s"}, found ${args.length}`, span);
      return tErr;
    }
    return con(d.qname, args);
  }
  if (args.length !== d.arity) {
    cx.error("E0049", `type \`${d.name}\` expects ${d.arity} type argument${d.arity === 1 ? "" : "s"}, found ${args.length}`, span);
    return tErr;
  }
  if (d.kind === "alias") {
    const body = resolveAlias(cx, d);
    if (d.arity === 0) return body;
    const sub = new Map<TVar, Type>();
    d.params.forEach((p, i) => sub.set(p, args[i]!));
    return substitute(body, sub);
  }
  return con(d.qname, args);
}

export function resolveAlias(cx: Ctx, d: TypeDecl): Type {
  if (d.aliasState === 2) return d.aliasOf ?? tErr;
  const def = d.def as S.TypeAliasDef;
  if (d.aliasState === 1) {
    cx.error("E0049", `type alias \`${d.name}\` is recursive`, def.nameSpan);
    d.aliasOf = tErr;
    d.aliasState = 2;
    return tErr;
  }
  d.aliasState = 1;
  const sc = cx.modules.get(d.module!)!;
  const vars = new Map<string, Type>();
  def.generics.forEach((g, i) => vars.set(g.name, d.params[i]!));
  const t = resolveType(cx, sc, def.type, { vars, self: null, assoc: null });
  if (d.aliasState === 1) {
    d.aliasOf = t;
    d.aliasState = 2;
  }
  return d.aliasOf ?? tErr;
}

// ---------------------------------------------------------------- interface lookup

export function lookupIface(cx: Ctx, sc: ModScope, path: readonly string[], span: S.Span): IfaceDecl | null {
  if (path.length === 1) {
    const n = path[0]!;
    const own = sc.ifaces.get(n);
    if (own) return own;
    const vis = sc.visIfaces.get(n);
    if (vis && vis.length > 0) return vis[0]!;
    const pubs = cx.publicIfaces.get(n);
    if (pubs && pubs.length > 0) {
      if (pubs.length > 1) cx.error("E0051", `the interface name \`${n}\` is ambiguous: it is defined in ${pubs.map((d) => `\`${d.module}\``).join(" and ")}`, span);
      return pubs[0]!;
    }
    const b = cx.ifaces.get(n);
    if (b) return b;
    cx.error("E0049", `unknown interface \`${n}\``, span);
    return null;
  }
  const ns = sc.namespaces.get(path[0]!);
  const target = ns?.kind === "module" ? ns.scope : cx.modules.get(path.slice(0, -1).join("."));
  const d = target?.ifaces.get(path[path.length - 1]!);
  if (!d) {
    cx.error("E0049", `unknown interface \`${path.join(".")}\``, span);
    return null;
  }
  return d;
}

// ---------------------------------------------------------------- value lookup

export type ValueRes =
  | { readonly kind: "local"; readonly b: LocalBinding }
  | { readonly kind: "global"; readonly e: ValueEntity }
  | { readonly kind: "lib"; readonly f: LibFn }
  | { readonly kind: "variant"; readonly v: VariantEntity }
  | { readonly kind: "ifaceMethod"; readonly iface: IfaceDecl; readonly method: string };

// Unqualified name resolution (§2.3): locals, own top-level, from-imports, import-visible
// variants/services, prelude, interface methods, built-in constructors.
export function lookupValue(cx: Ctx, name: string, span: S.Span): ValueRes | null {
  const l = cx.env.lookup(name);
  if (l) return { kind: "local", b: l };
  const sc = cx.mod;
  const own = sc.values.get(name);
  if (own) {
    if (sc.fromValues.has(name) || sc.fromLib.has(name)) cx.error("E0051", `the name \`${name}\` is both defined in this module and imported with \`from … import\``, span);
    return { kind: "global", e: own };
  }
  const ownV = sc.ownVariants.get(name);
  if (ownV && ownV.length > 0) return { kind: "variant", v: ownV[0]! };
  const fv = sc.fromValues.get(name);
  const fl = sc.fromLib.get(name);
  const nFrom = (fv?.length ?? 0) + (fl?.length ?? 0);
  if (nFrom > 1) cx.error("E0051", `the name \`${name}\` is ambiguous: it is imported from several modules`, span);
  if (fv && fv.length > 0) return { kind: "global", e: fv[0]! };
  if (fl && fl.length > 0) {
    const f = lookupLib(fl[0]!.module, fl[0]!.name);
    if (f) return { kind: "lib", f };
  }
  const vv = sc.visVariants.get(name);
  if (vv && vv.length > 0) {
    if (vv.length > 1) cx.error("E0051", `the constructor \`${name}\` is ambiguous: it is defined by ${vv.map((v) => `\`${v.type.name}\``).join(" and ")}; qualify it`, span);
    return { kind: "variant", v: vv[0]! };
  }
  const vs = sc.visServices.get(name);
  if (vs && vs.length > 0) return { kind: "global", e: vs[0]! };
  const pre = lookupLib("", name);
  if (pre) return { kind: "lib", f: pre };
  const ifs = cx.methodIndex.get(name);
  if (ifs && ifs.length > 0) {
    const inst = ifs.filter((i) => i.methods.get(name)!.hasSelf);
    if (inst.length > 0) return { kind: "ifaceMethod", iface: inst[0]!, method: name };
  }
  const bt = builtinVariant(cx, name);
  if (bt) return { kind: "variant", v: bt };
  return null;
}

export function builtinVariant(cx: Ctx, name: string): VariantEntity | null {
  for (const tn of ["Option", "Result", "Ordering"]) {
    const d = cx.types.get(tn)!;
    for (const v of d.variants) if (v.name === name) return v;
  }
  return null;
}

export function systemVariant(cx: Ctx, name: string): VariantEntity | null {
  const d = cx.types.get("SystemMessage")!;
  return d.variants.find((v) => v.name === name) ?? null;
}
