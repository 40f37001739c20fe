// The checker never throws and never reports E9999 on any AST the parser produces, including
// partial trees after syntax errors: every fixture is truncated and mutated deterministically.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { check } from "./project.js";

const HERE = path.dirname(new URL(import.meta.url).pathname);
const SOURCES = [path.join(HERE, "fixtures"), path.resolve(HERE, "../../golden/conc"), path.resolve(HERE, "../../golden/errors")];

function programs(): string[] {
  const out: string[] = [];
  for (const dir of SOURCES) {
    for (const f of fs.readdirSync(dir).sort()) if (f.endsWith(".mpl")) out.push(fs.readFileSync(path.join(dir, f), "utf8"));
  }
  return out;
}

// deterministic pseudo-random numbers
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe("robustness", () => {
  it("truncated and mutated programs never crash the checker", () => {
    const rand = rng(42);
    const srcs = programs();
    let runs = 0;
    for (const src of srcs) {
      const variants: string[] = [];
      for (let i = 1; i <= 3; i++) variants.push(src.slice(0, Math.floor((src.length * i) / 7)));
      for (let i = 0; i < 5; i++) {
        const a = Math.floor(rand() * src.length);
        const b = Math.min(src.length, a + 1 + Math.floor(rand() * 12));
        variants.push(src.slice(0, a) + src.slice(b));
      }
      for (let i = 0; i < 5; i++) {
        const a = Math.floor(rand() * src.length);
        const junk = ["end", "do", "(", ")", "fn", "|", "->", "let", "case", "{", "}", "::", "?", "x."][Math.floor(rand() * 14)]!;
        variants.push(src.slice(0, a) + " " + junk + " " + src.slice(a));
      }
      for (const v of variants) {
        const c = check(v);
        runs++;
        expect(c.lines.filter((x) => x.startsWith("E9999")), v).toEqual([]);
      }
    }
    expect(runs).toBeGreaterThan(100);
  });
});
