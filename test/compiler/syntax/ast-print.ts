// Compact S-expression printer for syntax trees, used only by the parser tests so that
// assertions read like `(+ 1 (* 2 3))`. Spans are not printed.
import type {
  Block, Expr, FnDef, Item, Param, Pattern, Stmt, TypeExpr, LiteralValue, ClosureClause, CaseArm,
} from "../../../compiler/ast/syntax.js";

export function printType(t: TypeExpr): string {
  switch (t.kind) {
    case "TName": {
      const base = t.path.join(".") + (t.args.length ? "<" + t.args.map(printType).join(", ") + ">" : "");
      return t.sugar ? `${base}{${t.sugar}}` : base;
    }
    case "TTuple":
      return "(" + t.elems.map(printType).join(", ") + ")";
    case "TFun":
      return "Fun(" + t.params.map(printType).join(", ") + ") -> " + printType(t.ret);
    case "TSelf":
      return t.assoc === null ? "Self" : "Self." + t.assoc;
  }
}

function lit(v: LiteralValue): string {
  switch (v.type) {
    case "int": return String(v.value);
    case "float": return String(v.value) + "f";
    case "string": return JSON.stringify(v.value);
    case "bool": return String(v.value);
    case "unit": return "()";
  }
}

export function printPattern(p: Pattern): string {
  switch (p.kind) {
    case "PWild": return "_";
    case "PVar": return p.name;
    case "PLit": return lit(p.value);
    case "PTuple": return "(ptuple " + p.elems.map(printPattern).join(" ") + ")";
    case "PCtor": return p.path.join(".") + (p.args === null ? "" : "(" + p.args.map(printPattern).join(", ") + ")");
    case "PCons": return `(:: ${printPattern(p.head)} ${printPattern(p.tail)})`;
    case "PEmptyList": return "[]";
    case "POr": return "(| " + p.alts.map(printPattern).join(" ") + ")";
    case "PAs": return `(as ${printPattern(p.pattern)} ${p.name})`;
  }
}

function printParam(p: Param): string {
  return p.type === null ? printPattern(p.pattern) : `${printPattern(p.pattern)} :: ${printType(p.type)}`;
}

export function printBlock(b: Block): string {
  return "{" + b.stmts.map(printStmt).join("; ") + "}";
}

export function printStmt(s: Stmt): string {
  if (s.kind === "Let") return `(let ${printPattern(s.pattern)}${s.type ? " :: " + printType(s.type) : ""} ${printExpr(s.value)})`;
  if (s.kind === "FnDef") return printFn(s);
  return printExpr(s);
}

function printArm(a: CaseArm): string {
  return `(${printPattern(a.pattern)}${a.guard ? " when " + printExpr(a.guard) : ""} -> ${printExpr(a.body)})`;
}

function printClause(c: ClosureClause): string {
  return `(${c.params.map(printParam).join(", ")})${c.guard ? " when " + printExpr(c.guard) : ""} ${printBlock(c.body)}`;
}

export function printExpr(e: Expr): string {
  switch (e.kind) {
    case "Int": return String(e.value);
    case "Float": return String(e.value) + "f";
    case "String": return "(str " + e.parts.map((p) => (typeof p === "string" ? JSON.stringify(p) : printExpr(p))).join(" ") + ")";
    case "Atom": return ":" + e.name;
    case "Bool": return String(e.value);
    case "Unit": return "()";
    case "Name": return e.name;
    case "Member": return `(. ${printExpr(e.target)} ${e.name})`;
    case "Call": {
      const args = [...e.args.map(printExpr), ...e.kwargs.map((k) => `${k.name}: ${printExpr(k.value)}`)];
      return `(call ${printExpr(e.callee)}${args.length ? " " + args.join(" ") : ""})`;
    }
    case "Index": return `(idx ${printExpr(e.target)} ${printExpr(e.index)})`;
    case "Try": return `(? ${printExpr(e.expr)})`;
    case "Unary": return `(${e.op} ${printExpr(e.operand)})`;
    case "Binary": return `(${e.op} ${printExpr(e.left)} ${printExpr(e.right)})`;
    case "Pipe": return `(|> ${printExpr(e.left)} ${printExpr(e.right)})`;
    case "Tuple": return "(tuple " + e.elems.map(printExpr).join(" ") + ")";
    case "List": return "[" + e.elems.map(printExpr).join(" ") + "]";
    case "MapLit": return "(map" + e.entries.map((x) => ` (${printExpr(x.key)} ${printExpr(x.value)})`).join("") + ")";
    case "StructLit": return `(struct ${e.path.join(".")}${e.fields.map((f) => ` ${f.name}: ${printExpr(f.value)}`).join("")})`;
    case "StructUpdate": return `(update ${printExpr(e.base)}${e.fields.map((f) => ` ${f.name}: ${printExpr(f.value)}`).join("")})`;
    case "If": {
      const els = e.elseBranch === null ? "" : " " + (e.elseBranch.kind === "Block" ? printBlock(e.elseBranch) : printExpr(e.elseBranch));
      return `(if ${printExpr(e.cond)} ${printBlock(e.then)}${els})`;
    }
    case "Case": return `(case ${printExpr(e.scrutinee)} ${e.arms.map(printArm).join(" ")})`;
    case "Closure": return "(fn " + e.clauses.map(printClause).join(" | ") + ")";
    case "For": return `(for ${printPattern(e.pattern)} ${printExpr(e.iterable)}${e.filter ? " when " + printExpr(e.filter) : ""} ${printBlock(e.body)})`;
    case "While": return `(while ${printExpr(e.cond)} ${printBlock(e.body)})`;
    case "Break": return "break";
    case "Continue": return "continue";
    case "Return": return e.value === null ? "(return)" : `(return ${printExpr(e.value)})`;
    case "BlockExpr": return `(do ${printBlock(e.block)})`;
    case "Ascribe": return `(: ${printExpr(e.expr)} ${printType(e.type)})`;
    case "Spawn": return "(spawn " + e.args.map(printExpr).join(" ") + ")";
    case "Send": return `(send ${printExpr(e.pid)} ${printExpr(e.message)})`;
    case "Link": return `(link ${printExpr(e.pid)})`;
    case "SelfPid": return "(self)";
    case "Receive": {
      const after = e.after ? ` (after ${printExpr(e.after.timeout)} -> ${printExpr(e.after.body)})` : "";
      return `(receive ${e.arms.map(printArm).join(" ")}${after})`;
    }
  }
}

export function printFn(f: FnDef): string {
  const gen = f.generics.length ? "<" + f.generics.map((g) => g.name).join(", ") + ">" : "";
  const ret = f.ret ? " -> " + printType(f.ret) : "";
  const where = f.where.length ? " where " + f.where.map((w) => `${w.typeVar}: ${w.iface.join(".")}`).join(", ") : "";
  const guard = f.guard ? " when " + printExpr(f.guard) : "";
  return `(${f.pub ? "pub " : ""}fn ${f.name}${gen} (${f.params.map(printParam).join(", ")})${ret}${where}${guard} ${printBlock(f.body)})`;
}

export function printItem(i: Item): string {
  switch (i.kind) {
    case "FnDef": return printFn(i);
    case "Import": return `(import ${i.path.join(".")})`;
    case "FromImport": return `(from ${i.path.join(".")} import ${i.names.map((n) => n.name).join(" ")})`;
    case "Const": return `(const ${printPattern(i.pattern)}${i.type ? " :: " + printType(i.type) : ""} ${printExpr(i.value)})`;
    case "BadItem": return `(bad ${i.what})`;
    default: return `(${i.kind} ${"name" in i ? i.name : ""})`;
  }
}
