// Suspension analysis (concurrency.md §8.3): decides which Mesh functions compile to generator
// functions. A function is a generator iff its own body (not nested closures) contains a
// `receive`, a service call/start, a call to a suspending library function, a pull of a lazy
// iterator (a library function that drains an `Iter`, or `for … in` over one: its stages may
// run callbacks that suspend), a library call whose callback may suspend, an actor
// continuation, a call to a function that is a generator (fixpoint over the whole program), or
// a call to a function value whose suspension is unknown. Everything else is plain JavaScript.
import type * as S from "../ast/syntax.js";
import { leftSpine, type ChainNode } from "../check/walk.js";
import type { CheckResult, ImplRef, Ref, RType } from "../check/annotations.js";
import { groupFunctions, type FnGroup } from "../analyse/group.js";
import { libFacts } from "../stdlib/facts.js";
import { CallGraph } from "./callgraph.js";
import { findImpl, findService, indexProgram, resolveGlobalName, resolveQualified, type ModIndex, type ProgramIndex } from "./context.js";

// Library facts (which calls suspend, pull an iterator or call their callbacks, which have a `$g`
// variant) come from the signature table only: compiler/stdlib/facts.ts.

/** Is a call of this library function a suspension point whatever its arguments? */
export function libSuspends(module: string | null, name: string): boolean {
  const f = libFacts(module, name);
  return f !== undefined && (f.suspends || f.pulls);
}

/** Does the runtime have a `name$g` generator variant of this library function? */
export function needsGenVariant(module: string | null, name: string): boolean {
  return libFacts(module, name)?.genVariant ?? false;
}

export type Local = { k: "fn"; group: FnGroup } | { k: "closure"; node: Extract<S.Expr, { kind: "Closure" }> } | { k: "value"; type?: RType };

export interface LocalLookup {
  get(n: string): Local | undefined;
}

export class Scope implements LocalLookup {
  private readonly vars = new Map<string, Local>();
  constructor(readonly parent: LocalLookup | null) {}
  get(n: string): Local | undefined {
    return this.vars.get(n) ?? this.parent?.get(n);
  }
  set(n: string, l: Local): void {
    this.vars.set(n, l);
  }
}

export function patternNames(p: S.Pattern, out: string[] = []): string[] {
  switch (p.kind) {
    case "PVar":
      out.push(p.name);
      break;
    case "PTuple":
      p.elems.forEach((e) => patternNames(e, out));
      break;
    case "PCtor":
      p.args?.forEach((e) => patternNames(e, out));
      break;
    case "PCons": {
      let q: S.Pattern = p;
      for (; q.kind === "PCons"; q = q.tail) patternNames(q.head, out);
      patternNames(q, out);
      break;
    }
    case "POr":
      if (p.alts[0]) patternNames(p.alts[0], out);
      break;
    case "PAs":
      patternNames(p.pattern, out);
      out.push(p.name);
      break;
    default:
      break;
  }
  return out;
}

export class Suspension {
  private readonly gen = new WeakMap<object, boolean>(); // FnDef (first clause) / ActorDef / Closure / handler -> generator?
  private changed = false;

  constructor(
    readonly px: ProgramIndex,
    readonly check: CheckResult,
  ) {}

  private graph: CallGraph | null = null;
  // Is a call from `caller` to `callee` ("Module:name") recursion between top-level functions?
  recursive(caller: string | null, callee: string): boolean {
    if (caller === null) return false;
    if (caller === callee) return true;
    this.graph ??= new CallGraph(this.px, this.check);
    return this.graph.sameComponent(caller, callee);
  }

  // ---- queries
  libSuspends(module: string | null, name: string): boolean {
    return libSuspends(module, name);
  }

  isGen(node: object): boolean {
    return this.gen.get(node) ?? false;
  }

  // Whole-program fixpoint over top-level functions, impl methods and service functions.
  run(): void {
    const work: { node: object; mod: ModIndex; params: (readonly S.Param[])[]; bodies: (S.Block | S.Expr | null)[]; actor?: string }[] = [];
    for (const m of this.px.mods.values()) {
      for (const g of m.fns.values()) work.push({ node: g.first, mod: m, params: g.clauses.map((c) => c.params), bodies: g.clauses.flatMap((c) => [c.guard, c.body]) });
      for (const impl of m.impls) for (const f of impl.methods) work.push({ node: f, mod: m, params: [f.params], bodies: [f.guard, f.body] });
      for (const s of m.services.values()) {
        for (const f of s.def.fns) work.push({ node: f, mod: m, params: [f.params], bodies: [f.body] });
        for (const h of s.def.handlers) work.push({ node: h, mod: m, params: [h.params], bodies: [h.body] });
      }
      for (const a of m.actors.values()) {
        this.gen.set(a, true);
        if (a.terminate) work.push({ node: a.terminate, mod: m, params: [a.params], bodies: [a.terminate] });
      }
      for (const i of m.interfaces.values()) for (const ms of i.methods) if (ms.body) work.push({ node: ms.body, mod: m, params: [ms.params], bodies: [ms.body] });
    }
    for (let iter = 0; iter < 50; iter++) {
      this.changed = false;
      this.local = new WeakMap();
      for (const w of work) {
        if (this.gen.get(w.node)) continue;
        let g = false;
        for (let i = 0; i < w.bodies.length && !g; i++) {
          const scope = new Scope(null);
          for (const ps of w.params) for (const p of ps) for (const n of patternNames(p.pattern)) scope.set(n, { k: "value" });
          const b = w.bodies[i];
          if (b) g = b.kind === "Block" ? this.blockSuspends(b, w.mod, scope) : this.exprSuspends(b, w.mod, scope);
        }
        if (g) {
          this.gen.set(w.node, true);
          this.changed = true;
        }
      }
      if (!this.changed) break;
    }
    this.local = new WeakMap();
  }

  // ---- closures and local functions (asked by the generator while walking a body)
  // Closures and local functions are cached per fixpoint round while run() is iterating (a callee
  // may still turn into a generator), and for good once the fixpoint is reached.
  private local = new WeakMap<object, boolean>();

  closureGen(node: Extract<S.Expr, { kind: "Closure" }>, mod: ModIndex, scope: LocalLookup): boolean {
    const hit = this.local.get(node);
    if (hit !== undefined) return hit;
    this.local.set(node, false);
    let g = false;
    for (const c of node.clauses) {
      const s = new Scope(scope);
      for (const p of c.params) for (const n of patternNames(p.pattern)) s.set(n, { k: "value" });
      if ((c.guard && this.exprSuspends(c.guard, mod, s)) || this.blockSuspends(c.body, mod, s)) g = true;
    }
    this.local.set(node, g);
    return g;
  }

  localFnGen(group: FnGroup, mod: ModIndex, scope: LocalLookup): boolean {
    const hit = this.local.get(group.first);
    if (hit !== undefined) return hit;
    this.local.set(group.first, false); // recursion assumes plain; a suspending body flips it
    let g = false;
    for (const c of group.clauses) {
      const s = new Scope(scope);
      s.set(group.name, { k: "fn", group });
      for (const p of c.params) for (const n of patternNames(p.pattern)) s.set(n, { k: "value" });
      if ((c.guard && this.exprSuspends(c.guard, mod, s)) || this.blockSuspends(c.body, mod, s)) g = true;
    }
    this.local.set(group.first, g);
    return g;
  }

  blockSuspends(b: S.Block, mod: ModIndex, parent: LocalLookup): boolean {
    const scope = new Scope(parent);
    const groups = groupFunctions(b.stmts.map((s) => (s.kind === "FnDef" ? s : null)), []);
    const byFirst = new Map(groups.map((g) => [g.first, g]));
    let any = false;
    for (const st of b.stmts) {
      if (st.kind === "FnDef") {
        const g = byFirst.get(st);
        if (g) scope.set(g.name, { k: "fn", group: g });
        continue;
      }
      if (st.kind === "Let") {
        if (this.exprSuspends(st.value, mod, scope)) any = true;
        if (st.pattern.kind === "PVar" && st.value.kind === "Closure") scope.set(st.pattern.name, { k: "closure", node: st.value });
        else for (const n of patternNames(st.pattern)) scope.set(n, { k: "value", type: this.check.annotations.patternTypes.get(st.pattern) });
        continue;
      }
      if (this.exprSuspends(st, mod, scope)) any = true;
    }
    return any;
  }

  // Does calling this callee (a Name/Member) suspend?
  private calleeSuspends(callee: S.Expr, args: readonly S.Expr[], mod: ModIndex, scope: LocalLookup, isMethod: boolean): boolean {
    const ann = this.check.annotations;
    if (callee.kind === "Name") {
      const loc = scope.get(callee.name);
      if (loc) {
        if (loc.k === "fn") return this.localFnGen(loc.group, mod, scope);
        if (loc.k === "closure") return this.closureGen(loc.node, mod, scope);
        return true; // unknown function value
      }
      const ref = ann.refs.get(callee) ?? resolveGlobalName(this.px, mod, callee.name);
      return this.refSuspends(ref, args, mod, scope);
    }
    if (callee.kind === "Member") {
      const mref = isMethod ? ann.methods.get(callee) : undefined;
      if (mref?.kind === "field") return true;
      const head = callee.target;
      if (head.kind === "Name" && /^[A-Z]/.test(head.name) && !scope.get(head.name)) {
        const ref = ann.refs.get(callee) ?? resolveQualified(this.px, mod, head.name, callee.name);
        return this.refSuspends(ref, args, mod, scope);
      }
      const ref = ann.refs.get(callee);
      if (ref) return this.refSuspends(ref, args, mod, scope);
      return false; // dynamic method call: assumed plain
    }
    return true; // computed callee: unknown function value
  }

  // Do the callback arguments of a library call possibly suspend?
  callbacksMayBeGen(module: string | null, name: string, args: readonly S.Expr[], mod: ModIndex, scope: LocalLookup): boolean {
    const pos = libFacts(module, name)?.callbacks ?? null;
    return args.some((a, i) => (pos === null || pos.includes(i)) && this.argMayBeGen(a, mod, scope));
  }

  argMayBeGen(a: S.Expr, mod: ModIndex, scope: LocalLookup): boolean {
    if (a.kind === "Closure") return this.closureGen(a, mod, scope);
    if (a.kind === "Name") {
      const loc = scope.get(a.name);
      if (loc) {
        if (loc.k === "fn") return this.localFnGen(loc.group, mod, scope);
        if (loc.k === "closure") return this.closureGen(loc.node, mod, scope);
        const t = this.check.annotations.types.get(a) ?? loc.type;
        return !t || t.kind === "fun" || t.kind === "var";
      }
      const ref = this.check.annotations.refs.get(a) ?? resolveGlobalName(this.px, mod, a.name);
      if (ref?.kind === "global") return this.globalGen(ref.module, ref.name) || (this.px.mods.get(ref.module)?.consts.has(ref.name) ?? false);
      if (ref?.kind === "builtin") return libSuspends(ref.module, ref.name); // its value is the generator (`$g`) form
      return ref?.kind === "service" || ref?.kind === "actor";
    }
    if (a.kind === "Member" && a.target.kind === "Name" && /^[A-Z]/.test(a.target.name) && !scope.get(a.target.name)) {
      // a qualified function value (`Timer.sleep`, `Counter.get`, `Mod.f`)
      const ref = this.check.annotations.refs.get(a) ?? resolveQualified(this.px, mod, a.target.name, a.name);
      if (ref?.kind === "builtin") return libSuspends(ref.module, ref.name);
      if (ref?.kind === "global") return this.globalGen(ref.module, ref.name) || (this.px.mods.get(ref.module)?.consts.has(ref.name) ?? false);
      if (ref?.kind === "service" || ref?.kind === "actor") return true;
    }
    const t = this.check.annotations.types.get(a);
    return t === undefined || t.kind === "fun" || t.kind === "var";
  }

  /** Is this hand-written impl method (not derived, not built in) a generator? */
  implGen(impl: ImplRef | null, method: string): boolean {
    if (!impl || impl.derived || impl.module === null || impl.module === "") return false;
    const ii =
      this.px.impls.find((i) => i.module === impl.module && i.typeKey === impl.type && i.iface === impl.iface && i.ifaceArgs.join(",") === impl.ifaceArgs.join(",") && i.methods.has(method)) ??
      findImpl(this.px, impl.type, impl.iface, method, impl.ifaceArgs);
    if (!ii) return false;
    const own = ii.decl.methods.find((f) => f.name === method);
    if (own) return this.isGen(own);
    const d = ii.defaults.find((x) => x.name === method);
    return d?.body ? this.isGen(d.body) : false;
  }

  globalGen(module: string, name: string): boolean {
    const m = this.px.mods.get(module);
    const g = m?.fns.get(name);
    return g ? this.isGen(g.first) : false;
  }

  private refSuspends(ref: Ref | null | undefined, args: readonly S.Expr[], mod: ModIndex, scope: LocalLookup): boolean {
    if (!ref) return false;
    switch (ref.kind) {
      case "global":
        return this.globalGen(ref.module, ref.name) || (this.px.mods.get(ref.module)?.consts.has(ref.name) ?? false);
      case "builtin":
        if (libSuspends(ref.module, ref.name)) return true;
        if (needsGenVariant(ref.module, ref.name)) return this.callbacksMayBeGen(ref.module, ref.name, args, mod, scope);
        return false;
      case "service":
        if (ref.handler === null) return true;
        return this.serviceHandlerKind(ref.module, ref.service, ref.helper) !== "cast";
      case "actor":
        return true;
      case "static":
      case "ifaceMethod":
        return false;
      default:
        return false;
    }
  }

  serviceHandlerKind(module: string, service: string, helper: string): "call" | "cast" | null {
    const s = this.px.mods.get(module)?.services.get(service);
    return s?.helpers.get(helper)?.kind ?? null;
  }

  // One link of an operator chain, its left operand excluded (already looked at by the caller).
  private linkSuspends(e: ChainNode, mod: ModIndex, scope: LocalLookup): boolean {
    if (e.kind === "Binary") {
      // an operator whose hand-written impl method is a generator (Add, Eq, Ord, Neg)
      const op = this.check.annotations.ops.get(e);
      if (op?.kind === "impl" && this.implGen(op.impl, op.method)) return true;
      return this.exprSuspends(e.right, mod, scope);
    }
    const r = e.right;
    if (r.kind === "Call") {
      const isMethod = this.check.annotations.methods.has(r);
      if (this.calleeSuspends(r.callee, [e.left, ...r.args], mod, scope, isMethod)) return true;
      return r.args.some((a) => this.exprSuspends(a, mod, scope)) || r.kwargs.some((k) => this.exprSuspends(k.value, mod, scope));
    }
    if (r.kind === "Name" || r.kind === "Member") {
      if (r.kind === "Name" && /^[A-Z]/.test(r.name)) return false; // variant constructor
      return this.calleeSuspends(r, [e.left], mod, scope, false);
    }
    if (r.kind === "Closure") return this.closureGen(r, mod, scope);
    return true;
  }

  exprSuspends(e: S.Expr, mod: ModIndex, scope: LocalLookup): boolean {
    switch (e.kind) {
      case "Receive":
        return true;
      case "Closure":
        this.closureGen(e, mod, scope);
        return false;
      case "Call": {
        const isMethod = this.check.annotations.methods.has(e);
        if (this.calleeSuspends(e.callee, e.args, mod, scope, isMethod)) return true;
        if (e.callee.kind === "Member" && !(e.callee.target.kind === "Name" && /^[A-Z]/.test(e.callee.target.name)) && this.exprSuspends(e.callee.target, mod, scope)) return true;
        return e.args.some((a) => this.exprSuspends(a, mod, scope)) || e.kwargs.some((k) => this.exprSuspends(k.value, mod, scope));
      }
      case "Binary":
      case "Pipe": {
        // an operator chain in one loop over its links, never recursing on its length
        const links = leftSpine(e);
        if (this.exprSuspends(links[0]!.left, mod, scope)) return true;
        return links.some((l) => this.linkSuspends(l, mod, scope));
      }
      case "Case":
        return (
          this.exprSuspends(e.scrutinee, mod, scope) ||
          e.arms.some((a) => {
            const s = new Scope(scope);
            for (const n of patternNames(a.pattern)) s.set(n, { k: "value" });
            return (a.guard !== null && this.exprSuspends(a.guard, mod, s)) || this.exprSuspends(a.body, mod, s);
          })
        );
      case "For": {
        if (this.exprSuspends(e.iterable, mod, scope)) return true;
        if (isIterType(this.check.annotations.types.get(e.iterable))) return true; // pulling may run suspending stages
        const s = new Scope(scope);
        for (const n of patternNames(e.pattern)) s.set(n, { k: "value" });
        return (e.filter !== null && this.exprSuspends(e.filter, mod, s)) || this.blockSuspends(e.body, mod, s);
      }
      case "While":
        return this.exprSuspends(e.cond, mod, scope) || this.blockSuspends(e.body, mod, scope);
      case "If":
        return (
          this.exprSuspends(e.cond, mod, scope) ||
          this.blockSuspends(e.then, mod, scope) ||
          (e.elseBranch !== null && (e.elseBranch.kind === "Block" ? this.blockSuspends(e.elseBranch, mod, scope) : this.exprSuspends(e.elseBranch, mod, scope)))
        );
      case "BlockExpr":
        return this.blockSuspends(e.block, mod, scope);
      default: {
        // an operator whose hand-written impl method is a generator (Add, Eq, Ord, Neg)
        if (e.kind === "Unary") {
          const op = this.check.annotations.ops.get(e);
          if (op?.kind === "impl" && this.implGen(op.impl, op.method)) return true;
        }
        let any = false;
        forEachChildExpr(e, (c) => {
          if (!any && this.exprSuspends(c, mod, scope)) any = true;
        });
        return any;
      }
    }
  }
}

/** A lazy iterator (`Iter<T>`): pulling it may run callbacks that suspend. */
export function isIterType(t: RType | undefined): boolean {
  return t !== undefined && t.kind === "con" && t.name === "Iter";
}

// Direct sub-expressions of simple (non-binding) expression forms.
export function forEachChildExpr(e: S.Expr, f: (c: S.Expr) => void): void {
  switch (e.kind) {
    case "String":
      for (const p of e.parts) if (typeof p !== "string") f(p);
      break;
    case "Member":
      f(e.target);
      break;
    case "Call":
      f(e.callee);
      e.args.forEach(f);
      e.kwargs.forEach((k) => f(k.value));
      break;
    case "Index":
      f(e.target);
      f(e.index);
      break;
    case "Try":
    case "Ascribe":
      f(e.expr);
      break;
    case "Unary":
      f(e.operand);
      break;
    case "Binary":
    case "Pipe": {
      // the operands of the whole chain, in one loop
      const links = leftSpine(e);
      f(links[0]!.left);
      for (const l of links) f(l.right);
      break;
    }
    case "Tuple":
    case "List":
      e.elems.forEach(f);
      break;
    case "MapLit":
      e.entries.forEach((en) => {
        f(en.key);
        f(en.value);
      });
      break;
    case "StructLit":
      e.fields.forEach((fi) => f(fi.value));
      break;
    case "StructUpdate":
      f(e.base);
      e.fields.forEach((fi) => f(fi.value));
      break;
    case "Return":
      if (e.value) f(e.value);
      break;
    case "Spawn":
      e.args.forEach(f);
      break;
    case "Send":
      f(e.pid);
      f(e.message);
      break;
    case "Link":
      f(e.pid);
      break;
    default:
      break;
  }
}

const cache = new WeakMap<CheckResult, WeakMap<object, Suspension>>();

export function analyseSuspension(program: import("../analyse/program.js").Program, check: CheckResult): Suspension {
  let inner = cache.get(check);
  if (!inner) {
    inner = new WeakMap();
    cache.set(check, inner);
  }
  const hit = inner.get(program);
  if (hit) return hit;
  const s = new Suspension(indexProgram(program), check);
  s.run();
  inner.set(program, s);
  return s;
}

export { findService };
