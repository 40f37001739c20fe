// Newline filter (compiler/syntax/newlines.ts, language.md §1.11): rules N1, N2, N3, each with a
// case where the NEWLINE is deleted and one where it is kept, checked on the token stream and
// on the parse it leads to.
import { describe, expect, it } from "vitest";
import { filtered, stmts } from "./helpers.js";

describe("N1: brackets", () => {
  it("deletes NEWLINEs inside (), [], {}, %{} and ${}", () => {
    expect(filtered("f(a,\nb)\n[1,\n2]\nP{x: 1\ny: 2}\n%{1 =>\n2}\n\"${a\n}\"")).toEqual([
      "f", "(", "a", ",", "b", ")", "NL", "[", "1", ",", "2", "]", "NL", "P", "{", "x", ":", "1", "y", ":", "2", "}", "NL",
      "%{", "1", "=>", "2", "}", "NL", '"', "${", "a", "}", '"',
    ]);
  });

  it("keeps NEWLINEs outside brackets", () => {
    expect(filtered("a\nb")).toEqual(["a", "NL", "b"]);
    expect(filtered("(a)\nb")).toEqual(["(", "a", ")", "NL", "b"]);
  });

  it("applies to do-blocks inside brackets: statements are separated by juxtaposition", () => {
    expect(stmts("List.map(xs, fn(row) do\n  let y = row * 2\n  y + 1\nend)")).toEqual([
      "(call (. List map) xs (fn (row) {(let y (* row 2)); (+ y 1)}))",
    ]);
  });

  it("makes `f` ⏎ `(1)` a call and `a` ⏎ `- 1` a subtraction inside brackets only", () => {
    expect(stmts("[f\n(1), a\n- 1]")).toEqual(["[(call f 1) (- a 1)]"]);
    expect(stmts("f\n(1)\na\n- 1")).toEqual(["f", "1", "a", "(- 1)"]);
  });
});

describe("N2: leading operator", () => {
  it("deletes the NEWLINEs before a line starting with |> . ? + * / % == != < > <= >= <> ++ .. => and or && ||", () => {
    for (const op of ["|>", ".", "?", "+", "*", "/", "%", "==", "!=", "<", ">", "<=", ">=", "<>", "++", "..", "=>", "and", "or", "&&", "||"]) {
      expect(filtered(`a\n\n  ${op} b`)).toEqual(["a", op, "b"]);
    }
  });

  it("continues pipe chains and method chains at statement level", () => {
    expect(stmts("let b = 10\n  |> sub(4)\n  |> double\nxs\n  .length()")).toEqual([
      "(let b (|> (|> 10 (call sub 4)) double))",
      "(call (. xs length))",
    ]);
  });

  it("keeps the NEWLINE before a line starting with `-` (unary minus starts a statement)", () => {
    expect(filtered("a\n-1")).toEqual(["a", "NL", "-", "1"]);
    expect(stmts("a\n-1")).toEqual(["a", "(- 1)"]);
  });
});

describe("N3: trailing operator", () => {
  it("deletes the NEWLINE after a binary operator, prefix not/!, =, ->, => or ::", () => {
    for (const op of ["+", "-", "*", "/", "%", "==", "!=", "<", ">", "<=", ">=", "<>", "++", "..", "and", "or", "&&", "||", "|>", "not", "!", "=", "->", "=>", "::"]) {
      expect(filtered(`a ${op}\n b`)).toEqual(["a", op, "b"]);
    }
  });

  it("lets expressions, `= expr` bodies and arm bodies continue on the next line", () => {
    expect(stmts('let total = a +\n  b\nlet label = "t" <>\n  ": "')).toEqual([
      "(let total (+ a b))",
      '(let label (<> (str "t") (str ": ")))',
    ]);
    expect(stmts("case r do\n  Ok(v) ->\n    v * 2\n  Err(_) -> 0\nend")).toEqual(["(case r (Ok(v) -> (* v 2)) (Err(_) -> 0))"]);
  });

  it("keeps the NEWLINE after a token that is not an operator", () => {
    expect(filtered("a\nb +")).toEqual(["a", "NL", "b", "+"]);
    expect(filtered("f(x)\ny")).toEqual(["f", "(", "x", ")", "NL", "y"]);
  });
});

describe("runs and comments", () => {
  it("collapses runs of NEWLINEs and drops leading and trailing ones", () => {
    expect(filtered("\n\na\n\n\nb\n")).toEqual(["a", "NL", "b"]);
  });

  it("produces no NEWLINE for the lines a block comment covers, but keeps the one after a line comment", () => {
    expect(filtered("a #= one\ntwo =# b")).toEqual(["a", "b"]);
    expect(filtered("a # c\nb")).toEqual(["a", "NL", "b"]);
  });
});
