// Parse speed of a 10,000-line file (the whole compiler must check 100,000 lines/s; parsing
// should take well under 100 ms after warm-up). The bound asserted here is deliberately loose
// (the test machine is shared); the measured figure is printed.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseModule } from "../../../compiler/syntax/parse.js";

const dir = fileURLToPath(new URL("./fixtures/", import.meta.url));

describe("performance", () => {
  it("parses 10,000 lines quickly, reusing one lexer and parser", () => {
    const chunks = readdirSync(dir).filter((f) => f.endsWith(".mpl")).sort().map((f) => readFileSync(dir + f, "utf8"));
    let text = "";
    while (text.split("\n").length < 10000) for (const c of chunks) text += c + "\n";
    const lines = text.split("\n").length;
    for (let i = 0; i < 8; i++) expect(parseModule("big.mpl", text, "Main").diagnostics).toEqual([]);
    let best = Infinity;
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      parseModule("big.mpl", text, "Main");
      best = Math.min(best, performance.now() - t0);
    }
    console.log(`parse: ${lines} lines in ${best.toFixed(1)} ms (${Math.round((lines / best) * 1000)} lines/s)`);
    expect(best).toBeLessThan(1000);
  });
});
