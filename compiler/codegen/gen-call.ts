// Call lowering (language.md §4.3–§4.6): calls by Ref kind (local, global, builtin, variant,
// static impl method, interface method, service helper), method calls by MethodRef, pipes,
// keyword arguments, and the generator protocol (`yield*` for suspending callees,
// `$isGen(f) ? yield* f(…) : f(…)` for unknown function values, `$g` library variants).
import type * as S from "../ast/syntax.js";
import type { ImplRef, MethodRef, Ref } from "../check/annotations.js";
import { arr, bin, call, cond, id, isSimple, mem, newE, num, str, un, yieldE, type JsExpr, type JsStmt } from "./js-ast.js";
import { findImpl, libModule, STDLIB_MODULES, type ImplIndex } from "./context.js";
import { fieldName } from "./names.js";
import { libFacts } from "../stdlib/facts.js";
import { variantRef } from "./gen-pattern.js";
import { genExpr, isUpperName, refOf, refValue, seqParts, spill } from "./gen-expr.js";
import { genServiceHelperCall } from "./gen-concurrency.js";
import { hiddenArg } from "./lib-calls.js";
import type { FnCtx } from "./state.js";

// ---------------------------------------------------------------- impl functions

function implIndexFor(ctx: FnCtx, impl: ImplRef | null, method: string): ImplIndex | undefined {
  if (!impl || impl.derived || impl.module === null || impl.module === "") return undefined;
  const px = ctx.m.px;
  return (
    px.impls.find((i) => i.module === impl.module && i.typeKey === impl.type && i.iface === impl.iface && i.ifaceArgs.join(",") === impl.ifaceArgs.join(",") && i.methods.has(method)) ??
    findImpl(px, impl.type, impl.iface, method, impl.ifaceArgs)
  );
}

// Reference to a hand-written impl method, or null when dispatch must happen at run time.
export function implFnRef(ctx: FnCtx, impl: ImplRef | null, method: string): JsExpr | null {
  const ii = implIndexFor(ctx, impl, method);
  if (!ii) return null;
  return ctx.m.ref(ii.module, `fn:${ii.methods.get(method)!}`);
}

export function implFnGen(ctx: FnCtx, impl: ImplRef | null, method: string): boolean {
  return ctx.m.susp.implGen(impl, method);
}

// Interface method dispatched on the receiver at run time (built-in, derived or unknown impl).
export function ifaceDispatch(ctx: FnCtx, iface: string, method: string, recv: JsExpr, args: JsExpr[]): JsExpr {
  switch (method) {
    case "to_string":
      return call(ctx.rt("toString"), [recv]);
    case "inspect":
      return call(ctx.rt("inspect"), [recv]);
    case "eq":
      return call(ctx.rt("eq"), [recv, ...args]);
    case "lt":
      return call(ctx.rt("lt"), [recv, ...args]);
    case "compare":
      return call(ctx.rt("compare"), [recv, ...args]);
    case "hash":
      return call(ctx.rt("hash"), [recv]);
    default:
      return call(ctx.rt("callIface"), [str(iface), str(method), recv, arr(args)]);
  }
}

function typeMetaRef(ctx: FnCtx, typeKey: string): JsExpr | null {
  const dot = typeKey.lastIndexOf(".");
  if (dot < 0) return null;
  const mod = typeKey.slice(0, dot);
  if (!ctx.m.px.mods.has(mod)) return null;
  return ctx.m.ref(mod, `meta:${typeKey.slice(dot + 1)}`);
}

function staticCall(ctx: FnCtx, ref: Extract<Ref, { kind: "static" }>, args: JsExpr[]): JsExpr {
  if (ref.value !== undefined) return schemaConst(ctx, ref.value);
  const impl = ref.impl;
  const direct = implFnRef(ctx, impl, ref.method);
  if (direct) return callKnown(ctx, direct, args, implFnGen(ctx, impl, ref.method));
  if (impl.module === "") {
    if (ref.method === "from") {
      if (impl.type === "String") return call(ctx.rt("text"), args);
      return args[0] ?? num(0); // From<Int> for Float: same JS number
    }
    if (ref.method === "default") {
      if (impl.type === "String") return str("");
      if (impl.type === "Bool") return { k: "bool", value: false };
      if (impl.type === "Int" || impl.type === "Float") return num(0);
    }
  }
  // resolver-made refs name the type but not the interface: find a hand-written impl by method
  if (impl.iface === "" || impl.module === null) {
    const found = findImpl(ctx.m.px, impl.type, null, ref.method);
    if (found) {
      const gen = ctx.m.susp.isGen(found.decl.methods.find((f) => f.name === ref.method) ?? {});
      return callKnown(ctx, ctx.m.ref(found.module, `fn:${found.methods.get(ref.method)!}`), args, gen);
    }
  }
  if (ref.method === "default" && impl.type === "") return call(ctx.m.lib(null, "default"), args);
  const meta = typeMetaRef(ctx, impl.type);
  return call(ctx.rt("callStatic"), [meta ?? str(impl.type), str(ref.method), arr(args)]);
}

// `default()`: the zero value of the type the checker inferred for the call (stdlib.md §1).
function defaultValue(ctx: FnCtx, e: S.Expr): JsExpr {
  const t = ctx.m.typeOf(e);
  if (t?.kind === "con") {
    switch (t.name) {
      case "Int":
      case "Float":
        return num(0);
      case "String":
        return str("");
      case "Bool":
        return { k: "bool", value: false };
      default: {
        const found = findImpl(ctx.m.px, t.name, "Default", "default");
        if (found) return callKnown(ctx, ctx.m.ref(found.module, `fn:${found.methods.get("default")!}`), [], false);
      }
    }
  }
  return call(ctx.m.lib(null, "default"), [num(0)]);
}

// deriving(Schema) results are constants the checker computed (orm.md §2.2).
function schemaConst(ctx: FnCtx, v: string | readonly string[]): JsExpr {
  return typeof v === "string" ? str(v) : call(ctx.rt("list"), [arr(v.map(str))]);
}

export function staticValue(ctx: FnCtx, ref: Extract<Ref, { kind: "static" }>): JsExpr {
  if (ref.value !== undefined) {
    return { k: "fn", name: null, params: [], body: [{ k: "return", e: schemaConst(ctx, ref.value) }], gen: false, arrow: true };
  }
  const direct = implFnRef(ctx, ref.impl, ref.method);
  if (direct) return direct;
  const ps = ["...args"];
  const body = staticCall(ctx, ref, [{ k: "id", name: "...args" }]);
  return { k: "fn", name: null, params: ps, body: [{ k: "return", e: body }], gen: false, arrow: true };
}

// ---------------------------------------------------------------- calling conventions

export function callKnown(ctx: FnCtx, f: JsExpr, args: JsExpr[], gen: boolean, recursive = false): JsExpr {
  const c = call(f, args);
  if (!gen) return c;
  if (!ctx.gen) return call(ctx.rt("runSync"), [c]);
  if (!recursive) return yieldE(c, true);
  // recursion between generators: past ~1000 nested `yield*` continue on the scheduler's frame stack
  const depth = bin("<", un("++", mem(ctx.rt("callDepth"), "n")), num(1000));
  return cond(depth, call(ctx.rt("leave"), [yieldE(c, true)]), yieldE(call(ctx.rt("deep"), [f, arr(args)]), true));
}

export function callUnknown(ctx: FnCtx, f: JsExpr, args: JsExpr[], out: JsStmt[]): JsExpr {
  if (!ctx.gen) return ctx.inConst ? call(ctx.rt("callSync"), [f, arr(args)]) : call(f, args);
  const fs = spill(ctx, f, out, "$f");
  const as = args.map((a) => (isSimple(a) ? a : spill(ctx, a, out, "$a")));
  return cond(call(ctx.rt("isGen"), [fs]), yieldE(call(fs, as), true), call(fs, as));
}

function kwMap(ctx: FnCtx, kw: readonly S.KwArg[], vals: JsExpr[]): JsExpr {
  return call(ctx.rt("mapOf"), [arr(kw.map((k, i) => arr([str(k.name), vals[i]!])))]);
}

// Evaluates [first..., args..., kwargs...] left to right; returns [firstVals, argVals].
function evalArgs(ctx: FnCtx, first: readonly S.Expr[], e: { args: readonly S.Expr[]; kwargs: readonly S.KwArg[] }, piped: S.Expr | null, out: JsStmt[]): { pre: JsExpr[]; args: JsExpr[] } {
  const order: S.Expr[] = [...(piped ? [piped] : []), ...first, ...e.args, ...e.kwargs.map((k) => k.value)];
  const parts = order.map((x) => {
    const b: JsStmt[] = [];
    return { b, v: genExpr(ctx, x, b) };
  });
  const vals = seqParts(ctx, parts, out);
  let i = 0;
  const pipedV = piped ? [vals[i++]!] : [];
  const pre = first.map(() => vals[i++]!);
  const plain = e.args.map(() => vals[i++]!);
  const kw = e.kwargs.map(() => vals[i++]!);
  const args = [...pipedV, ...plain];
  if (e.kwargs.length > 0) args.push(kwMap(ctx, e.kwargs, kw));
  return { pre, args };
}

// Does any callback argument of a library HOF call possibly suspend?
function hofNeedsGen(ctx: FnCtx, module: string | null, name: string, argExprs: readonly S.Expr[]): boolean {
  return ctx.m.susp.callbacksMayBeGen(module, name, argExprs, ctx.m.mod, ctx.scope);
}

// A library call, with the hidden argument the runtime needs (signatures.ts `hidden`).
function libCall(ctx: FnCtx, module: string | null, name: string, args: JsExpr[], argExprs: readonly S.Expr[], callNode: S.Expr | null): JsExpr {
  const extra = callNode ? hiddenArg(ctx, module, name, callNode, argExprs[0] ?? null) : null;
  const all = extra ? [...args, extra] : args;
  const f = libFacts(module, name);
  // pulls of a lazy iterator always take the `$g` form (a stage may suspend); callback-taking
  // functions only when a callback may suspend (the plain form is faster)
  if (ctx.gen && f?.genVariant === true && (f.pulls || hofNeedsGen(ctx, module, name, argExprs))) {
    return yieldE(call(ctx.m.lib(module, name + "$g"), all), true);
  }
  return callKnown(ctx, ctx.m.lib(module, name), all, f?.suspends === true);
}

function callRef(ctx: FnCtx, ref: Ref, name: string, args: JsExpr[], argExprs: readonly S.Expr[], out: JsStmt[], callNode: S.Expr | null = null): JsExpr {
  switch (ref.kind) {
    case "local": {
      const b = ctx.scope.lookup(ref.name);
      const f = id(b?.js ?? ref.name);
      if (b?.fn) return callKnown(ctx, f, args, b.fn.gen);
      return callUnknown(ctx, f, args, out);
    }
    case "global": {
      const m = ctx.m.px.mods.get(ref.module);
      if (m?.consts.has(ref.name)) return callUnknown(ctx, ctx.m.ref(ref.module, `const:${ref.name}`), args, out);
      const gen = ctx.m.susp.globalGen(ref.module, ref.name);
      const rec = gen && ctx.gen && ctx.m.susp.recursive(ctx.topKey, `${ref.module}:${ref.name}`);
      return callKnown(ctx, ctx.m.ref(ref.module, `fn:${ref.name}`), args, gen, rec);
    }
    case "builtin":
      if (ref.module === null && ref.name === "panic") return call(ctx.rt("panic"), args);
      return libCall(ctx, ref.module, ref.name, args, argExprs, callNode);
    case "variant": {
      const r = variantRef(ctx, { module: ref.module, type: ref.type, typeDef: null, name: ref.variant, tag: ref.tag, arity: ref.arity });
      return ref.arity === 0 ? r : newE(r, args);
    }
    case "static":
      return staticCall(ctx, ref, args);
    case "ifaceMethod": {
      const f = implFnRef(ctx, ref.impl, ref.method);
      if (f) return callKnown(ctx, f, args, implFnGen(ctx, ref.impl, ref.method));
      return ifaceDispatch(ctx, ref.iface, ref.method, args[0] ?? { k: "undef" }, args.slice(1));
    }
    case "service":
      return genServiceHelperCall(ctx, ref, args);
    case "actor":
      return callKnown(ctx, ctx.m.ref(ref.module, `actor:${ref.name}`), args, true);
    case "supervisor":
      return call(ctx.rt("spawnSupervisor"), [ctx.m.ref(ref.module, `sup:${ref.name}`)]);
    case "namespace":
      return call(ctx.m.lib(null, name), args);
  }
}

function methodCall(ctx: FnCtx, mref: MethodRef | undefined, member: Extract<S.Expr, { kind: "Member" }>, e: S.ExprOf<"Call">, piped: S.Expr | null, out: JsStmt[]): JsExpr {
  const { pre, args } = evalArgs(ctx, [member.target], e, piped, out);
  const recv = pre[0]!;
  const name = member.name;
  // `self.m()` in a default method emitted for a known impl: call that impl's method directly
  const si = ctx.selfImpl;
  if (si && member.target.kind === "Name" && member.target.name === "self" && si.methods.has(name) && (!mref || (mref.kind === "impl" && mref.impl === null && mref.iface === si.iface))) {
    const own = si.decl.methods.find((f) => f.name === name);
    const dflt = si.defaults.find((d) => d.name === name)?.body;
    const gen = own ? ctx.m.susp.isGen(own) : dflt ? ctx.m.susp.isGen(dflt) : false;
    return callKnown(ctx, ctx.m.ref(si.module, `fn:${si.methods.get(name)!}`), [recv, ...args], gen);
  }
  if (!mref) {
    // no checker information: dispatch on the receiver at run time
    return call(ctx.rt("callMethod"), [recv, str(name), arr(args)]);
  }
  switch (mref.kind) {
    case "field":
      return callUnknown(ctx, mem(recv, fieldName(name)), args, out);
    case "impl": {
      // `x.into()` is the `from` of the matching From impl (§3.10: Into comes with every From)
      const method = mref.method === "into" && mref.impl?.iface === "From" ? "from" : mref.method;
      const f = implFnRef(ctx, mref.impl, method);
      if (f) return callKnown(ctx, f, [recv, ...args], implFnGen(ctx, mref.impl, method));
      return ifaceDispatch(ctx, mref.iface, mref.method, recv, args);
    }
    case "module":
      return libCall(ctx, libModule(mref.module), mref.name, [recv, ...args], [member.target, ...(piped ? [piped] : []), ...e.args], e);
  }
}

// `callee(args)`, or with `piped` the rewritten `lhs |> callee(args)` (lhs becomes the first argument).
export function genCall(ctx: FnCtx, e: S.ExprOf<"Call">, piped: S.Expr | null, out: JsStmt[]): JsExpr {
  const callee = e.callee;
  const ann = ctx.m.check.annotations;
  const argExprs = piped ? [piped, ...e.args] : e.args;
  if (callee.kind === "Name") {
    const b = ctx.scope.lookup(callee.name);
    if (b) {
      const { args } = evalArgs(ctx, [], e, piped, out);
      if (b.fn) return callKnown(ctx, id(b.js), args, b.fn.gen, ctx.tail !== null && ctx.tail.isSelf(callee));
      return callUnknown(ctx, id(b.js), args, out);
    }
    const ref = refOf(ctx, callee);
    if (ref?.kind === "builtin" && ref.module === null && ref.name === "default" && e.args.length === 0) return defaultValue(ctx, e);
    const { args } = evalArgs(ctx, [], e, piped, out);
    return callRef(ctx, ref ?? { kind: "builtin", module: null, name: callee.name }, callee.name, args, argExprs, out, e);
  }
  if (callee.kind === "Member") {
    const mref = ann.methods.get(e);
    // a qualified name the checker resolved (`Mod.f`, `Mod.Service.call`, `Ns.Mod.Type.new`)
    const ref = mref ? undefined : refOf(ctx, callee);
    if (ref) {
      const { args } = evalArgs(ctx, [], e, piped, out);
      return callRef(ctx, ref, callee.name, args, argExprs, out, e);
    }
    const qualified = callee.target.kind === "Name" && isUpperName(callee.target, ctx) && !mref;
    if (qualified) {
      const head = (callee.target as { name: string }).name;
      if (STDLIB_MODULES.has(head)) {
        const { args } = evalArgs(ctx, [], e, piped, out);
        return callRef(ctx, { kind: "builtin", module: libModule(head), name: callee.name }, callee.name, args, argExprs, out, e);
      }
    }
    return methodCall(ctx, mref, callee, e, piped, out);
  }
  // computed callee: `make()(1)`, `(fn x -> x end)(2)`
  const { pre, args } = evalArgs(ctx, [callee], e, piped, out);
  if (callee.kind === "Closure") return callKnown(ctx, pre[0]!, args, ctx.m.susp.closureGen(callee, ctx.m.mod, ctx.scope));
  return callUnknown(ctx, pre[0]!, args, out);
}

// `lhs |> rhs` (§4.6)
export function genPipe(ctx: FnCtx, e: S.ExprOf<"Pipe">, out: JsStmt[]): JsExpr {
  const r = e.right;
  if (r.kind === "Call") return genCall(ctx, r, e.left, out);
  const synthetic: S.ExprOf<"Call"> = { kind: "Call", span: e.span, callee: r, args: [], kwargs: [] };
  if (r.kind === "Name" || r.kind === "Member") {
    // copy annotations keyed on the rhs so the synthetic call resolves like a written one
    return genCall(ctx, synthetic, e.left, out);
  }
  return genCall(ctx, synthetic, e.left, out);
}

export { refValue };
