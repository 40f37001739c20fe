// Whole-program facts the code generator needs besides the checker's annotations: every
// module's top-level items, the JS names they get, and name resolution (used when the checker
// left no Ref for a Name/Member). Built once per Program and shared by all modules.
import type * as S from "../ast/syntax.js";
import type { Program, ProgramModule } from "../analyse/program.js";
import { groupFunctions, type FnGroup } from "../analyse/group.js";
import type { Ref } from "../check/annotations.js";
import { NameAlloc, snakeCase } from "./names.js";
import { LIB, MODULE_ALIASES, STDLIB_MODULES as SIG_STDLIB_MODULES } from "../stdlib/signatures.js";

// Library module and prelude names come from the signature table (one source of library facts):
// a module added there needs no second list here.
export const STDLIB_MODULES: ReadonlySet<string> = new Set([
  ...LIB.flatMap((e) => (e.module === null ? [] : [e.module])),
  ...SIG_STDLIB_MODULES,
  ...Object.keys(MODULE_ALIASES),
]);
export function libModule(name: string): string {
  return MODULE_ALIASES[name] ?? name;
}

export const PRELUDE: ReadonlySet<string> = new Set(LIB.flatMap((e) => (e.module === null ? [e.name] : [])));
export const BUILTIN_IFACE_METHODS: Record<string, string> = {
  to_string: "Display",
  inspect: "Debug",
  eq: "Eq",
  lt: "Ord",
  compare: "Ord",
  hash: "Hash",
  into: "Into",
  add: "Add",
  sub: "Sub",
  mul: "Mul",
  div: "Div",
  mod: "Mod",
  neg: "Neg",
};
export const BUILTIN_IFACES = new Set(["Add", "Sub", "Mul", "Div", "Mod", "Neg", "Eq", "Ord", "Display", "Debug", "Hash", "Default", "From", "Into", "Iterator", "Iterable", "Json", "Row", "Schema"]);

export interface VariantInfo {
  readonly module: string | null; // null = built-in
  readonly type: string; // qualified type name
  readonly typeDef: S.SumTypeDef | null;
  readonly name: string;
  readonly tag: number;
  readonly arity: number;
}

export interface ServiceInfo {
  readonly def: S.ServiceDef;
  readonly helpers: Map<string, S.ServiceHandler>; // snake name -> handler
}

export interface ModIndex {
  readonly pm: ProgramModule;
  readonly name: string;
  readonly fns: Map<string, FnGroup>;
  readonly consts: Map<string, S.ConstDef>;
  readonly structs: Map<string, S.StructDef>;
  readonly sums: Map<string, S.SumTypeDef>;
  readonly variants: Map<string, VariantInfo>;
  readonly interfaces: Map<string, S.InterfaceDef>;
  readonly actors: Map<string, S.ActorDef>;
  readonly services: Map<string, ServiceInfo>;
  readonly supervisors: Map<string, S.SupervisorDef>;
  readonly impls: S.ImplDef[];
  readonly namespaces: Map<string, string>; // `import A.B` binds B -> "A.B"
  readonly fromImports: Map<string, string>; // name -> module
  readonly imported: string[]; // project modules this module imports, in order
  // JS names of module-level entities, keyed `kind:name` (fn:, const:, type:, meta:, variant:,
  // actor:, term:, service:, sup:)
  readonly js: Map<string, string>;
  readonly alloc: NameAlloc;
}

export interface ProgramIndex {
  readonly program: Program;
  readonly mods: Map<string, ModIndex>;
  readonly impls: ImplIndex[]; // every hand-written impl of the program
}

// A hand-written impl with the JS names of its method functions (own and inherited defaults).
export interface ImplIndex {
  readonly module: string;
  readonly decl: S.ImplDef;
  readonly typeKey: string; // "Int", "Main.Point"
  readonly iface: string; // qualified for user interfaces
  readonly ifaceArgs: readonly string[];
  readonly methods: Map<string, string>; // method -> JS name (in `module`)
  readonly defaults: S.MethodSig[]; // interface default methods the impl inherits
  readonly ifaceDef: S.InterfaceDef | null;
}

export const BUILTIN_TYPES = new Set(["Int", "Float", "Bool", "String", "Atom", "List", "Map", "Set", "Range", "Option", "Result", "Ordering", "Pid", "Unit", "Queue"]);

export function typeKeyOf(px: ProgramIndex, m: ModIndex, t: S.TypeExpr): string {
  if (t.kind === "TName") {
    const last = t.path[t.path.length - 1]!;
    if (t.path.length === 1 && BUILTIN_TYPES.has(last) && !m.structs.has(last) && !m.sums.has(last)) return last;
    const found = findType(px, m, t.path);
    return found ? `${found.mod.name}.${found.name}` : t.path.join(".");
  }
  if (t.kind === "TTuple") return t.elems.length === 0 ? "Unit" : "Tuple";
  if (t.kind === "TFun") return "Fun";
  return "Self";
}

export function findImpl(px: ProgramIndex, typeKey: string, iface: string | null, method: string, ifaceArgs?: readonly string[]): ImplIndex | undefined {
  const cands = px.impls.filter(
    (i) => i.typeKey === typeKey && (iface === null || iface === "" || i.iface === iface) && (i.methods.has(method)),
  );
  if (ifaceArgs && ifaceArgs.length > 0) {
    const exact = cands.find((i) => i.ifaceArgs.join(",") === ifaceArgs.join(","));
    if (exact) return exact;
  }
  return cands[0];
}

const BUILTIN_VARIANTS: Record<string, VariantInfo> = {
  Some: { module: null, type: "Option", typeDef: null, name: "Some", tag: 0, arity: 1 },
  None: { module: null, type: "Option", typeDef: null, name: "None", tag: 1, arity: 0 },
  Ok: { module: null, type: "Result", typeDef: null, name: "Ok", tag: 0, arity: 1 },
  Err: { module: null, type: "Result", typeDef: null, name: "Err", tag: 1, arity: 1 },
  Less: { module: null, type: "Ordering", typeDef: null, name: "Less", tag: 0, arity: 0 },
  Equal: { module: null, type: "Ordering", typeDef: null, name: "Equal", tag: 1, arity: 0 },
  Greater: { module: null, type: "Ordering", typeDef: null, name: "Greater", tag: 2, arity: 0 },
};
export const SYSTEM_VARIANTS: Record<string, VariantInfo> = {
  Down: { module: null, type: "SystemMessage", typeDef: null, name: "Down", tag: 0, arity: 3 },
  Exit: { module: null, type: "SystemMessage", typeDef: null, name: "Exit", tag: 1, arity: 2 },
  NodeDown: { module: null, type: "SystemMessage", typeDef: null, name: "NodeDown", tag: 2, arity: 1 },
  NodeUp: { module: null, type: "SystemMessage", typeDef: null, name: "NodeUp", tag: 3, arity: 1 },
};
export function builtinVariant(name: string): VariantInfo | undefined {
  return BUILTIN_VARIANTS[name];
}

const cache = new WeakMap<Program, ProgramIndex>();

export function indexProgram(program: Program): ProgramIndex {
  const hit = cache.get(program);
  if (hit) return hit;
  const mods = new Map<string, ModIndex>();
  for (const pm of program.modules) mods.set(pm.name, indexModule(pm));
  const idx: ProgramIndex = { program, mods, impls: [] };
  for (const m of mods.values()) {
    for (const decl of m.impls) {
      const typeKey = typeKeyOf(idx, m, decl.target);
      const iface = qualifyInterface(idx, m, decl.iface);
      const ifaceArgs = decl.ifaceArgs.map((a) => typeKeyOf(idx, m, a));
      const ifaceDef = findInterface(idx, iface)?.def ?? null;
      const own = new Set(decl.methods.map((f) => f.name));
      const defaults = ifaceDef ? ifaceDef.methods.filter((ms) => ms.body !== null && !own.has(ms.name)) : [];
      const typeLast = typeKey.split(".").pop()!;
      const ifaceLast = iface.split(".").pop()!;
      const argPart = ifaceArgs.map((a) => a.split(".").pop()).join("$");
      const methods = new Map<string, string>();
      for (const name of [...own, ...defaults.map((d) => d.name)]) {
        if (!methods.has(name)) methods.set(name, m.alloc.fresh(`${typeLast}$${ifaceLast}${argPart ? "$" + argPart : ""}$${name}`));
      }
      idx.impls.push({ module: m.name, decl, typeKey, iface, ifaceArgs, methods, defaults, ifaceDef });
    }
  }
  cache.set(program, idx);
  return idx;
}

function indexModule(pm: ProgramModule): ModIndex {
  const items = pm.ast.items;
  const fnSeq: (S.FnDef | null)[] = items.map((i) => (i.kind === "FnDef" ? i : null));
  const groups = groupFunctions(fnSeq, []);
  const m: ModIndex = {
    pm,
    name: pm.name,
    fns: new Map(groups.map((g) => [g.name, g])),
    consts: new Map(),
    structs: new Map(),
    sums: new Map(),
    variants: new Map(),
    interfaces: new Map(),
    actors: new Map(),
    services: new Map(),
    supervisors: new Map(),
    impls: [],
    namespaces: new Map(),
    fromImports: new Map(),
    imported: [],
    js: new Map(),
    alloc: new NameAlloc(),
  };
  const projectImport = (path: readonly string[]) => path.join(".");
  for (const it of items) {
    switch (it.kind) {
      case "Const":
        if (it.pattern.kind === "PVar") m.consts.set(it.pattern.name, it);
        break;
      case "StructDef":
        m.structs.set(it.name, it);
        break;
      case "SumTypeDef":
        m.sums.set(it.name, it);
        it.variants.forEach((v, i) =>
          m.variants.set(v.name, { module: pm.name, type: `${pm.name}.${it.name}`, typeDef: it, name: v.name, tag: i, arity: v.fields.length }),
        );
        break;
      case "InterfaceDef":
        m.interfaces.set(it.name, it);
        break;
      case "ImplDef":
        m.impls.push(it);
        break;
      case "ActorDef":
        m.actors.set(it.name, it);
        break;
      case "ServiceDef":
        m.services.set(it.name, { def: it, helpers: new Map(it.handlers.map((h) => [snakeCase(h.name), h])) });
        break;
      case "SupervisorDef":
        m.supervisors.set(it.name, it);
        break;
      case "Import": {
        const mod = projectImport(it.path);
        m.namespaces.set(it.path[it.path.length - 1]!, mod);
        if (!m.imported.includes(mod)) m.imported.push(mod);
        break;
      }
      case "FromImport": {
        const mod = projectImport(it.path);
        for (const n of it.names) m.fromImports.set(n.name, mod);
        if (!m.imported.includes(mod)) m.imported.push(mod);
        break;
      }
      default:
        break;
    }
  }
  // Module-level JS names, in a fixed order so every importer computes the same ones.
  const a = m.alloc;
  const set = (key: string, want: string) => m.js.set(key, a.fresh(want));
  for (const g of m.fns.values()) set(`fn:${g.name}`, g.name);
  for (const c of m.consts.keys()) set(`const:${c}`, c);
  for (const n of m.actors.keys()) set(`actor:${n}`, n);
  for (const s of m.structs.values()) {
    set(`type:${s.name}`, s.name);
    set(`meta:${s.name}`, `${s.name}$type`);
  }
  for (const s of m.sums.values()) {
    set(`meta:${s.name}`, `${s.name}$type`);
    for (const v of s.variants) set(`variant:${v.name}`, v.name);
  }
  for (const n of m.actors.keys()) set(`term:${n}`, `${n}$terminate`);
  for (const n of m.services.keys()) set(`service:${n}`, `${n}$service`);
  for (const n of m.supervisors.keys()) set(`sup:${n}`, `${n}$supervisor`);
  return m;
}

// ---------------------------------------------------------------- resolution

export function isProjectModule(px: ProgramIndex, name: string): boolean {
  return px.mods.has(name);
}

// Modules whose public types are visible unqualified in `m` (itself first).
function visibleTypeModules(px: ProgramIndex, m: ModIndex): ModIndex[] {
  const out = [m];
  for (const name of m.imported) {
    const mm = px.mods.get(name);
    if (mm) out.push(mm);
  }
  return out;
}

export function findVariant(px: ProgramIndex, m: ModIndex, name: string): VariantInfo | undefined {
  for (const mm of visibleTypeModules(px, m)) {
    const v = mm.variants.get(name);
    if (v) return v;
  }
  return BUILTIN_VARIANTS[name];
}

export function findStruct(px: ProgramIndex, m: ModIndex, path: readonly string[]): { mod: ModIndex; def: S.StructDef } | undefined {
  if (path.length === 2) {
    const ns = m.namespaces.get(path[0]!);
    const mm = ns ? px.mods.get(ns) : undefined;
    const def = mm?.structs.get(path[1]!);
    return mm && def ? { mod: mm, def } : undefined;
  }
  for (const mm of visibleTypeModules(px, m)) {
    const def = mm.structs.get(path[0]!);
    if (def) return { mod: mm, def };
  }
  for (const mm of px.mods.values()) {
    const def = mm.structs.get(path[0]!);
    if (def) return { mod: mm, def };
  }
  return undefined;
}

// A user type (struct or sum) by unqualified or namespace-qualified name.
export function findType(px: ProgramIndex, m: ModIndex, path: readonly string[]): { mod: ModIndex; name: string; kind: "struct" | "sum" } | undefined {
  const look = (mm: ModIndex, n: string) =>
    mm.structs.has(n) ? { mod: mm, name: n, kind: "struct" as const } : mm.sums.has(n) ? { mod: mm, name: n, kind: "sum" as const } : undefined;
  if (path.length === 2) {
    const ns = m.namespaces.get(path[0]!);
    const mm = ns ? px.mods.get(ns) : undefined;
    return mm ? look(mm, path[1]!) : undefined;
  }
  for (const mm of visibleTypeModules(px, m)) {
    const r = look(mm, path[0]!);
    if (r) return r;
  }
  for (const mm of px.mods.values()) {
    const r = look(mm, path[0]!);
    if (r) return r;
  }
  return undefined;
}

export function qualifyInterface(px: ProgramIndex, m: ModIndex, path: readonly string[]): string {
  const last = path[path.length - 1]!;
  if (path.length === 1 && BUILTIN_IFACES.has(last) && !m.interfaces.has(last)) return last;
  if (path.length === 2) {
    const ns = m.namespaces.get(path[0]!);
    if (ns) return `${ns}.${last}`;
  }
  if (m.interfaces.has(last)) return `${m.name}.${last}`;
  for (const mm of px.mods.values()) if (mm.interfaces.has(last)) return `${mm.name}.${last}`;
  return last;
}

export function findInterface(px: ProgramIndex, qname: string): { mod: ModIndex; def: S.InterfaceDef } | undefined {
  const dot = qname.lastIndexOf(".");
  if (dot < 0) return undefined;
  const mm = px.mods.get(qname.slice(0, dot));
  const def = mm?.interfaces.get(qname.slice(dot + 1));
  return mm && def ? { mod: mm, def } : undefined;
}

// Global resolution of an unqualified name that is not a local binding.
export function resolveGlobalName(px: ProgramIndex, m: ModIndex, name: string): Ref | null {
  if (m.fns.has(name) || m.consts.has(name)) return { kind: "global", module: m.name, name };
  if (m.actors.has(name)) return { kind: "actor", module: m.name, name };
  if (m.supervisors.has(name)) return { kind: "supervisor", module: m.name, name };
  const from = m.fromImports.get(name);
  if (from) {
    const mm = px.mods.get(from);
    if (mm) {
      if (mm.fns.has(name) || mm.consts.has(name)) return { kind: "global", module: from, name };
      if (mm.actors.has(name)) return { kind: "actor", module: from, name };
      if (mm.supervisors.has(name)) return { kind: "supervisor", module: from, name };
    } else if (STDLIB_MODULES.has(from)) {
      return { kind: "builtin", module: libModule(from), name };
    }
  }
  const v = findVariant(px, m, name);
  if (v) return { kind: "variant", type: v.type, module: v.module, variant: v.name, tag: v.tag, arity: v.arity };
  if (BUILTIN_IFACE_METHODS[name] && !PRELUDE.has(name)) return { kind: "ifaceMethod", iface: BUILTIN_IFACE_METHODS[name]!, method: name, impl: null };
  return { kind: "builtin", module: null, name };
}

export function findService(px: ProgramIndex, m: ModIndex, name: string): { mod: ModIndex; info: ServiceInfo } | undefined {
  for (const mm of [m, ...m.imported.map((n) => px.mods.get(n)).filter((x): x is ModIndex => !!x)]) {
    const info = mm.services.get(name);
    if (info) return { mod: mm, info };
  }
  for (const mm of px.mods.values()) {
    const info = mm.services.get(name);
    if (info) return { mod: mm, info };
  }
  return undefined;
}

// `Head.name` where Head is an uppercase name that is not a local binding.
export function resolveQualified(px: ProgramIndex, m: ModIndex, head: string, name: string): Ref | null {
  const ns = m.namespaces.get(head);
  if (ns && px.mods.has(ns)) {
    const mm = px.mods.get(ns)!;
    if (mm.fns.has(name) || mm.consts.has(name)) return { kind: "global", module: ns, name };
    if (mm.actors.has(name)) return { kind: "actor", module: ns, name };
    if (mm.supervisors.has(name)) return { kind: "supervisor", module: ns, name };
    const v = mm.variants.get(name);
    if (v) return { kind: "variant", type: v.type, module: v.module, variant: v.name, tag: v.tag, arity: v.arity };
    if (mm.services.has(name) || mm.structs.has(name) || mm.sums.has(name)) return { kind: "namespace", module: ns };
  }
  const svc = findService(px, m, head);
  if (svc) {
    const h = name === "start" ? null : (svc.info.helpers.get(name)?.name ?? null);
    return { kind: "service", module: svc.mod.name, service: head, helper: name, handler: h };
  }
  const t = findType(px, m, [head]);
  if (t) {
    if (t.kind === "sum") {
      const sum = t.mod.sums.get(t.name)!;
      const i = sum.variants.findIndex((v) => v.name === name);
      if (i >= 0) return { kind: "variant", type: `${t.mod.name}.${t.name}`, module: t.mod.name, variant: name, tag: i, arity: sum.variants[i]!.fields.length };
    }
    return { kind: "static", impl: { iface: "", ifaceArgs: [], type: `${t.mod.name}.${t.name}`, module: null, derived: false }, method: name };
  }
  if (["Option", "Result", "Ordering"].includes(head) && BUILTIN_VARIANTS[name]) {
    const v = BUILTIN_VARIANTS[name]!;
    return { kind: "variant", type: v.type, module: null, variant: v.name, tag: v.tag, arity: v.arity };
  }
  if (head === "SystemMessage" && SYSTEM_VARIANTS[name]) {
    const v = SYSTEM_VARIANTS[name]!;
    return { kind: "variant", type: v.type, module: null, variant: v.name, tag: v.tag, arity: v.arity };
  }
  if (STDLIB_MODULES.has(head)) {
    if ((head === "Float" || head === "String" || head === "Int") && name === "from")
      return { kind: "static", impl: { iface: "From", ifaceArgs: [], type: head, module: "", derived: false }, method: "from" };
    return { kind: "builtin", module: libModule(head), name };
  }
  if (BUILTIN_IFACES.has(head) || [...px.mods.values()].some((mm) => mm.interfaces.has(head)))
    return { kind: "ifaceMethod", iface: head, method: name, impl: null };
  return null;
}
