// Interface constraints and deferred member constraints (§6.5, §6.6): instance lookup over
// hand-written impls, derived impls and built-in instances; solving predicates once the subject
// type is known (E0006, E0009, E0030, E0027); method-call resolution order of §4.4.
import type { ImplRef, MethodRef } from "./annotations.js";
import { builtinInstance, BUILTIN_FROM } from "./builtins.js";
import { substitute, type Ctx } from "./context.js";
import type { IfaceDecl, ImplDecl, MethodDecl, TypeDecl } from "./env.js";
import { libModuleHas, lookupLib } from "./lib.js";
import { LIB_BOUNDS } from "../stdlib/signatures.js";
import { resolveType } from "./resolve.js";
import { freeVars, freshVar, prune, shortName, tFun, typeKey, type Pred, type TVar, type Type } from "./types.js";
import { unify } from "./unify.js";

export type How =
  | { readonly kind: "builtin"; readonly key: string }
  | { readonly kind: "derived"; readonly key: string }
  | { readonly kind: "impl"; readonly impl: ImplDecl }
  | { readonly kind: "builtinFrom"; readonly from: string; readonly to: string }
  | { readonly kind: "dynamic" };

export function implRefOf(cx: Ctx, iface: string, how: How): ImplRef | null {
  switch (how.kind) {
    case "impl":
      return how.impl.ref;
    case "builtin":
      return { iface, ifaceArgs: [], type: how.key, module: "", derived: false };
    case "derived":
      return { iface, ifaceArgs: [], type: how.key, module: null, derived: true };
    case "builtinFrom":
      return { iface: "From", ifaceArgs: [how.from], type: how.to, module: "", derived: false };
    case "dynamic":
      return null;
  }
  void cx;
}

export function userImpls(cx: Ctx, iface: string, key: string): ImplDecl[] {
  return cx.impls.get(`${iface}|${key}`) ?? [];
}

function userDecl(cx: Ctx, t: Type): TypeDecl | null {
  t = prune(t);
  if (t.k !== "con") return null;
  const d = cx.types.get(t.name);
  return d && d.module !== null ? d : null;
}

// Instantiate an impl so that its target equals `t`; returns the substitution.
export function instantiateImpl(cx: Ctx, impl: ImplDecl, t: Type): Map<TVar, Type> {
  const sub = new Map<TVar, Type>();
  for (const v of impl.vars) sub.set(v, freshVar(cx.level));
  unify(substitute(impl.target, sub), t);
  cx.drain();
  return sub;
}

function pickImpl(cx: Ctx, impls: ImplDecl[], args: readonly Type[]): ImplDecl | null {
  if (impls.length === 0) return null;
  if (impls.length === 1 || args.length === 0) return impls[0]!;
  const k = typeKey(args[0]!);
  if (k === null) return impls.length === 1 ? impls[0]! : null;
  return impls.find((i) => typeKey(i.ifaceArgs[0]!) === k) ?? null;
}

// Does `t` implement `iface` (ignoring conditions on components)? Used to select methods.
export function implementsShallow(cx: Ctx, iface: IfaceDecl, t: Type): boolean {
  t = prune(t);
  if (t.k === "var") return t.rigid !== null && (t.bounds?.includes(iface.qname) ?? false);
  const key = typeKey(t);
  if (key === null) return false;
  if (userImpls(cx, iface.qname, key).length > 0) return true;
  const d = userDecl(cx, t);
  if (d) return d.derives.has(iface.qname);
  if (iface.qname === "From" || iface.qname === "Into") return false;
  return builtinInstance(iface.qname, t) !== false;
}

// Check an interface predicate on a known type; adds component requirements as predicates.
function solveIface(cx: Ctx, p: Extract<Pred, { k: "iface" | "text" }>): How | null {
  const t = prune(p.type);
  const name = p.k === "text" ? "Text" : p.iface;
  const key = typeKey(t);
  if (key === null) return null;
  const args = p.k === "iface" ? p.args : [];
  const sub = (reqs: { iface: string; type: Type }[]) => {
    for (const r of reqs) {
      if (r.iface === "Text") cx.addPred({ k: "text", type: r.type, span: p.span, site: null });
      else cx.addPred({ k: "iface", iface: r.iface, args: [], type: r.type, span: p.span, output: null, site: null, what: p.k === "iface" ? p.what : "" });
    }
  };
  const names = name === "Text" ? ["Display", "Debug"] : [name];
  for (const n of names) {
    const impl = pickImpl(cx, userImpls(cx, n, key), args);
    if (impl) {
      const s = instantiateImpl(cx, impl, t);
      if (p.k === "iface" && impl.ifaceArgs.length > 0) for (let i = 0; i < args.length && i < impl.ifaceArgs.length; i++) unify(args[i]!, substitute(impl.ifaceArgs[i]!, s));
      if (p.k === "iface" && p.output) {
        const o = impl.assoc.get("Output");
        if (o) unify(p.output, substitute(o, s));
      }
      cx.drain();
      for (const [v, bs] of impl.bounds) for (const b of bs) sub([{ iface: b, type: s.get(v)! }]);
      return { kind: "impl", impl };
    }
    const d = userDecl(cx, t);
    if (d) {
      if (d.derives.has(n === "ToJson" ? "Json" : n)) {
        const targs = (t as { args: readonly Type[] }).args;
        sub(targs.map((a) => ({ iface: n === "Display" || n === "Debug" ? "Text" : n === "Json" ? "ToJson" : n, type: a })));
        return { kind: "derived", key };
      }
      continue;
    }
    if (n === "From") {
      const src = args.length > 0 ? typeKey(args[0]!) : null;
      const hit = BUILTIN_FROM.find(([f, to]) => to === key && (src === null || f === src));
      if (hit) {
        if (src === null && args.length > 0) unify(args[0]!, { k: "con", name: hit[0], args: [] });
        return { kind: "builtinFrom", from: hit[0], to: key };
      }
      continue;
    }
    const r = builtinInstance(n, t);
    if (r !== false) {
      if (p.k === "iface" && p.output) unify(p.output, t);
      cx.drain();
      sub(r);
      return { kind: "builtin", key };
    }
  }
  return null;
}

export function dispatchPred(cx: Ctx, p: Pred): void {
  const t = prune(p.type);
  if (t.k === "err" || t.k === "never") {
    if (p.k === "iface" && p.output) unify(p.output, t);
    return;
  }
  if (t.k === "var") {
    // rigid type parameter: only its `where` bounds are known about it (§3.1, §6.6)
    if (p.k === "method") return resolveMethod(cx, p);
    if (p.k === "field") {
      cx.error("E0009", `type parameter \`${t.rigid}\` has no field \`${p.name}\``, p.span);
      unify(p.result, { k: "err" });
      return;
    }
    const ok =
      (p.k === "iface" && (t.bounds?.includes(p.iface) || (p.iface === "Eq" && t.bounds?.includes("Ord")))) ||
      (p.k === "text" && (t.bounds?.includes("Display") || t.bounds?.includes("Debug")));
    if (ok) {
      p.site?.generic?.(p);
      if (p.k === "iface" && p.output) unify(p.output, freshVar(cx.level));
      return;
    }
    if (p.k === "text") cx.error("E0046", `a value of type parameter \`${t.rigid}\` cannot be converted to text`, p.span, { hint: `add \`where ${t.rigid}: Display\`` });
    else if (p.k === "concat") cx.error("E0001", `\`<>\` concatenates two Strings or two Lists, found type parameter \`${t.rigid}\``, p.span);
    else {
      const why = p.what ? ` (needed by ${p.what})` : "";
      cx.error("E0006", `type parameter \`${t.rigid}\` does not implement \`${shortName(p.iface)}\`${why}`, p.span, { hint: `add \`where ${t.rigid}: ${shortName(p.iface)}\`` });
      if (p.output) unify(p.output, { k: "err" });
    }
    return;
  }
  switch (p.k) {
    case "iface":
    case "text": {
      const how = solveIface(cx, p);
      if (how) {
        p.site?.solved(p, how);
        return;
      }
      if (p.k === "text") {
        cx.error("E0046", `a value of type \`${cx.show(t)}\` cannot be converted to text: it implements neither \`Display\` nor \`Debug\``, p.span);
      } else if (p.iface === "From") {
        cx.error("E0006", `there is no \`impl From<${p.args.length ? cx.show(p.args[0]!) : "_"}> for ${cx.show(t)}\``, p.span);
      } else if (LIB_BOUNDS[p.iface]) {
        cx.error("E0006", `type \`${cx.show(t)}\` is not accepted here: ${LIB_BOUNDS[p.iface]!.rule}`, p.span);
      } else {
        const why = p.what ? ` (needed by ${p.what})` : "";
        const hint = p.iface === "Add" && typeKey(t) === "String" ? { hint: "use `<>` to concatenate strings" } : {};
        cx.error("E0006", `type \`${cx.show(t)}\` does not implement \`${shortName(p.iface)}\`${why}`, p.span, hint);
      }
      if (p.k === "iface" && p.output) unify(p.output, { k: "err" });
      return;
    }
    case "concat": {
      const key = typeKey(t);
      if (key === "String" || key === "List") {
        p.site?.solved(p, { kind: "builtin", key });
        return;
      }
      cx.error("E0001", `\`<>\` concatenates two Strings or two Lists, found \`${cx.show(t)}\``, p.span);
      return;
    }
    case "field":
      return solveField(cx, p);
    case "method":
      return resolveMethod(cx, p);
  }
}

function solveField(cx: Ctx, p: Extract<Pred, { k: "field" }>): void {
  const t = prune(p.type);
  const d = userDecl(cx, t);
  if (!d || d.kind !== "struct") {
    cx.error("E0009", `type \`${cx.show(t)}\` has no field \`${p.name}\``, p.span);
    unify(p.result, { k: "err" });
    return;
  }
  const f = d.fields.find((x) => x.name === p.name);
  if (!f) {
    cx.error("E0009", `struct \`${d.name}\` has no field \`${p.name}\``, p.span);
    unify(p.result, { k: "err" });
    return;
  }
  const sub = new Map<TVar, Type>();
  d.params.forEach((v, i) => sub.set(v, (t as { args: readonly Type[] }).args[i]!));
  const ft = substitute(f.type, sub);
  if (unify(p.result, ft)) cx.error("E0001", `field \`${p.name}\` has type \`${cx.show(ft)}\`, but \`${cx.show(p.result)}\` is expected here`, p.span);
  cx.drain();
  p.site?.solved(p, d);
}

// ---------------------------------------------------------------- method signatures

interface SigCache {
  self: TVar;
  params: TVar[];
  assoc: Map<string, TVar>;
  sig: { params: Type[]; ret: Type };
  others: TVar[];
}
const sigCache = new WeakMap<MethodDecl, SigCache>();

export function methodSig(cx: Ctx, iface: IfaceDecl, m: MethodDecl, self: Type, args: readonly Type[], assoc: (n: string) => Type): { params: Type[]; ret: Type } {
  if (m.build) return m.build(self, args, assoc);
  let c = sigCache.get(m);
  if (!c) {
    const selfV = freshVar(1 << 30);
    const ps = iface.params.map(() => freshVar(1 << 30));
    const as = new Map(iface.assoc.map((a) => [a, freshVar(1 << 30)] as const));
    const vars = new Map<string, Type>(iface.params.map((n, i) => [n, ps[i]!] as const));
    const sc = cx.modules.get(iface.module!)!;
    const env = { vars, self: selfV, assoc: (n: string) => as.get(n) ?? null };
    const sigPs = m.sig!.params.slice(m.hasSelf ? 1 : 0).map((p) => (p.type ? resolveType(cx, sc, p.type, env) : freshVar(1 << 30)));
    const ret = m.sig!.ret ? resolveType(cx, sc, m.sig!.ret, env) : { k: "tuple" as const, elems: [] };
    const sig = { params: sigPs, ret };
    const fv = new Set<TVar>();
    freeVars(tFun(sigPs, ret), fv);
    const known = new Set<TVar>([selfV, ...ps, ...as.values()]);
    c = { self: selfV, params: ps, assoc: as, sig, others: [...fv].filter((v) => !known.has(v)) };
    sigCache.set(m, c);
  }
  const sub = new Map<TVar, Type>();
  sub.set(c.self, self);
  c.params.forEach((v, i) => sub.set(v, args[i] ?? freshVar(cx.level)));
  for (const [n, v] of c.assoc) sub.set(v, assoc(n));
  for (const v of c.others) sub.set(v, freshVar(cx.level));
  return { params: c.sig.params.map((t) => substitute(t, sub)), ret: substitute(c.sig.ret, sub) };
}

// Method signature of `iface.m` for receiver/Self type `t`, using the impl that applies.
export function sigFor(cx: Ctx, iface: IfaceDecl, m: MethodDecl, t: Type, ifaceArgs: readonly Type[] | null): { params: Type[]; ret: Type; how: How } {
  const key = typeKey(t);
  const impl = key ? pickImpl(cx, userImpls(cx, iface.qname, key), ifaceArgs ?? []) : null;
  if (impl) {
    const s = instantiateImpl(cx, impl, t);
    const args = impl.ifaceArgs.map((a) => substitute(a, s));
    const sig = methodSig(cx, iface, m, t, args, (n) => {
      const a = impl.assoc.get(n);
      return a ? substitute(a, s) : freshVar(cx.level);
    });
    return { ...sig, how: { kind: "impl", impl } };
  }
  const args = ifaceArgs ?? iface.params.map(() => freshVar(cx.level));
  const sig = methodSig(cx, iface, m, t, args, () => (iface.assoc.includes("Output") && key !== null && (key === "Int" || key === "Float") ? t : freshVar(cx.level)));
  const d = userDecl(cx, t);
  const how: How = key === null ? { kind: "dynamic" } : d ? { kind: "derived", key } : { kind: "builtin", key };
  return { ...sig, how };
}

const COLLECTION_MODULES: Record<string, string> = { String: "String", List: "List", Map: "Map", Set: "Set", Range: "Range" };

function resolveMethod(cx: Ctx, p: Extract<Pred, { k: "method" }>): void {
  const t = prune(p.type);
  const fail = () => unify(p.result, { k: "err" });
  const apply = (params: readonly Type[], ret: Type, label: string) => {
    if (params.length !== p.args.length) {
      cx.error("E0003", `method \`${label}\` takes ${params.length} argument${params.length === 1 ? "" : "s"} but ${p.args.length} ${p.args.length === 1 ? "was" : "were"} given`, p.span);
      fail();
      return;
    }
    for (let i = 0; i < params.length; i++) cx.expect(p.span, p.args[i]!, params[i]!, (f, e) => `argument ${i + 1} of \`${label}\` has type \`${f}\`, expected \`${e}\``);
    cx.expect(p.span, ret, p.result, (f, e) => `\`${label}\` returns \`${f}\`, but \`${e}\` is expected here`);
  };
  // 1. struct field holding a function
  const d = userDecl(cx, t);
  if (d && d.kind === "struct") {
    const f = d.fields.find((x) => x.name === p.name);
    if (f) {
      const sub = new Map<TVar, Type>();
      d.params.forEach((v, i) => sub.set(v, (t as { args: readonly Type[] }).args[i]!));
      const ft = prune(substitute(f.type, sub));
      if (ft.k !== "fun") {
        cx.error("E0005", `field \`${p.name}\` of \`${d.name}\` has type \`${cx.show(ft)}\` and cannot be called`, p.span);
        fail();
        return;
      }
      apply(ft.params, ft.ret, p.name);
      p.site?.solved(p, { kind: "field" } satisfies MethodRef);
      return;
    }
  }
  // 2. interface methods implemented by the receiver type
  const ifs = (cx.methodIndex.get(p.name) ?? []).filter((i) => i.methods.get(p.name)!.hasSelf);
  if (p.name === "into" && t.k !== "var") return resolveInto(cx, p, t);
  const cands = ifs.filter((i) => implementsShallow(cx, i, t));
  if (cands.length > 1) {
    cx.error("E0027", `method \`${p.name}\` is ambiguous for type \`${cx.show(t)}\`: it is provided by ${cands.map((i) => `\`${i.name}\``).join(" and ")}`, p.span, { hint: `call it as \`${cands[0]!.name}.${p.name}(value)\`` });
    fail();
    return;
  }
  if (cands.length === 1) {
    const iface = cands[0]!;
    const m = iface.methods.get(p.name)!;
    const sig = sigFor(cx, iface, m, t, null);
    apply(sig.params, sig.ret, p.name);
    if (t.k !== "var") cx.addPred({ k: "iface", iface: iface.qname, args: [], type: t, span: p.span, output: null, site: null, what: `method \`${p.name}\`` });
    p.site?.solved(p, { kind: "impl", iface: iface.qname, method: p.name, impl: implRefOf(cx, iface.qname, sig.how) } satisfies MethodRef);
    return;
  }
  if (t.k === "var") {
    cx.error("E0030", `no method \`${p.name}\` on type parameter \`${t.rigid}\``, p.span, { hint: `add a \`where ${t.rigid}: …\` bound naming an interface with \`${p.name}\`` });
    fail();
    return;
  }
  // 3. stdlib module of the receiver's type
  const key = typeKey(t);
  const mod = key ? COLLECTION_MODULES[key] : undefined;
  if (mod && libModuleHas(mod, p.name)) {
    const f = lookupLib(mod, p.name)!;
    const ft = prune(cx.instantiate(f.scheme!, p.span));
    if (ft.k === "fun" && ft.params.length >= 1) {
      cx.expect(p.span, t, ft.params[0]!, (fo, e) => `the receiver of \`${p.name}\` has type \`${fo}\`, expected \`${e}\``);
      apply(ft.params.slice(1), ft.ret, `${mod}.${p.name}`);
      p.site?.solved(p, { kind: "module", module: mod, name: p.name } satisfies MethodRef);
      return;
    }
  }
  cx.error("E0030", `no method \`${p.name}\` on type \`${cx.show(t)}\``, p.span);
  fail();
}

// `x.into()`: the target comes from the expected type; every `From<X> for T` gives `Into<T>`.
function resolveInto(cx: Ctx, p: Extract<Pred, { k: "method" }>, t: Type): void {
  const src = typeKey(t)!;
  const want = typeKey(p.result);
  const hits: { to: string; impl: ImplDecl | null }[] = [];
  for (const [k, list] of cx.impls) {
    if (!k.startsWith("From|")) continue;
    for (const i of list) if (typeKey(i.ifaceArgs[0]!) === src) hits.push({ to: i.key, impl: i });
  }
  for (const [f, to] of BUILTIN_FROM) if (f === src) hits.push({ to, impl: null });
  const chosen = want ? hits.filter((h) => h.to === want) : hits;
  if (p.args.length !== 0) cx.error("E0003", `method \`into\` takes 0 arguments but ${p.args.length} were given`, p.span);
  const r = prune(p.result);
  if (chosen.length > 1 && r.k === "var" && r.rigid === null) {
    // wait for the expected type: re-examined when the result variable is bound
    (r.preds ??= []).push(p);
    cx.attached.push(p);
    return;
  }
  if (chosen.length !== 1) {
    if (chosen.length === 0) cx.error("E0006", `there is no \`From<${cx.show(t)}>\` impl${want ? ` for \`${cx.show(p.result)}\`` : ""}, so \`into\` cannot convert this value`, p.span);
    else cx.error("E0045", "cannot infer the target type of `into()`; add an annotation", p.span);
    unify(p.result, { k: "err" });
    return;
  }
  const h = chosen[0]!;
  if (h.impl) {
    const s = instantiateImpl(cx, h.impl, freshVar(cx.level));
    unify(p.result, substitute(h.impl.target, s));
    unify(t, substitute(h.impl.ifaceArgs[0]!, s));
  } else unify(p.result, { k: "con", name: h.to, args: [] });
  cx.drain();
  const ref: ImplRef = h.impl ? h.impl.ref : { iface: "From", ifaceArgs: [src], type: h.to, module: "", derived: false };
  p.site?.solved(p, { kind: "impl", iface: "Into", method: "into", impl: ref } satisfies MethodRef);
}
