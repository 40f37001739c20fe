// Readability snapshots: test/golden/codegen/<name>.mpl next to the JavaScript the generator
// emits for it (<name>.js). A change in generated code shows up as a diff here; run with
// UPDATE_GOLDEN=1 to rewrite the .js files after reviewing the change.
import { describe, expect, test } from "vitest";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseModule } from "../../../compiler/syntax/parse.js";
import { buildProgram } from "../../../compiler/analyse/project.js";
import { checkProgram } from "../../../compiler/check/check.js";
import { generateModule } from "../../../compiler/codegen/generate.js";
import type { Diagnostic } from "../../../compiler/diag/diagnostic.js";

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
  for (const f of existsSync(DIR) ? readdirSync(DIR).filter((x) => x.endsWith(".mpl")) : []) {
    test(f, () => {
      const js = generate(readFileSync(join(DIR, f), "utf8"));
      const out = join(DIR, f.replace(/\.mpl$/, ".js"));
      if (process.env.UPDATE_GOLDEN || !existsSync(out)) writeFileSync(out, js);
      expect(js).toBe(readFileSync(out, "utf8"));
    });
  }
});
