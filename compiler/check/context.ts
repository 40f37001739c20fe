// The checker's shared state: diagnostics, annotation tables (with internal types, converted to
// RType at the end), the current module / function context, levels for generalisation, and the
// helpers every construct uses (report, unify-with-message, instantiate, generalise, predicates).
import type * as S from "../ast/syntax.js";
import type { Program } from "../analyse/program.js";
import { error as mkError, warning as mkWarning, type Diagnostic } from "../diag/diagnostic.js";
import type { ImplInfo, MethodRef, OpRef, Ref, StructRef, TryRef } from "./annotations.js";
import { LogMap } from "./log-map.js";
import { LocalEnv, type ActorEntity, type IfaceDecl, type ImplDecl, type ModScope, type TypeDecl } from "./env.js";
import { dispatchPred } from "./interfaces.js";
import type { TyEnv } from "./resolve.js";
import { containsErr, freeVars, freshVar, prune, tErr, TypePrinter, type Pred, type Scheme, type TVar, type Type } from "./types.js";
import { unify, woken } from "./unify.js";

export interface FnCtx {
  readonly kind: "fn" | "closure" | "const" | "actor" | "terminate" | "handler" | "init";
  readonly ret: Type;
  loopDepth: number;
  readonly actor: ActorEntity | null; // inside an actor body (self()/receive/continuation allowed)
  readonly name: string | null;
  readonly tail: Set<S.Expr> | null; // tail-position expressions (actor bodies)
}

export class Ctx {
  readonly diags: Diagnostic[] = [];
  private readonly seen = new Set<string>();
  // annotation tables (internal types)
  // (LogMap: appended now, hashed when first read; ctors is read while checking patterns)
  readonly exprTypes = new LogMap<S.Expr, Type>();
  readonly patTypes = new LogMap<S.Pattern, Type>();
  readonly refs = new LogMap<S.Expr, Ref>();
  readonly methods = new LogMap<S.Expr, MethodRef>();
  readonly ops = new LogMap<S.Expr, OpRef>();
  readonly tries = new LogMap<S.Expr, TryRef>();
  readonly structs = new LogMap<S.Expr, StructRef>();
  readonly ctors = new Map<S.Pattern, Ref & { kind: "variant" }>();
  readonly bindings = new LogMap<S.Pattern | S.FnDef, number>();
  // library functions used as callees that need checks at the call (variadic, tuple rest forms)
  readonly libUse = new Map<S.Expr, { f: import("./lib.js").LibFn; sub: Map<TVar, Type> }>();
  // program-wide declarations
  readonly modules = new Map<string, ModScope>();
  readonly types = new Map<string, TypeDecl>(); // by qualified name (built-ins unqualified)
  readonly ifaces = new Map<string, IfaceDecl>(); // by qualified name
  readonly publicIfaces = new Map<string, IfaceDecl[]>(); // short name -> public user interfaces
  readonly impls = new Map<string, ImplDecl[]>(); // `${iface}|${typeKey}`
  readonly methodIndex = new Map<string, IfaceDecl[]>(); // method name -> interfaces declaring it
  readonly implInfos: ImplInfo[] = [];
  readonly implByDecl = new Map<S.ImplDef, ImplDecl>();
  // current position
  mod!: ModScope;
  fn: FnCtx | null = null;
  level = 1;
  readonly env = new LocalEnv();
  nextBinding = 1;
  inConst = false;
  tyEnv: TyEnv | null = null; // generics of the function being checked
  readonly attached: Pred[] = []; // predicates attached to variables, in order (for generalisation)
  constIndex = -1; // source index of the module constant being checked (E0004 ordering)

  constructor(readonly program: Program) {}

  // ---------------------------------------------------------------- diagnostics
  error(code: string, message: string, span: S.Span, extra: Partial<Diagnostic> = {}): void {
    const key = `${code}|${span.file}|${span.start}|${span.end}|${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.diags.push(mkError(code, message, span, extra));
  }
  warning(code: string, message: string, span: S.Span, extra: Partial<Diagnostic> = {}): void {
    const key = `${code}|${span.file}|${span.start}|${span.end}|${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.diags.push(mkWarning(code, message, span, extra));
  }

  // Unify and report E0001 (or E0002 for an infinite type) with a message built from the two
  // printed types. `msg(found, expected)` names exactly what is wrong. Returns true on success.
  expect(span: S.Span, found: Type, expected: Type, msg: (found: string, expected: string) => string, code = "E0001"): boolean {
    const r = unify(found, expected);
    this.drain();
    if (r === null) return true;
    const quiet = containsErr(found) || containsErr(expected);
    if (!quiet) this.reportMismatch(r.kind, span, found, expected, msg, code);
    // unknowns involved in a failed unification become error types so that no follow-up
    // error (E0045, E0006, ...) is reported for them
    poison(found);
    poison(expected);
    this.drain();
    return false;
  }

  private reportMismatch(kind: "mismatch" | "occurs", span: S.Span, found: Type, expected: Type, msg: (found: string, expected: string) => string, code: string): void {
    if (kind === "occurs") {
      this.error("E0002", `infinite type: cannot construct a type that contains itself (${this.show(found)} = ${this.show(expected)})`, span);
      return;
    }
    const p = new TypePrinter(this.typeName);
    const f = p.print(found);
    const e = p.print(expected);
    this.error(code, msg(f, e), span);
  }

  show(t: Type): string {
    return new TypePrinter(this.typeName).print(t);
  }

  /**
   * A type constructor as the current module writes it (decision 74): its own types and types
   * imported by name short (`Point`), another module's type through the namespace of its
   * `import` (`Geometry.Point`), else qualified by the module's full name.
   */
  readonly typeName = (q: string): string => {
    const i = q.lastIndexOf(".");
    if (i < 0) return q;
    const short = q.slice(i + 1);
    const owner = q.slice(0, i);
    const sc = this.mod as ModScope | undefined;
    if (sc === undefined || owner === sc.name) return short;
    // `from Owner import Short` (and no other visible type of that name): written short
    const vis = sc.visTypes.get(short);
    if (vis !== undefined && vis.every((d) => d.qname === q) && !sc.types.has(short)) {
      for (const it of sc.pm.ast.items) if (it.kind === "FromImport" && it.path.join(".") === owner && it.names.some((n) => n.name === short)) return short;
    }
    for (const [ns, b] of sc.namespaces) if (b.kind === "module" && b.scope.name === owner) return `${ns}.${short}`;
    return q;
  };

  // ---------------------------------------------------------------- predicates
  drain(): void {
    while (woken.length > 0) {
      const p = woken.pop()!;
      this.addPred(p);
    }
  }

  addPred(p: Pred): void {
    const t = prune(p.type);
    p.type = t;
    if (t.k === "var" && t.rigid === null) {
      (t.preds ??= []).push(p);
      this.attached.push(p);
      return;
    }
    dispatchPred(this, p);
  }

  // ---------------------------------------------------------------- schemes
  fresh(): TVar {
    return freshVar(this.level);
  }

  instantiate(s: Scheme, span: S.Span): Type {
    if (s.vars.length === 0) return s.type;
    if (s.preds.length > 0) return this.instantiateSub(s, span).type;
    // no constraints to copy: substitute through two small arrays instead of a Map
    const fresh: Type[] = [];
    for (let i = 0; i < s.vars.length; i++) fresh.push(freshVar(this.level));
    const t = substituteVars(s.type, s.vars, fresh);
    this.drain();
    return t;
  }

  instantiateSub(s: Scheme, span: S.Span): { type: Type; sub: Map<TVar, Type> } {
    const sub = new Map<TVar, Type>();
    for (const v of s.vars) sub.set(v, freshVar(this.level));
    const t = substitute(s.type, sub);
    for (const p of s.preds) this.addPred(copyPred(p, sub, span));
    this.drain();
    return { type: t, sub };
  }

  // Generalise `t` over the variables created at a deeper level. Predicates on generalised
  // variables move into the scheme; those on variables that do not occur in the type are
  // ambiguous (E0045).
  enter(): number {
    this.level++;
    return this.attached.length;
  }
  leave(): void {
    this.level--;
  }

  generalize(t: Type, mark: number): Scheme {
    return this.generalizeAll([t], mark)[0]!;
  }

  generalizeAll(ts: readonly Type[], mark: number): Scheme[] {
    this.drain();
    // Most bindings have nothing to generalise (no predicate attached since `mark`, no variable
    // created at a deeper level): the general path below would allocate its sets for nothing.
    if (this.attached.length === mark && !ts.some((t) => hasVarAbove(t, this.level))) return ts.map((t) => ({ vars: [], preds: [], type: t }));
    const seen = new Set<TVar>();
    const all: Pred[] = [];
    const schemes = ts.map((t) => this.quantify(t, seen, all));
    this.finishGeneralize(all, seen, mark);
    return schemes;
  }

  private quantify(t: Type, seen: Set<TVar>, all: Pred[]): Scheme {
    const inType = new Set<TVar>();
    freeVars(t, inType);
    const vars: TVar[] = [];
    const mine = new Set<TVar>();
    const preds: Pred[] = [];
    const work: TVar[] = [];
    for (const v of inType) if (v.level > this.level) work.push(v);
    while (work.length > 0) {
      const v = work.pop()!;
      if (mine.has(v)) continue;
      mine.add(v);
      seen.add(v);
      vars.push(v);
      if (v.preds) {
        for (const p of v.preds) {
          preds.push(p);
          all.push(p);
          const more = new Set<TVar>();
          predVars(p, more);
          for (const m of more) if (m.level > this.level && !mine.has(m)) work.push(m);
        }
      }
      if (v.bounds) {
        for (const b of v.bounds) preds.push({ k: "iface", iface: b, args: [], type: v, span: NOSPAN, output: null, site: null, what: "" });
      }
    }
    if (vars.length === 0) return { vars: [], preds: [], type: t };
    return { vars, preds, type: t };
  }

  // Predicates attached since `mark`: generalised ones switch their sites to runtime dispatch;
  // those on a deeper variable that was not generalised are ambiguous (E0045); those on outer
  // variables stay pending for the enclosing definition.
  private finishGeneralize(all: Pred[], seen: Set<TVar>, mark: number): void {
    for (const p of all) if (p.site?.generic) p.site.generic(p);
    const inScheme = new Set(all);
    const keep: Pred[] = [];
    const done = new Set<Pred>();
    for (let i = mark; i < this.attached.length; i++) {
      const p = this.attached[i]!;
      if (done.has(p)) continue;
      done.add(p);
      const pt = holder(p);
      if (pt.k !== "var" || !pt.preds || !pt.preds.includes(p)) continue; // solved or moved on
      if (inScheme.has(p)) continue;
      if (pt.level > this.level) {
        if (!seen.has(pt)) {
          // one report per variable, preferring the use that needs it over an inherited constraint
          const best = pt.preds.find((q) => q.k !== "iface") ?? pt.preds[0]!;
          this.ambiguous(best);
          pt.preds = null;
        }
        continue;
      }
      keep.push(p);
    }
    this.attached.length = mark;
    for (const p of keep) this.attached.push(p);
  }

  ambiguous(p: Pred): void {
    switch (p.k) {
      case "field":
        this.error("E0045", `cannot infer the type of this value (needed to access field \`${p.name}\`); add an annotation`, p.span);
        break;
      case "method":
        this.error("E0045", `cannot infer the type of this value (needed to call method \`${p.name}\`); add an annotation`, p.span);
        break;
      case "text":
        this.error("E0045", "cannot infer the type of this interpolated value; add an annotation", p.span);
        break;
      case "concat":
        this.error("E0045", "cannot infer the type of the operands of `<>`; add an annotation", p.span);
        break;
      case "iface":
        this.error("E0045", `cannot infer the type needed for ${p.what || `\`${p.iface}\``}; add an annotation`, p.span);
        break;
    }
  }

  newBindingId(): number {
    return this.nextBinding++;
  }
}

export const NOSPAN: S.Span = { file: "", start: 0, end: 0 };

// The variable a pending predicate waits on: its subject, except for `x.into()` waiting for
// the expected result type.
function holder(p: Pred): Type {
  const t = prune(p.type);
  if (p.k === "method" && p.name === "into" && t.k !== "var") return prune(p.result);
  return t;
}

function poison(t: Type): void {
  t = prune(t);
  switch (t.k) {
    case "var":
      if (t.rigid === null) unify(t, tErr);
      return;
    case "con":
      for (const a of t.args) poison(a);
      return;
    case "tuple":
      for (const a of t.elems) poison(a);
      return;
    case "fun":
      for (const a of t.params) poison(a);
      poison(t.ret);
      return;
  }
}

// Whether `t` has a free variable of a level deeper than `level` (one `generalize` quantifies).
function hasVarAbove(t: Type, level: number): boolean {
  t = prune(t);
  switch (t.k) {
    case "var":
      return t.level > level;
    case "con":
      for (const a of t.args) if (hasVarAbove(a, level)) return true;
      return false;
    case "tuple":
      for (const a of t.elems) if (hasVarAbove(a, level)) return true;
      return false;
    case "fun":
      for (const a of t.params) if (hasVarAbove(a, level)) return true;
      return hasVarAbove(t.ret, level);
    default:
      return false;
  }
}

export function predVars(p: Pred, out: Set<TVar>): void {
  freeVars(p.type, out);
  switch (p.k) {
    case "iface":
      for (const a of p.args) freeVars(a, out);
      if (p.output) freeVars(p.output, out);
      break;
    case "field":
      freeVars(p.result, out);
      break;
    case "method":
      for (const a of p.args) freeVars(a, out);
      freeVars(p.result, out);
      break;
  }
}

export function substitute(t: Type, sub: Map<TVar, Type>): Type {
  t = prune(t);
  switch (t.k) {
    case "var":
      return sub.get(t) ?? t;
    case "con":
      return t.args.length === 0 ? t : { k: "con", name: t.name, args: t.args.map((a) => substitute(a, sub)) };
    case "tuple":
      return t.elems.length === 0 ? t : { k: "tuple", elems: t.elems.map((a) => substitute(a, sub)) };
    case "fun":
      return { k: "fun", params: t.params.map((a) => substitute(a, sub)), ret: substitute(t.ret, sub) };
    default:
      return t;
  }
}

// substitute() for a substitution given as parallel arrays (a scheme's few variables).
function substituteVars(t: Type, vars: readonly TVar[], fresh: readonly Type[]): Type {
  t = prune(t);
  switch (t.k) {
    case "var": {
      const i = vars.lastIndexOf(t); // (as a Map filled in order: the last entry wins)
      return i < 0 ? t : fresh[i]!;
    }
    case "con":
      return t.args.length === 0 ? t : { k: "con", name: t.name, args: t.args.map((a) => substituteVars(a, vars, fresh)) };
    case "tuple":
      return t.elems.length === 0 ? t : { k: "tuple", elems: t.elems.map((a) => substituteVars(a, vars, fresh)) };
    case "fun":
      return { k: "fun", params: t.params.map((a) => substituteVars(a, vars, fresh)), ret: substituteVars(t.ret, vars, fresh) };
    default:
      return t;
  }
}

export function copyPred(p: Pred, sub: Map<TVar, Type>, span: S.Span): Pred {
  const sp = span; // constraints of a scheme are reported where it is used
  switch (p.k) {
    case "iface":
      return { k: "iface", iface: p.iface, args: p.args.map((a) => substitute(a, sub)), type: substitute(p.type, sub), span: sp, output: p.output ? substitute(p.output, sub) : null, site: null, what: p.what };
    case "text":
      return { k: "text", type: substitute(p.type, sub), span: sp, site: null };
    case "concat":
      return { k: "concat", type: substitute(p.type, sub), span: sp, site: null };
    case "field":
      return { k: "field", type: substitute(p.type, sub), name: p.name, result: substitute(p.result, sub), span: sp, site: null };
    case "method":
      return { k: "method", type: substitute(p.type, sub), name: p.name, args: p.args.map((a) => substitute(a, sub)), result: substitute(p.result, sub), span: sp, site: null };
  }
}
