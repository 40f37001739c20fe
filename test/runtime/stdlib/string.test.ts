import { describe, expect, it } from "vitest";
import fc from "fast-check";
import * as lib from "../../../runtime/stdlib/index.js";
import { List } from "../../../runtime/core/list.js";
import { None, Some } from "../../../runtime/core/builtin-types.js";
import { text } from "../../../runtime/core/text.js";

const S = lib.String;
const L = (...xs: string[]) => List.fromArray(xs);
const cps = (s: string) => Array.from(s);

describe("String (stdlib.md §3)", () => {
  it("counts and slices code points", () => {
    expect(S.length("añb😀")).toBe(4);
    expect(S.length("e\u0301")).toBe(2);
    expect(S.length("")).toBe(0);
    expect(S.slice("façade", 2, 4)).toBe("ça");
    expect(S.slice("abc", -5, 99)).toBe("abc");
    expect(S.slice("abc", 2, 1)).toBe("");
    expect(S.slice("😀ok", 0, 1) + S.slice("😀ok", 1, 2)).toBe("😀o");
    expect(S.slice("a😀b😀c", 1, 4)).toBe("😀b😀");
    expect(S.slice("a😀b", 3, 3)).toBe("");
  });

  it("tests substrings (empty needle always matches)", () => {
    expect(S.contains("mesh", "es")).toBe(true);
    expect(S.contains("mesh", "")).toBe(true);
    expect(S.starts_with("/api/x", "/api")).toBe(true);
    expect(S.starts_with("", "")).toBe(true);
    expect(S.ends_with("a.json", ".json")).toBe(true);
    expect(S.contains("é", "e")).toBe(false);
  });

  it("trims White_Space but not U+FEFF", () => {
    expect(S.trim("\t x y \n")).toBe("x y");
    expect(S.trim("\u00a0\u2003x\u3000\u0085")).toBe("x");
    expect(S.trim("\ufeffx\ufeff")).toBe("\ufeffx\ufeff");
    expect(S.trim(" \u000b\u000c ")).toBe("");
  });

  it("maps case fully and locale-independently", () => {
    expect(S.to_upper("straße")).toBe("STRASSE");
    expect(S.to_lower("ÀB")).toBe("àb");
    expect(S.to_lower("ΟΔΟΣ")).toBe("οδος");
    expect(S.to_upper("naïve café")).toBe("NAÏVE CAFÉ");
  });

  it("replaces every non-overlapping occurrence", () => {
    expect(S.replace("aaa", "aa", "b")).toBe("ba");
    expect(S.replace("ab", "", "-")).toBe("-a-b-");
    expect(S.replace("ab", "", ".")).toBe(".a.b.");
    expect(S.replace("", "", "-")).toBe("-");
    expect(S.replace("a😀b", "", "|")).toBe("|a|😀|b|");
    expect(S.replace("a-b-c-d", "-", "+")).toBe("a+b+c+d");
    expect(S.replace("$&x", "x", "$&")).toBe("$&$&");
  });

  it("splits keeping empty pieces; empty separator splits code points", () => {
    expect(text(S.split("a,,b", ","))).toBe("[a, , b]");
    expect(S.split("ab", "").toArray()).toEqual(["", "a", "b", ""]);
    expect(S.split("", ",").toArray()).toEqual([""]);
    expect(S.split("", "").toArray()).toEqual(["", ""]);
    expect(S.split("😀x", "").toArray()).toEqual(["", "😀", "x", ""]);
    expect(S.split(",", ",").toArray()).toEqual(["", ""]);
  });

  it("joins", () => {
    expect(S.join(L("x", "y"), "-")).toBe("x-y");
    expect(S.join(L(), ", ")).toBe("");
    expect(S.join(L("a"), ", ")).toBe("a");
  });

  it("parses Ints exactly (A3)", () => {
    const r = (s: string) => text(S.to_int(s));
    expect(r(" -12 ")).toBe("Some(-12)");
    expect(r(" 42 ")).toBe("Some(42)");
    expect(r("+7")).toBe("Some(7)");
    expect(r("-007")).toBe("Some(-7)");
    expect(S.to_int("-0")).toEqual(new Some(0));
    expect(Object.is((S.to_int("-0") as Some<number>)._0, 0)).toBe(true);
    for (const bad of ["", " ", "4.0", "1_000", "0x1f", "9223372036854775808", "9007199254740992", "+", "-", "1 2", "١٢"]) expect(S.to_int(bad), bad).toBe(None);
    expect(r("9007199254740991")).toBe("Some(9007199254740991)");
    expect(r("-9007199254740991")).toBe("Some(-9007199254740991)");
    expect(r("000000000000000000000001")).toBe("Some(1)");
  });

  it("parses Floats (A3)", () => {
    const r = (s: string) => text(S.to_float(s));
    expect(r("2.50")).toBe("Some(2.5)");
    expect(r("1e3")).toBe("Some(1000)");
    expect(r(".5")).toBe("Some(0.5)");
    expect(r("-0")).toBe("Some(-0)");
    expect(r("12.")).toBe("Some(12)");
    expect(r(" 1.5E-7 ")).toBe("Some(0.00000015)");
    expect(r("inf")).toBe("Some(inf)");
    expect(r("-Infinity")).toBe("Some(-inf)");
    expect(r("+INF")).toBe("Some(inf)");
    expect(r("NaN")).toBe("Some(NaN)");
    for (const bad of ["", ".", "1e", "0x10", "1,5", "abc", "e5", "1e+", "--1", "infinite"]) expect(S.to_float(bad), bad).toBe(None);
  });

  it("converts with Display and collects", () => {
    expect(S.from(42) + S.from(true) + S.from(1.5)).toBe("42true1.5");
    expect(S.from(3.0)).toBe("3");
    expect(S.collect(lib.Iter.from(L("a", "b")))).toBe("ab");
  });

  it("agrees with a code-point model on random Unicode (property)", () => {
    const str = fc.string({ unit: "grapheme", maxLength: 20 });
    fc.assert(
      fc.property(str, fc.integer({ min: -3, max: 25 }), fc.integer({ min: -3, max: 25 }), (s, a, b) => {
        const m = cps(s);
        expect(S.length(s)).toBe(m.length);
        const lo = Math.min(Math.max(a, 0), m.length);
        const hi = Math.min(Math.max(b, 0), m.length);
        expect(S.slice(s, a, b)).toBe(hi <= lo ? "" : m.slice(lo, hi).join(""));
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.array(str, { maxLength: 6 }), fc.string({ unit: "grapheme", minLength: 1, maxLength: 2 }), (parts, sep) => {
        fc.pre(parts.every((p) => !p.includes(sep)));
        const joined = S.join(List.fromArray(parts), sep);
        const back = S.split(joined, sep).toArray();
        expect(back).toEqual(parts.length === 0 ? [""] : parts);
        expect(S.length(joined)).toBe(parts.reduce((n, p) => n + cps(p).length, 0) + Math.max(0, parts.length - 1) * cps(sep).length);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(str, (s) => {
        expect(S.split(s, "").toArray()).toEqual(["", ...cps(s), ""]);
        expect(S.replace(s, "", "|")).toBe("|" + cps(s).map((c) => c + "|").join(""));
      }),
      { numRuns: 300 },
    );
  });
});
