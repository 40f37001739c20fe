// Language features over the latest analysis (tooling.md §2.3, §2.4): hover, completion,
// signature help, document and workspace symbols, rename checks. Positions are offsets into the
// analysed text; server.ts converts them to LSP positions.
import type * as S from "../../compiler/ast/syntax.js";
import type { Analysis } from "./project.js";
import { findItem, fnSignature, forEachNode, nodesAt, patternName, bindingById, RTypePrinter, showRType, showTypeExpr, type AnyNode } from "./query.js";
import { symbolAt, occurrences } from "./symbols.js";
import { LIB, STDLIB_MODULES, MODULE_ALIASES } from "../../compiler/stdlib/signatures.js";
import { keywords as KEYWORD_TOKENS } from "../../compiler/syntax/tokens.js";

export const KEYWORDS: readonly string[] = KEYWORD_TOKENS.map((t) => t.PATTERN as string);
export const BUILTIN_TYPES = ["Int", "Float", "String", "Bool", "List", "Map", "Set", "Option", "Result", "Queue", "Range", "Pid", "Atom", "Ordering"];

// ---------------------------------------------------------------- hover

function headOf(it: S.Item, a: Analysis): string {
  switch (it.kind) {
    case "FnDef":
      return fnSignature(it, a.check).label;
    case "StructDef":
      return `struct ${it.name}${gen(it.generics)}`;
    case "SumTypeDef":
      return `type ${it.name}${gen(it.generics)}`;
    case "TypeAliasDef":
      return `type ${it.name}${gen(it.generics)} = ${showTypeExpr(it.type)}`;
    case "InterfaceDef":
      return `interface ${it.name}${gen(it.generics)}`;
    case "ServiceDef":
      return `service ${it.name}`;
    case "ActorDef":
      return `actor ${it.name}(${it.params.map((p) => patternName(p.pattern) ?? "_").join(", ")})`;
    case "SupervisorDef":
      return `supervisor ${it.name}`;
    case "Const": {
      const t = a.check?.annotations.types.get(it.value);
      return `${patternName(it.pattern) ?? "_"} :: ${t ? showRType(t) : it.type ? showTypeExpr(it.type) : "?"}`;
    }
    default:
      return "";
  }
}

function gen(g: readonly { name: string }[]): string {
  return g.length ? `<${g.map((x) => x.name).join(", ")}>` : "";
}

export function hover(a: Analysis, file: string, offset: number): { markdown: string; range: S.Span } | null {
  const m = a.modules.get(file);
  if (!m) return null;
  const block = (s: string, doc?: string | null) => "```mesh\n" + s + "\n```" + (doc ? `\n\n${doc}` : "");
  const hit = symbolAt(a, file, offset);
  if (hit && a.check) {
    const { sym, range } = hit;
    if (sym.key.startsWith("module:")) return { markdown: block(`module ${sym.key.slice(7)}`), range };
    if (sym.key.startsWith("local:")) {
      const b = bindingById(a.check, Number(sym.key.slice(6)));
      if (b && b.kind === "FnDef") return { markdown: block(fnSignature(b as S.FnDef, a.check).label, (b as S.FnDef).doc), range };
      const t = b ? a.check.annotations.patternTypes.get(b as S.Pattern) : undefined;
      return { markdown: block(`${sym.name} :: ${t ? showRType(t) : "?"}`), range };
    }
    if (sym.key.startsWith("field:")) {
      const q = sym.key.slice(6, sym.key.length - sym.name.length - 1);
      const f = a.check.info.types.get(q)?.fields.find((x) => x.name === sym.name);
      return { markdown: block(`${sym.name} :: ${f ? showRType(f.type) : "?"}`), range };
    }
    if (sym.def) {
      const dm = a.modules.get(sym.def.file);
      if (sym.key.startsWith("variant:")) {
        const parts = sym.key.slice(8).split(".");
        const tname = parts[parts.length - 2]!;
        const t = findItem(dm, tname);
        const v = t && t.item.kind === "SumTypeDef" ? t.item.variants.find((x) => x.name === sym.name) : undefined;
        if (v) return { markdown: block(`${tname}.${v.name}${v.fields.length ? `(${v.fields.map((f) => (f.name ? `${f.name} :: ` : "") + showTypeExpr(f.type)).join(", ")})` : ""}`), range };
      }
      const it = findItem(dm, sym.name);
      if (it) return { markdown: block(headOf(it.item, a), it.item.kind === "FnDef" ? it.item.doc : null), range };
    }
  }
  // Otherwise the smallest enclosing expression's type.
  const chain = nodesAt(m, offset);
  for (let i = chain.length - 1; i >= 0; i--) {
    const n = chain[i]!;
    const t = a.check?.annotations.types.get(n as unknown as S.Expr) ?? a.check?.annotations.patternTypes.get(n as unknown as S.Pattern);
    if (t) return { markdown: block(showRType(t)), range: n.span };
  }
  return null;
}

// ---------------------------------------------------------------- completion

export type CompletionKind = "Variable" | "Function" | "Struct" | "Enum" | "EnumMember" | "Interface" | "Module" | "Field" | "Method" | "Keyword" | "Snippet";
export interface Completion {
  readonly label: string;
  readonly kind: CompletionKind;
  readonly detail?: string;
  readonly insertText?: string;
  readonly snippet?: boolean;
  readonly sortGroup: number;
}

const SNIPPETS: Record<string, string> = {
  fn: "fn ${1:name}(${2}) do\n  ${0}\nend",
  let: "let ${1:name} = ${0}",
  struct: "struct ${1:Name} do\n  ${2:field} :: ${3:Type}\nend",
  case: "case ${1:value} do\n  ${2:pattern} -> ${0}\nend",
  for: "for ${1:x} in ${2:items} do\n  ${0}\nend",
  while: "while ${1:condition} do\n  ${0}\nend",
  actor: "actor ${1:name}(${2}) do\n  ${0}\nend",
  interface: "interface ${1:Name} do\n  fn ${2:method}(self) -> ${3:Type}\nend",
  impl: "impl ${1:Interface} for ${2:Type} do\n  ${0}\nend",
};

function itemCompletion(it: S.Item, a: Analysis): Completion | null {
  const head = headOf(it, a);
  switch (it.kind) {
    case "FnDef":
    case "ActorDef":
      return { label: it.name, kind: "Function", detail: head, sortGroup: 0 };
    case "ServiceDef":
      return { label: it.name, kind: "Function", detail: head, sortGroup: 0 };
    case "SupervisorDef":
      return { label: it.name, kind: "Function", detail: head, sortGroup: 0 };
    case "StructDef":
    case "TypeAliasDef":
      return { label: it.name, kind: "Struct", detail: head, sortGroup: 0 };
    case "SumTypeDef":
      return { label: it.name, kind: "Enum", detail: head, sortGroup: 0 };
    case "InterfaceDef":
      return { label: it.name, kind: "Interface", detail: head, sortGroup: 0 };
    case "Const": {
      const n = patternName(it.pattern);
      return n ? { label: n, kind: "Variable", detail: head, sortGroup: 0 } : null;
    }
    default:
      return null;
  }
}

function libModuleName(name: string): string | null {
  const m = MODULE_ALIASES[name] ?? name;
  return LIB.some((e) => e.module === m) ? m : null;
}

function libCompletions(module: string): Completion[] {
  return LIB.filter((e) => e.module === module).map((e) => ({ label: e.name, kind: "Function" as const, detail: `${module}.${e.name} :: ${e.type}`, sortGroup: 0 }));
}

const RECEIVER_MODULE: Record<string, string> = { String: "String", List: "List", Map: "Map", Set: "Set", Range: "Range" };

// Completions at `offset` of `text` (the current document, which may not parse); the analysis is
// the latest complete one.
export function complete(a: Analysis, file: string, text: string, offset: number): Completion[] {
  const before = text.slice(Math.max(0, text.lastIndexOf("\n", offset - 1) + 1), offset);
  const prefix = /[A-Za-z_][A-Za-z0-9_]*$/.exec(before)?.[0] ?? "";
  const filter = (cs: Completion[]) => cs.filter((c) => c.label.toLowerCase().startsWith(prefix.toLowerCase()));
  const m = a.modules.get(file);
  // `import A.` / `from A.B import` : module names
  if (/^\s*(import|from)\s+[A-Za-z0-9_.]*$/.test(before)) {
    const mods = [...a.program.byName.keys()].filter((n) => n !== "Main");
    const all = [...mods, ...STDLIB_MODULES].map((n) => ({ label: n, kind: "Module" as const, sortGroup: 0 }));
    const typed = /([A-Za-z0-9_.]*)$/.exec(before)![1]!;
    return all.filter((c) => c.label.startsWith(typed.slice(0, typed.lastIndexOf(".") + 1)) && c.label.toLowerCase().startsWith(typed.toLowerCase().replace(/[A-Za-z0-9_]*$/, "") + prefix.toLowerCase()));
  }
  const fromList = /^\s*from\s+([A-Z][A-Za-z0-9_.]*)\s+import\s+\(?[A-Za-z0-9_,\s]*$/.exec(before);
  if (fromList) {
    const pm = a.program.byName.get(fromList[1]!);
    if (pm) return filter(pm.ast.items.filter((it) => "pub" in it && (it as { pub: boolean }).pub).map((it) => itemCompletion(it, a)).filter((c): c is Completion => c !== null));
    const lm = libModuleName(fromList[1]!);
    return lm ? filter(libCompletions(lm)) : [];
  }
  const member = /([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\.([A-Za-z0-9_]*)$/.exec(before);
  if (member) {
    const recv = member[1]!;
    const recvEnd = offset - prefix.length - 1;
    // The analysis may predate the text being typed: offsets agree only up to the first change.
    const old = a.texts.get(file) ?? "";
    let same = 0;
    const lim = Math.min(old.length, text.length);
    while (same < lim && old.charCodeAt(same) === text.charCodeAt(same)) same++;
    return filter(memberCompletions(a, m, recv, recvEnd <= same ? recvEnd : -1, Math.min(recvEnd, same)));
  }
  if (/\.\s*$/.test(before.slice(0, before.length - prefix.length))) return [];
  const out: Completion[] = [];
  const seen = new Set<string>();
  const add = (c: Completion) => {
    const k = `${c.kind}:${c.label}`;
    if (seen.has(k)) return;
    seen.add(k);
    out.push(c);
  };
  if (m && a.check) {
    for (const c of localsAt(a, m, offset)) add(c);
    for (const it of m.items) {
      const c = itemCompletion(it, a);
      if (c) add(c);
      if (it.kind === "FromImport") {
        const pm = a.program.byName.get(it.path.join("."));
        for (const nm of it.names) {
          const src = pm ? findItem(pm.ast, nm.name) : null;
          add(src ? { ...itemCompletion(src.item, a)!, label: nm.name } : { label: nm.name, kind: /^[A-Z]/.test(nm.name) ? "Struct" : "Function", sortGroup: 0 });
        }
      }
      if (it.kind === "Import") add({ label: it.path[it.path.length - 1]!, kind: "Module", detail: `module ${it.path.join(".")}`, sortGroup: 0 });
    }
  }
  for (const t of BUILTIN_TYPES) add({ label: t, kind: "Struct", sortGroup: 1 });
  for (const k of KEYWORDS) add({ label: k, kind: "Keyword", sortGroup: 2 });
  for (const [k, body] of Object.entries(SNIPPETS)) add({ label: k, kind: "Snippet", insertText: body, snippet: true, sortGroup: 3 });
  return filter(out);
}

// Locals and parameters visible at `offset`: bindings of the enclosing top-level item that start
// before it, innermost (latest) first, shadowed names once.
function localsAt(a: Analysis, m: S.Module, offset: number): Completion[] {
  const item = m.items.find((it) => it.span.start <= offset && offset <= it.span.end);
  if (!item || !a.check) return [];
  const found: { name: string; start: number; type: string }[] = [];
  const pt = a.check.annotations.patternTypes;
  forEachNode(item, (n, parents) => {
    if ((n.kind === "PVar" || n.kind === "PAs") && n.span.end <= offset) {
      // only bindings whose scope (the enclosing node) contains the offset
      // (a `let` is visible to the end of its block, which runs to the enclosing construct's `end`)
      let k = parents.length - 2;
      while (k > 0 && (parents[k]!.kind === "Block" || parents[k]!.kind === "Let")) k--;
      const scope = parents[k] ?? parents[parents.length - 1];
      if (scope && !(scope.span.start <= offset && offset <= scope.span.end)) return;
      const t = pt.get(n as unknown as S.Pattern);
      found.push({ name: (n as unknown as { name: string }).name, start: n.span.start, type: t ? showRType(t) : "?" });
    }
  });
  found.sort((x, y) => y.start - x.start);
  const seen = new Set<string>();
  const out: Completion[] = [];
  for (const f of found) {
    if (seen.has(f.name)) continue;
    seen.add(f.name);
    out.push({ label: f.name, kind: "Variable", detail: f.type, sortGroup: 0 });
  }
  return out;
}

// `recvEnd`: where the receiver ends in the analysed text (-1 when it is not there yet);
// `scopeAt`: a point of the analysed text in the receiver's scope.
function memberCompletions(a: Analysis, m: S.Module | undefined, recv: string, recvEnd: number, scopeAt: number): Completion[] {
  // a project module (full path or an imported module's last segment)
  const imported = m?.items.find((it): it is S.ImportDecl => it.kind === "Import" && (it.path.join(".") === recv || it.path[it.path.length - 1] === recv));
  const pm = a.program.byName.get(imported ? imported.path.join(".") : recv);
  if (pm) return pm.ast.items.filter((it) => (it as { pub?: boolean }).pub).map((it) => itemCompletion(it, a)).filter((c): c is Completion => c !== null);
  const lm = libModuleName(recv);
  if (lm) return libCompletions(lm);
  // a sum type: its variants
  if (/^[A-Z]/.test(recv) && m) {
    const t = findItem(m, recv);
    if (t && t.item.kind === "SumTypeDef") return t.item.variants.map((v) => ({ label: v.name, kind: "EnumMember" as const, detail: `${recv}.${v.name}`, sortGroup: 0 }));
  }
  // a value: fields and methods of its type
  if (!m || !a.check) return [];
  let type: import("../../compiler/check/annotations.js").RType | undefined;
  const chain = recvEnd >= 0 ? nodesAt(m, recvEnd) : [];
  for (let i = chain.length - 1; i >= 0 && type === undefined; i--) {
    const n = chain[i]!;
    if (n.span.end === recvEnd) type = a.check.annotations.types.get(n as unknown as S.Expr) ?? a.check.annotations.patternTypes.get(n as unknown as S.Pattern);
  }
  if (type === undefined) {
    const last = recv.split(".").pop()!;
    let best = -1;
    if (localsAt(a, m, scopeAt).some((c) => c.label === last)) {
      forEachNode(m.items, (n) => {
        if ((n.kind === "PVar" || n.kind === "PAs") && (n as unknown as { name: string }).name === last && n.span.end <= scopeAt && n.span.start > best) {
          best = n.span.start;
          type = a.check!.annotations.patternTypes.get(n as unknown as S.Pattern);
        }
      });
    }
  }
  if (type === undefined || type.kind !== "con") return [];
  const out: Completion[] = [];
  const info = a.check.info.types.get(type.name);
  const pr = new RTypePrinter();
  if (info?.kind === "struct") for (const f of info.fields) out.push({ label: f.name, kind: "Field", detail: pr.print(f.type), sortGroup: 0 });
  for (const impl of a.check.info.impls) {
    if (impl.impl.type !== type.name) continue;
    for (const meth of impl.decl.methods) out.push({ label: meth.name, kind: "Method", detail: fnSignature(meth, a.check).label, sortGroup: 0 });
  }
  const rm = RECEIVER_MODULE[type.name];
  if (rm) for (const c of libCompletions(rm)) out.push({ ...c, kind: "Method" });
  return out;
}

// ---------------------------------------------------------------- signature help

export interface SignatureInfo {
  readonly label: string;
  readonly params: readonly string[];
  readonly active: number;
}

// From the text: the innermost unclosed `(` before the cursor, its callee and the commas after it.
export function signatureHelp(a: Analysis, file: string, text: string, offset: number): SignatureInfo | null {
  let depth = 0;
  let commas = 0;
  let open = -1;
  let inStr = false;
  for (let i = offset - 1; i >= 0 && i > offset - 4000; i--) {
    const c = text[i]!;
    if (c === '"') inStr = !inStr;
    if (inStr) continue;
    if (c === ")" || c === "]" || c === "}") depth++;
    else if (c === "(" || c === "[" || c === "{") {
      if (depth === 0) {
        if (c === "(") open = i;
        break;
      }
      depth--;
    } else if (c === "," && depth === 0) commas++;
  }
  if (open < 0) return null;
  const callee = /([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*$/.exec(text.slice(Math.max(0, open - 200), open))?.[1];
  if (!callee) return null;
  const piped = /\|>\s*[A-Za-z0-9_.]*\s*$/.test(text.slice(Math.max(0, open - 200), open));
  const active = commas + (piped ? 1 : 0);
  const parts = callee.split(".");
  const name = parts.pop()!;
  const qual = parts.join(".");
  const m = a.modules.get(file);
  let fn: S.FnDef | null = null;
  if (m) {
    if (qual === "") {
      const it = findItem(m, name);
      if (it && it.item.kind === "FnDef") fn = it.item;
      else
        for (const imp of m.items) {
          if (imp.kind !== "FromImport" || !imp.names.some((x) => x.name === name)) continue;
          const pm = a.program.byName.get(imp.path.join("."));
          const f = pm ? findItem(pm.ast, name) : null;
          if (f && f.item.kind === "FnDef") fn = f.item;
        }
    } else {
      const imported = m.items.find((it): it is S.ImportDecl => it.kind === "Import" && (it.path.join(".") === qual || it.path[it.path.length - 1] === qual));
      const pm = a.program.byName.get(imported ? imported.path.join(".") : qual);
      const f = pm ? findItem(pm.ast, name) : null;
      if (f && f.item.kind === "FnDef") fn = f.item;
    }
  }
  if (fn) {
    const sig = fnSignature(fn, a.check);
    return { label: sig.label.replace(/^pub /, "").replace(/^fn /, ""), params: sig.params, active };
  }
  const lib = LIB.find((e) => e.name === name && (e.module ?? "") === (MODULE_ALIASES[qual] ?? qual));
  if (lib) {
    const body = lib.type.replace(/^<[^>]*>/, "");
    const pm = /^\((.*)\)\s*->\s*(.*)$/.exec(body);
    const params = pm ? splitTop(pm[1]!) : [];
    return { label: `${callee}(${params.join(", ")})${pm ? ` -> ${pm[2]}` : ""}`, params, active };
  }
  return null;
}

function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0, cur = "";
  for (const c of s) {
    if (c === "(" || c === "<" || c === "[") depth++;
    else if (c === ")" || c === ">" || c === "]") depth--;
    if (c === "," && depth === 0) {
      out.push(cur.trim());
      cur = "";
    } else cur += c;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

// ---------------------------------------------------------------- symbols

export interface DocSymbol {
  readonly name: string;
  readonly kind: "Function" | "Struct" | "Enum" | "TypeParameter" | "Interface" | "Object" | "Class" | "Variable" | "Module" | "Field" | "EnumMember";
  readonly range: S.Span;
  readonly selection: S.Span;
  readonly children: DocSymbol[];
}

export function documentSymbols(m: S.Module): DocSymbol[] {
  return itemsSymbols(m.items);
}

function itemsSymbols(items: readonly S.Item[]): DocSymbol[] {
  const out: DocSymbol[] = [];
  const seenFns = new Set<string>();
  for (const it of items) {
    const s = itemSymbol(it);
    if (!s) continue;
    if (it.kind === "FnDef") {
      if (seenFns.has(it.name)) continue;
      seenFns.add(it.name);
    }
    out.push(s);
  }
  return out;
}

function fnSym(f: S.FnDef | S.MethodSig): DocSymbol {
  return { name: f.name, kind: "Function", range: f.span, selection: f.nameSpan, children: [] };
}

function itemSymbol(it: S.Item): DocSymbol | null {
  switch (it.kind) {
    case "FnDef":
      return fnSym(it);
    case "StructDef":
      return { name: it.name, kind: "Struct", range: it.span, selection: it.nameSpan, children: it.fields.map((f) => ({ name: f.name, kind: "Field" as const, range: f.span, selection: { ...f.span, end: f.span.start + f.name.length }, children: [] })) };
    case "SumTypeDef":
      return { name: it.name, kind: "Enum", range: it.span, selection: it.nameSpan, children: it.variants.map((v) => ({ name: v.name, kind: "EnumMember" as const, range: v.span, selection: { ...v.span, end: v.span.start + v.name.length }, children: [] })) };
    case "TypeAliasDef":
      return { name: it.name, kind: "TypeParameter", range: it.span, selection: it.nameSpan, children: [] };
    case "InterfaceDef":
      return { name: it.name, kind: "Interface", range: it.span, selection: it.nameSpan, children: it.methods.map(fnSym) };
    case "ImplDef":
      return { name: `impl ${it.iface.join(".")} for ${showTypeExpr(it.target)}`, kind: "Object", range: it.span, selection: it.ifaceSpan, children: it.methods.map(fnSym) };
    case "ActorDef":
      return { name: it.name, kind: "Class", range: it.span, selection: it.nameSpan, children: [] };
    case "ServiceDef":
      return {
        name: it.name,
        kind: "Class",
        range: it.span,
        selection: it.nameSpan,
        children: [...it.fns.map(fnSym), ...it.handlers.map((h) => ({ name: h.name, kind: "Function" as const, range: h.span, selection: h.nameSpan, children: [] }))].sort((x, y) => x.range.start - y.range.start),
      };
    case "SupervisorDef":
      return { name: it.name, kind: "Class", range: it.span, selection: it.nameSpan, children: [] };
    case "Const": {
      const n = patternName(it.pattern);
      return n ? { name: n, kind: "Variable", range: it.span, selection: it.pattern.span, children: [] } : null;
    }
    case "BadItem":
      return null;
    default:
      return null;
  }
}

// Case-insensitive subsequence match; lower scores are better.
function subsequenceScore(query: string, name: string): number | null {
  const q = query.toLowerCase(), n = name.toLowerCase();
  if (q === "") return n.length;
  let j = 0, gaps = 0, lastHit = -1;
  for (let i = 0; i < n.length && j < q.length; i++) {
    if (n[i] === q[j]) {
      if (lastHit >= 0 && i !== lastHit + 1) gaps++;
      lastHit = i;
      j++;
    }
  }
  if (j < q.length) return null;
  return (n.startsWith(q) ? 0 : 1000) + gaps * 10 + n.length;
}

export function workspaceSymbols(a: Analysis, query: string): { file: string; sym: DocSymbol; container: string | null }[] {
  const found: { file: string; sym: DocSymbol; container: string | null; score: number }[] = [];
  for (const [file, m] of a.modules) {
    const visit = (syms: DocSymbol[], container: string | null) => {
      for (const s of syms) {
        const sc = subsequenceScore(query, s.name);
        if (sc !== null) found.push({ file, sym: s, container, score: sc });
        if (s.children.length) visit(s.children, s.name);
      }
    };
    visit(documentSymbols(m), null);
  }
  found.sort((x, y) => x.score - y.score || (x.sym.name < y.sym.name ? -1 : 1));
  return found.slice(0, 100);
}

// ---------------------------------------------------------------- rename

export class RenameError extends Error {}

export function prepareRename(a: Analysis, file: string, offset: number): { range: S.Span; name: string } {
  const hit = symbolAt(a, file, offset);
  if (!hit || hit.sym.stdlib || hit.sym.def === null) throw new RenameError("no project symbol to rename here");
  if (hit.sym.key.startsWith("module:")) throw new RenameError("modules are renamed by renaming their files");
  return { range: hit.range, name: hit.sym.name };
}

export function rename(a: Analysis, file: string, offset: number, newName: string): Map<string, { span: S.Span; text: string }[]> {
  prepareRename(a, file, offset);
  const hit = symbolAt(a, file, offset)!;
  const sym = hit.sym;
  if (!/^[\p{L}_][\p{L}\p{Nd}_]*$/u.test(newName) || KEYWORDS.includes(newName)) throw new RenameError(`'${newName}' is not a valid name`);
  const upper = /^\p{Lu}/u.test(newName);
  if (upper !== (sym.role === "type")) throw new RenameError(sym.role === "type" ? `'${newName}' must start with an uppercase letter` : `'${newName}' must start with a lowercase letter or _`);
  const occ = occurrences(a, sym);
  // Collisions: a name already visible where the symbol is defined or used.
  for (const f of new Set(occ.map((o) => o.file))) {
    const m = a.modules.get(f)!;
    if (sym.key.startsWith("local:")) {
      const item = m.items.find((it) => sym.def && it.span.start <= sym.def.span.start && sym.def.span.start <= it.span.end);
      let clash = false;
      forEachNode(item ?? [], (n: AnyNode) => {
        if ((n.kind === "PVar" || n.kind === "PAs") && (n as unknown as { name: string }).name === newName) clash = true;
      });
      if (clash || findItem(m, newName)) throw new RenameError(`'${newName}' is already defined in this scope`);
    } else if (findItem(m, newName) || m.items.some((it) => it.kind === "FromImport" && it.names.some((x) => x.name === newName))) {
      throw new RenameError(`'${newName}' is already defined in module ${m.name}`);
    }
  }
  const edits = new Map<string, { span: S.Span; text: string }[]>();
  for (const o of occ) {
    const l = edits.get(o.file) ?? [];
    l.push({ span: o.span, text: newName });
    edits.set(o.file, l);
  }
  return edits;
}
