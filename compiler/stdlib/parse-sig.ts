// Parser for the type strings of signatures.ts: a tiny tokenizer plus recursive descent, giving a
// plain tree that the type checker turns into its own types. Sugar is expanded (`T?` is
// Option<T>, `T!E` is Result<T, E>); `()` is the empty tuple.
//
//   sig      = [ "<" gen { "," gen } ">" ] ( "(" [ param { "," param } ] ")" "->" type | type )
//   gen      = Name [ ":" Name { "+" Name } ]
//   param    = "..." | type
//   type     = primary { "?" | "!" primary }
//   primary  = Name [ "<" type { "," type } ">" ] | "Fun" "(" [ types ] ")" "->" type
//            | "(" ")" | "(" "..." [ type ] ")" | "(" type ")" | "(" type "," ... ")"
//   tuple rest: `(A, ...)` any further elements; `(...T)` / `(A, ...T)` further elements all T.

export type TyTree =
  | { readonly k: "name"; readonly name: string; readonly args: readonly TyTree[] }
  // rest: undefined = exact arity; null = any further elements; a tree = further elements of that type
  | { readonly k: "tuple"; readonly elems: readonly TyTree[]; readonly rest?: TyTree | null }
  | { readonly k: "fun"; readonly params: readonly TyTree[]; readonly ret: TyTree };

export interface GenericParam {
  readonly name: string;
  readonly bounds: readonly string[];
}

export interface ParsedSig {
  readonly generics: readonly GenericParam[];
  readonly params: readonly TyTree[];
  readonly ret: TyTree;
  /** The parameter list ends with `...` (extra arguments of any type). */
  readonly variadic: boolean;
  /** No parameter list: a constant of type `ret` (`Math.pi`). */
  readonly constant: boolean;
}

const TOKEN = /\s*(\.\.\.|->|[A-Za-z_][A-Za-z0-9_]*|[<>(),:+?!])/y;

function tokenize(src: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < src.length) {
    if (/^\s*$/.test(src.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(src);
    if (m === null) throw new SyntaxError(`bad signature ${JSON.stringify(src)}: unexpected character at ${pos}`);
    out.push(m[1]);
    pos = TOKEN.lastIndex;
  }
  return out;
}

const name = (n: string, args: readonly TyTree[] = []): TyTree => ({ k: "name", name: n, args });

class SigParser {
  private i = 0;
  constructor(
    private readonly toks: string[],
    private readonly src: string,
  ) {}

  private peek(o = 0): string | undefined {
    return this.toks[this.i + o];
  }
  private fail(msg: string): never {
    throw new SyntaxError(`bad signature ${JSON.stringify(this.src)}: ${msg} at token ${this.i} (${this.peek() ?? "end"})`);
  }
  private eat(t: string): void {
    if (this.toks[this.i] !== t) this.fail(`expected \`${t}\``);
    this.i++;
  }
  private accept(t: string): boolean {
    if (this.toks[this.i] === t) {
      this.i++;
      return true;
    }
    return false;
  }
  private ident(): string {
    const t = this.toks[this.i];
    if (t === undefined || !/^[A-Za-z_]/.test(t)) this.fail("expected a name");
    this.i++;
    return t;
  }

  sig(): ParsedSig {
    const generics: GenericParam[] = [];
    if (this.accept("<")) {
      do {
        const n = this.ident();
        const bounds: string[] = [];
        if (this.accept(":")) {
          do bounds.push(this.ident());
          while (this.accept("+"));
        }
        generics.push({ name: n, bounds });
      } while (this.accept(","));
      this.eat(">");
    }
    // A parenthesised list followed by `->` is the parameter list; anything else is a constant.
    if (this.peek() === "(" && this.arrowFollowsGroup()) {
      this.eat("(");
      const params: TyTree[] = [];
      let variadic = false;
      if (!this.accept(")")) {
        for (;;) {
          if (this.accept("...")) {
            variadic = true;
            this.eat(")");
            break;
          }
          params.push(this.type());
          if (this.accept(")")) break;
          this.eat(",");
        }
      }
      this.eat("->");
      const ret = this.type();
      this.end();
      return { generics, params, ret, variadic, constant: false };
    }
    const ret = this.type();
    this.end();
    return { generics, params: [], ret, variadic: false, constant: true };
  }

  private end(): void {
    if (this.i !== this.toks.length) this.fail("trailing tokens");
  }

  // Is the parenthesised group starting here directly followed by `->`?
  private arrowFollowsGroup(): boolean {
    let depth = 0;
    for (let j = this.i; j < this.toks.length; j++) {
      const t = this.toks[j];
      if (t === "(") depth++;
      else if (t === ")" && --depth === 0) return this.toks[j + 1] === "->";
    }
    return false;
  }

  type(): TyTree {
    let t = this.primary();
    for (;;) {
      if (this.accept("?")) t = name("Option", [t]);
      else if (this.accept("!")) t = name("Result", [t, this.primary()]);
      else return t;
    }
  }

  private primary(): TyTree {
    const t = this.peek();
    if (t === "(") {
      this.i++;
      if (this.accept(")")) return { k: "tuple", elems: [] };
      const elems: TyTree[] = [];
      for (;;) {
        if (this.accept("...")) {
          const rest = this.peek() === ")" ? null : this.type();
          this.eat(")");
          return { k: "tuple", elems, rest };
        }
        elems.push(this.type());
        if (this.accept(")")) break;
        this.eat(",");
      }
      return elems.length === 1 ? elems[0] : { k: "tuple", elems };
    }
    const n = this.ident();
    if (n === "Fun" && this.peek() === "(") {
      this.eat("(");
      const params: TyTree[] = [];
      if (!this.accept(")")) {
        do params.push(this.type());
        while (this.accept(","));
        this.eat(")");
      }
      this.eat("->");
      return { k: "fun", params, ret: this.type() };
    }
    const args: TyTree[] = [];
    if (this.accept("<")) {
      do args.push(this.type());
      while (this.accept(","));
      this.eat(">");
    }
    return name(n, args);
  }
}

/** Parses one signature string of signatures.ts; throws SyntaxError on malformed input. */
export function parseSig(type: string): ParsedSig {
  return new SigParser(tokenize(type), type).sig();
}

/** Renders a tree back to (desugared) type syntax; used in tests and diagnostics. */
export function showTy(t: TyTree): string {
  switch (t.k) {
    case "name":
      return t.args.length === 0 ? t.name : `${t.name}<${t.args.map(showTy).join(", ")}>`;
    case "tuple": {
      const parts = t.elems.map(showTy);
      if (t.rest === null) parts.push("...");
      else if (t.rest !== undefined) parts.push("..." + showTy(t.rest));
      return `(${parts.join(", ")})`;
    }
    case "fun":
      return `Fun(${t.params.map(showTy).join(", ")}) -> ${showTy(t.ret)}`;
  }
}
