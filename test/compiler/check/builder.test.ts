// Checker tests on hand-built ASTs (independent of the parser).
import { describe, expect, it } from "vitest";
import { checkProgram } from "../../../compiler/check/check.js";
import { bin, call, closure, fn, int, letS, member, name, param, program, str, tname, flt } from "./ast-builder.js";

describe("checker on hand-built ASTs", () => {
  it("infers a simple program with let-polymorphism", () => {
    const idLet = letS("id", closure([param("x")], name("x")));
    const main = fn("main", [], [
      idLet,
      call("println", str("a ", call("id", int(5)), " ", call("id", str("five")))),
      call("println", str("", call("double", int(2)))),
    ]);
    const dbl = fn("double", [param("n")], [bin("*", name("n"), int(2))]);
    const r = checkProgram(program([main, dbl]));
    expect(r.diagnostics).toEqual([]);
  });

  it("reports E0001 for Int + Float and E0004 for unknown names", () => {
    const main = fn("main", [], [letS("t", bin("+", int(1), flt(2.5))), call("println", str("", name("nope")))]);
    const r = checkProgram(program([main]));
    expect(r.diagnostics.map((d) => d.code)).toEqual(["E0001", "E0004"]);
  });

  it("resolves List.map with a closure whose parameter type comes from the list", () => {
    const main = fn("main", [], [
      letS("xs", call(member("List", "map"), { kind: "List", span: { file: "main.mpl", start: 0, end: 1 }, elems: [int(1)] }, closure([param("i")], bin("+", name("i"), int(1))))),
      call("println", str("", name("xs"))),
    ]);
    const r = checkProgram(program([main]));
    expect(r.diagnostics).toEqual([]);
  });

  it("E0052 when main has parameters", () => {
    const r = checkProgram(program([fn("main", [param("x", tname("Int"))], [name("x")])]));
    expect(r.diagnostics.map((d) => d.code)).toEqual(["E0052"]);
  });
});
