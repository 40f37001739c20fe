// End-to-end tests of the code generator: small programs are parsed, checked, generated, written
// next to a bundled runtime and run with node; stdout, stderr and the exit status are compared.
// Also checks properties of the generated code itself (loops for tail calls, generator split).
import { describe, expect, test } from "vitest";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build, compile, run, runtimeImport } from "./harness.js";

const ok = (src: string, expected: string) => {
  const r = run(src);
  expect(r.stderr).toBe("");
  expect(r.stdout).toBe(expected);
  expect(r.status).toBe(0);
  return r;
};

describe("tail calls and recursion (§7.9)", () => {
  test("10,000,000 self tail calls run in constant stack, as a loop", () => {
    const r = ok(
      `fn count(n :: Int, acc :: Int) -> Int do
  if n == 0 do acc else count(n - 1, acc + 1) end
end

fn main() do
  println("\${count(10000000, 0)}")
end
`,
      "10000000\n",
    );
    expect(r.files.get("main.js")).toContain("while (true)");
  });

  test("arguments are all evaluated before parameters are rebound (swap)", () => {
    ok(
      `fn swap(a :: Int, b :: Int, n :: Int) -> String do
  if n == 0 do "\${a} \${b}" else swap(b, a, n - 1) end
end

fn fib(n :: Int, a :: Int, b :: Int) -> Int do
  case n do
    0 -> a
    _ -> fib(n - 1, b, a + b)
  end
end

fn main() do
  println(swap(1, 2, 3))
  println(swap(1, 2, 4))
  println("\${fib(70, 0, 1)}")
end
`,
      "2 1\n1 2\n190392490709135\n",
    );
  });

  test("parameters are reassigned directly, in dependency order; only cycles keep an old value", () => {
    const r = ok(
      `fn sum_to(n :: Int, acc :: Int) -> Int do
  if n == 0 do acc else sum_to(n - 1, acc + n) end
end

fn rot(a :: Int, b :: Int, c :: Int, n :: Int) -> String do
  if n == 0 do "\${a} \${b} \${c}" else rot(b, c, a, n - 1) end
end

fn main() do
  println("\${sum_to(100, 0)}")
  println(rot(1, 2, 3, 4))
  println(rot(1, 2, 3, 5))
end
`,
      "5050\n2 3 1\n3 1 2\n",
    );
    const js = r.files.get("main.js")!;
    expect(js).toContain(
      "      acc = acc + n;\n      if (!$isInt(acc)) throw $OVERFLOW;\n      n = n - 1;\n      if (!$isInt(n)) throw $OVERFLOW;\n      continue;\n",
    );
    expect(js).toContain("      const $a = a;\n      a = b;\n      b = c;\n      c = $a;\n");
    expect(js).not.toContain("$ck(");
  });

  test("reordered arguments keep the order of their effects", () => {
    ok(
      `fn show(n :: Int) -> Int do
  println("n=\${n}")
  n
end

fn eff(n :: Int, acc :: Int) -> Int do
  if n == 0 do acc else eff(n - 1, show(n) + acc) end
end

fn pick(a :: Int, b :: Int, n :: Int) -> Int do
  if n == 0 do a * 10 + b else pick(show(b), a / 1, n - 1) end
end

fn main() do
  println("\${eff(3, 0)}")
  println("\${pick(1, 2, 3)}")
end
`,
      "n=3\nn=2\nn=1\n6\nn=2\nn=1\nn=2\n21\n",
    );
    const late = (src: string) => {
      const r = run(`fn show(n :: Int) -> Int do
  println("n=\${n}")
  n
end

${src}

fn main() do
  println("\${f(9007199254740991, 3)}")
end
`);
      expect(r.status).toBe(101);
      expect(r.stderr).toBe("panic: integer overflow\n");
      return r.stdout;
    };
    // the overflow comes before the output when its argument comes first, after it otherwise
    expect(late("fn f(a :: Int, n :: Int) -> Int = if n == 0 do a else f(a + 1, show(n) + a) end")).toBe("");
    expect(late("fn f(a :: Int, n :: Int) -> Int = if n == 0 do a else f(n + a, show(n)) end")).toBe("");
    expect(late("fn f(a :: Int, n :: Int) -> Int = if n == 0 do a else f(a + show(n), n - 1) end")).toBe("n=3\n");
    expect(late("fn f(a :: Int, n :: Int) -> Int = if n == 0 do a else f(show(n) - a, a + 1) end")).toBe("n=3\n");
  });

  test("parameters named like runtime helpers do not clash with temporaries", () => {
    ok(
      `fn walk(list :: Int, text :: Int, ck :: Int) -> Int do
  if ck == 0 do list + text else walk(text, list + 1, ck - 1) end
end

fn main() do
  println("\${walk(1, 2, 5)}")
end
`,
      "8\n",
    );
  });

  test("multi-clause tail recursion re-dispatches on the clauses", () => {
    ok(
      `fn walk(0, acc) = acc
fn walk(n, acc) when n % 2 == 0 = walk(n - 1, acc + 2)
fn walk(n, acc) = walk(n - 1, acc + 1)

fn main() do
  println("\${walk(1000001, 0)}")
end
`,
      "1500001\n",
    );
  });

  test("non-tail recursion 10,000 deep, and mutual recursion", () => {
    ok(
      `fn sum_to(n :: Int) -> Int do
  if n == 0 do 0 else n + sum_to(n - 1) end
end

fn even(n :: Int) -> Bool = if n == 0 do true else odd(n - 1) end
fn odd(n :: Int) -> Bool = if n == 0 do false else even(n - 1) end

fn main() do
  println("\${sum_to(10000)} \${even(10000)}")
end
`,
      "50005000 true\n",
    );
  });

  test("deep non-tail recursion of a generator function continues on the scheduler's frame stack", () => {
    const r = ok(
      `fn deep(n :: Int) -> Int do
  if n == 0 do
    Timer.sleep(0)
    0
  else
    1 + deep(n - 1)
  end
end

fn main() do
  println("\${deep(50000)}")
end
`,
      "50000\n",
    );
    expect(r.files.get("main.js")).toContain("yield* $deep(deep, [");
  });

  test("mutual recursion between generator functions, 30,000 deep", () => {
    ok(
      `fn ping(n :: Int) -> Int do
  if n == 0 do
    Timer.sleep(0)
    0
  else
    1 + pong(n - 1)
  end
end

fn pong(n :: Int) -> Int = 1 + ping(n - 1)

fn main() do
  println("\${ping(30000)}")
end
`,
      "30000\n",
    );
  });

  test("unbounded recursion is the runtime error `stack overflow`", () => {
    const r = run(`fn down(n :: Int) -> Int = 1 + down(n + 1)

fn main() do
  println("start")
  println("\${down(0)}")
end
`);
    expect(r.stdout).toBe("start\n");
    expect(r.stderr.split("\n")[0]).toBe("panic: stack overflow");
    expect(r.status).toBe(101);
  });
});

describe("Int arithmetic (§7.1) and runtime errors (§7.8)", () => {
  const panics = (expr: string, msg: string, line = 2) => {
    const r = run(`fn compute(a :: Int, b :: Int) -> Int do
  ${expr}
end

fn main() do
  println("before")
  println("\${compute(9007199254740991, 0)}")
end
`);
    expect(r.stdout).toBe("before\n");
    expect(r.stderr.split("\n")[0]).toBe(`panic: ${msg}`);
    void line;
    expect(r.status).toBe(101);
  };
  test("overflow on + - * and unary minus never wraps", () => {
    panics("a + 1", "integer overflow");
    panics("(0 - a) - 2", "integer overflow");
    panics("a * 2", "integer overflow");
    // statement forms: `let`, a value assigned in an `if`, a tail-call argument
    panics("let x = a + 1\n  x", "integer overflow");
    panics("let x = 0 - a - 2\n  x", "integer overflow");
    panics("let x = a * -2\n  x", "integer overflow");
    panics("let x = if b == 0 do a + a else 0 end\n  x", "integer overflow");
    panics("let x = case b do\n    0 -> a * a\n    _ -> 1\n  end\n  x", "integer overflow");
    panics("if b == 3 do a else compute(a + 1, b + 1) end", "integer overflow");
    panics("if b == 3 do a else compute(b + 1, a * 3) end", "integer overflow");
  });
  test("the largest and smallest Ints are not overflows", () => {
    ok(
      `fn up(a :: Int, n :: Int) -> Int = if n == 0 do a else up(a + 1, n - 1) end

fn main() do
  let big = up(9007199254740981, 10)
  let low = 0 - big
  let back = low + 1
  let m = 3 * 0
  let z = 0 * -5
  println("\${big} \${low} \${back} \${m} \${z} \${m * -1}")
end
`,
      "9007199254740991 -9007199254740991 -9007199254740990 0 0 0\n",
    );
  });
  test("division and remainder by zero", () => {
    panics("a / b", "division by zero");
    panics("a % b", "division by zero");
  });
  test("truncating division, remainder sign, no negative zero", () => {
    ok(
      `fn main() do
  let z = 0
  let m = -3
  println("\${17 / 5} \${-17 / 5} \${17 % -5} \${-17 % 5} \${z * m} \${z / m} \${-z} \${9007199254740991 / 1}")
end
`,
      "3 -3 2 -2 0 0 0 9007199254740991\n",
    );
  });
  test("index errors have the exact texts of §4.17", () => {
    const r = run(`fn main() do
  let xs = [1, 2]
  let m = %{"a" => 1}
  println("\${xs[1]} \${m["a"]}")
  println("\${xs[5]}")
end
`);
    expect(r.stdout).toBe("2 1\n");
    expect(r.stderr.split("\n")[0]).toBe("panic: index out of bounds: 5 (length 2)");
    const r2 = run(`fn main() do
  let m = %{"a" => 1}
  println("\${m["b"]}")
end
`);
    expect(r2.stderr.split("\n")[0]).toBe("panic: key not found");
  });
  test("no clause / no case clause", () => {
    const r = run(`fn only_zero(0) = "zero"

fn main() do
  println(only_zero(0))
  println(only_zero(1))
end
`);
    expect(r.stdout).toBe("zero\n");
    expect(r.stderr.split("\n")[0]).toBe("panic: no function clause matching only_zero/1");
    const r2 = run(`fn main() do
  let f = fn 0 -> "z" end
  println(f(3))
end
`);
    expect(r2.stderr.split("\n")[0]).toBe("panic: no function clause matching <closure>/1");
    const r3 = run(`fn first(xs :: List<Int>) -> Int do
  case xs do
    h :: _ -> h
  end
end

fn main() do
  println("\${first([])}")
end
`);
    expect(r3.stderr.split("\n")[0]).toBe("panic: no case clause matching");
  });
});

describe("runtime error locations (§7.8)", () => {
  test("formatPanicLocation maps the JS stack back to the .mpl file, line and function", () => {
    const { dir } = build({
      "main.mpl": "from Risky import risky\n\nfn main() do\n  println(\"${risky(0)}\")\nend\n",
      "risky.mpl": "pub fn risky(d :: Int) -> Int do\n  let x = 1\n  x + 100 / d\nend\n",
    });
    const script = `const rt = await import(${JSON.stringify(runtimeImport())});
const m = await import(${JSON.stringify(pathToFileURL(join(dir, "risky.js")).href)});
try { m.risky(0); } catch (e) { process.stdout.write(e.message + "\\n" + rt.formatPanicLocation(e)); }`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("division by zero\n  at risky.mpl:3 in risky\n");
  });
});

describe("patterns, closures, loops", () => {
  test("every pattern form", () => {
    ok(
      `type Shape do
  Circle(Int)
  Rect(Int, Int)
  Dot
end

fn describe(v) do
  case v do
    (0, _) -> "zero"
    (-1, "neg") -> "minus one"
    (n, s) when n > 100 -> "big \${s}"
    (1, s) | (2, s) -> "small \${s}"
    (_, _) as whole -> "other \${whole}"
  end
end

fn shape(s :: Shape) -> String do
  case s do
    Circle(r) -> "circle \${r}"
    Shape.Rect(w, h) -> "rect \${w * h}"
    Dot -> "dot"
  end
end

fn lists(xs :: List<Int>) -> String do
  case xs do
    [] -> "empty"
    [x] -> "one"
    a :: b :: _ -> "starts \${a} \${b}"
  end
end

fn opt(o) do
  case o do
    Some((k, Some(v))) -> "both \${k} \${v}"
    Some((k, None)) -> "key \${k}"
    None -> "none"
  end
end

fn main() do
  println(describe((0, "a")) <> ", " <> describe((-1, "neg")) <> ", " <> describe((500, "x")) <> ", " <> describe((2, "two")) <> ", " <> describe((7, "q")))
  println(shape(Circle(2)) <> ", " <> shape(Rect(2, 3)) <> ", " <> shape(Dot))
  println(lists([]) <> ", " <> lists([1, 2, 3]))
  println(opt(Some((1, Some(2)))) <> ", " <> opt(Some((3, None))) <> ", " <> opt(None))
  let ((a, b), c) = ((1, 2), "c")
  let (_, d) = (0, true)
  println("\${a + b}\${c} \${d}")
end
`,
      "zero, minus one, big x, small two, other (7, q)\ncircle 2, rect 6, dot\nempty, starts 1 2\nboth 1 2, key 3, none\n3c true\n",
    );
  });

  test("closures created in a loop capture each iteration's value", () => {
    ok(
      `fn count_up(i :: Int, n :: Int, acc :: List<Fun(Int) -> Int>) -> List<Fun(Int) -> Int> do
  if i == n do acc else count_up(i + 1, n, acc ++ [fn(x) -> x + i end]) end
end

fn main() do
  let adders = for i in 0..3 do
    fn(x) -> x + i end
  end
  let more = for x in [10, 20] do
    fn() -> x end
  end
  println("\${map(adders, fn f -> f(100) end)} \${map(more, fn f -> f() end)}")
  println("\${map(count_up(0, 3, []), fn f -> f(0) end)}")
end
`,
      "[100, 101, 102] [10, 20]\n[0, 1, 2]\n",
    );
  });

  test("for values with when, break, continue; while", () => {
    ok(
      `fn main() do
  let picked = for x in [1, 2, 3, 4, 5, 6] when x != 2 do
    if x == 3 do
      continue
    end
    if x == 6 do
      break
    end
    x * 10
  end
  let m = %{"a" => 1, "b" => 2}
  let pairs = for {k, v} in m do "\${k}\${v}" end
  let sets = for x in Set.add(Set.add(Set.new(), 5), 7) do x + 1 end
  let none = for i in 5..1 do i end
  println("\${picked} \${pairs} \${sets} \${none}")
  while true do
    println("loop")
    break
  end
end
`,
      "[10, 40, 50] [a1, b2] [6, 8] []\nloop\n",
    );
  });

  test("shadowing keeps names readable", () => {
    const r = ok(
      `fn main() do
  let x = 1
  let x = x + 1
  let x = x * 10
  println("\${x}")
end
`,
      "20\n",
    );
    expect(r.files.get("main.js")).toContain("const x$2 = x$1 * 10 + 0;");
  });
});

describe("values", () => {
  test("? on Result and Option, with From conversion", () => {
    ok(
      `struct Oops do
  msg :: String
end

impl From<String> for Oops do
  fn from(m :: String) -> Oops do Oops { msg: "wrapped " <> m } end
end

fn parse(s :: String) -> Int!String = if s == "1" do Ok(1) else Err("bad \${s}") end

fn twice(s :: String) -> Int!Oops do
  let v = parse(s)?
  Ok(v * 2)
end

fn first_even(xs :: List<Int>) -> Int? do
  let h = List.find(xs, fn x -> x % 2 == 0 end)?
  Some(h * 100)
end

fn main() do
  let r = case twice("x") do
    Ok(v) -> "ok \${v}"
    Err(e) -> e.msg
  end
  println("\${twice("1")} \${r} \${first_even([1, 4])} \${first_even([1])}")
end
`,
      "Ok(2) wrapped bad x Some(400) None\n",
    );
  });

  test("struct update and interpolation", () => {
    ok(
      `struct P do
  x :: Int
  y :: Int
  label :: String
end deriving(Eq, Display, Debug)

fn main() do
  let p = P { label: "a", y: 2, x: 1 }
  let q = %{p | y: 5, label: "b"}
  println("\${p} \${q} \${p == q} \${q.y} \${[1.5, 2.0]} \${(1, "one")} \${:ok} \${()}")
end
`,
      "P(1, 2, a) P(1, 5, b) false 5 [1.5, 2] (1, one) ok ()\n",
    );
  });

  test("string ordering is by code point", () => {
    ok(
      `fn main() do
  println("\${"Zed" < "abc"} \${"\u{1F600}" > "\u{FFFF}"} \${"ab" <= "a"} \${compare("b", "a")}")
end
`,
      "true true false Greater\n",
    );
  });
});

describe("generators and plain functions (concurrency.md §8.3)", () => {
  test("a function that receives becomes function*, a pure one stays plain", () => {
    const c = compile({
      "main.mpl": `actor echo() do
  receive do
    n -> println("got \${n}")
  end
end

fn twice(x :: Int) -> Int = x * 2

fn pause() do
  Timer.sleep(1)
end

fn apply(f :: Fun(Int) -> Int, x :: Int) -> Int = f(x)

fn main() do
  let p = spawn(echo)
  send(p, twice(21))
  pause()
  println("\${apply(twice, 1)}")
end
`,
    });
    const js = c.files.get("main.js")!;
    expect(js).toContain("export function* echo(");
    expect(js).toContain("export function twice(x)");
    expect(js).toContain("export function* pause(");
    expect(js).toContain("export function* apply(f, x)");
    expect(js).toContain("$isGen(f) ? yield* f(x) : f(x)");
    expect(js).toContain("if (--$budget.n < 0) yield $PREEMPT;");
    expect(js).not.toMatch(/function twice[^]*?budget[^]*?function\*? pause/);
  });

  test("suspension propagates through closures, local functions and library callbacks", () => {
    const r = ok(
      `service Box do
  fn init(v :: Int) -> Int do v end
  call Get() :: Int do |v|
    (v, v)
  end
end

fn main() do
  let run_later = fn -> helper() end
  run_later()
  fn fetch(b) do
    Box.get(b)
  end
  let boxes = [Box.start(1), Box.start(2)]
  let values = List.map(boxes, fn b -> fetch(b) * 10 end)
  let plain = List.map([1, 2], fn x -> x + 1 end)
  println("\${values} \${plain}")
end

fn helper() do
  Timer.sleep(1)
  println("slept")
end
`,
      "slept\n[10, 20] [2, 3]\n",
    );
    const js = r.files.get("main.js")!;
    expect(js).toContain("const run_later = function*() {");
    expect(js).toContain("function* fetch(b)");
    expect(js).toMatch(/yield\* \$lib\.List\.map\$g\(boxes, function\*\(b\) \{/);
    expect(js).toContain("$lib.List.map($list([1, 2]), (x) => $ck(x + 1))");
  });

  test("actors, receive with after, services", () => {
    ok(
      `type Msg do
  Add(Int)
  Report
end

actor tally(total :: Int) do
  receive do
    Add(n) -> tally(total + n)
    Report -> println("total=\${total}")
  after 50 -> println("idle")
  end
end

service Counter do
  fn init(start :: Int) -> Int do start end
  call Get() :: Int do |n|
    (n, n)
  end
  cast Bump(k :: Int) do |n|
    n + k
  end
end

fn main() do
  let t = spawn(tally, 1)
  send(t, Add(2))
  send(t, Report)
  let c = Counter.start(10)
  Counter.bump(c, 5)
  println("counter \${Counter.get(c)}")
end
`,
      // the call suspends main, so tally runs first
      "total=3\ncounter 15\n",
    );
  });
});

describe("qualified names through module paths", () => {
  test("services, functions, structs and variants reached through an imported module or a nested namespace", () => {
    const r = run({
      "main.mpl": `import Shapes.Svc
import Lib.Deep.Util

fn main() do
  let c = Svc.Counter.start(1)
  Svc.Counter.add(c, 2)
  println("svc \${Svc.Counter.get(c)}")
  println("fn \${Util.double(21)} \${Util.double(4)}")
  let p = Util.Point { x: 1, y: 2 }
  println("struct \${p.x + p.y}")
  let s = Util.Big(3)
  let n = case s do
    Util.Big(k) -> k * 100
    Util.Small -> 0
  end
  println("variant \${n}")
  let d = Util.Counter2.start(40)
  println("nested svc \${Util.Counter2.get(d)}")
end
`,
      "shapes/svc.mpl": `pub service Counter do
  fn init(n :: Int) -> Int do
    n
  end
  call Get() :: Int do |s|
    (s, s)
  end
  cast Add(k :: Int) do |s|
    s + k
  end
end
`,
      "lib/deep/util.mpl": `pub fn double(x :: Int) -> Int do
  x * 2
end

pub struct Point do
  x :: Int
  y :: Int
end

pub type Size do
  Big(Int)
  Small
end

pub service Counter2 do
  fn init(n :: Int) -> Int do
    n
  end
  call Get() :: Int do |s|
    (s, s + 2)
  end
end
`,
    });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("svc 3\nfn 42 8\nstruct 3\nvariant 300\nnested svc 42\n");
  });
});
