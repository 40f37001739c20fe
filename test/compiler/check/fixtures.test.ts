// Every language.md Appendix A program T01–T29 (and the concurrency conformance programs) must
// type-check with zero errors.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { check, errorsOf, hasParser, readProject } from "./project.js";

const HERE = path.dirname(new URL(import.meta.url).pathname);
const FIX = path.join(HERE, "fixtures");
const CONC = path.resolve(HERE, "../../golden/conc");

describe.skipIf(!hasParser)("Appendix A programs check cleanly", () => {
  for (const f of fs.readdirSync(FIX).sort()) {
    const p = path.join(FIX, f);
    it(f, () => {
      const files = fs.statSync(p).isDirectory() ? readProject(p) : { "main.mpl": fs.readFileSync(p, "utf8") };
      const c = check(files);
      expect(c.parseDiags).toEqual([]);
      expect(errorsOf(c)).toEqual([]);
      expect(c.lines.filter((l) => l.startsWith("W"))).toEqual([]);
    });
  }
});

describe.skipIf(!hasParser || !fs.existsSync(CONC))("concurrency conformance programs check cleanly", () => {
  // A10 in the golden folder omits the declarations it shares with A09 (spec text "same … as A09").
  const files = fs.existsSync(CONC) ? fs.readdirSync(CONC).filter((f) => f.endsWith(".mpl") && !f.startsWith("A10")).sort() : [];
  for (const f of files) {
    it(f, () => {
      const c = check({ "main.mpl": fs.readFileSync(path.join(CONC, f), "utf8") });
      expect(errorsOf(c)).toEqual([]);
    });
  }
});
