// The whole pipeline in one place: load sources -> parse -> analyse (program order) -> check
// -> generate. Every pass contributes diagnostics; generation runs only when there are no errors.
import type { FileSystem } from "./fs/file-system.js";
import { loadSources, buildProgram, type SourceFile } from "./analyse/project.js";
import { parseModule } from "./syntax/parse.js";
import { checkProgram } from "./check/check.js";
import { generateModule } from "./codegen/generate.js";
import { CodegenInternalError } from "./codegen/state.js";
import { error, hasErrors, sortDiagnostics, type Diagnostic } from "./diag/diagnostic.js";
import type { Module } from "./ast/syntax.js";
import type { Program } from "./analyse/program.js";

export interface CompileOptions {
  readonly runtimeImport: string; // module specifier of the runtime entry for generated code
  readonly generate: boolean; // false for `meshc check`
  readonly requireMain: boolean;
}

export interface OutputFile {
  readonly path: string; // relative, e.g. "ingestion/pipeline.js"
  readonly js: string;
}

export interface CompileResult {
  readonly diagnostics: Diagnostic[];
  readonly sources: ReadonlyMap<string, string>; // relative file -> text (for rendering diagnostics)
  readonly outputs: OutputFile[];
  readonly program: Program | null;
  readonly lines: number;
}

export function compileSources(files: readonly SourceFile[], opts: CompileOptions): CompileResult {
  const diags: Diagnostic[] = [];
  const sources = new Map<string, string>();
  const modules: Module[] = [];
  let lines = 0;
  for (const f of files) {
    sources.set(f.file, f.text);
    lines += countLines(f.text);
    const r = parseModule(f.file, f.text, f.name);
    diags.push(...r.diagnostics);
    modules.push(r.module);
  }
  if (files.length === 0) {
    diags.push(error("E0052", "no .mpl files found", { file: "", start: 0, end: 0 }));
    return { diagnostics: diags, sources, outputs: [], program: null, lines };
  }
  const program = buildProgram(modules, diags);
  if (opts.requireMain && program.entry === null) {
    diags.push(error("E0052", "the project has no main.mpl (the entry module that defines `fn main()`)", { file: files[0]!.file, start: 0, end: 0 }));
  }
  // Type errors in a file that did not parse are mostly echoes of the syntax errors (definitions
  // dropped by recovery), so a program with syntax errors reports only those.
  const syntaxBroken = hasErrors(diags);
  const check = syntaxBroken ? null : checkProgram(program);
  if (check) diags.push(...check.diagnostics);
  const sorted = sortDiagnostics(dedupe(diags));
  const outputs: OutputFile[] = [];
  if (opts.generate && check && !hasErrors(sorted)) {
    for (const m of program.modules) {
      try {
        outputs.push(generateModule(m, program, check, { runtimeImport: opts.runtimeImport, sourceText: sources.get(m.file) }));
      } catch (e) {
        // a state the checker should have ruled out: a clean diagnostic, never guessed code
        if (!(e instanceof CodegenInternalError)) throw e;
        sorted.push(error("E9999", `internal error while generating ${m.file}: ${e.message}`, { file: m.file, start: 0, end: 0 }));
        return { diagnostics: sorted, sources, outputs: [], program, lines };
      }
    }
  }
  return { diagnostics: sorted, sources, outputs, program, lines };
}

export function compileProject(fsys: FileSystem, root: string, opts: CompileOptions): CompileResult {
  return compileSources(loadSources(fsys, root), opts);
}

function countLines(t: string): number {
  let n = 1;
  for (let i = 0; i < t.length; i++) if (t.charCodeAt(i) === 10) n++;
  return n;
}

function dedupe(diags: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diags.filter((d) => {
    const k = `${d.code}|${d.span.file}|${d.span.start}|${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
