// Internal type representation of the checker: mutable union-find type variables with levels
// (for generalisation without scanning the environment), type schemes, deferred predicates
// (interface and member constraints), printing in source syntax and conversion to RType.
import type { Span } from "../ast/syntax.js";
import type { RType } from "./annotations.js";

export interface TVar {
  readonly k: "var";
  readonly id: number;
  ref: Type | null; // union-find link once bound
  level: number;
  readonly rigid: string | null; // explicit generic parameter name (rigid inside its body)
  bounds: string[] | null; // rigid: interfaces from `where T: I`
  preds: Pred[] | null; // deferred constraints waiting for this variable
}
export interface TCon {
  readonly k: "con";
  readonly name: string;
  readonly args: readonly Type[];
}
export interface TTuple {
  readonly k: "tuple";
  readonly elems: readonly Type[];
}
export interface TFun {
  readonly k: "fun";
  readonly params: readonly Type[];
  readonly ret: Type;
}
export interface TNever {
  readonly k: "never";
}
// The type of an expression that already produced an error: unifies with anything silently.
export interface TErr {
  readonly k: "err";
}
export type Type = TVar | TCon | TTuple | TFun | TNever | TErr;

// Callback run when a deferred predicate is solved (records annotations for the original node).
export interface PredSite {
  solved(p: Pred, how: unknown): void;
  generic?(p: Pred): void; // the predicate was generalised: runtime dispatch
}

export type Pred =
  | { readonly k: "iface"; readonly iface: string; readonly args: readonly Type[]; type: Type; readonly span: Span; readonly output: Type | null; site: PredSite | null; readonly what: string }
  | { readonly k: "text"; type: Type; readonly span: Span; site: PredSite | null }
  | { readonly k: "concat"; type: Type; readonly span: Span; site: PredSite | null }
  | { readonly k: "field"; type: Type; readonly name: string; readonly result: Type; readonly span: Span; site: PredSite | null }
  | { readonly k: "method"; type: Type; readonly name: string; readonly args: readonly Type[]; readonly result: Type; readonly span: Span; site: PredSite | null };

export interface Scheme {
  readonly vars: readonly TVar[]; // quantified variables
  readonly preds: readonly Pred[]; // constraints on them (checked at every instantiation)
  readonly type: Type;
}

let nextId = 1;
export function freshVar(level: number): TVar {
  return { k: "var", id: nextId++, ref: null, level, rigid: null, bounds: null, preds: null };
}
export function rigidVar(name: string, level: number, bounds: string[] | null): TVar {
  return { k: "var", id: nextId++, ref: null, level, rigid: name, bounds, preds: null };
}

export const tInt: TCon = { k: "con", name: "Int", args: [] };
export const tFloat: TCon = { k: "con", name: "Float", args: [] };
export const tBool: TCon = { k: "con", name: "Bool", args: [] };
export const tString: TCon = { k: "con", name: "String", args: [] };
export const tAtom: TCon = { k: "con", name: "Atom", args: [] };
export const tRange: TCon = { k: "con", name: "Range", args: [] };
export const tOrdering: TCon = { k: "con", name: "Ordering", args: [] };
export const tPid: TCon = { k: "con", name: "Pid", args: [] };
export const tUnit: TTuple = { k: "tuple", elems: [] };
export const tNever: TNever = { k: "never" };
export const tErr: TErr = { k: "err" };

export function con(name: string, args: readonly Type[] = []): TCon {
  return { k: "con", name, args };
}
export function tList(t: Type): TCon {
  return { k: "con", name: "List", args: [t] };
}
export function tMap(k: Type, v: Type): TCon {
  return { k: "con", name: "Map", args: [k, v] };
}
export function tOption(t: Type): TCon {
  return { k: "con", name: "Option", args: [t] };
}
export function tResult(t: Type, e: Type): TCon {
  return { k: "con", name: "Result", args: [t, e] };
}
export function tFun(params: readonly Type[], ret: Type): TFun {
  return { k: "fun", params, ret };
}
export function tPidOf(m: Type): TCon {
  return { k: "con", name: "Pid", args: [m] };
}

export function prune(t: Type): Type {
  if (t.k !== "var" || t.ref === null) return t;
  let root: Type = t.ref;
  while (root.k === "var" && root.ref !== null) root = root.ref;
  // path compression
  let cur: Type = t;
  while (cur.k === "var" && cur.ref !== null && cur.ref !== root) {
    const next: Type = cur.ref;
    cur.ref = root;
    cur = next;
  }
  return root;
}

export function monoScheme(t: Type): Scheme {
  return { vars: [], preds: [], type: t };
}

// Type key of a head constructor (used for impl lookup and ImplRef.type).
export function typeKey(t: Type): string | null {
  t = prune(t);
  switch (t.k) {
    case "con":
      return t.name;
    case "tuple":
      return t.elems.length === 0 ? "Unit" : "Tuple";
    case "fun":
      return "Fun";
    default:
      return null;
  }
}

export function containsErr(t: Type): boolean {
  t = prune(t);
  switch (t.k) {
    case "err":
      return true;
    case "con":
      return t.args.some(containsErr);
    case "tuple":
      return t.elems.some(containsErr);
    case "fun":
      return t.params.some(containsErr) || containsErr(t.ret);
    default:
      return false;
  }
}

export function occursIn(v: TVar, t: Type): boolean {
  t = prune(t);
  switch (t.k) {
    case "var":
      return t === v;
    case "con":
      return t.args.some((a) => occursIn(v, a));
    case "tuple":
      return t.elems.some((a) => occursIn(v, a));
    case "fun":
      return t.params.some((a) => occursIn(v, a)) || occursIn(v, t.ret);
    default:
      return false;
  }
}

export function freeVars(t: Type, out: Set<TVar>): void {
  t = prune(t);
  switch (t.k) {
    case "var":
      out.add(t);
      return;
    case "con":
      for (const a of t.args) freeVars(a, out);
      return;
    case "tuple":
      for (const a of t.elems) freeVars(a, out);
      return;
    case "fun":
      for (const a of t.params) freeVars(a, out);
      freeVars(t.ret, out);
      return;
  }
}

// ---------------------------------------------------------------- printing

// Display name of a type constructor: user types are stored qualified ("Main.Point"); messages
// use the short name.
export function shortName(q: string): string {
  const i = q.lastIndexOf(".");
  return i < 0 ? q : q.slice(i + 1);
}

export class TypePrinter {
  private names = new Map<TVar, string>();
  // how a qualified type constructor is written (Ctx.typeName: as the current module refers to it)
  constructor(private readonly conName: (q: string) => string = shortName) {}
  print(t: Type): string {
    t = prune(t);
    switch (t.k) {
      case "var": {
        if (t.rigid) return t.rigid;
        let n = this.names.get(t);
        if (!n) {
          const i = this.names.size;
          n = i < 26 ? String.fromCharCode(97 + i) : `t${i}`;
          this.names.set(t, n);
        }
        return n;
      }
      case "con": {
        const base = this.conName(t.name);
        return t.args.length === 0 ? base : `${base}<${t.args.map((a) => this.print(a)).join(", ")}>`;
      }
      case "tuple":
        return `(${t.elems.map((a) => this.print(a)).join(", ")})`;
      case "fun":
        return `Fun(${t.params.map((a) => this.print(a)).join(", ")}) -> ${this.print(t.ret)}`;
      case "never":
        return "Never";
      case "err":
        return "?";
    }
  }
}

export function showType(t: Type): string {
  return new TypePrinter().print(t);
}

// ---------------------------------------------------------------- RType conversion

const R_INT: RType = { kind: "con", name: "Int", args: [] };
const R_FLOAT: RType = { kind: "con", name: "Float", args: [] };
const R_BOOL: RType = { kind: "con", name: "Bool", args: [] };
const R_STRING: RType = { kind: "con", name: "String", args: [] };
const R_UNIT: RType = { kind: "tuple", elems: [] };
const R_NEVER: RType = { kind: "never" };

// Converts a (zonked) type; `memo` shares the RType of type objects converted before (types are
// immutable once every unification is done, so sharing is safe).
export function toRType(t: Type, memo?: Map<Type, RType>): RType {
  t = prune(t);
  switch (t.k) {
    case "con":
      if (t.args.length === 0) {
        switch (t.name) {
          case "Int":
            return R_INT;
          case "Float":
            return R_FLOAT;
          case "Bool":
            return R_BOOL;
          case "String":
            return R_STRING;
        }
      }
      break;
    case "tuple":
      if (t.elems.length === 0) return R_UNIT;
      break;
    case "never":
    case "err":
      return R_NEVER;
  }
  const hit = memo?.get(t);
  if (hit) return hit;
  let r: RType;
  switch (t.k) {
    case "var":
      r = { kind: "var", id: t.id };
      break;
    case "con":
      r = { kind: "con", name: t.name, args: t.args.map((a) => toRType(a, memo)) };
      break;
    case "tuple":
      r = { kind: "tuple", elems: t.elems.map((a) => toRType(a, memo)) };
      break;
    case "fun":
      r = { kind: "fun", params: t.params.map((a) => toRType(a, memo)), ret: toRType(t.ret, memo) };
      break;
  }
  memo?.set(t, r);
  return r;
}
