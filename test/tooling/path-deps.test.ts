// Path dependencies in `meshc build|check|run` (tooling.md §3.3 [EXT]) through the real CLI: a
// dependency's modules join the program under their own names (its root main.mpl left out, its
// own path dependencies included), a module name defined twice across project and dependencies is
// E0043, and manifest / dependency errors end the command with their message (exit 1, no trace).
import { describe, it, expect, beforeEach, afterEach } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { dependencySources } from "../../tooling/deps.js";

const ROOT = path.resolve(__dirname, "../..");
const BIN = path.join(ROOT, "bin/meshc.js");
let dir: string;

function meshc(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const write = (rel: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), text);
};

const MANIFEST = '[package]\nname = "app"\nversion = "0.1.0"\n\n[dependencies]\ntext_kit = { path = "../text_kit" }\n';

// app -> text_kit (greeting.mpl, fmt/shout.mpl, main.mpl) -> counting (a dependency of the dependency)
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "meshc-deps-"));
  write("app/mesh.toml", MANIFEST);
  write(
    "app/main.mpl",
    [
      "from Greeting import greet",
      "import Fmt.Shout",
      "import Local",
      "",
      "fn main() do",
      '  println(greet("mesh"))',
      '  println(Shout.shout("path deps"))',
      '  println("twice: ${Local.twice(21)}")',
      "end",
      "",
    ].join("\n"),
  );
  write("app/local.mpl", "pub fn twice(n :: Int) -> Int do\n  n * 2\nend\n");
  write("text_kit/mesh.toml", '[package]\nname = "text_kit"\nversion = "1.0.0"\n\n[dependencies]\ncounting = { path = "../counting" }\n');
  write("text_kit/greeting.mpl", 'from Letters import count\n\npub fn greet(name :: String) -> String do\n  "hello, ${name} (${count(name)} letters)"\nend\n');
  write("text_kit/fmt/shout.mpl", 'pub fn shout(s :: String) -> String do\n  String.to_upper(s) <> "!"\nend\n');
  write("text_kit/main.mpl", 'fn main() do\n  println("the dependency\'s own main is not part of the app")\nend\n');
  write("counting/letters.mpl", "pub fn count(s :: String) -> Int do\n  String.length(s)\nend\n");
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("path dependencies in build, check and run", () => {
  it("meshc run uses a dependency's modules, nested ones included", () => {
    const r = meshc(["run", "app"]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("hello, mesh (4 letters)\nPATH DEPS!\ntwice: 42\n");
    expect(r.status).toBe(0);
  });

  it("meshc build writes them into _build and the launcher runs; check passes", () => {
    const b = meshc(["build", "app"]);
    expect(b.status).toBe(0);
    expect(b.stderr).toBe("built app/app (5 modules)\n");
    const js = fs.readdirSync(path.join(dir, "app/_build/.deps/text_kit")).sort();
    expect(js).toEqual(["fmt", "greeting.js"]); // no main.js: the dependency's main.mpl is left out
    const run = spawnSync(path.join(dir, "app/app"), [], { encoding: "utf8" });
    expect(run.stdout).toBe("hello, mesh (4 letters)\nPATH DEPS!\ntwice: 42\n");
    expect(meshc(["check", "app"])).toEqual({ status: 0, stdout: "", stderr: "" });
  });

  it("lists the dependency sources for the language server", () => {
    const srcs = dependencySources(path.join(dir, "app"));
    expect(srcs.map((s) => [s.file, s.name, s.dep])).toEqual([
      [".deps/counting/letters.mpl", "Letters", "counting"],
      [".deps/text_kit/fmt/shout.mpl", "Fmt.Shout", "text_kit"],
      [".deps/text_kit/greeting.mpl", "Greeting", "text_kit"],
    ]);
    expect(srcs[0]!.abs).toBe(path.join(fs.realpathSync(dir), "counting/letters.mpl"));
    expect(dependencySources(path.join(dir, "counting"))).toEqual([]); // no manifest
  });

  it("a module name defined by the project and a dependency is E0043", () => {
    write("app/greeting.mpl", 'pub fn greet(n :: String) -> String do\n  "mine ${n}"\nend\n');
    const r = meshc(["run", "app"]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      [
        "error[E0043]: files `greeting.mpl` and `.deps/text_kit/greeting.mpl` both define module `Greeting`",
        " --> .deps/text_kit/greeting.mpl:1:1",
        "  |",
        "1 | from Letters import count",
        "  | ^",
        "  = hint: rename one of the files",
        "",
        "1 error; nothing was built",
        "",
      ].join("\n"),
    );
  });

  it("a type error inside a dependency is reported in its file", () => {
    write("text_kit/fmt/shout.mpl", "pub fn shout(s :: String) -> String do\n  s + 1\nend\n");
    const r = meshc(["check", "app"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(" --> .deps/text_kit/fmt/shout.mpl:2:");
  });

  it("manifest and dependency errors end the command with their message", () => {
    write("app/mesh.toml", '[package]\nname = "app"\n');
    expect(meshc(["run", "app"])).toEqual({ status: 1, stdout: "", stderr: "meshc: Failed to parse manifest: missing package.version\n" });
    write("app/mesh.toml", '[package\nname = "app"\n');
    const bad = meshc(["build", "app"]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^meshc: Failed to parse manifest: [^\n]+\n$/);
    write("app/mesh.toml", '[package]\nname = "app"\nversion = "1"\n\n[dependencies]\ngone = { path = "../gone" }\n');
    expect(meshc(["check", "app"])).toEqual({ status: 1, stdout: "", stderr: "meshc: path dependency 'gone' not found: ../gone\n" });
    write("app/mesh.toml", '[package]\nname = "app"\nversion = "1"\n\n[dependencies]\nremote = { git = "https://example.com/r.git" }\n');
    expect(meshc(["run", "app"]).stderr).toBe('meshc: git dependency \'remote\' is not supported; declare it as { path = "…" } pointing to a local checkout\n');
    // an unknown key is a warning; the program still runs
    write("app/mesh.toml", MANIFEST.replace('version = "0.1.0"', 'version = "0.1.0"\nlicence = "MIT"'));
    const w = meshc(["run", "app"]);
    expect(w).toEqual({ status: 0, stdout: "hello, mesh (4 letters)\nPATH DEPS!\ntwice: 42\n", stderr: "mesh.toml: unknown key 'package.licence'\n" });
  });
});
