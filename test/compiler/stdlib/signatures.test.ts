import { describe, expect, it } from "vitest";
import { findLib, LIB, LIB_BOUNDS, LIB_TYPES, MODULE_ALIASES, STDLIB_MODULES } from "../../../compiler/stdlib/signatures.js";
import { parseSig, showTy, type TyTree } from "../../../compiler/stdlib/parse-sig.js";
import { libFacts } from "../../../compiler/stdlib/facts.js";
import * as runtimeLib from "../../../runtime/stdlib/index.js";

const lib = runtimeLib as unknown as Record<string, Record<string, unknown>>;
const GenFnProto = Object.getPrototypeOf(function* () {});
const isGen = (f: unknown) => typeof f === "function" && Object.getPrototypeOf(f) === GenFnProto;

function implOf(module: string | null, name: string): unknown {
  return module === null ? lib.prelude[name] : lib[module]?.[name];
}

function walk(t: TyTree, f: (t: TyTree) => void): void {
  f(t);
  if (t.k === "name") t.args.forEach((a) => walk(a, f));
  else if (t.k === "tuple") {
    t.elems.forEach((a) => walk(a, f));
    if (t.rest) walk(t.rest, f);
  } else {
    t.params.forEach((a) => walk(a, f));
    walk(t.ret, f);
  }
}

const BUILTIN_TYPES = new Set(["Int", "Float", "Bool", "String", "Atom", "List", "Map", "Set", "Option", "Result", "Ordering", "Pid"]);
const INTERFACES = new Set(["Eq", "Ord", "Hash", "Display", "Debug", "Default", "Add", "Sub", "Mul", "Div", "Mod", "Neg"]);

describe("parseSig", () => {
  it("parses the documented forms", () => {
    const s = parseSig("<T: Ord, K: Hash + Eq>(List<T>, Fun(T, K) -> U?, (A, B), ()) -> T!String");
    expect(s.generics).toEqual([
      { name: "T", bounds: ["Ord"] },
      { name: "K", bounds: ["Hash", "Eq"] },
    ]);
    expect(s.params.map(showTy)).toEqual(["List<T>", "Fun(T, K) -> Option<U>", "(A, B)", "()"]);
    expect(showTy(s.ret)).toBe("Result<T, String>");
    expect(s.variadic || s.constant).toBe(false);
    expect(parseSig("Float")).toEqual({ generics: [], params: [], ret: { k: "name", name: "Float", args: [] }, variadic: false, constant: true });
    expect(parseSig("<F>(String, F, ...) -> Pid").variadic).toBe(true);
    expect(showTy(parseSig("<A>((A, ...)) -> A").params[0])).toBe("(A, ...)");
    expect(parseSig("<T>((...T), Int) -> T").params[0]).toEqual({ k: "tuple", elems: [], rest: { k: "name", name: "T", args: [] } });
    expect(parseSig("((...)) -> Int").params[0]).toEqual({ k: "tuple", elems: [], rest: null });
    expect(showTy(parseSig("() -> Int?!String").ret)).toBe("Result<Option<Int>, String>");
    expect(showTy(parseSig("(Int) -> (Int)").ret)).toBe("Int");
    expect(showTy(parseSig("(Int) -> Fun() -> ()").ret)).toBe("Fun() -> ()");
    expect(parseSig("(Int, Int)").constant).toBe(true);
  });

  it("rejects malformed strings", () => {
    for (const bad of ["(Int -> Int", "<T(T) -> T", "(Int) ->", "(Int) -> Int extra", "List<Int", "(Int) -> $", ""]) expect(() => parseSig(bad), bad).toThrow(SyntaxError);
  });
});

describe("LIB", () => {
  it("every type string parses, names only known types, binds only known bounds", () => {
    const libTypes = new Set(LIB_TYPES.map((t) => t.name));
    for (const e of LIB) {
      const s = parseSig(e.type);
      const gens = new Set(s.generics.map((g) => g.name));
      for (const g of s.generics) for (const b of g.bounds) expect(INTERFACES.has(b) || b in LIB_BOUNDS, `${e.module}.${e.name}: bound ${b}`).toBe(true);
      const visit = (t: TyTree) => {
        if (t.k === "name") {
          const known = BUILTIN_TYPES.has(t.name) || libTypes.has(t.name) || gens.has(t.name);
          expect(known, `${e.module}.${e.name}: type ${t.name}`).toBe(true);
          if (libTypes.has(t.name)) expect(t.args.length).toBe(LIB_TYPES.find((x) => x.name === t.name)!.arity);
        }
      };
      s.params.forEach((p) => walk(p, visit));
      walk(s.ret, visit);
    }
  });

  it("has no duplicates and resolves aliases", () => {
    const keys = LIB.map((e) => `${e.module}.${e.name}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(MODULE_ALIASES.JSON).toBe("Json");
    expect(findLib("JSON", "encode")?.hidden).toBe("json");
    expect(findLib(null, "println")?.type).toBe("(String) -> ()");
    expect(findLib("Http", "serve")?.suspends).toBe(true);
  });

  it("marks the [S] functions of stdlib.md §31 as suspending", () => {
    const susp = LIB.filter((e) => e.suspends).map((e) => `${e.module}.${e.name}`);
    for (const k of ["Timer.sleep", "IO.read_line", "HTTP.get", "HTTP.post", "HTTP.serve", "HTTP.serve_tls", "Job.await", "Job.await_timeout", "Job.map", "Node.start", "Node.connect", "Node.spawn", "Node.spawn_link"]) expect(susp).toContain(k);
    for (const e of LIB) if (e.module === "Pg" || e.module === "Pool") expect(e.suspends, `${e.module}.${e.name}`).toBe(true);
    for (const k of ["Ws.send", "Ws.serve", "Timer.send_after", "Sqlite.query", "File.read", "Env.get", "Process.register"]) expect(susp).not.toContain(k);
  });

  it("every non-deferred entry is implemented in runtime/stdlib and vice versa", () => {
    for (const e of LIB) {
      if (e.owner !== undefined) {
        expect(e.module === null ? false : STDLIB_MODULES.includes(e.module), `${e.module}.${e.name}`).toBe(false);
        continue;
      }
      const impl = implOf(e.module, e.name);
      const s = parseSig(e.type);
      if (s.constant) expect(typeof impl, `${e.module}.${e.name}`).toBe("number");
      else expect(typeof impl, `${e.module}.${e.name}`).toBe("function");
      if (e.suspends) expect(isGen(impl), `${e.module}.${e.name} must be a generator function`).toBe(true);
    }
    const declared = new Set(LIB.filter((e) => e.owner === undefined).map((e) => `${e.module ?? "prelude"}.${e.name}`));
    for (const m of [...STDLIB_MODULES, "prelude"]) {
      const obj = m === "prelude" ? lib.prelude : lib[m];
      expect(obj, m).toBeDefined();
      for (const name of Object.keys(obj)) {
        if (name.endsWith("$g")) continue;
        expect(declared.has(`${m}.${name}`), `runtime ${m}.${name} has no signature`).toBe(true);
      }
    }
    expect(lib.JSON).toBe(lib.Json);
  });

  it("every function that calls callbacks or pulls an iterator has a generator `$g` variant", () => {
    for (const e of LIB) {
      if (e.owner !== undefined) continue;
      const s = parseSig(e.type);
      const f = libFacts(e.module, e.name)!;
      // a `Fun` parameter is called during the call unless the entry says it `keeps` it
      expect(f.callbacks.length > 0, `${e.module}.${e.name}`).toBe(s.params.some((p) => p.k === "fun") && e.keeps !== true);
      if (!f.genVariant) continue;
      const obj = e.module === null ? lib.prelude : lib[e.module];
      expect(isGen(obj[e.name + "$g"]), `${e.module}.${e.name}$g`).toBe(true);
    }
    for (const m of [...STDLIB_MODULES, "prelude"]) {
      const obj = m === "prelude" ? lib.prelude : lib[m];
      for (const name of Object.keys(obj)) if (name.endsWith("$g")) expect(isGen(obj[name]), `${m}.${name}`).toBe(true);
    }
  });

  it("derives which calls pull an iterator and which keep their callbacks", () => {
    const pulls = LIB.filter((e) => libFacts(e.module, e.name)!.pulls).map((e) => `${e.module}.${e.name}`);
    expect(pulls.sort()).toEqual(["Iter.all", "Iter.any", "Iter.count", "Iter.find", "Iter.reduce", "Iter.sum", "List.collect", "Map.collect", "Set.collect", "String.collect"]);
    for (const k of ["Iter.map", "Iter.filter", "Iter.take", "Iter.zip", "Iter.from"]) expect(pulls).not.toContain(k);
    expect(libFacts("Timer", "apply_after")!.callbacks).toEqual([]);
    expect(libFacts("HTTP", "on_get")!.genVariant).toBe(false);
    expect(libFacts("List", "sort")!.callbacks).toEqual([1]);
    expect(libFacts("Iter", "reduce")!.callbacks).toEqual([2]);
    expect(libFacts("JSON", "encode")!.genVariant).toBe(false);
    expect(libFacts("Pg", "transaction")).toMatchObject({ suspends: true, genVariant: false, callbacks: [1] });
  });

  it("`hidden` is only used where the runtime needs it", () => {
    expect(LIB.filter((e) => e.hidden).map((e) => `${e.module}.${e.name}:${e.hidden}`)).toEqual(["null.default:zero", "Map.get:zero", "Json.encode:json"]);
  });
});
