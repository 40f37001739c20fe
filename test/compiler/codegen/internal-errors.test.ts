// Codegen never guesses a library name the checker did not resolve: such a name is an internal
// error (CodegenInternalError), which the compile pipeline reports as a clean E9999 diagnostic
// instead of emitting `$lib.prelude.<name>`.
import { describe, expect, it } from "vitest";
import { compile } from "./harness.js";
import { CodegenInternalError } from "../../../compiler/codegen/state.js";
import { compileSources } from "../../../compiler/compile.js";
import * as checkModule from "../../../compiler/check/check.js";

describe("unresolved names in codegen", () => {
  it("a name no one declares is an internal error, not a guessed prelude function", () => {
    // without checker annotations (the dynamic-fallback mode) the generator resolves names from
    // the declarations it sees; `nosuch` is neither declared nor a library function
    expect(() => compile({ "main.mpl": "fn main() do\n  nosuch(1)\nend\n" }, { check: false })).toThrow(CodegenInternalError);
    expect(() => compile({ "main.mpl": "fn main() do\n  let f = nosuch\n  f(1)\nend\n" }, { check: false })).toThrow(/no library function `nosuch`/);
  });

  it("declared library functions and their `$g` forms still resolve without annotations", () => {
    const c = compile({ "main.mpl": "fn main() do\n  println(\"${List.length([1])}\")\nend\n" }, { check: false });
    expect([...c.files.values()].join("\n")).toContain("$lib.List.length");
  });

  it("the pipeline turns it into E9999 (fault injected: a checker annotation naming no library function)", async () => {
    const { vi } = await import("vitest");
    // the real checker only resolves names that exist, so corrupt one of its annotations
    const real = checkModule.checkProgram;
    const spy = vi.spyOn(checkModule, "checkProgram").mockImplementation((p) => {
      const r = real(p);
      for (const [node, ref] of r.annotations.refs) if (ref.kind === "builtin" && ref.name === "println") r.annotations.refs.set(node, { kind: "builtin", module: null, name: "printline" });
      return r;
    });
    try {
      const src = "fn main() do\n  println(\"hi\")\nend\n";
      const r = compileSources([{ file: "main.mpl", name: "Main", text: src }], { runtimeImport: "rt", generate: true, requireMain: true });
      expect(spy).toHaveBeenCalled();
      expect(r.outputs).toEqual([]);
      expect(r.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([
        "E9999 internal error while generating main.mpl: no library function `printline`: the name was not resolved by the type checker",
      ]);
    } finally {
      spy.mockRestore();
    }
  });
});
