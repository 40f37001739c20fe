// The contract between the type checker (compiler/check/*) and the code generator
// (compiler/codegen/*): what the checker learned about each node, keyed by node identity.
// Codegen must treat every entry as optional: when an entry is missing it falls back to a
// dynamic runtime helper, so the two passes can evolve independently.
import type * as S from "../ast/syntax.js";

// ---- types as the code generator sees them (fully resolved, after the checker has zonked them).
// Type variables that remain generic are { kind: "var" }.
export type RType =
  | { readonly kind: "con"; readonly name: string; readonly args: readonly RType[] } // "Int", "Float", "Bool", "String", "Atom", "List", "Map", "Set", "Range", "Option", "Result", "Ordering", "Pid", or a user type's qualified name "Geometry.Shapes.Shape"
  | { readonly kind: "tuple"; readonly elems: readonly RType[] } // unit is { kind: "tuple", elems: [] }
  | { readonly kind: "fun"; readonly params: readonly RType[]; readonly ret: RType }
  | { readonly kind: "var"; readonly id: number }
  | { readonly kind: "never" };

// Identifies the impl of an interface for a type constructor. `type` is the type constructor's
// key ("Int", "List", "Main.Point"); `module` is the module whose source contains the impl
// ("" for built-in impls provided by the runtime; null for derived impls of user types, which
// live with the type's module).
export interface ImplRef {
  readonly iface: string; // "Display", "Add", "From", "Main.Describe" (user interfaces are qualified)
  readonly ifaceArgs: readonly string[]; // type keys of interface args, e.g. From<String> -> ["String"]
  readonly type: string;
  readonly module: string | null;
  readonly derived: boolean;
}

// What a Name or Member expression refers to.
export type Ref =
  | { readonly kind: "local"; readonly name: string; readonly id: number } // let/param/pattern binding or local fn; id is unique per binding
  | { readonly kind: "global"; readonly module: string; readonly name: string } // top-level fn or module constant of `module`
  | { readonly kind: "builtin"; readonly module: string | null; readonly name: string } // stdlib; module null = prelude
  | { readonly kind: "variant"; readonly type: string; readonly module: string | null; readonly variant: string; readonly tag: number; readonly arity: number } // module null = built-in type (Option/Result/Ordering/SystemMessage)
  | { readonly kind: "static"; readonly impl: ImplRef; readonly method: string; readonly value?: string | readonly string[] } // Point.from_json, AppError.from, Float.from, default(); `value`: a deriving(Schema) constant (User.__table__)
  | { readonly kind: "ifaceMethod"; readonly iface: string; readonly method: string; readonly impl: ImplRef | null } // to_string(42), Display.to_string(p): receiver is the first argument; impl null = dispatch on the receiver at run time
  | { readonly kind: "service"; readonly module: string; readonly service: string; readonly helper: string; readonly handler: string | null } // Thermostat.start (handler null) / Thermostat.get_count (handler "GetCount")
  | { readonly kind: "actor"; readonly module: string; readonly name: string }
  | { readonly kind: "supervisor"; readonly module: string; readonly name: string }
  | { readonly kind: "namespace"; readonly module: string }; // the head of a qualified name (`TextFmt` in TextFmt.banner)

// How a method-call `recv.name(args)` is carried out.
export type MethodRef =
  | { readonly kind: "field" } // call the struct field's function value
  | { readonly kind: "impl"; readonly iface: string; readonly method: string; readonly impl: ImplRef | null } // impl null: dispatch on receiver at run time
  | { readonly kind: "module"; readonly module: string; readonly name: string }; // String.length(recv, args...)

// How an operator is carried out (Binary, Unary, and the comparison inside `compare`).
export type OpRef =
  | { readonly kind: "int" } // Int arithmetic with overflow/zero checks, or Int comparison
  | { readonly kind: "float" }
  | { readonly kind: "prim" } // ==, <, ... on String/Bool/Atom/unit: plain JS operators are correct (codegen still needs code-point order for strings)
  | { readonly kind: "structural" } // ==/< on tuples, lists, maps, Option, user types with derived Eq/Ord: runtime structural helpers
  | { readonly kind: "impl"; readonly impl: ImplRef; readonly method: string } // user-written impl (Add.add, Eq.eq, Ord.lt, Neg.neg)
  | { readonly kind: "dynamic" }; // operand type is a generic type variable: runtime dispatch on the value

export interface TryRef {
  readonly kind: "result" | "option";
  readonly convert: ImplRef | null; // From impl converting the error (Result only)
}

export interface StructRef {
  readonly type: string; // qualified name, e.g. "Main.Point"
  readonly module: string; // module that defines it
  readonly fields: readonly string[]; // declaration order
}

export interface Annotations {
  readonly types: Map<S.Expr, RType>; // type of every expression the checker reached
  readonly refs: Map<S.Expr, Ref>; // Name and Member expressions that name something
  readonly methods: Map<S.Expr, MethodRef>; // Call expressions whose callee is a Member used as a method call
  readonly ops: Map<S.Expr, OpRef>; // Binary / Unary expressions
  readonly tries: Map<S.Expr, TryRef>; // Try expressions
  readonly structs: Map<S.Expr, StructRef>; // StructLit / StructUpdate expressions
  readonly ctors: Map<S.Pattern, Ref & { kind: "variant" }>; // PCtor patterns
  readonly patternTypes: Map<S.Pattern, RType>; // type of every pattern (for literal tests Int vs Float, etc.)
  readonly bindings: Map<S.Pattern | S.FnDef, number>; // binding id of PVar / PAs / local FnDef (matches Ref local id)
}

export function emptyAnnotations(): Annotations {
  return {
    types: new Map(),
    refs: new Map(),
    methods: new Map(),
    ops: new Map(),
    tries: new Map(),
    structs: new Map(),
    ctors: new Map(),
    patternTypes: new Map(),
    bindings: new Map(),
  };
}

// ---- per-program facts the code generator needs besides the node tables.
export interface TypeInfo {
  readonly qname: string; // "Main.Point"
  readonly name: string; // "Point"
  readonly module: string;
  readonly kind: "struct" | "sum";
  readonly derives: readonly string[]; // effective derived interfaces after defaults (§3.9): "Eq","Ord","Display","Debug","Hash","Json","Row","Schema"
  readonly fields: readonly { readonly name: string; readonly type: RType }[]; // structs
  readonly variants: readonly { readonly name: string; readonly tag: number; readonly fields: readonly RType[] }[]; // sum types
}

export interface ImplInfo {
  readonly impl: ImplRef;
  readonly decl: S.ImplDef; // the source impl (module === the file containing it)
  readonly defaults: readonly string[]; // interface default methods the impl inherits (names); codegen emits them with Self = this type
}

export interface ProgramInfo {
  readonly types: Map<string, TypeInfo>; // every user struct/sum type by qualified name
  readonly impls: readonly ImplInfo[]; // every hand-written impl
}

export interface CheckResult {
  readonly annotations: Annotations;
  readonly info: ProgramInfo;
  readonly diagnostics: import("../diag/diagnostic.js").Diagnostic[];
}
