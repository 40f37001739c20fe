// Top layer of the Mesh CstParser: the module and its items (language.md §2.3, §3; concurrency.md
// §1.1, §3.1, §4.1). The parser is created once (performSelfAnalysis runs once, at import) and
// reused for every file by resetting its input.
import type { CstNode, IRecognitionException, IToken } from "chevrotain";
import * as T from "./tokens.js";
import { ExprParser } from "./parser-expr.js";
import type { Alts, Rule } from "./parser-base.js";

class MeshParser extends ExprParser {
  // A list of `rule`s separated by NEWLINE / `;` (separators never required).
  private sepList(rule: () => Rule): () => void {
    const alts: Alts = [{ ALT: () => this.CONSUME(T.Sep) }, { ALT: () => this.SUBRULE(rule()) }];
    return () => this.OR(alts);
  }

  moduleFile: Rule = this.RULE("moduleFile", (() => {
    const one = this.sepList(() => this.item);
    return () => {
      this.MANY(one);
    };
  })());

  item: Rule = this.RULE("item", (() => {
    const pub = () => this.CONSUME(T.Pub);
    const opts = {
      MAX_LOOKAHEAD: 2,
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { ALT: () => this.SUBRULE(this.fnDef) },
        { ALT: () => this.SUBRULE(this.structDef) },
        { ALT: () => this.SUBRULE(this.typeDecl) },
        { ALT: () => this.SUBRULE(this.interfaceDef) },
        { ALT: () => this.SUBRULE(this.implDef) },
        { ALT: () => this.SUBRULE(this.importDecl) },
        // `from` followed by an uppercase name starts a from-import (§1.13)
        { GATE: () => this.isImage(1, "from") && this.nextIs(2, T.UpperIdent), ALT: () => this.SUBRULE(this.fromImport) },
        { ALT: () => this.SUBRULE(this.letStmt) },
        { ALT: () => this.SUBRULE(this.actorDef) },
        { ALT: () => this.SUBRULE(this.serviceDef) },
        { ALT: () => this.SUBRULE(this.supervisorDef) },
        { ALT: () => this.SUBRULE(this.moduleDef) },
        { ALT: () => this.SUBRULE(this.expression) },
      ],
    };
    return () => {
      this.OPTION(pub);
      this.OR(opts);
    };
  })());

  // ---------------------------------------------------------------- function definitions (§3.1)

  fnDef: Rule = this.RULE("fnDef", (() => {
    const kw: Alts = [{ ALT: () => this.CONSUME(T.Fn) }, { ALT: () => this.CONSUME(T.Def) }];
    const generics = () => this.SUBRULE(this.generics);
    const params = () => this.SUBRULE(this.paramList);
    const ret = () => {
      this.CONSUME(T.Arrow);
      this.SUBRULE(this.typeExpr, { LABEL: "ret" });
    };
    const where = () => this.SUBRULE(this.whereClause);
    const guard = () => {
      this.CONSUME(T.When);
      this.SUBRULE(this.expression, { LABEL: "guard" });
    };
    return () => {
      this.OR(kw);
      this.CONSUME(T.LowerIdent, { LABEL: "name" });
      this.OPTION(generics);
      this.OPTION2(params);
      this.OPTION3(ret);
      this.OPTION4(where);
      this.OPTION5(guard);
      this.SUBRULE(this.fnBody);
    };
  })());

  fnBody: Rule = this.RULE("fnBody", (() => {
    const alts: Alts = [
      {
        ALT: () => {
          this.CONSUME(T.Eq);
          this.SUBRULE(this.expression);
        },
      },
      { ALT: () => this.doBlock() },
    ];
    return () => {
      this.OR(alts);
    };
  })());

  // ---------------------------------------------------------------- imports (§2.3)

  importDecl: Rule = this.RULE("importDecl", () => {
    this.CONSUME(T.Import);
    this.CONSUME(T.UpperIdent, { LABEL: "seg" });
    this.MANY(() => {
      this.CONSUME(T.Dot);
      this.CONSUME2(T.UpperIdent, { LABEL: "seg" });
    });
  });

  fromImport: Rule = this.RULE("fromImport", () => {
    this.CONSUME(T.LowerIdent, { LABEL: "from" });
    this.CONSUME(T.UpperIdent, { LABEL: "seg" });
    this.MANY(() => {
      this.CONSUME(T.Dot);
      this.CONSUME2(T.UpperIdent, { LABEL: "seg" });
    });
    this.CONSUME(T.Import);
    this.SUBRULE(this.importList);
  });

  importList: Rule = this.RULE("importList", (() => {
    const alts: Alts = [
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.SUBRULE(this.importNames);
          this.CONSUME(T.RParen);
        },
      },
      { ALT: () => this.CONSUME(T.Star) },
      { ALT: () => this.SUBRULE2(this.importNames) },
    ];
    return () => {
      this.OR(alts);
    };
  })());

  importNames: Rule = this.RULE("importNames", () => {
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.CONSUME2(T.Identifier, { LABEL: "name" });
    });
    this.OPTION(() => this.CONSUME2(T.Comma));
  });

  // ---------------------------------------------------------------- structs and sum types (§3.4–§3.6)

  private readonly deriving = {
    GATE: () => this.isImage(1, "deriving"),
    DEF: () => this.SUBRULE(this.derivingClause),
  };

  structDef: Rule = this.RULE("structDef", (() => {
    const member = this.sepList(() => this.structMember);
    return () => {
      this.CONSUME(T.Struct);
      this.CONSUME(T.UpperIdent, { LABEL: "name" });
      this.OPTION(() => this.SUBRULE(this.generics));
      this.CONSUME(T.Do);
      this.MANY(member);
      this.CONSUME(T.End);
      this.OPTION2(this.deriving);
    };
  })());

  // `name :: Type`, or a schema option `table "users"`, `belongs_to :user, User`
  structMember: Rule = this.RULE("structMember", (() => {
    const alts: Alts = [
      {
        ALT: () => {
          this.CONSUME(T.ColonColon);
          this.SUBRULE(this.typeExpr);
        },
      },
      {
        ALT: () => {
          this.SUBRULE(this.expression);
          this.MANY(() => {
            this.CONSUME(T.Comma);
            this.SUBRULE2(this.expression);
          });
        },
      },
    ];
    return () => {
      this.CONSUME(T.LowerIdent, { LABEL: "name" });
      this.OR(alts);
    };
  })());

  derivingClause: Rule = this.RULE("derivingClause", () => {
    this.CONSUME(T.LowerIdent);
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.CONSUME(T.UpperIdent, { LABEL: "name" });
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.CONSUME2(T.UpperIdent, { LABEL: "name" });
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RParen);
  });

  // `type Name<T> do Variants end [deriving]` or `type Name<T> = Type`
  typeDecl: Rule = this.RULE("typeDecl", (() => {
    const variant = this.sepList(() => this.variant);
    const alts: Alts = [
      {
        ALT: () => {
          this.CONSUME(T.Do);
          this.MANY(variant);
          this.CONSUME(T.End);
          this.OPTION2(this.deriving);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Eq);
          this.SUBRULE(this.typeExpr);
        },
      },
    ];
    return () => {
      this.CONSUME(T.Type);
      this.CONSUME(T.UpperIdent, { LABEL: "name" });
      this.OPTION(() => this.SUBRULE(this.generics));
      this.OR2(alts); // OR is the one in `variant` (sepList)
    };
  })());

  variant: Rule = this.RULE("variant", () => {
    this.CONSUME(T.UpperIdent, { LABEL: "name" });
    this.OPTION(() => {
      this.CONSUME(T.LParen);
      this.OPTION2(() => {
        this.SUBRULE(this.variantField);
        this.MANY(() => {
          this.CONSUME(T.Comma);
          this.SUBRULE2(this.variantField);
        });
        this.OPTION3(() => this.CONSUME2(T.Comma));
      });
      this.CONSUME(T.RParen);
    });
  });

  variantField: Rule = this.RULE("variantField", () => {
    this.OPTION(() => {
      this.CONSUME(T.LowerIdent, { LABEL: "name" });
      this.CONSUME(T.ColonColon);
    });
    this.SUBRULE(this.typeExpr);
  });

  // ---------------------------------------------------------------- interfaces and impls (§3.7, §3.8)

  interfaceDef: Rule = this.RULE("interfaceDef", (() => {
    const alts: Alts = [
      { ALT: () => this.CONSUME(T.Sep) },
      { ALT: () => this.SUBRULE(this.assocType) },
      { ALT: () => this.SUBRULE(this.methodSig) },
    ];
    const member = () => this.OR(alts);
    return () => {
      this.CONSUME(T.Interface);
      this.CONSUME(T.UpperIdent, { LABEL: "name" });
      this.OPTION(() => this.SUBRULE(this.generics));
      this.CONSUME(T.Do);
      this.MANY(member);
      this.CONSUME(T.End);
    };
  })());

  // `type Item` in an interface, `type Output = T` in an impl
  assocType: Rule = this.RULE("assocType", () => {
    this.CONSUME(T.Type);
    this.CONSUME(T.UpperIdent, { LABEL: "name" });
    this.OPTION(() => {
      this.CONSUME(T.Eq);
      this.SUBRULE(this.typeExpr);
    });
  });

  methodSig: Rule = this.RULE("methodSig", (() => {
    const kw: Alts = [{ ALT: () => this.CONSUME(T.Fn) }, { ALT: () => this.CONSUME(T.Def) }];
    return () => {
      this.OR(kw);
      this.CONSUME(T.LowerIdent, { LABEL: "name" });
      this.OPTION(() => this.SUBRULE(this.paramList));
      this.OPTION2(() => {
        this.CONSUME(T.Arrow);
        this.SUBRULE(this.typeExpr, { LABEL: "ret" });
      });
      this.OPTION3(() => this.doBlock());
    };
  })());

  implDef: Rule = this.RULE("implDef", (() => {
    const alts: Alts = [
      { ALT: () => this.CONSUME(T.Sep) },
      { ALT: () => this.SUBRULE(this.assocType) },
      { ALT: () => this.SUBRULE(this.fnDef) },
    ];
    const member = () => this.OR(alts);
    return () => {
      this.CONSUME(T.Impl);
      this.CONSUME(T.UpperIdent, { LABEL: "iface" });
      this.MANY(() => {
        this.CONSUME(T.Dot);
        this.CONSUME2(T.UpperIdent, { LABEL: "iface" });
      });
      this.OPTION(() => {
        this.CONSUME(T.Lt);
        this.SUBRULE(this.typeExpr, { LABEL: "ifaceArg" });
        this.MANY2(() => {
          this.CONSUME(T.Comma);
          this.SUBRULE2(this.typeExpr, { LABEL: "ifaceArg" });
        });
        this.OPTION2(() => this.CONSUME2(T.Comma));
        this.CONSUME(T.Gt);
      });
      this.CONSUME(T.For);
      this.SUBRULE3(this.typeExpr, { LABEL: "target" });
      this.OPTION3(() => this.SUBRULE(this.whereClause));
      this.CONSUME(T.Do);
      this.MANY3(member);
      this.CONSUME(T.End);
    };
  })());

  // ---------------------------------------------------------------- concurrency items

  // `actor name(params) do body [terminate do ... end] end`
  actorDef: Rule = this.RULE("actorDef", () => {
    this.CONSUME(T.Actor);
    this.CONSUME(T.LowerIdent, { LABEL: "name" });
    this.OPTION(() => this.SUBRULE(this.paramList));
    this.CONSUME(T.Do);
    this.SUBRULE(this.block);
    this.OPTION2(() => {
      this.CONSUME(T.Terminate);
      this.CONSUME2(T.Do);
      this.SUBRULE2(this.block, { LABEL: "terminate" });
      this.CONSUME2(T.End);
      this.MANY(() => this.CONSUME(T.Sep));
    });
    this.CONSUME(T.End);
  });

  serviceDef: Rule = this.RULE("serviceDef", (() => {
    const alts: Alts = [
      { ALT: () => this.CONSUME(T.Sep) },
      { ALT: () => this.SUBRULE(this.fnDef) },
      { ALT: () => this.SUBRULE(this.handler) },
    ];
    const member = () => this.OR(alts);
    return () => {
      this.CONSUME(T.Service);
      this.CONSUME(T.UpperIdent, { LABEL: "name" });
      this.CONSUME(T.Do);
      this.MANY(member);
      this.CONSUME(T.End);
    };
  })());

  // `call Name(params) :: T do |state| ... end`, `cast Name(params) do |s| ... end`
  handler: Rule = this.RULE("handler", (() => {
    const kind: Alts = [
      { ALT: () => this.CONSUME(T.Call, { LABEL: "kind" }) },
      { ALT: () => this.CONSUME(T.Cast, { LABEL: "kind" }) },
    ];
    return () => {
      this.OR(kind);
      this.CONSUME(T.UpperIdent, { LABEL: "name" });
      this.OPTION(() => this.SUBRULE(this.paramList));
      this.OPTION2(() => {
        this.CONSUME(T.ColonColon);
        this.SUBRULE(this.typeExpr);
      });
      this.CONSUME(T.Do);
      this.OPTION3(() => {
        this.CONSUME(T.Bar);
        this.SUBRULE(this.patPrim);
        this.CONSUME2(T.Bar);
      });
      this.SUBRULE(this.block);
      this.CONSUME(T.End);
    };
  })());

  supervisorDef: Rule = this.RULE("supervisorDef", (() => {
    const alts: Alts = [
      { ALT: () => this.CONSUME(T.Sep) },
      { GATE: () => this.isImage(1, "child"), ALT: () => this.SUBRULE(this.supChild) },
      { ALT: () => this.SUBRULE(this.supEntry) },
    ];
    const member = () => this.OR(alts);
    return () => {
      this.CONSUME(T.Supervisor);
      this.CONSUME(T.UpperIdent, { LABEL: "name" });
      this.CONSUME(T.Do);
      this.MANY(member);
      this.CONSUME(T.End);
    };
  })());

  supEntry: Rule = this.RULE("supEntry", () => {
    this.CONSUME(T.LowerIdent, { LABEL: "key" });
    this.CONSUME(T.Colon);
    this.SUBRULE(this.expression);
  });

  supChild: Rule = this.RULE("supChild", (() => {
    const entry = this.sepList(() => this.supEntry);
    return () => {
      this.CONSUME(T.LowerIdent, { LABEL: "child" });
      this.CONSUME2(T.LowerIdent, { LABEL: "name" });
      this.CONSUME(T.Do);
      this.MANY(entry);
      this.CONSUME(T.End);
    };
  })());

  // `module X do ... end` is not supported (E0050, reported later); parse it to skip it cleanly.
  moduleDef: Rule = this.RULE("moduleDef", (() => {
    const item = this.sepList(() => this.item);
    return () => {
      this.CONSUME(T.Module);
      this.CONSUME(T.UpperIdent);
      this.MANY(() => {
        this.CONSUME(T.Dot);
        this.CONSUME2(T.UpperIdent);
      });
      this.CONSUME(T.Do);
      this.MANY2(item);
      this.CONSUME(T.End);
    };
  })());

  constructor() {
    super();
    this.performSelfAnalysis();
  }

  parseTokens(src: string, tokens: IToken[]): { cst: CstNode; errors: IRecognitionException[] } {
    this.prepare(src, tokens);
    const cst = this.moduleFile();
    return { cst, errors: this.errors };
  }
}

export const meshParser = new MeshParser();
