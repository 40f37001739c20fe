// Readability snapshots: test/golden/codegen/<name>.mpl next to the JavaScript the generator
// emits for it (<name>.js). A change in generated code shows up as a diff here; run with
// UPDATE_GOLDEN=1 to rewrite the .js files after reviewing the change. A missing .js is written
// on a local run but fails under CI (test/support/golden.ts compareSnapshot).
import { describe, expect, test } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseModule } from "../../../compiler/syntax/parse.js";
import { buildProgram } from "../../../compiler/analyse/project.js";
import { checkProgram } from "../../../compiler/check/check.js";
import { generateModule } from "../../../compiler/codegen/generate.js";
import type { Diagnostic } from "../../../compiler/diag/diagnostic.js";
import { compareSnapshot } from "../../support/golden.js";

const DIR = resolve(import.meta.dirname ?? ".", "../../golden/codegen");

function generate(src: string): string {
  const diags: Diagnostic[] = [];
  const parsed = parseModule("main.mpl", src, "Main");
  const program = buildProgram([parsed.module], diags);
  const check = checkProgram(program);
  const errors = [...parsed.diagnostics, ...check.diagnostics].filter((d) => d.severity === "error");
  expect(errors.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  const gen = () => generateModule(program.modules[0]!, program, check, { runtimeImport: "meshc/runtime", sourceText: src }).js;
  const js = gen();
  expect(gen()).toBe(js); // deterministic, also when a module is generated twice
  return js;
}

describe("generated code snapshots", () => {
  for (const f of readdirSync(DIR).filter((x) => x.endsWith(".mpl"))) {
    test(f, () => {
      const js = generate(readFileSync(join(DIR, f), "utf8"));
      const diff = compareSnapshot(join(DIR, f.replace(/\.mpl$/, ".js")), js);
      if (diff) throw new Error(`${f}: generated code ${diff}`);
    });
  }
});
