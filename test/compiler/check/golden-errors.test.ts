// The shared golden error programs (test/golden/errors/<CODE>-<name>.mpl or folders) must make
// the checker report their code. Parser- and loader-level codes are skipped.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { check, readProject } from "./project.js";

const DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../../golden/errors");
const SKIP = new Set(["P0001", "E0044", "E0048"]);
const SKIP_FILES = new Set<string>();

describe("golden error programs", () => {
  const entries = fs.readdirSync(DIR).filter((f) => f.endsWith(".mpl") || fs.statSync(path.join(DIR, f)).isDirectory()).sort();
  for (const f of entries) {
    const code = /(E\d{4}|W\d{4}|P\d{4})/.exec(f)?.[1];
    if (!code || SKIP.has(code) || SKIP_FILES.has(f)) continue;
    it(f, () => {
      const p = path.join(DIR, f);
      const files = fs.statSync(p).isDirectory() ? readProject(p) : { "main.mpl": fs.readFileSync(p, "utf8") };
      const c = check(files);
      expect(c.codes).toContain(code);
      expect(c.codes).not.toContain("E9999");
    });
  }
});
