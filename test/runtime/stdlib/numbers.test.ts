import { describe, expect, it } from "vitest";
import fc from "fast-check";
import * as lib from "../../../runtime/stdlib/index.js";
import { text } from "../../../runtime/core/text.js";

describe("Int, Float, Math (stdlib.md §4)", () => {
  it("A4: float display and Math", () => {
    const a = 7.0 / 2.0;
    expect(text(a)).toBe("3.5");
    expect(lib.String.from(10.0)).toBe("10");
    expect(lib.String.from(0.1 + 0.2)).toBe("0.30000000000000004");
    expect(`${text(lib.Float.to_int(-3.9))} ${text(lib.Float.to_int(3.9))}`).toBe("-3 3");
    expect(`${text(lib.Math.round(2.5))} ${text(lib.Math.round(-2.5))} ${text(lib.Math.round(0.49))}`).toBe("3 -3 0");
    expect(`${text(lib.Math.floor(-1.5))} ${text(lib.Math.ceil(-1.5))}`).toBe("-2 -1");
    expect(`${text(lib.Int.to_float(3))} ${text(lib.Math.sqrt(2.25))} ${text(lib.Math.pow(2.0, 10.0))}`).toBe("3 1.5 1024");
    expect(text(lib.Int.to_float(1000000000000000) * 10.0)).toBe("10000000000000000");
    expect(text(1.0 / 10000000.0)).toBe("0.0000001");
    expect(`${text(lib.Math.max(3, 9))} ${text(lib.Math.min(-1.5, 2.0))} ${text(lib.Math.abs(-8))}`).toBe("9 -1.5 8");
    expect(text(lib.Math.pi)).toBe("3.141592653589793");
  });

  it("Float.to_int: truncation, NaN, saturation, never -0", () => {
    expect(lib.Float.to_int(NaN)).toBe(0);
    expect(lib.Float.to_int(1e300)).toBe(Number.MAX_SAFE_INTEGER);
    expect(lib.Float.to_int(-Infinity)).toBe(-Number.MAX_SAFE_INTEGER);
    expect(Object.is(lib.Float.to_int(-0.5), 0)).toBe(true);
    expect(Object.is(lib.Math.round(-0.4), 0)).toBe(true);
    expect(Object.is(lib.Math.ceil(-0.5), 0)).toBe(true);
    expect(Object.is(lib.Math.floor(-0), 0)).toBe(true);
    expect(lib.Math.round(0.49999999999999994)).toBe(0);
    expect(lib.Math.round(-1.5)).toBe(-2);
    expect(lib.Math.round(NaN)).toBe(0);
    expect(lib.Float.from(2)).toBe(2);
  });

  it("Math.round rounds halves away from zero (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e6, max: 1e6 }), (n) => {
        expect(lib.Math.round(n + 0.5)).toBe(n >= 0 ? n + 1 : n);
        expect(lib.Math.round(n - 0.5)).toBe(n > 0 ? n : n - 1);
      }),
    );
  });

  it("Math.abs/min/max keep the operand type", () => {
    expect(lib.Math.abs(-2.5)).toBe(2.5);
    expect(Object.is(lib.Math.abs(-0), 0)).toBe(true);
    expect(lib.Math.min(2, -1)).toBe(-1);
    expect(lib.Math.max(1.5, 0.5)).toBe(1.5);
    expect(Number.isNaN(lib.Math.sqrt(-1))).toBe(true);
  });
});
