// Code generation entry (pipeline: parse → analyse → check → generate): turns one Mesh module
// into one readable JavaScript ES module. The module imports the runtime entry (helpers under
// `$`-prefixed names) and other project modules as namespaces; the entry module ends by
// starting the program with `$runMain(main)`.
import type { Program, ProgramModule } from "../analyse/program.js";
import type { CheckResult } from "../check/annotations.js";
import { call, exprS, id, str, type JsExpr, type JsStmt } from "./js-ast.js";
import { printProgram, quote } from "./js-print.js";
import { indexProgram } from "./context.js";
import { analyseSuspension } from "./suspension.js";
import { genConst, genFieldTypes, genImpl, genStruct, genSum, genTopFn } from "./gen-decl.js";
import { genActor, genService, genSupervisor } from "./gen-concurrency.js";
import { ModCtx } from "./state.js";
import { layerOf } from "../stdlib/facts.js";

export interface GenOptions {
  runtimeImport: string; // module specifier for the runtime entry, e.g. a file URL of dist/runtime/index.js
  sourceText?: string; // the module's source text; enables `.mpl` line numbers in runtime errors
}

export function outputPath(file: string): string {
  return file.replace(/\.mpl$/, "") + ".js";
}

function relativeSpecifier(fromFile: string, toFile: string): string {
  const from = outputPath(fromFile).split("/").slice(0, -1);
  const to = outputPath(toFile).split("/");
  let i = 0;
  while (i < from.length && i < to.length - 1 && from[i] === to[i]) i++;
  const ups = from.length - i;
  const rest = to.slice(i).join("/");
  return ups === 0 ? `./${rest}` : `${"../".repeat(ups)}${rest}`;
}

const LINES_PLACEHOLDER = "\u0000LINES\u0000";

const nodeUse = new WeakMap<CheckResult, boolean>();

/** Does the program call anything of the `Node` module (so it may be a distributed node)? */
function usesNode(check: CheckResult): boolean {
  let u = nodeUse.get(check);
  if (u === undefined) {
    u = false;
    for (const r of check.annotations.refs.values()) {
      if (r.kind === "builtin" && r.module === "Node") {
        u = true;
        break;
      }
    }
    nodeUse.set(check, u);
  }
  return u;
}

export function generateModule(mod: ProgramModule, program: Program, check: CheckResult, opts: GenOptions): { path: string; js: string } {
  const px = indexProgram(program);
  const susp = analyseSuspension(program, check);
  const mi = px.mods.get(mod.name)!;
  const m = new ModCtx(px, mi, check, susp, opts.sourceText);
  const body: JsStmt[] = [];
  const section = (stmts: JsStmt[]) => {
    // module-level statements made while generating the item (receive matchers, spawn options) go first
    const pre = m.pending.splice(0);
    const all = pre.length > 0 && stmts.length > 0 ? [...pre, { k: "blank" } as JsStmt, ...stmts] : [...pre, ...stmts];
    if (all.length === 0) return;
    if (body.length > 0) body.push({ k: "blank" });
    body.push(...all);
  };

  // types first: classes must exist before impls register on them and constants use them
  for (const it of mod.ast.items) {
    if (it.kind === "StructDef") section(genStruct(m, it));
    else if (it.kind === "SumTypeDef") section(genSum(m, it));
  }
  section(mod.ast.items.flatMap((it) => (it.kind === "StructDef" || it.kind === "SumTypeDef" ? genFieldTypes(m, it) : [])));
  // functions, actors, services, supervisors in source order
  for (const it of mod.ast.items) {
    if (it.kind === "FnDef") {
      const g = mi.fns.get(it.name);
      if (g && g.first === it) section([genTopFn(m, g, mi.js.get(`fn:${g.name}`)!)]);
    } else if (it.kind === "ActorDef") section(genActor(m, it));
    else if (it.kind === "ServiceDef") section(genService(m, it));
    else if (it.kind === "SupervisorDef") section(genSupervisor(m, it));
  }
  for (const ii of px.impls) if (ii.module === mod.name) section(genImpl(m, ii));
  // module constants, once, in source order (§3.12)
  const consts: JsStmt[] = [];
  for (const it of mod.ast.items) if (it.kind === "Const") consts.push(...genConst(m, it, mi));
  section(consts);
  // function registry for Node.spawn (concurrency.md §6.7)
  const prefix = mod.name === "Main" ? "" : `${mod.name}.`;
  const reg: [string, ReturnType<typeof id>][] = [];
  for (const g of mi.fns.values()) reg.push([`${prefix}${g.name}/${g.arity}`, id(mi.js.get(`fn:${g.name}`)!)]);
  for (const a of mi.actors.values()) reg.push([`${prefix}${a.name}/${a.params.length}`, id(mi.js.get(`actor:${a.name}`)!)]);
  if (reg.length > 0) section([exprS(call(m.rt("registerFunctions"), [{ k: "obj", props: reg }]))]);
  // in programs that use Node, actors spawned by key keep their kind, name and terminate clause
  if (mi.actors.size > 0 && usesNode(check)) {
    const opts: [string, JsExpr][] = [];
    for (const a of mi.actors.values()) {
      const props: [string, JsExpr][] = [
        ["kind", str("actor")],
        ["name", str(a.name)],
      ];
      if (a.terminate) props.push(["terminate", id(mi.js.get(`term:${a.name}`)!)]);
      opts.push([`${prefix}${a.name}/${a.params.length}`, { k: "obj", props }]);
    }
    section([exprS(call(m.rt("registerSpawnOptions"), [{ k: "obj", props: opts }]))]);
  }
  if (program.entry === mod.name && mi.fns.has("main")) section([exprS(call(m.rt("runMain"), [id(mi.js.get("fn:main")!)]))]);

  // header: imports (computed after the body, which decides what is used)
  m.helpers.add("registerSource");
  const header: JsStmt[] = [{ k: "comment", text: `Generated by meshc from ${mod.file} (module ${mod.name}). Do not edit.` }];
  const helpers = [...m.helpers].sort();
  header.push({ k: "raw", code: `import { ${helpers.map((h) => `${h} as $${h}`).join(", ")} } from ${quote(opts.runtimeImport)};` });
  // runtime layers (web, db, orm, dist) load only in programs that call them
  const layers = new Set<string>();
  for (const lm of m.libModules) {
    const layer = layerOf(lm);
    if (layer !== null) layers.add(layer);
  }
  for (const layer of [...layers].sort()) header.push({ k: "raw", code: `import ${quote(layerSpecifier(opts.runtimeImport, layer))};` });
  const imported = new Set<string>([...mi.imported.filter((n) => px.mods.has(n)), ...m.nsAlias.keys()]);
  for (const name of imported) {
    const target = px.mods.get(name);
    if (!target) continue;
    header.push({ k: "raw", code: `import * as ${m.namespace(name)} from ${quote(relativeSpecifier(mod.file, target.pm.file))};` });
  }
  // the entry module loads every module so that all impls are registered (impls are global)
  if (program.entry === mod.name) {
    for (const pm of program.modules) {
      if (pm.name !== mod.name && !imported.has(pm.name)) header.push({ k: "raw", code: `import ${quote(relativeSpecifier(mod.file, pm.file))};` });
    }
  }
  header.push({ k: "blank" });
  header.push(exprS(call(id("$registerSource"), [id("import.meta.url"), str(mod.file), str(LINES_PLACEHOLDER)])));
  header.push({ k: "blank" });
  // one blank line between top-level functions and classes
  const spaced: JsStmt[] = [];
  for (const st of body) {
    const prev = spaced[spaced.length - 1];
    if ((st.k === "fn" || st.k === "class") && prev && prev.k !== "blank") spaced.push({ k: "blank" });
    spaced.push(st);
    if (st.k === "fn") spaced.push({ k: "blank" });
  }
  while (spaced.length > 0 && spaced[spaced.length - 1]!.k === "blank") spaced.pop();
  const cleaned = spaced.filter((st, i) => !(st.k === "blank" && spaced[i - 1]?.k === "blank"));
  const printed = printProgram([...header, ...cleaned]);
  // JS line -> .mpl line table, as change points "jsLine:mplLine,..."
  const points: string[] = [];
  let last = -1;
  printed.lines.forEach((l, i) => {
    if (l !== last) {
      points.push(`${i + 1}:${l}`);
      last = l;
    }
  });
  const js = printed.code.replace(quote(LINES_PLACEHOLDER), quote(points.join(","))) + (printed.code.endsWith("\n") ? "" : "\n");
  return { path: outputPath(mod.file), js };
}

/** `…/runtime/index.js` → `…/runtime/lib/<layer>.js` (the same extension and base). */
function layerSpecifier(runtimeImport: string, layer: string): string {
  const m = /index\.(js|ts)$/.exec(runtimeImport);
  return m ? `${runtimeImport.slice(0, m.index)}lib/${layer}.${m[1]}` : `${runtimeImport}/lib/${layer}.js`;
}
