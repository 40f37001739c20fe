// Expression lowering (language.md §4): literals, names, member access, operators, collections,
// structs and interpolation. Control-flow forms live in gen-control.ts, calls in gen-call.ts.
// `genExpr` returns a JS expression and may push statements (temporaries, hoisted control flow)
// to `out`; evaluation order is kept strictly left to right (§4.19).
import type * as S from "../ast/syntax.js";
import { leftSpine } from "../check/walk.js";
import type { OpRef, Ref, RType } from "../check/annotations.js";
import {
  arr, assign, bin, bool, call, cond, constS, exprS, id, ifS, isSimple, letS, mem, newE, not, num, str, un, undef,
  type JsExpr, type JsStmt,
} from "./js-ast.js";
import { findStruct, resolveGlobalName, resolveQualified } from "./context.js";
import { libFacts } from "../stdlib/facts.js";
import { fieldName } from "./names.js";
import { variantRef } from "./gen-pattern.js";
import { callKnown, genCall, genPipe, implFnGen, implFnRef, staticValue } from "./gen-call.js";
import { genClosure } from "./gen-decl.js";
import { genConcurrencyExpr } from "./gen-concurrency.js";
import { genControlExpr, isControl } from "./gen-control.js";
import type { FnCtx } from "./state.js";

export function isUpperName(e: S.Expr, ctx: FnCtx): e is Extract<S.Expr, { kind: "Name" }> {
  return e.kind === "Name" && /^\p{Lu}/u.test(e.name) && !ctx.scope.lookup(e.name);
}

// Spill a value to a `const` when it must not be evaluated twice or out of order.
export function spill(ctx: FnCtx, v: JsExpr, out: JsStmt[], base = "$t"): JsExpr {
  if (isSimple(v)) return v;
  const t = ctx.temp(base);
  out.push(constS(t, v));
  return id(t);
}

// Evaluates expressions left to right; earlier values are spilled when a later one needs statements.
export function genSeq(ctx: FnCtx, es: readonly S.Expr[], out: JsStmt[]): JsExpr[] {
  const parts = es.map((e) => {
    const b: JsStmt[] = [];
    return { b, v: genExpr(ctx, e, b) };
  });
  return seqParts(ctx, parts, out);
}

export function seqParts(ctx: FnCtx, parts: { b: JsStmt[]; v: JsExpr }[], out: JsStmt[]): JsExpr[] {
  let last = -1;
  parts.forEach((p, i) => {
    if (p.b.length > 0) last = i;
  });
  return parts.map((p, i) => {
    out.push(...p.b);
    return i < last ? spill(ctx, p.v, out) : p.v;
  });
}

export function genExpr(ctx: FnCtx, e: S.Expr, out: JsStmt[]): JsExpr {
  if ((e.kind === "Binary" || e.kind === "Pipe") && (e.left.kind === "Binary" || e.left.kind === "Pipe")) return genChain(ctx, e, out);
  return genOne(ctx, e, out);
}

// Values of operator-chain links generated ahead of their parent, each taken once by the parent.
const ahead = new Map<S.Expr, JsExpr>();
// A long chain's value is stored in a temporary every CHAIN_SPILL links, so the generated
// JavaScript is never nested deeper than that (V8's parser and our printer recurse on nesting).
const CHAIN_SPILL = 64;

// A left-deep operator chain (`a <> b <> ... <> z`, `x |> f |> g`) generated link by link from the
// innermost, in a loop: each link finds its left operand's value in `ahead` instead of recursing
// into it. The left operand is evaluated before the right one anyway, so storing it early in a
// `const` never reorders effects.
function genChain(ctx: FnCtx, e: S.ExprOf<"Binary"> | S.ExprOf<"Pipe">, out: JsStmt[]): JsExpr {
  const v = ahead.get(e);
  if (v !== undefined) {
    ahead.delete(e);
    return v;
  }
  const links = leftSpine(e);
  try {
    for (let i = 0; i < links.length - 1; i++) {
      const x = genOne(ctx, links[i]!, out);
      ahead.set(links[i]!, i % CHAIN_SPILL === CHAIN_SPILL - 1 ? spill(ctx, x, out) : x);
    }
    return genOne(ctx, e, out);
  } finally {
    for (const l of links) ahead.delete(l);
  }
}

function genOne(ctx: FnCtx, e: S.Expr, out: JsStmt[]): JsExpr {
  switch (e.kind) {
    case "Int":
      return num(e.value);
    case "Float":
      return { k: "num", value: e.value, float: true };
    case "Bool":
      return bool(e.value);
    case "Unit":
      return undef;
    case "String":
      return genString(ctx, e, out);
    case "Atom":
      return call(ctx.rt("atom"), [str(e.name)]);
    case "Name":
      return genName(ctx, e);
    case "Member":
      return genMember(ctx, e, out);
    case "Call":
      return genCall(ctx, e, null, out);
    case "Pipe":
      return genPipe(ctx, e, out);
    case "Index": {
      const [t, i] = genSeq(ctx, [e.target, e.index], out);
      return call(ctx.rt("index"), [t!, i!]);
    }
    case "Unary":
      return genUnary(ctx, e, out);
    case "Binary":
      return genBinary(ctx, e, out);
    case "Tuple":
      return arr(genSeq(ctx, e.elems, out));
    case "List":
      return call(ctx.rt("list"), [arr(genSeq(ctx, e.elems, out))]);
    case "MapLit": {
      const flat = genSeq(ctx, e.entries.flatMap((en) => [en.key, en.value]), out);
      const pairs: JsExpr[] = [];
      for (let i = 0; i < flat.length; i += 2) pairs.push(arr([flat[i]!, flat[i + 1]!]));
      return call(ctx.rt("mapOf"), [arr(pairs)]);
    }
    case "StructLit":
      return genStructLit(ctx, e, out);
    case "StructUpdate":
      return genStructUpdate(ctx, e, out);
    case "Closure":
      return genClosure(ctx, e);
    case "Ascribe":
      return genExpr(ctx, e.expr, out);
    case "Spawn":
    case "Send":
    case "Link":
    case "SelfPid":
      return genConcurrencyExpr(ctx, e, out);
    default:
      if (isControl(e)) return genControlExpr(ctx, e, out);
      return undef;
  }
}

// ---------------------------------------------------------------- strings

function isStringTyped(ctx: FnCtx, e: S.Expr): boolean {
  if (e.kind === "String") return true;
  const t = ctx.m.typeOf(e);
  return t?.kind === "con" && t.name === "String";
}

function isIntOrBool(ctx: FnCtx, e: S.Expr): boolean {
  if (e.kind === "Int" || e.kind === "Bool") return true;
  const t = ctx.m.typeOf(e);
  return t?.kind === "con" && (t.name === "Int" || t.name === "Bool");
}

function genString(ctx: FnCtx, e: Extract<S.Expr, { kind: "String" }>, out: JsStmt[]): JsExpr {
  const exprs = e.parts.filter((p): p is S.Expr => typeof p !== "string");
  const vals = genSeq(ctx, exprs, out);
  const pieces: JsExpr[] = [];
  let k = 0;
  for (const p of e.parts) {
    if (typeof p === "string") {
      if (p.length > 0) pieces.push(str(p));
    } else {
      const v = vals[k++]!;
      if (isStringTyped(ctx, p)) pieces.push(v);
      else if (isIntOrBool(ctx, p)) {
        // JS number/boolean to string is already Mesh's text for Int and Bool; the chain must
        // start with a string so that `+` concatenates
        pieces.push(pieces.length === 0 ? call({ k: "id", name: "String" }, [v]) : v);
      } else pieces.push(call(ctx.rt("text"), [v]));
    }
  }
  if (pieces.length === 0) return str("");
  // every piece is a JS string, so `+` concatenates; a long interpolation is stored in a
  // temporary every CHAIN_SPILL pieces (left to right, so no effect is reordered)
  let acc = pieces[0]!;
  for (let i = 1; i < pieces.length; i++) {
    acc = bin("+", acc, pieces[i]!);
    if (i % CHAIN_SPILL === 0 && i < pieces.length - 1) acc = spill(ctx, acc, out);
  }
  return acc;
}

// ---------------------------------------------------------------- names

export function refOf(ctx: FnCtx, e: S.Expr): Ref | null {
  const ann = ctx.m.check.annotations.refs.get(e);
  if (ann && ann.kind !== "local") return ann;
  if (e.kind === "Name") return resolveGlobalName(ctx.m.px, ctx.m.mod, e.name);
  if (e.kind === "Member" && e.target.kind === "Name" && isUpperName(e.target, ctx)) return resolveQualified(ctx.m.px, ctx.m.mod, e.target.name, e.name);
  return null;
}

function genName(ctx: FnCtx, e: Extract<S.Expr, { kind: "Name" }>): JsExpr {
  const b = ctx.scope.lookup(e.name);
  if (b) return id(b.js);
  return refValue(ctx, refOf(ctx, e), e.name);
}

// A Ref used as a value (not called).
export function refValue(ctx: FnCtx, ref: Ref | null, name: string): JsExpr {
  if (!ref) return ctx.m.lib(null, name);
  switch (ref.kind) {
    case "local":
      return id(ctx.scope.lookup(ref.name)?.js ?? ref.name);
    case "global": {
      const m = ctx.m.px.mods.get(ref.module);
      const key = m?.consts.has(ref.name) ? `const:${ref.name}` : `fn:${ref.name}`;
      return ctx.m.ref(ref.module, key);
    }
    case "builtin":
      // a function that pulls an iterator is passed around in its generator form (it may suspend)
      return ctx.m.lib(ref.module, libFacts(ref.module, ref.name)?.pulls === true ? ref.name + "$g" : ref.name);
    case "variant": {
      const v = { module: ref.module, type: ref.type, typeDef: null, name: ref.variant, tag: ref.tag, arity: ref.arity };
      const r = variantRef(ctx, v);
      if (ref.arity === 0) return r;
      const ps = Array.from({ length: ref.arity }, (_, i) => `_${i}`);
      return { k: "fn", name: null, params: ps, body: [{ k: "return", e: newE(r, ps.map(id)) }], gen: false, arrow: true };
    }
    case "static":
      return staticValue(ctx, ref);
    case "ifaceMethod": {
      const f = implFnRef(ctx, ref.impl, ref.method);
      if (f) return f;
      return { k: "fn", name: null, params: ["x", "...args"], body: [{ k: "return", e: call(ctx.rt("callIface"), [str(ref.iface), str(ref.method), id("x"), id("args")]) }], gen: false, arrow: true };
    }
    case "actor":
      return ctx.m.ref(ref.module, `actor:${ref.name}`);
    case "supervisor":
      return ctx.m.ref(ref.module, `sup:${ref.name}`);
    case "service":
      return { k: "fn", name: null, params: ["...args"], body: [{ k: "return", e: { k: "yield", delegate: true, arg: call(ctx.rt("serviceHelper"), [ctx.m.ref(ref.module, `service:${ref.service}`), str(ref.helper), id("args")]) } }], gen: true, arrow: false };
    case "namespace":
      return id(ctx.m.namespace(ref.module));
  }
}

function genMember(ctx: FnCtx, e: Extract<S.Expr, { kind: "Member" }>, out: JsStmt[]): JsExpr {
  if (e.target.kind === "Name" && isUpperName(e.target, ctx)) {
    const ref = refOf(ctx, e);
    if (ref) return refValue(ctx, ref, e.name);
  }
  const t = genExpr(ctx, e.target, out);
  return mem(t, fieldName(e.name));
}

// ---------------------------------------------------------------- operators

type OpKind = "int" | "float" | "prim" | "string" | "structural" | "impl" | "dynamic";

function typeKind(t: RType | undefined): OpKind | null {
  if (!t || t.kind !== "con") return t?.kind === "tuple" && t.elems.length === 0 ? "prim" : t?.kind === "tuple" ? "structural" : null;
  switch (t.name) {
    case "Int":
      return "int";
    case "Float":
      return "float";
    case "String":
      return "string";
    case "Bool":
    case "Atom":
      return "prim";
    default:
      return null;
  }
}

function litKind(e: S.Expr): OpKind | null {
  if (e.kind === "Int") return "int";
  if (e.kind === "Float") return "float";
  if (e.kind === "String") return "string";
  if (e.kind === "Bool") return "prim";
  if (e.kind === "Unary" && e.op === "-") return litKind(e.operand);
  return null;
}

function opKind(ctx: FnCtx, e: S.Expr, l: S.Expr, r: S.Expr | null): { kind: OpKind; ref?: OpRef } {
  const ref = ctx.m.check.annotations.ops.get(e);
  const tk = typeKind(ctx.m.typeOf(l)) ?? (r ? typeKind(ctx.m.typeOf(r)) : null) ?? litKind(l) ?? (r ? litKind(r) : null);
  if (ref) {
    if (ref.kind === "prim") return { kind: tk === "string" ? "string" : "prim", ref };
    if (ref.kind === "dynamic" && tk && tk !== "structural") return { kind: tk, ref };
    return { kind: ref.kind, ref };
  }
  return { kind: tk ?? "dynamic" };
}

const ARITH: Record<string, string> = { "+": "add", "-": "sub", "*": "mul", "/": "div", "%": "rem" };
const CMP_HELPER: Record<string, string> = { "==": "eq", "!=": "ne", "<": "lt", ">": "gt", "<=": "le", ">=": "ge" };
const STR_HELPER: Record<string, string> = { "<": "strLt", ">": "strGt", "<=": "strLe", ">=": "strGe" };

function genUnary(ctx: FnCtx, e: Extract<S.Expr, { kind: "Unary" }>, out: JsStmt[]): JsExpr {
  if (e.op === "not") return not(genExpr(ctx, e.operand, out));
  if (e.operand.kind === "Int") return num(e.operand.value === 0 ? 0 : -e.operand.value);
  if (e.operand.kind === "Float") return { k: "num", value: -e.operand.value, float: true };
  const v = genExpr(ctx, e.operand, out);
  const k = opKind(ctx, e, e.operand, null);
  switch (k.kind) {
    case "int":
      return bin("-", num(0), v); // never produces -0
    case "float":
      return un("-", v);
    case "impl":
      if (k.ref?.kind === "impl") return callKnown(ctx, implFnRef(ctx, k.ref.impl, k.ref.method) ?? id("undefined"), [v], implFnGen(ctx, k.ref.impl, k.ref.method));
      return call(ctx.rt("negate"), [v]);
    default:
      return call(ctx.rt("negate"), [v]);
  }
}

function isZeroLit(e: S.Expr): boolean {
  return e.kind === "Int" && e.value === 0;
}

// ---------------------------------------------------------------- values stored in variables

/**
 * The value of `e` for a statement that stores it in a variable (`const x = …`, `x = …`). A
 * top-level Int `+ - *` is returned unchecked (`check`: the caller range-checks the variable with
 * `checkInt` right after the store); anything else is `genExpr`'s checked value. Inline statement
 * checks keep tail-call loops at hand-written speed; expression contexts keep `$ck(…)`.
 */
export function genStored(ctx: FnCtx, e: S.Expr, out: JsStmt[]): { v: JsExpr; check: boolean } {
  while (e.kind === "Ascribe") e = e.expr;
  if (e.kind === "Binary" && (e.op === "+" || e.op === "-" || e.op === "*")) {
    const raw = { check: false };
    const v = genBinary(ctx, e, out, raw);
    return { v, check: raw.check };
  }
  return { v: genExpr(ctx, e, out), check: false };
}

/** `if (!$isInt(x)) throw $OVERFLOW;` after a variable received an unchecked Int `+ - *` result. */
export function checkInt(ctx: FnCtx, name: string): JsStmt {
  return ifS(not(call(ctx.rt("isInt"), [id(name)])), [{ k: "throw", e: ctx.rt("OVERFLOW") }]);
}

// `raw`: for genStored, leave a top-level Int `+ - *` unchecked and set `raw.check`.
function genBinary(ctx: FnCtx, e: Extract<S.Expr, { kind: "Binary" }>, out: JsStmt[], raw?: { check: boolean }): JsExpr {
  if (e.op === "and" || e.op === "or") return genLogic(ctx, e, out);
  const [l, r] = genSeq(ctx, [e.left, e.right], out) as [JsExpr, JsExpr];
  switch (e.op) {
    case "..":
      return call(ctx.rt("range"), [l, r]);
    case "<>": {
      const tk = typeKind(ctx.m.typeOf(e.left)) ?? typeKind(ctx.m.typeOf(e.right)) ?? litKind(e.left) ?? litKind(e.right);
      if (tk === "string") return bin("+", l, r);
      const t = ctx.m.typeOf(e.left) ?? ctx.m.typeOf(e.right);
      if (t?.kind === "con" && t.name === "List") return call(ctx.rt("listConcat"), [l, r]);
      if (e.left.kind === "List" || e.right.kind === "List") return call(ctx.rt("listConcat"), [l, r]);
      return call(ctx.rt("concat"), [l, r]);
    }
    default:
      break;
  }
  const k = opKind(ctx, e, e.left, e.right);
  const isCmp = e.op in CMP_HELPER;
  // `pid == 0`: compare with the null pid (concurrency.md §1.3)
  if ((e.op === "==" || e.op === "!=") && isZeroLit(e.right)) {
    const lt = ctx.m.typeOf(e.left);
    const pid = lt?.kind === "con" && lt.name === "Pid";
    const unknown = !lt && !k.ref && !litKind(e.left); // no checker information: may be a pid
    if (pid || unknown || (k.kind === "dynamic" && !litKind(e.left))) {
      const test = call(ctx.rt(pid ? "isNullPid" : "eqZero"), [l]);
      return e.op === "==" ? test : un("!", test);
    }
  }
  switch (k.kind) {
    case "int":
      if (isCmp) return bin(e.op === "==" ? "===" : e.op === "!=" ? "!==" : e.op, l, r);
      if (raw && (e.op === "+" || e.op === "-" || e.op === "*")) {
        raw.check = true;
        // `+ 0` turns a -0 product into 0 (Ints have no negative zero)
        return e.op === "*" ? bin("+", bin("*", l, r), num(0)) : bin(e.op, l, r);
      }
      if (e.op === "+" || e.op === "-") return call(ctx.rt("ck"), [bin(e.op, l, r)]);
      // `%` by a non-zero literal cannot fail; `+ 0` turns a -0 remainder into 0
      if (e.op === "%" && e.right.kind === "Int" && e.right.value !== 0) return bin("+", bin("%", l, r), num(0));
      return call(ctx.rt(e.op === "*" ? "imul" : e.op === "/" ? "idiv" : "imod"), [l, r]);
    case "float":
      if (isCmp) return bin(e.op === "==" ? "===" : e.op === "!=" ? "!==" : e.op, l, r);
      return bin(e.op, l, r);
    case "string":
    case "prim":
      if (e.op === "==") return bin("===", l, r);
      if (e.op === "!=") return bin("!==", l, r);
      if (k.kind === "string" && STR_HELPER[e.op]) return call(ctx.rt(STR_HELPER[e.op]!), [l, r]);
      if (isCmp) return call(ctx.rt(CMP_HELPER[e.op]!), [l, r]);
      return call(ctx.rt(ARITH[e.op]!), [l, r]);
    case "structural":
      if (isCmp) return call(ctx.rt(CMP_HELPER[e.op]!), [l, r]);
      return call(ctx.rt(ARITH[e.op]!), [l, r]);
    case "impl": {
      const ref = k.ref?.kind === "impl" ? k.ref : null;
      const f = ref ? implFnRef(ctx, ref.impl, ref.method) : null;
      if (!f || !ref) return call(ctx.rt(isCmp ? CMP_HELPER[e.op]! : ARITH[e.op]!), [l, r]);
      if (implFnGen(ctx, ref.impl, ref.method)) return genImplOpCall(ctx, e.op, ref.method, f, l, r, out);
      if (!isCmp) return call(f, [l, r]);
      if (ref.method === "eq") return e.op === "!=" ? un("!", call(f, [l, r])) : call(f, [l, r]);
      // Ord via `lt`: a > b = b.lt(a); a <= b = not b.lt(a); a >= b = not a.lt(b)
      if (e.op === "<") return call(f, [l, r]);
      if (e.op === "==" || e.op === "!=") return call(ctx.rt(CMP_HELPER[e.op]!), [l, r]);
      return call(ctx.rt(e.op === ">" ? "ordGt" : e.op === "<=" ? "ordLe" : "ordGe"), [f, l, r]);
    }
    case "dynamic":
      return call(ctx.rt(isCmp ? CMP_HELPER[e.op]! : ARITH[e.op]!), [l, r]);
  }
}

// An operator whose impl method compiles to a generator (its body may suspend, e.g. it pulls a
// lazy iterator): called with `yield*` (runSync outside generators), operands evaluated in order.
function genImplOpCall(ctx: FnCtx, op: string, method: string, f: JsExpr, l: JsExpr, r: JsExpr, out: JsStmt[]): JsExpr {
  const a = spill(ctx, l, out, "$l");
  const b = spill(ctx, r, out, "$r");
  const c = (x: JsExpr, y: JsExpr) => callKnown(ctx, f, [x, y], true);
  if (!(op in CMP_HELPER)) return c(a, b);
  if (method === "eq") return op === "!=" ? un("!", c(a, b)) : c(a, b);
  // Ord via `lt`: a > b = b.lt(a); a <= b = not b.lt(a); a >= b = not a.lt(b)
  if (op === "<") return c(a, b);
  if (op === ">") return c(b, a);
  if (op === "<=") return un("!", c(b, a));
  if (op === ">=") return un("!", c(a, b));
  return call(ctx.rt(CMP_HELPER[op]!), [a, b]); // == / != through Ord: the runtime's structural eq
}

// `and`/`or` short-circuit; a right operand that needs statements becomes an `if`.
function genLogic(ctx: FnCtx, e: Extract<S.Expr, { kind: "Binary" }>, out: JsStmt[]): JsExpr {
  const l = genExpr(ctx, e.left, out);
  const rb: JsStmt[] = [];
  const r = genExpr(ctx, e.right, rb);
  const op = e.op === "and" ? "&&" : "||";
  if (rb.length === 0) return bin(op, l, r);
  const t = ctx.temp("$c");
  out.push(letS(t, l));
  out.push(ifS(e.op === "and" ? id(t) : un("!", id(t)), [...rb, exprS(assign(id(t), r))]));
  return id(t);
}

// ---------------------------------------------------------------- structs

function structTarget(ctx: FnCtx, e: S.Expr, path: readonly string[] | null): { cls: JsExpr; fields: readonly string[] } | null {
  const sref = ctx.m.check.annotations.structs.get(e);
  if (sref) {
    const name = sref.type.slice(sref.module.length + 1);
    return { cls: ctx.m.ref(sref.module, `type:${name}`), fields: sref.fields };
  }
  if (!path) return null;
  const found = findStruct(ctx.m.px, ctx.m.mod, path);
  if (!found) return null;
  return { cls: ctx.m.ref(found.mod.name, `type:${found.def.name}`), fields: found.def.fields.map((f) => f.name) };
}

function genStructLit(ctx: FnCtx, e: Extract<S.Expr, { kind: "StructLit" }>, out: JsStmt[]): JsExpr {
  const target = structTarget(ctx, e, e.path);
  const vals = genSeq(ctx, e.fields.map((f) => f.value), out);
  const byName = new Map(e.fields.map((f, i) => [f.name, vals[i]!]));
  if (!target) return call(ctx.rt("makeStruct"), [str(e.path.join(".")), { k: "obj", props: e.fields.map((f, i) => [fieldName(f.name), vals[i]!] as const) }]);
  // values are evaluated in written order; reordering to declaration order must not reorder effects
  const inOrder = e.fields.every((f, i) => target.fields[i] === f.name);
  const args = target.fields.map((f) => byName.get(f) ?? undef);
  if (!inOrder) {
    const fixed = e.fields.map((f) => spill(ctx, byName.get(f.name)!, out, "$" + f.name));
    e.fields.forEach((f, i) => byName.set(f.name, fixed[i]!));
    return newE(target.cls, target.fields.map((f) => byName.get(f) ?? undef));
  }
  return newE(target.cls, args);
}

function genStructUpdate(ctx: FnCtx, e: Extract<S.Expr, { kind: "StructUpdate" }>, out: JsStmt[]): JsExpr {
  const target = structTarget(ctx, e, null);
  const [base, ...vals] = genSeq(ctx, [e.base, ...e.fields.map((f) => f.value)], out);
  if (!target) return call(ctx.rt("updateStruct"), [base!, { k: "obj", props: e.fields.map((f, i) => [fieldName(f.name), vals[i]!] as const) }]);
  const b = spill(ctx, base!, out, "$base");
  const repl = new Map(e.fields.map((f, i) => [f.name, vals[i]!]));
  return newE(target.cls, target.fields.map((f) => repl.get(f) ?? mem(b, fieldName(f))));
}

export { cond };
