// Command-line interface: `meshc build <dir>`, `meshc run <file|dir> [-- args]`, `meshc check <dir|file>`.
// The only part of the compiler that touches the real world (files, processes, terminal).
import { Command } from "commander";
import * as fs from "node:fs";
import * as path from "node:path";
import * as os from "node:os";
import { fileURLToPath } from "node:url";
import { spawn } from "node:child_process";
import { NodeFileSystem } from "../compiler/fs/file-system.js";
import { loadSources, moduleNameOf, type SourceFile } from "../compiler/analyse/project.js";
import type { CompileOptions, CompileResult } from "../compiler/compile.js";
import { renderDiagnostics, diagnosticToJson } from "../compiler/diag/render.js";
import { hasErrors } from "../compiler/diag/diagnostic.js";
import { dependencySources, DepsError } from "../tooling/deps.js";
import { ManifestError } from "../tooling/manifest.js";
import { reusableRun, runDirFor, runKey, saveRun } from "./run-cache.js";

const VERSION = "0.1.0";
// The runtime compiled programs import: the bundle `npm run build` writes to dist/runtime-bundle/
// (scripts/bundle.mjs: two or three files to load instead of ~60 modules), unless it is missing or
// older than dist/runtime/index.js (tsc ran after it: the bundle would run old runtime code).
const RUNTIME_URL = ((): string => {
  const mtime = (u: URL) => fs.statSync(u, { throwIfNoEntry: false })?.mtimeMs ?? -1;
  const bundle = new URL("../runtime-bundle/index.js", import.meta.url);
  const plain = new URL("../runtime/index.js", import.meta.url);
  // MESHC_PLAIN_RUNTIME=1: programs import dist/runtime itself, for harnesses that drive a
  // compiled program with a scheduler of their own from dist/runtime (bench/sched-bench.ts).
  if (process.env.MESHC_PLAIN_RUNTIME === "1") return plain.href;
  return (mtime(bundle) >= 0 && mtime(bundle) >= mtime(plain) ? bundle : plain).href;
})();

// The front end is loaded on first use: creating the parser (Chevrotain's grammar analysis) is
// most of the start-up cost, and `--help` / `--version` / usage errors don't need it. In the
// bundle (scripts/bundle.mjs) this import becomes a lazy initialiser, not a separate file.
async function compile(files: readonly SourceFile[], opts: CompileOptions): Promise<CompileResult> {
  const { compileSources } = await import("../compiler/compile.js");
  return compileSources(files, opts);
}

function useColor(): boolean {
  return Boolean(process.stderr.isTTY) && !process.env.NO_COLOR;
}

// A single file is compiled as the entry module of a one-file project.
function sourcesFor(target: string): { root: string; files: SourceFile[]; single: boolean } {
  const fsys = new NodeFileSystem();
  if (!fs.existsSync(target)) fail(`no such file or directory: ${target}`);
  if (fs.statSync(target).isDirectory()) return { root: target, files: [...loadSources(fsys, target), ...depSources(target)], single: false };
  if (!target.endsWith(".mpl")) fail(`not a .mpl file: ${target}`);
  let text = fs.readFileSync(target, "utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const file = path.basename(target);
  return { root: path.dirname(target), files: [{ file, name: "Main", text }], single: true };
}

// The path dependencies of a project directory join its modules (tooling.md §3.3 [EXT]); a bad
// manifest or dependency ends the command with its message.
function depSources(dir: string): SourceFile[] {
  try {
    return dependencySources(dir, (w) => process.stderr.write(`${w}\n`));
  } catch (e) {
    if (e instanceof ManifestError || e instanceof DepsError) fail(e.message);
    throw e;
  }
}

function fail(msg: string): never {
  process.stderr.write(`meshc: ${msg}\n`);
  process.exit(1);
}

function report(result: CompileResult, json: boolean): void {
  const lookup = (f: string) => result.sources.get(f);
  if (json) {
    for (const d of result.diagnostics) process.stdout.write(diagnosticToJson(d, lookup) + "\n");
    return;
  }
  if (result.diagnostics.length > 0) process.stderr.write(renderDiagnostics(result.diagnostics, lookup, useColor()));
  const errors = result.diagnostics.filter((d) => d.severity === "error").length;
  if (errors > 0) process.stderr.write(`\n${errors} error${errors === 1 ? "" : "s"}; nothing was built\n`);
}

function writeOutputs(result: CompileResult, outDir: string): void {
  fs.rmSync(outDir, { recursive: true, force: true });
  for (const o of result.outputs) {
    const p = path.join(outDir, o.path);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, o.js);
  }
  // Generated modules are ES modules whatever package scope the project lives in.
  fs.writeFileSync(path.join(outDir, "package.json"), '{ "type": "module" }\n');
}

function writeLauncher(dir: string): string {
  const abs = path.resolve(dir);
  const exe = path.join(abs, path.basename(abs));
  const script = `#!/bin/sh
# Launcher written by meshc build: runs the compiled program with Node.js.
here="$(cd "$(dirname "$0")" && pwd)"
exec node --stack-size=${STACK_KB} "$here/_build/main.js" "$@"
`;
  fs.writeFileSync(exe, script, { mode: 0o755 });
  return exe;
}

// Programs run in their own Node process with a larger stack than Node's default (~1 MB), so
// non-tail recursion reaches the 10,000 levels language.md §7.9 requires even in code V8 has not
// optimised yet; 4000 KB stays well below the 8 MB main-thread stack of Linux.
export const STACK_KB = 4000;

// `meshc run`: the program's process (cli/run-child.ts) starts before compilation and loads the
// runtime meanwhile (on two cores, most of its start-up is then free). `start(main)` hands it the
// compiled entry module and resolves to the exit status to pass on; `start(null)` (compilation
// failed) ends it.
// A `known` entry (a reused compilation) runs as under the launcher, with no pipe to set up.
function startProgram(args: string[], known?: string): (main: string | null) => Promise<number> {
  const childJs = fileURLToPath(new URL("./run-child.js", import.meta.url));
  const child =
    known !== undefined
      ? spawn(process.execPath, [`--stack-size=${STACK_KB}`, known, ...args], { stdio: "inherit" })
      : spawn(process.execPath, [`--stack-size=${STACK_KB}`, childJs, RUNTIME_URL, ...args], { stdio: ["inherit", "inherit", "inherit", "pipe"] });
  const exited = new Promise<number>((resolve) => {
    child.on("error", (e) => fail(`cannot start node: ${e.message}`));
    child.on("exit", (code, signal) => resolve(signal ? 128 + (os.constants.signals[signal] ?? 0) : (code ?? 1)));
  });
  const pipe = child.stdio[3] as NodeJS.WritableStream | null;
  pipe?.on("error", () => {}); // the child ended before reading it
  return (main) => {
    if (main === null) {
      child.kill("SIGKILL");
      return Promise.resolve(1);
    }
    // From here on the program owns the terminal: signals meant for `meshc run` go to it, and its
    // exit status becomes ours.
    for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(sig, () => child.kill(sig));
    pipe?.end(`${main}\n`);
    return exited;
  };
}

function tempOutDir(target: string): string {
  return runDirFor(target);
}

const program = new Command();
program.name("meshc").description("Compiler for the Mesh language").version(VERSION, "-V, --version");

program
  .command("build")
  .description("compile every .mpl file below <dir> and write a runnable <dir>/<dir name>")
  .argument("<dir>", "project directory (main.mpl holds fn main)")
  .option("--json", "print diagnostics as JSON lines on stdout")
  .action(async (dir: string, opts: { json?: boolean }) => {
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) fail(`not a directory: ${dir}`);
    const { files } = sourcesFor(dir);
    const result = await compile(files, { runtimeImport: RUNTIME_URL, generate: true, requireMain: true });
    report(result, Boolean(opts.json));
    if (hasErrors(result.diagnostics)) process.exit(1);
    writeOutputs(result, path.join(dir, "_build"));
    const exe = writeLauncher(dir);
    if (!opts.json) process.stderr.write(`built ${path.relative(process.cwd(), exe) || exe} (${result.outputs.length} module${result.outputs.length === 1 ? "" : "s"})\n`);
  });

program
  .command("check")
  .description("report diagnostics without writing anything")
  .argument("<target>", "project directory or .mpl file")
  .option("--json", "print diagnostics as JSON lines on stdout")
  .action(async (target: string, opts: { json?: boolean }) => {
    const { files, single } = sourcesFor(target);
    const result = await compile(files, { runtimeImport: RUNTIME_URL, generate: false, requireMain: !single ? files.some((f) => f.name === "Main") : false });
    report(result, Boolean(opts.json));
    process.exit(hasErrors(result.diagnostics) ? 1 : 0);
  });

program
  .command("run")
  .description("compile and run a program; its output and exit status pass through")
  .argument("<target>", ".mpl file or project directory")
  .argument("[args...]", "program arguments (after --)")
  .action(async (target: string, args: string[]) => {
    const { files } = sourcesFor(target);
    const outDir = tempOutDir(target);
    const key = runKey(fileURLToPath(import.meta.url), RUNTIME_URL, target, files);
    const reused = reusableRun(outDir, key);
    if (reused) {
      process.stderr.write(useColor() ? reused.color : reused.plain);
      process.exit(await startProgram(args, reused.main)(reused.main));
    }
    const start = startProgram(args);
    const result = await compile(files, { runtimeImport: RUNTIME_URL, generate: true, requireMain: true });
    report(result, false);
    if (hasErrors(result.diagnostics)) process.exit(await start(null));
    writeOutputs(result, outDir);
    const mainFile = result.program?.byName.get("Main")?.file ?? "main.mpl";
    const main = path.join(outDir, mainFile.replace(/\.mpl$/, ".js"));
    const lookup = (f: string) => result.sources.get(f);
    const printed = (color: boolean) => (result.diagnostics.length > 0 ? renderDiagnostics(result.diagnostics, lookup, color) : "");
    saveRun(outDir, { key, main, outputs: result.outputs.map((o) => o.path), plain: printed(false), color: printed(true) });
    process.exit(await start(main));
  });

// Developer tooling (tooling.md): each command's code is imported on first use, so `build`, `run`
// and `check` never initialise it (in the bundle these imports become lazy initialisers).
function intFlag(name: string, v: string | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < min || n > max) fail(`invalid ${name} '${v}': expected an integer from ${min} to ${max}`);
  return n;
}

program
  .command("fmt")
  .description("Format Mesh source files")
  .argument("[paths...]", "files and directories (default: .); - reads stdin and writes stdout")
  .option("--check", "write nothing; report files whose formatting would change")
  .option("--line-width <n>", "target line width (default 100)")
  .option("--indent-size <n>", "spaces per indentation level (default 2)")
  .action(async (paths: string[], opts: { check?: boolean; lineWidth?: string; indentSize?: string }) => {
    const { runFmt } = await import("../tooling/fmt.js");
    const lineWidth = intFlag("--line-width", opts.lineWidth, 20, 100000);
    const indentSize = intFlag("--indent-size", opts.indentSize, 1, 8);
    process.exit(await runFmt(paths, { check: Boolean(opts.check), lineWidth, indentSize, color: useColor() }));
  });

program
  .command("lsp")
  .description("Start the Mesh language server (LSP over stdin/stdout)")
  .option("--stdio", "use stdin/stdout (the default; accepted and ignored)")
  .action(async () => {
    const { startStdioServer } = await import("../tooling/lsp/server.js");
    startStdioServer();
  });

for (const name of ["init", "new"]) {
  program
    .command(name)
    .description(name === "init" ? "Create a new Mesh project" : "Create a new Mesh project (alias of init)")
    .argument("<name>", "project name: an ASCII letter, then letters, digits, _ or -")
    .action(async (projectName: string) => {
      const { runInit } = await import("../tooling/init.js");
      process.exit(runInit(projectName));
    });
}

program
  .command("deps")
  .description("Resolve path dependencies and write mesh.lock")
  .argument("[dir]", "project directory", ".")
  .action(async (dir: string) => {
    const { runDeps } = await import("../tooling/deps.js");
    process.exit(runDeps(dir));
  });

program
  .command("repl")
  .description("Start an interactive Mesh REPL")
  .action(async () => {
    const { runRepl } = await import("../tooling/repl.js");
    process.exit(await runRepl({ runtimeUrl: RUNTIME_URL, version: VERSION }));
  });

program
  .command("migrate")
  .description("Apply, roll back, list or create database migrations (DIR/migrations/)")
  .argument("[args...]", "[DIR] [up | down | status | generate NAME]")
  .action(async (args: string[]) => {
    const { runMigrate } = await import("./migrate.js");
    process.exit(await runMigrate(args, { compile, runtimeUrl: RUNTIME_URL, stackKb: STACK_KB }));
  });

export { moduleNameOf };
program.parseAsync(process.argv).catch((e: unknown) => {
  process.stderr.write(`meshc: internal error: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(70);
});
