// Top-level items (language.md §2.3, §3; concurrency.md §1.1, §3.1, §4.1): functions, types,
// interfaces, impls, imports, constants, actors, services, supervisors, doc comments.
import { describe, expect, it } from "vitest";
import type {
  ActorDef, FnDef, FromImportDecl, ImplDef, InterfaceDef, ServiceDef, StructDef, SumTypeDef, SupervisorDef, TypeAliasDef,
} from "../../../compiler/ast/syntax.js";
import { printBlock, printExpr, printPattern, printType } from "./ast-print.js";
import { firstItem, items, messages, parse, parseOk } from "./helpers.js";

describe("functions (§3.1)", () => {
  it("parses headers: generics, parameters, return type, where, guard", () => {
    expect(items("pub fn show_all<T, U>(xs :: List<T>, self, _) -> String where T: Display, U: Mod.Eq when n > 0 do\n  x\nend")).toEqual([
      "(pub fn show_all<T, U> (xs :: List<T>, self, _) -> String where T: Display, U: Mod.Eq when (> n 0) {x})",
    ]);
  });

  it("parses `fn main do` with no parameter list and `def` as a synonym", () => {
    const f = firstItem("fn main do\n  1\nend") as FnDef;
    expect(f.params).toEqual([]);
    expect(items("def f(x) = x")).toEqual(["(fn f (x) {x})"]);
  });

  it("parses `= expr` bodies as a one-statement block, also starting on the next line", () => {
    expect(items("fn double(x :: Int) -> Int = x * 2\nfn long(x) =\n  x + 1\nfn g() = if a do 1 else 2 end")).toEqual([
      "(fn double (x :: Int) -> Int {(* x 2)})",
      "(fn long (x) {(+ x 1)})",
      "(fn g () {(if a {1} {2})})",
    ]);
  });

  it("accepts pattern parameters", () => {
    expect(items('fn f(0, -1, 2.5, "s", true, nil, (a, b), Some(x), Shape.Circle(r), (h :: _), Dot, [], x :: Int) = 0')).toEqual([
      '(fn f (0, -1, 2.5f, "s", true, (), (ptuple a b), Some(x), Shape.Circle(r), (:: h _), Dot, [], x :: Int) {0})',
    ]);
  });

  it("makes a bare uppercase parameter a nullary constructor and `self` a PVar", () => {
    const f = firstItem("fn weight(Dot, self) = 0") as FnDef;
    expect(f.params.map((p) => p.pattern)).toMatchObject([
      { kind: "PCtor", path: ["Dot"], args: null },
      { kind: "PVar", name: "self" },
    ]);
  });

  it("records spans of the definition and its name", () => {
    const f = firstItem("pub fn f() = 1") as FnDef;
    expect([f.span.start, f.span.end, f.nameSpan.start, f.nameSpan.end]).toEqual([0, 14, 7, 8]);
  });
});

describe("patterns (§5.1)", () => {
  const pat = (p: string) => {
    const m = parseOk(`fn main() do\n  case x do\n    ${p} -> 0\n  end\nend`);
    const c = (m.items[0] as FnDef).body.stmts[0] as { arms: { pattern: Parameters<typeof printPattern>[0] }[] };
    return printPattern(c.arms[0]!.pattern);
  };
  it.each([
    ["_", "_"],
    ["h :: t", "(:: h t)"],
    ["_ :: s :: _", "(:: _ (:: s _))"],
    ["1 | 2 :: t", "(:: (| 1 2) t)"],
    ["(a, b) as pair", "(as (ptuple a b) pair)"],
    ["Some((0, Leaf))", "Some((ptuple 0 Leaf))"],
    ["-1", "-1"],
    ["-2.5", "-2.5f"],
    ["()", "()"],
    ["[]", "[]"],
    ["(x)", "x"],
    ["Ok(Node(_, v, _))", "Ok(Node(_, v, _))"],
    ['"text"', '"text"'],
  ])("%s", (src, want) => {
    expect(pat(src)).toBe(want);
  });

  it("rejects interpolation in string patterns", () => {
    expect(messages('fn f("${x}") = 0')).toEqual(["P0001 string patterns cannot contain interpolation"]);
  });

  it("parses `let` with a pattern and an annotation", () => {
    const f = firstItem("fn main() do\n  let ((a, b), c) = t\n  let x :: Int = 5\n  let (h :: t) = xs\nend") as FnDef;
    expect(f.body.stmts.map((s) => (s.kind === "Let" ? `${printPattern(s.pattern)}${s.type ? " :: " + printType(s.type) : ""}` : ""))).toEqual([
      "(ptuple (ptuple a b) c)",
      "x :: Int",
      "(:: h t)",
    ]);
  });
});

describe("types (§6.1)", () => {
  const ty = (t: string) => printType((firstItem(`type X = ${t}`) as TypeAliasDef).type);
  it.each([
    ["Int?", "Option<Int>{?}"],
    ["Int!String", "Result<Int, String>{!}"],
    ["A!B!C", "Result<A, Result<B, C>{!}>{!}"],
    ["Int?!String", "Result<Option<Int>{?}, String>{!}"],
    ["List<Map<String, Int>>!String", "Result<List<Map<String, Int>>, String>{!}"],
    ["(ProcessorState, String!String)", "(ProcessorState, Result<String, String>{!})"],
    ["Fun(Int, String) -> Bool", "Fun(Int, String) -> Bool"],
    ["Fun() -> ()", "Fun() -> ()"],
    ["()", "()"],
    ["(Int)", "Int"],
    ["Geometry.Point", "Geometry.Point"],
    ["Self", "Self"],
    ["Self.Item", "Self.Item"],
    ["Pid<String>", "Pid<String>"],
  ])("%s", (src, want) => {
    expect(ty(src)).toBe(want);
  });
});

describe("structs and sum types (§3.4–§3.6)", () => {
  it("parses fields, schema options and deriving", () => {
    const s = firstItem('pub struct User<T> do\n  table "users"\n  primary_key :id\n  timestamps true\n  belongs_to :org, Org\n  id :: Int\n  name :: String; tags :: List<T>\nend deriving(Eq, Json,)') as StructDef;
    expect(s.pub).toBe(true);
    expect(s.generics.map((g) => g.name)).toEqual(["T"]);
    expect(s.fields.map((f) => `${f.name} :: ${printType(f.type)}`)).toEqual(["id :: Int", "name :: String", "tags :: List<T>"]);
    expect(s.schema.map((o) => `${o.key}(${o.args.map(printExpr).join(", ")})`)).toEqual([
      'table((str "users"))', "primary_key(:id)", "timestamps(true)", "belongs_to(:org, Org)",
    ]);
    expect(s.deriving?.names.map((n) => n.name)).toEqual(["Eq", "Json"]);
    expect(s.span.end).toBe(s.deriving!.span.end);
  });

  it("parses one-line structs and fields whose type ends in `>`", () => {
    const s = firstItem("struct Cat do lives :: Int end") as StructDef;
    expect(s.fields.map((f) => f.name)).toEqual(["lives"]);
    const t = firstItem("struct Q do\n  items :: List<Int>\n  count :: Int\nend") as StructDef;
    expect(t.fields.map((f) => f.name)).toEqual(["items", "count"]);
  });

  it("attaches deriving only on the same line as `end`", () => {
    expect(items("struct P do\n  x :: Int\nend\nderiving(Eq)")).toEqual(["(StructDef P)", "(bad expression)"]);
  });

  it("rejects unknown struct options", () => {
    expect(messages("struct P do\n  x Int\nend")[0]).toMatch(/^P0001 expected a field `x :: Type`/);
  });

  it("parses sum types with positional and named payloads", () => {
    const t = firstItem("pub type Shape<T> do\n  Circle(Float)\n  Rect(width :: Float, height :: Float)\n  Dot; Node(Tree<T>, T)\nend deriving(Eq)") as SumTypeDef;
    expect(t.variants.map((v) => `${v.name}(${v.fields.map((f) => (f.name ? f.name + " :: " : "") + printType(f.type)).join(", ")})`)).toEqual([
      "Circle(Float)", "Rect(width :: Float, height :: Float)", "Dot()", "Node(Tree<T>, T)",
    ]);
    expect(t.deriving?.names.map((n) => n.name)).toEqual(["Eq"]);
  });

  it("parses aliases", () => {
    const a = firstItem("type Pair<A> = (A, A)") as TypeAliasDef;
    expect([a.name, a.generics.map((g) => g.name), printType(a.type)]).toEqual(["Pair", ["A"], "(A, A)"]);
  });
});

describe("interfaces and impls (§3.7, §3.8)", () => {
  it("parses associated types, signatures and default methods", () => {
    const i = firstItem("interface Describe<T> do\n  type Key\n  fn key(self) -> Self.Key\n  fn label(self) -> String\n  fn shout(self) -> String do\n    self.label()\n  end\nend") as InterfaceDef;
    expect(i.assocTypes.map((a) => a.name)).toEqual(["Key"]);
    expect(i.methods.map((m) => `${m.name}:${m.ret ? printType(m.ret) : ""}:${m.body ? printBlock(m.body) : "-"}`)).toEqual([
      "key:Self.Key:-",
      "label:String:-",
      "shout:String:{(call (. self label))}",
    ]);
  });

  it("parses impls with interface arguments, generic targets, where and associated types", () => {
    const i = firstItem("impl From<String> for AppError do\n  type Output = Money\n  fn from(msg :: String) -> AppError do AppError { code: 400 } end\nend") as ImplDef;
    expect([i.iface, i.ifaceArgs.map(printType), printType(i.target), i.assocTypes.map((a) => `${a.name}=${printType(a.type)}`), i.methods.map((m) => m.name)]).toEqual([
      ["From"], ["String"], "AppError", ["Output=Money"], ["from"],
    ]);
    const j = firstItem("impl Mod.Show for Box<T> where T: Show do\nend") as ImplDef;
    expect([j.iface, printType(j.target), j.where.map((w) => w.typeVar)]).toEqual([["Mod", "Show"], "Box<T>", ["T"]]);
  });
});

describe("imports (§2.3)", () => {
  it("parses import and from-import lists", () => {
    expect(items("import Util.TextFmt\nfrom Geometry.Shapes import Shape, area, scale,\nfrom A import (x,\n  Y,\n)\nfrom B import z")).toEqual([
      "(import Util.TextFmt)",
      "(from Geometry.Shapes import Shape area scale)",
      "(from A import x Y)",
      "(from B import z)",
    ]);
    const f = firstItem("from Geometry.Shapes import area") as FromImportDecl;
    expect([f.pathSpan.start, f.pathSpan.end, f.names[0]!.span.start]).toEqual([5, 20, 28]);
  });

  it("ends an unparenthesised list at the end of the line", () => {
    expect(items("from A import x,\ny")).toEqual(["(from A import x)", "(bad expression)"]);
  });

  it("rejects `import *`", () => {
    expect(messages("from M import *\nfn main() do end")).toEqual([
      "P0001 `from … import *` is not supported: list the names to import",
    ]);
  });

  it("treats `from` not followed by a module name as an ordinary name", () => {
    expect(items("from(1)")).toEqual(["(bad expression)"]);
  });
});

describe("other items", () => {
  it("parses module constants", () => {
    expect(items("let limit = 3\nlet w :: List<Int> = [1]")).toEqual(["(const limit 3)", "(const w :: List<Int> [1])"]);
  });

  it("turns top-level expressions and inline modules into BadItem", () => {
    expect(items('println("hi")\nmodule Foo.Bar do\n  fn f() = 1\nend\n1 + 2')).toEqual(["(bad expression)", "(bad module)", "(bad expression)"]);
  });

  it("rejects `pub` where it means nothing", () => {
    expect(messages("pub impl Show for X do end\npub let x = 1\npub import A")).toEqual([
      "P0001 `pub` is not allowed on an `impl`",
      "P0001 `pub` is not allowed on a module constant",
      "P0001 `pub` is not allowed on an `import`",
    ]);
  });

  it("attaches `##` doc comments to functions and `##!` to the module", () => {
    const m = parseOk("##! Module doc\n##! second line\n\n## Adds.\n##   Really.\npub fn add(a, b) = a + b\n\n## detached\n\nfn f() = 1\n# plain\nfn g() = 2\nimpl X for Y do\n  ## method doc\n  fn m(self) = 1\nend");
    expect(m.doc).toBe("Module doc\nsecond line");
    const fns = m.items.filter((i): i is FnDef => i.kind === "FnDef");
    expect(fns.map((f) => f.doc)).toEqual(["Adds.\n  Really.", null, null]);
    expect((m.items[3] as ImplDef).methods[0]!.doc).toBe("method doc");
  });
});

describe("concurrency items", () => {
  it("parses actors with a terminate clause", () => {
    const a = firstItem("actor partner(victim, n :: Int) do\n  link(victim)\n  receive do\n    _ -> 0\n  end\nterminate do\n  println(\"bye\")\nend\nend") as ActorDef;
    expect([a.name, a.params.length, a.body.stmts.length, a.terminate && printBlock(a.terminate)]).toEqual([
      "partner", 2, 2, '{(call println (str "bye"))}',
    ]);
    const b = firstItem("actor echo do\n  0\nend") as ActorDef;
    expect([b.params, b.terminate]).toEqual([[], null]);
  });

  it("parses services with init, call and cast handlers", () => {
    const s = firstItem("service Counter do\n  fn init(n :: Int) -> Int do n end\n  call Get() :: Int do |s|\n    (s, s)\n  end\n  call Peek do (0, 0) end\n  cast Add(k :: Int) do |s| s + k end\nend") as ServiceDef;
    expect(s.fns.map((f) => f.name)).toEqual(["init"]);
    expect(s.handlers.map((h) => `${h.kind} ${h.name}(${h.params.length}) ${h.reply ? printType(h.reply) : "-"} ${h.stateParam ? printPattern(h.stateParam) : "-"} ${printBlock(h.body)}`)).toEqual([
      "call Get(0) Int s {(tuple s s)}",
      "call Peek(0) - - {(tuple 0 0)}",
      "cast Add(1) - s {(+ s k)}",
    ]);
  });

  it("parses supervisors", () => {
    const s = firstItem("supervisor AppSup do\n  strategy: one_for_all\n  max_restarts: 3\n  child worker_a do\n    start: fn -> spawn(worker, 1) end; restart: permanent; shutdown: 2000\n  end\nend") as SupervisorDef;
    expect(s.entries.map((e) => `${e.key}=${printExpr(e.value)}`)).toEqual(["strategy=one_for_all", "max_restarts=3"]);
    expect(s.children.map((c) => `${c.name}: ${c.entries.map((e) => `${e.key}=${printExpr(e.value)}`).join(", ")}`)).toEqual([
      "worker_a: start=(fn () {(spawn worker 1)}), restart=permanent, shutdown=2000",
    ]);
  });
});

describe("source text details", () => {
  it("handles a BOM and CRLF / CR line endings", () => {
    const r = parse("\uFEFFfn a() = 1\r\nfn b() = 2\rfn c() = 3\r\n");
    expect(r.diagnostics).toEqual([]);
    expect(r.module.items.map((i) => (i as FnDef).name)).toEqual(["a", "b", "c"]);
    expect((r.module.items[0] as FnDef).nameSpan.start).toBe(4);
  });
});

describe("local functions", () => {
  it("get their doc comments too", () => {
    const m = parseOk("fn main() do\n  ## helper\n  fn h() = 1\n  h()\nend");
    const f = (m.items[0] as FnDef).body.stmts[0] as FnDef;
    expect([f.kind, f.name, f.doc]).toEqual(["FnDef", "h", "helper"]);
  });
});
