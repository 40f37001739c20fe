// One direction of dependencies (architecture.md): the compiler never imports the runtime, the
// runtime never imports the compiler or the tooling, and common/ imports neither.
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

function sources(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) sources(rel, out);
    else if (e.name.endsWith(".ts")) out.push(rel);
  }
  return out;
}

/** Top-level folders a file's relative imports reach. */
function reaches(file: string): string[] {
  const text = fs.readFileSync(path.join(ROOT, file), "utf8");
  const out: string[] = [];
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)) {
    const target = path.relative(ROOT, path.resolve(path.dirname(path.join(ROOT, file)), m[1]!));
    out.push(`${target.split(path.sep)[0]} (${m[1]})`);
  }
  return out;
}

describe("dependency direction", () => {
  for (const [dir, forbidden] of [
    ["compiler", ["runtime", "tooling", "cli"]],
    ["runtime", ["compiler", "tooling", "cli"]],
    ["common", ["compiler", "runtime", "tooling", "cli"]],
  ] as const) {
    it(`${dir}/ imports nothing from ${forbidden.join(", ")}`, () => {
      const bad = sources(dir).flatMap((f) => reaches(f).filter((r) => (forbidden as readonly string[]).includes(r.split(" ")[0]!)).map((r) => `${f} -> ${r}`));
      expect(bad).toEqual([]);
    });
  }
});
