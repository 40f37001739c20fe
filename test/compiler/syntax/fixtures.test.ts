// Every program of language.md Appendix A (T01–T30) and concurrency.md §10 (A01–A15), copied
// under fixtures/, parses with zero diagnostics into a well-formed AST.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { FnDef } from "../../../compiler/ast/syntax.js";
import { printItem } from "./ast-print.js";
import { checkWellFormed, parse } from "./helpers.js";

const dir = fileURLToPath(new URL("./fixtures/", import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith(".mpl")).sort();

describe("spec appendix programs", () => {
  it("has all of T01–T30 and A01–A15", () => {
    const ids = new Set(files.map((f) => f.slice(0, 3)));
    for (let i = 1; i <= 30; i++) expect(ids.has(`T${String(i).padStart(2, "0")}`)).toBe(true);
    for (let i = 1; i <= 15; i++) expect(ids.has(`A${String(i).padStart(2, "0")}`)).toBe(true);
  });

  it.each(files)("%s parses with zero diagnostics", (f) => {
    const text = readFileSync(dir + f, "utf8");
    const r = parse(text, f);
    expect(r.diagnostics.map((d) => `${d.code} ${d.span.start}: ${d.message}`)).toEqual([]);
    expect(r.module.items.length).toBeGreaterThan(0);
    checkWellFormed(r.module, f, text.length);
  });

  it("T01 keeps the module doc and interpolations", () => {
    const r = parse(readFileSync(dir + "T01.mpl", "utf8"));
    expect(r.module.doc).toBe("Printing and comments");
    expect(printItem(r.module.items[0]!)).toContain('(call println (str "sum=" (+ n 3) " ok=" (> n 5) " nested=" (str "[" (* n 2) "]")))');
  });

  it("T28 joins lines per §1.11", () => {
    const r = parse(readFileSync(dir + "T28.mpl", "utf8"));
    const main = r.module.items.find((i): i is FnDef => i.kind === "FnDef" && i.name === "main")!;
    expect(printItem(main)).toBe(
      "(fn main () {(let b (struct Box w: 3 h: 4)); (let total (+ (|> b area) 1)); (let label (<> (str \"total\") (str \": \"))); " +
        '(call println (<> label (str total))); (let xs (call (. List map) [1 2] (fn (v) {(let w (* v 10)); (+ w 1)}))); (call println (str xs))})',
    );
  });

  it("A06 parses the terminate clause of an actor", () => {
    const r = parse(readFileSync(dir + "A06.mpl", "utf8"));
    const partner = r.module.items.find((i) => i.kind === "ActorDef" && i.name === "partner");
    expect(partner).toMatchObject({ terminate: { stmts: [{ kind: "Call" }] } });
  });
});
