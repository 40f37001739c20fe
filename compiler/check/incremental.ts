// Incremental type checking for the language server (tooling.md §2.2): keeps, per module, the
// result of checking its bodies (annotations, diagnostics, the schemes of its top-level values)
// and on the next round re-checks only the modules whose result can differ; the others get their
// previous schemes back, so the checker state every re-checked module sees equals the one
// checkProgram (check.ts) builds. Results equal a full check (tested against checkProgram).
//
// Each round re-runs the cheap declaration passes (names, imports, type bodies, impls, derives)
// over the whole program with a fresh Ctx, then walks the modules in dependency order. A module's
// bodies are re-checked when its syntax tree changed, when a module it may read (imports, and
// modules it names by full path) changed its value interface (names, kinds, arities and type
// schemes of every top-level value: a from-import of a private name still binds it), when a file
// its diagnostics point into changed, or when any type, interface or impl of the program changed
// (those are visible program-wide: method lookup, derives, impls by type). A module whose schemes
// keep unsolved outer type variables (which importers could bind) is re-checked every round
// together with its readers.
import type { Program, ProgramModule } from "../analyse/program.js";
import type * as S from "../ast/syntax.js";
import { sortDiagnostics, type Diagnostic } from "../diag/diagnostic.js";
import type { Annotations, CheckResult } from "./annotations.js";
import { buildAnnotations, buildInfo, checkEntry, declarationPasses } from "./check.js";
import { copyPred, substitute } from "./context.js";
import type { ModScope, ServiceHelper, ValueEntity } from "./env.js";
import { checkModule } from "./infer-decl.js";
import { freeVars, freshVar, prune, rigidVar, type Pred, type Scheme, type TVar, type Type } from "./types.js";

// What importers read of one top-level value after its module's bodies were checked.
interface ValueSnap {
  readonly kind: ValueEntity["kind"];
  readonly scheme: Scheme | null;
  readonly declared: boolean;
  readonly checked: boolean;
  readonly helpers: readonly ServiceHelper[];
}

interface ModuleState {
  readonly name: string;
  readonly file: string;
  readonly ast: S.Module;
  readonly importsKey: string;
  readonly annotations: Annotations; // this module's nodes only
  readonly diagnostics: readonly Diagnostic[]; // reported while checking its bodies
  readonly values: ReadonlyMap<string, ValueSnap>;
  readonly fingerprint: string; // value interface; unique per round when volatile
  readonly volatile: boolean;
  readonly otherFiles: ReadonlySet<string>; // files other than its own its diagnostics point into
}

export interface IncrementalResult extends CheckResult {
  readonly rechecked: readonly string[]; // modules whose bodies were checked in this round
  readonly fingerprints: ReadonlyMap<string, string>; // module -> value-interface fingerprint
}

let volatileSerial = 0;

export class IncrementalChecker {
  private states = new Map<string, ModuleState>();
  private globalKey: string | null = null;
  private modulesKey: string | null = null;
  private declKeys = new Map<string, string>();
  private nextBinding = 1; // binding ids stay unique across rounds (features index them program-wide)

  check(program: Program): IncrementalResult {
    return this.round(program, false);
  }

  private round(program: Program, forceAll: boolean): IncrementalResult {
    const { cx, scopes } = declarationPasses(program);
    const front = cx.diags.length;

    const globalKey = program.modules.map((pm) => globalPart(pm.ast)).join("\n");
    const modulesKey = program.modules.map((pm) => `${pm.name}=${pm.file}`).sort().join(",");
    const all = forceAll || globalKey !== this.globalKey || modulesKey !== this.modulesKey;
    const astChanged = new Set<string>(); // files
    const changed = new Set<string>(); // modules whose value interface changed in this round
    const declKeys = new Map<string, string>();
    for (const sc of scopes) {
      const prev = this.states.get(sc.name);
      if (!prev || prev.ast !== sc.pm.ast) astChanged.add(sc.pm.file);
      const dk = declKey(sc);
      declKeys.set(sc.name, dk);
      if (this.declKeys.get(sc.name) !== dk) changed.add(sc.name);
    }

    cx.nextBinding = this.nextBinding;
    const rechecked: ModScope[] = [];
    const fresh = new Map<string, { diagnostics: Diagnostic[]; values: Map<string, ValueSnap>; fingerprint: string; volatile: boolean }>();
    const pass6: Diagnostic[][] = [];
    for (const sc of scopes) {
      const prev = this.states.get(sc.name);
      const dirty =
        all ||
        prev === undefined ||
        prev.ast !== sc.pm.ast ||
        prev.volatile ||
        prev.importsKey !== importsKey(sc.pm) ||
        [...readsOf(sc.pm, program)].some((d) => changed.has(d)) ||
        [...prev.otherFiles].some((f) => astChanged.has(f));
      if (!dirty) {
        restore(sc, prev.values);
        pass6.push(prev.diagnostics as Diagnostic[]);
        continue;
      }
      const mark = cx.diags.length;
      checkModule(cx, sc);
      const diagnostics = cx.diags.slice(mark);
      pass6.push(diagnostics);
      const values = snapshot(sc);
      const volatile = [...values.values()].some((v) => !closed(v));
      const fingerprint = volatile ? `volatile ${++volatileSerial}` : valueFingerprint(values);
      if (prev === undefined || prev.fingerprint !== fingerprint) changed.add(sc.name);
      rechecked.push(sc);
      fresh.set(sc.name, { diagnostics, values, fingerprint, volatile });
    }
    // entry point (§2.2), as checkProgram reports it
    const entryMark = cx.diags.length;
    checkEntry(cx, program);
    const entryDiags = cx.diags.slice(entryMark);

    // split this round's annotations by file (every key is a node of a re-checked module)
    const annotations = buildAnnotations(cx);
    const tables = Object.keys(annotations) as (keyof Annotations)[];
    const byFile = new Map<string, Annotations>();
    for (const sc of rechecked) byFile.set(sc.pm.file, emptyAnnotations(tables));
    for (const table of tables) {
      for (const [k, v] of annotations[table] as Map<{ span: S.Span }, unknown>) {
        const part = byFile.get(k.span.file);
        if (part === undefined) {
          // a body check annotated a node of a module it did not re-check: check everything
          if (!all) return this.round(program, true);
          continue; // not a node of any module (cannot be looked up by file anyway)
        }
        (part[table] as Map<unknown, unknown>).set(k, v);
      }
    }
    this.nextBinding = cx.nextBinding;

    const states = new Map<string, ModuleState>();
    for (const sc of scopes) {
      const f = fresh.get(sc.name);
      if (f === undefined) {
        states.set(sc.name, this.states.get(sc.name)!);
        continue;
      }
      const otherFiles = new Set<string>();
      for (const d of f.diagnostics) {
        if (d.span.file !== sc.pm.file) otherFiles.add(d.span.file);
        for (const l of d.secondary ?? []) if (l.span.file !== sc.pm.file) otherFiles.add(l.span.file);
      }
      states.set(sc.name, {
        name: sc.name, file: sc.pm.file, ast: sc.pm.ast, importsKey: importsKey(sc.pm), annotations: byFile.get(sc.pm.file)!,
        diagnostics: f.diagnostics, values: f.values, fingerprint: f.fingerprint, volatile: f.volatile, otherFiles,
      });
    }
    this.states = states;
    this.globalKey = globalKey;
    this.modulesKey = modulesKey;
    this.declKeys = declKeys;

    const diags = [...cx.diags.slice(0, front)];
    for (const d of pass6) diags.push(...d);
    diags.push(...entryDiags);
    const parts = new Map<string, Annotations>();
    for (const s of states.values()) parts.set(s.file, s.annotations);
    const fingerprints = new Map<string, string>();
    for (const s of states.values()) fingerprints.set(s.name, s.fingerprint);
    return {
      annotations: composeAnnotations(parts, tables),
      info: buildInfo(cx),
      diagnostics: sortDiagnostics(diags),
      rechecked: rechecked.map((sc) => sc.name),
      fingerprints,
    };
  }
}

// ---------------------------------------------------------------- what a module exposes

function snapshot(sc: ModScope): Map<string, ValueSnap> {
  const out = new Map<string, ValueSnap>();
  for (const [name, v] of sc.values) {
    out.set(name, {
      kind: v.kind,
      scheme: v.kind === "fn" || v.kind === "const" || v.kind === "actor" ? detach(v.scheme) : null,
      declared: v.kind === "fn" && v.declared,
      checked: v.kind === "service" && v.checked,
      helpers: v.kind === "service" ? [...v.helpers.values()].map((h) => ({ ...h, scheme: detach(h.scheme) })) : [],
    });
  }
  return out;
}

// A copy of a closed scheme that keeps nothing of the round that built it alive (its quantified
// variables carry the predicates, and these their sites, of that round's Ctx). Instantiation
// substitutes the quantified variables, so fresh ones of the same shape behave identically.
function detach(s: Scheme | null): Scheme | null {
  if (s === null || s.vars.length === 0) return s === null ? null : { vars: [], preds: s.preds.map((p) => copyPred(p, new Map(), p.span)), type: s.type };
  const fv = new Set<TVar>();
  freeVars(s.type, fv);
  for (const p of s.preds) predVars(p, fv);
  const q = new Set(s.vars);
  for (const x of fv) if (!q.has(x)) return s; // not closed: its module is re-checked every round anyway
  const sub = new Map<TVar, Type>();
  const vars = s.vars.map((v) => {
    const c = v.rigid !== null ? rigidVar(v.rigid, v.level, v.bounds) : freshVar(v.level);
    if (v.rigid === null) c.bounds = v.bounds;
    sub.set(v, c);
    return c;
  });
  return { vars, preds: s.preds.map((p) => copyPred(p, sub, p.span)), type: substitute(s.type, sub) };
}

// Gives the fresh entities of an unchanged module the state checking its bodies left them in.
function restore(sc: ModScope, values: ReadonlyMap<string, ValueSnap>): void {
  for (const [name, v] of sc.values) {
    const s = values.get(name);
    if (s === undefined || s.kind !== v.kind) continue; // cannot happen: same tree, same names
    switch (v.kind) {
      case "fn":
        v.scheme = s.scheme;
        v.declared = s.declared;
        break;
      case "const":
      case "actor":
        v.scheme = s.scheme;
        break;
      case "service":
        v.helpers.clear();
        for (const h of s.helpers) v.helpers.set(h.helper, { ...h });
        v.checked = s.checked;
        break;
      default:
        break;
    }
  }
}

// No type variable outside the scheme's own quantified ones (an importer could bind it).
function closed(v: ValueSnap): boolean {
  const schemes = v.kind === "service" ? v.helpers.map((h) => h.scheme) : [v.scheme];
  for (const s of schemes) {
    if (s === null) continue;
    const fv = new Set<TVar>();
    freeVars(s.type, fv);
    for (const p of s.preds) predVars(p, fv);
    const q = new Set(s.vars);
    for (const x of fv) if (!q.has(x)) return false;
  }
  return true;
}

function predVars(p: Pred, out: Set<TVar>): void {
  freeVars(p.type, out);
  if (p.k === "iface") {
    for (const a of p.args) freeVars(a, out);
    if (p.output) freeVars(p.output, out);
  } else if (p.k === "field") freeVars(p.result, out);
  else if (p.k === "method") {
    for (const a of p.args) freeVars(a, out);
    freeVars(p.result, out);
  }
}

function valueFingerprint(values: ReadonlyMap<string, ValueSnap>): string {
  const parts: string[] = [];
  for (const [name, v] of values) {
    const schemes = v.kind === "service" ? v.helpers.map((h) => `${h.helper}/${h.handler ?? ""}:${schemeKey(h.scheme)}`).join(";") : schemeKey(v.scheme);
    parts.push(`${v.kind} ${name}${v.declared ? "!" : ""}${v.checked ? "+" : ""} ${schemes}`);
  }
  return parts.join("\n");
}

// A scheme written with its variables numbered by first occurrence.
function schemeKey(s: Scheme | null): string {
  if (s === null) return "-";
  const names = new Map<TVar, string>();
  const ty = (t: Type): string => {
    t = prune(t);
    switch (t.k) {
      case "var": {
        let n = names.get(t);
        if (n === undefined) {
          n = `${s.vars.includes(t) ? "'" : "?"}${names.size}${t.rigid !== null ? `:${t.rigid}` : ""}${t.bounds ? `<${t.bounds.join("+")}>` : ""}`;
          names.set(t, n);
        }
        return n;
      }
      case "con":
        return t.args.length === 0 ? t.name : `${t.name}<${t.args.map(ty).join(",")}>`;
      case "tuple":
        return `(${t.elems.map(ty).join(",")})`;
      case "fun":
        return `fn(${t.params.map(ty).join(",")})->${ty(t.ret)}`;
      case "never":
        return "!";
      case "err":
        return "?err";
    }
  };
  for (const v of s.vars) ty(v);
  const head = ty(s.type);
  const preds = s.preds.map((p) => {
    switch (p.k) {
      case "iface":
        return `${p.iface}<${p.args.map(ty).join(",")}>(${ty(p.type)})${p.output ? `=>${ty(p.output)}` : ""}`;
      case "text":
      case "concat":
        return `${p.k}(${ty(p.type)})`;
      case "field":
        return `${ty(p.type)}.${p.name}:${ty(p.result)}`;
      case "method":
        return `${ty(p.type)}.${p.name}(${p.args.map(ty).join(",")}):${ty(p.result)}`;
    }
  });
  return `${head}${preds.length > 0 ? ` where ${preds.join(",")}` : ""}`;
}

// Names, kinds, visibility and arities of the top-level values, known before any body is checked
// (a module read before its own turn sees only these).
function declKey(sc: ModScope): string {
  const parts: string[] = [];
  for (const [name, v] of sc.values) parts.push(`${v.kind} ${name}${v.kind === "fn" ? `/${v.group.arity}${v.pub ? " pub" : ""}` : ""}`);
  return parts.join(",");
}

function importsKey(pm: ProgramModule): string {
  return pm.imports.map((i) => i.module).join(",");
}

// ---------------------------------------------------------------- syntax-level keys

const globalParts = new WeakMap<S.Module, string>();

// Types, interfaces and impls of a module without spans, docs and method bodies: these are seen
// program-wide (impl lookup by type, method lookup by name, derives).
function globalPart(m: S.Module): string {
  let k = globalParts.get(m);
  if (k === undefined) {
    const items = m.items.filter((it) => it.kind === "StructDef" || it.kind === "SumTypeDef" || it.kind === "TypeAliasDef" || it.kind === "InterfaceDef" || it.kind === "ImplDef");
    k = `${m.name}:${JSON.stringify(items, (key, v) => (key === "span" || key.endsWith("Span") || key === "body" || key === "guard" || key === "doc" ? undefined : v))}`;
    globalParts.set(m, k);
  }
  return k;
}

const dotted = new WeakMap<S.Module, Set<string>>();

// Modules whose values a module can read: its imports and every module it names by a full
// dotted path (`Geometry.Shapes.area(x)` needs no import).
function readsOf(pm: ProgramModule, program: Program): string[] {
  const out = pm.imports.map((i) => i.module);
  const names = dottedNames(pm.ast);
  if (names.size < program.modules.length) {
    for (const n of names) if (n !== pm.name && program.byName.has(n)) out.push(n);
  } else for (const other of program.modules) if (other.name !== pm.name && names.has(other.name)) out.push(other.name);
  return out;
}

// Every dotted prefix of a qualified name or path in the module, outside its import items.
function dottedNames(m: S.Module): Set<string> {
  let out = dotted.get(m);
  if (out !== undefined) return out;
  const found = new Set<string>();
  const stack: unknown[] = m.items.filter((it) => it.kind !== "Import" && it.kind !== "FromImport");
  const addPath = (path: readonly string[]) => {
    for (let i = 1; i <= path.length; i++) found.add(path.slice(0, i).join("."));
  };
  while (stack.length > 0) {
    const n = stack.pop();
    if (Array.isArray(n)) {
      for (const x of n) if (typeof x === "object" && x !== null) stack.push(x);
      continue;
    }
    if (typeof n !== "object" || n === null) continue;
    const o = n as Record<string, unknown>;
    if (o["kind"] === "Member") {
      const segs: string[] = [];
      let cur: Record<string, unknown> = o;
      while (cur["kind"] === "Member") {
        segs.unshift(cur["name"] as string);
        cur = cur["target"] as Record<string, unknown>;
      }
      if (cur["kind"] === "Name") addPath([cur["name"] as string, ...segs]);
    }
    for (const [key, v] of Object.entries(o)) {
      if (key === "span" || key.endsWith("Span")) continue;
      if (key === "path" && Array.isArray(v) && v.every((s) => typeof s === "string")) addPath(v as string[]);
      else if (typeof v === "object" && v !== null) stack.push(v);
    }
  }
  dotted.set(m, found);
  return found;
}

// ---------------------------------------------------------------- annotations of many modules

function emptyAnnotations(tables: readonly (keyof Annotations)[]): Annotations {
  const a: Record<string, Map<unknown, unknown>> = {};
  for (const t of tables) a[t] = new Map();
  return a as unknown as Annotations;
}

// Each table answers from the part of the file its key (a syntax node) belongs to.
export class RoutedMap<K extends { readonly span: S.Span }, V> implements Map<K, V> {
  constructor(readonly parts: ReadonlyMap<string, Map<K, V>>) {}
  get(k: K): V | undefined {
    return this.parts.get(k.span.file)?.get(k);
  }
  has(k: K): boolean {
    return this.parts.get(k.span.file)?.has(k) ?? false;
  }
  get size(): number {
    let n = 0;
    for (const p of this.parts.values()) n += p.size;
    return n;
  }
  *entries(): MapIterator<[K, V]> {
    for (const p of this.parts.values()) yield* p.entries();
  }
  *keys(): MapIterator<K> {
    for (const p of this.parts.values()) yield* p.keys();
  }
  *values(): MapIterator<V> {
    for (const p of this.parts.values()) yield* p.values();
  }
  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }
  forEach(f: (v: V, k: K, m: Map<K, V>) => void): void {
    for (const [k, v] of this.entries()) f(v, k, this);
  }
  set(): this {
    throw new Error("annotations of an incremental check are read-only");
  }
  delete(): boolean {
    throw new Error("annotations of an incremental check are read-only");
  }
  clear(): void {
    throw new Error("annotations of an incremental check are read-only");
  }
  get [Symbol.toStringTag](): string {
    return "RoutedMap";
  }
}

function composeAnnotations(parts: ReadonlyMap<string, Annotations>, tables: readonly (keyof Annotations)[]): Annotations {
  const out: Record<string, unknown> = {};
  for (const t of tables) {
    const m = new Map<string, Map<{ span: S.Span }, unknown>>();
    for (const [file, a] of parts) m.set(file, a[t] as Map<{ span: S.Span }, unknown>);
    out[t] = new RoutedMap(m);
  }
  return out as unknown as Annotations;
}
