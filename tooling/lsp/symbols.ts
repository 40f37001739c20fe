// Symbol resolution for the language server: the symbol under a cursor and every occurrence of a
// symbol across the project, from the checker's name resolution (annotations) and the syntax
// trees. Keys: `local:<id>`, `global:<Mod>.<name>`, `type:<Mod>.<Name>`, `variant:<Mod>.<Type>.<V>`,
// `field:<Mod>.<Type>.<f>`, `module:<Mod>`.
import type * as S from "../../compiler/ast/syntax.js";
import type { Analysis } from "./project.js";
import { findItem, findTypeDef, forEachNode, nodesAt, patternNameSpan, symbolOfRef, variantSpan, type AnyNode, type Occurrence, type Symbol } from "./query.js";

const span = (file: string, start: number, len: number): S.Span => ({ file, start, end: start + len });

function moduleName(a: Analysis, file: string): string {
  return a.modules.get(file)?.name ?? "";
}

function structOfType(a: Analysis, t: unknown): string | null {
  const r = t as { kind: string; name?: string } | undefined;
  if (!r || r.kind !== "con" || !r.name) return null;
  return a.check?.info.types.get(r.name)?.kind === "struct" ? r.name : null;
}

function fieldDef(a: Analysis, qname: string, field: string): { file: string; span: S.Span } | null {
  const info = a.check?.info.types.get(qname);
  if (!info) return null;
  const file = a.program.byName.get(info.module)?.file;
  const it = file ? findItem(a.modules.get(file), info.name) : null;
  if (!it || it.item.kind !== "StructDef" || !file) return null;
  const f = it.item.fields.find((x) => x.name === field);
  return f ? { file, span: span(file, f.span.start, f.name.length) } : null;
}

// The occurrence under the cursor: its symbol and range.
export function symbolAt(a: Analysis, file: string, offset: number): { sym: Symbol; range: S.Span; isDef: boolean } | null {
  const m = a.modules.get(file);
  if (!m || !a.check) return null;
  const chain = nodesAt(m, offset);
  for (let i = chain.length - 1; i >= 0; i--) {
    const n = chain[i]!;
    const r = occurrenceKey(a, file, n, chain[i - 1], offset);
    if (r) return r;
  }
  return null;
}

// If `n` is (or holds at `offset`) a name occurrence, its symbol. `offset` NaN: the node's main name.
function occurrenceKey(a: Analysis, file: string, n: AnyNode, parent: AnyNode | undefined, offset: number): { sym: Symbol; range: S.Span; isDef: boolean } | null {
  const check = a.check!;
  const at = (s: S.Span) => Number.isNaN(offset) || (s.start <= offset && offset <= s.end);
  const mod = moduleName(a, file);
  switch (n.kind) {
    case "Name": {
      const e = n as unknown as S.Expr & { name: string };
      const ref = check.annotations.refs.get(e);
      if (!ref) return null;
      const sym = symbolOfRef(a, ref, e.name);
      return sym ? { sym, range: e.span, isDef: false } : null;
    }
    case "Member": {
      const e = n as unknown as Extract<S.Expr, { kind: "Member" }>;
      if (!at(e.nameSpan)) return null;
      const ref = check.annotations.refs.get(e);
      if (ref) {
        const sym = symbolOfRef(a, ref, e.name);
        return sym ? { sym, range: e.nameSpan, isDef: false } : null;
      }
      const q = structOfType(a, check.annotations.types.get(e.target));
      if (!q) return null;
      return { sym: { key: `field:${q}.${e.name}`, name: e.name, role: "value", def: fieldDef(a, q, e.name), stdlib: false }, range: e.nameSpan, isDef: false };
    }
    case "PVar":
    case "PAs": {
      const p = n as unknown as S.Pattern;
      const ns = patternNameSpan(p);
      if (!at(ns)) return null;
      const id = check.annotations.bindings.get(p);
      const name = (p as { name: string }).name;
      if (id === undefined) {
        // a module constant's pattern
        if (parent?.kind === "Const") return { sym: { key: `global:${mod}.${name}`, name, role: "value", def: { file, span: ns }, stdlib: false }, range: ns, isDef: true };
        return null;
      }
      return { sym: { key: `local:${id}`, name, role: "value", def: { file, span: ns }, stdlib: false }, range: ns, isDef: true };
    }
    case "PCtor": {
      const p = n as unknown as Extract<S.Pattern, { kind: "PCtor" }>;
      const last = p.path[p.path.length - 1]!;
      const s = span(file, p.span.start + p.path.join(".").length - last.length, last.length);
      if (!at(s)) return null;
      const v = check.annotations.ctors.get(p);
      if (!v) return null;
      const sym = symbolOfRef(a, v, last);
      return sym ? { sym, range: s, isDef: false } : null;
    }
    case "FnDef": {
      const f = n as unknown as S.FnDef;
      if (!at(f.nameSpan)) return null;
      const id = check.annotations.bindings.get(f);
      if (id !== undefined) return { sym: { key: `local:${id}`, name: f.name, role: "value", def: { file, span: f.nameSpan }, stdlib: false }, range: f.nameSpan, isDef: true };
      if (parent === undefined) {
        const first = findItem(a.modules.get(file), f.name);
        return { sym: { key: `global:${mod}.${f.name}`, name: f.name, role: "value", def: first ? { file, span: first.span } : null, stdlib: false }, range: f.nameSpan, isDef: true };
      }
      return null; // methods of impls and services: not tracked
    }
    case "ActorDef":
    case "SupervisorDef": {
      const d = n as unknown as S.ActorDef;
      if (!at(d.nameSpan)) return null;
      return { sym: { key: `global:${mod}.${d.name}`, name: d.name, role: "value", def: { file, span: d.nameSpan }, stdlib: false }, range: d.nameSpan, isDef: true };
    }
    case "StructDef":
    case "SumTypeDef":
    case "TypeAliasDef":
    case "InterfaceDef":
    case "ServiceDef": {
      const d = n as unknown as S.StructDef;
      if (!at(d.nameSpan)) return null;
      return { sym: { key: `type:${mod}.${d.name}`, name: d.name, role: "type", def: { file, span: d.nameSpan }, stdlib: false }, range: d.nameSpan, isDef: true };
    }
    case "TName": {
      const t = n as unknown as Extract<S.TypeExpr, { kind: "TName" }>;
      if (t.sugar) return null;
      const last = t.path[t.path.length - 1]!;
      const s = span(file, t.span.start + t.path.join(".").length - last.length, last.length);
      if (!at(s)) return null;
      const d = findTypeDef(a, a.modules.get(file)!, last, t.path.slice(0, -1));
      if (!d) return null;
      const dm = moduleName(a, d.file);
      return { sym: { key: `type:${dm}.${last}`, name: last, role: "type", def: { file: d.file, span: d.span }, stdlib: false }, range: s, isDef: false };
    }
    case "Import":
    case "FromImport": {
      const imp = n as unknown as S.FromImportDecl;
      const target = imp.path.join(".");
      const tfile = a.program.byName.get(target)?.file;
      if (n.kind === "FromImport") {
        for (const nm of imp.names) {
          if (!at(nm.span)) continue;
          const m2 = tfile ? a.modules.get(tfile) : undefined;
          const it = findItem(m2, nm.name);
          if (!it || !tfile) return null;
          const isType = /^[A-Z]/.test(nm.name);
          return { sym: { key: `${isType && it.item.kind !== "ActorDef" ? "type" : "global"}:${target}.${nm.name}`, name: nm.name, role: isType ? "type" : "value", def: { file: tfile, span: it.span }, stdlib: false }, range: nm.span, isDef: false };
        }
        if (imp.pathSpan && !at(imp.pathSpan)) return null;
      }
      if (!tfile) return null;
      return { sym: { key: `module:${target}`, name: target, role: "type", def: { file: tfile, span: { file: tfile, start: 0, end: 0 } }, stdlib: false }, range: n.kind === "FromImport" ? imp.pathSpan : imp.span, isDef: false };
    }
    default:
      break;
  }
  // Non-node holders: variant definitions, struct fields, field initialisers.
  const o = n as Record<string, unknown>;
  if (typeof o["name"] === "string" && Array.isArray(o["fields"]) && parent?.kind === "SumTypeDef") {
    const v = n as unknown as S.VariantDef;
    const s = variantSpan(v);
    if (!at(s)) return null;
    const t = parent as unknown as S.SumTypeDef;
    return { sym: { key: `variant:${mod}.${t.name}.${v.name}`, name: v.name, role: "type", def: { file, span: s }, stdlib: false }, range: s, isDef: true };
  }
  if (typeof o["name"] === "string" && o["type"] !== undefined && parent?.kind === "StructDef") {
    const f = n as unknown as S.StructField;
    const s = span(file, f.span.start, f.name.length);
    if (!at(s)) return null;
    const t = parent as unknown as S.StructDef;
    return { sym: { key: `field:${mod}.${t.name}.${f.name}`, name: f.name, role: "value", def: { file, span: s }, stdlib: false }, range: s, isDef: true };
  }
  if (typeof o["name"] === "string" && o["value"] !== undefined && (parent?.kind === "StructLit" || parent?.kind === "StructUpdate")) {
    const fi = n as unknown as S.FieldInit;
    if (!at(fi.span)) return null;
    const st = check.annotations.structs.get(parent as unknown as S.Expr);
    if (!st) return null;
    return { sym: { key: `field:${st.type}.${fi.name}`, name: fi.name, role: "value", def: fieldDef(a, st.type, fi.name), stdlib: false }, range: span(file, fi.span.start, fi.name.length), isDef: false };
  }
  return null;
}

// Every occurrence of a symbol in the project (locals: in their file only).
export function occurrences(a: Analysis, sym: Symbol): Occurrence[] {
  const out: Occurrence[] = [];
  const seen = new Set<string>();
  const files = sym.key.startsWith("local:") && sym.def ? [sym.def.file] : [...a.modules.keys()];
  for (const file of files) {
    const m = a.modules.get(file);
    if (!m) continue;
    forEachNode(m.items, (n, parents) => {
      if (typeof n !== "object") return;
      const nm = (n as { name?: unknown }).name;
      const names = n.kind === "FromImport" || n.kind === "Import" ? true : typeof nm === "string" ? nm === sym.name : n.kind === "TName" || n.kind === "PCtor";
      if (!names) return;
      const probes = n.kind === "FromImport" ? [...(n as unknown as S.FromImportDecl).names.map((x) => x.span.start), (n as unknown as S.FromImportDecl).pathSpan.start] : [NaN];
      for (const at of probes) {
        const r = occurrenceKey(a, file, n, parents[parents.length - 1], at);
        if (!r || r.sym.key !== sym.key) continue;
        const k = `${file}:${r.range.start}`;
        if (seen.has(k)) continue;
        seen.add(k);
        out.push({ file, span: r.range, def: r.isDef });
      }
    });
  }
  return out;
}
