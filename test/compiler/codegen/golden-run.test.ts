// Runs the language golden programs (test/golden/run, language.md Appendix A) through the code
// generator and compares stdout (and the exit status where a .json gives one).
import { describe, expect, test } from "vitest";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { run } from "./harness.js";

const GOLDEN = resolve(import.meta.dirname ?? ".", "../../golden");

function sourcesOf(DIR: string, entry: string): Record<string, string> {
  const p = join(DIR, entry);
  if (statSync(p).isDirectory()) {
    const out: Record<string, string> = {};
    const walk = (rel: string) => {
      for (const f of readdirSync(join(p, rel))) {
        const r = rel ? `${rel}/${f}` : f;
        if (statSync(join(p, r)).isDirectory()) walk(r);
        else if (f.endsWith(".mpl")) out[r] = readFileSync(join(p, r), "utf8");
      }
    };
    walk("");
    return out;
  }
  return { "main.mpl": readFileSync(p, "utf8") };
}

// A `<name>.json` sidecar may give the exit `status`, and `"checkedOnly": true` for a program the
// unannotated mode cannot run by design (an operator whose impl really suspends: without the
// checker's operator resolution the runtime dispatches it synchronously and panics).
for (const [suite, check] of [["run", true], ["conc", true], ["run", false], ["conc", false]] as const) {
  const DIR = join(GOLDEN, suite);
  const entries = readdirSync(DIR).filter((f) => f.endsWith(".mpl") || statSync(join(DIR, f)).isDirectory());
  describe(`${suite} golden programs${check ? "" : " (no checker annotations: dynamic fallbacks)"}`, () => {
  for (const e of entries) {
    const base = e.replace(/\.mpl$/, "");
    const metaFile = join(DIR, base + ".json");
    const checkedOnly = existsSync(metaFile) && (JSON.parse(readFileSync(metaFile, "utf8")) as { checkedOnly?: boolean }).checkedOnly === true;
    if (checkedOnly && !check) continue;
    test(base, () => {
      const expected = readFileSync(join(DIR, base + ".out"), "utf8");
      const r = run(sourcesOf(DIR, e), { check });
      expect(r.stdout).toBe(expected);
      const meta = join(DIR, base + ".json");
      if (existsSync(meta)) {
        const m = JSON.parse(readFileSync(meta, "utf8")) as { status?: number; exit?: number; stderrStartsWith?: string };
        const status = m.status ?? m.exit;
        if (status !== undefined) expect(r.status).toBe(status);
      } else expect(r.status).toBe(0);
    });
  }
  });
}
