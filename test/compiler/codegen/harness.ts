// Test harness for the code generator: compiles Mesh sources in-process (parse → program →
// check → generate), writes the modules to a temp dir next to a bundled runtime, and runs them
// with `node` as a child process.
import { mkdirSync, writeFileSync, rmSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { spawnSync } from "node:child_process";
import { buildSync } from "esbuild";
import { parseModule } from "../../../compiler/syntax/parse.js";
import { buildProgram, moduleNameOf } from "../../../compiler/analyse/project.js";
import { checkProgram } from "../../../compiler/check/check.js";
import { emptyAnnotations, type CheckResult } from "../../../compiler/check/annotations.js";
import { generateModule } from "../../../compiler/codegen/generate.js";
import type { Diagnostic } from "../../../compiler/diag/diagnostic.js";

const ROOT = resolve(import.meta.dirname ?? ".", "../../..");
let runtimeUrl: string | null = null;
let workDir: string | null = null;

function work(): string {
  // inside the project so the bundled runtime resolves its npm dependencies (kept external)
  if (!workDir) {
    const base = join(ROOT, "node_modules", ".cache");
    mkdirSync(base, { recursive: true });
    // one folder per process; folders of processes that are gone (killed workers) are removed
    for (const d of readdirSync(base)) {
      const m = /^meshc-codegen-(\d+)$/.exec(d);
      if (m && !alive(Number(m[1]))) rmSync(join(base, d), { recursive: true, force: true });
    }
    workDir = join(base, `meshc-codegen-${process.pid}`);
    mkdirSync(workDir, { recursive: true });
    const dir = workDir;
    process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  }
  return workDir;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function runtimeImport(): string {
  if (runtimeUrl) return runtimeUrl;
  // the entry and its lazily imported layers (runtime/lib/*.ts) share one copy of the runtime
  const outdir = join(work(), "runtime");
  const layers = ["web", "db", "orm", "dist"].map((l) => join(ROOT, `runtime/lib/${l}.ts`));
  buildSync({
    entryPoints: [join(ROOT, "runtime/index.ts"), ...layers],
    outbase: join(ROOT, "runtime"),
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    logLevel: "silent",
    packages: "external",
  });
  runtimeUrl = pathToFileURL(join(outdir, "index.js")).href;
  return runtimeUrl;
}

export interface Compiled {
  files: Map<string, string>; // output path -> js
  diagnostics: Diagnostic[];
  checked: boolean;
}

export function compile(sources: Record<string, string>, opts: { check?: boolean } = {}): Compiled {
  const diags: Diagnostic[] = [];
  const mods = Object.entries(sources).map(([file, text]) => {
    const r = parseModule(file, text, moduleNameOf(file));
    diags.push(...r.diagnostics);
    return r.module;
  });
  const program = buildProgram(mods, diags);
  let check: CheckResult = { annotations: emptyAnnotations(), info: { types: new Map(), impls: [] }, diagnostics: [] };
  let checked = false;
  if (opts.check !== false) {
    // a checker crash fails the test (it must not quietly fall back to unannotated generation)
    check = checkProgram(program);
    checked = true;
    diags.push(...check.diagnostics);
  }
  const files = new Map<string, string>();
  for (const pm of program.modules) {
    const { path, js } = generateModule(pm, program, check, { runtimeImport: runtimeImport(), sourceText: sources[pm.file] });
    files.set(path, js);
  }
  return { files, diagnostics: diags, checked };
}

export interface RunResult {
  stdout: string;
  stderr: string;
  status: number | null;
  files: Map<string, string>;
}

let counter = 0;
// Writes the generated modules to a fresh directory; returns it.
export function build(srcs: Record<string, string>, opts: { check?: boolean } = {}): { dir: string; files: Map<string, string> } {
  const c = compile(srcs, opts);
  const dir = join(work(), `p${counter++}`);
  for (const [p, js] of c.files) {
    const f = join(dir, p);
    mkdirSync(dirname(f), { recursive: true });
    writeFileSync(f, js);
  }
  writeFileSync(join(dir, "package.json"), '{"type":"module"}');
  return { dir, files: c.files };
}

export function run(sources: Record<string, string> | string, opts: { check?: boolean; timeoutMs?: number } = {}): RunResult {
  const srcs = typeof sources === "string" ? { "main.mpl": sources } : sources;
  const { dir, files } = build(srcs, opts);
  const c = { files };
  // Cold (interpreted) frames are large: 10,000-deep non-tail recursion needs more than node's
  // default ~984 KB stack, so programs run with --stack-size=4000 (below the 8 MB thread stack).
  const r = spawnSync(process.execPath, ["--stack-size=4000", join(dir, "main.js")], { encoding: "utf8", timeout: opts.timeoutMs ?? 30000 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status, files: c.files };
}
