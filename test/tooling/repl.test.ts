// `meshc repl` evaluation (tooling.md §3.4) through the real CLI, scripted through stdin: one
// long-lived runtime and one REPL process per session — the pid of the REPL process is stable, an
// actor and a service spawned by one input answer later inputs and keep their state, bound
// closures, maps and values of session types are used by later inputs (and still match after
// more definitions), a panicking input or an exit signal to the REPL process keeps the session,
// and `:reset` ends the session's processes and forgets its names. Whole outputs are compared.
import { describe, it, expect, beforeEach, afterEach } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";

const ROOT = path.resolve(__dirname, "../..");
const BIN = path.join(ROOT, "bin/meshc.js");
let dir: string;

function repl(lines: string[]) {
  const r = spawnSync(process.execPath, [BIN, "repl"], { cwd: dir, input: lines.join("\n") + "\n", encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "meshc-repl-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("meshc repl: one runtime for the session", () => {
  it("keeps the REPL process, spawned processes and bound values across inputs", () => {
    // After each `send(p, Show)` comes an input that runs (not a definition): the actor prints
    // while the runtime is still busy with that send, so its line precedes the next result.
    const r = repl([
      "Process.self()",
      "self()",
      "type Msg do",
      "  Add(Int)",
      "  Show",
      "end",
      "actor counter(n :: Int) do",
      "  receive do",
      "    Add(k) -> counter(n + k)",
      "    Show -> do",
      "      println(\"total ${n}\")",
      "      counter(n)",
      "    end",
      "  end",
      "end",
      "let p = spawn(counter, 0)",
      "Process.register(\"counter\", p)",
      "send(p, Add(5))",
      "send(p, Add(7))",
      "send(p, Show)",
      "Process.is_alive(p)",
      "fn helper(x :: Int) -> Int = x + 1",
      "send(p, Add(helper(29)))",
      "send(p, Show)",
      "Process.whereis(\"counter\") == p",
      "service Acc do",
      "  fn init() -> Int do",
      "    0",
      "  end",
      "  call Add(k :: Int) :: Int do |n|",
      "    (n + k, n + k)",
      "  end",
      "end",
      "let acc = Acc.start()",
      "Acc.add(acc, 3)",
      "Acc.add(acc, 4)",
      "let scale = fn x -> x * 10 end",
      "let ages = %{\"ann\" => 31, \"bob\" => 42}",
      "scale(Map.get(ages, \"bob\"))",
      "Map.put(ages, \"cy\", scale(2))",
      "type Shape do",
      "  Circle(Int)",
      "  Square(Int)",
      "end deriving(Debug)",
      "let shapes = [Circle(1), Square(3)]",
      "fn area(s :: Shape) -> Int do",
      "  case s do",
      "    Circle(r) -> 3 * r * r",
      "    Square(a) -> a * a",
      "  end",
      "end",
      "List.map(shapes, area)",
      "10 / 0",
      "List.map(shapes, area)",
      "Process.self()",
      "Process.exit(Process.self(), \"boom\")",
      "Process.self()",
      "scale(5)",
      "send(p, Show)",
      "Process.is_alive(p)",
      ":type scale",
      ":t Map.get(ages, \"ann\")",
      ":reset",
      "scale(1)",
      "Process.lookup(\"counter\")",
      "Process.self()",
      ":q",
    ]);
    expect(r.stdout).toBe(
      [
        "<0.1> :: Pid",
        "<0.1> :: Pid",
        "Defined: Msg",
        "Defined: counter",
        "<0.2> :: Pid<Msg>",
        "0 :: Int",
        "total 12",
        "true :: Bool",
        "Defined: helper :: Fun(Int) -> Int",
        "total 42",
        "true :: Bool",
        "Defined: Acc",
        "<0.3> :: Pid<()>",
        "3 :: Int",
        "7 :: Int",
        "<function> :: Fun(Int) -> Int",
        "%{ann => 31, bob => 42} :: Map<String, Int>",
        "420 :: Int",
        "%{ann => 31, bob => 42, cy => 20} :: Map<String, Int>",
        "Defined: Shape",
        "[Circle(1), Square(3)] :: List<Shape>",
        "Defined: area :: Fun(Shape) -> Int",
        "[3, 9] :: List<Int>",
        "[3, 9] :: List<Int>",
        "<0.1> :: Pid",
        "<0.4> :: Pid",
        "50 :: Int",
        "total 42",
        "true :: Bool",
        "scale :: Fun(Int) -> Int",
        "Map.get(ages, \"ann\") :: Int",
        "Session reset. All definitions and history cleared.",
        "None :: Option<Pid>",
        "<0.1> :: Pid",
        "Goodbye!",
        "",
      ].join("\n"),
    );
    expect(r.stderr).toBe(
      [
        "Error: division by zero",
        "Error: the REPL process exited: boom",
        "error[E0004]: cannot find `scale` in this scope",
        " --> <repl>:1:1",
        "  |",
        "1 | scale(1)",
        "  | ^^^^^",
        "",
      ].join("\n"),
    );
    expect(r.status).toBe(0);
  }, 60_000);

  it("binds patterns, reports errors against the input, keeps values of redefined types", () => {
    const r = repl([
      "let (a, b) = (1, \"two\")",
      "b <> \"!\"",
      "let Some(z) = Some(4)",
      "let xs = []",
      "xs",
      ":t xs",
      "List.append(xs, a)",
      "struct P do",
      "  x :: Int",
      "end deriving(Debug)",
      "let old = P { x: 1 }",
      "struct P do",
      "  x :: Int",
      "  y :: Int",
      "end deriving(Debug)",
      "P { x: 2, y: 3 }",
      "old",
      "let n :: Int = \"s\"",
      ":load /nonexistent.mpl",
      ":q",
    ]);
    expect(r.stdout).toBe(
      [
        "(1, two) :: (Int, String)",
        "\"two!\" :: String",
        "[] :: List<a>",
        "[] :: List<a>",
        "xs :: List<a>",
        "[1] :: List<Int>",
        "Defined: P",
        "P { x: 1 } :: P",
        "Defined: P",
        "P { x: 2, y: 3 } :: P",
        "P { x: 1 } :: P",
        "Goodbye!",
        "",
      ].join("\n"),
    );
    expect(r.stderr).toBe(
      [
        "error[E0047]: refutable pattern in `let`: this pattern does not match every value; use `case`",
        " --> <repl>:1:5",
        "  |",
        "1 | let Some(z) = Some(4)",
        "  |     ^^^^^^^",
        "error[E0001]: the value has type `String`, but the binding is declared as `Int`",
        " --> <repl>:1:16",
        "  |",
        "1 | let n :: Int = \"s\"",
        "  |                ^^^",
        "Error: Failed to read '/nonexistent.mpl': No such file or directory",
        "",
      ].join("\n"),
    );
    expect(r.status).toBe(0);
  }, 60_000);
});
