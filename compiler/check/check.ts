// Type checker entry point: checkProgram(program) -> { annotations, info, diagnostics }.
// Pipeline position: after the parser and the project loader (which orders modules by their
// imports and reports E0043/E0048), before the code generator.
//
// Passes: (1) declare every module's top-level names, (2) resolve imports (§2.3), (3) resolve
// struct/variant/alias bodies, (4) register impls, (5) compute effective derives (§3.9), then
// (6) check each module in dependency order: SCCs of functions/constants/actors/services, impl
// method bodies, interface default methods, supervisors. Annotation tables are filled as nodes
// are checked and converted to RType once at the end (after all unification).
//
// Notes for the code generator (how things are recorded):
// - Name referring to a let/param/pattern binding or a *local* function: Ref { kind: "local", id }
//   where `id` equals annotations.bindings.get(pattern) / .get(fnDef) (every clause FnDef of a
//   multi-clause local function maps to the same id; or-pattern alternatives share the ids of the
//   first alternative). A top-level function or module constant: Ref { kind: "global", module }.
// - Prelude/stdlib functions: Ref "builtin" (module null = prelude), also for `from List import
//   map` names. Constructors used as values: Ref "variant" (module null = built-in type).
//   Interface methods called as plain functions (`to_string(42)`, `Display.to_string(p)`):
//   Ref "ifaceMethod" (impl filled when the argument type was known, else null = dispatch at run
//   time). Static calls `T.from(x)`, `T.default()`, `T.from_json(s)`, `T.from_row(m)`: Ref
//   "static" on the Member callee (built-in From impls have module "", derived ones derived: true).
// - Service helpers `Svc.start` / `Svc.get_count`: Ref "service" on the Member callee. Actor names
//   (spawn target, continuation call callee, Node.spawn target): Ref "actor"; supervisors: Ref
//   "supervisor". Namespace heads (`TextFmt` in `TextFmt.banner`): Ref "namespace".
// - Operators: OpRef int/float/prim/structural/impl. When the operand type is a type variable that
//   was generalised (e.g. `fn add(a, b) = a + b`, or a rigid generic with a where-bound), the
//   operator is recorded as OpRef "dynamic": the code generator must dispatch on the runtime value
//   (or monomorphise). `<>` is "prim" for String and "structural" for List. `pid == 0` / `pid != 0`
//   (null-pid test) is recorded "structural" with a Pid left operand and Int literal right operand.
//   `a > b`, `<=`, `>=` with a hand-written Ord impl are OpRef impl with method "lt" (swap/negate
//   as in §3.10).
// - Method calls `recv.m(args)`: MethodRef on the Call node. Interface method on a receiver whose
//   type is generic: { kind: "impl", impl: null } (runtime dispatch). `x.into()` is recorded as
//   { kind: "impl", iface: "Into", method: "into", impl: <the From impl giving the conversion> }.
//   A method call whose receiver type was never resolved (generalised member constraint) may have
//   no MethodRef: fall back to runtime dispatch by name.
// - Field access on a receiver of generalised type (`fn name_of(x) do x.name end`) has no entry;
//   the code generator reads the field dynamically.
// - `default()` (prelude) is Ref "builtin" with name "default"; its result type in
//   annotations.types tells the concrete type when known (a Default impl for a user type is
//   reachable as `T.default()`, recorded as Ref "static").
// - Pipes `x |> f(a)` are not rewritten in the tree: refs/methods/types are recorded on the
//   original Call/callee nodes (the Call node of the right side gets the type of the whole pipe).
// - Keyword arguments: the Call node's callee type has the trailing Map<String, V> parameter.
// - `for` expressions have type List<body type>; `if` without else, `while`, statement-position
//   `if`/`case`/`receive` have type () (their branch types are on the branch nodes).
import type { Program } from "../analyse/program.js";
import type { Annotations, CheckResult, ProgramInfo, RType, TypeInfo } from "./annotations.js";
import type { ModScope } from "./env.js";
import { builtinIfaces, builtinTypes } from "./builtins.js";
import { Ctx } from "./context.js";
import { registerImpls, resolveTypeBodies, userTypeDecls } from "./decls.js";
import { computeDerives } from "./derive.js";
import { checkModule, guarded } from "./infer-decl.js";
import { declareModule, importModule, newScope } from "./resolve.js";
import { toRType } from "./types.js";
import { sortDiagnostics } from "../diag/diagnostic.js";

/**
 * The declaration passes over the whole program (names, imports, type bodies, impls, derives):
 * a fresh checker state ready for the bodies, shared by the whole-program and the incremental
 * checker.
 */
export function declarationPasses(program: Program): { cx: Ctx; scopes: ModScope[] } {
  const cx = new Ctx(program);
  for (const t of builtinTypes()) cx.types.set(t.qname, t);
  for (const i of builtinIfaces()) {
    cx.ifaces.set(i.qname, i);
    for (const m of i.methods.keys()) {
      const l = cx.methodIndex.get(m) ?? [];
      l.push(i);
      cx.methodIndex.set(m, l);
    }
  }
  const scopes = program.modules.map((pm) => {
    const sc = newScope(pm);
    cx.modules.set(pm.name, sc);
    return sc;
  });
  const span0 = (file: string) => ({ file, start: 0, end: 0 });
  for (const sc of scopes) guarded(cx, span0(sc.pm.file), `module ${sc.name}`, () => declareModule(cx, sc));
  for (const sc of scopes) guarded(cx, span0(sc.pm.file), `imports of ${sc.name}`, () => importModule(cx, sc));
  for (const sc of scopes) {
    cx.mod = sc;
    guarded(cx, span0(sc.pm.file), `types of ${sc.name}`, () => resolveTypeBodies(cx, sc));
  }
  for (const sc of scopes) {
    cx.mod = sc;
    guarded(cx, span0(sc.pm.file), `impls of ${sc.name}`, () => registerImpls(cx, sc));
  }
  guarded(cx, span0(scopes[0]?.pm.file ?? ""), "derives", () => computeDerives(cx, userTypeDecls(cx)));
  return { cx, scopes };
}

/** The entry point (§2.2): the entry module defines `main` with no parameters. */
export function checkEntry(cx: Ctx, program: Program): void {
  if (!program.entry) return;
  const sc = cx.modules.get(program.entry);
  const main = sc?.values.get("main");
  if (sc && (!main || main.kind !== "fn")) cx.error("E0052", `\`${sc.pm.file}\` must define a function \`main\` with no parameters`, { file: sc.pm.file, start: 0, end: 0 });
  else if (main && main.kind === "fn" && main.group.arity !== 0) cx.error("E0052", "`main` must take no parameters", main.group.first.nameSpan);
}

export function checkProgram(program: Program): CheckResult {
  const { cx, scopes } = declarationPasses(program);
  for (const sc of scopes) checkModule(cx, sc);
  checkEntry(cx, program);
  return { annotations: buildAnnotations(cx), info: buildInfo(cx), diagnostics: sortDiagnostics(cx.diags) };
}

export function buildAnnotations(cx: Ctx): Annotations {
  // Types are converted to RType when a table is first read (`meshc check` reads none); every
  // unification is over by now, so converting later gives the same result.
  const memo = new Map<import("./types.js").Type, RType>();
  const conv = (t: import("./types.js").Type) => toRType(t, memo);
  const types = cx.exprTypes.mapped(conv);
  const patternTypes = cx.patTypes.mapped(conv);
  return {
    types, refs: cx.refs, methods: cx.methods, ops: cx.ops, tries: cx.tries, structs: cx.structs,
    ctors: cx.ctors, patternTypes, bindings: cx.bindings,
  };
}

export function buildInfo(cx: Ctx): ProgramInfo {
  const types = new Map<string, TypeInfo>();
  for (const d of userTypeDecls(cx)) {
    types.set(d.qname, {
      qname: d.qname, name: d.name, module: d.module!, kind: d.kind === "struct" ? "struct" : "sum",
      derives: [...d.derives].sort(),
      fields: d.fields.map((f) => ({ name: f.name, type: toRType(f.type) })),
      variants: d.variants.map((v) => ({ name: v.name, tag: v.tag, fields: v.fields.map((x) => toRType(x)) })),
    });
  }
  return { types, impls: cx.implInfos };
}
