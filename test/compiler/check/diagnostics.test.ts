// One short trigger program per diagnostic code of language.md §6.10 and concurrency.md §1.13,
// asserting code, position (line:col) and message.
import { describe, expect, it } from "vitest";
import { check } from "./project.js";

function diag(src: string | Record<string, string>, expected: string): void {
  const c = check(src);
  expect(c.parseDiags.map((d) => d.message)).toEqual([]);
  expect(c.lines).toContain(expected);
}

function only(src: string | Record<string, string>, expected: string[]): void {
  const c = check(src);
  expect(c.parseDiags.map((d) => d.message)).toEqual([]);
  expect(c.lines).toEqual(expected);
}

describe("diagnostics of §6.10", () => {
  it("E0001 argument type", () => {
    only(`fn sub(a :: Int, b :: Int) -> Int = a - b
fn main() do
  println("\${sub(1, "x")}")
end`, ["E0001 3:21 argument 2 of `sub` has type `String`, expected `Int`"]);
  });
  it("E0001 if branches", () => {
    only(`fn main() do
  let v = if true do 1 else "a" end
  println("\${v}")
end`, ["E0001 2:29 the `else` branch has type `String` but the `then` branch has type `Int`"]);
  });
  it("E0001 let annotation and Int + Float", () => {
    only(`fn main() do
  let x :: Int = "a"
  let t = 1 + 2.5
end`, [
      "E0001 2:18 the value has type `String`, but the binding is declared as `Int`",
      "E0001 3:15 the right operand of `+` has type `Float`, but the left operand has type `Int`",
    ]);
  });
  it("E0002 infinite type", () => {
    diag(`fn main() do
  let f = fn x -> x(x) end
end`, "E0002 2:21 infinite type: cannot construct a type that contains itself (Fun(a) -> b = a)");
  });
  it("E0003 wrong number of arguments", () => {
    only(`fn f(a) = a
fn main() do
  f(1, 2)
end`, ["E0003 3:3 `f` takes 1 argument but 2 were given"]);
  });
  it("E0004 unbound name", () => {
    only(`fn main() do
  let z = y + 1
end`, ["E0004 2:11 cannot find `y` in this scope"]);
  });
  it("E0005 calling a non-function", () => {
    only(`fn main() do
  let n = 1
  n(2)
end`, ["E0005 3:3 `n` is not a function; it has type `Int`"]);
  });
  it("E0006 missing impl: + on strings, == on Display-only struct", () => {
    only(`struct P do
  x :: Int
end deriving(Display)
fn main() do
  let s = "a" + "b"
  let b = P { x: 1 } == P { x: 2 }
end`, [
      "E0006 5:11 type `String` does not implement `Add` (needed by `+`)",
      "E0006 6:11 type `P` does not implement `Eq` (needed by `==`)",
    ]);
  });
  it("E0007 impl misses a method", () => {
    only(`interface Describe do
  fn describe(self) -> String
end
struct Cat do lives :: Int end
impl Describe for Cat do
end
fn main() do
end`, ["E0007 5:1 impl of `Describe` for `Cat` is missing the method `describe`"]);
  });
  it("E0008 wrong signature", () => {
    only(`interface Describe do
  fn describe(self) -> String
end
struct Cat do lives :: Int end
impl Describe for Cat do
  fn describe(self) -> Int do self.lives end
end
fn main() do
end`, ["E0008 6:24 method `describe` returns `Int`, but interface `Describe` declares `String`"]);
  });
  it("E0009 bad struct fields", () => {
    only(`struct Point do
  x :: Int
  y :: Int
end
fn main() do
  let p = Point { x: 1 }
  let q = Point { x: 1, y: 2, z: 3 }
  let r = q.w
end`, [
      "E0009 6:11 missing field `y` in `Point` literal",
      "E0009 7:31 struct `Point` has no field `z`",
      "E0009 8:13 struct `Point` has no field `w`",
    ]);
  });
  it("E0010 unknown variant in pattern", () => {
    only(`type Color do
  Red
end
fn main() do
  let n = case Red do
    Purple -> 1
    _ -> 2
  end
end`, ["E0010 6:5 unknown variant `Purple` in pattern"]);
  });
  it("E0011 or-pattern binds different names", () => {
    diag(`fn main() do
  let n = case Some(1) do
    Some(x) | None -> x
  end
end`, "E0011 3:15 the alternatives of this or-pattern bind different names (`x` is not bound in every alternative)");
  });
  it("E0012 non-exhaustive case", () => {
    only(`fn main() do
  let opt = Some(1)
  let n = case opt do
    Some(x) -> x
  end
end`, ["E0012 3:11 non-exhaustive `case`: missing `None`"]);
  });
  it("E0022 / E0023 clause order (reported through groupFunctions)", () => {
    const c = check(`fn f(n) = n
fn f(0) = 0
fn g(0) = 0
fn h() = 1
fn g(n) = n
fn main() do
end`);
    expect(c.codes).toEqual(["E0022", "E0023"]);
  });
  it("E0025 guard not Bool", () => {
    only(`fn main() do
  let n = case 3 do
    x when x + 1 -> 1
    _ -> 0
  end
end`, ["E0025 3:12 a guard must be `Bool`, but this one has type `Int`"]);
  });
  it("E0026 duplicate impl", () => {
    diag(`struct P do x :: Int end
impl Display for P do
  fn to_string(self) -> String do "p" end
end
impl Display for P do
  fn to_string(self) -> String do "q" end
end
fn main() do
end`, "E0026 5:1 duplicate impl of `Display` for `P`");
  });
  it("E0027 ambiguous method", () => {
    diag(`interface A do
  fn show(self) -> String
end
interface B do
  fn show(self) -> String
end
struct P do x :: Int end
impl A for P do
  fn show(self) -> String do "a" end
end
impl B for P do
  fn show(self) -> String do "b" end
end
fn main() do
  println(P { x: 1 }.show())
end`, "E0027 15:22 method `show` is ambiguous for type `P`: it is provided by `A` and `B`");
  });
  it("E0028 / E0029 bad derives", () => {
    only(`struct P do x :: Int end deriving(Clone)
struct Q do x :: Int end deriving(Ord)
fn main() do
end`, [
      "E0028 1:35 cannot derive `Clone`; derivable interfaces are Eq, Ord, Display, Debug, Hash, Json, Row and Schema",
      "E0029 2:35 deriving `Ord` for `Q` requires `Eq` in the same deriving list",
    ]);
  });
  it("E0030 no such method", () => {
    only(`fn main() do
  5.frobnicate()
end`, ["E0030 2:5 no method `frobnicate` on type `Int`"]);
  });
  it("E0031 unknown module", () => {
    only(`import Nope
fn main() do
end`, ["E0031 1:1 unknown module `Nope`"]);
  });
  it("E0034 / E0035 not exported / private", () => {
    only({
      "main.mpl": `from Math2 import secret, missing
fn main() do
end`,
      "math2.mpl": `fn secret() = 1
pub fn open() = 2`,
    }, ["E0035 1:19 `secret` is private to module `Math2`", "E0034 1:27 module `Math2` has no item named `missing`"]);
  });
  it("E0032 / E0033 break and continue outside loops", () => {
    only(`fn f() do
  break
end
fn g() do
  for x in [1] do
    let c = fn -> continue end
  end
end
fn main() do
end`, ["E0032 2:3 `break` outside of a loop", "E0033 6:19 `continue` outside of a loop"]);
  });
  it("E0036 ? in a function returning Int; E0037 ? on Int", () => {
    only(`fn g() -> Int!String = Ok(1)
fn f() -> Int do
  g()?
end
fn h() -> Int!String do
  let v = 5?
  Ok(v)
end
fn main() do
end`, [
      "E0036 3:3 `?` on a Result needs the enclosing function to return a Result, but it returns `Int`",
      "E0037 6:11 `?` needs a Result or an Option, but this value has type `Int`",
    ]);
  });
  it("E0036 missing From conversion", () => {
    diag(`struct AppError do code :: Int end
fn g() -> Int!String = Ok(1)
fn f() -> Int!AppError do
  Ok(g()?)
end
fn main() do
end`, "E0036 4:6 `?` cannot convert the error type `String` into `AppError`: there is no `impl From<String> for AppError`");
  });
  it("E0038 / E0039 not serialisable / not row-mappable", () => {
    only(`struct J do
  p :: Pid
end deriving(Json)
struct R do
  xs :: List<Int>
end deriving(Row)
fn main() do
end`, [
      "E0038 3:14 cannot derive `Json` for `J`: field `p` has type `Pid`, which cannot be serialised",
      "E0039 6:14 cannot derive `Row` for `R`: field `xs` has type `List<Int>`, which cannot be read from a row",
    ]);
  });
  it("E0040 / E0041 / E0042 associated types", () => {
    const c = check(`interface Container do
  type Item
  fn first(self) -> Self.Item
end
interface Weird do
  fn get(self) -> Self.Nope
end
struct X do n :: Int end
impl Container for X do
  fn first(self) -> Int do 1 end
end
impl Container for Int do
  type Item = Int
  type Extra = Int
  fn first(self) -> Int do self end
end
fn main() do
end`);
    expect(c.codes).toEqual(expect.arrayContaining(["E0040", "E0041", "E0042"]));
    expect(c.lines).toContain("E0040 9:1 impl of `Container` for `X` does not bind the associated type `Item`");
    expect(c.lines).toContain("E0041 14:8 interface `Container` declares no associated type `Extra`");
  });
  it("E0043 duplicate definitions", () => {
    const c = check(`fn helper() = 1
fn other() = 2
fn helper() = 3
struct P do
  x :: Int
  x :: Int
end
fn main() do
  let (a, a) = (1, 2)
end`);
    expect(c.codes).toEqual(["E0043", "E0043", "E0043"]);
  });
  it("E0045 cannot infer", () => {
    only(`fn main() do
  let v = default()
  println("\${v}")
end`, ["E0045 3:14 cannot infer the type of this interpolated value; add an annotation"]);
  });
  it("E0046 value cannot be converted to text", () => {
    only(`fn main() do
  println("\${fn x -> x end}")
end`, ["E0046 2:14 a value of type `Fun(a) -> a` cannot be converted to text: it implements neither `Display` nor `Debug`"]);
  });
  it("E0047 refutable let / for", () => {
    only(`fn main() do
  let opt = Some(1)
  let Some(x) = opt
  for Some(y) in [opt] do
    y
  end
end`, [
      "E0047 3:7 refutable pattern in `let`: this pattern does not match every value; use `case`",
      "E0047 4:7 refutable pattern in `for`: this pattern does not match every element",
    ]);
  });
  it("E0049 unknown type, arity, recursive alias", () => {
    only(`type Loop = List<Loop>
fn f(x :: Strng) -> List<Int, Int> = x
fn main() do
end`, [
      "E0049 1:6 type alias `Loop` is recursive",
      "E0049 2:11 unknown type `Strng`",
      "E0049 2:21 type `List` expects 1 type argument, found 2",
    ]);
  });
  it("E0050 item not allowed; return in a module constant", () => {
    const c = check(`println("x")
let k = return 1
fn main() do
end`);
    expect(c.codes).toEqual(["E0050", "E0050"]);
  });
  it("E0051 ambiguous variant", () => {
    diag({
      "main.mpl": `import A
import B
fn main() do
  let c = Red
end`,
      "a.mpl": "pub type C1 do\n  Red\nend",
      "b.mpl": "pub type C2 do\n  Red\nend",
    }, "E0051 4:11 the constructor `Red` is ambiguous: it is defined by `C1` and `C2`; qualify it");
  });
  it("E0052 no main", () => {
    only(`fn helper() = 1`, ["E0052 1:1 `main.mpl` must define a function `main` with no parameters"]);
  });
  it("W0001 / W0003 warnings", () => {
    only(`fn f(0) = 1
fn main() do
  let n = case 1 do
    _ -> 0
    1 -> 1
  end
end`, [
      "W0003 1:1 `f` does not handle every argument: missing `f(_)`",
      "W0001 5:5 unreachable arm: earlier arms match every value it matches",
    ]);
  });
});

describe("concurrency diagnostics", () => {
  it("E0014 message type mismatch", () => {
    only(`actor plus_one() do
  receive do
    n -> println("\${n + 1}")
  end
end

fn main() do
  let p = spawn(plus_one)
  send(p, "seven")
end`, ["E0014 9:11 message type mismatch: expected `Int`, found `String`"]);
  });
  it("E0015 self() outside an actor", () => {
    only(`fn main() do
  let p = self()
end`, ["E0015 2:11 self() used outside actor block"]);
  });
  it("E0016 spawn of a non-function", () => {
    only(`fn main() do
  spawn(42)
end`, ["E0016 2:9 cannot spawn non-function: found `Int`"]);
  });
  it("E0017 receive outside an actor", () => {
    only(`fn wait_any() -> Int do
  receive do
    n -> n
  end
end
fn main() do
end`, ["E0017 2:3 receive used outside actor block"]);
  });
  it("E0018 supervisor child start must return Pid", () => {
    only(`supervisor BadSup do
  child label do
    start: fn -> "not a pid" end
  end
end

fn main() do
  spawn(BadSup)
end`, ["E0018 3:12 child `label` start function must return Pid, found `String`"]);
  });
  it("E0019 / E0020 / E0021 / E0105 supervisor specification", () => {
    only(`actor w() do
  println("w")
end
supervisor S do
  strategy: all_at_once
  child a do
    start: fn -> spawn(w) end
    restart: sometimes
    shutdown: never
  end
  child b do
    restart: permanent
  end
end
fn main() do
end`, [
      "E0019 5:13 unknown supervision strategy `all_at_once`, expected one_for_one, one_for_all, rest_for_one, or simple_one_for_one",
      "E0020 8:14 invalid restart type `sometimes` for child `a`, expected permanent, transient, or temporary",
      "E0021 9:15 invalid shutdown value `never` for child `a`, expected a positive integer or brutal_kill",
      "E0105 11:9 invalid supervisor specification: child `b` has no `start`",
    ]);
  });
  it("E0100 continuation not in tail position; actor as a value", () => {
    only(`actor loop(n :: Int) do
  loop(n + 1)
  println("after")
end
fn main() do
  let f = loop
end`, [
      "E0100 2:3 invalid use of actor `loop`: a continuation call must be in tail position",
      "E0100 6:11 invalid use of actor `loop`: an actor can only be spawned or continued by a tail call in its own body",
    ]);
  });
  it("E0101 guard may not suspend", () => {
    only(`actor a() do
  receive do
    n when Timer.sleep(n) == () -> n
  end
end
fn main() do
end`, ["E0101 3:12 guard may not suspend: `Timer.sleep` can wait for another process"]);
  });
  it("E0102 system message pattern outside receive", () => {
    only(`fn f(m) do
  case m do
    Down(_, _, r) -> r
    _ -> ""
  end
end
fn main() do
end`, ["E0102 3:5 system message constructor `Down` may only be used as the outermost pattern of a `receive` arm"]);
  });
  it("E0103 invalid service definition", () => {
    only(`service S do
  call Get() :: Int do |s|
    (s, s)
  end
end
fn main() do
end`, ["E0103 1:9 invalid service definition: service `S` has no `fn init`"]);
  });
  it("E0104 Node.spawn target", () => {
    only(`fn main() do
  let p = Node.spawn("b@x:1", fn -> 1 end)
end`, ["E0104 2:31 Node.spawn target must be a top-level function or actor"]);
  });
});
