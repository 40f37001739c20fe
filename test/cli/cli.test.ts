// The `meshc` command as a user meets it: bin/meshc.js run as a child process (the bundle that
// `npm run build` makes, or dist/cli/meshc.js when there is none), plus the loader's handling of
// the bundle and its code cache, and the grammar validations that the bundle skips.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const MESHC = path.join(ROOT, "bin/meshc.js");
const ESC = "\u001b[";

interface Result {
  stdout: string;
  stderr: string;
  status: number | null;
}

// Environment without the variables these tests vary, and with this Node first on PATH (the
// launcher runs `node`).
function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== "NO_COLOR" && k !== "FORCE_COLOR") env[k] = v;
  env.PATH = `${path.dirname(process.execPath)}${path.delimiter}${env.PATH ?? ""}`;
  return { ...env, ...extra };
}

function run(cmd: string, args: string[], opts: { cwd?: string; env?: Record<string, string>; input?: string } = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd ?? ROOT, env: opts.env ?? baseEnv() });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60000);
    child.on("error", reject);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, status });
    });
    child.stdin.on("error", () => {});
    child.stdin.end(opts.input ?? "");
  });
}

const meshc = (args: string[], opts: { cwd?: string; env?: Record<string, string>; input?: string } = {}) =>
  run(process.execPath, [MESHC, ...args], opts);

let tmp = "";
function project(name: string, files: Record<string, string>): string {
  const dir = path.join(tmp, name);
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
  return dir;
}

const HELLO = 'fn main() do\n  println("Hello from Mesh")\nend\n';
const TYPE_ERROR = 'fn main() do\n  let n :: Int = 1\n  println(n <> "x")\nend\n';
// Linux: the program's own command line, so that the test sees the arguments its process got.
const SHOW_ARGS = `fn main() do
  case File.read("/proc/self/cmdline") do
    Ok(text) -> println(text)
    Err(e) -> println("cannot read: " <> e)
  end
end
`;
const PANIC = "fn risky(d :: Int) -> Int = 100 / d\n\nfn main() do\n  println(\"before\")\n  println(\"${risky(0)}\")\nend\n";

beforeAll(() => {
  expect(fs.existsSync(path.join(ROOT, "dist/cli/meshc.js")), "dist/ is missing: run npm run build").toBe(true);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "meshc-cli-test-"));
});

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe.concurrent("meshc", () => {
  it("--version prints the version", async () => {
    const r = await meshc(["--version"]);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it("--help lists the commands", async () => {
    const r = await meshc(["--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Usage: meshc");
    for (const c of ["build", "check", "run"]) expect(r.stdout).toMatch(new RegExp(`^\\s+${c}\\b`, "m"));
  });

  it("build writes _build/ and a launcher that runs from another working directory", async () => {
    const dir = project("hello-app", { "main.mpl": HELLO, "util/text.mpl": 'pub fn shout(s :: String) -> String = s <> "!"\n' });
    const r = await meshc(["build", dir]);
    expect(r.stderr).toMatch(/^built .*hello-app \(2 modules\)\n$/);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("");
    expect(fs.existsSync(path.join(dir, "_build/main.js"))).toBe(true);
    expect(fs.existsSync(path.join(dir, "_build/util/text.js"))).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(dir, "_build/package.json"), "utf8"))).toEqual({ type: "module" });
    const exe = path.join(dir, "hello-app");
    expect(fs.statSync(exe).mode & 0o111).not.toBe(0);
    const elsewhere = fs.mkdtempSync(path.join(tmp, "cwd-"));
    const out = await run(exe, [], { cwd: elsewhere });
    expect(out).toEqual({ stdout: "Hello from Mesh\n", stderr: "", status: 0 });
  });

  it("build of a broken project reports, exits 1 and writes nothing", async () => {
    const dir = project("broken", { "main.mpl": TYPE_ERROR });
    const r = await meshc(["build", dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/error\[E\d{4}\]/);
    expect(r.stderr).toContain("nothing was built");
    expect(fs.existsSync(path.join(dir, "_build"))).toBe(false);
  });

  it("check --json prints one JSON object per diagnostic on stdout", async () => {
    const dir = project("json", { "main.mpl": TYPE_ERROR, "lib/other.mpl": "pub fn f() -> Int = \"no\"\n" });
    const r = await meshc(["check", "--json", dir]);
    expect(r.status).toBe(1);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines.length).toBeGreaterThanOrEqual(2);
    const diags = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const d of diags) {
      expect(d.severity).toBe("error");
      expect(d.code).toMatch(/^[EPW]\d{4}$/);
      expect(typeof d.message).toBe("string");
      expect(typeof d.line).toBe("number");
      expect(typeof d.column).toBe("number");
    }
    expect([...new Set(diags.map((d) => d.file))]).toEqual(["lib/other.mpl", "main.mpl"]);
    expect(diags[0]).toMatchObject({ file: "lib/other.mpl", line: 1, column: 21, code: "E0001" });
    const main = diags.find((d) => d.file === "main.mpl")!;
    expect(main.line).toBe(3);
    expect(main.column).toBeGreaterThan(1);
    expect(r.stderr).toBe("");
  });

  it("check of a correct project prints nothing and exits 0", async () => {
    const dir = project("fine", { "main.mpl": HELLO });
    expect(await meshc(["check", dir])).toEqual({ stdout: "", stderr: "", status: 0 });
    expect(await meshc(["check", "--json", path.join(dir, "main.mpl")])).toEqual({ stdout: "", stderr: "", status: 0 });
  });

  it("run passes program arguments through, and meshc's own options after -- too", async () => {
    const dir = project("args", { "main.mpl": SHOW_ARGS });
    const r = await meshc(["run", dir, "--", "a", "b c", "--json"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const argv = r.stdout.replace(/\n$/, "").split("\0").filter((a) => a !== "");
    expect(argv.slice(-3)).toEqual(["a", "b c", "--json"]);
    expect(argv).toContain("--stack-size=4000");
  });

  it("run passes the exit status, stdout and stderr through", async () => {
    const r = await meshc(["run", project("panics", { "main.mpl": PANIC })]);
    expect(r.status).toBe(101);
    expect(r.stdout).toBe("before\n");
    expect(r.stderr).toMatch(/^panic: division by zero/);
    const ok = await meshc(["run", path.join(project("hello-run", { "main.mpl": HELLO }), "main.mpl")]);
    expect(ok).toEqual({ stdout: "Hello from Mesh\n", stderr: "", status: 0 });
  });

  it("run passes standard input to the program", async () => {
    const echo = 'fn main() do\n  case IO.read_line() do\n    Ok(l) -> println("got " <> l)\n    Err(e) -> println("error " <> e)\n  end\nend\n';
    const r = await meshc(["run", project("stdin", { "main.mpl": echo })], { input: "line one\n" });
    expect(r).toEqual({ stdout: "got line one\n", stderr: "", status: 0 });
  });

  it("run of a program that does not compile reports, exits 1 and runs nothing", async () => {
    const dir = project("no-run", { "main.mpl": 'fn main() do\n  println("must not run")\n  println(1 <> "x")\nend\n' });
    const r = await meshc(["run", dir, "--", "x"]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/error\[E\d{4}\]/);
    expect(r.stderr).not.toContain("must not run");
  });

  it("a missing path is a clear error with exit status 1", async () => {
    const missing = path.join(tmp, "no-such-dir");
    for (const cmd of ["check", "run", "build"]) {
      const r = await meshc([cmd, missing]);
      expect(r.status, cmd).toBe(1);
      expect(r.stdout, cmd).toBe("");
      expect(r.stderr, cmd).toMatch(new RegExp(`^meshc: (no such file or directory|not a directory): ${missing.replace(/[/\\.]/g, "\\$&")}\n$`));
    }
    const notMesh = path.join(tmp, "notes.txt");
    fs.writeFileSync(notMesh, "hi");
    const r = await meshc(["check", notMesh]);
    expect(r).toEqual({ stdout: "", stderr: `meshc: not a .mpl file: ${notMesh}\n`, status: 1 });
  });

  it("writes no colour codes when stderr is not a terminal", async () => {
    const dir = project("colourless", { "main.mpl": TYPE_ERROR });
    for (const cmd of ["build", "check", "run"]) {
      const r = await meshc([cmd, dir]);
      expect(r.status, cmd).toBe(1);
      expect(r.stderr, cmd).toMatch(/error\[E\d{4}\]/);
      expect(r.stderr + r.stdout, cmd).not.toContain(ESC);
    }
    const ok = project("colourless-ok", { "main.mpl": HELLO });
    const b = await meshc(["build", ok]);
    expect(b.status).toBe(0);
    expect(b.stderr + b.stdout).not.toContain(ESC);
  });

  // `script` (util-linux) gives the command a pseudo-terminal.
  const hasScript = spawnSync("script", ["--version"]).status === 0;
  it.skipIf(!hasScript)("colours diagnostics on a terminal unless NO_COLOR is set", async () => {
    const dir = project("tty", { "main.mpl": TYPE_ERROR });
    const cmd = `'${process.execPath}' '${MESHC}' check '${dir}'`;
    const tty = await run("script", ["-qec", cmd, "/dev/null"]);
    expect(tty.status).toBe(1);
    expect(tty.stdout).toContain(ESC);
    expect(tty.stdout).toMatch(/error\[E\d{4}\]/);
    const noColor = await run("script", ["-qec", cmd, "/dev/null"], { env: baseEnv({ NO_COLOR: "1" }) });
    expect(noColor.status).toBe(1);
    expect(noColor.stdout).toMatch(/error\[E\d{4}\]/);
    expect(noColor.stdout).not.toContain(ESC);
  });
});

// bin/meshc.js picks the bundle only when it is at least as new as dist/cli/meshc.js, and trusts
// a code cache only when it names the bundle's hash. Each case runs on a private copy of bin/ and
// dist/cli/ (with the rest of dist/ and node_modules linked), never on the shared one.
describe("the bundle loader", () => {
  const bundle = path.join(ROOT, "dist/cli/meshc.cjs");
  const hasBundle = fs.existsSync(bundle);

  function copyInstall(name: string): string {
    const root = path.join(tmp, name);
    fs.mkdirSync(path.join(root, "bin"), { recursive: true });
    fs.mkdirSync(path.join(root, "dist/cli"), { recursive: true });
    fs.copyFileSync(MESHC, path.join(root, "bin/meshc.js"));
    fs.writeFileSync(path.join(root, "package.json"), '{ "type": "module" }\n');
    for (const d of ["common", "compiler", "runtime", "tooling"]) fs.symlinkSync(path.join(ROOT, "dist", d), path.join(root, "dist", d));
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(root, "node_modules"));
    for (const f of fs.readdirSync(path.join(ROOT, "dist/cli")).filter((f) => f.endsWith(".js"))) fs.copyFileSync(path.join(ROOT, "dist/cli", f), path.join(root, "dist/cli", f));
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(path.join(root, "dist/cli/meshc.js"), old, old);
    if (hasBundle) fs.copyFileSync(bundle, path.join(root, "dist/cli/meshc.cjs"));
    return root;
  }

  const check = (root: string, dir: string) => run(process.execPath, [path.join(root, "bin/meshc.js"), "check", dir]);

  it.skipIf(!hasBundle)("makes a code cache tagged with the bundle's hash, and survives a corrupt one", async () => {
    const root = copyInstall("loader-cache");
    const dir = project("loader-cache-src", { "main.mpl": TYPE_ERROR });
    const cache = path.join(root, "dist/cli/meshc.cjs.cache");
    const first = await check(root, dir);
    expect(first.status).toBe(1);
    expect(first.stderr).toMatch(/error\[E\d{4}\]/);
    const tag = /^\/\/ meshc-bundle ([0-9a-f]{64})\n/.exec(fs.readFileSync(path.join(root, "dist/cli/meshc.cjs"), "utf8"))![1]!;
    const made = fs.readFileSync(cache);
    expect(made.toString("latin1", 0, 64)).toBe(tag);
    expect(made.length).toBeGreaterThan(10_000);
    // Same tag, garbage data: V8 rejects it, the command still works, and a good cache replaces it.
    fs.writeFileSync(cache, Buffer.concat([Buffer.from(tag, "latin1"), Buffer.alloc(5000, 7)]));
    expect(await check(root, dir)).toEqual(first);
    expect(fs.readFileSync(cache).length).toBeGreaterThan(10_000);
    // A cache of another bundle is not used (and is replaced).
    fs.writeFileSync(cache, Buffer.concat([Buffer.from("0".repeat(64), "latin1"), made.subarray(64)]));
    expect(await check(root, dir)).toEqual(first);
    expect(fs.readFileSync(cache).toString("latin1", 0, 64)).toBe(tag);
    // `--version` does not make a cache (it would hold none of the compiler).
    fs.rmSync(cache);
    expect((await run(process.execPath, [path.join(root, "bin/meshc.js"), "--version"])).status).toBe(0);
    expect(fs.existsSync(cache)).toBe(false);
  });

  it("falls back to dist/cli/meshc.js when the bundle is missing or older", async () => {
    const dir = project("loader-fallback-src", { "main.mpl": TYPE_ERROR });
    const expected = await meshc(["check", dir]);
    expect(expected.status).toBe(1);
    const stale = copyInstall("loader-stale");
    if (hasBundle) {
      // A bundle that would fail if it ran: older than meshc.js, so it must not.
      fs.writeFileSync(path.join(stale, "dist/cli/meshc.cjs"), `// meshc-bundle ${"1".repeat(64)}\nprocess.exit(99);\n`);
      const old = new Date(Date.now() - 120_000);
      fs.utimesSync(path.join(stale, "dist/cli/meshc.cjs"), old, old);
    }
    expect(await check(stale, dir)).toEqual(expected);
    const none = copyInstall("loader-none");
    fs.rmSync(path.join(none, "dist/cli/meshc.cjs"), { force: true });
    expect(await check(none, dir)).toEqual(expected);
  });
});

describe("grammar validations", () => {
  it("run when the parser is built outside the bundle, and find no grammar error", async () => {
    // Importing the parser builds it (performSelfAnalysis throws on a grammar error).
    const { meshParser } = await import("../../compiler/syntax/parser.js");
    const p = meshParser as unknown as { skipValidations: boolean; definitionErrors: unknown[] };
    expect(p.skipValidations).toBe(false);
    expect(p.definitionErrors).toEqual([]);
  });

  it.skipIf(!fs.existsSync(path.join(ROOT, "dist/cli/meshc.cjs")))("are skipped in the bundle", () => {
    const text = fs.readFileSync(path.join(ROOT, "dist/cli/meshc.cjs"), "utf8");
    expect(text).toMatch(/SKIP_GRAMMAR_VALIDATIONS = true;/);
  });
});
