// Syntax errors: messages say what was expected and what was found, spans are precise, recovery
// reports independent errors separately and keeps the rest of the module.
import { describe, expect, it } from "vitest";
import type { FnDef } from "../../../compiler/ast/syntax.js";
import { checkWellFormed, messages, parse } from "./helpers.js";

describe("messages", () => {
  it("names the unclosed `do` and where it is", () => {
    const text = "fn main() do\n  let x = 1\n  while x do\n    x\n";
    const r = parse(text);
    expect(r.diagnostics.map((d) => [d.code, d.message, d.span.start, d.span.end])).toEqual([
      ["P0001", "expected `end` to close `do` at 3:11, found end of file", text.length, text.length],
    ]);
  });

  it("names unclosed brackets", () => {
    expect(messages("fn main() do\n  foo(1, 2 3)\nend")).toEqual(["P0001 expected `)` to close `(` at 2:6, found `3`"]);
    expect(messages("let a = [1, 2")).toEqual(["P0001 expected `]` to close `[` at 1:9, found end of file"]);
  });

  it("names the innermost unclosed construct, here an arrow closure", () => {
    expect(messages("fn main() do\n  let f = fn x -> x + 1\n  let g = 2\n")).toEqual([
      "P0001 expected `end` to close `fn` at 2:11, found end of file",
    ]);
  });

  it("rejects further clauses after a `do` first clause", () => {
    expect(messages("let f = fn x do 1 | y -> 2 end")).toEqual([
      "P0001 a closure whose first clause has a `do` body has only that clause; use `->` bodies for several clauses",
    ]);
  });

  it("says what kind of thing was expected", () => {
    expect(messages("fn main() do\n  let x = \nend")).toEqual(["P0001 expected an expression, found `end`"]);
    expect(messages("fn f(x) -> do 1 end")).toEqual(["P0001 expected a type, found `do`"]);
    expect(messages("fn f(x) 1")).toEqual(["P0001 expected `=` or `do` to start the function body, found `1`"]);
    expect(messages("fn main() do\n  case x do\n    -> 1\n  end\nend")[0]).toBe("P0001 expected `end` to close `do` at 2:10, found `->`");
  });

  it("reports stray top-level tokens and keeps parsing", () => {
    const r = parse("end\nfn f() = 1\n)\nfn g() = 2");
    expect(r.diagnostics.map((d) => d.message)).toEqual([
      "unexpected `end`: there is no open `do` here for it to close",
      "unexpected `)` at the top level",
    ]);
    expect(r.module.items.map((i) => (i as FnDef).name)).toEqual(["f", "g"]);
  });

  it("points at the offending token", () => {
    const text = "fn main() do\n  let = 5\nend";
    const d = parse(text).diagnostics[0]!;
    expect(text.slice(d.span.start, d.span.end)).toBe("=");
  });
});

describe("recovery", () => {
  it("reports three independent errors in three functions and keeps the good code", () => {
    const text = [
      "fn one() do",
      "  let y = 3 *",
      "end",
      "",
      "fn two() do",
      "  foo(1, 2 3)",
      "end",
      "",
      "fn three() do",
      "  let = 5",
      "  y",
      "end",
      "",
      "fn four() = 4",
      "",
      "fn five() do",
      "  let z = [1, 2",
      "  z",
      "end",
    ].join("\n");
    const r = parse(text);
    expect(r.diagnostics.map((d) => d.message)).toEqual([
      "expected an expression, found `end`",
      "expected `)` to close `(` at 6:6, found `3`",
      "expected a pattern, found `=`",
      "expected `]` to close `[` at 17:11, found `z`",
    ]);
    expect(r.diagnostics.every((d) => d.code === "P0001")).toBe(true);
    const lines = r.diagnostics.map((d) => text.slice(0, d.span.start).split("\n").length);
    expect(new Set(lines).size).toBe(lines.length);
    const names = r.module.items.map((i) => (i as FnDef).name);
    expect(names).toEqual(["one", "two", "three", "four", "five"]);
    checkWellFormed(r.module, "test.mpl", text.length);
  });

  it("drops incomplete statements but keeps their neighbours", () => {
    const r = parse("fn main() do\n  let a = 1\n  let b = \n  let c = 3\nend");
    expect(r.diagnostics).toHaveLength(1);
    const f = r.module.items[0] as FnDef;
    expect(f.body.stmts.map((s) => (s.kind === "Let" && s.pattern.kind === "PVar" ? s.pattern.name : s.kind))).toEqual(["a", "c"]);
  });

  it("never throws on truncated programs", () => {
    const text = 'struct P do\n  x :: Int\nend\nfn main() do\n  let p = P { x: 1 }\n  case p do\n    P -> "${p.x}"\n  end\nend\n';
    for (let i = 0; i <= text.length; i++) {
      const r = parse(text.slice(0, i));
      expect(r.diagnostics.every((d) => !d.message.startsWith("internal"))).toBe(true);
      checkWellFormed(r.module, "test.mpl", i);
    }
  });
});
