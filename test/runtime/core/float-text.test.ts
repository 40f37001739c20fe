import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { floatText, jsonFloat } from "../../../runtime/core/float-text.js";

describe("floatText (language.md §7.6.1)", () => {
  it("matches the spec examples", () => {
    const cases: [number, string][] = [
      [3, "3"],
      [2.5, "2.5"],
      [1.5, "1.5"],
      [-0, "-0"],
      [0, "0"],
      [0.1 + 0.2, "0.30000000000000004"],
      [1e16, "10000000000000000"],
      [1e21, "1000000000000000000000"],
      [1.5e-7, "0.00000015"],
      [1e-7, "0.0000001"],
      [NaN, "NaN"],
      [Infinity, "inf"],
      [-Infinity, "-inf"],
      [12.0 * 3.5, "42"],
      [1.0 / 3.0, "0.3333333333333333"],
      [2.5e-3, "0.0025"],
      [100000.5, "100000.5"],
      [0.1, "0.1"],
      [-42, "-42"],
      [1.2345678901234568e20, "123456789012345680000"],
      [5e-324, "0." + "0".repeat(323) + "5"],
      [1.7976931348623157e308, "17976931348623157" + "0".repeat(292)],
      [-1.5e-7, "-0.00000015"],
      [123e25, "1230000000000000000000000000"],
    ];
    for (const [x, s] of cases) expect(floatText(x)).toBe(s);
  });

  it("never uses an exponent and always reads back exactly", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const s = floatText(x);
        expect(s).not.toMatch(/e/i);
        expect(Object.is(Number(s), x) || (x === 0 && Number(s) === 0)).toBe(true);
        if (Number.isInteger(x)) expect(s).not.toContain(".");
      }),
      { numRuns: 2000 },
    );
  });
});

describe("jsonFloat (stdlib.md §13.3)", () => {
  it("matches the spec examples", () => {
    const cases: [number, string][] = [
      [2, "2.0"],
      [100, "100.0"],
      [1e15, "1000000000000000.0"],
      [12.5, "12.5"],
      [3.14, "3.14"],
      [0.25, "0.25"],
      [0.0001, "0.0001"],
      [0.00001, "0.00001"],
      [1e16, "1e+16"],
      [1.5e16, "1.5e+16"],
      [1e-6, "1e-6"],
      [1.5e-7, "1.5e-7"],
      [1.2345678901234568e20, "1.2345678901234568e+20"],
      [0, "0.0"],
      [-0, "-0.0"],
      [-2.5, "-2.5"],
      [-1e16, "-1e+16"],
      [NaN, "null"],
      [Infinity, "null"],
      [-Infinity, "null"],
      [0.5, "0.5"],
      [1234567890123456.7, "1234567890123456.8"],
    ];
    for (const [x, s] of cases) expect(jsonFloat(x)).toBe(s);
  });

  it("reads back exactly as JSON", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const s = jsonFloat(x);
        expect(Object.is(JSON.parse(s), x)).toBe(true);
        expect(s).toMatch(/^-?(\d+\.\d+|\d(\.\d+)?e[+-]\d+)$/);
      }),
      { numRuns: 2000 },
    );
  });
});
