// The one printer of the code generator: turns the JS syntax tree (js-ast.ts) into indented text
// with minimal parentheses, and reports which Mesh source line each JS line came from (for
// runtime error locations, see runtime/core/location.ts).
import type { JsExpr, JsStmt } from "./js-ast.js";

const IND = "  ";
// Statement line markers are embedded in the text while printing and stripped afterwards; this
// keeps line bookkeeping correct for statements nested inside function expressions.
const MARK_OPEN = "\u0001";
const MARK_CLOSE = "\u0002";

const BIN_PREC: Record<string, number> = {
  "??": 4,
  "||": 4,
  "&&": 5,
  "|": 6,
  "^": 7,
  "&": 8,
  "==": 9,
  "!=": 9,
  "===": 9,
  "!==": 9,
  "<": 10,
  ">": 10,
  "<=": 10,
  ">=": 10,
  instanceof: 10,
  in: 10,
  "<<": 11,
  ">>": 11,
  ">>>": 11,
  "+": 12,
  "-": 12,
  "*": 13,
  "/": 13,
  "%": 13,
  "**": 14,
};

function prec(e: JsExpr): number {
  switch (e.k) {
    case "seq":
      return 1;
    case "yield":
    case "assign":
      return 2;
    case "fn":
      return e.arrow ? 2 : 20;
    case "cond":
      return 3;
    case "bin":
      return BIN_PREC[e.op] ?? 10;
    case "un":
      return 15;
    case "num":
      return e.value < 0 || Object.is(e.value, -0) ? 15 : 20;
    case "call":
    case "new":
    case "mem":
    case "idx":
      return 18;
    default:
      return 20;
  }
}

const IDENT_RE = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (c < 0x20 || c === 0x7f || c === 0x2028 || c === 0x2029) out += "\\u" + c.toString(16).padStart(4, "0");
    else out += ch;
  }
  return out + '"';
}

function numText(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "Infinity";
  if (v === -Infinity) return "-Infinity";
  if (Object.is(v, -0)) return "-0";
  return String(v);
}

function propKey(k: string): string {
  return IDENT_RE.test(k) ? k : quote(k);
}

class Printer {
  expr(e: JsExpr, ind: string, min = 0): string {
    const s = this.exprRaw(e, ind);
    return prec(e) < min ? `(${s})` : s;
  }

  private list(es: readonly JsExpr[], ind: string): string {
    return es.map((a) => this.expr(a, ind, 2)).join(", ");
  }

  private exprRaw(e: JsExpr, ind: string): string {
    switch (e.k) {
      case "id":
        return e.name;
      case "num": {
        const t = numText(e.value);
        return e.float && /^-?\d+$/.test(t) ? t + ".0" : t;
      }
      case "str":
        return quote(e.value);
      case "bool":
        return e.value ? "true" : "false";
      case "undef":
        return "undefined";
      case "null":
        return "null";
      case "obj": {
        if (e.props.length === 0) return "{}";
        const one = `{ ${e.props.map(([k, v]) => `${propKey(k)}: ${this.expr(v, ind, 2)}`).join(", ")} }`;
        if (one.length <= 100 && !one.includes("\n")) return one;
        // long or nested-function objects: one property per line
        const i2 = ind + IND;
        return `{\n${e.props.map(([k, v]) => `${i2}${propKey(k)}: ${this.expr(v, i2, 2)},\n`).join("")}${ind}}`;
      }
      case "arr": {
        const one = `[${this.list(e.elems, ind)}]`;
        if (one.length <= 100 || !e.elems.some((x) => x.k === "obj")) return one;
        const i2 = ind + IND;
        return `[\n${e.elems.map((x) => `${i2}${this.expr(x, i2, 2)},\n`).join("")}${ind}]`;
      }
      case "call": {
        // an immediately-called function expression needs parentheses around the callee
        const callee = e.callee.k === "fn" ? `(${this.exprRaw(e.callee, ind)})` : this.expr(e.callee, ind, 18);
        return `${callee}(${this.list(e.args, ind)})`;
      }
      case "new": {
        // `new a.B(x)` needs no parentheses; a call in the callee does
        const c = e.callee.k === "call" || e.callee.k === "new" ? `(${this.exprRaw(e.callee, ind)})` : this.expr(e.callee, ind, 18);
        return `new ${c}(${this.list(e.args, ind)})`;
      }
      case "mem": {
        const o = this.expr(e.obj, ind, 18);
        const o2 = e.obj.k === "num" ? `(${o})` : o;
        return IDENT_RE.test(e.prop) ? `${o2}.${e.prop}` : `${o2}[${quote(e.prop)}]`;
      }
      case "idx":
        return `${this.expr(e.obj, ind, 18)}[${this.expr(e.index, ind)}]`;
      case "bin": {
        const p = BIN_PREC[e.op] ?? 10;
        // left-associative: the right operand needs parentheses at equal precedence
        if (p === 14) return `${this.expr(e.l, ind, p + 1)} ${e.op} ${this.expr(e.r, ind, p)}`;
        // a left-deep chain at one precedence (`a && b && ...` from a long pattern) in a loop
        const links: Extract<JsExpr, { k: "bin" }>[] = [];
        let x: JsExpr = e;
        while (x.k === "bin" && (BIN_PREC[x.op] ?? 10) === p) {
          links.push(x);
          x = x.l;
        }
        let s = this.expr(x, ind, p);
        for (let i = links.length - 1; i >= 0; i--) s += ` ${links[i]!.op} ${this.expr(links[i]!.r, ind, p + 1)}`;
        return s;
      }
      case "un": {
        const inner = this.expr(e.e, ind, 15);
        const word = /^[a-z]/.test(e.op);
        const clash = (e.op === "-" && inner.startsWith("-")) || (e.op === "+" && inner.startsWith("+"));
        return word ? `${e.op} ${inner}` : clash ? `${e.op}(${inner})` : `${e.op}${inner}`;
      }
      case "cond":
        return `${this.expr(e.c, ind, 4)} ? ${this.expr(e.t, ind, 2)} : ${this.expr(e.f, ind, 2)}`;
      case "assign":
        return `${this.expr(e.target, ind, 18)} = ${this.expr(e.value, ind, 2)}`;
      case "seq":
        return e.exprs.map((x) => this.expr(x, ind, 2)).join(", ");
      case "yield":
        return e.arg ? `yield${e.delegate ? "*" : ""} ${this.expr(e.arg, ind, 2)}` : "yield";
      case "fn": {
        const params = e.params.join(", ");
        if (e.arrow) {
          if (e.body.length === 1 && e.body[0]!.k === "return" && e.body[0]!.e) {
            const b = e.body[0]!.e;
            const s = this.expr(b, ind, 2);
            return `(${params}) => ${b.k === "obj" ? `(${s})` : s}`;
          }
          return `(${params}) => ${this.body(e.body, ind)}`;
        }
        return `function${e.gen ? "*" : ""}${e.name ? " " + e.name : e.gen ? "" : " "}(${params}) ${this.body(e.body, ind)}`;
      }
    }
  }

  body(stmts: readonly JsStmt[], ind: string): string {
    if (stmts.length === 0) return "{}";
    const inner = ind + IND;
    return `{\n${stmts.map((s) => this.stmt(s, inner)).join("")}${ind}}`;
  }

  private mark(line: number | undefined): string {
    return line !== undefined && line > 0 ? `${MARK_OPEN}${line}${MARK_CLOSE}` : "";
  }

  stmt(s: JsStmt, ind: string): string {
    switch (s.k) {
      case "expr": {
        const t = this.expr(s.e, ind);
        // a statement may not start with `function` or `{`
        const safe = (s.e.k === "fn" && !s.e.arrow) || s.e.k === "obj" ? `(${t})` : t;
        return `${ind}${this.mark(s.line)}${safe};\n`;
      }
      case "decl":
        return `${ind}${this.mark(s.line)}${s.exported ? "export " : ""}${s.kind} ${s.name}${s.init ? " = " + this.expr(s.init, ind, 2) : ""};\n`;
      case "return":
        return `${ind}${this.mark(s.line)}return${s.e ? " " + this.expr(s.e, ind) : ""};\n`;
      case "if": {
        const only = s.then.length === 1 ? s.then[0]! : null;
        if (!s.else && only && (only.k === "expr" || only.k === "return" || only.k === "break" || only.k === "continue" || only.k === "throw")) {
          // `if (c) return x;` on one line
          const inner = this.stmt(only, "").replace(/\n$/, "");
          if (!inner.includes("\n") && inner.length < 100) return `${ind}${this.mark(s.line)}if (${this.expr(s.c, ind)}) ${inner}\n`;
        }
        let out = `${ind}${this.mark(s.line)}if (${this.expr(s.c, ind)}) ${this.body(s.then, ind)}`;
        let els = s.else;
        while (els && els.length > 0) {
          if (els.length === 1 && els[0]!.k === "if") {
            const e2 = els[0] as Extract<JsStmt, { k: "if" }>;
            out += ` else ${this.mark(e2.line)}if (${this.expr(e2.c, ind)}) ${this.body(e2.then, ind)}`;
            els = e2.else;
          } else {
            out += ` else ${this.body(els, ind)}`;
            break;
          }
        }
        return out + "\n";
      }
      case "while":
        return `${ind}${this.mark(s.line)}${s.label ? s.label + ": " : ""}while (${this.expr(s.c, ind)}) ${this.body(s.body, ind)}\n`;
      case "for": {
        const init = s.init ? this.stmt(s.init, "").trim().replace(/;$/, "") : "";
        const test = s.test ? this.expr(s.test, ind) : "";
        const upd = s.update ? this.expr(s.update, ind) : "";
        return `${ind}${this.mark(s.line)}${s.label ? s.label + ": " : ""}for (${init}; ${test}; ${upd}) ${this.body(s.body, ind)}\n`;
      }
      case "forOf":
        return `${ind}${this.mark(s.line)}${s.label ? s.label + ": " : ""}for (const ${s.name} of ${this.expr(s.iter, ind)}) ${this.body(s.body, ind)}\n`;
      case "break":
        return `${ind}break${s.label ? " " + s.label : ""};\n`;
      case "continue":
        return `${ind}continue${s.label ? " " + s.label : ""};\n`;
      case "block":
        return `${ind}${s.label ? s.label + ": " : ""}${this.body(s.body, ind)}\n`;
      case "fn":
        return `${ind}${this.mark(s.line)}${s.exported ? "export " : ""}function${s.gen ? "*" : ""} ${s.name}(${s.params.join(", ")}) ${this.body(s.body, ind)}\n`;
      case "class": {
        const head = `${ind}${s.exported ? "export " : ""}class ${s.name}`;
        if (s.fields.length === 0) return `${head} {}\n`;
        const i2 = ind + IND;
        const i3 = i2 + IND;
        const ctorParams = s.fields.map(([, p]) => p).join(", ");
        const assigns = s.fields.map(([f, p]) => `${i3}this${IDENT_RE.test(f) ? "." + f : `[${quote(f)}]`} = ${p};\n`).join("");
        return `${head} {\n${i2}constructor(${ctorParams}) {\n${assigns}${i2}}\n${ind}}\n`;
      }
      case "throw":
        return `${ind}throw ${this.expr(s.e, ind)};\n`;
      case "comment":
        return s.text
          .split("\n")
          .map((l) => `${ind}// ${l}`.trimEnd() + "\n")
          .join("");
      case "blank":
        return "\n";
      case "raw":
        return s.code
          .split("\n")
          .map((l) => (l.length ? ind + l : l))
          .join("\n") + "\n";
    }
  }
}

export interface Printed {
  readonly code: string;
  // lines[i] = Mesh source line of JS line i + 1 (0 = unknown)
  readonly lines: readonly number[];
}

export function printProgram(stmts: readonly JsStmt[]): Printed {
  const p = new Printer();
  const text = stmts.map((s) => p.stmt(s, "")).join("");
  const rawLines = text.split("\n");
  const lines: number[] = [];
  const out: string[] = [];
  let cur = 0;
  const re = new RegExp(`${MARK_OPEN}(\\d+)${MARK_CLOSE}`, "g");
  for (const l of rawLines) {
    let first = -1;
    const stripped = !l.includes(MARK_OPEN)
      ? l
      : l.replace(re, (_m, n: string) => {
          if (first < 0) first = Number(n);
          cur = Number(n);
          return "";
        });
    lines.push(first >= 0 ? first : cur);
    out.push(stripped);
  }
  return { code: out.join("\n"), lines };
}

export function printExpr(e: JsExpr): string {
  return new Printer().expr(e, "");
}

export function printStmts(stmts: readonly JsStmt[]): string {
  return printProgram(stmts).code;
}
