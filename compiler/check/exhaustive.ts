// Pattern-match exhaustiveness (E0012 / W0003) and redundancy (W0001) checking, spec §5.3.
//
// The algorithm is the usefulness computation of Maranget, "Warnings for pattern matching"
// (JFP 2007), over a small internal pattern language:
//
//   wild                       `_`, a name, or anything that matches every value of its type
//   ctor(c, args)              a constructor of the column's type applied to sub-patterns
//   or(alts)                   union of alternatives; or([]) matches nothing
//
// Constructors per type:
//   Bool            true | false                         (finite)
//   ()              every pattern is a catch-all           (one value)
//   (A, B, …)       one constructor per arity              (finite)
//   List<T>         [] | h :: t                            (finite; see the cons rule below)
//   sum types       their variants, via MatchOracle.ctorsOf (finite, payloads recursively)
//   Int/Float/String literals of that type                 (infinite: literals never exhaust)
//   Atom, var, never, Fun, opaque library types            (no constructors: only catch-alls)
//
// The cons rule (§5.3): for the *exhaustiveness* question every `h :: t` is a catch-all (its
// sub-patterns are ignored); the *redundancy* question uses its precise meaning (a non-empty list
// whose head and tail match). So `h :: t` alone is exhaustive, and `_` after `h :: t` is useful,
// while `_` after both `[]` and `h :: t` is unreachable.
//
// Errors found earlier never turn into findings here: a constructor pattern whose `ctorName` is
// null, that does not belong to the scrutinee's type, or that has the wrong number of arguments,
// and any pattern whose shape does not fit its type (a literal of another type, a tuple of another
// arity, …) is "unresolved". For exhaustiveness it counts as a catch-all; an arm containing one is
// never reported unreachable, and inside the set of earlier arms it covers nothing (so it cannot make
// a later arm unreachable). Neither entry point throws: on any internal failure, or when the work
// budget is exhausted (pathological or-pattern blow-ups), the result is conservative (fewer
// findings, never wrong ones).
//
// Missing patterns are rendered in source syntax: `None`, `Err(_)`, `Some(Leaf)`, `(false, _)`,
// `[]`, `_ :: _`, `_`. At most MAX_MISSING examples are returned. checkMatch renders a single
// pattern; checkClauses renders the parameter list in parentheses, `(0, _)`, `(None)`, `()`, so a
// caller can print `f(0, _)` by prefixing the function name.

import type { Pattern } from "../ast/syntax.js";
import type { RType } from "./annotations.js";

export type PCtor = Extract<Pattern, { kind: "PCtor" }>;

export interface CtorSig {
  readonly name: string;
  readonly args: readonly RType[];
}

export interface MatchOracle {
  // constructors of a sum type in declaration order with payload types instantiated for this use,
  // or null for types with infinitely many values (Int, Float, String, Atom) and opaque types
  ctorsOf(t: RType): readonly CtorSig[] | null;
}

export interface MatchArm {
  readonly pattern: Pattern;
  readonly guarded: boolean;
}

export interface ClauseArm {
  readonly patterns: readonly Pattern[];
  readonly guarded: boolean;
}

export interface MatchFindings {
  missing: string[]; // example uncovered values in source syntax; empty = exhaustive
  unreachable: number[]; // indices of arms/clauses that can never be selected, ascending
}

export type CtorNameFn = (p: PCtor) => string | null;

export const MAX_MISSING = 5;
// Upper bound on the work (matrix rows visited) of one phase of one check.
const STEP_BUDGET = 2_000_000;

// ---------------------------------------------------------------- entry points

export function checkMatch(arms: readonly MatchArm[], scrutinee: RType, oracle: MatchOracle, ctorName: CtorNameFn): MatchFindings {
  try {
    const clauses: ClauseArm[] = [];
    for (const a of arms) clauses.push({ patterns: [a?.pattern], guarded: !!a?.guarded });
    const r = analyse(clauses, [scrutinee], oracle, ctorName);
    return { missing: uniq(r.missing.map((w) => render(w[0] ?? WILD))), unreachable: r.unreachable };
  } catch {
    return { missing: [], unreachable: [] };
  }
}

// Multi-clause functions and closures: each clause has one pattern per parameter. A clause whose
// pattern count differs from paramTypes.length (an arity error reported elsewhere) is treated as
// unresolved. Missing examples are rendered as parenthesised argument lists: `(0, _)`.
export function checkClauses(
  clauses: readonly ClauseArm[],
  paramTypes: readonly RType[],
  oracle: MatchOracle,
  ctorName: CtorNameFn,
): MatchFindings {
  try {
    const r = analyse(clauses, paramTypes, oracle, ctorName);
    return { missing: uniq(r.missing.map((w) => `(${w.map(render).join(", ")})`)), unreachable: r.unreachable };
  } catch {
    return { missing: [], unreachable: [] };
  }
}

// ---------------------------------------------------------------- internal representation

type CtorKind = "variant" | "tuple" | "bool" | "nil" | "cons" | "lit";

interface CtorInfo {
  readonly key: string; // identity within its type
  readonly kind: CtorKind;
  readonly label: string; // variant name, "true", "[]", …
  readonly argTypes: readonly RType[];
}

type IPat =
  | { readonly k: "wild" }
  | { readonly k: "ctor"; readonly c: CtorInfo; readonly args: readonly IPat[] }
  | { readonly k: "or"; readonly alts: readonly IPat[] };

type Row = readonly IPat[];

const WILD: IPat = { k: "wild" };
const NEVER: IPat = { k: "or", alts: [] };
const UNKNOWN_TYPE: RType = { kind: "var", id: -1 };

const TRUE: CtorInfo = { key: "true", kind: "bool", label: "true", argTypes: [] };
const FALSE: CtorInfo = { key: "false", kind: "bool", label: "false", argTypes: [] };

// How values of a type are built, as far as matching is concerned. `finite` is the complete
// constructor list when the type has one (an empty list = a type without values), null otherwise.
type Shape =
  | { readonly tag: "opaque"; readonly finite: null } // var, never, Fun, Atom, Map, library handles…
  | { readonly tag: "unit"; readonly finite: null } // every well-typed pattern is a catch-all
  | { readonly tag: "lit"; readonly finite: null; readonly lit: "int" | "float" | "string" }
  | { readonly tag: "bool"; readonly finite: readonly CtorInfo[] }
  | { readonly tag: "tuple"; readonly finite: readonly CtorInfo[]; readonly ctor: CtorInfo }
  | { readonly tag: "list"; readonly finite: readonly CtorInfo[]; readonly nil: CtorInfo; readonly cons: CtorInfo }
  | { readonly tag: "sum"; readonly finite: readonly CtorInfo[]; readonly byName: ReadonlyMap<string, CtorInfo> };

const OPAQUE: Shape = { tag: "opaque", finite: null };
const UNIT: Shape = { tag: "unit", finite: null };
const BOOL: Shape = { tag: "bool", finite: [TRUE, FALSE] };
const INT: Shape = { tag: "lit", finite: null, lit: "int" };
const FLOAT: Shape = { tag: "lit", finite: null, lit: "float" };
const STRING: Shape = { tag: "lit", finite: null, lit: "string" };

class BudgetExceeded extends Error {}

// Normalisation modes: "exh" for the exhaustiveness matrix (cons = catch-all, unresolved =
// catch-all), "row" for the arm being tested for usefulness (precise cons, unresolved = catch-all,
// but such arms are not tested at all), "matrix" for earlier arms in the redundancy check
// (precise cons, unresolved = matches nothing).
type Mode = "exh" | "row" | "matrix";

class Ctx {
  private steps = 0;
  private readonly shapes = new Map<RType, Shape>();

  constructor(
    private readonly oracle: MatchOracle,
    private readonly ctorNameFn: CtorNameFn,
  ) {}

  resetBudget(): void {
    this.steps = 0;
  }

  tick(n: number): void {
    this.steps += n + 1;
    if (this.steps > STEP_BUDGET) throw new BudgetExceeded("pattern analysis budget exceeded");
  }

  ctorName(p: PCtor): string | null {
    try {
      const n = this.ctorNameFn(p);
      return typeof n === "string" ? n : null;
    } catch {
      return null;
    }
  }

  shape(t: RType): Shape {
    if (t === null || typeof t !== "object") return OPAQUE;
    let s = this.shapes.get(t);
    if (s === undefined) {
      s = this.computeShape(t);
      this.shapes.set(t, s);
    }
    return s;
  }

  private computeShape(t: RType): Shape {
    switch (t.kind) {
      case "tuple": {
        const elems = Array.isArray(t.elems) ? t.elems : [];
        if (elems.length === 0) return UNIT;
        const ctor: CtorInfo = { key: `tuple/${elems.length}`, kind: "tuple", label: "", argTypes: elems };
        return { tag: "tuple", finite: [ctor], ctor };
      }
      case "con":
        return this.conShape(t);
      default: // var, never, fun, anything malformed
        return OPAQUE;
    }
  }

  private conShape(t: Extract<RType, { kind: "con" }>): Shape {
    const args = Array.isArray(t.args) ? t.args : [];
    switch (t.name) {
      case "Bool":
        return BOOL;
      case "Int":
        return INT;
      case "Float":
        return FLOAT;
      case "String":
        return STRING;
      case "Atom":
        return OPAQUE;
      case "List": {
        const elem = args[0] ?? UNKNOWN_TYPE;
        const nil: CtorInfo = { key: "[]", kind: "nil", label: "[]", argTypes: [] };
        const cons: CtorInfo = { key: "::", kind: "cons", label: "::", argTypes: [elem, t] };
        return { tag: "list", finite: [nil, cons], nil, cons };
      }
    }
    let sigs: readonly CtorSig[] | null = null;
    try {
      sigs = this.oracle.ctorsOf(t);
    } catch {
      sigs = null;
    }
    if (!Array.isArray(sigs)) sigs = builtinCtors(t.name, args);
    if (sigs === null) return OPAQUE;
    const ctors: CtorInfo[] = [];
    const byName = new Map<string, CtorInfo>();
    for (const s of sigs) {
      if (!s || typeof s.name !== "string" || byName.has(s.name)) continue;
      const info: CtorInfo = { key: `v:${s.name}`, kind: "variant", label: s.name, argTypes: Array.isArray(s.args) ? s.args : [] };
      ctors.push(info);
      byName.set(s.name, info);
    }
    // Also accept the unqualified variant name when the oracle reports qualified ones.
    for (const info of ctors) {
      const short = lastSegment(info.label);
      if (!byName.has(short)) byName.set(short, info);
    }
    return { tag: "sum", finite: ctors, byName };
  }

  // ---- normalisation of source patterns

  norm(p: Pattern, t: RType, mode: Mode, flag: { unresolved: boolean }): IPat {
    const bad = (): IPat => {
      flag.unresolved = true;
      return mode === "matrix" ? NEVER : WILD;
    };
    if (p === null || typeof p !== "object") return bad();
    switch (p.kind) {
      case "PWild":
      case "PVar":
        return WILD;
      case "PAs":
        return this.norm(p.pattern, t, mode, flag);
      case "POr": {
        if (!Array.isArray(p.alts) || p.alts.length === 0) return bad();
        const alts: IPat[] = [];
        let anyWild = false;
        for (const a of p.alts) {
          const n = this.norm(a, t, mode, flag); // normalise every alternative (sets the flag)
          if (n.k === "wild") anyWild = true;
          else if (n.k === "or") alts.push(...n.alts);
          else alts.push(n);
        }
        if (anyWild) return WILD;
        if (alts.length === 1) return alts[0]!;
        return { k: "or", alts };
      }
      default:
        break;
    }
    const s = this.shape(t);
    switch (s.tag) {
      case "unit":
        if ((p.kind === "PLit" && p.value?.type === "unit") || (p.kind === "PTuple" && p.elems?.length === 0)) return WILD;
        return bad();
      case "bool":
        if (p.kind === "PLit" && p.value?.type === "bool") return { k: "ctor", c: p.value.value ? TRUE : FALSE, args: [] };
        return bad();
      case "lit": {
        if (p.kind !== "PLit" || p.value?.type !== s.lit) return bad();
        const v = p.value;
        const key = v.type === "string" ? `s:${v.value}` : `${v.type}:${String(v.value)}`; // String(-0) === "0"
        return { k: "ctor", c: { key, kind: "lit", label: key, argTypes: [] }, args: [] };
      }
      case "tuple": {
        const types = s.ctor.argTypes;
        if (p.kind !== "PTuple" || !Array.isArray(p.elems) || p.elems.length !== types.length) return bad();
        const args = p.elems.map((e, i) => this.norm(e, types[i]!, mode, flag));
        return { k: "ctor", c: s.ctor, args };
      }
      case "list":
        if (p.kind === "PEmptyList") return { k: "ctor", c: s.nil, args: [] };
        if (p.kind === "PCons") {
          if (mode === "exh") return WILD;
          // `h1 :: h2 :: ... :: t` in a loop, then the nested constructors from the innermost
          const heads: IPat[] = [];
          let q: Pattern = p;
          for (; q.kind === "PCons"; q = q.tail) heads.push(this.norm(q.head, s.cons.argTypes[0]!, mode, flag));
          let acc = this.norm(q, t, mode, flag);
          for (let i = heads.length - 1; i >= 0; i--) acc = { k: "ctor", c: s.cons, args: [heads[i]!, acc] };
          return acc;
        }
        return bad();
      case "sum": {
        if (p.kind !== "PCtor") return bad();
        const name = this.ctorName(p);
        if (name === null) return bad();
        const info = s.byName.get(name) ?? s.byName.get(lastSegment(name));
        if (info === undefined) return bad();
        const written = p.args ?? [];
        if (!Array.isArray(written) || written.length !== info.argTypes.length) return bad();
        const args = written.map((a, i) => this.norm(a, info.argTypes[i]!, mode, flag));
        return { k: "ctor", c: info, args };
      }
      case "opaque":
        return bad();
    }
  }

  // ---- the usefulness algorithm

  // Is there a value matched by `q` and by no row of `rows`? The tail cases (one column consumed)
  // loop instead of recursing, so a wide tuple does not recurse once per column.
  useful(rows: readonly Row[], q: Row, types: readonly RType[]): boolean {
    for (;;) {
      this.tick(rows.length);
      if (q.length === 0) return rows.length === 0;
      if (rows.length === 0) return true; // q matches something (no or([]) in tested rows)
      const h = q[0]!;
      const qRest = q.slice(1);
      if (h.k === "or") {
        for (const alt of h.alts) if (this.useful(rows, [alt, ...qRest], types)) return true;
        return false;
      }
      const m = this.expandOr(rows);
      const tRest = types.slice(1);
      if (h.k === "ctor") {
        [rows, q, types] = [this.specialize(m, h.c), [...h.args, ...qRest], [...h.c.argTypes, ...tRest]];
        continue;
      }
      const finite = this.shape(types[0]!).finite;
      if (finite !== null && finite.length > 0) {
        const used = headCtors(m);
        if (finite.every((c) => used.has(c.key))) {
          for (const c of finite) {
            if (this.useful(this.specialize(m, c), [...wilds(c.argTypes.length), ...qRest], [...c.argTypes, ...tRest])) return true;
          }
          return false;
        }
      }
      [rows, q, types] = [defaultRows(m), qRest, tRest];
    }
  }

  // Value vectors (as patterns) matched by no row; at most `limit` of them. For a type with
  // finitely many constructors every constructor is explored (those absent from the column get
  // wildcard payloads), so `Some(Some(true))`, `None` yields both `Some(Some(false))` and
  // `Some(None)`; for other types a missing value is `_`.
  missing(rows: readonly Row[], types: readonly RType[], limit: number): IPat[][] {
    // leading columns matched by catch-alls only are skipped in a loop (a wide tuple does not
    // recurse once per column); their witnesses are `_`
    let skipped = 0;
    let m: readonly Row[];
    let tRest: readonly RType[];
    let finite: readonly CtorInfo[] | null;
    let used: Map<string, CtorInfo>;
    for (;;) {
      this.tick(rows.length);
      if (limit <= 0) return [];
      if (types.length === 0) return rows.length === 0 ? [wilds(skipped)] : [];
      m = this.expandOr(rows);
      tRest = types.slice(1);
      finite = this.shape(types[0]!).finite;
      if (finite !== null && finite.length === 0) return []; // a type without values
      used = headCtors(m);
      if (finite !== null && used.size > 0) break;
      // no constructor to split on: the column is matched by catch-alls only
      rows = defaultRows(m);
      types = tRest;
      skipped++;
    }
    if (skipped > 0) return this.missing(rows, types, limit).map((w) => [...wilds(skipped), ...w]);
    const out: IPat[][] = [];
    let dflt: IPat[][] | null = null; // witnesses for the remaining columns of the default matrix
    for (const c of finite!) {
      const a = c.argTypes.length;
      if (used.has(c.key)) {
        const ws = this.missing(this.specialize(m, c), [...c.argTypes, ...tRest], limit - out.length);
        for (const w of ws) out.push([{ k: "ctor", c, args: w.slice(0, a) }, ...w.slice(a)]);
      } else {
        dflt ??= this.missing(defaultRows(m), tRest, limit);
        for (const w of dflt) {
          if (out.length >= limit) break;
          out.push([{ k: "ctor", c, args: wilds(a) }, ...w]);
        }
      }
      if (out.length >= limit) break;
    }
    return out.slice(0, limit);
  }

  private expandOr(rows: readonly Row[]): readonly Row[] {
    if (!rows.some((r) => r[0]?.k === "or")) return rows;
    const out: Row[] = [];
    const push = (h: IPat, rest: Row): void => {
      if (h.k === "or") for (const a of h.alts) push(a, rest);
      else out.push([h, ...rest]);
    };
    for (const r of rows) {
      const h = r[0]!;
      if (h.k === "or") push(h, r.slice(1));
      else out.push(r);
    }
    this.tick(out.length);
    return out;
  }

  private specialize(rows: readonly Row[], c: CtorInfo): Row[] {
    this.tick(rows.length);
    const out: Row[] = [];
    const arity = c.argTypes.length;
    for (const r of rows) {
      const h = r[0]!;
      if (h.k === "ctor") {
        if (h.c.key === c.key) out.push(h.args.length === 0 ? r.slice(1) : [...h.args, ...r.slice(1)]);
      } else if (h.k === "wild") {
        out.push(arity === 0 ? r.slice(1) : [...wilds(arity), ...r.slice(1)]);
      }
    }
    return out;
  }
}

function headCtors(rows: readonly Row[]): Map<string, CtorInfo> {
  const used = new Map<string, CtorInfo>();
  for (const r of rows) {
    const h = r[0];
    if (h?.k === "ctor") used.set(h.c.key, h.c);
  }
  return used;
}

function defaultRows(rows: readonly Row[]): Row[] {
  const out: Row[] = [];
  for (const r of rows) if (r[0]?.k === "wild") out.push(r.slice(1));
  return out;
}

function wilds(n: number): IPat[] {
  const out: IPat[] = [];
  for (let i = 0; i < n; i++) out.push(WILD);
  return out;
}

function lastSegment(name: string): string {
  const i = name.lastIndexOf(".");
  return i < 0 ? name : name.slice(i + 1);
}

// Used only when the oracle does not know the built-in sum types.
function builtinCtors(name: string, args: readonly RType[]): CtorSig[] | null {
  const a = (i: number): RType => args[i] ?? UNKNOWN_TYPE;
  switch (name) {
    case "Option":
      return [{ name: "Some", args: [a(0)] }, { name: "None", args: [] }];
    case "Result":
      return [{ name: "Ok", args: [a(0)] }, { name: "Err", args: [a(1)] }];
    case "Ordering":
      return [{ name: "Less", args: [] }, { name: "Equal", args: [] }, { name: "Greater", args: [] }];
    default:
      return null;
  }
}

// ---------------------------------------------------------------- driver

function analyse(
  clauses: readonly ClauseArm[],
  types: readonly RType[],
  oracle: MatchOracle,
  ctorName: CtorNameFn,
): { missing: IPat[][]; unreachable: number[] } {
  const ctx = new Ctx(oracle, ctorName);
  const n = types.length;
  const fits = (c: ClauseArm | undefined): c is ClauseArm => !!c && Array.isArray(c.patterns) && c.patterns.length === n;

  // Exhaustiveness: unguarded arms, cons and unresolved patterns as catch-alls.
  let missing: IPat[][] = [];
  const opaqueOnly = types.every((t) => t?.kind === "var" || t?.kind === "never");
  if (!(clauses.length === 0 && opaqueOnly)) {
    try {
      const rows: Row[] = [];
      for (const c of clauses) {
        if (c?.guarded) continue;
        if (!fits(c)) {
          rows.push(wilds(n)); // arity error reported elsewhere: assume it covers everything
          continue;
        }
        const flag = { unresolved: false };
        rows.push(c.patterns.map((p, i) => ctx.norm(p, types[i]!, "exh", flag)));
      }
      missing = ctx.missing(rows, types, MAX_MISSING);
    } catch {
      missing = [];
    }
  }

  // Redundancy: each arm against the earlier unguarded ones, with precise cons patterns.
  const unreachable: number[] = [];
  ctx.resetBudget();
  try {
    const matrix: Row[] = [];
    clauses.forEach((c, i) => {
      if (!fits(c)) return;
      const flag = { unresolved: false };
      const row = c.patterns.map((p, j) => ctx.norm(p, types[j]!, "row", flag));
      if (!flag.unresolved && !ctx.useful(matrix, row, types)) unreachable.push(i);
      if (!c.guarded) {
        const mflag = { unresolved: false };
        matrix.push(c.patterns.map((p, j) => ctx.norm(p, types[j]!, "matrix", mflag)));
      }
    });
  } catch {
    // budget exhausted or malformed input: keep the findings established so far
  }
  return { missing, unreachable };
}

// ---------------------------------------------------------------- rendering

function render(w: IPat): string {
  switch (w.k) {
    case "wild":
      return "_";
    case "or":
      return w.alts.length === 0 ? "_" : w.alts.map(render).join(" | ");
    case "ctor": {
      const args = w.args.map(render);
      switch (w.c.kind) {
        case "variant":
          return args.length === 0 ? w.c.label : `${w.c.label}(${args.join(", ")})`;
        case "tuple":
          return `(${args.join(", ")})`;
        case "cons": {
          const head = w.args[0];
          const h = head?.k === "ctor" && head.c.kind === "cons" ? `(${args[0]})` : (args[0] ?? "_");
          return `${h} :: ${args[1] ?? "_"}`;
        }
        default:
          return w.c.label;
      }
    }
  }
}

function uniq(xs: string[]): string[] {
  return [...new Set(xs)];
}
