// Top-level definitions of one module: strongly connected components of the reference graph
// (functions, module constants, actors, services) checked in dependency order with
// let-polymorphism (§6.2); fully annotated functions get their declared scheme up front;
// impl method bodies (E0008), interface default methods and supervisors afterwards.
import type * as S from "../ast/syntax.js";
import type { Ctx, FnCtx } from "./context.js";
import { substitute } from "./context.js";
import { actorMono, checkActor, checkService, checkSupervisor, declareServiceHelpers } from "./concurrency.js";
import type { ConstEntity, FnEntity, IfaceDecl, ImplDecl, ModScope, ValueEntity } from "./env.js";
import { checkExpr, inferExpr } from "./infer-expr.js";
import { checkFnClauses, signatureOf, type Signature } from "./infer-control.js";
import { methodSig } from "./interfaces.js";
import { resolveType, EMPTY_TYENV, type TyEnv } from "./resolve.js";
import { freshVar, rigidVar, tFun, type Pred, type Scheme, type TVar, type Type } from "./types.js";
import { collectNames } from "./walk.js";

type Node = Exclude<ValueEntity, { kind: "supervisor" }>;

// Run `f`; an exception becomes E9999 (a checker bug) instead of a crash.
export function guarded(cx: Ctx, span: S.Span, what: string, f: () => void): void {
  const level = cx.level;
  const mark = cx.env.mark();
  const fn = cx.fn;
  const tyEnv = cx.tyEnv;
  try {
    f();
  } catch (err) {
    cx.error("E9999", `internal error while checking ${what}: ${err instanceof Error ? err.message : String(err)}`, span);
    cx.level = level;
    cx.env.reset(mark);
    cx.fn = fn;
    cx.tyEnv = tyEnv;
    cx.inConst = false;
  }
}

function nodeSpan(n: Node): S.Span {
  switch (n.kind) {
    case "fn":
      return n.group.first.nameSpan;
    case "const":
      return n.def.span;
    default:
      return n.def.nameSpan;
  }
}

function nodeBodies(n: Node): (S.Block | S.Expr)[] {
  switch (n.kind) {
    case "fn":
      return n.group.clauses.flatMap((c) => (c.guard ? [c.body, c.guard] : [c.body]));
    case "const":
      return [n.def.value];
    case "actor":
      return n.def.terminate ? [n.def.body, n.def.terminate] : [n.def.body];
    case "service":
      return [...n.def.fns.map((f) => f.body), ...n.def.handlers.map((h) => h.body)];
  }
}

export function checkModule(cx: Ctx, sc: ModScope): void {
  cx.mod = sc;
  const sigs = new Map<FnEntity, Signature>();
  const nodes: Node[] = [];
  for (const v of sc.values.values()) {
    if (v.kind === "supervisor") continue;
    nodes.push(v);
    if (v.kind === "service") declareServiceHelpers(cx, v);
    if (v.kind === "fn") {
      guarded(cx, v.group.first.nameSpan, `\`${v.name}\``, () => {
        cx.level++;
        const sig = signatureOf(cx, v.group.first, null);
        cx.level--;
        sigs.set(v, sig);
        if (sig.declared) {
          v.declared = true;
          const rig = [...sig.rigids.values()];
          const preds: Pred[] = [];
          for (const r of rig) for (const b of r.bounds ?? []) preds.push({ k: "iface", iface: b, args: [], type: r, span: v.group.first.nameSpan, output: null, site: null, what: "" });
          v.scheme = { vars: rig, preds, type: tFun(sig.params, sig.ret) };
        }
      });
    }
  }
  // reference graph and its strongly connected components (Tarjan; emitted dependencies first)
  const index = new Map<Node, number>();
  const low = new Map<Node, number>();
  const onStack = new Set<Node>();
  const stack: Node[] = [];
  const sccs: Node[][] = [];
  let counter = 0;
  // Only values without a declared signature can be edges: in a module whose values all have
  // one (every function fully annotated), no body needs to be walked for names.
  const targets = nodes.some((t) => !(t.kind === "fn" && t.declared));
  const edges = (n: Node): Node[] => {
    if (!targets) return [];
    const names = new Set<string>();
    for (const b of nodeBodies(n)) collectNames(b, names);
    const out: Node[] = [];
    for (const nm of names) {
      const t = sc.values.get(nm);
      if (t && t.kind !== "supervisor" && !(t.kind === "fn" && t.declared)) out.push(t);
    }
    return out;
  };
  // iterative Tarjan (a long chain of calls must not exhaust the JS stack)
  const strong = (root: Node) => {
    const frames: { v: Node; ws: Node[]; i: number }[] = [];
    const open = (v: Node) => {
      index.set(v, counter);
      low.set(v, counter);
      counter++;
      stack.push(v);
      onStack.add(v);
      frames.push({ v, ws: edges(v), i: 0 });
    };
    open(root);
    while (frames.length > 0) {
      const f = frames[frames.length - 1]!;
      if (f.i < f.ws.length) {
        const w = f.ws[f.i++]!;
        if (!index.has(w)) open(w);
        else if (onStack.has(w)) low.set(f.v, Math.min(low.get(f.v)!, index.get(w)!));
        continue;
      }
      frames.pop();
      const v = f.v;
      if (low.get(v) === index.get(v)) {
        const comp: Node[] = [];
        let w: Node;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          comp.push(w);
        } while (w !== v);
        sccs.push(comp);
      }
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent.v, Math.min(low.get(parent.v)!, low.get(v)!));
    }
  };
  for (const n of nodes) if (!index.has(n)) strong(n);
  for (const comp of sccs) guarded(cx, nodeSpan(comp[0]!), `\`${comp[0]!.name}\``, () => checkScc(cx, comp, sigs));
  for (const it of sc.pm.ast.items) {
    if (it.kind === "ImplDef") {
      const impl = cx.implByDecl.get(it);
      if (impl) guarded(cx, it.span, `impl \`${impl.iface.name}\``, () => checkImpl(cx, impl));
    } else if (it.kind === "InterfaceDef") {
      const d = sc.ifaces.get(it.name);
      if (d && d.def === it) guarded(cx, it.span, `interface \`${it.name}\``, () => checkDefaults(cx, d));
    } else if (it.kind === "SupervisorDef") guarded(cx, it.span, `supervisor \`${it.name}\``, () => checkSupervisor(cx, it));
  }
}

function checkScc(cx: Ctx, comp: Node[], sigs: Map<FnEntity, Signature>): void {
  const mark = cx.enter();
  for (const n of comp) {
    if (n.kind === "fn") {
      if (!n.declared) {
        const sig = signatureOf(cx, n.group.first, null);
        sigs.set(n, sig);
        n.mono = tFun(sig.params, sig.ret);
      }
    } else if (n.kind === "const") n.mono = freshVar(cx.level);
    else if (n.kind === "actor") n.mono = actorMono(cx, n);
  }
  const types: Type[] = [];
  const assign: ((s: Scheme) => void)[] = [];
  for (const n of comp) {
    switch (n.kind) {
      case "fn": {
        const sig = sigs.get(n)!;
        const fnCtx: FnCtx = { kind: "fn", ret: sig.ret, loopDepth: 0, actor: null, name: n.name, tail: null };
        // clause-order errors (E0022/E0023/E0043) already explain missing or unreachable clauses
        const ordered = !cx.diags.some((d) => (d.code === "E0022" || d.code === "E0023" || d.code === "E0043") && d.secondary?.some((s) => s.span === n.group.first.nameSpan || n.group.clauses.some((c) => c.nameSpan === s.span)));
        checkFnClauses(cx, n.group.clauses, sig.params, sig.ret, fnCtx, `\`${n.name}\``, n.group.first.ret !== null, sig.tyEnv, ordered);
        types.push(tFun(sig.params, sig.ret));
        assign.push((s) => {
          if (!n.declared) n.scheme = s;
          n.mono = null;
        });
        break;
      }
      case "const":
        types.push(checkConst(cx, n));
        assign.push((s) => {
          n.scheme = s;
          n.mono = null;
        });
        break;
      case "actor":
        checkActor(cx, n);
        types.push(n.mono!);
        assign.push((s) => {
          n.scheme = s;
          n.mono = null;
        });
        break;
      case "service":
        for (const { helper, type } of checkService(cx, n)) {
          types.push(type);
          assign.push((s) => {
            helper.scheme = s;
          });
        }
        n.checked = true;
        break;
    }
  }
  cx.leave();
  const schemes = cx.generalizeAll(types, mark);
  schemes.forEach((s, i) => assign[i]!(s));
}

function checkConst(cx: Ctx, n: ConstEntity): Type {
  const saved = cx.fn;
  cx.fn = { kind: "const", ret: freshVar(cx.level), loopDepth: 0, actor: null, name: n.name, tail: null };
  cx.inConst = true;
  cx.constIndex = n.index;
  let t: Type;
  if (n.def.type) {
    const ann = resolveType(cx, cx.mod, n.def.type, EMPTY_TYENV);
    checkExpr(cx, n.def.value, ann, (f, w) => `the value has type \`${f}\`, but \`${n.name}\` is declared as \`${w}\``);
    t = ann;
  } else t = inferExpr(cx, n.def.value);
  cx.inConst = false;
  cx.fn = saved;
  cx.expect(n.def.span, t, n.mono!, (f, w) => `\`${n.name}\` has type \`${f}\`, but is used as \`${w}\``);
  return t;
}

// ---------------------------------------------------------------- impls and defaults

function checkImpl(cx: Ctx, impl: ImplDecl): void {
  const mark = cx.enter();
  const sub = new Map<TVar, Type>();
  const vars = new Map<string, Type>();
  impl.vars.forEach((v, i) => {
    const name = impl.varNames[i]!;
    const bs = [...(impl.bounds.get(v) ?? [])];
    const r = rigidVar(name, cx.level, bs.length > 0 ? bs : null);
    sub.set(v, r);
    vars.set(name, r);
  });
  const self = substitute(impl.target, sub);
  const args = impl.ifaceArgs.map((a) => substitute(a, sub));
  const assoc = (n: string) => {
    const a = impl.assoc.get(n);
    return a ? substitute(a, sub) : null;
  };
  const tyEnv: TyEnv = { vars, self, assoc };
  const types: Type[] = [];
  for (const [name, g] of impl.methods) {
    const m = impl.iface.methods.get(name)!;
    const first = g.first;
    const want = m.arity + (m.hasSelf ? 1 : 0);
    const firstIsSelf = first.params[0]?.pattern.kind === "PVar" && (first.params[0]!.pattern as { name: string }).name === "self";
    if (first.params.length !== want || firstIsSelf !== m.hasSelf) {
      cx.error("E0008", `method \`${name}\` of \`impl ${impl.iface.name}\` takes ${first.params.length} parameter${first.params.length === 1 ? "" : "s"}${firstIsSelf ? " (with self)" : ""}, but the interface declares ${want}${m.hasSelf ? " (with self)" : ""}`, first.nameSpan);
      continue;
    }
    const exp = methodSig(cx, impl.iface, m, self, args, (n) => assoc(n) ?? freshVar(cx.level));
    const expParams = m.hasSelf ? [self, ...exp.params] : exp.params;
    const sig = signatureOf(cx, first, tyEnv);
    sig.params.forEach((p, i) =>
      cx.expect(first.params[i]!.span, p, expParams[i]!, (f, w) => `parameter ${i + 1} of \`${name}\` is declared as \`${f}\`, but interface \`${impl.iface.name}\` expects \`${w}\``, "E0008"),
    );
    cx.expect(first.ret ? first.ret.span : first.nameSpan, sig.ret, exp.ret, (f, w) => `method \`${name}\` returns \`${f}\`, but interface \`${impl.iface.name}\` declares \`${w}\``, "E0008");
    const fnCtx: FnCtx = { kind: "fn", ret: sig.ret, loopDepth: 0, actor: null, name, tail: null };
    checkFnClauses(cx, g.clauses, sig.params, sig.ret, fnCtx, `\`${name}\``, first.ret !== null, sig.tyEnv);
    types.push(tFun(sig.params, sig.ret));
  }
  cx.leave();
  cx.generalizeAll(types, mark);
}

function checkDefaults(cx: Ctx, d: IfaceDecl): void {
  if (!d.def) return;
  // resolve every signature once so that bad types (E0049, E0042) are reported at the interface
  for (const m of d.methods.values()) methodSig(cx, d, m, freshVar(cx.level), d.params.map(() => freshVar(cx.level)), () => freshVar(cx.level));
  for (const ms of d.def.methods) {
    if (!ms.body) continue;
    const m = d.methods.get(ms.name)!;
    const mark = cx.enter();
    const self = rigidVar("Self", cx.level, [d.qname]);
    const args = d.params.map((p) => rigidVar(p, cx.level, null) as Type);
    const assocVars = new Map(d.assoc.map((a) => [a, freshVar(cx.level) as Type] as const));
    const exp = methodSig(cx, d, m, self, args, (n) => assocVars.get(n) ?? freshVar(cx.level));
    const params = m.hasSelf ? [self, ...exp.params] : exp.params;
    const tyEnv: TyEnv = { vars: new Map(d.params.map((p, i) => [p, args[i]!] as const)), self, assoc: (n) => assocVars.get(n) ?? null };
    const fnCtx: FnCtx = { kind: "fn", ret: exp.ret, loopDepth: 0, actor: null, name: ms.name, tail: null };
    checkFnClauses(cx, [{ params: ms.params, guard: null, body: ms.body, span: ms.span }], params, exp.ret, fnCtx, `\`${ms.name}\``, ms.ret !== null, tyEnv);
    cx.leave();
    cx.generalizeAll([tFun(params, exp.ret)], mark);
  }
}
