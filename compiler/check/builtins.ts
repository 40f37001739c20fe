// Built-in types (primitives, Option/Result/Ordering/SystemMessage), built-in interfaces
// (§3.10) with their method signatures, and the built-in instances of §6.6.
import type { IfaceDecl, MethodDecl, TypeDecl, VariantEntity } from "./env.js";
import { opaqueLibTypes } from "./lib.js";
import { con, freshVar, prune, tBool, tInt, tOrdering, tPid, tString, type TVar, type Type } from "./types.js";

const PRIMS = ["Int", "Float", "Bool", "String", "Atom", "Range", "Pid"];
// Built-in generic type constructors and their arity (-1: Pid takes 0 or 1).
export const BUILTIN_ARITY: Record<string, number> = {
  Int: 0, Float: 0, Bool: 0, String: 0, Atom: 0, Range: 0, Ordering: 0,
  List: 1, Map: 2, Set: 1, Option: 1, Result: 2, Pid: -1, Iter: 1, Queue: 1, SystemMessage: 0,
};

function decl(kind: TypeDecl["kind"], name: string, params: TVar[]): TypeDecl {
  return {
    kind, qname: name, name, module: null, pub: true, params, arity: params.length,
    fields: [], variants: [], aliasOf: null, aliasState: 2, def: null, derives: new Set(),
  };
}

function sum(name: string, nparams: number, variants: (ps: TVar[]) => [string, Type[]][]): TypeDecl {
  const ps: TVar[] = [];
  for (let i = 0; i < nparams; i++) ps.push(freshVar(1 << 30));
  const d = decl("sum", name, ps);
  d.variants = variants(ps).map(([n, f], tag): VariantEntity => ({ type: d, name: n, tag, fields: f }));
  return d;
}

export function builtinTypes(): TypeDecl[] {
  const out: TypeDecl[] = [];
  for (const p of PRIMS) out.push(decl("builtin", p, []));
  for (const [n, a] of [["List", 1], ["Map", 2], ["Set", 1]] as const) {
    const ps: TVar[] = [];
    for (let i = 0; i < a; i++) ps.push(freshVar(1 << 30));
    out.push(decl("builtin", n, ps));
  }
  for (const [n, a] of opaqueLibTypes()) {
    if (out.some((d) => d.name === n)) continue;
    const ps: TVar[] = [];
    for (let i = 0; i < a; i++) ps.push(freshVar(1 << 30));
    out.push(decl("builtin", n, ps));
    if (BUILTIN_ARITY[n] === undefined) BUILTIN_ARITY[n] = a;
  }
  out.push(sum("Option", 1, ([t]) => [["Some", [t!]], ["None", []]]));
  out.push(sum("Result", 2, ([t, e]) => [["Ok", [t!]], ["Err", [e!]]]));
  out.push(sum("Ordering", 0, () => [["Less", []], ["Equal", []], ["Greater", []]]));
  out.push(sum("SystemMessage", 0, () => [["Down", [tInt, tPid, tString]], ["Exit", [tPid, tString]], ["NodeDown", [tString]], ["NodeUp", [tString]]]));
  return out;
}

export const SYSTEM_VARIANTS = new Set(["Down", "Exit", "NodeDown", "NodeUp"]);

// ---------------------------------------------------------------- interfaces

type Build = NonNullable<MethodDecl["build"]>;
function m(name: string, hasSelf: boolean, arity: number, build: Build, hasDefault = false): MethodDecl {
  return { name, hasSelf, arity, sig: null, build, hasDefault };
}
function iface(name: string, params: string[], assoc: string[], methods: MethodDecl[]): IfaceDecl {
  return { qname: name, name, module: null, pub: true, params, assoc, methods: new Map(methods.map((x) => [x.name, x])), def: null };
}

export function builtinIfaces(): IfaceDecl[] {
  const arith = (n: string, meth: string) => iface(n, [], ["Output"], [m(meth, true, 1, (self, _a, assoc) => ({ params: [self], ret: assoc("Output") }))]);
  return [
    arith("Add", "add"), arith("Sub", "sub"), arith("Mul", "mul"), arith("Div", "div"), arith("Mod", "mod"),
    iface("Neg", [], ["Output"], [m("neg", true, 0, (_s, _a, assoc) => ({ params: [], ret: assoc("Output") }))]),
    iface("Eq", [], [], [m("eq", true, 1, (self) => ({ params: [self], ret: tBool }))]),
    iface("Ord", [], [], [m("lt", true, 1, (self) => ({ params: [self], ret: tBool })), m("compare", true, 1, (self) => ({ params: [self], ret: tOrdering }), true)]),
    iface("Display", [], [], [m("to_string", true, 0, () => ({ params: [], ret: tString }))]),
    iface("Debug", [], [], [m("inspect", true, 0, () => ({ params: [], ret: tString }))]),
    iface("Hash", [], [], [m("hash", true, 0, () => ({ params: [], ret: tInt }))]),
    iface("Default", [], [], [m("default", false, 0, (self) => ({ params: [], ret: self }))]),
    iface("From", ["T"], [], [m("from", false, 1, (self, args) => ({ params: [args[0] ?? freshVar(1)], ret: self }))]),
    iface("Into", ["T"], [], [m("into", true, 0, (_s, args) => ({ params: [], ret: args[0] ?? freshVar(1) }))]),
    iface("Iterator", [], ["Item"], [m("next", true, 0, (_s, _a, assoc) => ({ params: [], ret: con("Option", [assoc("Item")]) }))]),
    // `for x in v` over a user Iterable runs `v.iter()` and iterates what it returns (§4.10)
    iface("Iterable", [], ["Item", "Iter"], [m("iter", true, 0, (_s, _a, assoc) => ({ params: [], ret: assoc("Iter") }))]),
  ];
}

export const DERIVABLE = new Set(["Eq", "Ord", "Display", "Debug", "Hash", "Json", "Row", "Schema"]);
export const ARITH = new Set(["Add", "Sub", "Mul", "Div", "Mod", "Neg"]);

// A requirement produced by a conditional instance: `iface` on `type` ("text": Display or Debug).
export interface SubReq {
  readonly iface: string;
  readonly type: Type;
}

// Built-in instance of `iface` for the (pruned, non-variable) type `t`: false when there is
// none, otherwise the requirements on its components.
export function builtinInstance(ifaceName: string, t: Type): false | SubReq[] {
  t = prune(t);
  const each = (ts: readonly Type[], i: string): SubReq[] => ts.map((x) => ({ iface: i, type: x }));
  if (t.k === "tuple") {
    if (t.elems.length === 0) return ["Eq", "Display", "Debug", "Hash", "Text", "ToJson"].includes(ifaceName) ? [] : false;
    switch (ifaceName) {
      case "ToJson":
        return each(t.elems, "ToJson");
      case "Eq":
      case "Ord":
      case "Hash":
        return each(t.elems, ifaceName);
      case "Display":
      case "Debug":
      case "Text":
        return each(t.elems, "Text");
    }
    return false;
  }
  if (t.k !== "con") return false;
  const n = t.name;
  switch (ifaceName) {
    case "Add": case "Sub": case "Mul": case "Div": case "Mod": case "Neg":
      return n === "Int" || n === "Float" ? [] : false;
    case "Eq":
      switch (n) {
        case "Int": case "Float": case "Bool": case "String": case "Atom": case "Ordering": case "Pid": case "Range":
          return [];
        case "List": case "Set": case "Option": case "Result": case "Map":
          return each(t.args, "Eq");
      }
      return false;
    case "Ord":
      switch (n) {
        case "Int": case "Float": case "Bool": case "String": case "Ordering":
          return [];
        case "List":
          return each(t.args, "Ord");
      }
      return false;
    case "Hash":
      return ["Int", "Float", "Bool", "String", "Atom", "Pid"].includes(n) ? [] : false;
    case "Display":
    case "Debug":
    case "Text":
      switch (n) {
        case "Int": case "Float": case "Bool": case "String": case "Atom": case "Ordering": case "Range": case "Pid":
          return [];
        case "List": case "Set": case "Option": case "Result": case "Map":
          return each(t.args, "Text");
      }
      return false;
    case "Default":
      return ["Int", "Float", "String", "Bool"].includes(n) ? [] : false;
    case "Num":
      return n === "Int" || n === "Float" ? [] : false;
    case "Prim":
      return ["Int", "Float", "Bool", "String"].includes(n) ? [] : false;
    case "ToJson":
      switch (n) {
        case "Int": case "Float": case "Bool": case "String": case "Json":
          return [];
        case "Option": case "List": case "Set":
          return each(t.args, "ToJson");
        case "Map":
          return [{ iface: "Display", type: t.args[0]! }, { iface: "ToJson", type: t.args[1]! }];
      }
      return false;
    case "Json":
      switch (n) {
        case "Int": case "Float": case "Bool": case "String":
          return [];
        case "Option": case "List":
          return each(t.args, "Json");
        case "Map":
          return [{ iface: "Eq", type: t.args[0]! }, { iface: "Json", type: t.args[1]! }];
      }
      return false;
    case "From":
      return false; // handled by builtinFrom
  }
  return false;
}

// Built-in `From<S> for T` impls (§3.10).
export const BUILTIN_FROM: readonly [string, string][] = [["Int", "Float"], ["Int", "String"], ["Float", "String"], ["Bool", "String"]];
