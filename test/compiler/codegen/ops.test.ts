// Unit tests of the helpers generated code relies on: checked Int arithmetic
// (runtime/core/ops.ts), panic locations (runtime/core/location.ts) and JS naming (names.ts).
import { describe, expect, test } from "vitest";
import { ck, idiv, imod, imul, isInt, OVERFLOW, eqZero, errInto, registerBuiltinImpl, callIface, callMethod } from "../../../runtime/core/ops.js";
import { Err, Ok } from "../../../runtime/core/builtin-types.js";
import { typeMeta } from "../../../runtime/core/meta.js";
import { registerSource, meshFrames, formatPanicLocation } from "../../../runtime/core/location.js";
import { NameAlloc, escapeName, snakeCase } from "../../../compiler/codegen/names.js";

const MAX = Number.MAX_SAFE_INTEGER;
const panics = (f: () => unknown, msg: string) => expect(f).toThrow(msg);

describe("checked Int arithmetic (language.md §7.1)", () => {
  test("safe range limits", () => {
    expect(ck(MAX - 1 + 1)).toBe(MAX);
    panics(() => ck(MAX + 1), "integer overflow");
    panics(() => ck(-MAX - 1), "integer overflow");
    panics(() => ck(MAX + 2 - 2 + 2), "integer overflow");
    panics(() => imul(MAX, 2), "integer overflow");
    panics(() => imul(94906267, 94906267), "integer overflow");
    expect(imul(94906265, 94906265)).toBe(94906265 * 94906265);
  });
  test("inline statement checks: isInt and the shared OVERFLOW panic", () => {
    expect([isInt(MAX), isInt(-MAX), isInt(0), isInt(MAX - 1 + 1)]).toEqual([true, true, true, true]);
    expect([isInt(MAX + 1), isInt(-MAX - 1), isInt(MAX * 3), isInt(Infinity), isInt(NaN)]).toEqual([false, false, false, false, false]);
    expect(OVERFLOW.reason).toBe("integer overflow");
    expect(OVERFLOW.message).toBe("integer overflow");
    // its stack is from module load, not from the Mesh code that threw it: no location line
    expect(meshFrames(OVERFLOW)).toEqual([]);
    expect(formatPanicLocation(OVERFLOW)).toBe("");
  });
  test("division truncates toward zero, remainder has the dividend's sign, no -0", () => {
    expect([idiv(7, 2), idiv(-7, 2), idiv(7, -2), idiv(-7, -2)]).toEqual([3, -3, -3, 3]);
    expect([imod(7, 2), imod(-7, 2), imod(7, -2), imod(-7, -2)]).toEqual([1, -1, 1, -1]);
    expect(Object.is(idiv(0, -5), 0)).toBe(true);
    expect(Object.is(imod(-4, 2), 0)).toBe(true);
    expect(Object.is(imul(0, -3), 0)).toBe(true);
    expect(idiv(MAX, 1)).toBe(MAX);
    expect(idiv(MAX, 7) * 7 + imod(MAX, 7)).toBe(MAX);
    panics(() => idiv(1, 0), "division by zero");
    panics(() => imod(1, 0), "division by zero");
  });
});

describe("dispatch helpers", () => {
  test("pid == 0 compares with the null pid", () => {
    expect(eqZero(0)).toBe(true);
    expect(eqZero({ isNull: () => true })).toBe(true);
    expect(eqZero({ isNull: () => false })).toBe(false);
  });
  test("impls for built-in types and method calls by name", () => {
    registerBuiltinImpl("Int", "Test.Describe", { describe: (n: number) => `int ${n}` });
    expect(callIface("Test.Describe", "describe", 4, [])).toBe("int 4");
    expect(callMethod(5, "describe", [])).toBe("int 5");
    expect(callMethod(42, "to_string", [])).toBe("42");
  });
  test("`?` conversion without checker information", () => {
    const meta = typeMeta("struct", "E", "Main.E", ["m"]);
    const conv = (s: string) => ({ wrapped: s });
    expect(errInto(new Err("x"), meta, { String: conv })).toEqual(new Err({ wrapped: "x" }));
    const ok = new Ok(1);
    expect(errInto(ok, meta, { String: conv })).toBe(ok);
  });
});

describe("panic locations (language.md §7.8)", () => {
  test("JS frames of registered modules map to .mpl lines and Mesh names", () => {
    registerSource("file:///x/geo.js", "geo/shapes.mpl", "1:0,5:3,9:7");
    const err = new Error("boom");
    err.stack = [
      "MeshPanic: boom",
      "    at panic (file:///rt/index.js:10:9)",
      "    at Point$Display$to_string (file:///x/geo.js:6:3)",
      "    at Module.area (file:///x/geo.js:9:12)",
      "    at tally$terminate (file:///x/geo.js:12:1)",
    ].join("\n");
    expect(meshFrames(err)).toEqual([
      { file: "geo/shapes.mpl", line: 3, fn: "Point.to_string" },
      { file: "geo/shapes.mpl", line: 7, fn: "area" },
      { file: "geo/shapes.mpl", line: 7, fn: "tally" },
    ]);
    expect(formatPanicLocation(err)).toBe("  at geo/shapes.mpl:3 in Point.to_string\n");
    expect(formatPanicLocation(new Error("no frames"))).toBe("");
  });
});

describe("names", () => {
  test("reserved words are escaped, shadowing gets numbered", () => {
    expect(escapeName("class")).toBe("class$");
    expect(escapeName("Object")).toBe("Object$");
    const a = new NameAlloc();
    expect([a.fresh("x"), a.fresh("x"), a.fresh("x")]).toEqual(["x", "x$1", "x$2"]);
    const c = a.child();
    expect(c.fresh("x")).toBe("x$3");
    expect(a.child().fresh("x")).toBe("x$3"); // siblings may reuse
  });
  test("service helper snake case (concurrency.md §4.3)", () => {
    expect(["GetCount", "Reset", "IncrementEventCount", "GetHTTPStatus", "Load2D", "ping"].map(snakeCase)).toEqual([
      "get_count",
      "reset",
      "increment_event_count",
      "get_h_t_t_p_status",
      "load2_d",
      "ping",
    ]);
  });
});
