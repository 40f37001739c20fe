// The language server's model of one project (tooling.md §2.2): its files (disk overlaid with open
// documents, read through the compiler's FileSystem interface), a per-file parse cache keyed by
// text (an edit re-parses only the edited file) and an incremental checker (compiler/check/
// incremental.ts) that re-checks only the edited module and, when its interface fingerprint
// changed, the modules reading it. Keeps the latest complete analysis for requests.
import * as path from "node:path";
import type { FileSystem } from "../../compiler/fs/file-system.js";
import { findSources, moduleNameOf, buildProgram } from "../../compiler/analyse/project.js";
import { parseModule } from "../../compiler/syntax/parse.js";
import { checkProgram } from "../../compiler/check/check.js";
import { IncrementalChecker } from "../../compiler/check/incremental.js";
import { hasErrors, sortDiagnostics, error, type Diagnostic } from "../../compiler/diag/diagnostic.js";
import type { Module } from "../../compiler/ast/syntax.js";
import type { Program } from "../../compiler/analyse/program.js";
import type { CheckResult } from "../../compiler/check/annotations.js";

export interface Analysis {
  readonly version: number;
  readonly texts: ReadonlyMap<string, string>; // rel file -> text analysed
  readonly modules: ReadonlyMap<string, Module>; // rel file -> AST
  readonly program: Program;
  readonly check: CheckResult | null; // null when a file has syntax errors
  readonly diagnostics: ReadonlyMap<string, Diagnostic[]>; // rel file -> diagnostics
  readonly fingerprints: ReadonlyMap<string, string>; // module name -> interface fingerprint
  readonly rechecked: readonly string[] | null; // modules whose bodies this analysis checked (null: none ran)
}

interface Parsed {
  readonly text: string;
  readonly module: Module;
  readonly diagnostics: Diagnostic[];
}

export class ProjectModel {
  private readonly overlay = new Map<string, string>(); // rel -> open document text
  private readonly disk = new Map<string, string>(); // rel -> text read from disk
  private readonly parsed = new Map<string, Parsed>();
  private files: string[] | null = null;
  private version = 0;
  private readonly checker: IncrementalChecker | null;
  latest: Analysis | null = null;
  // A lone file (no mesh.toml / main.mpl above it) is checked alone, as `meshc check <file>`.
  constructor(
    readonly root: string,
    private readonly fsys: FileSystem,
    readonly single: string | null = null,
    readonly extraRoots: readonly { root: string; prefix: string }[] = [],
    incremental = true, // false: every analysis runs the whole-program checkProgram (tests compare the two)
  ) {
    this.checker = incremental ? new IncrementalChecker() : null;
  }

  rel(abs: string): string {
    return path.relative(this.root, abs).split(path.sep).join("/");
  }

  contains(abs: string): boolean {
    if (this.single !== null) return path.resolve(abs) === path.resolve(this.root, this.single);
    const r = this.rel(abs);
    if (r.startsWith("..") || path.isAbsolute(r)) return false;
    return !r.split("/").some((seg) => seg.startsWith(".") || seg === "_build" || seg === "node_modules");
  }

  setOpen(rel: string, text: string): void {
    this.overlay.set(rel, text);
    this.version++;
    if (this.files !== null && !this.files.includes(rel)) this.files = null;
  }

  close(rel: string): void {
    this.overlay.delete(rel);
    this.disk.delete(rel);
    this.version++;
  }

  // A file changed, appeared or disappeared on disk.
  refresh(rel: string | null): void {
    if (rel === null) this.disk.clear();
    else this.disk.delete(rel);
    this.files = null;
    this.version++;
  }

  text(rel: string): string | undefined {
    const o = this.overlay.get(rel);
    if (o !== undefined) return o;
    let t = this.disk.get(rel);
    if (t === undefined) {
      try {
        t = this.fsys.readFile(path.join(this.root, rel));
      } catch {
        return undefined;
      }
      if (t.charCodeAt(0) === 0xfeff) t = t.slice(1);
      this.disk.set(rel, t);
    }
    return t;
  }

  fileList(): string[] {
    if (this.files === null) {
      const set = new Set<string>(this.single !== null ? [this.single] : findSources(this.fsys, this.root));
      for (const rel of this.overlay.keys()) if (this.single === null || rel === this.single) set.add(rel);
      this.files = [...set].sort();
    }
    return this.files.filter((f) => this.overlay.has(f) || this.text(f) !== undefined);
  }

  get currentVersion(): number {
    return this.version;
  }

  private parse(rel: string, text: string): Parsed {
    const hit = this.parsed.get(rel);
    if (hit !== undefined && hit.text === text) return hit;
    const name = this.single !== null && rel !== "main.mpl" ? moduleNameOf(path.basename(rel)) : moduleNameOf(rel);
    const r = parseModule(rel, text, name);
    const p = { text, module: r.module, diagnostics: r.diagnostics };
    this.parsed.set(rel, p);
    return p;
  }

  // The same answers as `meshc check` on the current texts.
  analyse(): Analysis {
    const version = this.version;
    const texts = new Map<string, string>();
    const modules = new Map<string, Module>();
    const diags: Diagnostic[] = [];
    const files = this.fileList();
    for (const rel of files) {
      const t = this.text(rel);
      if (t === undefined) continue;
      const p = this.parse(rel, t);
      texts.set(rel, t);
      modules.set(rel, p.module);
      diags.push(...p.diagnostics);
    }
    for (const rel of [...this.parsed.keys()]) if (!texts.has(rel)) this.parsed.delete(rel);
    const program = buildProgram([...modules.values()], diags);
    const requireMain = this.single === null && [...modules.values()].some((m) => m.name === "Main");
    if (requireMain && program.entry === null && files.length > 0) {
      diags.push(error("E0052", "the project has no main.mpl (the entry module that defines `fn main()`)", { file: files[0]!, start: 0, end: 0 }));
    }
    const inc = hasErrors(diags) || this.checker === null ? null : this.checker.check(program);
    const check = hasErrors(diags) ? null : (inc ?? checkProgram(program));
    if (check) diags.push(...check.diagnostics);
    const byFile = new Map<string, Diagnostic[]>();
    for (const rel of texts.keys()) byFile.set(rel, []);
    const seen = new Set<string>();
    for (const d of sortDiagnostics(diags)) {
      const k = `${d.code}|${d.span.file}|${d.span.start}|${d.message}`;
      if (seen.has(k)) continue;
      seen.add(k);
      const list = byFile.get(d.span.file);
      if (list) list.push(d);
      else byFile.set(d.span.file, [d]);
    }
    const fingerprints = inc?.fingerprints ?? new Map<string, string>();
    const rechecked = check === null ? null : (inc?.rechecked ?? program.modules.map((pm) => pm.name));
    const a: Analysis = { version, texts, modules, program, check, diagnostics: byFile, fingerprints, rechecked };
    this.latest = a;
    return a;
  }
}
