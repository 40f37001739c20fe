// The tooling commands through the real CLI (bin/meshc.js, built into dist/): `meshc fmt` exit
// statuses, summaries and file handling (tooling.md §1.1), `meshc init` bytes and the template
// running, `meshc deps` with path, git, cyclic and conflicting dependencies, and the REPL scripted
// through stdin (§3.4).
import { describe, it, expect, beforeEach, afterEach } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";

const ROOT = path.resolve(__dirname, "../..");
const BIN = path.join(ROOT, "bin/meshc.js");
let dir: string;

function meshc(args: string[], opts: { cwd?: string; input?: string } = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? dir, input: opts.input ?? "", encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const write = (rel: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), text);
};
const read = (rel: string) => fs.readFileSync(path.join(dir, rel), "utf8");

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "meshc-tooling-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("meshc fmt", () => {
  it("writes changed files, checks, skips syntax errors and hidden directories", () => {
    write("a.mpl", "fn f( x )=x\n");
    write("b.mpl", "fn g() = 1\n");
    write("bad.mpl", "fn main( do\n");
    write(".hidden/x.mpl", "fn   h() = 1\n");
    fs.chmodSync(path.join(dir, "a.mpl"), 0o640);
    let r = meshc(["fmt", "--check"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("  would reformat: a.mpl\n");
    expect(r.stderr).toContain("1 file(s) would be reformatted\n1 file(s) not formatted because of syntax errors\n");
    expect(read("a.mpl")).toBe("fn f( x )=x\n");
    r = meshc(["fmt"]);
    expect(r.status).toBe(1); // the syntax error
    expect(r.stderr).toContain("error[P0001]");
    expect(r.stderr).toContain("Formatted 2 file(s)\n1 file(s) not formatted because of syntax errors\n");
    expect(read("a.mpl")).toBe("fn f(x) = x\n");
    expect(fs.statSync(path.join(dir, "a.mpl")).mode & 0o777).toBe(0o640);
    expect(read("bad.mpl")).toBe("fn main( do\n");
    expect(read(".hidden/x.mpl")).toBe("fn   h() = 1\n");
    fs.rmSync(path.join(dir, "bad.mpl"));
    r = meshc(["fmt", "--check", "."]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("2 file(s) already formatted\n");
    // a hidden directory named on the command line is searched
    r = meshc(["fmt", ".hidden"]);
    expect(r.status).toBe(0);
    expect(read(".hidden/x.mpl")).toBe("fn h() = 1\n");
  });

  it("reads stdin with -, and reports bad paths before touching anything", () => {
    let r = meshc(["fmt", "-"], { input: "fn f( )=1" });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("fn f() = 1\n");
    r = meshc(["fmt", "--check", "-"], { input: "fn f( )=1" });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    r = meshc(["fmt", "-"], { input: "fn f( " });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("<stdin>");
    write("x.txt", "");
    expect(meshc(["fmt", "nope"]).stderr).toBe("meshc: Path 'nope' does not exist\n");
    expect(meshc(["fmt", "x.txt"]).stderr).toBe("meshc: 'x.txt' is not a .mpl file\n");
    fs.mkdirSync(path.join(dir, "empty"));
    const e = meshc(["fmt", "empty"]);
    expect([e.status, e.stderr]).toEqual([1, "meshc: No .mpl files found at 'empty'\n"]);
  });

  it("takes [fmt] settings from the nearest mesh.toml; flags win", () => {
    write("mesh.toml", '[package]\nname = "p"\nversion = "1"\n\n[fmt]\nindent_size = 4\n');
    write("main.mpl", "fn main() do\nprintln(1)\nend\n");
    meshc(["fmt"]);
    expect(read("main.mpl")).toBe("fn main() do\n    println(1)\nend\n");
    meshc(["fmt", "--indent-size", "2"]);
    expect(read("main.mpl")).toBe("fn main() do\n  println(1)\nend\n");
  });
});

describe("meshc init and deps", () => {
  it("creates a project that runs", () => {
    const r = meshc(["init", "hello_app"]);
    expect([r.status, r.stdout]).toEqual([0, "Created project 'hello_app'\n"]);
    expect(fs.readdirSync(path.join(dir, "hello_app")).sort()).toEqual(["main.mpl", "mesh.toml"]);
    expect(read("hello_app/mesh.toml")).toBe('[package]\nname = "hello_app"\nversion = "0.1.0"\n\n[dependencies]\n');
    expect(read("hello_app/main.mpl")).toBe('fn main() do\n  println("Hello from Mesh!")\nend\n');
    const run = meshc(["run", "hello_app"]);
    expect([run.status, run.stdout]).toEqual([0, "Hello from Mesh!\n"]);
    expect(meshc(["init", "hello_app"]).stderr).toBe("meshc: Directory 'hello_app' already exists\n");
    expect(meshc(["init", "../x"]).stderr).toBe("meshc: invalid project name '../x'\n");
    expect(meshc(["new", "9lives"]).status).toBe(1);
  });

  it("resolves path dependencies into mesh.lock, and refuses git, cycles and conflicts", () => {
    const manifest = (name: string, deps: string) => `[package]\nname = "${name}"\nversion = "0.1.0"\n\n[dependencies]\n${deps}`;
    write("app/mesh.toml", manifest("app", 'json_utils = { path = "../json_utils" }\n'));
    write("json_utils/mesh.toml", manifest("json_utils", 'text = { path = "../text" }\n'));
    fs.mkdirSync(path.join(dir, "text"));
    let r = meshc(["deps", "app"]);
    expect([r.status, r.stderr]).toEqual([0, "Resolved 2 dependencies\n"]);
    expect(read("app/mesh.lock")).toBe('version = 1\n\n[[packages]]\nname = "json_utils"\nsource = "../json_utils"\nrevision = "local"\n\n[[packages]]\nname = "text"\nsource = "../text"\nrevision = "local"\n');
    r = meshc(["deps", "app"]);
    expect(r.stderr).toBe("Dependencies up to date\n");
    write("text/mesh.toml", manifest("text", 'app = { path = "../app" }\n'));
    r = meshc(["deps", "app"]);
    expect([r.status, r.stderr]).toEqual([1, "meshc: Dependency cycle detected: `app` is already being resolved\n"]);
    write("app/mesh.toml", manifest("app", 'json_utils = { path = "../json_utils" }\ntext = { path = "../text" }\n'));
    write("json_utils/mesh.toml", manifest("json_utils", ""));
    write("text/mesh.toml", manifest("text", 'json_utils = { path = "../other" }\n'));
    fs.mkdirSync(path.join(dir, "other"));
    r = meshc(["deps", "app"]);
    expect([r.status, r.stderr]).toEqual([1, "meshc: Dependency conflict: `json_utils` required from two different sources\n"]);
    write("app/mesh.toml", manifest("app", 'web = { git = "https://example.com/web.git" }\n'));
    r = meshc(["deps", "app"]);
    expect(r.stderr).toBe("meshc: git dependency 'web' is not supported; declare it as { path = \"…\" } pointing to a local checkout\n");
    write("app/mesh.toml", manifest("app", 'web = "1.0"\n'));
    expect(meshc(["deps", "app"]).stderr).toBe("meshc: unsupported dependency form for 'web'\n");
    write("solo/mesh.toml", manifest("solo", ""));
    expect(meshc(["deps", "solo"]).stderr).toBe("No dependencies\n");
    expect(read("solo/mesh.lock")).toBe("version = 1\n\npackages = []\n");
    expect(meshc(["deps", "nowhere"]).stderr).toBe("meshc: No 'mesh.toml' found in 'nowhere'. Run `meshc init` to create a project.\n");
  });
});

describe("meshc repl (stdin not a terminal)", () => {
  it("defines, evaluates, types, and survives errors", () => {
    const script = [
      "fn double(x) = x * 2",
      "double(21)",
      "let xs = [1, 2,",
      "  3]",
      "List.map(xs, fn x -> double(x) end)",
      ":type xs",
      'let a = do',
      '  println("once")',
      "  5",
      "end",
      "a + 1",
      '1 + "a"',
      "10 / 0",
      "a",
      ":nope",
      "fn double(x) = x * 3",
      "double(1)",
      "struct P do",
      "  x :: Int",
      "end",
      "P { x: 1 }",
      'println("hi")',
      ":reset",
      ":t double",
      ":quit",
      "1",
    ].join("\n");
    const r = meshc(["repl"], { input: script + "\n" });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      [
        "Defined: double :: Fun(Int) -> Int",
        "42 :: Int",
        "[1, 2, 3] :: List<Int>",
        "[2, 4, 6] :: List<Int>",
        "xs :: List<Int>",
        "once",
        "5 :: Int",
        "6 :: Int",
        "5 :: Int",
        "Defined: double :: Fun(Int) -> Int",
        "3 :: Int",
        "Defined: P",
        "P { x: 1 } :: P",
        "hi",
        "Session reset. All definitions and history cleared.",
        "Goodbye!",
        "",
      ].join("\n"),
    );
    expect(r.stderr).toContain("error[E0001]");
    expect(r.stderr).toContain("--> <repl>:1:5");
    expect(r.stderr).toMatch(/Error: .*division by zero/);
    expect(r.stderr).toContain("Error: Unknown command: :nope\nType :help for available commands.\n");
    expect(r.stderr).toContain("<repl>"); // `:t double` after :reset: unknown name
  }, 120_000);
});
