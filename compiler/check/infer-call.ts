// Names, qualified names (§4.4 table), calls (E0003/E0005, keyword arguments §4.3), method
// calls (deferred when the receiver is unknown, §6.5) and pipes (§4.6).
import type * as S from "../ast/syntax.js";
import type { MethodRef } from "./annotations.js";
import type { Ctx } from "./context.js";
import type { IfaceDecl, ModScope, Namespace, TypeDecl, ValueEntity, VariantEntity } from "./env.js";
import { checkExpr, inferExpr } from "./infer-expr.js";
import { instantiateVariant, variantRef } from "./infer-pattern.js";
import { implRefOf, instantiateImpl, methodSig, sigFor, userImpls, type How } from "./interfaces.js";
import { isDeferredModule, libModuleName, lookupLib, type LibFn } from "./lib.js";
import { lookupTypeDecl, lookupValue } from "./resolve.js";
import { substitute } from "./context.js";
import { BUILTIN_FROM, SYSTEM_VARIANTS } from "./builtins.js";
import { freshVar, prune, tErr, tFun, tMap, tResult, tString, typeKey, type PredSite, type TVar, type Type } from "./types.js";
import { unify } from "./unify.js";
import { actorValueType, inferNodeSpawn, serviceHelperType } from "./concurrency.js";
import { isSchemaName, schemaStatic } from "./schema.js";

// ---------------------------------------------------------------- names

export function inferName(cx: Ctx, e: Extract<S.Expr, { kind: "Name" }>): Type {
  const r = lookupValue(cx, e.name, e.span);
  if (!r) {
    if (lookupTypeDecl(cx, cx.mod, [e.name], e.span, false)) cx.error("E0004", `\`${e.name}\` is a type, not a value`, e.span);
    else cx.error("E0004", `cannot find \`${e.name}\` in this scope`, e.span);
    return tErr;
  }
  switch (r.kind) {
    case "local":
      cx.refs.set(e, { kind: "local", name: e.name, id: r.b.id });
      return cx.instantiate(r.b.scheme, e.span);
    case "global":
      return globalValue(cx, e, r.e);
    case "lib":
      cx.refs.set(e, { kind: "builtin", module: r.f.module === "" ? null : r.f.module, name: r.f.name });
      return libValue(cx, e, r.f);
    case "variant":
      return variantValue(cx, e, r.v);
    case "ifaceMethod":
      return ifaceMethodValue(cx, e, r.iface, r.method);
  }
}

function libValue(cx: Ctx, e: S.Expr, f: LibFn): Type {
  if (!f.variadic && f.restParams.length === 0) return cx.instantiate(f.scheme!, e.span);
  const r = cx.instantiateSub(f.scheme!, e.span);
  cx.libUse.set(e, { f, sub: r.sub });
  return r.type;
}

// Tuple rest forms (`Tuple.first(t :: (A, ...))`): checked once the argument types are known.
function checkRestParams(cx: Ctx, use: { f: LibFn; sub: Map<TVar, Type> }, args: readonly S.Expr[]): void {
  for (const rp of use.f.restParams) {
    const a = args[rp.index];
    if (!a) continue;
    const at = prune(cx.exprTypes.get(a) ?? tErr);
    const label = `${use.f.module}.${use.f.name}`;
    if (at.k === "err" || at.k === "never") continue;
    if (at.k === "var" && !at.rigid) {
      cx.error("E0045", `cannot infer the tuple type of argument ${rp.index + 1} of \`${label}\`; add an annotation`, a.span);
      continue;
    }
    const elems = at.k === "tuple" ? at.elems : null;
    if (!elems || elems.length < Math.max(1, rp.prefix.length)) {
      cx.error("E0001", `argument ${rp.index + 1} of \`${label}\` must be a tuple with at least ${Math.max(1, rp.prefix.length)} element${rp.prefix.length > 1 ? "s" : ""}, found \`${cx.show(at)}\``, a.span);
      continue;
    }
    rp.prefix.forEach((p, i) => cx.expect(a.span, elems[i]!, substitute(p, use.sub), (f, w) => `element ${i + 1} of the tuple has type \`${f}\`, expected \`${w}\``));
    if (rp.rest) for (let i = rp.prefix.length; i < elems.length; i++) cx.expect(a.span, elems[i]!, substitute(rp.rest, use.sub), (f, w) => `element ${i + 1} of the tuple has type \`${f}\`, expected \`${w}\``);
  }
}

function globalValue(cx: Ctx, e: S.Expr, v: ValueEntity): Type {
  switch (v.kind) {
    case "fn":
      cx.refs.set(e, { kind: "global", module: v.module, name: v.name });
      if (v.scheme) return cx.instantiate(v.scheme, e.span);
      return v.mono ?? freshVar(cx.level);
    case "const":
      cx.refs.set(e, { kind: "global", module: v.module, name: v.name });
      if (cx.inConst && v.module === cx.mod.name && v.index >= cx.constIndex) {
        cx.error("E0004", `module constant \`${v.name}\` is used before its definition`, e.span);
        return tErr;
      }
      if (v.scheme) return cx.instantiate(v.scheme, e.span);
      return v.mono ?? freshVar(cx.level);
    case "actor":
      cx.refs.set(e, { kind: "actor", module: v.module, name: v.name });
      cx.error("E0100", `invalid use of actor \`${v.name}\`: an actor can only be spawned or continued by a tail call in its own body`, e.span);
      return tErr;
    case "service":
      cx.error("E0004", `\`${v.name}\` is a service, not a value; call one of its helpers such as \`${v.name}.start\``, e.span);
      return tErr;
    case "supervisor":
      cx.refs.set(e, { kind: "supervisor", module: v.module, name: v.name });
      cx.error("E0004", `supervisor \`${v.name}\` is not a value; start it with \`spawn(${v.name})\``, e.span);
      return tErr;
  }
}

function variantValue(cx: Ctx, e: S.Expr, v: VariantEntity): Type {
  if (v.type.qname === "SystemMessage" && SYSTEM_VARIANTS.has(v.name)) cx.error("E0102", `system message constructor \`${v.name}\` may only be used as the outermost pattern of a \`receive\` arm`, e.span);
  cx.refs.set(e, variantRef(v));
  const inst = instantiateVariant(cx, v);
  return inst.fields.length === 0 ? inst.result : tFun(inst.fields, inst.result);
}

function ifaceMethodValue(cx: Ctx, e: S.Expr, iface: IfaceDecl, method: string): Type {
  const m = iface.methods.get(method)!;
  const self = freshVar(cx.level);
  const sig = methodSig(cx, iface, m, self, iface.params.map(() => freshVar(cx.level)), () => freshVar(cx.level));
  cx.refs.set(e, { kind: "ifaceMethod", iface: iface.qname, method, impl: null });
  cx.addPred({
    k: "iface", iface: iface.qname, args: [], type: self, span: e.span, output: null, what: `\`${method}\``,
    site: { solved: (_p, how) => cx.refs.set(e, { kind: "ifaceMethod", iface: iface.qname, method, impl: implRefOf(cx, iface.qname, how as How) }) },
  });
  return tFun(m.hasSelf ? [self, ...sig.params] : sig.params, sig.ret);
}

// ---------------------------------------------------------------- qualified heads

type Head =
  | { readonly kind: "ns"; readonly scope: ModScope }
  | { readonly kind: "lib"; readonly module: string }
  | { readonly kind: "service"; readonly e: ValueEntity }
  | { readonly kind: "type"; readonly d: TypeDecl }
  | { readonly kind: "iface"; readonly i: IfaceDecl };

function nsHead(n: Namespace): Head {
  return n.kind === "module" ? { kind: "ns", scope: n.scope } : { kind: "lib", module: n.name };
}

// The entity an uppercase head (`Mod`, `Type`, `Service`, `Iface`, `Ns.Type`) names, or null
// when the target is an ordinary value.
export function resolveHead(cx: Ctx, t: S.Expr, member: string | null = null): Head | null {
  if (t.kind === "Name") {
    if (!/^[A-Z]/.test(t.name)) return null;
    const sc = cx.mod;
    const ns = sc.namespaces.get(t.name);
    if (ns) {
      if (ns.kind === "module") cx.refs.set(t, { kind: "namespace", module: ns.scope.name });
      return nsHead(ns);
    }
    const own = sc.values.get(t.name);
    if (own && own.kind === "service") return { kind: "service", e: own };
    const ownT = sc.types.get(t.name);
    if (ownT) return { kind: "type", d: ownT };
    const ownI = sc.ifaces.get(t.name);
    if (ownI) return { kind: "iface", i: ownI };
    const vs = sc.visServices.get(t.name) ?? sc.fromValues.get(t.name)?.filter((v) => v.kind === "service");
    if (vs && vs.length > 0 && vs[0]!.kind === "service") return { kind: "service", e: vs[0]! };
    const lib = libModuleName(t.name);
    // an imported user type shadows a library module of the same name unless the module has the member
    const visT = lookupTypeDecl(cx, sc, [t.name], t.span, false);
    if (lib && (member === null || lookupLib(lib, member) || !visT || visT.module === null)) return { kind: "lib", module: lib };
    if (visT && visT.module !== null) return { kind: "type", d: visT };
    if (isDeferredModule(t.name)) {
      cx.error("E0031", `module \`${t.name}\` is not available in this implementation (the ORM layer is deferred)`, t.span);
      return { kind: "lib", module: t.name };
    }
    const d = lookupTypeDecl(cx, sc, [t.name], t.span, false);
    if (d) return { kind: "type", d };
    const i = sc.visIfaces.get(t.name)?.[0] ?? cx.publicIfaces.get(t.name)?.[0] ?? cx.ifaces.get(t.name);
    if (i) return { kind: "iface", i };
    if (cx.env.lookup(t.name)) return null;
    const full = cx.modules.get(t.name);
    if (full) return { kind: "ns", scope: full };
    return null;
  }
  if (t.kind === "Member" && /^[A-Z]/.test(t.name)) {
    const h = resolveHead(cx, t.target);
    if (h?.kind === "ns") {
      const sc = h.scope;
      const v = sc.values.get(t.name);
      if (v && v.kind === "service") return { kind: "service", e: v };
      const d = sc.types.get(t.name);
      if (d) {
        if (!d.pub) cx.error("E0035", `type \`${t.name}\` is private to module \`${sc.name}\``, t.nameSpan, { hint: "make it `pub`" });
        return { kind: "type", d };
      }
      const i = sc.ifaces.get(t.name);
      if (i) return { kind: "iface", i };
      const sub = cx.modules.get(`${sc.name}.${t.name}`);
      if (sub) return { kind: "ns", scope: sub };
    }
  }
  return null;
}

export function inferMember(cx: Ctx, e: Extract<S.Expr, { kind: "Member" }>): Type {
  const h = resolveHead(cx, e.target, e.name);
  if (h) return qualified(cx, e, h, null);
  // field access
  const tt = inferExpr(cx, e.target);
  const res = freshVar(cx.level);
  cx.addPred({ k: "field", type: tt, name: e.name, result: res, span: e.nameSpan, site: null });
  return res;
}

function qualified(cx: Ctx, e: Extract<S.Expr, { kind: "Member" }>, h: Head, argTypes: Type[] | null): Type {
  const name = e.name;
  switch (h.kind) {
    case "ns": {
      const sc = h.scope;
      const v = sc.values.get(name);
      if (v) {
        const exported = v.kind === "fn" ? v.pub : v.kind !== "const";
        if (!exported && sc !== cx.mod) {
          cx.error("E0035", `\`${name}\` is private to module \`${sc.name}\``, e.nameSpan, { hint: "make it `pub`" });
          return tErr;
        }
        return globalValue(cx, e, v);
      }
      for (const d of sc.types.values()) {
        const ve = d.variants.find((x) => x.name === name);
        if (ve) {
          if (!d.pub && sc !== cx.mod) cx.error("E0035", `\`${name}\` is private to module \`${sc.name}\``, e.nameSpan, { hint: "make it `pub`" });
          return variantValue(cx, e, ve);
        }
      }
      cx.error("E0034", `module \`${sc.name}\` has no item named \`${name}\``, e.nameSpan);
      return tErr;
    }
    case "lib": {
      const f = lookupLib(h.module, name);
      if (!f) {
        cx.error("E0034", `module \`${h.module}\` has no function \`${name}\``, e.nameSpan);
        return tErr;
      }
      cx.refs.set(e, { kind: "builtin", module: f.module, name });
      return libValue(cx, e, f);
    }
    case "service":
      return serviceHelperType(cx, e, h.e);
    case "iface": {
      const m = h.i.methods.get(name);
      if (!m) {
        cx.error("E0030", `interface \`${h.i.name}\` has no method \`${name}\``, e.nameSpan);
        return tErr;
      }
      return ifaceMethodValue(cx, e, h.i, name);
    }
    case "type":
      return typeStatic(cx, e, h.d, argTypes);
  }
}

// `Type.Variant`, `Type.from(x)`, `Type.default()`, `Type.from_json(s)`, `Type.from_row(m)`,
// and any self-less impl method.
function typeStatic(cx: Ctx, e: Extract<S.Expr, { kind: "Member" }>, d: TypeDecl, argTypes: Type[] | null): Type {
  const name = e.name;
  const v = d.variants.find((x) => x.name === name);
  if (v) return variantValue(cx, e, v);
  const self = instantiateDecl(cx, d);
  const key = typeKey(self) ?? d.qname;
  const setStatic = (iface: string, how: How, method: string) => {
    const impl = implRefOf(cx, iface, how);
    if (impl) cx.refs.set(e, { kind: "static", impl, method });
  };
  if (isSchemaName(name)) return schemaStatic(cx, e, d) ?? tErr;
  if (name === "from_json" || name === "from_row") {
    const iface = name === "from_json" ? "Json" : "Row";
    if (d.module !== null && !d.derives.has(iface)) cx.error("E0006", `\`${d.name}\` does not derive \`${iface}\`, so \`${d.name}.${name}\` does not exist`, e.nameSpan);
    setStatic(iface, { kind: "derived", key }, name);
    return tFun([name === "from_json" ? tString : tMap(tString, tString)], tResult(self, tString));
  }
  if (name === "from") {
    const src = argTypes && argTypes.length === 1 ? typeKey(argTypes[0]!) : null;
    const impls = userImpls(cx, "From", key);
    const pick = src ? impls.filter((i) => typeKey(i.ifaceArgs[0]!) === src) : impls.length === 1 ? impls : [];
    if (pick.length >= 1) {
      const s = instantiateImpl(cx, pick[0]!, self);
      setStatic("From", { kind: "impl", impl: pick[0]! }, "from");
      return tFun([substitute(pick[0]!.ifaceArgs[0]!, s)], self);
    }
    const b = BUILTIN_FROM.find(([f, to]) => to === key && (src === null || f === src));
    if (b) {
      setStatic("From", { kind: "builtinFrom", from: b[0], to: key }, "from");
      return tFun([{ k: "con", name: b[0], args: [] }], self);
    }
    cx.error("E0006", src ? `there is no \`impl From<${cx.show(argTypes![0]!)}> for ${d.name}\`` : `there is no \`From\` impl for \`${d.name}\``, e.span);
    return tErr;
  }
  // self-less interface methods (default, user statics)
  const ifs = (cx.methodIndex.get(name) ?? []).filter((i) => !i.methods.get(name)!.hasSelf);
  for (const i of ifs) {
    const has = userImpls(cx, i.qname, key).length > 0 || (i.qname === "Default" && ["Int", "Float", "String", "Bool"].includes(key));
    if (!has) continue;
    const sig = sigFor(cx, i, i.methods.get(name)!, self, null);
    setStatic(i.qname, sig.how, name);
    return tFun(sig.params, sig.ret);
  }
  cx.error("E0030", `type \`${d.name}\` has no variant or static method \`${name}\``, e.nameSpan);
  return tErr;
}

function instantiateDecl(cx: Ctx, d: TypeDecl): Type {
  return { k: "con", name: d.qname, args: d.params.map(() => freshVar(cx.level)) };
}

// ---------------------------------------------------------------- calls

function calleeLabel(e: S.Expr): string {
  if (e.kind === "Name") return e.name;
  if (e.kind === "Member") {
    const t = calleeLabel(e.target);
    return t ? `${t}.${e.name}` : e.name;
  }
  return "";
}

// Infer a call; `piped` is the left side of `lhs |> callee(args)`, which becomes the first argument.
export function inferCall(cx: Ctx, e: Extract<S.Expr, { kind: "Call" }>, piped: S.Expr | null): Type {
  const args: S.Expr[] = piped ? [piped, ...e.args] : [...e.args];
  const callee = e.callee;
  // keyword arguments become one trailing Map<String, V>
  let kwType: Type | null = null;
  if (e.kwargs.length > 0) {
    const v = freshVar(cx.level);
    for (const k of e.kwargs) checkExpr(cx, k.value, v, (f, w) => `keyword argument \`${k.name}\` has type \`${f}\`, but earlier keyword arguments have type \`${w}\``);
    kwType = tMap(tString, v);
  }
  if (callee.kind === "Name") {
    const own = cx.fn?.actor;
    if (own && callee.name === own.name && !cx.env.lookup(callee.name) && cx.mod.values.get(callee.name) === own) {
      // actor continuation call (concurrency.md §1.1)
      cx.refs.set(callee, { kind: "actor", module: own.module, name: own.name });
      if (!cx.fn!.tail?.has(e)) cx.error("E0100", `invalid use of actor \`${own.name}\`: a continuation call must be in tail position`, e.span);
      const ft = prune(actorValueType(cx, own));
      cx.exprTypes.set(callee, ft);
      if (ft.k === "fun") applyArgs(cx, e, ft.params, args, kwType, own.name);
      return freshVar(cx.level);
    }
  }
  if (callee.kind === "Member") {
    const h = resolveHead(cx, callee.target, callee.name);
    if (h) {
      if (h.kind === "lib" && h.module === "Node" && (callee.name === "spawn" || callee.name === "spawn_link")) {
        cx.refs.set(callee, { kind: "builtin", module: "Node", name: callee.name });
        return inferNodeSpawn(cx, e, args, `Node.${callee.name}`);
      }
      let pre: Type[] | null = null;
      if (h.kind === "type" && callee.name === "from") pre = args.map((a) => inferExpr(cx, a));
      const ft = qualified(cx, callee, h, pre);
      cx.exprTypes.set(callee, ft);
      return apply(cx, e, ft, args, kwType, calleeLabel(callee), pre, callee);
    }
    return methodCall(cx, e, callee, args, kwType);
  }
  const ft = inferExpr(cx, callee);
  const res = apply(cx, e, ft, args, kwType, calleeLabel(callee), null, callee);
  // (a prelude function is referred to by its own name; the name test first keeps the refs
  // table unread, see LogMap)
  const ref = callee.kind === "Name" && callee.name === "compare" ? cx.refs.get(callee) : undefined;
  if (ref?.kind === "builtin" && ref.module === null && ref.name === "compare" && args.length === 2) {
    // record how the comparison inside `compare(a, b)` is carried out (OpRef on the Call node)
    cx.ops.set(e, { kind: "dynamic" });
    const at = cx.exprTypes.get(args[0]!);
    if (at) cx.addPred({ k: "iface", iface: "Ord", args: [], type: at, span: callee.span, output: null, what: "", site: compareSite(cx, e) });
  }
  return res;
}

function compareSite(cx: Ctx, e: S.Expr): PredSite {
  return {
    solved: (_p, how) => {
      const h = how as How;
      if (h.kind === "impl") cx.ops.set(e, { kind: "impl", impl: h.impl.ref, method: "lt" });
      else if (h.kind === "builtin" || h.kind === "derived") {
        const k = h.key;
        cx.ops.set(e, k === "Int" ? { kind: "int" } : k === "Float" ? { kind: "float" } : k === "String" || k === "Bool" ? { kind: "prim" } : { kind: "structural" });
      }
    },
    generic: () => cx.ops.set(e, { kind: "dynamic" }),
  };
}

function applyArgs(cx: Ctx, e: S.Expr, params: readonly Type[], args: S.Expr[], kwType: Type | null, label: string, pre: Type[] | null = null, variadic = false): boolean {
  const n = args.length + (kwType ? 1 : 0);
  if (variadic && n >= params.length) {
    args.forEach((a, i) => {
      if (i < params.length) checkExpr(cx, a, params[i]!, (f, w) => `argument ${i + 1}${label ? ` of \`${label}\`` : ""} has type \`${f}\`, expected \`${w}\``);
      else inferExpr(cx, a);
    });
    return true;
  }
  if (params.length !== n) {
    const what = label ? `\`${label}\`` : "this function";
    cx.error("E0003", `${what} takes ${variadic ? "at least " : ""}${params.length} argument${params.length === 1 ? "" : "s"} but ${n} ${n === 1 ? "was" : "were"} given`, e.span);
    if (!pre) for (const a of args) inferExpr(cx, a);
    return false;
  }
  args.forEach((a, i) => {
    const msg = (f: string, w: string) => `argument ${i + 1}${label ? ` of \`${label}\`` : ""} has type \`${f}\`, expected \`${w}\``;
    if (pre) cx.expect(a.span, pre[i]!, params[i]!, msg);
    else checkExpr(cx, a, params[i]!, msg);
  });
  if (kwType) cx.expect(e.span, kwType, params[params.length - 1]!, (f, w) => `the keyword arguments form a \`${f}\`, but the last parameter${label ? ` of \`${label}\`` : ""} has type \`${w}\``);
  return true;
}

function apply(cx: Ctx, e: S.Expr, ft0: Type, args: S.Expr[], kwType: Type | null, label: string, pre: Type[] | null, callee: S.Expr | null = null): Type {
  let ft = prune(ft0);
  if (ft.k === "var" && !ft.rigid) {
    const ps = args.map(() => freshVar(cx.level) as Type);
    if (kwType) ps.push(freshVar(cx.level));
    const ret = freshVar(cx.level);
    unify(ft, tFun(ps, ret));
    cx.drain();
    ft = prune(ft);
  }
  if (ft.k === "err" || ft.k === "never") {
    if (!pre) for (const a of args) inferExpr(cx, a);
    return tErr;
  }
  if (ft.k !== "fun") {
    cx.error("E0005", `${label ? `\`${label}\`` : "this expression"} is not a function; it has type \`${cx.show(ft)}\``, e.span);
    if (!pre) for (const a of args) inferExpr(cx, a);
    return tErr;
  }
  const use = callee ? cx.libUse.get(callee) : undefined;
  applyArgs(cx, e, ft.params, args, kwType, label, pre, use?.f.variadic ?? false);
  if (use && use.f.restParams.length > 0) checkRestParams(cx, use, args);
  return ft.ret;
}

function methodCall(cx: Ctx, e: Extract<S.Expr, { kind: "Call" }>, callee: Extract<S.Expr, { kind: "Member" }>, args: S.Expr[], kwType: Type | null): Type {
  const recv = inferExpr(cx, callee.target);
  const argTypes = args.map(() => freshVar(cx.level) as Type);
  if (kwType) argTypes.push(kwType);
  const result = freshVar(cx.level);
  const name = callee.name;
  cx.addPred({
    k: "method", type: recv, name, args: argTypes, result, span: callee.nameSpan,
    site: {
      solved: (_p, how) => cx.methods.set(e, how as MethodRef),
      generic: () => {
        const ifs = (cx.methodIndex.get(name) ?? []).filter((i) => i.methods.get(name)!.hasSelf);
        if (ifs.length === 1) cx.methods.set(e, { kind: "impl", iface: ifs[0]!.qname, method: name, impl: null });
      },
    },
  });
  args.forEach((a, i) => checkExpr(cx, a, argTypes[i]!, (f, w) => `argument ${i + 1} of \`${name}\` has type \`${f}\`, expected \`${w}\``));
  cx.exprTypes.set(callee, tFun(argTypes, result));
  return result;
}

export function inferPipe(cx: Ctx, e: Extract<S.Expr, { kind: "Pipe" }>): Type {
  const r = e.right;
  if (r.kind === "Call") {
    const t = inferCall(cx, r, e.left);
    cx.exprTypes.set(r, t);
    return t;
  }
  const lt = inferExpr(cx, e.left);
  const ft = inferExpr(cx, r);
  const ret = freshVar(cx.level);
  const label = calleeLabel(r);
  const f = prune(ft);
  if (f.k === "fun" && f.params.length !== 1) {
    cx.error("E0003", `${label ? `\`${label}\`` : "the right side of `|>`"} takes ${f.params.length} arguments but the pipe passes 1`, r.span);
    return tErr;
  }
  if (f.k !== "fun" && f.k !== "var" && f.k !== "err" && f.k !== "never") {
    cx.error("E0005", `the right side of \`|>\` is not a function; it has type \`${cx.show(f)}\``, r.span);
    return tErr;
  }
  const pv = freshVar(cx.level);
  unify(ft, tFun([pv], ret));
  cx.drain();
  cx.expect(e.left.span, lt, pv, (x, w) => `the piped value has type \`${x}\`, but ${label ? `\`${label}\`` : "the function"} expects \`${w}\``);
  return ret;
}

