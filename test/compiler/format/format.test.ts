// The formatter (tooling.md §1): golden pairs test/golden/fmt/<name>.mpl -> <name>.fmt.mpl (the
// eight §1.6 examples and one or more per rule), idempotence and the safety check over every .mpl
// file of the repository (found at test time), and comment preservation as a property.
import { describe, it, expect } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { formatSource } from "../../../compiler/format/format.js";
import { meshLexer } from "../../../compiler/syntax/tokens.js";
import { lex } from "../../../compiler/syntax/lex.js";

const ROOT = path.resolve(__dirname, "../../..");
const GOLDEN = path.join(ROOT, "test/golden/fmt");

function mplFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith(".") || e.name === "node_modules" || e.name === "dist" || e.name === "_build") continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) mplFiles(p, out);
    else if (e.name.endsWith(".mpl")) out.push(p);
  }
  return out;
}

const fmt = (s: string) => {
  const r = formatSource(s);
  if (r.kind !== "ok") throw new Error(`${r.kind}: ${JSON.stringify(r).slice(0, 300)}`);
  return r.output;
};

describe("golden pairs (test/golden/fmt)", () => {
  const inputs = fs.readdirSync(GOLDEN).filter((f) => f.endsWith(".mpl") && !f.endsWith(".fmt.mpl")).sort();
  it("has the eight examples of tooling.md §1.6", () => {
    expect(inputs.filter((f) => f.startsWith("spec"))).toHaveLength(8);
  });
  for (const f of inputs) {
    it(f, () => {
      const input = fs.readFileSync(path.join(GOLDEN, f), "utf8");
      const expected = fs.readFileSync(path.join(GOLDEN, f.replace(/\.mpl$/, ".fmt.mpl")), "utf8");
      expect(fmt(input)).toBe(expected);
      expect(fmt(expected)).toBe(expected);
    });
  }
});

describe("layout details", () => {
  it("gives an empty output for blank input and drops a BOM", () => {
    expect(fmt("  \n\t\n")).toBe("");
    expect(fmt("\uFEFFfn f() = 1")).toBe("fn f() = 1\n");
  });
  it("keeps CRLF inside strings and makes every other line end LF", () => {
    expect(fmt('fn f() do\r\n  "a\r\nb"\r\nend\r\n')).toBe('fn f() do\n  "a\r\nb"\nend\n');
  });
  it("never rewrites a file with syntax errors", () => {
    const r = formatSource("fn main( do\n");
    expect(r.kind).toBe("syntax");
    if (r.kind === "syntax") expect(r.diagnostics.every((d) => d.code === "P0001")).toBe(true);
  });
  it("formats code a later pass rejects (top-level expressions, inline modules)", () => {
    expect(fmt("println( 1 )\nmodule A.B do\nfn f()=1\nend")).toBe("println(1)\n\nmodule A.B do\n  fn f() = 1\nend\n");
  });
  it("honours the line width and indent size", () => {
    const src = "fn f() do\nfoo(aaaa, bbbb, cccc)\nend\n";
    const r = formatSource(src, { lineWidth: 20, indentSize: 4 });
    expect(r.kind === "ok" && r.output).toBe("fn f() do\n    foo(\n        aaaa,\n        bbbb,\n        cccc\n    )\nend\n");
  });
  it("counts width in code points", () => {
    const call = `f("${"é".repeat(90)}")`;
    expect(fmt(`fn g() do\n${call}\nend`)).toBe(`fn g() do\n  ${call}\nend\n`);
  });
});

describe("every .mpl file of the repository", () => {
  const files = mplFiles(ROOT);
  it("finds the goldens, examples and programs", () => {
    expect(files.length).toBeGreaterThan(100);
  });
  it("formats each parsing file (safety check passed) idempotently", () => {
    const failures: string[] = [];
    let formatted = 0;
    for (const f of files) {
      const src = fs.readFileSync(f, "utf8");
      const r = formatSource(src);
      if (r.kind === "syntax") continue; // error goldens
      if (r.kind === "internal") {
        failures.push(`${path.relative(ROOT, f)}: ${r.message} at ${r.offset}`);
        continue;
      }
      formatted++;
      const again = formatSource(r.output);
      if (again.kind !== "ok" || again.output !== r.output) failures.push(`${path.relative(ROOT, f)}: not idempotent`);
    }
    expect(failures).toEqual([]);
    expect(formatted).toBeGreaterThan(100);
  }, 600_000);
});

// Code newline offsets of a formatted program (never inside strings or comments).
function newlineOffsets(src: string): number[] {
  return meshLexer.tokenize(src).tokens.filter((t) => t.tokenType.name === "Newline").map((t) => t.startOffset);
}

describe("comment preservation (property)", () => {
  const bases = fs
    .readdirSync(GOLDEN)
    .filter((f) => f.endsWith(".fmt.mpl"))
    .map((f) => fs.readFileSync(path.join(GOLDEN, f), "utf8"))
    .filter((s) => s.length > 0);
  it("keeps every inserted comment, in order, idempotently", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...bases),
        fc.array(fc.tuple(fc.nat(), fc.boolean(), fc.constantFrom("# note", "## doc", "#= block =#", "# x = 1 |> y")), { minLength: 1, maxLength: 6 }),
        (base, inserts) => {
          const nls = newlineOffsets(base);
          // insert from the end so earlier offsets stay valid
          const at = inserts.map(([n, own, text], i) => ({ off: nls[n % nls.length]!, own, text: text.startsWith("#=") ? `#= block ${i} =#` : `${text} ${i}` })).sort((a, b) => b.off - a.off);
          let src = base;
          for (const { off, own, text } of at) src = own ? src.slice(0, off + 1) + text + "\n" + src.slice(off + 1) : src.slice(0, off) + " " + text + src.slice(off);
          const before = lex("x", src).comments.map((c) => c.image.trimEnd());
          const r = formatSource(src);
          expect(r.kind).toBe("ok");
          if (r.kind !== "ok") return;
          expect(lex("x", r.output).comments.map((c) => c.image.trimEnd())).toEqual(before);
          expect(fmt(r.output)).toBe(r.output);
        },
      ),
      { numRuns: 150, seed: 11 },
    );
  });
});
