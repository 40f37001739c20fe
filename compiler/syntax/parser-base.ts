// Bottom layer of the Mesh CstParser: configuration, error messages, and the grammar of types
// (language.md §6.1) and patterns (§5.1). parser-expr.ts adds expressions and statements,
// parser.ts adds top-level items and owns the single parser instance.
import {
  CstParser,
  EOF,
  createTokenInstance,
  tokenLabel,
  tokenMatcher,
  type CstNode,
  type CstElement,
  type IOrAlt,
  type IParserErrorMessageProvider,
  type IToken,
  type ParserMethod,
  type TokenType,
} from "chevrotain";
import * as T from "./tokens.js";

export type Rule = ParserMethod<[], CstNode>;
export type Alts = IOrAlt<unknown>[];

// What an OR that failed was trying to parse, by the rule it sits in.
const RULE_WANTS: Record<string, string> = {
  operand: "an expression",
  expression: "an expression",
  block: "a statement",
  patPrim: "a pattern",
  param: "a parameter",
  typeExpr: "a type",
  item: "a top-level definition (`fn`, `struct`, `type`, `import`, ...)",
  stringLit: "a string",
  fnBody: "`=` or `do` to start the function body",
  closureFirst: "`->` or `do` to start the closure body",
  closureClause: "`->` or `do` to start the closure body",
  importList: "the names to import",
  structMember: "a field `name :: Type`",
};

// Which closing token each opening token expects; used to say what an `end` or `)` closes.
const CLOSERS = new Map<TokenType, TokenType>([
  [T.Do, T.End],
  [T.Fn, T.End],
  [T.LParen, T.RParen],
  [T.LBracket, T.RBracket],
  [T.LBrace, T.RBrace],
  [T.LBraceIn, T.RBrace],
  [T.PercentLBrace, T.RBrace],
  [T.PercentLBraceIn, T.RBrace],
  [T.InterpStart, T.InterpEnd],
  [T.StringStart, T.StringEnd],
  [T.TStringStart, T.TStringEnd],
]);

export function describeToken(tok: IToken | undefined): string {
  if (tok === undefined || tok.tokenType === EOF) return "end of file";
  const t = tok.tokenType;
  if (t === T.Newline) return "end of line";
  if (t === T.StrText || t === T.TStrText) return "string text";
  if (t === T.StringStart) return "a string";
  const img = tok.image.length > 24 ? tok.image.slice(0, 24) + "…" : tok.image;
  return "`" + img + "`";
}

export function describeType(t: TokenType): string {
  return t === EOF ? "end of file" : tokenLabel(t);
}

// Collects possible first tokens of the expected paths: "`=` or `do`".
function describePaths(paths: TokenType[][]): string {
  const seen: string[] = [];
  for (const p of paths) {
    const first = p[0];
    if (first === undefined) continue;
    const d = describeType(first);
    if (!seen.includes(d)) seen.push(d);
  }
  if (seen.length === 0) return "something else";
  if (seen.length > 5) return seen.slice(0, 5).join(", ") + ", ...";
  return seen.length === 1 ? seen[0]! : seen.slice(0, -1).join(", ") + " or " + seen[seen.length - 1];
}

// The opener (`do`, `(`, ...) that the closer `expected` would close: the last one consumed by
// the rule being parsed that no closer of the same kind has matched yet. Read from the CST node
// under construction, so parsing itself does no bookkeeping for messages.
function openerFor(node: CstNode | undefined, expected: TokenType): IToken | undefined {
  if (node === undefined) return undefined;
  const opens: IToken[] = [];
  let closes = 0;
  const children: Record<string, CstElement[]> = node.children;
  for (const key in children) {
    for (const el of children[key]!) {
      const t = el as IToken;
      if (t.tokenType === undefined || t.isInsertedInRecovery) continue;
      if (CLOSERS.get(t.tokenType) === expected) opens.push(t);
      else if (tokenMatcher(t, expected)) closes++;
    }
  }
  opens.sort((a, b) => a.startOffset - b.startOffset);
  return opens[opens.length - 1 - closes];
}

let current: ParserBase | null = null;

const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    if (expected === EOF) {
      // Input left over at the top level: a token no item can start with.
      return actual.tokenType === T.End
        ? "unexpected `end`: there is no open `do` here for it to close"
        : `unexpected ${describeToken(actual)} at the top level`;
    }
    let ctx = "";
    const p = current;
    if (p !== null) {
      const opener = openerFor(p.currentCstNode(), expected);
      if (opener !== undefined) ctx = ` to close \`${opener.image}\` at ${p.lineCol(opener.startOffset)}`;
    }
    return `expected ${describeType(expected)}${ctx}, found ${describeToken(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `unexpected ${describeToken(firstRedundant)}`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, ruleName }) {
    const want = RULE_WANTS[ruleName] ?? describePaths(expectedPathsPerAlt.flat());
    return `expected ${want}, found ${describeToken(actual[0])}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, ruleName }) {
    const want = RULE_WANTS[ruleName] ?? describePaths(expectedIterationPaths);
    return `expected ${want}, found ${describeToken(actual[0])}`;
  },
};

// Chevrotain's grammar validations (ambiguity, left recursion, ... checks) cost ~50 ms of every
// start-up. They run wherever the grammar is developed and tested (the TypeScript sources under
// vitest, and dist/), so a grammar mistake fails the tests; the bundled CLI (scripts/bundle.mjs
// defines MESHC_BUNDLE) runs that same, validated grammar without checking it again.
declare const MESHC_BUNDLE: boolean | undefined;
const SKIP_GRAMMAR_VALIDATIONS = typeof MESHC_BUNDLE !== "undefined" && MESHC_BUNDLE === true;

// Rules are written as `this.RULE(name, (() => { ...callbacks...; return () => body })())` so that
// the alternatives and loop bodies handed to OR/MANY/OPTION are allocated once per parser, not
// once per rule invocation (allocation, not matching, dominated the parse time otherwise).
export abstract class ParserBase extends CstParser {
  src = "";
  private lineStarts: number[] | null = null;

  constructor() {
    super(T.allTokens, { recoveryEnabled: true, maxLookahead: 3, errorMessageProvider: messages, skipValidations: SKIP_GRAMMAR_VALIDATIONS });
    current = this;
  }

  prepare(src: string, tokens: IToken[]): void {
    this.src = src;
    this.lineStarts = null;
    this.input = tokens;
  }

  // Performance: Chevrotain creates each CST node's `children` with Object.create(null), which V8
  // keeps in slow dictionary mode; building and reading the CST then dominates the parse. This
  // replaces that one internal step with a plain object literal (same shape otherwise; no rule
  // or token name collides with an Object.prototype member). Measured: CST parse ~40% faster.
  cstInvocationStateUpdate(fullRuleName: string): void {
    (this as unknown as { CST_STACK: CstNode[] }).CST_STACK.push({ name: fullRuleName, children: {} });
  }

  // The CST node of the rule being parsed (Chevrotain keeps them on an internal stack).
  currentCstNode(): CstNode | undefined {
    const stack = (this as unknown as { CST_STACK?: CstNode[] }).CST_STACK;
    return stack === undefined ? undefined : stack[stack.length - 1];
  }

  // "line:col" (1-based, columns in code points) for messages.
  lineCol(offset: number): string {
    if (this.lineStarts === null) {
      const ls = [0];
      const s = this.src;
      for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c === 10 || (c === 13 && s.charCodeAt(i + 1) !== 10)) ls.push(i + 1);
      }
      this.lineStarts = ls;
    }
    const ls = this.lineStarts;
    let lo = 0, hi = ls.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ls[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    const col = [...this.src.slice(ls[lo]!, offset)].length + 1;
    return `${lo + 1}:${col}`;
  }

  protected lineBreakBetween(a: IToken, b: IToken): boolean {
    const from = isNaN(a.startOffset) ? 0 : a.startOffset + a.image.length;
    const to = isNaN(b.startOffset) ? this.src.length : b.startOffset;
    for (let i = from; i < to; i++) {
      const c = this.src.charCodeAt(i);
      if (c === 10 || c === 13) return true;
    }
    return false;
  }

  // Body of a `, item` loop in a list that may end with a trailing comma before `closer`: the
  // loop continues on a comma not followed by the closer. Deciding on one token plus this gate
  // avoids Chevrotain's LL(2) search over every token that can start an item.
  protected listTail(closer: TokenType, body: () => void): { MAX_LOOKAHEAD: number; GATE: () => boolean; DEF: () => void } {
    return { MAX_LOOKAHEAD: 1, GATE: () => !tokenMatcher(this.LA(2), closer), DEF: body };
  }

  protected isImage(k: number, image: string): boolean {
    return this.LA(k).image === image;
  }

  protected nextIs(k: number, t: TokenType): boolean {
    return tokenMatcher(this.LA(k), t);
  }

  // Single-token recovery: Chevrotain tries inserting the expected token before deleting the
  // unexpected one. Because statements may be juxtaposed, almost any token can follow an
  // inserted `)`, so insertion would win even for `f(1, 2 3)`, where deleting `3` is right.
  // Prefer deletion whenever the token after the unexpected one is the expected token.
  protected override canTokenTypeBeInsertedInRecovery(tokType: TokenType): boolean {
    return !tokenMatcher(this.LA(2), tokType);
  }

  // Recovery inserts virtual tokens; give them a real position (the next token's start) so
  // that spans built from them stay within the text.
  protected override getTokenToInsert(tokType: TokenType): IToken {
    const next = this.LA(1);
    const at = isNaN(next.startOffset) ? this.src.length : next.startOffset;
    const tok = createTokenInstance(tokType, "", at, at - 1, NaN, NaN, NaN, NaN);
    tok.isInsertedInRecovery = true;
    return tok;
  }

  // ---------------------------------------------------------------- types (§6.1)

  // Base [ "?" ] [ "!" Type ], where Base is `()`, `(T)`, `(A, B)`, `Fun(A) -> R`, `Self[.X]` or
  // `Qual.Name<Args>` (inlined here: types are frequent and every CST node costs an allocation).
  typeExpr: Rule = this.RULE("typeExpr", (() => {
    const tupleTail = this.listTail(T.RParen, () => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.typeExpr, { LABEL: "elem" });
    });
    const tupleTrailing = () => this.CONSUME2(T.Comma);
    const tupleElems = () => {
      this.SUBRULE(this.typeExpr, { LABEL: "elem" });
      this.MANY(tupleTail);
      this.OPTION2(tupleTrailing);
    };
    const funTail = this.listTail(T.RParen, () => {
      this.CONSUME3(T.Comma);
      this.SUBRULE4(this.typeExpr, { LABEL: "param" });
    });
    const funTrailing = () => this.CONSUME4(T.Comma);
    const funParams = () => {
      this.SUBRULE3(this.typeExpr, { LABEL: "param" });
      this.MANY2(funTail);
      this.OPTION5(funTrailing);
    };
    const fun = {
      GATE: () => this.LA(0).image === "Fun",
      DEF: () => {
        this.CONSUME2(T.LParen, { LABEL: "funOpen" });
        this.OPTION4(funParams);
        this.CONSUME2(T.RParen);
        this.CONSUME(T.Arrow);
        this.SUBRULE5(this.typeExpr, { LABEL: "ret" });
      },
    };
    const qual = () => {
      this.CONSUME(T.Dot);
      this.CONSUME2(T.UpperIdent, { LABEL: "name" });
    };
    const argTail = this.listTail(T.Gt, () => {
      this.CONSUME5(T.Comma);
      this.SUBRULE7(this.typeExpr, { LABEL: "arg" });
    });
    const argTrailing = () => this.CONSUME6(T.Comma);
    const typeArgs = () => {
      this.CONSUME(T.Lt);
      this.SUBRULE6(this.typeExpr, { LABEL: "arg" });
      this.MANY4(argTail);
      this.OPTION7(argTrailing);
      this.CONSUME(T.Gt);
    };
    const alts: Alts = [
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.OPTION(tupleElems);
          this.CONSUME(T.RParen);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.UpperIdent, { LABEL: "name" });
          this.OPTION3(fun);
          this.MANY3(qual);
          this.OPTION6(typeArgs);
        },
      },
    ];
    const question = () => this.CONSUME(T.Question);
    const bang = () => {
      this.CONSUME(T.Bang);
      this.SUBRULE8(this.typeExpr, { LABEL: "err" });
    };
    return () => {
      this.OR(alts);
      this.OPTION8(question);
      this.OPTION9(bang);
    };
  })());

  // `<T, U>` after a definition's name
  generics: Rule = this.RULE("generics", (() => {
    const more = this.listTail(T.Gt, () => {
      this.CONSUME(T.Comma);
      this.CONSUME2(T.UpperIdent);
    });
    return () => {
      this.CONSUME(T.Lt);
      this.CONSUME(T.UpperIdent);
      this.MANY(more);
      this.OPTION(() => this.CONSUME2(T.Comma));
      this.CONSUME(T.Gt);
    };
  })());

  // `where T: Display, U: Mod.Iface`
  whereClause: Rule = this.RULE("whereClause", () => {
    this.CONSUME(T.Where);
    this.SUBRULE(this.whereBound);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.whereBound);
    });
  });

  whereBound: Rule = this.RULE("whereBound", () => {
    this.CONSUME(T.UpperIdent, { LABEL: "typeVar" });
    this.CONSUME(T.Colon);
    this.CONSUME2(T.UpperIdent, { LABEL: "iface" });
    this.MANY(() => {
      this.CONSUME(T.Dot);
      this.CONSUME3(T.UpperIdent, { LABEL: "iface" });
    });
  });

  // ---------------------------------------------------------------- patterns (§5.1)

  // Or { "::" Or } [ "as" LIdent ] with Or = Prim { "|" Prim }, parsed flat: the visitor groups
  // `|` (tighter) and `::` (right-associative).
  pattern: Rule = this.RULE("pattern", (() => {
    const more = () => {
      this.CONSUME(T.PatOp);
      this.SUBRULE2(this.patPrim);
    };
    return () => {
      this.SUBRULE(this.patPrim);
      this.MANY(more);
      this.OPTION(this.asSuffix);
    };
  })());

  // A pattern without a top-level `::` (where `::` introduces a type: parameters, `let`),
  // inlined into the calling rule with MANY9/OPTION9 and the occurrence-9 subrule.
  protected patternNoCons(): void {
    this.SUBRULE9(this.patPrim);
    this.MANY9(this.orMore);
    this.OPTION9(this.asSuffix);
  }

  private readonly orMore = () => {
    this.CONSUME9(T.Bar, { LABEL: "PatOp" });
    this.SUBRULE8(this.patPrim);
  };

  private readonly asSuffix = {
    MAX_LOOKAHEAD: 1,
    GATE: () => this.isImage(1, "as"),
    DEF: () => {
      this.CONSUME7(T.LowerIdent, { LABEL: "asKw" });
      this.CONSUME8(T.LowerIdent, { LABEL: "asName" });
    },
  };

  patPrim: Rule = this.RULE("patPrim", (() => {
    const number: Alts = [{ ALT: () => this.CONSUME2(T.IntLit) }, { ALT: () => this.CONSUME2(T.FloatLit) }];
    const tupleTail = this.listTail(T.RParen, () => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.pattern);
    });
    const tuple = () => {
      this.SUBRULE(this.pattern);
      this.MANY(tupleTail);
      this.OPTION2(() => this.CONSUME2(T.Comma));
    };
    const argTail = this.listTail(T.RParen, () => {
      this.CONSUME3(T.Comma);
      this.SUBRULE4(this.pattern, { LABEL: "arg" });
    });
    const ctorArgList = () => {
      this.SUBRULE3(this.pattern, { LABEL: "arg" });
      this.MANY2(argTail);
      this.OPTION6(() => this.CONSUME4(T.Comma));
    };
    const ctorArgs = () => {
      this.CONSUME2(T.LParen, { LABEL: "argsOpen" });
      this.OPTION5(ctorArgList);
      this.CONSUME2(T.RParen, { LABEL: "argsClose" });
    };
    const qualified = () => {
      this.CONSUME(T.Dot);
      this.CONSUME2(T.UpperIdent, { LABEL: "ctor" });
    };
    const alts: Alts = [
      { ALT: () => this.CONSUME(T.LowerIdent) },
      { ALT: () => this.CONSUME(T.IntLit) },
      { ALT: () => this.CONSUME(T.FloatLit) },
      { ALT: () => this.SUBRULE(this.stringLit) },
      { ALT: () => this.CONSUME(T.True) },
      { ALT: () => this.CONSUME(T.False) },
      { ALT: () => this.CONSUME(T.Nil) },
      {
        ALT: () => {
          this.CONSUME(T.Minus);
          this.OR2(number);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.OPTION(tuple);
          this.CONSUME(T.RParen);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.LBracket);
          this.CONSUME(T.RBracket);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.UpperIdent, { LABEL: "ctor" });
          this.OPTION3(qualified);
          this.OPTION4(ctorArgs);
        },
      },
    ];
    return () => {
      this.OR(alts);
    };
  })());

  // A parameter of a function, closure, actor or handler: `self`, `x`, `x :: T`, or a pattern.
  param: Rule = this.RULE("param", (() => {
    const alts: Alts = [{ ALT: () => this.CONSUME(T.Self) }, { ALT: () => this.patternNoCons() }];
    const annotation = () => {
      this.CONSUME(T.ColonColon);
      this.SUBRULE(this.typeExpr);
    };
    return () => {
      this.OR(alts);
      this.OPTION(annotation);
    };
  })());

  // `( [param {, param} [,]] )`
  paramList: Rule = this.RULE("paramList", (() => {
    const more = this.listTail(T.RParen, () => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.param);
    });
    const params = () => {
      this.SUBRULE(this.param);
      this.MANY(more);
      this.OPTION2(() => this.CONSUME2(T.Comma));
    };
    return () => {
      this.CONSUME(T.LParen);
      this.OPTION(params);
      this.CONSUME(T.RParen);
    };
  })());

  // ---------------------------------------------------------------- strings (§1.7, §1.8)

  // String parts are text tokens and `${` expression `}` triples, in source order.
  stringLit: Rule = this.RULE("stringLit", (() => {
    const part: Alts = [
      { ALT: () => this.CONSUME(T.StringContent) },
      {
        ALT: () => {
          this.CONSUME(T.InterpStart);
          this.SUBRULE(this.expression);
          this.CONSUME(T.InterpEnd);
        },
      },
    ];
    const tpart: Alts = [
      { ALT: () => this.CONSUME2(T.StringContent) },
      {
        ALT: () => {
          this.CONSUME2(T.InterpStart);
          this.SUBRULE2(this.expression);
          this.CONSUME2(T.InterpEnd);
        },
      },
    ];
    const parts = () => this.OR2(part);
    const tparts = () => this.OR3(tpart);
    const alts: Alts = [
      {
        ALT: () => {
          this.CONSUME(T.StringStart);
          this.MANY(parts);
          this.CONSUME(T.StringEnd);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.TStringStart);
          this.MANY2(tparts);
          this.CONSUME(T.TStringEnd);
        },
      },
    ];
    return () => {
      this.OR(alts);
    };
  })());

  // Defined by ExprParser.
  abstract expression: Rule;
}
