// Unit tests of the JS printer (compiler/codegen/js-print.ts): precedence, statement forms,
// readability rules and the JS-line -> Mesh-line table.
import { describe, expect, test } from "vitest";
import { arr, bin, call, cond, constS, exprS, fnE, id, ifS, mem, num, retS, str, un, yieldE, type JsStmt } from "../../../compiler/codegen/js-ast.js";
import { printExpr, printProgram, printStmts, quote } from "../../../compiler/codegen/js-print.js";

describe("expressions", () => {
  test("minimal parentheses by precedence and associativity", () => {
    expect(printExpr(bin("*", bin("+", id("a"), id("b")), id("c")))).toBe("(a + b) * c");
    expect(printExpr(bin("+", id("a"), bin("*", id("b"), id("c"))))).toBe("a + b * c");
    expect(printExpr(bin("-", id("a"), bin("-", id("b"), id("c"))))).toBe("a - (b - c)");
    expect(printExpr(bin("-", bin("-", id("a"), id("b")), id("c")))).toBe("a - b - c");
    expect(printExpr(bin("&&", bin("||", id("a"), id("b")), id("c")))).toBe("(a || b) && c");
    expect(printExpr(un("!", bin("===", id("a"), id("b"))))).toBe("!(a === b)");
    expect(printExpr(un("-", num(-1)))).toBe("-(-1)");
    expect(printExpr(mem(num(1), "x"))).toBe("(1).x");
  });

  test("calls, members, conditionals, yields", () => {
    expect(printExpr(call(mem(mem(id("$lib"), "String"), "length"), [str("héllo")]))).toBe('$lib.String.length("héllo")');
    expect(printExpr(cond(id("c"), num(1), num(2)))).toBe("c ? 1 : 2");
    expect(printExpr(cond(id("c"), yieldE(call(id("f"), []), true), call(id("f"), [])))).toBe("c ? yield* f() : f()");
    expect(printExpr(call(id("g"), [yieldE(call(id("f"), [id("x")]), true)]))).toBe("g(yield* f(x))");
    expect(printExpr(mem(id("m"), "to-do"))).toBe('m["to-do"]');
    expect(printExpr(arr([num(1), str("a")]))).toBe('[1, "a"]');
  });

  test("string escapes", () => {
    expect(quote('a"b\\c\nd\te')).toBe('"a\\"b\\\\c\\nd\\te"');
    expect(quote("\u2028")).toBe('"\\u2028"');
  });

  test("arrow functions with expression bodies", () => {
    expect(printExpr(fnE(null, ["x"], [retS(bin("*", id("x"), num(2)))], false, true))).toBe("(x) => x * 2");
    expect(printExpr(fnE(null, [], [retS({ k: "obj", props: [] })], false, true))).toBe("() => ({})");
  });
});

describe("statements", () => {
  test("one-line ifs, else-if chains, loops", () => {
    const s: JsStmt[] = [
      ifS(bin("<", un("--", mem(id("$budget"), "n")), num(0)), [exprS(yieldE(id("$PREEMPT"), false))]),
      ifS(id("a"), [retS(num(1))], [ifS(id("b"), [retS(num(2))], [retS(num(3))])]),
      { k: "while", c: { k: "bool", value: true }, body: [{ k: "continue" }] },
    ];
    expect(printStmts(s)).toBe(
      [
        "if (--$budget.n < 0) yield $PREEMPT;",
        "if (a) {",
        "  return 1;",
        "} else if (b) {",
        "  return 2;",
        "} else {",
        "  return 3;",
        "}",
        "while (true) {",
        "  continue;",
        "}",
        "",
      ].join("\n"),
    );
  });

  test("classes keep field order and escape constructor parameters", () => {
    const s: JsStmt = { k: "class", name: "Point", fields: [["x", "x"], ["class", "class$"]], exported: true };
    expect(printStmts([s])).toBe(["export class Point {", "  constructor(x, class$) {", "    this.x = x;", "    this.class = class$;", "  }", "}", ""].join("\n"));
  });

  test("line table follows statement markers, also inside nested functions", () => {
    const inner = fnE(null, ["y"], [{ k: "expr", e: call(id("log"), [id("y")]), line: 6 }, { k: "return", e: id("y"), line: 7 }], false, true);
    const p = printProgram([{ k: "fn", name: "f", params: [], body: [constS("g", inner, 5), { k: "return", e: call(id("g"), [num(1)]), line: 9 }], gen: false, line: 4 }]);
    expect(p.code.split("\n")).toEqual(["function f() {", "  const g = (y) => {", "    log(y);", "    return y;", "  };", "  return g(1);", "}", ""]);
    expect(p.lines.slice(0, 6)).toEqual([4, 5, 6, 7, 7, 9]);
  });
});
