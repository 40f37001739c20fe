// Receive and actor lowering without per-message allocation (gen-concurrency.ts): the matcher
// returns the accepted arm's index and leaves the message in the module's `$rm` slot; it is made
// once (module level, or at function entry when it reads only parameters, in place otherwise);
// `$setActorArgs` only for actors with a terminate clause; spawn options are module constants.
// Each test checks the generated shape and runs the program.
import { describe, expect, test } from "vitest";
import { compile, run } from "./harness.js";

// the programs are valid Mesh (the harness itself does not stop at checker errors)
function noErrors(sources: Record<string, string>): void {
  const errors = compile(sources).diagnostics.filter((d) => d.severity === "error");
  expect(errors.map((d) => `${d.code} ${d.message}`)).toEqual([]);
}

const ok = (src: string, expected: string, stderr = "") => {
  noErrors({ "main.mpl": src });
  const r = run(src);
  expect(r.stderr).toBe(stderr);
  expect(r.stdout).toBe(expected);
  expect(r.status).toBe(0);
  return r.files.get("main.js")!;
};

// The text of `function* name(...) { ... }` up to the next top-level declaration.
function fnText(js: string, name: string): string {
  const start = js.indexOf(`function* ${name}(`);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = js.indexOf("\n}\n", start);
  return js.slice(start, end + 2);
}

describe("receive without allocation", () => {
  test("a matcher that reads no local is a module constant; the arm reads the message from $rm", () => {
    const js = ok(
      `actor node(next :: Pid, driver :: Pid) do
  let m = receive do
    k -> k
  end
  if m == 0 do
    send(driver, 0)
  else
    send(next, m - 1)
    node(next, driver)
  end
end

actor driver(n :: Int) do
  let first = build(self(), n, self())
  send(first, 100)
  receive do
    _ -> println("done")
  end
end

fn build(target :: Pid, k :: Int, d :: Pid) -> Pid do
  if k == 0 do target else build(spawn(node, target, d), k - 1, d) end
end

fn main() do
  spawn(driver, 7)
end
`,
      "done\n",
    );
    expect(js).toContain("let $rm;");
    expect(js).toMatch(/const node\$match = \(\$msg\) => \{\n {2}if \(!\$isSystemMessage\(\$msg\)\) \{\n {4}\$rm = \$msg;\n {4}return 0;\n {2}\}\n {2}return undefined;\n\};/);
    const node = fnText(js, "node");
    expect(node).toContain("yield* $receive(node$match, null);");
    expect(node).toContain("const k = $rm;");
    expect(node).not.toContain("$got"); // one arm, no after: nothing to dispatch on
    expect(node).not.toContain("setActorArgs"); // no terminate clause
    expect(node).not.toContain("[0, ");
    // an arm that binds nothing does not store the message
    expect(js).toMatch(/const driver\$match = \(\$msg\) => \{\n {2}if \(!\$isSystemMessage\(\$msg\)\) return 0;/);
    // spawn options: one module constant, not an object per spawn
    expect(js).toContain('const node$opts = { kind: "actor", name: "node" };');
    expect(js).toContain("$spawn(node, [target, d], node$opts)");
    expect(js).not.toContain("$spawn(node, [target, d], {");
  });

  test("a guard reading a parameter that continuation calls change: matcher made once at function entry", () => {
    const js = ok(
      `actor waiter(limit :: Int, seen :: Int) do
  receive do
    n when n > limit -> do
      println("took \${n} over \${limit}")
      if seen < 3 do waiter(n, seen + 1) else println("waiter done") end
    end
  after 200 -> println("timeout at \${limit}")
  end
end

fn main() do
  let w = spawn(waiter, 10, 0)
  send(w, 5)
  send(w, 11)
  send(w, 3)
  send(w, 12)
  send(w, 11)
  send(w, 20)
  send(w, 30)
end
`,
      "took 11 over 10\ntook 12 over 11\ntook 20 over 12\ntook 30 over 20\nwaiter done\n",
    );
    const w = fnText(js, "waiter");
    // before the loop, so one closure per process; it sees the reassigned `limit`
    expect(w).toMatch(/^function\* waiter\(limit, seen\) \{\n {2}const waiter\$match = \(\$msg\) => \{[^]*n > limit[^]*\n {2}\};\n {2}while \(true\) \{/);
    expect(w).toContain("const $got = yield* $receive(waiter$match, 200);");
    expect(w).toContain("if ($got === $TIMEOUT) {");
    expect(w).toContain("const n = $rm;");
  });

  test("a guard reading a loop-local binding keeps the matcher in place", () => {
    const js = ok(
      `actor bigger(base :: Int, left :: Int) do
  let floor = base * 2
  receive do
    n when n > floor -> do
      println("\${n} > \${floor}")
      if left > 1 do bigger(n, left - 1) else println("end") end
    end
  end
end

fn main() do
  let b = spawn(bigger, 1, 3)
  send(b, 2)
  send(b, 3)
  send(b, 6)
  send(b, 7)
  send(b, 100)
end
`,
      "3 > 2\n7 > 6\n100 > 14\nend\n",
    );
    const b = fnText(js, "bigger");
    expect(b).toContain("yield* $receive(($msg) => {");
    expect(b).toContain("if (n > floor) {");
    expect(js).not.toContain("bigger$match");
  });

  test("an actor that also makes closures reads per-iteration copies: its matcher stays in place", () => {
    const js = ok(
      `actor acc(limit :: Int, got :: List<Int>) do
  receive do
    n when n > limit -> do
      let f = fn x -> x + limit end
      if List.length(got) < 2 do acc(n, got ++ [f(n)]) else println("\${got ++ [f(n)]}") end
    end
  end
end

fn main() do
  let a = spawn(acc, 0, [])
  send(a, 1)
  send(a, 0)
  send(a, 5)
  send(a, 7)
end
`,
      "[1, 6, 12]\n",
    );
    expect(fnText(js, "acc")).toContain("yield* $receive(($msg) => {");
  });

  test("unit messages: the arm index, not the message, tells acceptance", () => {
    const js = ok(
      `actor unit_box(count :: Int) do
  receive do
    x -> do
      println("unit \${x == ()} \${count}")
      if count < 2 do unit_box(count + 1) else println("unit done") end
    end
  after 500 -> println("no unit")
  end
end

actor unit_any() do
  receive do
    _ -> println("any unit")
  end
end

fn main() do
  let u = spawn(unit_box, 0)
  send(u, ())
  send(u, ())
  send(u, ())
  send(spawn(unit_any), ())
end
`,
      "unit true 0\nunit true 1\nunit true 2\nunit done\nany unit\n",
    );
    expect(js).toContain("$send(u, undefined);");
    expect(fnText(js, "unit_box")).toContain("const x = $rm;");
  });

  test("several arms with bindings, tuple, list and or-patterns, and guards", () => {
    const js = ok(
      `type Msg do
  Add(Int)
  Pair(Int, Int)
  Tag(String)
  Named(String, Int)
  Stop
end

actor multi(total :: Int) do
  receive do
    Add(k) when k > total -> multi(total + k)
    Add(k) -> do
      println("small \${k}")
      multi(total)
    end
    Pair(a, b) -> multi(total + a * b)
    Tag(s) | Named(s, _) -> do
      println("tag \${s}")
      multi(total)
    end
    Stop -> println("total \${total}")
  end
end

actor pairs() do
  receive do
    (1, x) -> do
      println("one \${x}")
      pairs()
    end
    (a, b) when a == b -> do
      println("same \${a}")
      pairs()
    end
    (a, _) -> println("bye \${a}")
  end
end

actor lists() do
  receive do
    h :: t as all when h > 0 -> do
      println("list \${h} \${t} \${List.length(all)}")
      lists()
    end
    [] -> println("empty list")
  end
end

fn main() do
  let m = spawn(multi, 0)
  send(m, Add(5))
  send(m, Add(2))
  send(m, Pair(3, 4))
  send(m, Tag("x"))
  send(m, Named("y", 1))
  send(m, Stop)
  Timer.sleep(20)
  let s = spawn(pairs)
  send(s, (1, 10))
  send(s, (2, 2))
  send(s, (3, 4))
  Timer.sleep(20)
  let l = spawn(lists)
  send(l, [0])
  send(l, [7, 8, 9])
  send(l, [])
end
`,
      "small 2\ntag x\ntag y\ntotal 17\none 10\nsame 2\nbye 3\nlist 7 [8, 9] 3\nempty list\n",
    );
    const multi = fnText(js, "multi");
    expect(multi).toMatch(/if \(\$got === 0\) \{\n\s*const k = \$rm\._0;/);
    expect(multi).toMatch(/\} else if \(\$got === 2\) \{\n\s*const a = \$rm\._0;\n\s*const b = \$rm\._1;/);
    expect(multi).not.toMatch(/\$got\[/);
  });

  test("after clauses: with arms, without arms, and after 0", () => {
    ok(
      `actor poll(n :: Int) do
  receive do
    k -> do
      println("got \${k}")
      poll(n + 1)
    end
  after 0 -> println("empty after \${n}")
  end
end

actor only_after() do
  receive do
  after 10 -> println("only after")
  end
end

actor late() do
  let v = receive do
    k -> k * 2
  after 20 -> -1
  end
  println("late \${v}")
end

fn main() do
  let p = spawn(poll, 0)
  send(p, 1)
  send(p, 2)
  spawn(only_after)
  spawn(late)
end
`,
      "got 1\ngot 2\nempty after 2\nonly after\nlate -1\n",
    );
  });

  test("system message arms bind from $rm; catch-all arms never take system messages", () => {
    const js = ok(
      `type Poke do
  Boom
end

actor fragile() do
  receive do
    Boom -> panic("fragile broke")
  end
end

actor guard_loop(victim, r, seen :: Int, started :: Bool) do
  if started do
    receive do
      Down(ref, _, why) when ref == r -> do
        println("down \${why}")
        if seen < 1 do guard_loop(victim, r, seen + 1, true) else println("guardian done") end
      end
      Exit(_, why) -> do
        println("exit \${why}")
        if seen < 1 do guard_loop(victim, r, seen + 1, true) else println("guardian done") end
      end
      other -> do
        println("user message \${other}")
        guard_loop(victim, r, seen, true)
      end
    end
  else
    let _ = Process.trap_exit(true)
    link(victim)
    guard_loop(victim, Process.monitor(victim), 0, true)
  end
end

fn main() do
  let f = spawn(fragile)
  let g = spawn(guard_loop, f, 0, 0, false)
  Timer.sleep(10)
  send(g, 42)
  Timer.sleep(10)
  send(f, Boom)
end
`,
      "user message 42\nexit fragile broke\ndown fragile broke\nguardian done\n",
      "[mesh] actor fragile <0.2> crashed: fragile broke\n",
    );
    const g = fnText(js, "guard_loop");
    expect(g).toContain("const guard_loop$match = ($msg) => {");
    expect(g).toContain("$msg instanceof $SysDown");
    expect(g).toMatch(/const why = \$rm\._2;/);
    expect(g).toContain("if (!$isSystemMessage($msg)) {");
  });

  test("setActorArgs only for actors with a terminate clause, which still sees the latest arguments", () => {
    const js = ok(
      `actor counter(n :: Int) do
  receive do
    k -> if k < 0 do panic("stop at \${n}") else counter(n + k) end
  end
terminate do
  println("terminate with \${n}")
end
end

actor plain(n :: Int) do
  receive do
    k -> if k < 0 do println("plain \${n}") else plain(n + k) end
  end
end

fn main() do
  let c = spawn(counter, 1)
  send(c, 2)
  send(c, 3)
  send(c, -1)
  Timer.sleep(10)
  let p = spawn(plain, 1)
  send(p, 2)
  send(p, -1)
end
`,
      "terminate with 6\nplain 3\n",
      "[mesh] actor counter <0.2> crashed: stop at 6\n",
    );
    expect(fnText(js, "counter")).toContain("$setActorArgs([n]);");
    expect(fnText(js, "plain")).not.toContain("setActorArgs");
    expect(js).toContain('const counter$opts = { kind: "actor", name: "counter", terminate: counter$terminate };');
  });

  test("nested receives, and spawns of another module's actor", () => {
    const sources = {
      "main.mpl": `import Worker

actor outer(tag :: String) do
  receive do
    a -> do
      receive do
        b -> println("\${tag} \${a + b}")
      end
    end
  end
end

actor asker(limit :: Int) do
  let e = spawn(Worker.echo)
  send(e, (self(), 1))
  send(e, (self(), 5))
  receive do
    n when n > limit -> println("echoed \${n}")
  end
end

fn main() do
  let o = spawn(outer, "sum")
  send(o, 1)
  send(o, 2)
  Timer.sleep(10)
  spawn(asker, 3)
end
`,
      "worker.mpl": `pub actor echo() do
  receive do
    (from, v) -> do
      send(from, v * 2)
      echo()
    end
  end
end
`,
    };
    noErrors(sources);
    const r = run(sources);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("sum 3\nechoed 10\n");
    const js = r.files.get("main.js")!;
    // the nested receive's matcher is a module constant too; both arms read the same slot
    expect(js).toContain("const outer$match = ");
    expect(js).toContain("const outer$match$1 = ");
    expect(js).toMatch(/function\* asker\(limit\) \{\n\s*const asker\$match = \(\$msg\) => \{/);
    expect(js).toContain('const Worker$echo$opts = { kind: "actor", name: "echo" };');
    expect(js).toContain("$spawn(Worker.echo, [], Worker$echo$opts)");
    const worker = r.files.get("worker.js")!;
    expect(worker).toContain("let $rm;");
    expect(worker).toContain("const from = $rm[0];\n    const v = $rm[1];"); // tuple pattern, read from the slot
  });

  test("generated output is deterministic and names do not clash", () => {
    const src = `actor a(x :: Int) do
  receive do
    n when n > x -> a(n)
  end
end

fn main() do
  spawn(a, 1)
end
`;
    const one = compile({ "main.mpl": src }).files.get("main.js")!;
    const two = compile({ "main.mpl": src }).files.get("main.js")!;
    expect(one).toBe(two);
  });
});
