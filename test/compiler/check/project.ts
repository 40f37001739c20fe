// In-memory Program builder for checker tests: parses source texts with the real parser,
// derives module names from paths (§2.1), orders modules by imports, and runs the checker.
import * as fs from "node:fs";
import * as path from "node:path";
import type { Program, ProgramModule } from "../../../compiler/analyse/program.js";
import type { Module } from "../../../compiler/ast/syntax.js";
import { checkProgram } from "../../../compiler/check/check.js";
import type { CheckResult } from "../../../compiler/check/annotations.js";
import type { Diagnostic } from "../../../compiler/diag/diagnostic.js";
import { lineColOf } from "../../../compiler/diag/render.js";

// A static import: a parser that cannot load fails every suite that uses this builder (it must
// never turn into skipped tests).
import { parseModule } from "../../../compiler/syntax/parse.js";

export function moduleNameOf(file: string): string {
  if (file === "main.mpl") return "Main";
  return file
    .replace(/\.mpl$/, "")
    .split("/")
    .map((seg) => seg.split("_").filter((p) => p.length > 0).map((p) => p[0]!.toUpperCase() + p.slice(1)).join(""))
    .join(".");
}

export interface Checked {
  readonly result: CheckResult;
  readonly parseDiags: Diagnostic[];
  readonly sources: Map<string, string>;
  readonly program: Program;
  // "CODE line:col message" for every checker diagnostic
  readonly lines: string[];
  readonly codes: string[];
}

export function buildProgram(files: Record<string, string>): { program: Program; parseDiags: Diagnostic[] } {
  const mods: ProgramModule[] = [];
  const parseDiags: Diagnostic[] = [];
  const names = new Map<string, string>();
  for (const f of Object.keys(files)) names.set(moduleNameOf(f), f);
  for (const [file, text] of Object.entries(files)) {
    const name = moduleNameOf(file);
    const { module, diagnostics } = parseModule(file, text, name);
    parseDiags.push(...diagnostics);
    const imports = module.items
      .filter((i) => i.kind === "Import" || i.kind === "FromImport")
      .map((i) => ({ module: (i as { path: readonly string[] }).path.join("."), span: i.span }))
      .filter((i) => names.has(i.module));
    mods.push({ name, file, ast: module, imports });
  }
  // dependency order (the loader rejects cycles; here we just visit depth-first)
  const byName = new Map(mods.map((m) => [m.name, m] as const));
  const ordered: ProgramModule[] = [];
  const seen = new Set<string>();
  const visit = (m: ProgramModule) => {
    if (seen.has(m.name)) return;
    seen.add(m.name);
    for (const i of m.imports) {
      const d = byName.get(i.module);
      if (d) visit(d);
    }
    ordered.push(m);
  };
  for (const m of mods) visit(m);
  return { program: { modules: ordered, byName, entry: byName.has("Main") ? "Main" : null }, parseDiags };
}

export function check(src: string | Record<string, string>): Checked {
  const files = typeof src === "string" ? { "main.mpl": src } : src;
  const { program, parseDiags } = buildProgram(files);
  const result = checkProgram(program);
  const sources = new Map(Object.entries(files));
  const lines = result.diagnostics.map((d) => {
    const lc = lineColOf(sources.get(d.span.file) ?? "", d.span.start);
    return `${d.code} ${d.span.file === "main.mpl" ? "" : d.span.file + ":"}${lc.line}:${lc.col} ${d.message}`;
  });
  return { result, parseDiags, sources, program, lines, codes: result.diagnostics.map((d) => d.code) };
}

export function errorsOf(c: Checked): string[] {
  return c.lines.filter((l) => l.startsWith("E"));
}

export function readProject(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const f of fs.readdirSync(d)) {
      const p = path.join(d, f);
      const r = rel ? `${rel}/${f}` : f;
      if (fs.statSync(p).isDirectory()) walk(p, r);
      else if (f.endsWith(".mpl")) out[r] = fs.readFileSync(p, "utf8");
    }
  };
  walk(dir, "");
  return out;
}
