// Bottom layer of the CST -> AST visitor: CST access helpers, spans, literals, strings, types
// and patterns. to-ast-expr.ts adds expressions and statements, to-ast.ts items and the module.
// Chevrotain's error recovery can leave CST nodes with missing children; the visitor then
// throws `Incomplete`, and the nearest statement / arm / item is dropped (the parser has
// already reported the error), so the AST is always well-formed.
import type { CstElement, CstNode, IToken } from "chevrotain";
import type { Expr, Param, Pattern, Span, StringPart, TypeExpr, WhereBound } from "../ast/syntax.js";
import { error, type Diagnostic } from "../diag/diagnostic.js";
import { decodeEscapes, floatValue, intValue } from "./literals.js";
import * as T from "./tokens.js";

export class Incomplete {}
const INCOMPLETE = new Incomplete();

export function isToken(e: CstElement): e is IToken {
  return (e as IToken).tokenType !== undefined;
}

// ---------------------------------------------------------------- CST access

export function tok(n: CstNode, key: string): IToken | undefined {
  const a = n.children[key];
  return a === undefined ? undefined : (a[0] as IToken);
}
// (absent children read as one shared empty list instead of a fresh array per lookup)
const NONE: readonly never[] = Object.freeze([]);
export function toks(n: CstNode, key: string): readonly IToken[] {
  return (n.children[key] as IToken[] | undefined) ?? NONE;
}
export function sub(n: CstNode, key: string): CstNode | undefined {
  const a = n.children[key];
  return a === undefined ? undefined : (a[0] as CstNode);
}
export function subs(n: CstNode, key: string): readonly CstNode[] {
  return (n.children[key] as CstNode[] | undefined) ?? NONE;
}
export function need<T>(x: T | undefined | null): T {
  if (x === undefined || x === null) throw INCOMPLETE;
  return x;
}
// A token whose text matters (a name, a literal): virtual tokens inserted by recovery have none.
export function needTok(n: CstNode, key: string): IToken {
  const t = tok(n, key);
  if (t === undefined || t.isInsertedInRecovery) throw INCOMPLETE;
  return t;
}

// Tokens whose text matters (names): none may be a virtual token inserted by recovery.
export function needToks(n: CstNode, key: string): readonly IToken[] {
  const ts = toks(n, key);
  for (const t of ts) if (t.isInsertedInRecovery) throw INCOMPLETE;
  return ts;
}

// First and last real tokens of a CST subtree (used for spans of constructs that are not converted).
export function firstToken(n: CstNode): IToken | undefined {
  let best: IToken | undefined;
  for (const key in n.children) {
    for (const el of n.children[key]!) {
      const t = isToken(el) ? el : firstToken(el);
      if (t !== undefined && !isNaN(t.startOffset) && (best === undefined || t.startOffset < best.startOffset)) best = t;
    }
  }
  return best;
}
export function lastToken(n: CstNode): IToken | undefined {
  let best: IToken | undefined;
  for (const key in n.children) {
    for (const el of n.children[key]!) {
      const t = isToken(el) ? el : lastToken(el);
      if (t !== undefined && !isNaN(t.startOffset) && (best === undefined || t.startOffset > best.startOffset)) best = t;
    }
  }
  return best;
}

// Text of a doc comment: the marker (`##` or `##!`) and one following space removed.
export function docText(image: string, marker: number): string {
  const s = image.slice(marker);
  return (s.startsWith(" ") ? s.slice(1) : s).replace(/\s+$/, "");
}

export abstract class ToAstBase {
  constructor(
    readonly file: string,
    readonly text: string,
    readonly diagnostics: Diagnostic[],
    private readonly docs: readonly IToken[], // `##` comments in source order
  ) {}

  // ---------------------------------------------------------------- documentation comments

  // The `##` lines directly above `first` (no blank line and no code in between).
  docFor(first: IToken): string | null {
    const docs = this.docs;
    let lo = 0, hi = docs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (docs[mid]!.startOffset < first.startOffset) lo = mid + 1;
      else hi = mid;
    }
    let i = lo - 1;
    let next = first.startOffset;
    const lines: string[] = [];
    while (i >= 0 && this.oneLineBreakBetween(this.end(docs[i]!), next)) {
      lines.push(docText(docs[i]!.image, 2));
      next = docs[i]!.startOffset;
      i--;
    }
    return lines.length === 0 ? null : lines.reverse().join("\n");
  }

  private oneLineBreakBetween(from: number, to: number): boolean {
    let breaks = 0;
    const s = this.text;
    for (let i = from; i < to; i++) {
      const c = s.charCodeAt(i);
      if (c === 10) breaks++;
      else if (c === 13) {
        breaks++;
        if (s.charCodeAt(i + 1) === 10) i++;
      } else if (c !== 32 && c !== 9) return false;
    }
    return breaks === 1;
  }

  // ---------------------------------------------------------------- spans and diagnostics

  span(start: number, end: number): Span {
    return { file: this.file, start, end };
  }
  tokSpan(t: IToken): Span {
    return { file: this.file, start: t.startOffset, end: t.startOffset + t.image.length };
  }
  between(a: Span | IToken, b: Span | IToken): Span {
    const start = "file" in a ? a.start : a.startOffset;
    const end = "file" in b ? b.end : b.startOffset + b.image.length;
    return { file: this.file, start, end: Math.max(start, end) };
  }
  end(t: IToken): number {
    return t.startOffset + t.image.length;
  }
  report(message: string, span: Span, extra: Partial<Diagnostic> = {}): void {
    this.diagnostics.push(error("P0001", message, span, extra));
  }

  // ---------------------------------------------------------------- literals and strings

  intLit(t: IToken): number {
    if (t.isInsertedInRecovery) throw INCOMPLETE;
    return intValue(t.image);
  }
  floatLit(t: IToken): number {
    if (t.isInsertedInRecovery) throw INCOMPLETE;
    return floatValue(t.image);
  }

  // Parts of a string literal in source order: decoded text (never empty, never two in a row)
  // and interpolated expressions.
  stringParts(n: CstNode): { parts: StringPart[]; span: Span } {
    const open = need(tok(n, "StringStart") ?? tok(n, "TStringStart"));
    const close = need(tok(n, "StringEnd") ?? tok(n, "TStringEnd"));
    const texts = toks(n, "StringContent");
    const starts = toks(n, "InterpStart");
    const exprs = subs(n, "expression");
    if (starts.length !== exprs.length || toks(n, "InterpEnd").length !== exprs.length) throw INCOMPLETE;
    if (exprs.length === 0 && texts.length <= 1) {
      return { parts: texts.length === 0 ? [] : [decodeEscapes(texts[0]!.image)], span: this.between(open, close) };
    }
    const parts: StringPart[] = [];
    let ti = 0, ii = 0;
    while (ti < texts.length || ii < exprs.length) {
      const t = texts[ti];
      if (t !== undefined && (ii >= exprs.length || t.startOffset < starts[ii]!.startOffset)) {
        const s = decodeEscapes(t.image);
        const last = parts.length - 1;
        if (last >= 0 && typeof parts[last] === "string") parts[last] += s;
        else if (s !== "") parts.push(s);
        ti++;
      } else {
        parts.push(this.expression(exprs[ii]!));
        ii++;
      }
    }
    return { parts, span: this.between(open, close) };
  }

  // ---------------------------------------------------------------- types (§6.1)

  typeExpr(n: CstNode): TypeExpr {
    let t = this.typeBase(n);
    const q = tok(n, "Question");
    if (q !== undefined) t = { kind: "TName", span: this.between(t.span, q), path: ["Option"], args: [t], sugar: "?" };
    const errNode = sub(n, "err");
    if (errNode !== undefined) {
      const e = this.typeExpr(errNode);
      t = { kind: "TName", span: this.between(t.span, e.span), path: ["Result"], args: [t, e], sugar: "!" };
    }
    return t;
  }

  private typeBase(n: CstNode): TypeExpr {
    const lp = tok(n, "LParen");
    if (lp !== undefined) {
      const rp = need(tok(n, "RParen"));
      const elems = subs(n, "elem").map((e) => this.typeExpr(e));
      if (elems.length === 1) return elems[0]!;
      return { kind: "TTuple", span: this.between(lp, rp), elems };
    }
    const names = needToks(n, "name");
    const first = need(names[0]);
    if (tok(n, "funOpen") !== undefined) {
      const ret = this.typeExpr(need(sub(n, "ret")));
      return { kind: "TFun", span: this.between(first, ret.span), params: subs(n, "param").map((p) => this.typeExpr(p)), ret };
    }
    const gt = tok(n, "Gt");
    const last = gt ?? names[names.length - 1]!;
    const span = this.between(first, last);
    const args = subs(n, "arg").map((a) => this.typeExpr(a));
    if (first.image === "Self") {
      if (names.length > 2 || args.length > 0) this.report("`Self` takes no type arguments and at most one associated type (`Self.Item`)", span);
      return { kind: "TSelf", span, assoc: names.length > 1 ? names[1]!.image : null };
    }
    return { kind: "TName", span, path: names.map((t) => t.image), args };
  }

  generics(n: CstNode | undefined): { name: string; span: Span }[] {
    if (n === undefined) return [];
    return needToks(n, "UpperIdent").map((t) => ({ name: t.image, span: this.tokSpan(t) }));
  }

  whereClause(n: CstNode | undefined): WhereBound[] {
    if (n === undefined) return [];
    return subs(n, "whereBound").map((b) => {
      const tv = needTok(b, "typeVar");
      const iface = needToks(b, "iface");
      const last = need(iface[iface.length - 1]);
      return { span: this.between(tv, last), typeVar: tv.image, iface: iface.map((t) => t.image) };
    });
  }

  // ---------------------------------------------------------------- patterns (§5.1)

  // A pattern parsed flat as `patPrim {PatOp patPrim} [as name]`, from a `pattern` node or from a
  // rule that inlines one (`param`, `letStmt`): `|` groups tighter than `::`, which is
  // right-associative.
  pattern(n: CstNode): Pattern {
    const prims = subs(n, "patPrim");
    const ops = toks(n, "PatOp");
    if (prims.length !== ops.length + 1) throw INCOMPLETE;
    let p: Pattern;
    if (ops.length === 0) p = this.patPrim(prims[0]!);
    else {
      // Split into `::`-separated groups of `|` alternatives.
      const groups: Pattern[] = [];
      let alts: Pattern[] = [this.patPrim(prims[0]!)];
      const flush = () => {
        groups.push(alts.length === 1 ? alts[0]! : { kind: "POr", span: this.between(alts[0]!.span, alts[alts.length - 1]!.span), alts });
      };
      for (let i = 0; i < ops.length; i++) {
        const next = this.patPrim(prims[i + 1]!);
        if (ops[i]!.tokenType === T.Bar) alts.push(next);
        else {
          flush();
          alts = [next];
        }
      }
      flush();
      p = groups[groups.length - 1]!;
      for (let i = groups.length - 2; i >= 0; i--) {
        const head = groups[i]!;
        p = { kind: "PCons", span: this.between(head.span, p.span), head, tail: p };
      }
    }
    if (tok(n, "asKw") !== undefined) {
      const name = needTok(n, "asName");
      p = { kind: "PAs", span: this.between(p.span, name), pattern: p, name: name.image };
    }
    return p;
  }

  patPrim(n: CstNode): Pattern {
    const c = n.children;
    const minus = tok(n, "Minus");
    const sign = minus === undefined ? 1 : -1;
    const startOf = (t: IToken) => (minus ?? t).startOffset;
    if (c["LowerIdent"] !== undefined) {
      const t = needTok(n, "LowerIdent");
      const span = this.tokSpan(t);
      return t.image === "_" ? { kind: "PWild", span } : { kind: "PVar", span, name: t.image };
    }
    if (c["IntLit"] !== undefined) {
      const t = needTok(n, "IntLit");
      return { kind: "PLit", span: this.span(startOf(t), this.end(t)), value: { type: "int", value: sign * this.intLit(t) } };
    }
    if (c["FloatLit"] !== undefined) {
      const t = needTok(n, "FloatLit");
      return { kind: "PLit", span: this.span(startOf(t), this.end(t)), value: { type: "float", value: sign * this.floatLit(t) } };
    }
    if (minus !== undefined) throw INCOMPLETE;
    const str = sub(n, "stringLit");
    if (str !== undefined) {
      const { parts, span } = this.stringParts(str);
      let value = "";
      for (const p of parts) {
        if (typeof p === "string") value += p;
        else this.report("string patterns cannot contain interpolation", p.span);
      }
      return { kind: "PLit", span, value: { type: "string", value } };
    }
    for (const [key, v] of [["True", true], ["False", false]] as const) {
      const t = tok(n, key);
      if (t !== undefined) return { kind: "PLit", span: this.tokSpan(t), value: { type: "bool", value: v } };
    }
    const nil = tok(n, "Nil");
    if (nil !== undefined) return { kind: "PLit", span: this.tokSpan(nil), value: { type: "unit" } };
    const lp = tok(n, "LParen");
    if (lp !== undefined) {
      const span = this.between(lp, need(tok(n, "RParen")));
      const elems = subs(n, "pattern").map((p) => this.pattern(p));
      if (elems.length === 0) return { kind: "PLit", span, value: { type: "unit" } };
      if (elems.length === 1) return elems[0]!;
      return { kind: "PTuple", span, elems };
    }
    const lb = tok(n, "LBracket");
    if (lb !== undefined) return { kind: "PEmptyList", span: this.between(lb, need(tok(n, "RBracket"))) };
    const ctor = needToks(n, "ctor");
    const first = need(ctor[0]);
    const path = ctor.map((t) => t.image);
    if (tok(n, "argsOpen") !== undefined) {
      const close = need(tok(n, "argsClose"));
      return { kind: "PCtor", span: this.between(first, close), path, args: subs(n, "arg").map((a) => this.pattern(a)) };
    }
    return { kind: "PCtor", span: this.between(first, ctor[ctor.length - 1]!), path, args: null };
  }

  param(n: CstNode): Param {
    const self = tok(n, "Self");
    const pattern: Pattern =
      self !== undefined ? { kind: "PVar", span: this.tokSpan(self), name: "self" } : this.pattern(n);
    const tn = sub(n, "typeExpr");
    const type = tn === undefined ? null : this.typeExpr(tn);
    return { kind: "Param", span: type === null ? pattern.span : this.between(pattern.span, type.span), pattern, type };
  }

  paramList(n: CstNode | undefined): Param[] {
    if (n === undefined) return [];
    need(tok(n, "RParen"));
    return subs(n, "param").map((p) => this.param(p));
  }

  abstract expression(n: CstNode): Expr;
}
