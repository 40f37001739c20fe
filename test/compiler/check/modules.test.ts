// Modules (§2): namespaces, from-imports, visibility, qualified types/literals/variants,
// cross-module generic schemes with pending constraints, services across modules.
import { describe, expect, it } from "vitest";
import type * as S from "../../../compiler/ast/syntax.js";
import { check, errorsOf } from "./project.js";

describe("modules", () => {
  it("two modules: namespace access to functions, types, literals and variants", () => {
    const c = check({
      "main.mpl": `import Geo.Shapes
fn main() do
  let p :: Shapes.Point = Shapes.Point { x: 1, y: 2 }
  let c = Shapes.Circle(2)
  let q = Point { x: 3, y: 4 }
  println("\${Shapes.area(c)} \${p.x + q.y} \${Shapes.origin_x()}")
  let s = case c do
    Circle(r) -> r
    Square(n) -> n
  end
end`,
      "geo/shapes.mpl": `pub struct Point do
  x :: Int
  y :: Int
end
pub type Shape do
  Circle(Int)
  Square(Int)
end
pub fn area(s :: Shape) -> Int = case s do
  Circle(r) -> 3 * r * r
  Square(n) -> n * n
end
pub fn origin_x() -> Int = helper()
fn helper() = 0`,
    });
    expect(errorsOf(c)).toEqual([]);
    const ns = [...c.result.annotations.refs.values()].filter((r) => r.kind === "namespace");
    expect(ns[0]).toEqual({ kind: "namespace", module: "Geo.Shapes" });
    expect(c.result.info.types.get("Geo.Shapes.Point")?.fields.map((f) => f.name)).toEqual(["x", "y"]);
  });

  it("three modules: generic functions keep their schemes and pending constraints", () => {
    const c = check({
      "main.mpl": `from Util.Gen import name_of, add, pair
import Model
fn main() do
  let u = Model.User { name: "ann" }
  let pt = Model.Pet { name: "rex", legs: 4 }
  println(name_of(u) <> name_of(pt))
  println("\${add(1, 2)} \${add(1.5, 2.5)} \${pair("a")}")
end`,
      "util/gen.mpl": `pub fn name_of(x) do x.name end
pub fn add(a, b) = a + b
pub fn pair<T>(x :: T) -> (T, T) = (x, x)`,
      "model.mpl": `pub struct User do
  name :: String
end
pub struct Pet do
  name :: String
  legs :: Int
end`,
    });
    expect(errorsOf(c)).toEqual([]);
    const bad = check({
      "main.mpl": `from Util.Gen import name_of, add
fn main() do
  println(name_of(42))
  println("\${add(true, false)}")
end`,
      "util/gen.mpl": `pub fn name_of(x) do x.name end
pub fn add(a, b) = a + b`,
    });
    expect(errorsOf(bad)).toEqual([
      "E0009 3:11 type `Int` has no field `name`",
      "E0006 4:14 type `Bool` does not implement `Add` (needed by `+`)",
    ]);
  });

  it("from-import makes the listed names and all public types visible; private items are E0035", () => {
    const c = check({
      "main.mpl": `from Lib import Shape, area
import Other
fn main() do
  let a = area(Sq(2))
  let t = Tri
  let v = Other.hidden()
  let w = Other.shown()
end`,
      "lib.mpl": `pub type Shape do
  Sq(Int)
end
pub type Kind do
  Tri
end
pub fn area(s :: Shape) -> Int = case s do
  Sq(n) -> n * n
end`,
      "other.mpl": `fn hidden() = 1
pub fn shown() = 2`,
    });
    expect(errorsOf(c)).toEqual(["E0035 6:17 `hidden` is private to module `Other`"]);
  });

  it("services across modules: generated helpers and Ref kind service", () => {
    const c = check({
      "main.mpl": `from Services import Counter
fn main() do
  let p = Counter.start(5)
  Counter.add_many(p, 3)
  let n :: Int = Counter.get_count(p)
  println("\${n}")
end`,
      "services.mpl": `service Counter do
  fn init(n :: Int) -> Int do
    n
  end
  call GetCount() :: Int do |s|
    (s, s)
  end
  cast AddMany(k :: Int) do |s|
    s + k
  end
end`,
    });
    expect(errorsOf(c)).toEqual([]);
    const svc = [...c.result.annotations.refs.values()].filter((r) => r.kind === "service");
    expect(svc).toEqual(expect.arrayContaining([
      { kind: "service", module: "Services", service: "Counter", helper: "start", handler: null },
      { kind: "service", module: "Services", service: "Counter", helper: "get_count", handler: "GetCount" },
      { kind: "service", module: "Services", service: "Counter", helper: "add_many", handler: "AddMany" },
    ]));
  });

  it("actors and supervisors from other modules can be spawned", () => {
    const c = check({
      "main.mpl": `import Workers
from Workers import echo
fn main() do
  let a = spawn(Workers.echo, 1)
  let b = spawn(echo, 2)
  let s = spawn(Workers.Sup)
  send(a, 5)
end`,
      "workers.mpl": `actor echo(n :: Int) do
  receive do
    m -> println("\${m + n}")
  end
end
supervisor Sup do
  child e do
    start: fn -> spawn(echo, 0) end
  end
end`,
    });
    expect(errorsOf(c)).toEqual([]);
  });

  it("E0051 for a namespace bound twice and E0031 for unknown modules", () => {
    const c = check({
      "main.mpl": `import A.Util
import B.Util
import Nowhere
fn main() do
end`,
      "a/util.mpl": "pub fn f() = 1",
      "b/util.mpl": "pub fn g() = 2",
    });
    expect(errorsOf(c)).toEqual(["E0051 2:1 the namespace `Util` is already bound by another import", "E0031 3:1 unknown module `Nowhere`"]);
  });

  it("struct literal field types are checked across modules", () => {
    const c = check({
      "main.mpl": `import M
fn main() do
  let p = M.P { x: "no" }
end`,
      "m.mpl": "pub struct P do\n  x :: Int\nend",
    });
    expect(errorsOf(c)).toEqual(["E0001 3:20 field `x` of `P` has type `Int`, but the value given has type `String`"]);
    const lit = c.program.byName.get("Main")!.ast.items[1] as S.FnDef;
    const letStmt = lit.body.stmts[0] as S.LetStmt;
    expect(c.result.annotations.structs.get(letStmt.value)).toEqual({ type: "M.P", module: "M", fields: ["x"] });
  });
});
