// Expression inference (§4): literals, names, operators (interface constraints, §4.5/§6.6),
// interpolation (E0046), collections, structs (E0009), `?` (§4.15), index, ascription, loops,
// `return`/`break`/`continue` (Never), and dispatch to calls, control flow and concurrency.
import type * as S from "../ast/syntax.js";
import type { OpRef } from "./annotations.js";
import type { Ctx } from "./context.js";
import { substitute } from "./context.js";
import { inferSpawn, inferReceive, inferSelf, inferSend, inferLink } from "./concurrency.js";
import { inferCall, inferMember, inferName, inferPipe } from "./infer-call.js";
import { checkClosure, inferBlock, inferCase, inferFor, inferIf } from "./infer-control.js";
import { implRefOf, userImpls, type How } from "./interfaces.js";
import { lookupTypeDecl, resolveType, EMPTY_TYENV } from "./resolve.js";
import {
  con, freshVar, prune, tBool, tErr, tFloat, tInt, tList, tMap, tNever, tRange, tString, tUnit, tAtom, typeKey,
  type Pred, type PredSite, type TVar, type Type,
} from "./types.js";
import { unify, woken } from "./unify.js";
import { leftSpine } from "./walk.js";

export function inferExpr(cx: Ctx, e: S.Expr, discard = false): Type {
  if (e.kind === "Binary" || e.kind === "Pipe") {
    // A link of a chain being inferred (the innermost one too, whose left operand is not a
    // link) was inferred ahead: taken here, never inferred a second time.
    if (ahead.size > 0) {
      const t = ahead.get(e);
      if (t !== undefined) {
        ahead.delete(e);
        return t;
      }
    }
    if (e.left.kind === "Binary" || e.left.kind === "Pipe") return inferChain(cx, e, discard);
  }
  return inferOne(cx, e, discard);
}

function inferOne(cx: Ctx, e: S.Expr, discard: boolean): Type {
  const t = inferInner(cx, e, discard);
  cx.exprTypes.set(e, t);
  if (woken.length > 0) cx.drain();
  return t;
}

// Types of operator-chain links inferred ahead of their parent, each taken once by the parent.
const ahead = new Map<S.Expr, Type>();

// A left-deep operator chain (`a <> b <> ... <> z`, `x |> f |> g`) is inferred link by link from
// the innermost, in a loop: each link finds its left operand's type in `ahead` instead of
// recursing into it, so the stack never grows with the length of the chain.
function inferChain(cx: Ctx, e: S.ExprOf<"Binary"> | S.ExprOf<"Pipe">, discard: boolean): Type {
  const links = leftSpine(e);
  try {
    for (let i = 0; i < links.length - 1; i++) ahead.set(links[i]!, inferOne(cx, links[i]!, false));
    return inferOne(cx, e, discard);
  } finally {
    for (const l of links) ahead.delete(l); // links a parent never asked for (error paths)
  }
}

// Check `e` against an expected type (closures receive their parameter types first, §6.5).
export function checkExpr(cx: Ctx, e: S.Expr, expected: Type, msg: (found: string, expected: string) => string, code = "E0001"): Type {
  let t: Type;
  if (e.kind === "Closure") {
    t = checkClosure(cx, e, expected);
    cx.exprTypes.set(e, t);
  } else t = inferExpr(cx, e);
  cx.expect(e.span, t, expected, msg, code);
  return t;
}

function inferInner(cx: Ctx, e: S.Expr, discard: boolean): Type {
  switch (e.kind) {
    case "Int":
      return tInt;
    case "Float":
      return tFloat;
    case "Bool":
      return tBool;
    case "Atom":
      return tAtom;
    case "Unit":
      return tUnit;
    case "String":
      for (const p of e.parts) {
        if (typeof p === "string") continue;
        const t = prune(inferExpr(cx, p));
        if (t.k === "con" && PRIM_TEXT.has(t.name) && t.args.length === 0) continue;
        cx.addPred({ k: "text", type: t, span: p.span, site: null });
      }
      return tString;
    case "Name":
      return inferName(cx, e);
    case "Member":
      return inferMember(cx, e);
    case "Call":
      return inferCall(cx, e, null);
    case "Pipe":
      return inferPipe(cx, e);
    case "Index":
      return inferIndex(cx, e);
    case "Try":
      return inferTry(cx, e);
    case "Unary":
      return inferUnary(cx, e);
    case "Binary":
      return inferBinary(cx, e);
    case "Tuple":
      return { k: "tuple", elems: e.elems.map((x) => inferExpr(cx, x)) };
    case "List": {
      const el = freshVar(cx.level);
      e.elems.forEach((x, i) => checkExpr(cx, x, el, (f, w) => `list element ${i + 1} has type \`${f}\`, but earlier elements have type \`${w}\``));
      return tList(el);
    }
    case "MapLit": {
      const k = freshVar(cx.level);
      const v = freshVar(cx.level);
      for (const en of e.entries) {
        checkExpr(cx, en.key, k, (f, w) => `this map key has type \`${f}\`, but earlier keys have type \`${w}\``);
        checkExpr(cx, en.value, v, (f, w) => `this map value has type \`${f}\`, but earlier values have type \`${w}\``);
      }
      return tMap(k, v);
    }
    case "StructLit":
      return inferStructLit(cx, e);
    case "StructUpdate":
      return inferStructUpdate(cx, e);
    case "If":
      return inferIf(cx, e, discard);
    case "Case":
      return inferCase(cx, e, discard);
    case "Closure":
      return checkClosure(cx, e, null);
    case "For":
      return inferFor(cx, e);
    case "While": {
      checkExpr(cx, e.cond, tBool, (f) => `the condition of \`while\` has type \`${f}\`, expected \`Bool\``);
      if (cx.fn) cx.fn.loopDepth++;
      inferBlock(cx, e.body, true);
      if (cx.fn) cx.fn.loopDepth--;
      return tUnit;
    }
    case "Break":
    case "Continue":
      if (!cx.fn || cx.fn.loopDepth === 0) {
        const kw = e.kind === "Break" ? "break" : "continue";
        cx.error(e.kind === "Break" ? "E0032" : "E0033", `\`${kw}\` outside of a loop`, e.span);
      }
      return tNever;
    case "Return":
      return inferReturn(cx, e);
    case "BlockExpr":
      return inferBlock(cx, e.block, discard);
    case "Ascribe": {
      const t = resolveType(cx, cx.mod, e.type, currentTyEnv(cx));
      checkExpr(cx, e.expr, t, (f, w) => `this expression has type \`${f}\`, but it is ascribed \`${w}\``);
      return t;
    }
    case "Spawn":
      return inferSpawn(cx, e);
    case "Send":
      return inferSend(cx, e);
    case "Link":
      return inferLink(cx, e);
    case "SelfPid":
      return inferSelf(cx, e);
    case "Receive":
      return inferReceive(cx, e, discard);
  }
}

// Type environment for annotations inside the current function (its explicit generics).
export function currentTyEnv(cx: Ctx) {
  return cx.tyEnv ?? EMPTY_TYENV;
}

function inferReturn(cx: Ctx, e: Extract<S.Expr, { kind: "Return" }>): Type {
  if (!cx.fn || cx.fn.kind === "const") {
    cx.error("E0050", "`return` is not allowed in a module constant", e.span);
    if (e.value) inferExpr(cx, e.value);
    return tNever;
  }
  const ret = cx.fn.ret;
  if (e.value) checkExpr(cx, e.value, ret, (f, w) => `\`return\` value has type \`${f}\`, but the function returns \`${w}\``);
  else cx.expect(e.span, tUnit, ret, (f, w) => `\`return\` without a value returns \`${f}\`, but the function returns \`${w}\``);
  return tNever;
}

// ---------------------------------------------------------------- operators

function opSite(cx: Ctx, e: S.Expr, iface: string): PredSite {
  return {
    solved: (_p: Pred, how: unknown) => {
      const h = how as How;
      let r: OpRef;
      if (h.kind === "impl") r = { kind: "impl", impl: h.impl.ref, method: METHOD_OF[iface] ?? iface.toLowerCase() };
      else if (h.kind === "dynamic") r = { kind: "dynamic" };
      else r = opForKey(h.kind === "builtinFrom" ? h.to : h.key);
      cx.ops.set(e, r);
    },
    generic: () => {
      cx.ops.set(e, { kind: "dynamic" });
    },
  };
}

const METHOD_OF: Record<string, string> = { Add: "add", Sub: "sub", Mul: "mul", Div: "div", Mod: "mod", Neg: "neg", Eq: "eq", Ord: "lt" };

const OP_INT: OpRef = { kind: "int" };
const OP_FLOAT: OpRef = { kind: "float" };
const OP_PRIM: OpRef = { kind: "prim" };

function opForKey(key: string): OpRef {
  switch (key) {
    case "Int":
      return { kind: "int" };
    case "Float":
      return { kind: "float" };
    case "String":
    case "Bool":
    case "Atom":
    case "Unit":
      return { kind: "prim" };
    default:
      return { kind: "structural" };
  }
}

const PRIM_TEXT = new Set(["Int", "Float", "String", "Bool", "Atom"]);

const ARITH_IFACE: Record<string, string> = { "+": "Add", "-": "Sub", "*": "Mul", "/": "Div", "%": "Mod" };

function inferBinary(cx: Ctx, e: Extract<S.Expr, { kind: "Binary" }>): Type {
  const op = e.op;
  if (op === "and" || op === "or") {
    checkExpr(cx, e.left, tBool, (f) => `the left operand of \`${op}\` has type \`${f}\`, expected \`Bool\``);
    checkExpr(cx, e.right, tBool, (f) => `the right operand of \`${op}\` has type \`${f}\`, expected \`Bool\``);
    cx.ops.set(e, { kind: "prim" });
    return tBool;
  }
  if (op === "..") {
    checkExpr(cx, e.left, tInt, (f) => `the start of a range has type \`${f}\`, expected \`Int\``);
    checkExpr(cx, e.right, tInt, (f) => `the end of a range has type \`${f}\`, expected \`Int\``);
    cx.ops.set(e, { kind: "int" });
    return tRange;
  }
  const lt = inferExpr(cx, e.left);
  // null-pid comparison `pid == 0` (concurrency.md §1.3)
  if ((op === "==" || op === "!=") && isPid(lt) && e.right.kind === "Int" && e.right.value === 0) {
    cx.exprTypes.set(e.right, tInt);
    cx.ops.set(e, { kind: "structural" });
    return tBool;
  }
  const rt = inferExpr(cx, e.right);
  if ((op === "==" || op === "!=") && isPid(rt) && e.left.kind === "Int" && e.left.value === 0) {
    cx.ops.set(e, { kind: "structural" });
    return tBool;
  }
  // an operand that already failed: the result is unknown too (no cascading errors)
  if (prune(lt).k === "err" || prune(rt).k === "err") return op === "<>" || ARITH_IFACE[op] ? tErr : tBool;
  const ok = cx.expect(e.right.span, rt, lt, (f, w) => `the right operand of \`${op}\` has type \`${f}\`, but the left operand has type \`${w}\``);
  if (op === "<>") {
    cx.ops.set(e, { kind: "dynamic" });
    if (ok) cx.addPred({ k: "concat", type: lt, span: e.span, site: { solved: (_p, how) => cx.ops.set(e, (how as { key: string }).key === "String" ? { kind: "prim" } : { kind: "structural" }) } });
    return lt;
  }
  const iface = ARITH_IFACE[op] ?? (op === "==" || op === "!=" ? "Eq" : "Ord");
  // fast path: primitive operands need no constraint
  const pl = prune(lt);
  if (ok && pl.k === "con" && pl.args.length === 0) {
    const n = pl.name;
    if (n === "Int" || n === "Float") {
      cx.ops.set(e, n === "Int" ? OP_INT : OP_FLOAT);
      return iface === "Eq" || iface === "Ord" ? tBool : pl;
    }
    if ((n === "String" || n === "Bool") && (iface === "Eq" || iface === "Ord")) {
      cx.ops.set(e, OP_PRIM);
      return tBool;
    }
  }
  cx.ops.set(e, { kind: "dynamic" });
  if (iface === "Eq" || iface === "Ord") {
    if (ok) cx.addPred({ k: "iface", iface, args: [], type: lt, span: e.span, output: null, site: opSite(cx, e, iface), what: `\`${op}\`` });
    return tBool;
  }
  const out = freshVar(cx.level);
  if (ok) cx.addPred({ k: "iface", iface, args: [], type: lt, span: e.span, output: out, site: opSite(cx, e, iface), what: `\`${op}\`` });
  else unify(out, tErr);
  cx.drain();
  return out;
}

function isPid(t: Type): boolean {
  t = prune(t);
  return t.k === "con" && t.name === "Pid";
}

function inferUnary(cx: Ctx, e: Extract<S.Expr, { kind: "Unary" }>): Type {
  if (e.op === "not") {
    checkExpr(cx, e.operand, tBool, (f) => `the operand of \`not\` has type \`${f}\`, expected \`Bool\``);
    cx.ops.set(e, { kind: "prim" });
    return tBool;
  }
  const t = inferExpr(cx, e.operand);
  const out = freshVar(cx.level);
  cx.ops.set(e, { kind: "dynamic" });
  cx.addPred({ k: "iface", iface: "Neg", args: [], type: t, span: e.span, output: out, site: opSite(cx, e, "Neg"), what: "prefix `-`" });
  cx.drain();
  return out;
}

// ---------------------------------------------------------------- index, try

function inferIndex(cx: Ctx, e: Extract<S.Expr, { kind: "Index" }>): Type {
  const tt = prune(inferExpr(cx, e.target));
  const it = inferExpr(cx, e.index);
  const res = freshVar(cx.level);
  if (tt.k === "con" && tt.name === "Map") {
    cx.expect(e.index.span, it, tt.args[0]!, (f, w) => `map key has type \`${f}\`, expected \`${w}\``);
    unify(res, tt.args[1]!);
    return res;
  }
  if (tt.k === "var" && prune(it).k === "con" && typeKey(it) !== "Int") {
    unify(tt, tMap(it, res));
    return res;
  }
  if (tt.k === "err" || tt.k === "never") return tErr;
  cx.expect(e.target.span, tt, tList(res), (f) => `only lists and maps can be indexed, found \`${f}\``);
  cx.expect(e.index.span, it, tInt, (f) => `list index has type \`${f}\`, expected \`Int\``);
  return res;
}

function inferTry(cx: Ctx, e: Extract<S.Expr, { kind: "Try" }>): Type {
  const t = prune(inferExpr(cx, e.expr));
  const fn = cx.fn;
  const ret = fn ? prune(fn.ret) : tErr;
  if (t.k === "err" || t.k === "never") return tErr;
  if (!fn || fn.kind === "const") {
    cx.error("E0036", "`?` can only be used inside a function returning a Result or an Option", e.span);
    return tErr;
  }
  let sub: Type = t;
  if (t.k === "var") {
    // the operand's type is not known yet: follow the function's result type
    sub = ret.k === "con" && ret.name === "Option" ? con("Option", [freshVar(cx.level)]) : con("Result", [freshVar(cx.level), freshVar(cx.level)]);
    unify(t, sub);
    cx.drain();
  }
  if (sub.k !== "con" || (sub.name !== "Result" && sub.name !== "Option")) {
    cx.error("E0037", `\`?\` needs a Result or an Option, but this value has type \`${cx.show(t)}\``, e.span);
    return tErr;
  }
  if (sub.name === "Option") {
    if (ret.k === "var" && !ret.rigid) unify(ret, con("Option", [freshVar(cx.level)]));
    const r = prune(ret);
    if (r.k === "con" && r.name === "Option") cx.tries.set(e, { kind: "option", convert: null });
    else if (r.k !== "err") cx.error("E0036", `\`?\` on an Option needs the enclosing function to return an Option, but it returns \`${cx.show(r)}\``, e.span);
    return sub.args[0]!;
  }
  const errT = sub.args[1]!;
  if (ret.k === "var" && !ret.rigid) unify(ret, con("Result", [freshVar(cx.level), errT]));
  const r = prune(ret);
  if (!(r.k === "con" && r.name === "Result")) {
    if (r.k !== "err") cx.error("E0036", `\`?\` on a Result needs the enclosing function to return a Result, but it returns \`${cx.show(r)}\``, e.span);
    return sub.args[0]!;
  }
  const fErr = prune(r.args[1]!);
  const eErr = prune(errT);
  const fk = typeKey(fErr);
  const ek = typeKey(eErr);
  if (fk === null || ek === null || fk === ek) {
    cx.expect(e.span, eErr, fErr, (f, w) => `\`?\` propagates an error of type \`${f}\`, but the function's error type is \`${w}\``, "E0036");
    cx.tries.set(e, { kind: "result", convert: null });
    return sub.args[0]!;
  }
  const impls = userImpls(cx, "From", fk).filter((i) => typeKey(i.ifaceArgs[0]!) === ek);
  if (impls.length > 0) {
    cx.tries.set(e, { kind: "result", convert: impls[0]!.ref });
    return sub.args[0]!;
  }
  const builtin: How | null = (ek === "Int" && (fk === "Float" || fk === "String")) || ((ek === "Float" || ek === "Bool") && fk === "String") ? { kind: "builtinFrom", from: ek, to: fk } : null;
  if (builtin) {
    cx.tries.set(e, { kind: "result", convert: implRefOf(cx, "From", builtin) });
    return sub.args[0]!;
  }
  cx.error("E0036", `\`?\` cannot convert the error type \`${cx.show(eErr)}\` into \`${cx.show(fErr)}\`: there is no \`impl From<${cx.show(eErr)}> for ${cx.show(fErr)}\``, e.span);
  return sub.args[0]!;
}

// ---------------------------------------------------------------- structs

function structDeclAt(cx: Ctx, path: readonly string[], span: S.Span) {
  const d = lookupTypeDecl(cx, cx.mod, path, span);
  if (!d) {
    cx.error("E0049", `unknown struct \`${path.join(".")}\``, span);
    return null;
  }
  if (d.kind !== "struct") {
    cx.error("E0009", `\`${path.join(".")}\` is not a struct`, span);
    return null;
  }
  return d;
}

function inferStructLit(cx: Ctx, e: Extract<S.Expr, { kind: "StructLit" }>): Type {
  const d = structDeclAt(cx, e.path, e.span);
  if (!d) {
    for (const f of e.fields) inferExpr(cx, f.value);
    return tErr;
  }
  const sub = new Map<TVar, Type>();
  const args = d.params.map((p) => {
    const v = freshVar(cx.level);
    sub.set(p, v);
    return v as Type;
  });
  const seen = new Set<string>();
  for (const f of e.fields) {
    const fd = d.fields.find((x) => x.name === f.name);
    if (!fd) {
      cx.error("E0009", `struct \`${d.name}\` has no field \`${f.name}\``, f.span);
      inferExpr(cx, f.value);
      continue;
    }
    if (seen.has(f.name)) cx.error("E0009", `field \`${f.name}\` is given more than once`, f.span);
    seen.add(f.name);
    checkExpr(cx, f.value, substitute(fd.type, sub), (x, w) => `field \`${f.name}\` of \`${d.name}\` has type \`${w}\`, but the value given has type \`${x}\``);
  }
  const missing = d.fields.filter((f) => !seen.has(f.name)).map((f) => `\`${f.name}\``);
  if (missing.length > 0) cx.error("E0009", `missing field${missing.length > 1 ? "s" : ""} ${missing.join(", ")} in \`${d.name}\` literal`, e.span);
  cx.structs.set(e, { type: d.qname, module: d.module!, fields: d.fields.map((f) => f.name) });
  return con(d.qname, args);
}

function inferStructUpdate(cx: Ctx, e: Extract<S.Expr, { kind: "StructUpdate" }>): Type {
  const bt = inferExpr(cx, e.base);
  for (const f of e.fields) {
    const vt = inferExpr(cx, f.value);
    cx.addPred({
      k: "field", type: bt, name: f.name, result: vt, span: f.span,
      site: { solved: (_p, d) => { const td = d as { qname: string; module: string; fields: { name: string }[] }; cx.structs.set(e, { type: td.qname, module: td.module, fields: td.fields.map((x) => x.name) }); } },
    });
  }
  return bt;
}
