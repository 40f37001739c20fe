// Robustness: the front end never throws and always returns a well-formed AST, whatever the
// input. 3,000 seeded random mutations of the spec fixtures (token deletions, duplications,
// swaps, truncations, random bytes), plus a few hand-picked nasty inputs.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseModule } from "../../../compiler/syntax/parse.js";
import { meshLexer } from "../../../compiler/syntax/tokens.js";
import { checkWellFormed } from "./helpers.js";

const dir = fileURLToPath(new URL("./fixtures/", import.meta.url));
const sources = readdirSync(dir).filter((f) => f.endsWith(".mpl")).sort().map((f) => readFileSync(dir + f, "utf8"));

// Small deterministic PRNG (mulberry32) so failures reproduce.
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = ' \n\t(){}[]%$#"=:;.,|<>-+*/!?&@\\abcXYZ019_fnenddo\u00e9\u{1F600}\r\uFEFF\u0000';

function mutate(text: string, random: () => number): string {
  const toks = meshLexer.tokenize(text).tokens;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const n = 1 + Math.floor(random() * 4);
  let out = text;
  for (let k = 0; k < n; k++) {
    const kind = Math.floor(random() * 6);
    const t = toks.length > 0 ? pick(toks) : undefined;
    const start = t?.startOffset ?? 0;
    const end = t ? t.startOffset + t.image.length : 0;
    switch (kind) {
      case 0: // delete a token
        out = out.slice(0, start) + out.slice(end);
        break;
      case 1: // duplicate a token
        out = out.slice(0, end) + " " + out.slice(start, end) + out.slice(end);
        break;
      case 2: {
        // swap two tokens
        const u = pick(toks);
        if (t && u && u.startOffset > end) {
          const uEnd = u.startOffset + u.image.length;
          out = out.slice(0, start) + out.slice(u.startOffset, uEnd) + out.slice(end, u.startOffset) + out.slice(start, end) + out.slice(uEnd);
        }
        break;
      }
      case 3: // truncate
        out = out.slice(0, Math.floor(random() * out.length));
        break;
      case 4: {
        // insert random characters
        const at = Math.floor(random() * (out.length + 1));
        let junk = "";
        for (let i = 0, m = 1 + Math.floor(random() * 4); i < m; i++) junk += pick([...ALPHABET]);
        out = out.slice(0, at) + junk + out.slice(at);
        break;
      }
      default: {
        // random bytes replacing a span
        const at = Math.floor(random() * out.length);
        let junk = "";
        for (let i = 0, m = 1 + Math.floor(random() * 8); i < m; i++) junk += String.fromCharCode(Math.floor(random() * 0x3000));
        out = out.slice(0, at) + junk + out.slice(at + junk.length);
      }
    }
  }
  return out;
}

function checkInput(text: string): void {
  let r: ReturnType<typeof parseModule> | undefined;
  expect(() => (r = parseModule("m.mpl", text, "M"))).not.toThrow();
  const internal = r!.diagnostics.filter((d) => d.message.startsWith("internal"));
  if (internal.length > 0) throw new Error(`${internal[0]!.message}\n--- input ---\n${text}`);
  for (const d of r!.diagnostics) {
    expect(d.span.start >= 0 && d.span.start <= d.span.end && d.span.end <= text.length).toBe(true);
  }
  checkWellFormed(r!.module, "m.mpl", text.length);
}

describe("robustness", () => {
  it("survives 3,000 random mutations of the fixtures", () => {
    const random = rng(20240611);
    for (let i = 0; i < 3000; i++) {
      const src = sources[i % sources.length]!;
      checkInput(mutate(src, random));
    }
  });

  it.each([
    ["empty", ""],
    ["only a BOM", "\uFEFF"],
    ["unbalanced closers", ") ] } end end"],
    ["unbalanced openers", "( [ { %{ ${ do fn if case"],
    ["deep nesting", "(".repeat(300) + ")".repeat(300)],
    ["deep blocks", "fn f() do\n" + "if x do\n".repeat(200) + "end\n".repeat(201)],
    ["nested interpolation", '"${"${"${"${x}"}"}"}"'],
    ["unterminated interpolation", '"abc ${ x'],
    ["lone backslash", '"abc\\'],
    ["random binary", String.fromCharCode(...Array.from({ length: 400 }, (_, i) => (i * 7919) % 65536))],
    ["keywords soup", "fn def do end else if case match when for in while break continue return let pub import struct type interface impl where self module actor service supervisor call cast receive after send spawn link terminate"],
    ["operators soup", "|> || | && <= <> < >= > -> - :: : .. . == => = != ! ++ + * / %{ % ? ( ) [ ] { } , ;"],
  ])("handles %s", (_, text) => {
    checkInput(text);
  });
});
