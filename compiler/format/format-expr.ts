// Formatter layer for expressions, statements and blocks (tooling.md F3, F5, F8–F13, F16), plus
// the token-joined constructs (types, patterns, parameters) whose spacing F3 fixes and which are
// never broken (F12).
import type { CstNode, IToken } from "chevrotain";
import { group, hardline, hasHardBreak, indent, line, type Doc } from "./doc.js";
import { printDoc } from "./printer.js";
import { allTokens, isTok, kids, node, nodes, startOf, endOf, token, tokens, under, type El } from "./cst.js";
import { FormatContext, bodyPolicy, type ListElem, type SeqElem } from "./format-context.js";
import * as T from "../syntax/tokens.js";

// Thrown inside `${…}` by a construct without a one-line form: the interpolation is kept verbatim.
class NoInline extends Error {}

const STRING_PART = new Set<unknown>([T.StringStart, T.TStringStart, T.StrText, T.TStrText, T.StringEnd, T.TStringEnd, T.InterpStart, T.InterpEnd]);
const NO_SPACE_BEFORE = new Set<unknown>([T.Comma, T.RParen, T.RBracket, T.Gt, T.Dot, T.Question, T.Bang, T.Colon]);
const NO_SPACE_AFTER = new Set<unknown>([T.LParen, T.LBracket, T.Lt, T.Dot, T.Bang, T.Minus]);
const IDENT = new Set<unknown>([T.UpperIdent, T.LowerIdent]);

// Spacing between two tokens of a type, pattern, parameter or header (F3).
function spaced(a: IToken, b: IToken): boolean {
  const ta = a.tokenType, tb = b.tokenType;
  if (STRING_PART.has(ta) && ta !== T.StringEnd && ta !== T.TStringEnd) return false;
  if (tb === T.StrText || tb === T.TStrText || tb === T.StringEnd || tb === T.TStringEnd || tb === T.InterpStart || tb === T.InterpEnd) return false;
  if (NO_SPACE_BEFORE.has(tb) || NO_SPACE_AFTER.has(ta)) return false;
  if (tb === T.LParen || tb === T.Lt) return !IDENT.has(ta) && ta !== T.Self;
  if (ta === T.LBracket && tb === T.RBracket) return false;
  return true;
}

export abstract class ExprFormatter extends FormatContext {
  protected inline = 0;

  abstract fnDef(n: CstNode): Doc;

  // ---------------------------------------------------------------- token-joined constructs

  joined(els: El | readonly El[]): Doc {
    const list = Array.isArray(els) ? (els as El[]) : [els as El];
    const toks: IToken[] = [];
    for (const e of list) toks.push(...allTokens(e));
    const out: Doc[] = [];
    let prev: IToken | null = null;
    for (const t of toks) {
      if (prev !== null && spaced(prev, t)) out.push(" ");
      out.push(STRING_PART.has(t.tokenType) && prev !== null && STRING_PART.has(prev.tokenType) ? t.image : this.tok(t));
      prev = t;
    }
    return out;
  }

  // ---------------------------------------------------------------- statements and blocks

  stmt(e: CstNode, stmtPos: boolean): Doc {
    switch (e.name) {
      case "fnDef":
        if (this.inline) throw new NoInline();
        return this.fnDef(e);
      case "letStmt":
        return this.letStmt(e);
      default:
        return this.expr(e, stmtPos);
    }
  }

  stmtElems(block: CstNode | undefined, stmtPos = true): SeqElem[] {
    if (block === undefined) return [];
    return kids(block)
      .filter((e): e is CstNode => !isTok(e))
      .map((e) => ({ start: startOf(e), end: endOf(e), kind: e.name, render: () => this.stmt(e, stmtPos) }));
  }

  blockBody(block: CstNode | undefined, closeAt: number): Doc {
    return this.body(this.stmtElems(block), closeAt, bodyPolicy);
  }

  letStmt(n: CstNode): Doc {
    const all = kids(n);
    const letTok = token(n, "Let")!;
    const cc = token(n, "ColonColon");
    const eq = token(n, "Eq")!;
    const patEnd = cc ? cc.startOffset : eq.startOffset;
    const pat = all.filter((e) => e !== letTok && startOf(e) < patEnd);
    const parts: Doc[] = [this.tok(letTok), " ", this.joined(pat)];
    if (cc) parts.push(" ", this.tok(cc), " ", this.joined(node(n, "typeExpr")!));
    parts.push(" ", this.tok(eq), " ", this.expr(node(n, "expression")!, true));
    return parts;
  }

  // ---------------------------------------------------------------- expressions

  // `stmtPos`: statement position, where pipe chains always break (F11).
  expr(n: CstNode, stmtPos = false): Doc {
    const ops = tokens(n, "BinOp");
    const first = this.operand(n);
    if (ops.length === 0) return first;
    const operands = nodes(n, "operand");
    const pipes = stmtPos && this.inline === 0 && ops.some((o) => o.tokenType === T.PipeOp);
    const head: Doc[] = [first];
    const stages: Doc[] = [];
    let cur: Doc[] = head;
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i]!;
      const rhs = operands[i]!;
      if (pipes && op.tokenType === T.PipeOp) {
        const { trailing, lines } = this.leadingLines(op.startOffset);
        cur.push(...trailing);
        const stage: Doc[] = [hardline, ...lines, this.tok(op), " ", this.operand(rhs)];
        stages.push(stage);
        cur = stage;
      } else if (op.tokenType === T.DotDot) cur.push(this.tok(op), this.operand(rhs));
      else cur.push(" ", this.tok(op), " ", this.operand(rhs));
    }
    return stages.length > 0 ? [head, indent(stages)] : head;
  }

  operand(n: CstNode): Doc {
    const pre = tokens(n, "PrefixOp");
    const primTok = token(n, "prim");
    const prim = primTok !== undefined ? this.tok(primTok) : this.primNode(node(n, "primNode")!);
    const post = under(n, "postfix");
    if (pre.length === 0 && post.length === 0) return prim;
    const parts: Doc[] = pre.map((p) => (p.tokenType === T.Not ? [this.tok(p), " "] : this.tok(p)));
    parts.push(prim);
    for (const p of post) {
      if (isTok(p)) {
        parts.push(this.tok(p));
        continue;
      }
      switch (p.name) {
        case "callArgs":
          parts.push(this.callArgs(p));
          break;
        case "memberAccess":
          parts.push(this.tok(token(p, "Dot")!), this.tok(token(p, "name")!));
          break;
        case "indexAccess":
          parts.push(this.tok(token(p, "LBracket")!), this.expr(node(p, "expression")!), this.tok(token(p, "RBracket")!));
          break;
        case "structBody":
          parts.push(" ", this.structBody(p));
          break;
      }
    }
    return parts;
  }

  primNode(n: CstNode): Doc {
    switch (n.name) {
      case "stringLit":
        return this.stringLit(n);
      case "selfExpr":
        return this.joined(n);
      case "parenExpr":
        return this.parenExpr(n);
      case "listLit":
        return this.bracket(this.tok(token(n, "LBracket")!), this.exprElems(n), token(n, "RBracket")!);
      case "mapLit":
        return this.mapLit(n);
      case "ifExpr":
        return this.ifExpr(n);
      case "caseExpr":
        return this.caseExpr(n);
      case "closure":
        return this.closure(n);
      case "forExpr":
        return this.forExpr(n);
      case "whileExpr": {
        this.noInline();
        const end = token(n, "End")!;
        return [this.tok(token(n, "While")!), " ", this.expr(node(n, "expression")!), " ", this.tok(token(n, "Do")!), this.blockBody(node(n, "block"), end.startOffset), hardline, this.tok(end)];
      }
      case "returnExpr": {
        const e = node(n, "expression");
        return e ? [this.tok(token(n, "Return")!), " ", this.expr(e, true)] : this.tok(token(n, "Return")!);
      }
      case "blockExpr": {
        this.noInline();
        const end = token(n, "End")!;
        return [this.tok(token(n, "Do")!), this.blockBody(node(n, "block"), end.startOffset), hardline, this.tok(end)];
      }
      case "concCall":
        return [this.tok(token(n, "kw")!), this.bracket(this.tok(token(n, "LParen")!), this.exprElems(n), token(n, "RParen")!, { hug: true })];
      case "receiveExpr":
        return this.receiveExpr(n);
      default:
        return this.joined(n);
    }
  }

  private noInline(): void {
    if (this.inline > 0) throw new NoInline();
  }

  exprElems(n: CstNode, key = "expression"): ListElem[] {
    return nodes(n, key).map((e) => ({ start: startOf(e), end: endOf(e), render: () => this.expr(e), hug: this.huggable(e) }));
  }

  // A closure or a list, map or struct literal alone (F13 hugging).
  private huggable(e: CstNode): boolean {
    if (tokens(e, "BinOp").length > 0 || tokens(e, "PrefixOp").length > 0) return false;
    const prim = node(e, "primNode");
    const post = under(e, "postfix");
    if (prim !== undefined) return post.length === 0 && ["closure", "listLit", "mapLit"].includes(prim.name);
    const last = post[post.length - 1];
    return last !== undefined && !isTok(last) && last.name === "structBody";
  }

  callArgs(n: CstNode): Doc {
    const elems: ListElem[] = [];
    let kw: IToken | null = null;
    let colon: IToken | null = null;
    for (const e of kids(n)) {
      if (isTok(e)) {
        if (e.tokenType === T.LowerIdent) kw = e;
        else if (e.tokenType === T.Colon) colon = e;
        continue;
      }
      const k = kw, c = colon;
      elems.push({
        start: k ? k.startOffset : startOf(e),
        end: endOf(e),
        render: () => (k && c ? [this.tok(k), this.tok(c), " ", this.expr(e)] : this.expr(e)),
        hug: this.huggable(e),
      });
      kw = colon = null;
    }
    return this.bracket(this.tok(token(n, "LParen")!), elems, token(n, "RParen")!, { hug: true });
  }

  fieldElems(n: CstNode, key = "fieldInit"): ListElem[] {
    return nodes(n, key).map((f) => ({
      start: startOf(f),
      end: endOf(f),
      render: () => [this.tok(token(f, "LowerIdent")!), this.tok(token(f, "Colon")!), " ", this.expr(node(f, "expression")!)],
    }));
  }

  structBody(n: CstNode): Doc {
    return this.bracket(this.tok(token(n, "LBrace")!), this.fieldElems(n), token(n, "RBrace")!, { spaced: true });
  }

  parenExpr(n: CstNode): Doc {
    const open = token(n, "LParen")!;
    const close = token(n, "RParen")!;
    const exprs = nodes(n, "expression");
    const cc = token(n, "ColonColon");
    const ascription = (): Doc => (cc ? [" ", this.tok(cc), " ", this.joined(node(n, "typeExpr")!)] : "");
    if (exprs.length === 0) return [this.tok(open), this.tok(close)];
    if (exprs.length === 1) return [this.tok(open), this.expr(exprs[0]!), ascription(), this.tok(close)];
    const elems: ListElem[] = exprs.map((e, i) => ({
      start: startOf(e),
      end: endOf(e),
      render: () => (i === 0 ? [this.expr(e), ascription()] : this.expr(e)),
    }));
    return this.bracket(this.tok(open), elems, close);
  }

  mapLit(n: CstNode): Doc {
    const open = this.tok(token(n, "PercentLBrace")!);
    const close = token(n, "RBrace")!;
    const keys = nodes(n, "key");
    const bar = token(n, "Bar");
    if (bar !== undefined) {
      const base = keys[0]!;
      const fields = this.fieldElems(n);
      const elems: ListElem[] = fields.map((f, i) =>
        i === 0 ? { start: startOf(base), end: f.end, render: () => [this.expr(base), " ", this.tok(bar), " ", f.render()] } : f,
      );
      return this.bracket(open, elems, close);
    }
    const values = nodes(n, "value");
    const arrows = tokens(n, "FatArrow");
    const elems: ListElem[] = keys.map((k, i) => ({
      start: startOf(k),
      end: endOf(values[i]!),
      render: () => [this.expr(k), " ", this.tok(arrows[i]!), " ", this.expr(values[i]!)],
    }));
    return this.bracket(open, elems, close);
  }

  // ---------------------------------------------------------------- strings (F16)

  stringLit(n: CstNode): Doc {
    const parts: string[] = [];
    const all = kids(n);
    let first = true;
    const out: Doc[] = [];
    for (let i = 0; i < all.length; i++) {
      const e = all[i]!;
      if (isTok(e) && e.tokenType !== T.InterpStart) {
        if (first) {
          out.push(this.flushBefore(e.startOffset));
          first = false;
        }
        parts.push(e.image);
        continue;
      }
      if (isTok(e)) {
        // `${` expression `}`
        const ex = all[i + 1] as CstNode;
        const close = all[i + 2] as IToken;
        i += 2;
        parts.push(this.interpolation(e, ex, close));
      }
    }
    const last = all[all.length - 1]!;
    out.push(parts.join(""), ...this.trailingAfter(endOf(last)));
    return out;
  }

  private interpolation(open: IToken, e: CstNode, close: IToken): string {
    const end = close.startOffset + close.image.length;
    const verbatim = () => {
      this.skipBefore(end);
      return this.src.slice(open.startOffset, end);
    };
    if (this.hasCommentIn(open.startOffset, end)) return verbatim();
    if (allTokens(e).some((t) => (t.tokenType === T.StrText || t.tokenType === T.TStrText) && /[\r\n]/.test(t.image))) return verbatim();
    const saved = this.cursor;
    this.inline++;
    try {
      const d = this.expr(e);
      if (hasHardBreak(d)) {
        this.cursor = saved;
        return verbatim();
      }
      return "${" + printDoc(d, { lineWidth: 1e9, indentSize: 1 }) + "}";
    } catch (err) {
      if (!(err instanceof NoInline)) throw err;
      this.cursor = saved;
      return verbatim();
    } finally {
      this.inline--;
    }
  }

  private skipBefore(pos: number): void {
    while (this.cursor < this.comments.length && this.comments[this.cursor]!.startOffset < pos) this.cursor++;
  }

  // ---------------------------------------------------------------- control flow (F8, F9)

  ifExpr(n: CstNode): Doc {
    const end = token(n, "End")!;
    if (this.inline > 0) return this.inlineIf(n);
    return [this.tok(token(n, "If")!), " ", this.expr(node(n, "expression")!), " ", this.tok(token(n, "Do")!), this.ifRest(node(n, "ifRest")!, end), hardline, this.tok(end)];
  }

  private ifRest(r: CstNode, end: IToken): Doc {
    const elseTok = token(r, "Else");
    const parts: Doc[] = [this.blockBody(node(r, "then"), elseTok ? elseTok.startOffset : end.startOffset)];
    if (elseTok === undefined) return parts;
    parts.push(hardline, this.tok(elseTok));
    const ifTok = token(r, "If");
    if (ifTok !== undefined) {
      parts.push(" ", this.tok(ifTok), " ", this.expr(node(r, "expression")!), " ", this.tok(token(r, "Do")!), this.ifRest(node(r, "ifRest")!, end));
    } else parts.push(this.blockBody(node(r, "else"), end.startOffset));
    return parts;
  }

  // `if c do a else b end` inside `${…}` (F16).
  private inlineIf(n: CstNode): Doc {
    const one = (b: CstNode | undefined): Doc => {
      const s = this.stmtElems(b, false);
      if (s.length !== 1) throw new NoInline();
      return s[0]!.render();
    };
    const rest = (r: CstNode): Doc => {
      const parts: Doc[] = [one(node(r, "then"))];
      if (token(r, "Else") === undefined) return parts;
      if (token(r, "If") !== undefined) parts.push(" else if ", this.expr(node(r, "expression")!), " do ", rest(node(r, "ifRest")!));
      else parts.push(" else ", one(node(r, "else")));
      return parts;
    };
    return ["if ", this.expr(node(n, "expression")!), " do ", rest(node(n, "ifRest")!), " end"];
  }

  caseExpr(n: CstNode): Doc {
    this.noInline();
    const end = token(n, "End")!;
    const kw = token(n, "Case") ?? token(n, "Match")!;
    const arms = nodes(n, "caseArm").map((a) => ({ start: startOf(a), end: endOf(a), kind: "arm", render: () => this.caseArm(a) }));
    return [this.tok(kw), " ", this.expr(node(n, "expression")!), " ", this.tok(token(n, "Do")!), this.body(arms, end.startOffset), hardline, this.tok(end)];
  }

  caseArm(a: CstNode): Doc {
    const parts: Doc[] = [this.joined(node(a, "pattern")!)];
    const w = token(a, "When");
    if (w) parts.push(" ", this.tok(w), " ", this.expr(node(a, "guard")!));
    parts.push(" ", this.tok(token(a, "Arrow")!), " ", this.expr(node(a, "body")!, true));
    return parts;
  }

  receiveExpr(n: CstNode): Doc {
    this.noInline();
    const end = token(n, "End")!;
    const elems: SeqElem[] = [];
    for (const e of kids(n)) {
      if (isTok(e)) continue;
      if (e.name === "caseArm") elems.push({ start: startOf(e), end: endOf(e), kind: "arm", render: () => this.caseArm(e) });
      else
        elems.push({
          start: startOf(e),
          end: endOf(e),
          kind: "after",
          render: () => [this.tok(token(e, "After")!), " ", this.expr(node(e, "timeout")!), " ", this.tok(token(e, "Arrow")!), " ", this.expr(node(e, "body")!, true)],
        });
    }
    return [this.tok(token(n, "Receive")!), " ", this.tok(token(n, "Do")!), this.body(elems, end.startOffset), hardline, this.tok(end)];
  }

  forExpr(n: CstNode): Doc {
    this.noInline();
    const end = token(n, "End")!;
    const lb = token(n, "LBrace");
    let binding: Doc;
    if (lb !== undefined) {
      const entries = nodes(n, "entry").map((p) => this.joined(p));
      binding = [this.tok(lb), ...entries.flatMap((d, i) => (i > 0 ? [", ", d] : [d])), this.tok(token(n, "RBrace")!)];
    } else binding = this.joined(node(n, "pattern")!);
    const parts: Doc[] = [this.tok(token(n, "For")!), " ", binding, " ", this.tok(token(n, "In")!), " ", this.expr(node(n, "iterable")!)];
    const w = token(n, "When");
    if (w) parts.push(" ", this.tok(w), " ", this.expr(node(n, "filter")!));
    parts.push(" ", this.tok(token(n, "Do")!), this.blockBody(node(n, "block"), end.startOffset), hardline, this.tok(end));
    return parts;
  }

  // ---------------------------------------------------------------- closures (F10)

  private closureHead(c: CstNode): Doc[] {
    const parts: Doc[] = [];
    const ps = node(c, "closureParams");
    if (ps !== undefined) {
      const pl = node(ps, "paramList");
      parts.push(" ", pl !== undefined ? this.paramList(pl) : this.joined(kids(ps)));
    }
    const w = token(c, "When");
    if (w) parts.push(" ", this.tok(w), " ", this.expr(node(c, "guard")!));
    return parts;
  }

  paramList(pl: CstNode): Doc {
    const elems: ListElem[] = nodes(pl, "param").map((p) => ({ start: startOf(p), end: endOf(p), render: () => this.joined(p) }));
    return this.bracket(this.tok(token(pl, "LParen")!), elems, token(pl, "RParen")!);
  }

  closure(n: CstNode): Doc {
    const fnTok = token(n, "Fn")!;
    const end = token(n, "End")!;
    const first = node(n, "closureFirst")!;
    const more = nodes(n, "closureClause");
    if (more.length === 0) {
      const head: Doc[] = [this.tok(fnTok), ...this.closureHead(first)];
      const kw = token(first, "Arrow") ?? token(first, "Do")!;
      const block = node(first, "block");
      const stmts = this.stmtElems(block);
      if (stmts.length === 1 && !this.hasCommentIn(kw.startOffset, end.startOffset + end.image.length)) {
        const saved = this.cursor;
        const kwDoc = this.tok(kw);
        const s = block ? (kids(block).find((e) => !isTok(e)) as CstNode) : undefined;
        const d = this.stmt(s!, false);
        if (!hasHardBreak(d)) return [head, " ", kwDoc, " ", d, " ", this.tok(end)];
        this.cursor = saved;
      }
      this.noInline();
      return group([head, " ", this.tok(kw), this.body(stmts, end.startOffset), hardline, this.tok(end)]);
    }
    // Multi-clause: ` | ` between clauses on one line, or one `| clause` per line (F10).
    const bars = tokens(n, "Bar");
    const clauses = [first, ...more];
    const docs: Doc[] = [this.tok(fnTok)];
    const rest: Doc[] = [];
    clauses.forEach((c, i) => {
      const nextStart = i + 1 < clauses.length ? bars[i]!.startOffset : end.startOffset;
      const d = this.clause(c, nextStart);
      if (i === 0) docs.push(d);
      else rest.push(line, this.tok(bars[i - 1]!), d);
    });
    return group([...docs, indent(rest), line, this.tok(end)]);
  }

  // One clause of a multi-clause closure: head, `->` and its body.
  private clause(c: CstNode, closeAt: number): Doc {
    const head = this.closureHead(c);
    const arrow = token(c, "Arrow");
    const stmts = this.stmtElems(node(c, "block"));
    if (arrow !== undefined) {
      if (stmts.length === 1 && !this.hasCommentIn(arrow.startOffset, closeAt)) {
        const one = this.stmtElems(node(c, "block"), false)[0]!;
        return [head, " ", this.tok(arrow), " ", one.render()];
      }
      this.noInline();
      return [head, " ", this.tok(arrow), this.body(stmts, closeAt)];
    }
    this.noInline();
    const end = token(c, "End")!;
    return [head, " ", this.tok(token(c, "Do")!), this.body(stmts, end.startOffset), hardline, this.tok(end)];
  }
}
