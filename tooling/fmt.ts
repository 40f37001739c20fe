// `meshc fmt [--check] [--line-width n] [--indent-size n] [paths...|-]` (tooling.md §1.1): finds
// the files, formats each with compiler/format (syntax errors and safety-check failures leave a
// file untouched), writes changed files atomically, and prints the summary.
import * as fs from "node:fs";
import * as path from "node:path";
import { formatSource, lineCol, type FormatOptions } from "../compiler/format/format.js";
import { renderDiagnostics } from "../compiler/diag/render.js";
import { findManifestDir, parseManifest } from "./manifest.js";

export interface FmtFlags {
  readonly check: boolean;
  readonly lineWidth?: number;
  readonly indentSize?: number;
  readonly color: boolean;
}

class UsageError extends Error {}

const SKIP = (name: string) => name.startsWith(".") || name === "_build" || name === "node_modules";

// .mpl files below a directory named on the command line (the skip rule applies below it only).
function walk(dir: string, out: string[]): void {
  for (const name of fs.readdirSync(dir).sort()) {
    if (SKIP(name)) continue;
    const p = path.join(dir, name);
    const st = fs.lstatSync(p);
    if (st.isDirectory()) walk(p, out);
    else if (name.endsWith(".mpl") && (st.isFile() || (st.isSymbolicLink() && isFile(p)))) out.push(p);
  }
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function collect(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const p of paths) {
    if (!fs.existsSync(p)) throw new UsageError(`Path '${p}' does not exist`);
    if (fs.statSync(p).isDirectory()) {
      const found: string[] = [];
      walk(p, found);
      if (found.length === 0) throw new UsageError(`No .mpl files found at '${p}'`);
      files.push(...found);
    } else {
      if (!p.endsWith(".mpl")) throw new UsageError(`'${p}' is not a .mpl file`);
      files.push(p);
    }
  }
  return [...new Set(files)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

// Settings: flags, else the nearest mesh.toml's [fmt], else the defaults (tooling.md §1.1).
export function settingsFor(dir: string, flags: { lineWidth?: number; indentSize?: number }, cache = new Map<string, FormatOptions>()): FormatOptions {
  const mdir = findManifestDir(dir);
  let base = mdir === null ? undefined : cache.get(mdir);
  if (base === undefined) {
    base = { lineWidth: 100, indentSize: 2 };
    if (mdir !== null) {
      const m = parseManifest(fs.readFileSync(path.join(mdir, "mesh.toml"), "utf8"));
      base = { lineWidth: m.fmt.lineWidth ?? 100, indentSize: m.fmt.indentSize ?? 2 };
      cache.set(mdir, base);
    }
  }
  return { lineWidth: flags.lineWidth ?? base.lineWidth, indentSize: flags.indentSize ?? base.indentSize };
}

// Temporary file in the same directory, then rename (a symbolic link is kept: its target is replaced).
function writeAtomic(file: string, data: string): void {
  const target = fs.realpathSync(file);
  const mode = fs.statSync(target).mode & 0o7777;
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.meshc-fmt-${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, data, { mode });
    fs.chmodSync(tmp, mode);
    fs.renameSync(tmp, target);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

export async function runFmt(paths: readonly string[], flags: FmtFlags): Promise<number> {
  const err = (s: string) => process.stderr.write(s);
  if (paths.includes("-")) {
    if (paths.length > 1) {
      err("meshc: '-' (stdin) cannot be combined with other paths\n");
      return 1;
    }
    return fmtStdin(flags);
  }
  let files: string[];
  try {
    files = collect(paths.length === 0 ? ["."] : paths);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`meshc: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  let parsed = 0, changed = 0, skipped = 0, ioError = false;
  const cache = new Map<string, FormatOptions>();
  for (const file of files) {
    let text: string;
    let opts: FormatOptions;
    try {
      text = fs.readFileSync(file, "utf8");
      opts = settingsFor(path.dirname(file), flags, cache);
    } catch (e) {
      err(`meshc: ${e instanceof Error ? e.message : String(e)}\n`);
      ioError = true;
      continue;
    }
    const r = formatSource(text, opts, file);
    if (r.kind === "syntax") {
      err(renderDiagnostics(r.diagnostics, (f) => (f === file ? text.replace(/^\uFEFF/, "") : undefined), flags.color));
      skipped++;
      continue;
    }
    if (r.kind === "internal") {
      const lc = lineCol(text.replace(/^\uFEFF/, ""), r.offset);
      err(`meshc: internal formatter error in ${file} at ${lc.line}:${lc.col}; file left unchanged\n`);
      skipped++;
      continue;
    }
    parsed++;
    if (r.output === text) continue;
    changed++;
    if (flags.check) {
      err(`  would reformat: ${file}\n`);
      continue;
    }
    try {
      writeAtomic(file, r.output);
    } catch (e) {
      err(`meshc: ${e instanceof Error ? e.message : String(e)}\n`);
      ioError = true;
    }
  }
  return summary(flags.check, parsed, changed, skipped) || (ioError ? 1 : 0);
}

function summary(check: boolean, parsed: number, changed: number, skipped: number): number {
  const err = (s: string) => process.stderr.write(s + "\n");
  let status = 0;
  if (!check) err(`Formatted ${parsed} file(s)`);
  else if (changed > 0) {
    err(`${changed} file(s) would be reformatted`);
    status = 1;
  } else err(`${parsed} file(s) already formatted`);
  if (skipped > 0) {
    err(`${skipped} file(s) not formatted because of syntax errors`);
    status = 1;
  }
  return status;
}

async function fmtStdin(flags: FmtFlags): Promise<number> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  let opts: FormatOptions;
  try {
    opts = settingsFor(process.cwd(), flags);
  } catch (e) {
    process.stderr.write(`meshc: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  const r = formatSource(text, opts, "<stdin>");
  if (r.kind === "syntax") {
    process.stderr.write(renderDiagnostics(r.diagnostics, (f) => (f === "<stdin>" ? text.replace(/^\uFEFF/, "") : undefined), flags.color));
    return summary(flags.check, 0, 0, 1);
  }
  if (r.kind === "internal") {
    const lc = lineCol(text.replace(/^\uFEFF/, ""), r.offset);
    process.stderr.write(`meshc: internal formatter error in <stdin> at ${lc.line}:${lc.col}; file left unchanged\n`);
    return summary(flags.check, 0, 0, 1);
  }
  const differs = r.output !== text;
  if (!flags.check) process.stdout.write(r.output);
  else if (differs) process.stderr.write("  would reformat: <stdin>\n");
  return summary(flags.check, 1, differs ? 1 : 0, 0);
}
