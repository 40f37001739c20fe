// Finds the modules of a project (every .mpl below the root, dot-files skipped), derives module
// names from paths (§2.1 of language.md), and orders modules so that imports come first.
// Reports E0043 (two files, one module name) and E0048 (import cycle).
import type { FileSystem } from "../fs/file-system.js";
import type { Module, Span } from "../ast/syntax.js";
import type { Program, ProgramModule } from "./program.js";
import { error, type Diagnostic } from "../diag/diagnostic.js";

export interface SourceFile {
  readonly file: string; // relative path with forward slashes
  readonly name: string; // module name
  readonly text: string;
}

export function pascalSegment(seg: string): string {
  return seg
    .split("_")
    .filter((p) => p.length > 0)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join("");
}

export function moduleNameOf(relFile: string): string {
  const noExt = relFile.replace(/\.mpl$/, "");
  if (noExt === "main") return "Main";
  return noExt.split("/").map(pascalSegment).join(".");
}

function join(a: string, b: string): string {
  return a === "" || a === "." ? b : `${a.replace(/\/$/, "")}/${b}`;
}

// Lists the .mpl files below `root` (relative paths, sorted).
export function findSources(fsys: FileSystem, root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    const abs = rel === "" ? root : join(root, rel);
    for (const entry of fsys.list(abs)) {
      if (entry.startsWith(".") || entry === "_build" || entry === "node_modules") continue;
      const relChild = rel === "" ? entry : `${rel}/${entry}`;
      const absChild = join(root, relChild);
      if (fsys.isDirectory(absChild)) walk(relChild);
      else if (entry.endsWith(".mpl")) out.push(relChild);
    }
  };
  walk("");
  return out.sort();
}

export function loadSources(fsys: FileSystem, root: string): SourceFile[] {
  return findSources(fsys, root).map((file) => ({
    file,
    name: moduleNameOf(file),
    text: stripBom(fsys.readFile(join(root, file))),
  }));
}

function stripBom(t: string): string {
  return t.charCodeAt(0) === 0xfeff ? t.slice(1) : t;
}

// Builds the Program: checks for duplicate module names, collects project imports, orders the
// modules topologically (stable: by file name among independent modules), reports cycles.
export function buildProgram(modules: readonly Module[], diags: Diagnostic[]): Program {
  const byName = new Map<string, Module>();
  const kept: Module[] = [];
  for (const m of modules) {
    const prev = byName.get(m.name);
    if (prev) {
      diags.push(
        error("E0043", `files \`${prev.file}\` and \`${m.file}\` both define module \`${m.name}\``, { file: m.file, start: 0, end: 0 }, {
          hint: "rename one of the files",
        }),
      );
      continue;
    }
    byName.set(m.name, m);
    kept.push(m);
  }
  const importsOf = new Map<string, { module: string; span: Span }[]>();
  for (const m of kept) {
    const imps: { module: string; span: Span }[] = [];
    for (const it of m.items) {
      if (it.kind !== "Import" && it.kind !== "FromImport") continue;
      const target = it.path.join(".");
      if (byName.has(target) && target !== "Main") imps.push({ module: target, span: it.span });
    }
    importsOf.set(m.name, imps);
  }
  // Tarjan-free DFS topological sort with cycle reporting.
  const state = new Map<string, 0 | 1 | 2>();
  const order: string[] = [];
  const stack: string[] = [];
  const reported = new Set<string>();
  const visit = (name: string) => {
    const s = state.get(name) ?? 0;
    if (s === 2) return;
    if (s === 1) return;
    state.set(name, 1);
    stack.push(name);
    for (const imp of importsOf.get(name) ?? []) {
      const st = state.get(imp.module) ?? 0;
      if (st === 1) {
        const cycle = stack.slice(stack.indexOf(imp.module)).concat(imp.module);
        const key = [...cycle].sort().join(",");
        if (!reported.has(key)) {
          reported.add(key);
          diags.push(error("E0048", `import cycle: ${cycle.join(" -> ")}`, imp.span, { hint: "move the shared definitions into a module that both can import" }));
        }
        continue;
      }
      visit(imp.module);
    }
    stack.pop();
    state.set(name, 2);
    order.push(name);
  };
  for (const m of [...kept].sort((a, b) => (a.file < b.file ? -1 : 1))) if (m.name !== "Main") visit(m.name);
  if (byName.has("Main")) visit("Main");
  const pm = new Map<string, ProgramModule>();
  const ordered: ProgramModule[] = order.map((n) => {
    const ast = byName.get(n)!;
    const p: ProgramModule = { name: n, file: ast.file, ast, imports: importsOf.get(n) ?? [] };
    pm.set(n, p);
    return p;
  });
  return { modules: ordered, byName: pm, entry: byName.has("Main") ? "Main" : null };
}
