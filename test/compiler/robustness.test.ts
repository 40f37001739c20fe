// Robustness of the whole compiler (parse -> check -> generate): thousands of mutations of the
// golden programs (delete / duplicate / swap tokens, truncate, random bytes) must always end in
// diagnostics or success, never an exception or an internal error (E9999).
import { describe, it, expect } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import { compileSources } from "../../compiler/compile.js";

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
import type { SourceFile } from "../../compiler/analyse/project.js";
import { chainCases, listCases, program, tupleCases } from "./long-flat-programs.js";

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");

function collect(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...collect(p));
    else if (e.name.endsWith(".mpl")) out.push(fs.readFileSync(p, "utf8"));
  }
  return out;
}

// Deterministic PRNG so failures reproduce.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOKEN = /\s+|[A-Za-z_][A-Za-z0-9_]*|\d+(\.\d+)?|"[^"\n]*"|::|->|=>|\|>|<>|\+\+|==|!=|<=|>=|\.\.|%\{|\$\{|./g;

function mutate(src: string, r: () => number): string {
  const toks = src.match(TOKEN) ?? [src];
  const pick = () => Math.floor(r() * toks.length);
  switch (Math.floor(r() * 6)) {
    case 0: // delete a token
      toks.splice(pick(), 1);
      return toks.join("");
    case 1: { // duplicate a token
      const i = pick();
      toks.splice(i, 0, toks[i]!);
      return toks.join("");
    }
    case 2: { // swap two tokens
      const i = pick(), j = pick();
      [toks[i], toks[j]] = [toks[j]!, toks[i]!];
      return toks.join("");
    }
    case 3: // truncate
      return src.slice(0, Math.floor(r() * src.length));
    case 4: { // random bytes
      const i = Math.floor(r() * src.length);
      let junk = "";
      for (let k = 0; k < 1 + Math.floor(r() * 6); k++) junk += String.fromCharCode(Math.floor(r() * 0x2fff));
      return src.slice(0, i) + junk + src.slice(i);
    }
    default: { // replace a token by another token from the same program
      toks[pick()] = toks[pick()]!;
      return toks.join("");
    }
  }
}

describe("compiler robustness", () => {
  const programs = [...collect(path.join(ROOT, "test/golden/run")), ...collect(path.join(ROOT, "test/golden/conc")), ...collect(path.join(ROOT, "test/golden/stdlib"))];

  it("has programs to mutate", () => {
    expect(programs.length).toBeGreaterThan(40);
  });

  // Long synchronous loops yield to the event loop now and then: a vitest worker that does not
  // answer its runner for 60 s fails the whole run ("Timeout calling onTaskUpdate").
  it("survives 2,400 mutated programs with diagnostics or success", async () => {
    const r = rng(20261126);
    let withErrors = 0;
    let clean = 0;
    for (let n = 0; n < 2400; n++) {
      if (n % 50 === 0) await yieldToLoop();
      const base = programs[n % programs.length]!;
      let text = mutate(base, r);
      if (r() < 0.3) text = mutate(text, r);
      const files: SourceFile[] = [{ file: "main.mpl", name: "Main", text }];
      let result;
      try {
        result = compileSources(files, { runtimeImport: "meshc-runtime", generate: true, requireMain: true });
      } catch (e) {
        throw new Error(`mutation ${n} crashed the compiler: ${e instanceof Error ? e.stack : String(e)}\n--- program:\n${text}`);
      }
      const internal = result.diagnostics.find((d) => d.code === "E9999" || /internal error/i.test(d.message));
      if (internal) throw new Error(`mutation ${n}: internal error ${internal.message}\n--- program:\n${text}`);
      if (result.diagnostics.some((d) => d.severity === "error")) withErrors++;
      else clean++;
    }
    console.log(`robustness: ${withErrors} with errors, ${clean} compiled cleanly`);
    expect(withErrors + clean).toBe(2400);
    expect(withErrors).toBeGreaterThan(500);
  }, 600_000);

  // Long flat programs (1,500-term chains: the size that used to overflow the stack, long
  // literals, many arms and statements) mutated: a deleted operand or swapped token in the middle
  // of a long chain must give diagnostics, never a stack overflow in a later pass.
  it("survives mutated long flat programs", async () => {
    const flat = [...chainCases(1500), ...listCases(1500, 300), ...tupleCases(200)].map((c) => program([c]).src);
    const compile = (text: string) => compileSources([{ file: "main.mpl", name: "Main", text }], { runtimeImport: "meshc-runtime", generate: true, requireMain: true });
    for (const src of flat) expect(compile(src).diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const r = rng(20261207);
    let withErrors = 0;
    const total = flat.length * 8;
    for (let n = 0; n < total; n++) {
      if (n % 10 === 0) await yieldToLoop();
      let text = mutate(flat[n % flat.length]!, r);
      if (r() < 0.3) text = mutate(text, r);
      let result;
      try {
        result = compile(text);
      } catch (e) {
        throw new Error(`long-flat mutation ${n} crashed the compiler: ${e instanceof Error ? e.stack : String(e)}`);
      }
      const internal = result.diagnostics.find((d) => d.code === "E9999" || /internal error|too deeply/i.test(d.message));
      if (internal) throw new Error(`long-flat mutation ${n}: ${internal.message}\n--- program:\n${text.slice(0, 2000)}`);
      if (result.diagnostics.some((d) => d.severity === "error")) withErrors++;
    }
    expect(withErrors).toBeGreaterThan(total / 4);
  }, 600_000);
});
