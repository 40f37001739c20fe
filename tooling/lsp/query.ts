// Questions the language server asks of an analysed module: which syntax nodes enclose an
// offset, what a name refers to and where it is defined, every occurrence of a symbol, the
// bindings visible at a point, and how a type is written (the diagnostics' printer conventions).
import type * as S from "../../compiler/ast/syntax.js";
import type { RType, Ref, CheckResult } from "../../compiler/check/annotations.js";
import { RoutedMap } from "../../compiler/check/incremental.js";
import type { Analysis } from "./project.js";

export type AnyNode = { readonly kind?: string; readonly span: S.Span } & Record<string, unknown>;

// Every node of a module with a span, parents before children (iterative).
export function forEachNode(root: unknown, visit: (n: AnyNode, parents: readonly AnyNode[]) => void): void {
  const stack: { v: unknown; parents: AnyNode[] }[] = [{ v: root, parents: [] }];
  while (stack.length > 0) {
    const { v, parents } = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], parents });
      continue;
    }
    const o = v as AnyNode;
    let next = parents;
    if (o.span !== undefined && typeof o.span === "object" && typeof (o.span as S.Span).start === "number") {
      visit(o, parents);
      next = [...parents, o];
    }
    const keys = Object.keys(o);
    for (let i = keys.length - 1; i >= 0; i--) {
      const k = keys[i]!;
      if (k === "span" || k.endsWith("Span")) continue;
      const c = o[k];
      if (c !== null && typeof c === "object") stack.push({ v: c, parents: next });
    }
  }
}

// The chain of nodes containing `offset`, outermost first. Only subtrees whose span contains the
// offset are entered, so a request costs the depth of the tree, not its size.
export function nodesAt(m: S.Module, offset: number): AnyNode[] {
  let best: AnyNode[] = [];
  const stack: { v: unknown; parents: AnyNode[] }[] = [{ v: m.items, parents: [] }];
  while (stack.length > 0) {
    const { v, parents } = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (Array.isArray(v)) {
      for (const x of v) stack.push({ v: x, parents });
      continue;
    }
    const o = v as AnyNode;
    let next = parents;
    if (o.span !== undefined && typeof o.span === "object" && typeof (o.span as S.Span).start === "number") {
      if (!(o.span.start <= offset && offset <= o.span.end)) continue;
      next = [...parents, o];
      if (next.length > best.length) best = next;
    }
    for (const k of Object.keys(o)) {
      if (k === "span" || k.endsWith("Span")) continue;
      const c = o[k];
      if (c !== null && typeof c === "object") stack.push({ v: c, parents: next });
    }
  }
  return best;
}

export function moduleOfFile(a: Analysis, rel: string): S.Module | undefined {
  return a.modules.get(rel);
}

export function fileOfModule(a: Analysis, name: string): string | undefined {
  return a.program.byName.get(name)?.file;
}

// ---------------------------------------------------------------- types as text

export class RTypePrinter {
  private names = new Map<number, string>();
  print(t: RType): string {
    switch (t.kind) {
      case "var": {
        let n = this.names.get(t.id);
        if (n === undefined) {
          const i = this.names.size;
          n = i < 26 ? String.fromCharCode(97 + i) : `t${i}`;
          this.names.set(t.id, n);
        }
        return n;
      }
      case "con": {
        const i = t.name.lastIndexOf(".");
        const base = i < 0 ? t.name : t.name.slice(i + 1);
        return t.args.length === 0 ? base : `${base}<${t.args.map((a) => this.print(a)).join(", ")}>`;
      }
      case "tuple":
        return `(${t.elems.map((a) => this.print(a)).join(", ")})`;
      case "fun":
        return `Fun(${t.params.map((a) => this.print(a)).join(", ")}) -> ${this.print(t.ret)}`;
      case "never":
        return "Never";
    }
  }
}

export function showRType(t: RType): string {
  return new RTypePrinter().print(t);
}

export function showTypeExpr(t: S.TypeExpr): string {
  switch (t.kind) {
    case "TName": {
      if (t.sugar === "?") return `${showTypeExpr(t.args[0]!)}?`;
      if (t.sugar === "!") return `${showTypeExpr(t.args[0]!)}!${showTypeExpr(t.args[1]!)}`;
      const base = t.path.join(".");
      return t.args.length === 0 ? base : `${base}<${t.args.map(showTypeExpr).join(", ")}>`;
    }
    case "TTuple":
      return `(${t.elems.map(showTypeExpr).join(", ")})`;
    case "TFun":
      return `Fun(${t.params.map(showTypeExpr).join(", ")}) -> ${showTypeExpr(t.ret)}`;
    case "TSelf":
      return t.assoc === null ? "Self" : `Self.${t.assoc}`;
  }
}

export function patternName(p: S.Pattern): string | null {
  return p.kind === "PVar" ? p.name : p.kind === "PAs" ? p.name : null;
}

// The range of the name a pattern binds (`x`, or the `name` of `p as name`).
export function patternNameSpan(p: S.Pattern): S.Span {
  if (p.kind === "PAs") return { file: p.span.file, start: p.span.end - p.name.length, end: p.span.end };
  return p.span;
}

// `fn add(a :: Int, b :: Int) -> Int`: the signature of a function clause, parameter names as
// written, types as inferred (one printer, so type variables are named consistently).
export function fnSignature(f: S.FnDef, check: CheckResult | null, pr = new RTypePrinter()): { label: string; params: string[] } {
  const params = f.params.map((p, i) => {
    const t = check?.annotations.patternTypes.get(p.pattern);
    const ty = t ? pr.print(t) : p.type ? showTypeExpr(p.type) : "?";
    const name = patternName(p.pattern) ?? (p.pattern.kind === "PWild" ? "_" : `arg${i + 1}`);
    return `${name} :: ${ty}`;
  });
  let ret = f.ret ? showTypeExpr(f.ret) : null;
  if (ret === null && check) {
    const last = f.body.stmts[f.body.stmts.length - 1];
    const t = last && last.kind !== "Let" && last.kind !== "FnDef" ? check.annotations.types.get(last as S.Expr) : undefined;
    if (t) ret = pr.print(t);
  }
  const gen = f.generics.length ? `<${f.generics.map((g) => g.name).join(", ")}>` : "";
  return { label: `${f.pub ? "pub " : ""}fn ${f.name}${gen}(${params.join(", ")})${ret ? ` -> ${ret}` : ""}`, params };
}

// ---------------------------------------------------------------- symbols

// What an occurrence refers to, as a comparable key, plus where it is defined.
export interface Symbol {
  readonly key: string;
  readonly name: string;
  readonly role: "value" | "type"; // lowercase or uppercase names
  readonly def: { readonly file: string; readonly span: S.Span } | null;
  readonly stdlib: boolean;
}

export interface Occurrence {
  readonly file: string;
  readonly span: S.Span; // the name's range
  readonly def: boolean;
}

function itemName(it: S.Item): { name: string; span: S.Span } | null {
  switch (it.kind) {
    case "FnDef":
    case "StructDef":
    case "SumTypeDef":
    case "TypeAliasDef":
    case "InterfaceDef":
    case "ActorDef":
    case "ServiceDef":
    case "SupervisorDef":
      return { name: it.name, span: it.nameSpan };
    case "Const":
      return it.pattern.kind === "PVar" ? { name: it.pattern.name, span: it.pattern.span } : null;
    default:
      return null;
  }
}

export function findItem(m: S.Module | undefined, name: string): { item: S.Item; span: S.Span } | null {
  if (!m) return null;
  for (const it of m.items) {
    const n = itemName(it);
    if (n && n.name === name) return { item: it, span: n.span };
  }
  return null;
}

// The type definition a type name denotes from module `m` (its own items, then imports).
export function findTypeDef(a: Analysis, m: S.Module, name: string, qualifier: readonly string[] = []): { file: string; item: S.Item; span: S.Span } | null {
  const candidates: S.Module[] = [];
  if (qualifier.length > 0) {
    const pm = a.program.byName.get(qualifier.join("."));
    if (pm) candidates.push(pm.ast);
    else for (const pmx of a.program.modules) if (pmx.name.endsWith("." + qualifier.join("."))) candidates.push(pmx.ast);
  } else {
    candidates.push(m);
    for (const it of m.items) {
      if (it.kind === "Import" || it.kind === "FromImport") {
        const pm = a.program.byName.get(it.path.join("."));
        if (pm) candidates.push(pm.ast);
      }
    }
  }
  for (const c of candidates) {
    for (const it of c.items) {
      if ((it.kind === "StructDef" || it.kind === "SumTypeDef" || it.kind === "TypeAliasDef" || it.kind === "InterfaceDef" || it.kind === "ServiceDef") && it.name === name) {
        return { file: c.file, item: it, span: it.nameSpan };
      }
    }
  }
  return null;
}

export function variantSpan(v: S.VariantDef): S.Span {
  return { file: v.span.file, start: v.span.start, end: v.span.start + v.name.length };
}

// Index from binding id to its defining pattern or local function, per table (an incremental
// check keeps one table per module; binding ids are unique across them).
type BindingTable = ReadonlyMap<S.Pattern | S.FnDef, number>;
const bindingIndex = new WeakMap<BindingTable, Map<number, S.Pattern | S.FnDef>>();
function indexOf(table: BindingTable): Map<number, S.Pattern | S.FnDef> {
  let idx = bindingIndex.get(table);
  if (idx === undefined) {
    idx = new Map();
    for (const [n, i] of table) if (!idx.has(i)) idx.set(i, n);
    bindingIndex.set(table, idx);
  }
  return idx;
}
export function bindingById(check: CheckResult, id: number): S.Pattern | S.FnDef | undefined {
  const b = check.annotations.bindings;
  const tables: BindingTable[] = b instanceof RoutedMap ? [...(b.parts.values() as Iterable<BindingTable>)] : [b];
  for (const t of tables) {
    const hit = indexOf(t).get(id);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

export function symbolOfRef(a: Analysis, ref: Ref, name: string): Symbol | null {
  const check = a.check!;
  switch (ref.kind) {
    case "local": {
      const b = bindingById(check, ref.id);
      const span = b === undefined ? null : "nameSpan" in b && b.kind === "FnDef" ? b.nameSpan : patternNameSpan(b as S.Pattern);
      return { key: `local:${ref.id}`, name: ref.name, role: "value", def: span ? { file: span.file, span } : null, stdlib: false };
    }
    case "global":
    case "actor":
    case "supervisor": {
      const file = fileOfModule(a, ref.module);
      const f = findItem(file ? a.modules.get(file) : undefined, ref.name);
      return { key: `global:${ref.module}.${ref.name}`, name: ref.name, role: "value", def: f && file ? { file, span: f.span } : null, stdlib: false };
    }
    case "service": {
      const file = fileOfModule(a, ref.module);
      const f = findItem(file ? a.modules.get(file) : undefined, ref.service);
      if (name !== ref.service) return { key: `builtin:${ref.module}.${ref.service}.${name}`, name, role: "value", def: null, stdlib: true };
      return { key: `type:${ref.module}.${ref.service}`, name: ref.service, role: "type", def: f && file ? { file, span: f.span } : null, stdlib: false };
    }
    case "variant": {
      if (ref.module === null) return { key: `variant:${ref.type}.${ref.variant}`, name: ref.variant, role: "type", def: null, stdlib: true };
      const file = fileOfModule(a, ref.module);
      const m = file ? a.modules.get(file) : undefined;
      const tname = ref.type.slice(ref.type.lastIndexOf(".") + 1);
      const t = findItem(m, tname);
      const v = t && t.item.kind === "SumTypeDef" ? t.item.variants.find((x) => x.name === ref.variant) : undefined;
      return { key: `variant:${ref.type}.${ref.variant}`, name: ref.variant, role: "type", def: v && file ? { file, span: variantSpan(v) } : null, stdlib: false };
    }
    case "namespace": {
      const file = fileOfModule(a, ref.module);
      return { key: `module:${ref.module}`, name, role: "type", def: file ? { file, span: { file, start: 0, end: 0 } } : null, stdlib: file === undefined };
    }
    default:
      return { key: `builtin:${name}`, name, role: "value", def: null, stdlib: true };
  }
}
