// Concurrency typing: actor message types, spawn forms, Pid/Pid<M>, null-pid tests, system
// messages, services and supervisors (concurrency.md §1–§4), and what is recorded for codegen.
import { describe, expect, it } from "vitest";
import type * as S from "../../../compiler/ast/syntax.js";
import { check, errorsOf, type Checked } from "./project.js";

function clean(src: string): Checked {
  const c = check(src);
  expect(c.parseDiags.map((d) => d.message)).toEqual([]);
  expect(errorsOf(c)).toEqual([]);
  return c;
}

describe("concurrency typing", () => {
  it("message type comes from receive arms and self(); spawn gives Pid<M>", () => {
    const c = clean(`type Msg do
  Ping(Int)
  Stop
end
actor worker(total :: Int) do
  receive do
    Ping(n) -> worker(total + n)
    Stop -> println("\${total} \${self()}")
  end
end
fn main() do
  let p = spawn(worker, 0)
  send(p, Ping(1))
  send(p, Stop)
  let q :: Pid = p
  let r :: Pid<Msg> = q
  println("\${p == 0} \${Process.whereis("x") != 0}")
end`);
    const main = c.program.byName.get("Main")!.ast.items.find((i) => i.kind === "FnDef" && i.name === "main") as S.FnDef;
    const spawnLet = main.body.stmts[0] as S.LetStmt;
    expect(c.result.annotations.types.get(spawnLet.value)).toEqual({ kind: "con", name: "Pid", args: [{ kind: "con", name: "Main.Msg", args: [] }] });
    const sp = spawnLet.value as Extract<S.Expr, { kind: "Spawn" }>;
    expect(c.result.annotations.refs.get(sp.args[0]!)).toEqual({ kind: "actor", module: "Main", name: "worker" });
    expect(check(`actor w() do
  receive do
    n -> println("\${n + 1}")
  end
end
fn main() do
  let p = spawn(w)
  send(p, Some(1))
end`).lines).toEqual(["E0014 8:11 message type mismatch: expected `Int`, found `Option<Int>`"]);
  });

  it("an unconstrained actor is generic; spawn of closures and functions gives Pid", () => {
    clean(`actor idle(x) do
  println("idle")
end
fn work(n :: Int) do
  println("\${n}")
end
fn main() do
  let a = spawn(idle, 1)
  let b = spawn(idle, "s")
  let c = spawn(work, 3)
  let d = spawn(fn -> println("hi") end)
  send(c, "anything")
end`);
    expect(check(`fn work(n :: Int) do
  n
end
fn main() do
  spawn(work, "x")
end`).lines).toEqual(["E0001 5:15 argument 1 of `work` has type `String`, expected `Int`"]);
  });

  it("system message arms are typed against SystemMessage", () => {
    clean(`actor watch(target) do
  let r = Process.monitor(target)
  receive do
    Down(ref, pid, why) -> println("\${ref == r} \${pid} \${why}")
    Exit(_, why) -> println(why)
    NodeUp(name) -> println(name)
  end
end
fn main() do
  spawn(watch, Process.self())
end`);
    expect(check(`actor a() do
  receive do
    Down(_, _, why) | Some(why) -> println(why)
  end
end
fn main() do
end`).codes).toEqual(["E0102"]);
  });

  it("service call bodies must be (state, reply); cast bodies the state", () => {
    expect(check(`service S do
  fn init() -> Int do
    0
  end
  call Get() :: Int do |s|
    s
  end
  cast Put(v :: String) do |s|
    v
  end
end
fn main() do
  let p = S.start()
  let n :: String = S.get(p)
end`).lines).toEqual([
      "E0001 6:5 a `call` handler must return `(new_state, reply)` of type `(Int, Int)`, found `Int`",
      "E0001 9:5 a `cast` handler must return the new state of type `Int`, found `String`",
      "E0001 14:21 the value has type `Int`, but the binding is declared as `String`",
    ]);
  });

  it("service helpers with snake-case names; duplicates and `start` are E0103", () => {
    expect(check(`service S do
  fn init() -> Int do 0 end
  call GetHTTPStatus() :: Int do |s|
    (s, 200)
  end
  cast Start() do |s|
    s
  end
  fn helper() do 1 end
end
fn main() do
  let p = S.start()
  println("\${S.get_h_t_t_p_status(p)}")
end`).lines).toEqual([
      "E0103 6:8 invalid service definition: handler `Start` would generate the helper `start`, which is reserved",
      "E0103 9:6 invalid service definition: only `fn init` may be defined in a service (found `helper`)",
    ]);
  });

  it("supervisor children may start services; spawn(Sup) is Pid<()>", () => {
    clean(`service T do
  fn init(n :: Int) -> Int do n end
  call Get() :: Int do |s|
    (s, s)
  end
end
actor w() do
  println("w")
end
supervisor Inner do
  child a do
    start: fn -> spawn(w) end
  end
end
supervisor Outer do
  strategy: rest_for_one
  max_restarts: 0
  child t do
    start: fn -> T.start(18) end
    restart: transient
    shutdown: brutal_kill
  end
  child i do
    start: fn -> spawn(Inner) end
  end
end
fn main() do
  let s :: Pid<()> = spawn(Outer)
end`);
  });

  it("receive/self outside actors, inside closures and in terminate", () => {
    expect(check(`actor a() do
  let f = fn -> self() end
  receive do
    _ -> println("x")
  end
terminate do
  receive do
    _ -> println("y")
  end
end
end
fn main() do
end`).codes).toEqual(["E0015", "E0017"]);
  });
});
