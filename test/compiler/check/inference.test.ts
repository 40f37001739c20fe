// Inference: let-polymorphism, SCCs in any order, rigid generics, data types, interfaces,
// operators, deferred member constraints, `?`, keyword arguments, pipes.
import { describe, expect, it } from "vitest";
import type * as S from "../../../compiler/ast/syntax.js";
import { check, errorsOf, type Checked } from "./project.js";

function clean(src: string | Record<string, string>): Checked {
  const c = check(src);
  expect(c.parseDiags.map((d) => d.message)).toEqual([]);
  expect(errorsOf(c)).toEqual([]);
  return c;
}

function errs(src: string | Record<string, string>): string[] {
  const c = check(src);
  expect(c.parseDiags.map((d) => d.message)).toEqual([]);
  return errorsOf(c);
}

// Find the first expression node satisfying `pred` (depth-first over the whole program).
function findExpr(c: Checked, pred: (e: S.Expr) => boolean): S.Expr {
  let found: S.Expr | null = null;
  const visit = (x: unknown): void => {
    if (found || x === null || typeof x !== "object") return;
    if (Array.isArray(x)) return x.forEach(visit);
    const o = x as { kind?: string };
    if (typeof o.kind === "string" && c.result.annotations.types.has(o as S.Expr) && pred(o as S.Expr)) {
      found = o as S.Expr;
      return;
    }
    for (const [k, v] of Object.entries(o)) if (k !== "span" && k !== "nameSpan" && k !== "opSpan") visit(v);
  };
  for (const m of c.program.modules) visit(m.ast.items);
  if (!found) throw new Error("expression not found");
  return found;
}

describe("inference", () => {
  it("let-polymorphism and generalised top-level functions", () => {
    clean(`fn twice(f, x) = f(f(x))
fn main() do
  let id = fn x -> x end
  let a = id(1) + twice(fn n -> n * 2 end, 3)
  let b = id("s") <> twice(fn s -> s <> "!" end, "x")
  println("\${a} \${b}")
end`);
  });

  it("mutual recursion in any order (SCC)", () => {
    clean(`fn main() do
  println("\${even(10)} \${odd(3)}")
end
fn even(n) = if n == 0 do true else odd(n - 1) end
fn odd(n) = if n == 0 do false else even(n - 1) end`);
  });

  it("long call chains and cycles of three, defined in any order", () => {
    let src = "fn main() do\n  println(\"\${f0(1)} \${a(3)}\")\nend\n";
    for (let i = 0; i < 3000; i++) src += `fn f${i}(x) = f${i + 1}(x) + 1\n`;
    src += "fn f3000(x) = x\nfn c(n) = if n == 0 do 0 else a(n - 1) end\nfn b(n) = c(n)\nfn a(n) = b(n)\n";
    clean(src);
  });

  it("explicit generics are rigid", () => {
    expect(errs(`fn first<T>(xs :: List<T>) -> T do
  let y :: Int = head(xs)
  y
end
fn main() do
end`)).toEqual([
      "E0001 2:18 the value has type `T`, but the binding is declared as `Int`",
      "E0001 3:3 `first` returns `Int`, but its declared return type is `T`",
    ]);
  });

  it("constraints on explicit generics need where-bounds", () => {
    clean(`fn biggest<T>(a :: T, b :: T) -> T where T: Ord = if a > b do a else b end
fn show<T>(x :: T) -> String where T: Display = "\${x} \${x.to_string()}"
fn main() do
  println(show(biggest(1, 2)))
end`);
    expect(errs(`fn biggest<T>(a :: T, b :: T) -> T = if a > b do a else b end
fn show<T>(x :: T) -> String = "\${x}"
fn main() do
end`)).toEqual([
      "E0006 1:41 type parameter `T` does not implement `Ord` (needed by `>`)",
      "E0046 2:35 a value of type parameter `T` cannot be converted to text",
    ]);
    expect(errs(`fn show<T>(x :: T) -> String where T: Display = "\${x}"
fn main() do
  println(show(fn y -> y end))
end`)).toEqual(["E0006 3:11 type `Fun(a) -> a` does not implement `Display`"]);
  });

  it("polymorphic recursion with a fully annotated signature", () => {
    clean(`fn depth<T>(x :: T, n :: Int) -> Int = if n == 0 do 0 else 1 + depth((x, x), n - 1) end
fn main() do
  println("\${depth(1, 3)}")
end`);
  });

  it("structs, generic sum types, aliases", () => {
    clean(`type Pair<A> = (A, A)
type Mapper = Fun(Int) -> String
struct Box<T> do
  value :: T
end
type Tree<T> do
  Leaf
  Node(Tree<T>, T, Tree<T>)
end
fn swap(p :: Pair<Int>) -> Pair<Int> do
  let (a, b) = p
  (b, a)
end
fn size(t) = case t do
  Leaf -> 0
  Node(l, _, r) -> size(l) + 1 + size(r)
end
fn main() do
  let m :: Mapper = fn n -> "\${n}" end
  let b = Box { value: Node(Leaf, "x", Leaf) }
  println("\${size(b.value)} \${swap((1, 2))} \${m(3)} \${Box { value: 1 }}")
end`);
  });

  it("interfaces: associated types, default methods, static methods, where clauses", () => {
    clean(`interface Shape do
  type Unit
  fn area(self) -> Float
  fn unit(self) -> Self.Unit
  fn describe(self) -> String do
    "area \${self.area()}"
  end
end
struct Sq do side :: Float end
impl Shape for Sq do
  type Unit = String
  fn area(self) -> Float do self.side * self.side end
  fn unit(self) -> String do "m2" end
end
impl Default for Sq do
  fn default() -> Sq do Sq { side: 1.0 } end
end
fn show_all<T>(xs :: List<T>) -> String where T: Shape do
  reduce(xs, "", fn acc, x -> acc <> x.describe() end)
end
fn main() do
  let s = Sq.default()
  println(s.describe() <> s.unit() <> show_all([s]))
end`);
  });

  it("generic impl targets with where bounds apply at every instantiation", () => {
    clean(`struct Box<Item> do
  value :: Item
end deriving()
interface Show do
  fn show(self) -> String
end
impl Show for Box<Item> where Item: Display do
  fn show(self) -> String do "[\${self.value}]" end
end
fn main() do
  println(Box { value: 1 }.show() <> Box { value: "s" }.show())
end`);
    expect(errs(`struct Box<T> do
  value :: T
end deriving()
interface Show do
  fn show(self) -> String
end
impl Show for Box<T> where T: Display do
  fn show(self) -> String do "[\${self.value}]" end
end
fn main() do
  println(Box { value: fn x -> x end }.show())
end`)).toEqual(["E0006 11:40 type `Fun(a) -> a` does not implement `Display` (needed by method `show`)"]);
  });

  it("derive defaults: Eq/Ord/Hash/Debug on structs, none for function fields", () => {
    const c = check(`struct P do
  x :: Int
end
struct F do
  f :: Fun(Int) -> Int
end
fn main() do
  let a = P { x: 1 } == P { x: 2 }
  let b = P { x: 1 } < P { x: 2 }
  println("\${P { x: 1 }}")
  let g = F { f: fn n -> n end }
  let c = g == g
end`);
    expect(errorsOf(c)).toEqual(["E0006 12:11 type `F` does not implement `Eq` (needed by `==`)"]);
    const info = c.result.info.types;
    expect(info.get("Main.P")!.derives).toEqual(["Debug", "Eq", "Hash", "Ord"]);
    expect(info.get("Main.F")!.derives).toEqual([]);
  });

  it("user operator impls: Add with Output, Neg; OpRef recorded", () => {
    const c = clean(`struct V do x :: Int end
impl Add for V do
  type Output = V
  fn add(self, o :: V) -> V do V { x: self.x + o.x } end
end
impl Neg for V do
  type Output = Int
  fn neg(self) -> Int do 0 - self.x end
end
fn main() do
  let v = V { x: 1 } + V { x: 2 }
  let n :: Int = -v
  println("\${v.x} \${n}")
end`);
    const plus = findExpr(c, (e) => e.kind === "Binary" && e.op === "+" && e.left.kind === "StructLit");
    expect(c.result.annotations.ops.get(plus)).toMatchObject({ kind: "impl", method: "add", impl: { iface: "Add", type: "Main.V" } });
    const neg = findExpr(c, (e) => e.kind === "Unary");
    expect(c.result.annotations.ops.get(neg)).toMatchObject({ kind: "impl", method: "neg" });
    const intPlus = findExpr(c, (e) => e.kind === "Binary" && e.op === "+" && e.left.kind === "Member");
    expect(c.result.annotations.ops.get(intPlus)).toEqual({ kind: "int" });
  });

  it("generic operator use is recorded as dynamic", () => {
    const c = clean(`fn add(a, b) = a + b
fn main() do
  println("\${add(1, 2)} \${add(1.5, 2.0)}")
end`);
    const plus = findExpr(c, (e) => e.kind === "Binary" && e.op === "+");
    expect(c.result.annotations.ops.get(plus)).toEqual({ kind: "dynamic" });
    expect(errs(`fn add(a, b) = a + b
fn main() do
  println("\${add("a", "b")}")
end`)).toEqual(["E0006 3:14 type `String` does not implement `Add` (needed by `+`)"]);
  });

  it("interpolation needs Display or Debug (E0046)", () => {
    expect(errs(`fn main() do
  let f = fn x -> x + 1 end
  println("\${[f]}")
end`)).toEqual(["E0046 3:14 a value of type `Fun(Int) -> Int` cannot be converted to text: it implements neither `Display` nor `Debug`"]);
  });

  it("deferred member constraints: closure parameters and polymorphic field access", () => {
    clean(`struct Item do
  title :: String
end
struct User do
  name :: String
end
struct Pet do
  name :: String
  age :: Int
end
fn name_of(x) do x.name end
fn main() do
  let items = [Item { title: "a" }]
  let ts = List.map(items, fn(i) do i.title end)
  println(name_of(User { name: "u" }) <> name_of(Pet { name: "p", age: 1 }) <> "\${ts}")
end`);
    expect(errs(`struct Item do
  title :: String
end
fn name_of(x) do x.name end
fn main() do
  println(name_of(Item { title: "a" }))
end`)).toEqual(["E0009 6:11 struct `Item` has no field `name`"]);
  });

  it("E0045 for a member access whose receiver is never known", () => {
    expect(errs(`fn main() do
  let f = fn x -> x end
  let g = fn -> f(List.head([])).name end
end`)).toEqual(["E0045 3:34 cannot infer the type of this value (needed to access field `name`); add an annotation"]);
  });

  it("? with From conversion records the impl", () => {
    const c = clean(`struct AppError do reason :: String end
impl From<String> for AppError do
  fn from(msg :: String) -> AppError do AppError { reason: msg } end
end
fn parse(s :: String) -> Int!String = if s == "1" do Ok(1) else Err("bad") end
fn run(s :: String) -> Int!AppError do
  let v = parse(s)?
  Ok(v)
end
fn main() do
  let r = run("1")
end`);
    const t = findExpr(c, (e) => e.kind === "Try");
    expect(c.result.annotations.tries.get(t)).toMatchObject({ kind: "result", convert: { iface: "From", ifaceArgs: ["String"], type: "Main.AppError" } });
  });

  it("into() takes its target from the expected type", () => {
    const c = clean(`struct Meters do
  v :: Float
end
impl From<Int> for Meters do
  fn from(x :: Int) -> Meters do Meters { v: Float.from(x) } end
end
fn main() do
  let m :: Meters = 5.into()
  let s :: String = 5.into()
  let f :: Float = 5.into()
  println("\${m.v} \${s} \${f}")
end`);
    const calls = [...c.result.annotations.methods.values()];
    expect(calls).toEqual(expect.arrayContaining([
      { kind: "impl", iface: "Into", method: "into", impl: { iface: "From", ifaceArgs: ["Int"], type: "Main.Meters", module: "Main", derived: false } },
      { kind: "impl", iface: "Into", method: "into", impl: { iface: "From", ifaceArgs: ["Int"], type: "String", module: "", derived: false } },
    ]));
  });

  it("keyword arguments become a trailing Map<String, V>", () => {
    clean(`fn describe(n :: Int, opts :: Map<String, Int>) -> String = "\${n} \${opts}"
fn main() do
  println(describe(1, width: 4, height: 5))
end`);
    expect(errs(`fn describe(opts :: Map<String, Int>) -> String = "\${opts}"
fn main() do
  println(describe(width: 4, name: "x"))
end`)).toEqual(["E0001 3:36 keyword argument `name` has type `String`, but earlier keyword arguments have type `Int`"]);
  });

  it("pipes check as calls and record refs on the original nodes", () => {
    const c = clean(`fn double(x :: Int) -> Int = x * 2
fn sub(a :: Int, b :: Int) -> Int = a - b
fn main() do
  let a = 5 |> double |> sub(3)
  let s = [1, 2] |> List.map(fn x -> x + 1 end) |> List.length()
  println("\${a} \${s}")
end`);
    const subCall = findExpr(c, (e) => e.kind === "Call" && e.callee.kind === "Name" && e.callee.name === "sub");
    expect(c.result.annotations.types.get(subCall)).toEqual({ kind: "con", name: "Int", args: [] });
    expect(c.result.annotations.refs.get((subCall as Extract<S.Expr, { kind: "Call" }>).callee)).toEqual({ kind: "global", module: "Main", name: "sub" });
    expect(errs(`fn sub(a :: Int, b :: Int) -> Int = a - b
fn main() do
  let a = "x" |> sub(3)
end`)).toEqual(["E0001 3:11 argument 1 of `sub` has type `String`, expected `Int`"]);
  });

  it("statement-position branches need not agree; if without else is unit", () => {
    clean(`fn main() do
  if true do 1 else "a" end
  case 1 do
    1 -> println("one")
    _ -> 0
  end
  let u :: () = if false do 5 end
  println("done")
end`);
  });

  it("local functions capture and recurse; refs are local with matching binding ids", () => {
    const c = clean(`fn main() do
  let k = 3
  fn loop(n) do
    if n == 0 do k else loop(n - 1) end
  end
  println("\${loop(4)}")
end`);
    const call = findExpr(c, (e) => e.kind === "Call" && e.callee.kind === "Name" && e.callee.name === "loop") as Extract<S.Expr, { kind: "Call" }>;
    const ref = c.result.annotations.refs.get(call.callee);
    expect(ref?.kind).toBe("local");
    const ids = [...c.result.annotations.bindings.entries()].filter(([k]) => (k as S.FnDef).kind === "FnDef").map(([, id]) => id);
    expect(ids).toContain((ref as { id: number }).id);
  });

  it("module constants: use before definition is E0004", () => {
    expect(errs(`let a = b + 1
let b = 2
fn main() do
  println("\${a}")
end`)).toEqual(["E0004 1:9 module constant `b` is used before its definition"]);
  });

  it("multi-error programs report every independent error once", () => {
    expect(errs(`fn a() -> Int do
  "not an int"
end

fn b(x :: Int) -> String do
  x + undefined_name
end

fn main() do
  let s :: String = 42
  let t = s + undefined_name
  println(a())
end`)).toEqual([
      "E0001 2:3 `a` returns `String`, but its declared return type is `Int`",
      "E0004 6:7 cannot find `undefined_name` in this scope",
      "E0001 10:21 the value has type `Int`, but the binding is declared as `String`",
      "E0004 11:15 cannot find `undefined_name` in this scope",
      "E0001 12:11 argument 1 of `println` has type `Int`, expected `String`",
    ]);
  });
});
