// `meshc repl` (tooling.md §3.4). Each input is parsed alone to classify it (definition, import,
// `let`, expression, command) and to tell whether it is complete; it is then compiled by the full
// front end inside a session program (the accepted definitions, the bindings so far, and the input
// in `main`) and run by the runtime in a child Node process whose marked output lines carry the
// result's Debug text back. `let` values are carried into later inputs as literals of their Debug
// text (a binding whose value has no literal form is re-evaluated from its source instead).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as readline from "node:readline";
import { spawnSync } from "node:child_process";
import { parseModule } from "../compiler/syntax/parse.js";
import { buildProgram } from "../compiler/analyse/project.js";
import { checkProgram } from "../compiler/check/check.js";
import { generateModule } from "../compiler/codegen/generate.js";
import { hasErrors, sortDiagnostics, type Diagnostic } from "../compiler/diag/diagnostic.js";
import { renderDiagnostics } from "../compiler/diag/render.js";
import type * as S from "../compiler/ast/syntax.js";
import type { RType, CheckResult } from "../compiler/check/annotations.js";
import { showRType } from "./lsp/query.js";

export interface ReplOptions {
  readonly runtimeUrl: string;
  readonly version: string;
}

interface Def {
  readonly key: string; // replaced by a later definition with the same key
  readonly text: string;
}

interface Binding {
  readonly names: string[];
  readonly text: string; // `let` statement replayed in later inputs
}

const MARK = "\u0001REPL:";

const HELP = `Mesh REPL commands:
  :help, :h          show this help
  :type <expr>, :t   show the type of an expression without running it
  :quit, :q          leave the REPL
  :clear             clear the screen
  :reset             forget all definitions, bindings and history
  :load <file>       add the top-level definitions of a file (main is not run)`;

export class ReplSession {
  private defs: Def[] = [];
  private imports: string[] = [];
  private bindings: Binding[] = [];
  private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "meshc-repl-"));

  constructor(
    private readonly opts: ReplOptions,
    private readonly out: (s: string) => void,
    private readonly err: (s: string) => void,
  ) {}

  dispose(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  reset(): void {
    this.defs = [];
    this.imports = [];
    this.bindings = [];
  }

  // True while the input is unfinished: its only syntax errors are at its end.
  static incomplete(input: string): boolean {
    const diags = parseModule("<repl>", input, "Repl").diagnostics.filter((d) => d.code === "P0001");
    if (diags.length === 0) return false;
    const end = input.trimEnd().length;
    return diags.every((d) => d.span.start >= end);
  }

  // The session program with `body` as the statements of `main`; `at` is where the input starts.
  private program(extraDefs: readonly Def[], body: string[], input: string | null, drop: ReadonlySet<string> = new Set()): { text: string; at: number } {
    const defs = [...this.defs.filter((d) => !drop.has(d.key)), ...extraDefs];
    let text = this.imports.map((i) => i + "\n").join("") + "\n" + defs.map((d) => d.text + "\n\n").join("");
    let at = -1;
    text += "fn main() do\n";
    for (const b of this.bindings) text += b.text + "\n";
    for (const line of body) {
      if (line === "\u0000INPUT") {
        at = text.length;
        text += input! + "\n";
      } else text += line + "\n";
    }
    text += "end\n";
    return { text, at };
  }

  private check(text: string): { module: S.Module; check: CheckResult | null; diags: Diagnostic[]; program: ReturnType<typeof buildProgram> } {
    const r = parseModule("main.mpl", text, "Main");
    const diags = [...r.diagnostics];
    const program = buildProgram([r.module], diags);
    const check = hasErrors(diags) ? null : checkProgram(program);
    if (check) diags.push(...check.diagnostics);
    return { module: r.module, check, diags: sortDiagnostics(diags), program };
  }

  // Diagnostics of the input only, rendered against the input as file `<repl>`.
  private report(diags: readonly Diagnostic[], at: number, input: string, inputAt = at): boolean {
    const errors = diags.filter((d) => d.severity === "error");
    if (errors.length === 0) return false;
    const shifted = errors.map((d) => {
      const inside = d.span.start >= inputAt && d.span.start <= inputAt + input.length;
      const span = inside ? { file: "<repl>", start: d.span.start - inputAt, end: Math.min(d.span.end - inputAt, input.length) } : { file: "<repl>", start: 0, end: 0 };
      return { ...d, span, secondary: [] };
    });
    this.err(renderDiagnostics(shifted, (f) => (f === "<repl>" ? input : undefined)));
    return true;
  }

  private mainStmts(m: S.Module): readonly S.Stmt[] {
    const main = m.items.find((it): it is S.FnDef => it.kind === "FnDef" && it.name === "main");
    return main?.body.stmts ?? [];
  }

  // Type of the `let <name> = …` statement's value in main.
  private letType(m: S.Module, check: CheckResult, name: string): RType | undefined {
    for (const s of this.mainStmts(m)) {
      if (s.kind === "Let" && s.pattern.kind === "PVar" && s.pattern.name === name) return check.annotations.types.get(s.value);
    }
    return undefined;
  }

  private printable(check: CheckResult, t: RType): boolean {
    if (t.kind === "fun" || t.kind === "var" || t.kind === "never") return false;
    if (t.kind === "tuple") return t.elems.every((e) => this.printable(check, e));
    if (t.name === "Pid") return false;
    const info = check.info.types.get(t.name);
    if (info) return info.derives.includes("Debug") || info.derives.includes("Display");
    return t.args.every((a) => this.printable(check, a));
  }

  private placeholder(t: RType): string {
    return t.kind === "fun" ? "<function>" : `<${showRType(t)}>`;
  }

  // Runs the session program; returns the marked values, or null after a runtime error.
  private run(text: string, check: CheckResult, program: ReturnType<typeof buildProgram>): Map<string, string> | null {
    const pm = program.modules[0]!;
    const out = generateModule(pm, program, check, { runtimeImport: this.opts.runtimeUrl, sourceText: text });
    fs.writeFileSync(path.join(this.dir, "package.json"), '{ "type": "module" }\n');
    const file = path.join(this.dir, `main.js`);
    fs.writeFileSync(file, out.js);
    const r = spawnSync(process.execPath, ["--stack-size=4000", file], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    const marks = new Map<string, string>();
    const plain: string[] = [];
    for (const line of (r.stdout ?? "").split("\n")) {
      if (line.startsWith(MARK)) {
        const rest = line.slice(MARK.length);
        const i = rest.indexOf(":");
        marks.set(rest.slice(0, i), rest.slice(i + 1));
      } else plain.push(line);
    }
    const printed = plain.join("\n");
    if (printed.length > 0) this.out(printed.endsWith("\n") || plain[plain.length - 1] === "" ? printed : printed + "\n");
    if (r.status !== 0) {
      const msg = (r.stderr ?? "").split("\n").find((l) => l.trim().length > 0) ?? `exit status ${r.status}`;
      this.err(`Error: ${msg.replace(/^(panic|error):\s*/i, "")}\n`);
      return null;
    }
    return marks;
  }

  eval(input: string): void {
    const trimmed = input.trim();
    if (trimmed === "") return;
    if (trimmed.startsWith(":")) return this.command(trimmed);
    const parsed = parseModule("<repl>", input, "Repl");
    if (parsed.diagnostics.some((d) => d.severity === "error")) {
      this.err(renderDiagnostics(parsed.diagnostics, (f) => (f === "<repl>" ? input : undefined)));
      return;
    }
    const items = parsed.module.items;
    if (items.every((it) => it.kind === "Import" || it.kind === "FromImport")) {
      const { text } = this.program([], [], null);
      const candidate = items.map((it) => input.slice(it.span.start, it.span.end));
      const c = this.check(candidate.map((l) => l + "\n").join("") + text);
      if (this.report(c.diags, 0, input)) return;
      this.imports.push(...candidate);
      return;
    }
    if (items.every((it) => it.kind !== "Const" && it.kind !== "BadItem" && it.kind !== "Import" && it.kind !== "FromImport")) {
      this.define(input, items);
      return;
    }
    if (items.length === 1 && items[0]!.kind === "Const") return this.let(input, items[0] as S.ConstDef);
    return this.expression(input);
  }

  private defKey(it: S.Item): string {
    switch (it.kind) {
      case "ImplDef":
        return `impl ${it.iface.join(".")} for ${input(it.target)}`;
      case "FnDef":
      case "StructDef":
      case "SumTypeDef":
      case "TypeAliasDef":
      case "InterfaceDef":
      case "ActorDef":
      case "ServiceDef":
      case "SupervisorDef":
        return it.name;
      default:
        return it.kind;
    }
    function input(t: S.TypeExpr): string {
      return t.kind === "TName" ? t.path.join(".") : t.kind;
    }
  }

  private define(input: string, items: readonly S.Item[], quiet = false): boolean {
    const fresh: Def[] = [];
    for (const it of items) {
      const key = this.defKey(it);
      const text = input.slice(it.span.start, it.span.end);
      const prev = fresh.find((d) => d.key === key);
      if (prev && it.kind === "FnDef") fresh[fresh.indexOf(prev)] = { key, text: prev.text + "\n" + text };
      else fresh.push({ key, text });
    }
    const drop = new Set(fresh.map((d) => d.key));
    const probes = items.filter((it): it is S.FnDef => it.kind === "FnDef").map((f) => `  let __repl_${f.name} = ${f.name}`);
    const { text } = this.program(fresh, [...new Set(probes)], null, drop);
    const c = this.check(text);
    const inputAt = text.indexOf(fresh[0]!.text);
    if (this.report(c.diags, inputAt, input, inputAt - items[0]!.span.start)) return false;
    this.defs = [...this.defs.filter((d) => !drop.has(d.key)), ...fresh];
    if (quiet) return true;
    for (const d of fresh) {
      const it = items.find((x) => this.defKey(x) === d.key)!;
      if (it.kind === "FnDef") {
        const t = this.letType(c.module, c.check!, `__repl_${it.name}`);
        this.out(`Defined: ${it.name}${t ? ` :: ${showRType(t)}` : ""}\n`);
      } else if (it.kind === "ImplDef") this.out(`Defined: ${d.key}\n`);
      else this.out(`Defined: ${d.key}\n`);
    }
    return true;
  }

  private let(input: string, c: S.ConstDef): void {
    const rhs = input.slice(c.value.span.start, c.value.span.end);
    const lhs = input.slice(c.pattern.span.start, c.type ? c.type.span.end : c.pattern.span.end);
    const names: string[] = [];
    const collect = (p: S.Pattern) => {
      if (p.kind === "PVar") names.push(p.name);
      else if (p.kind === "PAs") (names.push(p.name), collect(p.pattern));
      else if (p.kind === "PTuple") p.elems.forEach(collect);
      else if (p.kind === "PCtor") p.args?.forEach(collect);
      else if (p.kind === "PCons") (collect(p.head), collect(p.tail));
      else if (p.kind === "POr") p.alts.forEach(collect);
    };
    collect(c.pattern);
    const body = ["  let __repl_v = do", "\u0000INPUT", "  end", `  let ${lhs} = __repl_v`];
    const probe = this.program([], body, rhs);
    const k = this.check(probe.text);
    if (this.report(k.diags, probe.at, rhs, probe.at)) return;
    const t = this.letType(k.module, k.check!, "__repl_v")!;
    const types = new Map<string, RType>();
    for (const s of this.mainStmts(k.module)) {
      if (s.kind !== "Let") continue;
      const visit = (p: S.Pattern) => {
        if ((p.kind === "PVar" || p.kind === "PAs") && names.includes(p.name)) {
          const pt = k.check!.annotations.patternTypes.get(p);
          if (pt) types.set(p.name, pt);
        }
        if (p.kind === "PTuple") p.elems.forEach(visit);
        else if (p.kind === "PCtor") p.args?.forEach(visit);
        else if (p.kind === "PAs") visit(p.pattern);
        else if (p.kind === "PCons") (visit(p.head), visit(p.tail));
      };
      if (s.span.start > probe.at) visit(s.pattern);
    }
    const marks: string[] = [];
    if (this.printable(k.check!, t)) marks.push(`  println("${MARK}v:" <> inspect(__repl_v))`);
    for (const n of names) {
      const nt = types.get(n);
      if (nt && this.printable(k.check!, nt)) marks.push(`  println("${MARK}b.${n}:" <> inspect(${n}))`);
    }
    const run = this.program([], [...body, ...marks], rhs);
    const r = this.check(run.text);
    if (this.report(r.diags, run.at, rhs, run.at)) return;
    const values = this.run(run.text, r.check!, r.program);
    if (values === null) return;
    // Carry the bindings: literals when every name has one, else the statement itself.
    const lits: string[] = [];
    for (const n of names) {
      const v = values.get(`b.${n}`);
      const nt = types.get(n);
      if (v === undefined || nt === undefined || !literalOk(v)) break;
      const ty = showRType(nt);
      lits.push(/\b[a-z]\b/.test(ty) ? `  let ${n} = ${v}` : `  let ${n} :: ${ty} = ${v}`);
    }
    const replay = lits.length === names.length ? lits.join("\n") : `  let __repl_v = do\n${rhs}\n  end\n  let ${lhs} = __repl_v`;
    this.bindings = this.bindings.filter((b) => !b.names.every((n) => names.includes(n)));
    this.bindings.push({ names, text: replay });
    this.out(`${values.get("v") ?? this.placeholder(t)} :: ${showRType(t)}\n`);
  }

  private expression(input: string): void {
    const body = ["  let __repl_v = do", "\u0000INPUT", "  end"];
    const probe = this.program([], body, input);
    const k = this.check(probe.text);
    if (this.report(k.diags, probe.at, input, probe.at)) return;
    const t = this.letType(k.module, k.check!, "__repl_v")!;
    const unit = t.kind === "tuple" && t.elems.length === 0;
    const marks = !unit && this.printable(k.check!, t) ? [`  println("${MARK}v:" <> inspect(__repl_v))`] : [];
    const run = this.program([], [...body, ...marks], input);
    const r = this.check(run.text);
    if (this.report(r.diags, run.at, input, run.at)) return;
    const values = this.run(run.text, r.check!, r.program);
    if (values === null || unit) return;
    this.out(`${values.get("v") ?? this.placeholder(t)} :: ${showRType(t)}\n`);
  }

  private command(line: string): void {
    const m = /^:(\S*)\s*([\s\S]*)$/.exec(line)!;
    const cmd = m[1]!, arg = m[2]!.trim();
    switch (cmd) {
      case "help":
      case "h":
        this.out(HELP + "\n");
        return;
      case "type":
      case "t": {
        if (arg === "") return this.err("Error: Usage: :type <expression>\n");
        const probe = this.program([], ["  let __repl_v = do", "\u0000INPUT", "  end"], arg);
        const k = this.check(probe.text);
        if (this.report(k.diags, probe.at, arg, probe.at)) return;
        const t = this.letType(k.module, k.check!, "__repl_v");
        this.out(`${arg} :: ${t ? showRType(t) : "?"}\n`);
        return;
      }
      case "quit":
      case "q":
        this.out("Goodbye!\n");
        throw new QuitSignal();
      case "clear":
        this.out("\x1b[2J\x1b[H");
        return;
      case "reset":
        this.reset();
        this.out("Session reset. All definitions and history cleared.\n");
        return;
      case "load": {
        if (arg === "") return this.err("Error: Usage: :load <file>\n");
        let text: string;
        try {
          text = fs.readFileSync(arg, "utf8");
        } catch (e) {
          return this.err(`Error: Failed to read '${arg}': ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "No such file or directory" : (e as Error).message}\n`);
        }
        const p = parseModule("<repl>", text, "Repl");
        if (p.diagnostics.some((d) => d.severity === "error")) {
          this.err(renderDiagnostics(p.diagnostics, (f) => (f === "<repl>" ? text : undefined)));
          return;
        }
        const imps = p.module.items.filter((it) => it.kind === "Import" || it.kind === "FromImport");
        const defs = p.module.items.filter((it) => it.kind !== "Import" && it.kind !== "FromImport" && !(it.kind === "FnDef" && it.name === "main") && it.kind !== "BadItem" && it.kind !== "Const");
        const savedImports = this.imports;
        this.imports = [...this.imports, ...imps.map((it) => text.slice(it.span.start, it.span.end))];
        if (defs.length > 0 && !this.define(text, defs, true)) {
          this.imports = savedImports;
          return;
        }
        this.out(`Loaded '${arg}'\n`);
        return;
      }
      default:
        this.err(`Error: Unknown command: :${cmd}\nType :help for available commands.\n`);
    }
  }
}

class QuitSignal extends Error {}

// A Debug text that reads back as the same value.
function literalOk(v: string): boolean {
  if (/[\r\n]/.test(v)) return false;
  // strings: no quote, backslash or `${` inside
  const strings = v.match(/"[^"]*"/g) ?? [];
  if (strings.some((s) => s.includes("\\") || s.includes("${"))) return false;
  if ((v.match(/"/g) ?? []).length % 2 !== 0) return false;
  return !/[<#]/.test(v.replace(/"[^"]*"/g, ""));
}

export async function runRepl(opts: ReplOptions): Promise<number> {
  const tty = Boolean(process.stdin.isTTY);
  const session = new ReplSession(opts, (s) => process.stdout.write(s), (s) => process.stderr.write(s));
  const historyFile = path.join(os.homedir(), ".mesh_repl_history");
  let history: string[] = [];
  if (tty) {
    try {
      history = fs.readFileSync(historyFile, "utf8").split("\n").filter(Boolean).reverse();
    } catch {
      // no history yet
    }
    process.stdout.write(`Mesh REPL v${opts.version} (type :help for commands)\n`);
  }
  const rl = readline.createInterface({ input: process.stdin, output: tty ? process.stdout : undefined, terminal: tty, history, historySize: 1000 });
  let buffer = "";
  const prompt = () => {
    if (tty) {
      rl.setPrompt(buffer === "" ? "mesh> " : "  ... ");
      rl.prompt();
    }
  };
  await new Promise<void>((resolve) => {
    rl.on("SIGINT", () => {
      if (buffer !== "") {
        buffer = "";
        process.stdout.write("^C\n");
      } else process.stdout.write("^C (use :quit or Ctrl-D to exit)\n");
      prompt();
    });
    rl.on("close", () => {
      if (tty) process.stdout.write("Goodbye!\n");
      resolve();
    });
    let quit = false;
    rl.on("line", (line) => {
      if (quit) return;
      buffer = buffer === "" ? line : buffer + "\n" + line;
      if (!buffer.trim().startsWith(":") && ReplSession.incomplete(buffer)) return prompt();
      const input = buffer;
      buffer = "";
      if (tty && input.trim() !== "") {
        try {
          fs.appendFileSync(historyFile, input.replace(/\n/g, " ") + "\n");
        } catch {
          // history is best effort
        }
      }
      try {
        session.eval(input);
      } catch (e) {
        if (e instanceof QuitSignal) {
          quit = true;
          rl.removeAllListeners("close");
          rl.close();
          resolve();
          return;
        }
        process.stderr.write(`Error: ${e instanceof Error ? e.message : String(e)}\n`);
      }
      prompt();
    });
    prompt();
  });
  session.dispose();
  return 0;
}
