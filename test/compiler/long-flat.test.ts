// No compiler pass recurses on the length of a flat construct (issue 11 item 5): generated
// programs with 100,000-term operator chains, 100,000-element list and map literals, 10,000-arm
// `case`, 10,000-statement bodies, long argument/tuple lists, interpolations and patterns are
// checked, built and run by the real CLI and must print exactly their expected output; genuinely
// deep nesting keeps its clean P0001 error.
import { afterAll, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { meshc } from "../support/golden.js";
import { compileSources } from "../../compiler/compile.js";
import { chainCases, listCases, nested, program, tupleCases } from "./long-flat-programs.js";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "mesh-long-flat-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function project(name: string, src: string): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "main.mpl"), src);
  return dir;
}

async function runs(name: string, p: { src: string; out: string }, check: boolean): Promise<void> {
  const dir = project(name, p.src);
  if (check) {
    const c = await meshc(["check", dir], { timeout: 240_000 });
    expect(c.stderr + c.stdout).not.toMatch(/internal error|RangeError|error\[/);
    expect(c.status).toBe(0);
  }
  const r = await meshc(["run", dir], { timeout: 240_000 });
  expect(r.stderr).toBe("");
  expect(r.stdout).toBe(p.out);
  expect(r.status).toBe(0);
}

describe("long flat programs", () => {
  it("100,000-term chains of <> + - * |> and or, 100,000-element list and map literals, a 10,000-arm case, 10,000 statements, a 10,000-piece interpolation", async () => {
    const big = chainCases(100_000).filter((c) => ["concat", "plus", "minus", "pipe", "and", "or"].includes(c.name));
    await runs("big", program([...big, ...listCases(100_000, 10_000)]), false);
  }, 300_000);

  it("every operator (Float, comparisons, ++), 300 arguments, 2,000-element tuples, tuple patterns and or-patterns: check, build, run", async () => {
    await runs("medium", program([...chainCases(10_000), ...tupleCases(2_000)]), true);
  }, 300_000);

  it("the same shapes at small sizes (a chain of 2 or 3 terms takes the same code paths as a long one)", async () => {
    for (const n of [2, 3]) await runs(`small${n}`, program([...chainCases(n), ...listCases(n, n), ...tupleCases(n)]), false);
  }, 120_000);

  it("the generated JavaScript is never nested deeply: long chains are stored in temporaries", () => {
    const p = program(chainCases(10_000).filter((c) => c.name === "concat" || c.name === "plus"));
    const r = compileSources([{ file: "main.mpl", name: "Main", text: p.src }], { runtimeImport: "meshc-runtime", generate: true, requireMain: true });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const js = r.outputs[0]!.js;
    // no line carries more than one spill interval of the chain
    const longest = Math.max(...js.split("\n").map((l) => (l.match(/ \+ /g) ?? []).length));
    expect(longest).toBeGreaterThan(10);
    expect(longest).toBeLessThan(200);
  });
});

describe("wide patterns", () => {
  it("exhaustiveness over a 10,000-element tuple still finds the missing case and the unreachable arm", () => {
    const n = 10_000;
    const cols = (last: string) => Array.from({ length: n }, (_, i) => (i === n - 1 ? last : "_")).join(", ");
    const src = `fn f(t) do\n  case t do\n    (${cols("true")}) -> 1\n  end\nend\n\nfn g(t) do\n  case t do\n    (${cols("_")}) -> 1\n    (${cols("true")}) -> 2\n  end\nend\n\nfn main() do\n  println("x")\nend\n`;
    const r = compileSources([{ file: "main.mpl", name: "Main", text: src }], { runtimeImport: "meshc-runtime", generate: false, requireMain: true });
    expect(r.diagnostics.map((d) => d.code)).toEqual(["E0012", "W0001"]);
    expect(r.diagnostics[0]!.message).toContain(`${"_, ".repeat(n - 1)}false)`);
  });

  it("a 10,000-head `::` pattern compiles (checker, exhaustiveness, pattern code)", () => {
    const n = 10_000;
    const heads = Array.from({ length: n }, (_, i) => `x${i}`).join(" :: ");
    const src = `fn f(l :: List<Int>) -> Int do\n  case l do\n    ${heads} :: rest -> x0 + x${n - 1}\n    ${heads} :: rest -> 0\n    _ -> 1\n  end\nend\n\nfn main() do\n  println("\${f([1])}")\nend\n`;
    const r = compileSources([{ file: "main.mpl", name: "Main", text: src }], { runtimeImport: "meshc-runtime", generate: true, requireMain: true });
    expect(r.diagnostics.map((d) => d.code)).toEqual(["W0001"]); // the second arm is unreachable
    expect(r.outputs[0]!.js).toContain("$rest");
  });
});

describe("deep nesting", () => {
  for (const kind of ["parens", "lists", "blocks", "closures"] as const) {
    it(`10,000 levels of ${kind} give P0001, not a crash`, () => {
      const r = compileSources([{ file: "main.mpl", name: "Main", text: nested(kind, 10_000) }], { runtimeImport: "meshc-runtime", generate: true, requireMain: true });
      const errors = r.diagnostics.filter((d) => d.severity === "error");
      expect(errors.map((d) => d.code)).toEqual(["P0001"]);
      expect(errors[0]!.message).toMatch(/nested too deeply/);
    });
    it(`100 levels of ${kind} compile`, () => {
      const r = compileSources([{ file: "main.mpl", name: "Main", text: nested(kind, 100) }], { runtimeImport: "meshc-runtime", generate: true, requireMain: true });
      expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    });
  }

  it("10,000 levels through the CLI: P0001 and exit status 1", async () => {
    const dir = project("deep", nested("parens", 10_000));
    const r = await meshc(["check", dir]);
    expect(r.stderr + r.stdout).toMatch(/P0001/);
    expect(r.stderr + r.stdout).not.toMatch(/internal error|RangeError/);
    expect(r.status).toBe(1);
  });
});
