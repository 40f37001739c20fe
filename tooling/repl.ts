// `meshc repl` (tooling.md §3.4). Each input is parsed alone to classify it (definition, import,
// `let`, expression, command) and to tell whether it is complete; it is then compiled by the full
// front end against the session and run as one step of a long-lived REPL process inside one
// runtime (tooling/repl-runtime.ts, runtime/repl-host.ts): `self()` is stable, processes spawned
// by an earlier input keep running, and bound values stay real values on the runtime side.
//
// The session is compiled as modules: each struct, sum type and alias lives in a module of its own
// (`ReplT<n>`, generated and loaded once, so values built by earlier inputs keep their classes and
// still match), and a step module holds the imports, the other definitions (functions, actors,
// services, supervisors, interfaces, impls) and `__repl_step`, whose parameters are the bound
// names the input uses (annotated with their types) and whose body is the input.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as readline from "node:readline";
import { fileURLToPath } from "node:url";
import { parseModule } from "../compiler/syntax/parse.js";
import { buildProgram } from "../compiler/analyse/project.js";
import { checkProgram } from "../compiler/check/check.js";
import { REPL_STEP } from "../compiler/check/concurrency.js";
import { generateModule } from "../compiler/codegen/generate.js";
import { hasErrors, sortDiagnostics, type Diagnostic } from "../compiler/diag/diagnostic.js";
import { renderDiagnostics } from "../compiler/diag/render.js";
import type * as S from "../compiler/ast/syntax.js";
import type { Program } from "../compiler/analyse/program.js";
import type { RType, CheckResult } from "../compiler/check/annotations.js";
import { showRType } from "./lsp/query.js";
import { ReplRuntime, type StepResult } from "./repl-runtime.js";

export interface ReplOptions {
  readonly runtimeUrl: string;
  readonly version: string;
  readonly stackKb?: number; // the runtime process's stack (default: that of `meshc run`, 4000 KB)
}

interface Def {
  readonly key: string; // replaced by a later definition with the same key
  readonly text: string;
}

// A struct, sum type or alias in a module of its own.
interface TypeDef {
  readonly key: string; // the type's name
  readonly module: string; // ReplT<n>
  readonly file: string; // repl_t<n>.mpl
  readonly text: string; // the module's source
}

interface Binding {
  readonly type: RType;
  readonly annot: string | null; // parameter annotation, null when the type cannot be written
}

interface Source {
  readonly file: string;
  readonly name: string;
  readonly text: string;
}

// Where a piece of the input sits in a generated module (to report diagnostics against the input).
interface Region {
  readonly file: string;
  readonly at: number;
  readonly inputAt: number;
  readonly length: number;
}

const STEP = REPL_STEP;
const STEP_MODULE = "Repl";

const HELP = `Mesh REPL commands:
  :help, :h          show this help
  :type <expr>, :t   show the type of an expression without running it
  :quit, :q          leave the REPL
  :clear             clear the screen
  :reset             forget all definitions, bindings and history; end the session's processes
  :load <file>       add the top-level definitions of a file (main is not run)`;

export class ReplSession {
  private defs: Def[] = [];
  private types: TypeDef[] = [];
  private imports: string[] = [];
  private bindings = new Map<string, Binding>();
  private typeSeq = 0;
  private stepSeq = 0;
  private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "meshc-repl-"));
  private readonly runtime: ReplRuntime;

  constructor(
    private readonly opts: ReplOptions,
    private readonly out: (s: string) => void,
    private readonly err: (s: string) => void,
  ) {
    fs.writeFileSync(path.join(this.dir, "package.json"), '{ "type": "module" }\n');
    this.runtime = new ReplRuntime(fileURLToPath(new URL("lib/repl-host.js", opts.runtimeUrl)), opts.stackKb ?? 4000);
    this.runtime.onLost = (why) => {
      if (this.bindings.size > 0) this.err(`Error: ${why}; the session's bindings are gone\n`);
      this.bindings.clear();
    };
    this.runtime.warm();
  }

  dispose(): void {
    this.runtime.stop("the REPL ended");
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  reset(): void {
    this.runtime.stop("the session was reset");
    this.runtime.warm(); // a fresh runtime for the next input
    this.defs = [];
    this.types = [];
    this.imports = [];
    this.bindings.clear();
  }

  /** Ctrl-C during a step: ends the runtime process (and the step); true if a step was running. */
  interrupt(): boolean {
    if (!this.runtime.busy) return false;
    this.bindings.clear();
    this.runtime.stop("interrupted; the session's processes and bindings are gone");
    this.runtime.warm();
    return true;
  }

  // True while the input is unfinished: its only syntax errors are at its end.
  static incomplete(input: string): boolean {
    const diags = parseModule("<repl>", input, "Repl").diagnostics.filter((d) => d.code === "P0001");
    if (diags.length === 0) return false;
    const end = input.trimEnd().length;
    return diags.every((d) => d.span.start >= end);
  }

  // ---- building the session program --------------------------------------------------------------

  private typeImports(types: readonly TypeDef[]): string {
    return types.map((t) => `from ${t.module} import ${t.key}\n`).join("");
  }

  // The step module: imports, the definitions, and `__repl_step` with `body` as its statements
  // (`\u0000INPUT` marks where `input` goes). Returns its text and where the input starts.
  private stepSource(
    types: readonly TypeDef[],
    defs: readonly Def[],
    params: readonly string[],
    body: readonly string[],
    input: string | null,
  ): { text: string; at: number; paramsAt: number; paramsEnd: number } {
    let text = this.imports.map((i) => i + "\n").join("") + this.typeImports(types) + "\n" + defs.map((d) => d.text + "\n\n").join("");
    text += `fn ${STEP}(`;
    const paramsAt = text.length;
    text += params.join(", ");
    const paramsEnd = text.length;
    text += ") do\n";
    let at = -1;
    for (const line of body) {
      const i = line.indexOf("\u0000INPUT");
      if (i >= 0) {
        text += line.slice(0, i);
        at = text.length;
        text += input! + line.slice(i + 6) + "\n";
      } else text += line + "\n";
    }
    text += "end\n";
    return { text, at, paramsAt, paramsEnd };
  }

  private check(sources: readonly Source[]): { modules: S.Module[]; check: CheckResult | null; diags: Diagnostic[]; program: Program } {
    const diags: Diagnostic[] = [];
    const modules = sources.map((s) => {
      const r = parseModule(s.file, s.text, s.name);
      diags.push(...r.diagnostics);
      return r.module;
    });
    const program = buildProgram(modules, diags);
    const check = hasErrors(diags) ? null : checkProgram(program);
    if (check) diags.push(...check.diagnostics);
    return { modules, check, diags: sortDiagnostics(diags), program };
  }

  private typeSources(types: readonly TypeDef[]): Source[] {
    return types.map((t) => ({ file: t.file, name: t.module, text: t.text }));
  }

  // Diagnostics rendered against the input as file `<repl>`; errors outside it point at its start.
  private report(diags: readonly Diagnostic[], regions: readonly Region[], input: string): boolean {
    const errors = diags.filter((d) => d.severity === "error");
    if (errors.length === 0) return false;
    const shifted = errors.map((d) => {
      const r = regions.find((g) => g.file === d.span.file && d.span.start >= g.at && d.span.start <= g.at + g.length);
      const span = r
        ? { file: "<repl>", start: r.inputAt + d.span.start - r.at, end: Math.min(r.inputAt + d.span.end - r.at, r.inputAt + r.length) }
        : { file: "<repl>", start: 0, end: 0 };
      return { ...d, message: unqualify(d.message), span, secondary: [] };
    });
    this.err(unqualify(renderDiagnostics(shifted, (f) => (f === "<repl>" ? input : undefined))));
    return true;
  }

  private stepStmts(modules: readonly S.Module[]): readonly S.Stmt[] {
    const m = modules[modules.length - 1]!;
    const step = m.items.find((it): it is S.FnDef => it.kind === "FnDef" && it.name === STEP);
    return step?.body.stmts ?? [];
  }

  // Type of the `let <name> = …` statement's value in the step.
  private letType(modules: readonly S.Module[], check: CheckResult, name: string): RType | undefined {
    for (const s of this.stepStmts(modules)) {
      if (s.kind === "Let" && s.pattern.kind === "PVar" && s.pattern.name === name) return check.annotations.types.get(s.value);
    }
    return undefined;
  }

  private printable(check: CheckResult, t: RType): boolean {
    // a type variable's value prints by its runtime text (the runtime answers none for a function)
    if (t.kind === "var") return true;
    if (t.kind === "fun" || t.kind === "never") return false;
    if (t.kind === "tuple") return t.elems.every((e) => this.printable(check, e));
    const info = check.info.types.get(t.name);
    if (info) return info.derives.includes("Debug") || info.derives.includes("Display");
    return t.args.every((a) => this.printable(check, a));
  }

  private placeholder(t: RType): string {
    return t.kind === "fun" ? "<function>" : `<${showRType(t)}>`;
  }

  // The parameter annotation of a bound value: its type when it can be written here (no type
  // variables, and every session type it names is still the current one of that name).
  private annotation(t: RType): string | null {
    let ok = true;
    const visit = (x: RType) => {
      if (x.kind === "var" || x.kind === "never") ok = false;
      else if (x.kind === "tuple") x.elems.forEach(visit);
      else if (x.kind === "fun") (x.params.forEach(visit), visit(x.ret));
      else {
        const m = /^(ReplT\d+)\.(.+)$/.exec(x.name);
        if (m && !this.types.some((d) => d.module === m[1] && d.key === m[2])) ok = false;
        x.args.forEach(visit);
      }
    };
    visit(t);
    return ok ? showRType(t) : null;
  }

  // Compiles an input placed in the step's body: bound names the text mentions become parameters
  // (typed; untyped if the types do not check there). Returns null after reporting errors.
  // `whole` is the input as typed when `input` is a part of it starting at `inputAt`; `extra` are
  // the other parts of it in the step's body (`after` the input or before it), reported against
  // `whole` at their offsets `at`.
  private compileStep(
    body: readonly string[],
    input: string,
    whole = input,
    inputAt = 0,
    extra: readonly { text: string; at: number; after: boolean }[] = [],
  ): { c: ReturnType<ReplSession["check"]>; args: string[]; at: number } | null {
    const args = [...this.bindings.keys()].filter((n) => new RegExp(`(^|[^A-Za-z0-9_?!])${n.replace(/[?!]/g, "\\$&")}($|[^A-Za-z0-9_?!])`).test(input));
    const attempt = (typed: boolean) => {
      const params = args.map((n) => {
        const a = this.bindings.get(n)!.annot;
        return typed && a !== null ? `${n} :: ${a}` : n;
      });
      const src = this.stepSource(this.types, this.defs, params, body, input);
      const file = `step_${++this.stepSeq}.mpl`;
      const c = this.check([...this.typeSources(this.types), { file, name: STEP_MODULE, text: src.text }]);
      return { c, src, file };
    };
    let r = attempt(true);
    const inParams = (d: Diagnostic) => d.severity === "error" && d.span.file === r.file && d.span.start >= r.src.paramsAt && d.span.start <= r.src.paramsEnd;
    if (args.length > 0 && r.c.diags.some(inParams)) r = attempt(false);
    const regions: Region[] = [{ file: r.file, at: r.src.at, inputAt, length: input.length }];
    for (const x of extra) {
      const at = r.src.text.indexOf(x.text, x.after ? r.src.at + input.length : r.src.paramsEnd);
      if (at >= 0) regions.push({ file: r.file, at, inputAt: x.at, length: x.text.length });
    }
    if (this.report(r.c.diags, regions, whole)) return null;
    return { c: r.c, args, at: r.src.at };
  }

  // Writes the step module's JavaScript and runs its step in the session's REPL process.
  private async runStep(c: ReturnType<ReplSession["check"]>, args: string[], bind: string[], show: boolean): Promise<StepResult> {
    const pm = c.program.modules.find((m) => m.name === STEP_MODULE)!;
    const out = generateModule(pm, c.program, c.check!, { runtimeImport: this.opts.runtimeUrl });
    const file = path.join(this.dir, out.path);
    fs.writeFileSync(file, out.js);
    const r = await this.runtime.run({ file, fn: STEP, args, bind, show });
    if (!r.ok) this.err(`Error: ${r.error}\n`);
    return r;
  }

  // ---- inputs --------------------------------------------------------------------------------------

  async eval(input: string): Promise<void> {
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
      const candidate = items.map((it) => input.slice(it.span.start, it.span.end));
      const saved = this.imports;
      this.imports = [...saved, ...candidate];
      const src = this.stepSource(this.types, this.defs, [], [], null);
      const c = this.check([...this.typeSources(this.types), { file: "step_imports.mpl", name: STEP_MODULE, text: src.text }]);
      const at = saved.map((i) => i + "\n").join("").length;
      const regions = candidate.map((t, i) => ({ file: "step_imports.mpl", at: at + candidate.slice(0, i).join("\n").length + (i > 0 ? 1 : 0), inputAt: items[i]!.span.start, length: t.length }));
      if (this.report(c.diags, regions, input)) this.imports = saved;
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
    const freshTypes: TypeDef[] = [];
    const regions: Region[] = [];
    let types = [...this.types];
    let seq = this.typeSeq;
    for (const it of items) {
      const key = this.defKey(it);
      const text = input.slice(it.span.start, it.span.end);
      if (it.kind === "StructDef" || it.kind === "SumTypeDef" || it.kind === "TypeAliasDef") {
        // its own module, seeing the imports and the types defined before it
        types = types.filter((t) => t.key !== key);
        const module = `ReplT${++seq}`, file = `repl_t${seq}.mpl`;
        const head = this.imports.map((i) => i + "\n").join("") + this.typeImports(types) + (it.pub ? "" : "pub ");
        const t: TypeDef = { key, module, file, text: head + text + "\n" };
        regions.push({ file, at: head.length, inputAt: it.span.start, length: text.length });
        types.push(t);
        freshTypes.push(t);
        continue;
      }
      const prev = fresh.find((d) => d.key === key);
      if (prev && it.kind === "FnDef") fresh[fresh.indexOf(prev)] = { key, text: prev.text + "\n" + text };
      else fresh.push({ key, text });
    }
    const drop = new Set(fresh.map((d) => d.key));
    const defs = [...this.defs.filter((d) => !drop.has(d.key)), ...fresh];
    const fns = [...new Set(items.filter((it): it is S.FnDef => it.kind === "FnDef").map((f) => f.name))];
    const src = this.stepSource(types, defs, [], fns.map((f) => `  let __repl_${f} = ${f}`), null);
    const stepFile = `step_${++this.stepSeq}.mpl`;
    for (const it of items) {
      if (it.kind === "StructDef" || it.kind === "SumTypeDef" || it.kind === "TypeAliasDef") continue;
      const text = input.slice(it.span.start, it.span.end);
      const at = src.text.indexOf(text);
      if (at >= 0) regions.push({ file: stepFile, at, inputAt: it.span.start, length: text.length });
    }
    const c = this.check([...this.typeSources(types), { file: stepFile, name: STEP_MODULE, text: src.text }]);
    if (this.report(c.diags, regions, input)) return false;
    // the new type modules are generated once; later steps import them
    for (const t of freshTypes) {
      const pm = c.program.modules.find((m) => m.name === t.module)!;
      const out = generateModule(pm, c.program, c.check!, { runtimeImport: this.opts.runtimeUrl, sourceText: t.text });
      fs.writeFileSync(path.join(this.dir, out.path), out.js);
    }
    this.types = types;
    this.typeSeq = seq;
    this.defs = defs;
    if (quiet) return true;
    const printed = new Set<string>();
    for (const it of items) {
      const key = this.defKey(it);
      if (printed.has(key)) continue;
      printed.add(key);
      if (it.kind === "FnDef") {
        const t = this.letType(c.modules, c.check!, `__repl_${it.name}`);
        this.out(`Defined: ${it.name}${t ? ` :: ${showRType(t)}` : ""}\n`);
      } else this.out(`Defined: ${key}\n`);
    }
    return true;
  }

  private async let(input: string, c: S.ConstDef): Promise<void> {
    const rhs = input.slice(c.value.span.start, c.value.span.end);
    const pattern = input.slice(c.pattern.span.start, c.pattern.span.end);
    const type = c.type ? input.slice(c.type.span.start, c.type.span.end) : null;
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
    const uniq = [...new Set(names)];
    const result = uniq.length === 0 ? "  __repl_v" : `  (__repl_v, ${uniq.join(", ")})`;
    // the pattern is checked and bound after the value (as `let` in a body)
    // the right side is one expression: it follows `=` directly (a `fn` closure at the start of a
    // line in a block would read as a nested definition)
    const body = [`  let __repl_v${type !== null ? ` :: ${type}` : ""} = \u0000INPUT`, `  let ${pattern} = __repl_v`, result];
    const extra = [{ text: pattern, at: c.pattern.span.start, after: true }];
    if (type !== null) extra.push({ text: type, at: c.type!.span.start, after: false });
    const step = this.compileStep(body, rhs, input, c.value.span.start, extra);
    if (step === null) return;
    const { c: k, args } = step;
    const t = this.letType(k.modules, k.check!, "__repl_v")!;
    const types = new Map<string, RType>();
    for (const s of this.stepStmts(k.modules)) {
      if (s.kind !== "Let" || s.span.start < step.at) continue;
      const visit = (p: S.Pattern) => {
        if ((p.kind === "PVar" || p.kind === "PAs") && uniq.includes(p.name)) {
          const pt = k.check!.annotations.patternTypes.get(p);
          if (pt) types.set(p.name, pt);
        }
        if (p.kind === "PTuple") p.elems.forEach(visit);
        else if (p.kind === "PCtor") p.args?.forEach(visit);
        else if (p.kind === "PAs") visit(p.pattern);
        else if (p.kind === "PCons") (visit(p.head), visit(p.tail));
        else if (p.kind === "POr") p.alts.forEach(visit);
      };
      visit(s.pattern);
    }
    const r = await this.runStep(k, args, uniq, this.printable(k.check!, t));
    if (!r.ok) return;
    for (const n of uniq) {
      const nt = types.get(n) ?? { kind: "var", id: -1 };
      this.bindings.delete(n);
      this.bindings.set(n, { type: nt, annot: this.annotation(nt) });
    }
    this.out(`${r.text ?? this.placeholder(t)} :: ${showRType(t)}\n`);
  }

  private async expression(input: string): Promise<void> {
    const step = this.compileStep(["  let __repl_v = do", "\u0000INPUT", "  end", "  __repl_v"], input);
    if (step === null) return;
    // a bound name alone shows the type it was bound with: a binding whose type has type
    // variables is an untyped parameter of the step (see compileStep), which would show as `a`
    const t = this.bindings.get(input.trim())?.type ?? this.letType(step.c.modules, step.c.check!, "__repl_v")!;
    const unit = t.kind === "tuple" && t.elems.length === 0;
    const r = await this.runStep(step.c, step.args, [], !unit && this.printable(step.c.check!, t));
    if (!r.ok || unit) return;
    this.out(`${r.text ?? this.placeholder(t)} :: ${showRType(t)}\n`);
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
        const step = this.compileStep(["  let __repl_v = do", "\u0000INPUT", "  end"], arg);
        if (step === null) return;
        const t = this.bindings.get(arg)?.type ?? this.letType(step.c.modules, step.c.check!, "__repl_v");
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

// Session types live in modules ReplT<n>; messages name them as the user wrote them.
function unqualify(s: string): string {
  return s.replace(/\bReplT\d+\./g, "");
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
  // Inputs are evaluated one at a time, in order (a step may wait on the runtime).
  let work: Promise<void> = Promise.resolve();
  let quit = false;
  const handle = async (input: string): Promise<void> => {
    if (quit) return;
    if (tty && input.trim() !== "") {
      try {
        fs.appendFileSync(historyFile, input.replace(/\n/g, " ") + "\n");
      } catch {
        // history is best effort
      }
    }
    try {
      await session.eval(input);
    } catch (e) {
      if (e instanceof QuitSignal) {
        quit = true;
        rl.close();
        return;
      }
      process.stderr.write(`Error: ${e instanceof Error ? e.message : String(e)}\n`);
    }
    prompt();
  };
  await new Promise<void>((resolve) => {
    rl.on("SIGINT", () => {
      if (session.interrupt()) return void process.stdout.write("^C\n"); // the running step fails with "interrupted"
      if (buffer !== "") {
        buffer = "";
        process.stdout.write("^C\n");
      } else process.stdout.write("^C (use :quit or Ctrl-D to exit)\n");
      prompt();
    });
    rl.on("close", () => {
      work = work.then(() => {
        if (tty && !quit) process.stdout.write("Goodbye!\n");
        resolve();
      });
    });
    rl.on("line", (line) => {
      if (quit) return;
      buffer = buffer === "" ? line : buffer + "\n" + line;
      if (!buffer.trim().startsWith(":") && ReplSession.incomplete(buffer)) return prompt();
      const input = buffer;
      buffer = "";
      work = work.then(() => handle(input));
    });
    prompt();
  });
  session.dispose();
  return 0;
}
