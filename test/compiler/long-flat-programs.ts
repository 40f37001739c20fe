// Generators of "long flat" Mesh programs (issue 11 item 5): very long operator chains, list and
// map literals, `case` arms, function bodies, argument/tuple lists, interpolations and patterns,
// each with the exact output it must print. Used by long-flat.test.ts (compile + run) and by the
// mutation fuzz test (robustness.test.ts).

/** One generated test: top-level declarations, the body of `fn t_<name>()`, and its output. */
export interface FlatCase {
  readonly name: string;
  readonly decls: string;
  readonly body: string[];
  readonly out: string;
}

const rep = (n: number, f: (i: number) => string, sep: string): string => {
  const a: string[] = [];
  for (let i = 0; i < n; i++) a.push(f(i));
  return a.join(sep);
};
const show = (e: string): string => 'println("${' + e + '}")';

/** A chain of `n` terms of one operator (every binary operator of language.md §4.1). */
export function chainCases(n: number): FlatCase[] {
  const half = Math.floor(n / 2);
  return [
    {
      name: "concat",
      decls: "",
      body: [`let s = ${rep(n, (i) => `"${i % 10}"`, " <> ")}`, show("String.length(s)"), "println(String.slice(s, 0, 12))"],
      out: `${n}\n${"0123456789".repeat(2).slice(0, Math.min(n, 12))}\n`,
    },
    {
      name: "plus",
      decls: "",
      body: ["let x = 7", `let r = ${rep(n, (i) => (i % 2 ? "x" : "1"), " + ")}`, show("r")],
      out: `${Math.ceil(n / 2) + 7 * Math.floor(n / 2)}\n`,
    },
    { name: "minus", decls: "", body: [`let a = ${n} ${rep(n - 1, () => "- 1", " ")}`, show("a")], out: "1\n" },
    { name: "times", decls: "", body: ["let one = 1", `let b = 2 ${rep(n - 1, (i) => (i % 2 ? "* one" : "* 1"), " ")} / 2 % 7`, show("b")], out: "1\n" },
    { name: "float", decls: "", body: [`let f = 0.5 ${rep(n - 1, () => "+ 0.5", " ")}`, show(`f == ${(n / 2).toFixed(1)}`)], out: "true\n" },
    { name: "pipe", decls: "fn inc(x :: Int) -> Int do\n  x + 1\nend\n", body: [`let r = 0 ${rep(n, (i) => (i % 3 === 2 ? "|> inc()" : "|> inc"), " ")}`, show("r")], out: `${n}\n` },
    { name: "and", decls: "", body: ["let t = true", `let a = ${rep(n, () => "t", " and ")}`, `let c = ${rep(n, () => "t", " && ")} && false`, show("a"), show("c")], out: "true\nfalse\n" },
    { name: "or", decls: "", body: ["let f = false", `let b = ${rep(n, () => "f", " or ")} or true`, `let c = ${rep(n, () => "f", " || ")}`, show("b"), show("c")], out: "true\nfalse\n" },
    {
      name: "compare",
      decls: "",
      body: ["let a = 1", `let b = ${rep(half, (i) => ["a == 1", "a != 2", "a < 2", "a >= 1", "a <= 1", "a > 0"][i % 6]!, " and ")}`, `let c = ${rep(half, () => "a != 1", " or ")}`, show("b"), show("c")],
      out: "true\nfalse\n",
    },
    { name: "listcat", decls: "", body: [`let l = ${rep(n, (i) => (i % 2 ? `[${i}]` : `[${i}, ${i}]`), " ++ ")}`, show("List.length(l)")], out: `${n + Math.ceil(n / 2)}\n` },
  ];
}

/** Long literals, bodies and lists: `n` elements/entries, `m` case arms/statements/pieces. */
export function listCases(n: number, m: number): FlatCase[] {
  return [
    { name: "list", decls: "", body: [`let l = [${rep(n, (i) => String(i), ", ")}]`, show("List.length(l)"), show(`List.get(l, ${n - 1})`)], out: `${n}\n${n - 1}\n` },
    { name: "map", decls: "", body: [`let m = %{${rep(n, (i) => `${i} => ${i * 2}`, ", ")}}`, show("Map.size(m)"), show(`m[${n - 1}]`)], out: `${n}\n${(n - 1) * 2}\n` },
    {
      name: "case",
      decls: `fn arm(x :: Int) -> Int do\n  case x do\n${rep(m, (i) => `    ${i} -> ${i * 3}`, "\n")}\n    _ -> 0 - 1\n  end\nend\n`,
      body: [show(`arm(${m - 1})`), show(`arm(${m})`)],
      out: `${(m - 1) * 3}\n-1\n`,
    },
    { name: "stmts", decls: "", body: ["let x0 = 0", ...Array.from({ length: m }, (_, i) => (i % 2 ? `let x${i + 1} = x${i} + 1` : `let x${i + 1} = x${i} + 1; ()`)), show(`x${m}`)], out: `${m}\n` },
    { name: "interp", decls: "", body: ["let x = 1", `let s = "${rep(m, (i) => (i % 2 ? "${x}" : "${x + 1}"), "-")}"`, show("String.length(s)")], out: `${2 * m - 1}\n` },
  ];
}

/** Argument and tuple lists, or-patterns, tuple patterns and `::` patterns of `m` elements. */
export function tupleCases(m: number): FlatCase[] {
  const args = Math.min(m, 300);
  return [
    {
      name: "args",
      decls: `fn wide(${rep(args, (i) => `a${i}`, ", ")}) do\n  a0 + a${args - 1}\nend\n`,
      body: [show(`wide(${rep(args, (i) => String(i), ", ")})`), `let t = (${rep(m, (i) => String(i), ", ")})`, "case t do", `  (a, ${rep(m - 2, () => "_, ", "")}z) -> ${show("a + z")}`, "end"],
      out: `${args - 1}\n${m - 1}\n`,
    },
    {
      name: "patterns",
      decls: `fn small(x :: Int) -> String do\n  case x do\n    ${rep(m, (i) => String(i), " | ")} -> "in"\n    _ -> "out"\n  end\nend\n`,
      body: [`let t = (${rep(m, (i) => String(i), ", ")})`, "case t do", `  (${rep(m, (i) => String(i), ", ")}) -> println("all")`, '  _ -> println("some")', "end", `println(small(${m - 1}))`, `println(small(${m}))`,
        `let l = [${rep(m, (i) => String(i), ", ")}]`, "case l do", `  ${rep(m - 1, (i) => `x${i}`, " :: ")} :: rest -> ${show(`x0 + x${m - 2} + List.length(rest)`)}`, '  _ -> println("short")', "end"],
      out: `all\nin\nout\n${m - 2 + 1}\n`,
    },
  ];
}

/** The cases as one program: each case is a function `t_<name>()`, `main` calls them in order. */
export function program(cases: readonly FlatCase[]): { src: string; out: string } {
  const fns = cases.map((c) => `${c.decls}\nfn t_${c.name.replace(/-/g, "_")}() do\n${c.body.map((l) => `  ${l}\n`).join("")}end\n`);
  const main = `\nfn main() do\n${cases.map((c) => `  t_${c.name.replace(/-/g, "_")}()\n`).join("")}end\n`;
  return { src: fns.join("") + main, out: cases.map((c) => c.out).join("") };
}

/** Genuinely nested constructs `depth` levels deep (brackets, blocks, closures). */
export function nested(kind: "parens" | "lists" | "blocks" | "closures", depth: number): string {
  switch (kind) {
    case "parens":
      return `fn main() do\n  let x = ${"(".repeat(depth)}1${" + 1)".repeat(depth)}\n  println("\${x}")\nend\n`;
    case "lists":
      return `fn main() do\n  let x = ${"[".repeat(depth)}1${"]".repeat(depth)}\n  println("\${List.length(x)}")\nend\n`;
    case "blocks":
      return `fn main() do\n  let x = ${"if true do\n".repeat(depth)}1\n${"else\n 2\nend\n".repeat(depth)}\n  println("\${x}")\nend\n`;
    case "closures":
      return `fn main() do\n  let f = ${"fn () -> ".repeat(depth)}1${" end".repeat(depth)}\n  println("ok")\nend\n`;
  }
}
