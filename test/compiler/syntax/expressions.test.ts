// Expressions (language.md §4, concurrency primaries): precedence, postfix forms, literals,
// strings, closures, control flow, and spans.
import { describe, expect, it } from "vitest";
import type { Expr } from "../../../compiler/ast/syntax.js";
import { expr, exprNode, messages, stmts } from "./helpers.js";

describe("precedence (§4.1)", () => {
  it.each([
    ["not a == b", "(== (not a) b)"],
    ["-x.y", "(- (. x y))"],
    ["-2 * 3", "(* (- 2) 3)"],
    ["-f(x)?", "(- (? (call f x)))"],
    ["x |> f(y) == z", "(|> x (== (call f y) z))"],
    ["a <> b == c", "(== (<> a b) c)"],
    ["0..n + 1", "(.. 0 (+ n 1))"],
    ["a or b and c", "(or a (and b c))"],
    ["a || b && !c", "(or a (and b (not c)))"],
    ["a < b < c", "(< (< a b) c)"],
    ["1 + 2 * 3 - 4 / 5 % 6", "(- (+ 1 (* 2 3)) (% (/ 4 5) 6))"],
    ["10 - 4 - 3", "(- (- 10 4) 3)"],
    ["a ++ b <> c", "(<> (<> a b) c)"],
    ["a |> f |> g(1)", "(|> (|> a f) (call g 1))"],
    ["a == b != c", "(!= (== a b) c)"],
    ["x + y .. z", "(.. (+ x y) z)"],
    ["a <= b or c >= d", "(or (<= a b) (>= c d))"],
    ["not not a", "(not (not a))"],
    ["- -a", "(- (- a))"],
  ])("%s", (src, want) => {
    expect(expr(src)).toBe(want);
  });

  it("records operator spans and normalises operator spellings", () => {
    const e = exprNode("a && b") as Extract<Expr, { kind: "Binary" }>;
    expect(e.op).toBe("and");
    expect([e.opSpan.start, e.opSpan.end, e.span.start, e.span.end]).toEqual([15, 17, 13, 19]);
    expect((exprNode("a ++ b") as Extract<Expr, { kind: "Binary" }>).op).toBe("<>");
    expect((exprNode("!a") as Extract<Expr, { kind: "Unary" }>).op).toBe("not");
  });
});

describe("literals and names", () => {
  it("converts numbers, including hex/binary/octal/underscores", () => {
    expect(stmts("0xff\n0b1011\n0o17\n1_000\n2.5e-3\n1e3\n3.0")).toEqual(["255", "11", "15", "1000", "0.0025f", "1000f", "3f"]);
  });

  it("treats `-5` as unary minus on 5", () => {
    expect(expr("-5")).toBe("(- 5)");
  });

  it("converts atoms, booleans, nil and unit", () => {
    expect(stmts(":ready\ntrue\nfalse\nnil\n()")).toEqual([":ready", "true", "false", "()", "()"]);
  });

  it("distinguishes `self` from `self()`", () => {
    expect(stmts("self\nself.x\nself()")).toEqual(["self", "(. self x)", "(self)"]);
  });

  it("allows any keyword as a member name", () => {
    expect(stmts("Node.self()\nWs.send(c, m)\nChangeset.cast(x)\nProcess.monitor(p)\nx.end")).toEqual([
      "(call (. Node self))",
      "(call (. Ws send) c m)",
      "(call (. Changeset cast) x)",
      "(call (. Process monitor) p)",
      "(. x end)",
    ]);
  });

  it("keeps member name spans", () => {
    const e = exprNode("abc.def") as Extract<Expr, { kind: "Member" }>;
    expect([e.nameSpan.start, e.nameSpan.end, e.span.start, e.span.end]).toEqual([17, 20, 13, 20]);
  });
});

describe("strings", () => {
  it("alternates decoded text and expressions", () => {
    expect(expr('"a ${x} b ${y}${z}"')).toBe('(str "a " x " b " y z)');
    expect(expr('""')).toBe("(str )");
  });

  it("decodes escapes; an unknown escape stands for the character", () => {
    const e = exprNode('"q:\\"x\\" \\\\ \\n\\t\\r\\0 \\$ \\{ \\${x}"') as Extract<Expr, { kind: "String" }>;
    expect(e.parts).toEqual(['q:"x" \\ \n\t\r\0 $ { ${x}']);
  });

  it("parses nested strings, maps and struct literals inside interpolations", () => {
    expect(expr('"n=${"[${n * 2}]"}"')).toBe('(str "n=" (str "[" (* n 2) "]"))');
    expect(expr('"${%{1 => 2}}"')).toBe("(str (map (1 2)))");
    expect(expr('"${Point { x: 1, y: 2 }}"')).toBe("(str (struct Point x: 1 y: 2))");
  });

  it("keeps raw line breaks and triple-quoted content verbatim", () => {
    expect(expr('"""line one\n  "quoted" two"""')).toBe('(str "line one\\n  \\"quoted\\" two")');
    expect(expr('"a\nb"')).toBe('(str "a\\nb")');
  });
});

describe("postfix forms", () => {
  it("parses calls with keyword arguments, indexing, try and member chains", () => {
    expect(stmts("describe(width: 4, height: 5)\nf(a, b, c: 1,)\nxs[0] + m[\"k\"]\nparse(s)?\np.to_string().length()")).toEqual([
      "(call describe width: 4 height: 5)",
      "(call f a b c: 1)",
      '(+ (idx xs 0) (idx m (str "k")))',
      "(? (call parse s))",
      "(call (. (call (. p to_string)) length))",
    ]);
  });

  it("rejects positional arguments after keyword arguments", () => {
    expect(messages("fn main() do\n  f(a: 1, 2)\nend")).toEqual([
      "P0001 positional argument after a keyword argument: keyword arguments must come last",
    ]);
  });

  it("accepts a struct literal only after a type name", () => {
    expect(stmts("Point { x: 1, y: 2 }\nGeo.Point { x: 1 }\nBox {\n  w: 3\n  h: 4\n}\nP {a: 1 b: 2,}\nE {}")).toEqual([
      "(struct Point x: 1 y: 2)",
      "(struct Geo.Point x: 1)",
      "(struct Box w: 3 h: 4)",
      "(struct P a: 1 b: 2)",
      "(struct E)",
    ]);
    expect(messages("fn main() do\n  x { a: 1 }\nend")[0]).toMatch(/^P0001 expected .*found `\{`/);
    expect(messages("fn main() do\n  f(x) { a: 1 }\nend")[0]).toMatch(/^P0001 /);
  });
});

describe("brackets", () => {
  it("distinguishes unit, grouping, ascription and tuples", () => {
    expect(stmts("()\n(a)\n(a,)\n(List.new() :: List<Int>)\n(a, b)\n(1, \"one\", true,)")).toEqual([
      "()",
      "a",
      "a",
      "(: (call (. List new)) List<Int>)",
      "(tuple a b)",
      '(tuple 1 (str "one") true)',
    ]);
  });

  it("keeps the parentheses in the span of a grouped expression", () => {
    const e = exprNode("(a + b) * c") as Extract<Expr, { kind: "Binary" }>;
    expect([e.left.span.start, e.left.span.end]).toEqual([13, 20]);
  });

  it("parses lists, maps and struct updates", () => {
    expect(stmts('[]\n[1, 2,]\n%{}\n%{"a" => 1, "b" => 2,}\n%{p | y: 5}\n%{p | y: 5, z: 0,}')).toEqual([
      "[]",
      "[1 2]",
      "(map)",
      '(map ((str "a") 1) ((str "b") 2))',
      "(update p y: 5)",
      "(update p y: 5 z: 0)",
    ]);
  });
});

describe("control flow", () => {
  it("parses if / else if chains sharing one end", () => {
    expect(expr("if a > b do a else b end")).toBe("(if (> a b) {a} {b})");
    expect(expr("if a do\n  1\nelse if b do\n  2\nelse\n  3\nend")).toBe("(if a {1} (if b {2} {3}))");
    expect(expr("if a do 1 end")).toBe("(if a {1})");
  });

  it("treats `if` on the line after `else` as a nested if with its own end", () => {
    expect(expr("if a do\n  1\nelse\n  if b do 2 else 3 end\nend")).toBe("(if a {1} {(if b {2} {3})})");
  });

  it("parses case/match arms with guards, or-patterns and block bodies", () => {
    expect(expr("case v do\n  (0, _) -> \"zero\"\n  (1, s) | (2, s) when s != \"\" -> s\n  Ok(x) -> do\n    println(x)\n    x\n  end\nend")).toBe(
      '(case v ((ptuple 0 _) -> (str "zero")) ((| (ptuple 1 s) (ptuple 2 s)) when (!= s (str )) -> s) (Ok(x) -> (do {(call println x); x})))',
    );
    expect(expr("match x do 1 -> a 2 -> b end")).toBe("(case x (1 -> a) (2 -> b))");
  });

  it("parses loops, break, continue and return", () => {
    expect(stmts("for i in 1..5 do i * i end\nfor x in xs when x > 2 do x end\nfor {k, v} in m do k end\nfor (a, b) in ps do a end\nfor _ in xs do break end\nwhile true do continue end")).toEqual([
      "(for i (.. 1 5) {(* i i)})",
      "(for x xs when (> x 2) {x})",
      "(for (ptuple k v) m {k})",
      "(for (ptuple a b) ps {a})",
      "(for _ xs {break})",
      "(while true {continue})",
    ]);
    expect(stmts("if b == 0 do\n  return Err(\"div\")\nend\nreturn")).toEqual(['(if (== b 0) {(return (call Err (str "div")))})', "(return)"]);
  });

  it("parses block expressions", () => {
    expect(expr("do\n  let a = 1\n  a + 1\nend")).toBe("(do {(let a 1); (+ a 1)})");
  });
});

describe("closures (§4.11)", () => {
  it.each([
    ["fn(x :: Int) -> x * factor end", "(fn (x :: Int) {(* x factor)})"],
    ["fn x -> x * 2 end", "(fn (x) {(* x 2)})"],
    ["fn acc, x -> acc + x end", "(fn (acc, x) {(+ acc x)})"],
    ["fn(row) do\n  let y = row * 2\n  y + 1\nend", "(fn (row) {(let y (* row 2)); (+ y 1)})"],
    ["fn x do x end", "(fn (x) {x})"],
    ["fn -> 42 end", "(fn () {42})"],
    ["fn do 42 end", "(fn () {42})"],
    ['fn 0 -> "zero" | n when n < 0 -> "neg" | _ -> "pos" end', '(fn (0) {(str "zero")} | (n) when (< n 0) {(str "neg")} | (_) {(str "pos")})'],
    ["fn 0 -> a | n do\n  b\n  c\nend end", "(fn (0) {a} | (n) {b; c})"],
    ["fn -> println(1)\n  2 end", "(fn () {(call println 1); 2})"],
    ["fn Some(x) -> x | None -> 0 end", "(fn (Some(x)) {x} | (None) {0})"],
    ["fn((a, b)) -> a end", "(fn ((ptuple a b)) {a})"],
  ])("%s", (src, want) => {
    // as the value of a `let`: at statement start `fn x` would begin a named definition
    expect(stmts(`let c = ${src}`)).toEqual([`(let c ${want})`]);
  });

  it("makes `fn name` at statement start a local function, not a closure", () => {
    expect(stmts("fn scale(y :: Int) -> Int do\n  y * x\nend\nfn(n) -> n + i end")).toEqual([
      "(fn scale (y :: Int) -> Int {(* y x)})",
      "(fn (n) {(+ n i)})",
    ]);
  });
});

describe("concurrency primaries", () => {
  it("parses spawn, send, link, self() and receive", () => {
    expect(stmts("spawn(worker, 1, 2)\nsend(pid, Ask(7))\nlink(p)\nself()")).toEqual([
      "(spawn worker 1 2)",
      "(send pid (call Ask 7))",
      "(link p)",
      "(self)",
    ]);
    expect(expr("receive do\n  Add(n) -> n\n  k when k > 1 -> k\nafter 30 -> 0\nend")).toBe(
      "(receive (Add(n) -> n) (k when (> k 1) -> k) (after 30 -> 0))",
    );
    expect(expr("receive do\nafter 10 -> :timeout\nend")).toBe("(receive  (after 10 -> :timeout))");
  });

  it("checks the arity of send and link and that receive is not empty", () => {
    expect(messages("fn main() do\n  send(p)\n  link()\n  receive do\n  end\nend")).toEqual([
      "P0001 `send` takes 2 arguments (pid, message), found 1",
      "P0001 `link` takes 1 argument (a pid), found 0",
      "P0001 `receive` needs at least one arm or an `after` clause",
    ]);
  });
});
