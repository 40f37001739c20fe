// Middle layer of the CST -> AST visitor: expressions (language.md §4), statements, blocks,
// closures and function definitions. Binary operators arrive flat from the parser and are
// arranged here by the precedence table of §4.1.
import type { CstNode, IToken, TokenType } from "chevrotain";
import type {
  BinaryOp, Block, CaseArm, ClosureClause, Expr, FieldInit, FnDef, IfExpr, KwArg, LetStmt, Param, Pattern, Span, Stmt,
} from "../ast/syntax.js";
import * as T from "./tokens.js";
import { Incomplete, ToAstBase, isToken, need, needTok, sub, subs, tok, toks } from "./to-ast-base.js";

const STATEMENT_KEYS = ["expression", "letStmt", "fnDef"] as const;

// §4.1, loosest first. `|>` builds a Pipe node; the rest are Binary with normalised operators.
const PREC: [TokenType, number, BinaryOp | "|>"][] = [
  [T.PipeOp, 1, "|>"],
  [T.Or, 2, "or"], [T.OrOr, 2, "or"],
  [T.And, 3, "and"], [T.AndAnd, 3, "and"],
  [T.EqEq, 4, "=="], [T.BangEq, 4, "!="],
  [T.Lt, 5, "<"], [T.Gt, 5, ">"], [T.LtEq, 5, "<="], [T.GtEq, 5, ">="],
  [T.DotDot, 6, ".."],
  [T.LtGt, 7, "<>"], [T.PlusPlus, 7, "<>"],
  [T.Plus, 8, "+"], [T.Minus, 8, "-"],
  [T.Star, 9, "*"], [T.Slash, 9, "/"], [T.Percent, 9, "%"],
];
const precOf: number[] = [];
const opOf: (BinaryOp | "|>")[] = [];
for (const [t, p, o] of PREC) {
  precOf[t.tokenTypeIdx!] = p;
  opOf[t.tokenTypeIdx!] = o;
}

// Statements of several kinds, each list in source order, merged into one list in source order.
// (Same order as a stable sort of their concatenation by start offset, which it falls back to
// when recovery left a list out of order.)
function mergeBySource(lists: Stmt[][]): Stmt[] {
  for (const l of lists) {
    for (let i = 1; i < l.length; i++) if (l[i]!.span.start < l[i - 1]!.span.start) return lists.flat().sort((x, y) => x.span.start - y.span.start);
  }
  const out: Stmt[] = [];
  const at = lists.map(() => 0);
  for (;;) {
    let best = -1;
    for (let i = 0; i < lists.length; i++) {
      const s = lists[i]![at[i]!];
      if (s !== undefined && (best < 0 || s.span.start < lists[best]![at[best]!]!.span.start)) best = i;
    }
    if (best < 0) return out;
    out.push(lists[best]![at[best]!++]!);
  }
}

export abstract class ToAstExpr extends ToAstBase {
  // ---------------------------------------------------------------- statements and blocks

  // A statement list. Statements that recovery left incomplete are dropped. The block node keeps
  // fnDef / letStmt / expression children in separate lists; source order is restored by offset.
  block(n: CstNode | undefined, at: number): Block {
    let stmts: Stmt[] = [];
    if (n !== undefined) {
      const lists: Stmt[][] = [];
      for (const key of STATEMENT_KEYS) {
        const list = n.children[key] as CstNode[] | undefined;
        if (list === undefined) continue;
        const out: Stmt[] = [];
        for (const e of list) {
          try {
            out.push(key === "expression" ? this.expression(e) : key === "letStmt" ? this.letStmt(e) : this.localFn(e));
          } catch (err) {
            if (!(err instanceof Incomplete)) throw err;
          }
        }
        lists.push(out);
      }
      stmts = lists.length === 1 ? lists[0]! : mergeBySource(lists);
    }
    const span = stmts.length === 0 ? this.span(at, at) : this.between(stmts[0]!.span, stmts[stmts.length - 1]!.span);
    return { kind: "Block", span, stmts };
  }

  private localFn(n: CstNode): FnDef {
    return this.fnDef(n, false, this.docFor(need(tok(n, "Fn") ?? tok(n, "Def"))));
  }

  letStmt(n: CstNode): LetStmt {
    const kw = need(tok(n, "Let"));
    const pattern = this.pattern(n);
    const tn = sub(n, "typeExpr");
    const value = this.expression(need(sub(n, "expression")));
    return { kind: "Let", span: this.between(kw, value.span), pattern, type: tn === undefined ? null : this.typeExpr(tn), value };
  }

  // `do ... end` inside node `n` (children Do, block, End): the block and the `end` token.
  doBody(n: CstNode, blockKey = "block"): { block: Block; end: IToken } {
    const d = need(tok(n, "Do"));
    const end = need(tok(n, "End"));
    return { block: this.block(sub(n, blockKey), this.end(d)), end };
  }

  fnDef(n: CstNode, pub: boolean, doc: string | null, pubTok?: IToken): FnDef {
    const kw = need(tok(n, "Fn") ?? tok(n, "Def"));
    const name = needTok(n, "name");
    const generics = this.generics(sub(n, "generics"));
    const params = this.paramList(sub(n, "paramList"));
    const rn = sub(n, "ret");
    const ret = rn === undefined ? null : this.typeExpr(rn);
    const where = this.whereClause(sub(n, "whereClause"));
    const gn = sub(n, "guard");
    const guard = gn === undefined ? null : this.expression(gn);
    const bodyNode = need(sub(n, "fnBody"));
    let body: Block;
    let last: Span | IToken;
    const eq = sub(bodyNode, "expression");
    if (eq !== undefined) {
      const e = this.expression(eq);
      body = { kind: "Block", span: e.span, stmts: [e] };
      last = e.span;
    } else {
      const b = this.doBody(bodyNode);
      body = b.block;
      last = b.end;
    }
    return {
      kind: "FnDef",
      span: this.between(pubTok ?? kw, last),
      nameSpan: this.tokSpan(name),
      name: name.image,
      pub,
      generics,
      params,
      ret,
      where,
      guard,
      body,
      doc,
    };
  }

  // ---------------------------------------------------------------- operators

  // An expression node holds its first operand inline, then `BinOp operand` pairs.
  expression(n: CstNode): Expr {
    const first = this.operand(n);
    const ops = n.children["BinOp"] as IToken[] | undefined;
    if (ops === undefined) return first;
    const operands = subs(n, "operand");
    if (operands.length !== ops.length) throw new Incomplete();
    const es = [first];
    for (const o of operands) es.push(this.operand(o));
    const state = { oi: 0, pi: 0 };
    return this.climb(es, ops, state, 0);
  }

  // Precedence climbing over the flat operand/operator lists; all operators are left-associative.
  private climb(es: Expr[], ops: IToken[], st: { oi: number; pi: number }, minPrec: number): Expr {
    let left = es[st.oi++]!;
    while (st.pi < ops.length) {
      const opTok = ops[st.pi]!;
      const p = precOf[opTok.tokenTypeIdx]!;
      if (p < minPrec) break;
      st.pi++;
      const right = this.climb(es, ops, st, p + 1);
      const span = this.between(left.span, right.span);
      const op = opOf[opTok.tokenTypeIdx]!;
      left = op === "|>" ? { kind: "Pipe", span, left, right } : { kind: "Binary", span, op, left, right, opSpan: this.tokSpan(opTok) };
    }
    return left;
  }

  // { prefix } primary { postfix } (an operand node or the first operand of an expression node):
  // postfix binds tighter than prefix (`-x.y` is `-(x.y)`).
  operand(n: CstNode): Expr {
    let e = this.primary(n);
    const post = n.children["postfix"];
    if (post !== undefined) {
      for (const el of post) {
        if (isToken(el)) {
          e = { kind: "Try", span: this.between(e.span, el), expr: e };
          continue;
        }
        switch (el.name) {
          case "callArgs":
            e = this.call(e, el);
            break;
          case "memberAccess": {
            const name = needTok(el, "name");
            e = { kind: "Member", span: this.between(e.span, name), target: e, name: name.image, nameSpan: this.tokSpan(name) };
            break;
          }
          case "indexAccess":
            e = { kind: "Index", span: this.between(e.span, need(tok(el, "RBracket"))), target: e, index: this.expression(need(sub(el, "expression"))) };
            break;
          case "structBody":
            e = this.structLit(e, el);
            break;
          default:
            throw new Incomplete();
        }
      }
    }
    const prefix = toks(n, "PrefixOp");
    for (let i = prefix.length - 1; i >= 0; i--) {
      const p = prefix[i]!;
      e = { kind: "Unary", span: this.between(p, e.span), op: p.tokenType === T.Minus ? "-" : "not", operand: e };
    }
    return e;
  }

  private call(callee: Expr, n: CstNode): Expr {
    const close = need(tok(n, "RParen"));
    const exprs = subs(n, "expression").map((a) => this.expression(a));
    const kwNames = toks(n, "kwName");
    let args = exprs;
    const kwargs: KwArg[] = [];
    if (kwNames.length > 0) {
      // A keyword's value is the first argument expression after the `name:`.
      args = [];
      let k = 0;
      for (const e of exprs) {
        const name = kwNames[k];
        if (name !== undefined && name.startOffset < e.span.start) {
          if (name.isInsertedInRecovery) throw new Incomplete();
          kwargs.push({ name: name.image, span: this.tokSpan(name), value: e });
          k++;
        } else {
          if (kwargs.length > 0) this.report("positional argument after a keyword argument: keyword arguments must come last", e.span);
          args.push(e);
        }
      }
      if (k !== kwNames.length) throw new Incomplete();
    }
    return { kind: "Call", span: this.between(callee.span, close), callee, args, kwargs };
  }

  private fieldInits(nodes: readonly CstNode[]): FieldInit[] {
    return nodes.map((f) => {
      const name = needTok(f, "LowerIdent");
      return { name: name.image, span: this.tokSpan(name), value: this.expression(need(sub(f, "expression"))) };
    });
  }

  private structLit(target: Expr, n: CstNode): Expr {
    let path: string[];
    if (target.kind === "Name") path = [target.name];
    else if (target.kind === "Member" && target.target.kind === "Name") path = [target.target.name, target.name];
    else throw new Incomplete();
    return { kind: "StructLit", span: this.between(target.span, need(tok(n, "RBrace"))), path, fields: this.fieldInits(subs(n, "fieldInit")) };
  }

  // ---------------------------------------------------------------- primaries

  // The primary part of an operand node (labelled "prim" for a token, "primNode" for a subrule).
  primary(n: CstNode): Expr {
    const c = n.children;
    const t = c["prim"];
    if (t !== undefined) {
      const el = t[0] as IToken;
      if (el.isInsertedInRecovery) throw new Incomplete();
      const span = this.tokSpan(el);
      switch (el.tokenType) {
        case T.LowerIdent:
        case T.UpperIdent: return { kind: "Name", span, name: el.image };
        case T.IntLit: return { kind: "Int", span, value: this.intLit(el) };
        case T.FloatLit: return { kind: "Float", span, value: this.floatLit(el) };
        case T.Atom: return { kind: "Atom", span, name: el.image.slice(1) };
        case T.True: return { kind: "Bool", span, value: true };
        case T.False: return { kind: "Bool", span, value: false };
        case T.Nil: return { kind: "Unit", span };
        case T.Break: return { kind: "Break", span };
        case T.Continue: return { kind: "Continue", span };
      }
      throw new Incomplete();
    }
    const nodes = c["primNode"];
    if (nodes !== undefined) {
      const el = nodes[0] as CstNode;
      switch (el.name) {
        case "stringLit": {
          const { parts, span } = this.stringParts(el);
          return { kind: "String", span, parts };
        }
        case "selfExpr": {
          const self = need(tok(el, "Self"));
          if (tok(el, "LParen") === undefined) return { kind: "Name", span: this.tokSpan(self), name: "self" };
          return { kind: "SelfPid", span: this.between(self, need(tok(el, "RParen"))) };
        }
        case "parenExpr": return this.parenExpr(el);
        case "listLit": {
          const span = this.between(need(tok(el, "LBracket")), need(tok(el, "RBracket")));
          return { kind: "List", span, elems: subs(el, "expression").map((x) => this.expression(x)) };
        }
        case "mapLit": return this.mapLit(el);
        case "ifExpr": return this.ifExpr(el);
        case "caseExpr": return this.caseExpr(el);
        case "closure": return this.closure(el);
        case "forExpr": return this.forExpr(el);
        case "whileExpr": {
          const cond = this.expression(need(sub(el, "expression")));
          const { block, end } = this.doBody(el);
          return { kind: "While", span: this.between(need(tok(el, "While")), end), cond, body: block };
        }
        case "returnExpr": {
          const kw = need(tok(el, "Return"));
          const vn = sub(el, "expression");
          const value = vn === undefined ? null : this.expression(vn);
          return { kind: "Return", span: value === null ? this.tokSpan(kw) : this.between(kw, value.span), value };
        }
        case "blockExpr": {
          const { block, end } = this.doBody(el);
          return { kind: "BlockExpr", span: this.between(need(tok(el, "Do")), end), block };
        }
        case "concCall": return this.concCall(el);
        case "receiveExpr": return this.receive(el);
      }
    }
    throw new Incomplete();
  }

  private parenExpr(n: CstNode): Expr {
    const span = this.between(need(tok(n, "LParen")), need(tok(n, "RParen")));
    const es = subs(n, "expression").map((x) => this.expression(x));
    const tn = sub(n, "typeExpr");
    if (tn !== undefined) {
      const type = this.typeExpr(tn);
      if (es.length !== 1) this.report("only a single expression can be ascribed: write `((a, b) :: T)`", span);
      return { kind: "Ascribe", span, expr: need(es[0]), type };
    }
    if (es.length === 0) return { kind: "Unit", span };
    if (es.length === 1) return { ...es[0]!, span }; // `(e)` and `(e,)` are `e`; the span keeps the parentheses
    return { kind: "Tuple", span, elems: es };
  }

  private mapLit(n: CstNode): Expr {
    const span = this.between(need(tok(n, "PercentLBrace")), need(tok(n, "RBrace")));
    const keys = subs(n, "key").map((x) => this.expression(x));
    if (tok(n, "Bar") !== undefined) {
      return { kind: "StructUpdate", span, base: need(keys[0]), fields: this.fieldInits(subs(n, "fieldInit")) };
    }
    const values = subs(n, "value").map((x) => this.expression(x));
    if (values.length !== keys.length) throw new Incomplete();
    return { kind: "MapLit", span, entries: keys.map((key, i) => ({ key, value: values[i]! })) };
  }

  private ifExpr(n: CstNode): Expr {
    const end = need(tok(n, "End"));
    return this.ifChain(need(tok(n, "If")), need(sub(n, "expression")), need(tok(n, "Do")), need(sub(n, "ifRest")), end);
  }

  // One `if` of a chain; an `else if` becomes the elseBranch and shares the chain's `end`.
  private ifChain(kw: IToken, condNode: CstNode, d: IToken, rest: CstNode, end: IToken): IfExpr {
    const cond = this.expression(condNode);
    const then = this.block(sub(rest, "then"), this.end(d));
    let elseBranch: Block | IfExpr | null = null;
    const elseKw = tok(rest, "Else");
    if (elseKw !== undefined) {
      const nested = sub(rest, "ifRest");
      if (nested !== undefined) {
        elseBranch = this.ifChain(need(tok(rest, "If")), need(sub(rest, "expression")), need(tok(rest, "Do")), nested, end);
      } else {
        elseBranch = this.block(sub(rest, "else"), this.end(elseKw));
      }
    }
    return { kind: "If", span: this.between(kw, end), cond, then, elseBranch };
  }

  caseArms(nodes: readonly CstNode[]): CaseArm[] {
    const arms: CaseArm[] = [];
    for (const a of nodes) {
      try {
        const pattern = this.pattern(need(sub(a, "pattern")));
        const gn = sub(a, "guard");
        const guard = gn === undefined ? null : this.expression(gn);
        const body = this.expression(need(sub(a, "body")));
        arms.push({ span: this.between(pattern.span, body.span), pattern, guard, body });
      } catch (e) {
        if (!(e instanceof Incomplete)) throw e;
      }
    }
    return arms;
  }

  private caseExpr(n: CstNode): Expr {
    const kw = need(tok(n, "Case") ?? tok(n, "Match"));
    const scrutinee = this.expression(need(sub(n, "expression")));
    return { kind: "Case", span: this.between(kw, need(tok(n, "End"))), scrutinee, arms: this.caseArms(subs(n, "caseArm")) };
  }

  private receive(n: CstNode): Expr {
    const kw = need(tok(n, "Receive"));
    const span = this.between(kw, need(tok(n, "End")));
    const armNodes = subs(n, "caseArm");
    const arms = this.caseArms(armNodes);
    const afters = subs(n, "afterClause");
    let after: { timeout: Expr; body: Expr; span: Span } | null = null;
    if (afters.length > 0) {
      const a = afters[0]!;
      const akw = need(tok(a, "After"));
      const timeout = this.expression(need(sub(a, "timeout")));
      const body = this.expression(need(sub(a, "body")));
      after = { timeout, body, span: this.between(akw, body.span) };
      if (afters.length > 1) this.report("a `receive` has at most one `after` clause", this.tokSpan(need(tok(afters[1]!, "After"))));
      const late = arms.find((x) => x.span.start > akw.startOffset);
      if (late !== undefined) this.report("the `after` clause must be the last clause of a `receive`", this.tokSpan(akw));
    } else if (armNodes.length === 0) {
      this.report("`receive` needs at least one arm or an `after` clause", span);
    }
    return { kind: "Receive", span, arms, after };
  }

  private closure(n: CstNode): Expr {
    const kw = need(tok(n, "Fn"));
    const end = need(tok(n, "End"));
    const first = need(sub(n, "closureFirst"));
    const later = subs(n, "closureClause");
    const clauses: ClosureClause[] = [this.closureClause(first)];
    for (const c of later) clauses.push(this.closureClause(c));
    if (later.length > 0 && tok(first, "Do") !== undefined) {
      this.report("a closure whose first clause has a `do` body has only that clause; use `->` bodies for several clauses", clauses[1]!.span);
    }
    return { kind: "Closure", span: this.between(kw, end), clauses };
  }

  // A clause: [params] [when guard] then `-> statements` or `do statements [end]`.
  private closureClause(c: CstNode): ClosureClause {
    const pn = sub(c, "closureParams");
    let params: Param[] = [];
    if (pn !== undefined) {
      const pl = sub(pn, "paramList");
      params = pl !== undefined ? this.paramList(pl) : subs(pn, "param").map((p) => this.param(p));
    }
    const gn = sub(c, "guard");
    const guard = gn === undefined ? null : this.expression(gn);
    const opener = need(tok(c, "Arrow") ?? tok(c, "Do"));
    const body = this.block(sub(c, "block"), this.end(opener));
    // The clause ends with its own `end` (a later do-clause), else with its last statement.
    const last: Span | IToken = tok(c, "End") ?? (body.stmts.length > 0 ? body.span : opener);
    const start = params.length > 0 ? params[0]!.span : guard?.span ?? opener;
    return { span: this.between(start, last), params, guard, body };
  }

  private forExpr(n: CstNode): Expr {
    const kw = need(tok(n, "For"));
    let pattern: Pattern;
    const lb = tok(n, "LBrace");
    if (lb !== undefined) {
      const span = this.between(lb, need(tok(n, "RBrace")));
      const elems = subs(n, "entry").map((p) => this.pattern(p));
      if (elems.length < 2) this.report("expected `{key, value}`: a map-entry binding needs two names", span);
      pattern = elems.length === 1 ? elems[0]! : { kind: "PTuple", span, elems };
    } else {
      pattern = this.pattern(need(sub(n, "pattern")));
    }
    const iterable = this.expression(need(sub(n, "iterable")));
    const fn = sub(n, "filter");
    const filter = fn === undefined ? null : this.expression(fn);
    const { block, end } = this.doBody(n);
    return { kind: "For", span: this.between(kw, end), pattern, iterable, filter, body: block };
  }

  private concCall(n: CstNode): Expr {
    const kw = needTok(n, "kw");
    const span = this.between(kw, need(tok(n, "RParen")));
    const args = subs(n, "expression").map((x) => this.expression(x));
    switch (kw.tokenType) {
      case T.Spawn:
        if (args.length === 0) {
          this.report("`spawn` needs the function or actor to run: `spawn(f, args...)`", span);
          throw new Incomplete();
        }
        return { kind: "Spawn", span, args };
      case T.Send:
        if (args.length !== 2) {
          this.report(`\`send\` takes 2 arguments (pid, message), found ${args.length}`, span);
          throw new Incomplete();
        }
        return { kind: "Send", span, pid: args[0]!, message: args[1]! };
      default:
        if (args.length !== 1) {
          this.report(`\`link\` takes 1 argument (a pid), found ${args.length}`, span);
          throw new Incomplete();
        }
        return { kind: "Link", span, pid: args[0]! };
    }
  }
}
