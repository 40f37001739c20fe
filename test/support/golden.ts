// Helpers for golden tests: run the real CLI as a child process and compare whole outputs,
// reporting the first differing line.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
export const MESHC = path.join(ROOT, "bin/meshc.js");

export interface Sidecar {
  /** test/compiler/codegen/golden-run.test.ts: not run in its no-checker-annotations mode. */
  checkedOnly?: boolean;
  status?: number;
  stderrFirstLine?: string;
  stderrContains?: string[];
  stdin?: string;
  env?: Record<string, string>;
  unsetEnv?: string[];
  args?: string[];
  files?: Record<string, string>;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  status: number | null;
}

// Asynchronous so that concurrent golden tests overlap and the test worker stays responsive.
export function meshc(args: string[], opts: { input?: string; env?: Record<string, string>; unsetEnv?: string[]; cwd?: string; timeout?: number } = {}): Promise<RunResult> {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: "1", ...(opts.env ?? {}) };
  for (const k of opts.unsetEnv ?? []) delete env[k];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MESHC, ...args], {
      env,
      cwd: opts.cwd ?? ROOT,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeout ?? 60000);
    child.on("error", reject);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, status });
    });
    child.stdin.on("error", () => {});
    child.stdin.end(opts.input ?? "");
  });
}

export function firstDifference(actual: string, expected: string): string | null {
  if (actual === expected) return null;
  const a = actual.split("\n");
  const e = expected.split("\n");
  for (let i = 0; i < Math.max(a.length, e.length); i++) {
    if (a[i] !== e[i]) {
      return `first difference at line ${i + 1}:\n  expected: ${JSON.stringify(e[i] ?? "<end of output>")}\n  actual:   ${JSON.stringify(a[i] ?? "<end of output>")}`;
    }
  }
  return "outputs differ";
}

export interface GoldenCase {
  name: string;
  target: string; // .mpl file or project dir
  expectedOut: string;
  sidecar: Sidecar;
}

// A case is `<name>.out` beside `<name>.mpl` or a project folder `<name>/` (with main.mpl).
export function discoverRunCases(dir: string): GoldenCase[] {
  const abs = path.join(ROOT, dir); // a missing folder throws: it must not become zero tests
  const cases: GoldenCase[] = [];
  for (const f of fs.readdirSync(abs).sort()) {
    if (!f.endsWith(".out")) continue;
    const name = f.slice(0, -4);
    const file = path.join(abs, name + ".mpl");
    const folder = path.join(abs, name);
    const target = fs.existsSync(file) ? file : folder;
    const side = path.join(abs, name + ".json");
    cases.push({
      name,
      target,
      expectedOut: fs.readFileSync(path.join(abs, f), "utf8"),
      sidecar: fs.existsSync(side) ? (JSON.parse(fs.readFileSync(side, "utf8")) as Sidecar) : {},
    });
  }
  return cases;
}

export interface ErrorCase {
  name: string;
  target: string;
  code: string; // expected diagnostic code, from the name suffix `-E0001`
  expectedErr: string | null; // whole rendered stderr, when a .err file exists
}

export function discoverErrorCases(dir: string): ErrorCase[] {
  const abs = path.join(ROOT, dir); // a missing folder throws: it must not become zero tests
  const out: ErrorCase[] = [];
  for (const f of fs.readdirSync(abs).sort()) {
    if (f.endsWith(".err")) continue;
    const name = f.replace(/\.mpl$/, "");
    const m = name.match(/-([EPW]\d{4})(?:-|$)/);
    if (!m) continue;
    const errFile = path.join(abs, name + ".err");
    out.push({ name, target: path.join(abs, f), code: m[1]!, expectedErr: fs.existsSync(errFile) ? fs.readFileSync(errFile, "utf8") : null });
  }
  return out;
}

/** True under CI (`CI` set to anything but "" / "0" / "false"): snapshots are never written there. */
export function inCI(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env.CI;
  return v !== undefined && v !== "" && v !== "0" && v.toLowerCase() !== "false";
}

/**
 * Compares `actual` with the snapshot file. A missing snapshot is written (local runs, to be
 * reviewed and committed) — except under CI, where it is a failure: a snapshot that CI wrote
 * itself would compare the output with itself. `UPDATE_GOLDEN=1` rewrites snapshots (never in CI).
 * Returns the first difference, or null.
 */
export function compareSnapshot(file: string, actual: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const exists = fs.existsSync(file);
  if (inCI(env)) {
    if (!exists) return `snapshot ${path.relative(ROOT, file)} is missing (CI never writes snapshots: run the test locally, review the file and commit it)`;
  } else if (!exists || env.UPDATE_GOLDEN) {
    fs.writeFileSync(file, actual);
  }
  return firstDifference(actual, fs.readFileSync(file, "utf8"));
}

/** Programs in a golden run folder without an expected output (they would silently not run). */
export function casesWithoutOutput(dir: string): string[] {
  const abs = path.join(ROOT, dir);
  return fs
    .readdirSync(abs)
    .filter((f) => (f.endsWith(".mpl") || fs.statSync(path.join(abs, f)).isDirectory()) && !fs.existsSync(path.join(abs, f.replace(/\.mpl$/, "") + ".out")))
    .sort();
}
