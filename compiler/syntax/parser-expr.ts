// Middle layer of the Mesh CstParser: expressions (language.md §4), statements and blocks,
// closures (§4.11) and the concurrency primaries (concurrency.md §1). Binary operators are
// parsed flat (`operand {BinOp operand}`) and arranged by precedence in the CST -> AST visitor,
// which keeps the CST shallow and fast.
import * as T from "./tokens.js";
import { ParserBase, type Alts, type Rule } from "./parser-base.js";

// The primary of an operand is labelled uniformly so the visitor finds it with one lookup:
// a token under "prim", or a subrule node under "primNode".
const P = { LABEL: "prim" };
const PN = { LABEL: "primNode" };

export abstract class ExprParser extends ParserBase {
  // Set by the primary part of `operand` when it was a bare uppercase name.
  private upperPrimary = false;
  // Struct-literal state of the operand being parsed: 0 none, 1 after `Name`, 2 after `Name.Name`.
  // Only then may `{` start a struct literal (§4.1). Every postfix alternative sets it after its
  // subrule returns, so nested operands cannot leave a stale value behind.
  private structPath = 0;

  // Defined by MeshParser (parser.ts); local named functions are statements.
  abstract fnDef: Rule;

  // ---------------------------------------------------------------- statements

  // A statement list: statements separated by NEWLINE or `;`, separators never required.
  // `fn name` / `def name` at statement start is a local definition, never a closure (§4.11).
  // (Statements are alternatives of the block itself rather than a `statement` rule: one CST
  // node less per statement.)
  block: Rule = this.RULE("block", (() => {
    const opts = {
      MAX_LOOKAHEAD: 2,
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { ALT: () => this.CONSUME(T.Sep) },
        { ALT: () => this.SUBRULE(this.fnDef) },
        { ALT: () => this.SUBRULE(this.letStmt) },
        { ALT: () => this.SUBRULE(this.expression) },
      ],
    };
    const one = () => this.OR(opts);
    return () => {
      this.MANY(one);
    };
  })());

  letStmt: Rule = this.RULE("letStmt", (() => {
    const annotation = () => {
      this.CONSUME(T.ColonColon);
      this.SUBRULE(this.typeExpr);
    };
    return () => {
      this.CONSUME(T.Let);
      this.patternNoCons();
      this.OPTION(annotation);
      this.CONSUME(T.Eq);
      this.SUBRULE(this.expression);
    };
  })());

  // `do` Block `end`, using the unnumbered CONSUME(Do) / SUBRULE(block) / CONSUME(End)
  // occurrences of the calling rule.
  protected doBlock(): void {
    this.CONSUME(T.Do);
    this.SUBRULE(this.block);
    this.CONSUME(T.End);
  }

  // ---------------------------------------------------------------- expressions (§4.1)

  // { prefix op } Primary { postfix }. The primary alternatives are inlined (one CST node per
  // operand instead of two); postfix operations keep their order under the label "postfix".
  private readonly operandBody: () => void = (() => {
    const prefix = () => this.CONSUME(T.PrefixOp);
    const primary: Alts = [
      { ALT: () => this.CONSUME(T.IntLit, P) },
      { ALT: () => this.CONSUME(T.FloatLit, P) },
      { ALT: () => this.SUBRULE(this.stringLit, PN) },
      { ALT: () => this.CONSUME(T.Atom, P) },
      { ALT: () => this.CONSUME(T.True, P) },
      { ALT: () => this.CONSUME(T.False, P) },
      { ALT: () => this.CONSUME(T.Nil, P) },
      { ALT: () => this.CONSUME(T.LowerIdent, P) },
      {
        ALT: () => {
          this.CONSUME(T.UpperIdent, P);
          this.upperPrimary = true;
        },
      },
      { ALT: () => this.SUBRULE(this.selfExpr, PN) },
      { ALT: () => this.SUBRULE(this.parenExpr, PN) },
      { ALT: () => this.SUBRULE(this.listLit, PN) },
      { ALT: () => this.SUBRULE(this.mapLit, PN) },
      { ALT: () => this.SUBRULE(this.ifExpr, PN) },
      { ALT: () => this.SUBRULE(this.caseExpr, PN) },
      { ALT: () => this.SUBRULE(this.closure, PN) },
      { ALT: () => this.SUBRULE(this.forExpr, PN) },
      { ALT: () => this.SUBRULE(this.whileExpr, PN) },
      { ALT: () => this.CONSUME(T.Break, P) },
      { ALT: () => this.CONSUME(T.Continue, P) },
      { ALT: () => this.SUBRULE(this.returnExpr, PN) },
      { ALT: () => this.SUBRULE(this.blockExpr, PN) },
      { ALT: () => this.SUBRULE(this.concCall, PN) },
      { ALT: () => this.SUBRULE(this.receiveExpr, PN) },
    ];
    const postfixAlts: Alts = [
      {
        ALT: () => {
          this.SUBRULE(this.callArgs, { LABEL: "postfix" });
          this.structPath = 0;
        },
      },
      {
        ALT: () => {
          const path = this.structPath;
          this.SUBRULE(this.memberAccess, { LABEL: "postfix" });
          this.structPath = path === 1 && this.nextIs(0, T.UpperIdent) ? 2 : 0;
        },
      },
      {
        ALT: () => {
          this.SUBRULE(this.indexAccess, { LABEL: "postfix" });
          this.structPath = 0;
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Question, { LABEL: "postfix" });
          this.structPath = 0;
        },
      },
      {
        ALT: () => {
          this.SUBRULE(this.structBody, { LABEL: "postfix" });
          this.structPath = 0;
        },
      },
    ];
    // Greedy single-token lookahead: `(`, `[`, `{` could also start a juxtaposed statement, but
    // a postfix always wins (§1.11: a statement ends when the next token cannot extend it).
    const postfix = {
      MAX_LOOKAHEAD: 1,
      GATE: () => this.structPath > 0 || !this.nextIs(1, T.LBrace),
      DEF: () => this.OR2(postfixAlts),
    };
    return () => {
      this.MANY(prefix);
      this.upperPrimary = false;
      this.OR(primary);
      this.structPath = this.upperPrimary ? 1 : 0;
      this.upperPrimary = false;
      this.MANY2(postfix);
    };
  })();

  operand: Rule = this.RULE("operand", this.operandBody);

  // Operand { BinOp Operand }. The first operand is inlined into the expression node (most
  // expressions are a single operand, so this saves a CST node per expression); the visitor
  // reads it from the same children as an `operand` node.
  expression: Rule = this.RULE("expression", (() => {
    // Greedy single-token lookahead: a `-` after an operand is always subtraction.
    const more = {
      MAX_LOOKAHEAD: 1,
      DEF: () => {
        this.CONSUME(T.BinOp);
        this.SUBRULE(this.operand);
      },
    };
    return () => {
      this.operandBody();
      this.MANY3(more);
    };
  })());

  // `(a, b, name: c)`: keyword arguments are `name:` prefixes, chosen by a two-token gate so
  // that the choice needs no LL(2) lookahead over every expression.
  callArgs: Rule = this.RULE("callArgs", (() => {
    const kw1 = {
      MAX_LOOKAHEAD: 1,
      GATE: () => this.nextIs(2, T.Colon),
      DEF: () => {
        this.CONSUME(T.LowerIdent, { LABEL: "kwName" });
        this.CONSUME(T.Colon);
      },
    };
    const kw2 = {
      MAX_LOOKAHEAD: 1,
      GATE: () => this.nextIs(2, T.Colon),
      DEF: () => {
        this.CONSUME2(T.LowerIdent, { LABEL: "kwName" });
        this.CONSUME2(T.Colon);
      },
    };
    const more = this.listTail(T.RParen, () => {
      this.CONSUME(T.Comma);
      this.OPTION4(kw2);
      this.SUBRULE2(this.expression);
    });
    const trailing = () => this.CONSUME2(T.Comma);
    const args = () => {
      this.OPTION3(kw1);
      this.SUBRULE(this.expression);
      this.MANY(more);
      this.OPTION2(trailing);
    };
    return () => {
      this.CONSUME(T.LParen);
      this.OPTION(args);
      this.CONSUME(T.RParen);
    };
  })());

  memberAccess: Rule = this.RULE("memberAccess", () => {
    this.CONSUME(T.Dot);
    this.CONSUME(T.AnyName, { LABEL: "name" });
  });

  indexAccess: Rule = this.RULE("indexAccess", () => {
    this.CONSUME(T.LBracket);
    this.SUBRULE(this.expression);
    this.CONSUME(T.RBracket);
  });

  // `{ a: 1, b: 2 }` after a type name; commas and/or juxtaposition separate fields.
  structBody: Rule = this.RULE("structBody", (() => {
    const comma = () => this.CONSUME(T.Comma);
    const more = {
      MAX_LOOKAHEAD: 1,
      GATE: () => !(this.nextIs(1, T.Comma) && this.nextIs(2, T.RBrace)),
      DEF: () => {
        this.OPTION2(comma);
        this.SUBRULE2(this.fieldInit);
      },
    };
    const fields = () => {
      this.SUBRULE(this.fieldInit);
      this.MANY(more);
      this.OPTION3(() => this.CONSUME2(T.Comma));
    };
    return () => {
      this.CONSUME(T.LBrace);
      this.OPTION(fields);
      this.CONSUME(T.RBrace);
    };
  })());

  fieldInit: Rule = this.RULE("fieldInit", () => {
    this.CONSUME(T.LowerIdent);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.expression);
  });

  // `self` (a name) or `self()` (the actor's own pid)
  selfExpr: Rule = this.RULE("selfExpr", (() => {
    const call = () => {
      this.CONSUME(T.LParen);
      this.CONSUME(T.RParen);
    };
    return () => {
      this.CONSUME(T.Self);
      this.OPTION(call);
    };
  })());

  // `()`, `(e)`, `(e :: T)`, `(a, b, ...)`
  parenExpr: Rule = this.RULE("parenExpr", (() => {
    const ascription = () => {
      this.CONSUME(T.ColonColon);
      this.SUBRULE(this.typeExpr);
    };
    const more = this.listTail(T.RParen, () => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.expression);
    });
    const inner = () => {
      this.SUBRULE(this.expression);
      this.OPTION2(ascription);
      this.MANY(more);
      this.OPTION3(() => this.CONSUME2(T.Comma, { LABEL: "trailing" }));
    };
    return () => {
      this.CONSUME(T.LParen);
      this.OPTION(inner);
      this.CONSUME(T.RParen);
    };
  })());

  listLit: Rule = this.RULE("listLit", (() => {
    const more = this.listTail(T.RBracket, () => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.expression);
    });
    const elems = () => {
      this.SUBRULE(this.expression);
      this.MANY(more);
      this.OPTION2(() => this.CONSUME2(T.Comma));
    };
    return () => {
      this.CONSUME(T.LBracket);
      this.OPTION(elems);
      this.CONSUME(T.RBracket);
    };
  })());

  // `%{k => v, ...}` map literal or `%{base | f: v, ...}` struct update (§1.13)
  mapLit: Rule = this.RULE("mapLit", (() => {
    const moreEntries = this.listTail(T.RBrace, () => {
      this.CONSUME(T.Comma);
      this.SUBRULE3(this.expression, { LABEL: "key" });
      this.CONSUME2(T.FatArrow);
      this.SUBRULE4(this.expression, { LABEL: "value" });
    });
    const moreFields = this.listTail(T.RBrace, () => {
      this.CONSUME3(T.Comma);
      this.SUBRULE2(this.fieldInit);
    });
    const alts: Alts = [
      {
        ALT: () => {
          this.CONSUME(T.FatArrow);
          this.SUBRULE2(this.expression, { LABEL: "value" });
          this.MANY(moreEntries);
          this.OPTION2(() => this.CONSUME2(T.Comma));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Bar);
          this.SUBRULE(this.fieldInit);
          this.MANY2(moreFields);
          this.OPTION3(() => this.CONSUME4(T.Comma));
        },
      },
    ];
    const inner = () => {
      this.SUBRULE(this.expression, { LABEL: "key" });
      this.OR(alts);
    };
    return () => {
      this.CONSUME(T.PercentLBrace);
      this.OPTION(inner);
      this.CONSUME(T.RBrace);
    };
  })());

  // `if c do ... else if d do ... else ... end`: one `end` for the chain (§4.8)
  ifExpr: Rule = this.RULE("ifExpr", () => {
    this.CONSUME(T.If);
    this.SUBRULE(this.expression);
    this.CONSUME(T.Do);
    this.SUBRULE(this.ifRest);
    this.CONSUME(T.End);
  });

  // then-block [ else ( if-chain | block ) ]
  ifRest: Rule = this.RULE("ifRest", (() => {
    const alts: Alts = [
      {
        // `else if` on one line continues the chain; `if` on the next line is a nested `if`.
        GATE: () => this.nextIs(1, T.If) && !this.lineBreakBetween(this.LA(0), this.LA(1)),
        ALT: () => {
          this.CONSUME(T.If);
          this.SUBRULE(this.expression);
          this.CONSUME(T.Do);
          this.SUBRULE(this.ifRest);
        },
      },
      { ALT: () => this.SUBRULE2(this.block, { LABEL: "else" }) },
    ];
    const elseBranch = () => {
      this.CONSUME(T.Else);
      this.OR(alts);
    };
    return () => {
      this.SUBRULE(this.block, { LABEL: "then" });
      this.OPTION(elseBranch);
    };
  })());

  caseExpr: Rule = this.RULE("caseExpr", (() => {
    const kw: Alts = [{ ALT: () => this.CONSUME(T.Case) }, { ALT: () => this.CONSUME(T.Match) }];
    const arm: Alts = [{ ALT: () => this.CONSUME(T.Sep) }, { ALT: () => this.SUBRULE(this.caseArm) }];
    const arms = () => this.OR2(arm);
    return () => {
      this.OR(kw);
      this.SUBRULE(this.expression);
      this.CONSUME(T.Do);
      this.MANY(arms);
      this.CONSUME(T.End);
    };
  })());

  caseArm: Rule = this.RULE("caseArm", (() => {
    const guard = () => {
      this.CONSUME(T.When);
      this.SUBRULE(this.expression, { LABEL: "guard" });
    };
    return () => {
      this.SUBRULE(this.pattern);
      this.OPTION(guard);
      this.CONSUME(T.Arrow);
      this.SUBRULE2(this.expression, { LABEL: "body" });
    };
  })());

  // `receive do arms [after t -> e] end` (concurrency.md §1.6)
  receiveExpr: Rule = this.RULE("receiveExpr", (() => {
    const alts: Alts = [
      { ALT: () => this.CONSUME(T.Sep) },
      { ALT: () => this.SUBRULE(this.caseArm) },
      { ALT: () => this.SUBRULE(this.afterClause) },
    ];
    const clause = () => this.OR(alts);
    return () => {
      this.CONSUME(T.Receive);
      this.CONSUME(T.Do);
      this.MANY(clause);
      this.CONSUME(T.End);
    };
  })());

  afterClause: Rule = this.RULE("afterClause", () => {
    this.CONSUME(T.After);
    this.SUBRULE(this.expression, { LABEL: "timeout" });
    this.CONSUME(T.Arrow);
    this.SUBRULE2(this.expression, { LABEL: "body" });
  });

  // Closures (§4.11): `fn clause { | clause } end`. The closure's own `end` is consumed here, so a
  // first clause with a `do` body (`fn x do ... end`, one `end` for both) leaves it to us, while a
  // later `| pat do ... end` clause has its own `end`. (Further clauses after a `do` first clause
  // parse, and are rejected by the visitor.)
  closure: Rule = this.RULE("closure", (() => {
    const more = () => {
      this.CONSUME(T.Bar);
      this.SUBRULE(this.closureClause);
    };
    return () => {
      this.CONSUME(T.Fn);
      this.SUBRULE(this.closureFirst);
      this.MANY(more);
      this.CONSUME(T.End);
    };
  })());

  // The clause head shared by both clause rules: [params] [when guard].
  private readonly clauseHead = (() => {
    const params = () => this.SUBRULE(this.closureParams);
    const guard = () => {
      this.CONSUME(T.When);
      this.SUBRULE(this.expression, { LABEL: "guard" });
    };
    return () => {
      this.OPTION(params);
      this.OPTION2(guard);
    };
  })();

  closureFirst: Rule = this.RULE("closureFirst", (() => {
    const body: Alts = [
      {
        ALT: () => {
          this.CONSUME(T.Arrow);
          this.SUBRULE(this.block);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Do);
          this.SUBRULE2(this.block);
        },
      },
    ];
    return () => {
      this.clauseHead();
      this.OR(body);
    };
  })());

  closureClause: Rule = this.RULE("closureClause", (() => {
    const body: Alts = [
      {
        ALT: () => {
          this.CONSUME(T.Arrow);
          this.SUBRULE2(this.block);
        },
      },
      { ALT: () => this.doBlock() },
    ];
    return () => {
      this.clauseHead();
      this.OR(body);
    };
  })());

  // `(a, b)` or bare `a, b` (a bare tuple pattern must be parenthesised twice)
  closureParams: Rule = this.RULE("closureParams", (() => {
    const more = () => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.param);
    };
    const opts = {
      IGNORE_AMBIGUITIES: true,
      MAX_LOOKAHEAD: 1,
      DEF: [
        { ALT: () => this.SUBRULE(this.paramList) },
        {
          ALT: () => {
            this.SUBRULE(this.param);
            this.MANY(more);
          },
        },
      ],
    };
    return () => {
      this.OR(opts);
    };
  })());

  // `for x in e [when f] do ... end`; `{k, v}` destructures a map entry (§4.10)
  forExpr: Rule = this.RULE("forExpr", (() => {
    const more = this.listTail(T.RBrace, () => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.pattern, { LABEL: "entry" });
    });
    const alts: Alts = [
      {
        ALT: () => {
          this.CONSUME(T.LBrace);
          this.SUBRULE(this.pattern, { LABEL: "entry" });
          this.MANY(more);
          this.OPTION(() => this.CONSUME2(T.Comma));
          this.CONSUME(T.RBrace);
        },
      },
      { ALT: () => this.SUBRULE3(this.pattern) },
    ];
    const filter = () => {
      this.CONSUME(T.When);
      this.SUBRULE2(this.expression, { LABEL: "filter" });
    };
    return () => {
      this.CONSUME(T.For);
      this.OR(alts);
      this.CONSUME(T.In);
      this.SUBRULE(this.expression, { LABEL: "iterable" });
      this.OPTION2(filter);
      this.doBlock();
    };
  })());

  whileExpr: Rule = this.RULE("whileExpr", () => {
    this.CONSUME(T.While);
    this.SUBRULE(this.expression);
    this.doBlock();
  });

  returnExpr: Rule = this.RULE("returnExpr", (() => {
    const value = () => this.SUBRULE(this.expression);
    return () => {
      this.CONSUME(T.Return);
      this.OPTION(value);
    };
  })());

  blockExpr: Rule = this.RULE("blockExpr", () => {
    this.doBlock();
  });

  // `spawn(...)`, `send(pid, msg)`, `link(pid)`
  concCall: Rule = this.RULE("concCall", (() => {
    const kw: Alts = [
      { ALT: () => this.CONSUME(T.Spawn, { LABEL: "kw" }) },
      { ALT: () => this.CONSUME(T.Send, { LABEL: "kw" }) },
      { ALT: () => this.CONSUME(T.Link, { LABEL: "kw" }) },
    ];
    const more = this.listTail(T.RParen, () => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.expression);
    });
    const args = () => {
      this.SUBRULE(this.expression);
      this.MANY(more);
      this.OPTION2(() => this.CONSUME2(T.Comma));
    };
    return () => {
      this.OR(kw);
      this.CONSUME(T.LParen);
      this.OPTION(args);
      this.CONSUME(T.RParen);
    };
  })());
}
