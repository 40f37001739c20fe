// Every library function the type checker knows (compiler/stdlib/signatures.ts, all modules:
// the stdlib, Timer/Process/Job, Node/Global, HTTP/Request/Ws, Pg/Pool/Sqlite) must exist in the
// runtime's `lib` object — the one generated code calls — with the arity the signature gives,
// as a generator function where the call suspends, and with its `$g` variant where the compiler
// may call one (compiler/stdlib/facts.ts). A checker that accepts a call the runtime cannot
// serve would only fail when a program runs.
import { describe, expect, it } from "vitest";
import { LIB, MODULE_ALIASES, type LibSig } from "../../compiler/stdlib/signatures.js";
import { parseSig } from "../../compiler/stdlib/parse-sig.js";
import { libFacts } from "../../compiler/stdlib/facts.js";
import { existsSync, readdirSync } from "node:fs";
import { lib } from "../../runtime/index.js";

// Layers that join `lib` only when a program uses them (runtime/lib/<layer>.ts: web, db, orm,
// dist): load every one, so the whole library is checked.
const LAYERS = new URL("../../runtime/lib/", import.meta.url);
if (existsSync(LAYERS)) {
  for (const f of readdirSync(LAYERS).filter((x) => x.endsWith(".ts")).sort()) await import(new URL(f, LAYERS).href);
}

const GenFnProto = Object.getPrototypeOf(function* () {});
const isGen = (f: unknown): boolean => typeof f === "function" && Object.getPrototypeOf(f) === GenFnProto;
const key = (e: LibSig) => `${e.module ?? "prelude"}.${e.name}`;

function implOf(e: LibSig, suffix = ""): unknown {
  return lib[e.module ?? "prelude"]?.[e.name + suffix];
}

/** What the runtime function is called with: the written arguments plus a hidden one (signatures.ts `hidden`). */
function arityOf(e: LibSig): { n: number; variadic: boolean } {
  const s = parseSig(e.type);
  return { n: s.params.length + (e.hidden ? 1 : 0), variadic: s.variadic };
}

/** Problems of one entry; empty when the runtime serves it. */
function problems(e: LibSig): string[] {
  const out: string[] = [];
  const impl = implOf(e);
  const s = parseSig(e.type);
  if (s.constant) {
    if (impl === undefined || typeof impl === "function") out.push(`${key(e)}: missing constant`);
    return out;
  }
  if (typeof impl !== "function") return [`${key(e)}: missing in runtime lib`];
  const { n, variadic } = arityOf(e);
  // Function.length counts parameters before the first default/rest one: a variadic function
  // takes its fixed parameters, the rest as `...args`
  if (variadic ? impl.length > n : impl.length !== n) out.push(`${key(e)}: arity ${impl.length}, signature ${n}${variadic ? " + ..." : ""}`);
  const f = libFacts(e.module, e.name)!;
  if (f.suspends && !isGen(impl)) out.push(`${key(e)}: suspends but is not a generator function`);
  if (!f.suspends && isGen(impl)) out.push(`${key(e)}: a generator function but the signature does not say it suspends`);
  if (f.genVariant) {
    const g = implOf(e, "$g");
    if (!isGen(g)) out.push(`${key(e)}$g: missing generator variant (the compiler calls it when a callback may suspend or the call pulls an iterator)`);
    else if ((g as Function).length !== n) out.push(`${key(e)}$g: arity ${(g as Function).length}, signature ${n}`);
  }
  return out;
}

describe("runtime lib parity with the checker's signatures", () => {
  for (const module of [...new Set(LIB.map((e) => e.module ?? "prelude"))]) {
    it(`${module}: every function exists with the signature's arity`, () => {
      const bad = LIB.filter((e) => (e.module ?? "prelude") === module).flatMap(problems);
      expect(bad).toEqual([]);
    });
  }

  it("module aliases reach the same runtime object", () => {
    for (const [alias, canonical] of Object.entries(MODULE_ALIASES)) {
      if (lib[canonical] === undefined) continue; // reported by the module's own test
      expect(lib[alias], alias).toBe(lib[canonical]);
    }
  });

  it("the runtime has no library function the checker does not know", () => {
    const known = new Set(LIB.map(key));
    const extra: string[] = [];
    for (const module of new Set(LIB.map((e) => e.module ?? "prelude"))) {
      for (const name of Object.keys(lib[module] ?? {})) {
        if (name.endsWith("$g")) continue;
        if (!known.has(`${module}.${name}`)) extra.push(`${module}.${name}`);
      }
    }
    expect(extra).toEqual([]);
  });
});
