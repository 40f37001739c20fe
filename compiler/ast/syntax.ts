// Syntax tree produced by the parser (CST -> AST visitor) and read by every later pass.
// Nodes are plain readonly objects discriminated on `kind`; every node has a span.
// The tree is deliberately a little looser than the language (e.g. any pattern in `let`):
// later passes reject the extras with precise diagnostic codes.

export interface Span {
  readonly file: string; // path of the source file as given to the compiler (relative to the project root)
  readonly start: number; // offset of the first character (UTF-16 index into the source text)
  readonly end: number; // offset just past the last character
}

// ---------------------------------------------------------------- types (syntax)

export type TypeExpr =
  // `Int`, `List<Int>`, `Geometry.Point`, `Pid<String>`, `Unit`. `T?` and `T!E` are desugared by the
  // parser to TName Option/Result with `sugar` set (for messages only).
  | { readonly kind: "TName"; readonly span: Span; readonly path: readonly string[]; readonly args: readonly TypeExpr[]; readonly sugar?: "?" | "!" }
  // `()` (elems = []) or `(A, B, ...)` with >= 2 elems. `(A)` is just A.
  | { readonly kind: "TTuple"; readonly span: Span; readonly elems: readonly TypeExpr[] }
  // `Fun(A, B) -> R`
  | { readonly kind: "TFun"; readonly span: Span; readonly params: readonly TypeExpr[]; readonly ret: TypeExpr }
  // `Self` or `Self.Item`
  | { readonly kind: "TSelf"; readonly span: Span; readonly assoc: string | null };

// ---------------------------------------------------------------- patterns

export type LiteralValue =
  | { readonly type: "int"; readonly value: number }
  | { readonly type: "float"; readonly value: number }
  | { readonly type: "string"; readonly value: string }
  | { readonly type: "bool"; readonly value: boolean }
  | { readonly type: "unit" };

export type Pattern =
  | { readonly kind: "PWild"; readonly span: Span }
  | { readonly kind: "PVar"; readonly span: Span; readonly name: string } // also `self` in parameter position
  | { readonly kind: "PLit"; readonly span: Span; readonly value: LiteralValue } // `-1` is PLit int -1
  | { readonly kind: "PTuple"; readonly span: Span; readonly elems: readonly Pattern[] } // () is PLit unit
  // `None`, `Some(x)`, `Shape.Circle(r)`: path has 1 or 2 segments; args null when written without parens
  | { readonly kind: "PCtor"; readonly span: Span; readonly path: readonly string[]; readonly args: readonly Pattern[] | null }
  | { readonly kind: "PCons"; readonly span: Span; readonly head: Pattern; readonly tail: Pattern }
  | { readonly kind: "PEmptyList"; readonly span: Span }
  | { readonly kind: "POr"; readonly span: Span; readonly alts: readonly Pattern[] }
  | { readonly kind: "PAs"; readonly span: Span; readonly pattern: Pattern; readonly name: string };

// ---------------------------------------------------------------- expressions

export type BinaryOp =
  | "+" | "-" | "*" | "/" | "%"
  | "==" | "!=" | "<" | ">" | "<=" | ">="
  | "and" | "or" // `&&` and `||` are normalised to these
  | "<>" // `++` is normalised to this
  | "..";

export interface Block {
  readonly kind: "Block";
  readonly span: Span;
  readonly stmts: readonly Stmt[];
}

export type Stmt = Expr | LetStmt | FnDef; // FnDef = local named function

export interface LetStmt {
  readonly kind: "Let";
  readonly span: Span;
  readonly pattern: Pattern;
  readonly type: TypeExpr | null;
  readonly value: Expr;
}

export interface Param {
  readonly kind: "Param";
  readonly span: Span;
  readonly pattern: Pattern; // plain `x` is PVar, `self` is PVar "self", `_` is PWild
  readonly type: TypeExpr | null;
}

export interface KwArg {
  readonly name: string;
  readonly span: Span;
  readonly value: Expr;
}

export interface FieldInit {
  readonly name: string;
  readonly span: Span; // span of the field name
  readonly value: Expr;
}

export interface CaseArm {
  readonly span: Span;
  readonly pattern: Pattern;
  readonly guard: Expr | null;
  readonly body: Expr; // one expression (a `do ... end` body is a BlockExpr)
}

export interface ClosureClause {
  readonly span: Span;
  readonly params: readonly Param[];
  readonly guard: Expr | null;
  readonly body: Block;
}

export type StringPart = string | Expr; // literal text (escapes already decoded) or interpolated expression

export type Expr =
  | { readonly kind: "Int"; readonly span: Span; readonly value: number }
  | { readonly kind: "Float"; readonly span: Span; readonly value: number }
  | { readonly kind: "String"; readonly span: Span; readonly parts: readonly StringPart[] }
  | { readonly kind: "Atom"; readonly span: Span; readonly name: string }
  | { readonly kind: "Bool"; readonly span: Span; readonly value: boolean }
  | { readonly kind: "Unit"; readonly span: Span } // `()` and `nil`
  // lowercase or uppercase identifier, or `self` (name "self")
  | { readonly kind: "Name"; readonly span: Span; readonly name: string }
  // `target.name` (field access, qualified name `String.length`, `Shape.Circle`, `Mod.f`)
  | { readonly kind: "Member"; readonly span: Span; readonly target: Expr; readonly name: string; readonly nameSpan: Span }
  | { readonly kind: "Call"; readonly span: Span; readonly callee: Expr; readonly args: readonly Expr[]; readonly kwargs: readonly KwArg[] }
  | { readonly kind: "Index"; readonly span: Span; readonly target: Expr; readonly index: Expr }
  | { readonly kind: "Try"; readonly span: Span; readonly expr: Expr } // postfix `?`
  | { readonly kind: "Unary"; readonly span: Span; readonly op: "-" | "not"; readonly operand: Expr } // `!` normalised to not
  | { readonly kind: "Binary"; readonly span: Span; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; readonly opSpan: Span }
  | { readonly kind: "Pipe"; readonly span: Span; readonly left: Expr; readonly right: Expr }
  | { readonly kind: "Tuple"; readonly span: Span; readonly elems: readonly Expr[] } // >= 2 elems
  | { readonly kind: "List"; readonly span: Span; readonly elems: readonly Expr[] }
  | { readonly kind: "MapLit"; readonly span: Span; readonly entries: readonly { readonly key: Expr; readonly value: Expr }[] }
  // `Point { x: 1 }`, `Geo.Point { ... }`
  | { readonly kind: "StructLit"; readonly span: Span; readonly path: readonly string[]; readonly fields: readonly FieldInit[] }
  | { readonly kind: "StructUpdate"; readonly span: Span; readonly base: Expr; readonly fields: readonly FieldInit[] }
  // `else if` chains: elseBranch is another If. No else: null.
  | { readonly kind: "If"; readonly span: Span; readonly cond: Expr; readonly then: Block; readonly elseBranch: Block | IfExpr | null }
  | { readonly kind: "Case"; readonly span: Span; readonly scrutinee: Expr; readonly arms: readonly CaseArm[] }
  | { readonly kind: "Closure"; readonly span: Span; readonly clauses: readonly ClosureClause[] }
  | { readonly kind: "For"; readonly span: Span; readonly pattern: Pattern; readonly iterable: Expr; readonly filter: Expr | null; readonly body: Block }
  | { readonly kind: "While"; readonly span: Span; readonly cond: Expr; readonly body: Block }
  | { readonly kind: "Break"; readonly span: Span }
  | { readonly kind: "Continue"; readonly span: Span }
  | { readonly kind: "Return"; readonly span: Span; readonly value: Expr | null }
  | { readonly kind: "BlockExpr"; readonly span: Span; readonly block: Block }
  | { readonly kind: "Ascribe"; readonly span: Span; readonly expr: Expr; readonly type: TypeExpr }
  // ---- concurrency primaries (concurrency.md)
  | { readonly kind: "Spawn"; readonly span: Span; readonly args: readonly Expr[] } // spawn(f, a1, ...)
  | { readonly kind: "Send"; readonly span: Span; readonly pid: Expr; readonly message: Expr } // send(pid, msg)
  | { readonly kind: "Link"; readonly span: Span; readonly pid: Expr } // link(pid)
  | { readonly kind: "SelfPid"; readonly span: Span } // self()
  | { readonly kind: "Receive"; readonly span: Span; readonly arms: readonly CaseArm[]; readonly after: { readonly timeout: Expr; readonly body: Expr; readonly span: Span } | null };

export type IfExpr = Extract<Expr, { kind: "If" }>;
export type ExprKind = Expr["kind"];
export type ExprOf<K extends ExprKind> = Extract<Expr, { kind: K }>;

// ---------------------------------------------------------------- declarations

export interface WhereBound {
  readonly span: Span;
  readonly typeVar: string;
  readonly iface: readonly string[]; // qualified interface name
}

// One clause of a named function as written. Consecutive clauses with the same name are grouped
// into one function by a later pass (which reports E0022/E0023/E0043/W0002).
export interface FnDef {
  readonly kind: "FnDef";
  readonly span: Span;
  readonly nameSpan: Span;
  readonly name: string;
  readonly pub: boolean;
  readonly generics: readonly { readonly name: string; readonly span: Span }[];
  readonly params: readonly Param[]; // `fn main do` has []
  readonly ret: TypeExpr | null;
  readonly where: readonly WhereBound[];
  readonly guard: Expr | null;
  readonly body: Block; // an `= expr` body is a Block with one statement
  readonly doc: string | null; // `##` comments directly before the definition
}

export interface StructField {
  readonly name: string;
  readonly span: Span;
  readonly type: TypeExpr;
}

export interface SchemaOption {
  readonly span: Span;
  readonly key: string; // table, primary_key, timestamps, belongs_to, has_many, has_one
  readonly args: readonly Expr[];
}

export interface Deriving {
  readonly span: Span;
  readonly names: readonly { readonly name: string; readonly span: Span }[];
}

export interface StructDef {
  readonly kind: "StructDef";
  readonly span: Span;
  readonly nameSpan: Span;
  readonly name: string;
  readonly pub: boolean;
  readonly generics: readonly { readonly name: string; readonly span: Span }[];
  readonly fields: readonly StructField[];
  readonly schema: readonly SchemaOption[];
  readonly deriving: Deriving | null;
}

export interface VariantDef {
  readonly name: string;
  readonly span: Span;
  readonly fields: readonly { readonly name: string | null; readonly type: TypeExpr; readonly span: Span }[];
}

export interface SumTypeDef {
  readonly kind: "SumTypeDef";
  readonly span: Span;
  readonly nameSpan: Span;
  readonly name: string;
  readonly pub: boolean;
  readonly generics: readonly { readonly name: string; readonly span: Span }[];
  readonly variants: readonly VariantDef[];
  readonly deriving: Deriving | null;
}

export interface TypeAliasDef {
  readonly kind: "TypeAliasDef";
  readonly span: Span;
  readonly nameSpan: Span;
  readonly name: string;
  readonly pub: boolean;
  readonly generics: readonly { readonly name: string; readonly span: Span }[];
  readonly type: TypeExpr;
}

export interface MethodSig {
  readonly span: Span;
  readonly nameSpan: Span;
  readonly name: string;
  readonly params: readonly Param[];
  readonly ret: TypeExpr | null;
  readonly body: Block | null; // default method body
}

export interface InterfaceDef {
  readonly kind: "InterfaceDef";
  readonly span: Span;
  readonly nameSpan: Span;
  readonly name: string;
  readonly pub: boolean;
  readonly generics: readonly { readonly name: string; readonly span: Span }[];
  readonly assocTypes: readonly { readonly name: string; readonly span: Span }[];
  readonly methods: readonly MethodSig[];
}

export interface ImplDef {
  readonly kind: "ImplDef";
  readonly span: Span;
  readonly iface: readonly string[]; // `Display`, `From`, `Mod.Describe`
  readonly ifaceSpan: Span;
  readonly ifaceArgs: readonly TypeExpr[]; // `From<String>` -> [String]
  readonly target: TypeExpr; // `Money`, `Box<T>` (args are type variables)
  readonly where: readonly WhereBound[];
  readonly assocTypes: readonly { readonly name: string; readonly span: Span; readonly type: TypeExpr }[];
  readonly methods: readonly FnDef[];
}

export interface ImportDecl {
  readonly kind: "Import";
  readonly span: Span;
  readonly path: readonly string[];
}

export interface FromImportDecl {
  readonly kind: "FromImport";
  readonly span: Span;
  readonly path: readonly string[];
  readonly pathSpan: Span;
  readonly names: readonly { readonly name: string; readonly span: Span }[];
}

export interface ConstDef {
  readonly kind: "Const"; // top-level `let`
  readonly span: Span;
  readonly pattern: Pattern; // must be a PVar (E0047 / E0050 otherwise, checked later)
  readonly type: TypeExpr | null;
  readonly value: Expr;
}

export interface ActorDef {
  readonly kind: "ActorDef";
  readonly span: Span;
  readonly nameSpan: Span;
  readonly name: string;
  readonly pub: boolean;
  readonly params: readonly Param[];
  readonly body: Block;
  readonly terminate: Block | null;
}

export interface ServiceHandler {
  readonly span: Span;
  readonly kind: "call" | "cast";
  readonly name: string; // e.g. GetCount
  readonly nameSpan: Span;
  readonly params: readonly Param[];
  readonly reply: TypeExpr | null; // `:: T` (call only)
  readonly stateParam: Pattern | null; // `|state|`
  readonly body: Block;
}

export interface ServiceDef {
  readonly kind: "ServiceDef";
  readonly span: Span;
  readonly nameSpan: Span;
  readonly name: string;
  readonly pub: boolean;
  readonly fns: readonly FnDef[]; // exactly one `init` is valid (E0103 otherwise, checked later)
  readonly handlers: readonly ServiceHandler[];
}

// Supervisor bodies are key/value lists; values are kept as expressions and validated later
// (E0019-E0021, E0105): `strategy: one_for_all` is { key: "strategy", value: Name one_for_all }.
export interface SupervisorEntry {
  readonly span: Span;
  readonly key: string;
  readonly keySpan: Span;
  readonly value: Expr;
}

export interface SupervisorChild {
  readonly span: Span;
  readonly name: string;
  readonly nameSpan: Span;
  readonly entries: readonly SupervisorEntry[];
}

export interface SupervisorDef {
  readonly kind: "SupervisorDef";
  readonly span: Span;
  readonly nameSpan: Span;
  readonly name: string;
  readonly pub: boolean;
  readonly entries: readonly SupervisorEntry[];
  readonly children: readonly SupervisorChild[];
}

// Parsed but rejected later (E0050): top-level expression statements and inline modules.
export interface BadItem {
  readonly kind: "BadItem";
  readonly span: Span;
  readonly what: "expression" | "module";
}

export type Item =
  | FnDef
  | StructDef
  | SumTypeDef
  | TypeAliasDef
  | InterfaceDef
  | ImplDef
  | ImportDecl
  | FromImportDecl
  | ConstDef
  | ActorDef
  | ServiceDef
  | SupervisorDef
  | BadItem;

export interface Module {
  readonly kind: "Module";
  readonly file: string; // path relative to the project root, e.g. "ingestion/pipeline.mpl"
  readonly name: string; // "Ingestion.Pipeline"; "Main" for the root main.mpl
  readonly items: readonly Item[];
  readonly doc: string | null; // `##!` module documentation
}
