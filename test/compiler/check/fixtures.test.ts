// Every language.md Appendix A program T01–T29 (and the concurrency conformance programs) must
// type-check with zero errors.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { check, errorsOf, readProject } from "./project.js";

const HERE = path.dirname(new URL(import.meta.url).pathname);
const FIX = path.join(HERE, "fixtures");
const CONC = path.resolve(HERE, "../../golden/conc");

describe("Appendix A programs check cleanly", () => {
  for (const f of fs.readdirSync(FIX).sort()) {
    const p = path.join(FIX, f);
    it(f, () => {
      const files = fs.statSync(p).isDirectory() ? readProject(p) : { "main.mpl": fs.readFileSync(p, "utf8") };
      const c = check(files);
      expect(c.parseDiags).toEqual([]);
      expect(errorsOf(c)).toEqual([]);
      expect(c.lines.filter((l) => l.startsWith("W"))).toEqual([]);
    });
  }
});

describe("concurrency conformance programs check cleanly", () => {
  const files = fs.readdirSync(CONC).filter((f) => f.endsWith(".mpl")).sort();
  for (const f of files) {
    it(f, () => {
      const c = check({ "main.mpl": fs.readFileSync(path.join(CONC, f), "utf8") });
      expect(errorsOf(c)).toEqual([]);
    });
  }
});

// Every expression of the Appendix A programs gets a type (qualified-name heads excepted), every
// plain Name a Ref, every Binary/Unary an OpRef, every PVar a binding id.
describe("annotation coverage on Appendix A programs", () => {
  for (const f of fs.readdirSync(FIX).sort()) {
    const p = path.join(FIX, f);
    it(f, () => {
      const files = fs.statSync(p).isDirectory() ? readProject(p) : { "main.mpl": fs.readFileSync(p, "utf8") };
      const c = check(files);
      const ann = c.result.annotations;
      const missing: string[] = [];
      const heads = new Set<unknown>();
      const visit = (x: unknown): void => {
        if (x === null || typeof x !== "object") return;
        if (Array.isArray(x)) return x.forEach(visit);
        const o = x as { kind?: string; target?: unknown; span?: { start: number } };
        if (o.kind === "Member") heads.add(o.target);
        const exprKinds = ["Int", "Float", "String", "Atom", "Bool", "Unit", "Name", "Member", "Call", "Index", "Try", "Unary", "Binary", "Pipe", "Tuple", "List", "MapLit", "StructLit", "StructUpdate", "If", "Case", "Closure", "For", "While", "Break", "Continue", "Return", "BlockExpr", "Ascribe", "Spawn", "Send", "Link", "SelfPid", "Receive"];
        if (o.kind && exprKinds.includes(o.kind) && !heads.has(o)) {
          const e = o as never;
          if (!ann.types.has(e)) missing.push(`type of ${o.kind} at ${o.span?.start}`);
          if (o.kind === "Name" && !ann.refs.has(e)) missing.push(`ref of Name at ${o.span?.start}`);
          if ((o.kind === "Binary" || o.kind === "Unary") && !ann.ops.has(e)) missing.push(`op at ${o.span?.start}`);
        }
        if (o.kind === "PVar" && !ann.bindings.has(o as never)) missing.push(`binding of PVar at ${o.span?.start}`);
        for (const [k, v] of Object.entries(o)) if (k !== "span" && k !== "nameSpan" && k !== "opSpan" && k !== "keySpan" && k !== "pathSpan" && k !== "ifaceSpan") visit(v);
      };
      // module constants are globals; bodiless interface signatures bind nothing
      const ignore = new Set<unknown>();
      for (const m of c.program.modules) {
        for (const it of m.ast.items) {
          if (it.kind === "Const") ignore.add(it.pattern);
          if (it.kind === "InterfaceDef") for (const ms of it.methods) if (!ms.body) for (const prm of ms.params) ignore.add(prm.pattern);
        }
      }
      for (const m of c.program.modules) visit(m.ast.items);
      const bad = missing.filter((x) => !(x.startsWith("binding of PVar") && [...ignore].some((p) => `binding of PVar at ${(p as { span: { start: number } }).span.start}` === x)));
      expect(bad).toEqual([]);
    });
  }
});
