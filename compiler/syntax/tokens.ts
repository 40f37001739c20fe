// Token vocabulary of Mesh (language.md §1) and the one Chevrotain lexer built from it.
// First stage of the front end: text -> tokens (lex.ts) -> newline filter (newlines.ts) -> parser.
// Lexer modes implement strings and `${...}` interpolation (§1.8): "main" is ordinary code,
// "str"/"tstr" are the insides of "..." / """...""", "interp" is the code inside `${`, and
// "brace" is a `{`/`%{` opened inside an interpolation (so its `}` does not end the interpolation).
import { createToken, Lexer, type TokenType, type CustomPatternMatcherFunc } from "chevrotain";

// ---------------------------------------------------------------- categories (never produced directly)

export const Identifier = createToken({ name: "Identifier", pattern: Lexer.NA, label: "a name" });
// Anything that may follow `.` as a member name: identifiers and every keyword (§4.4).
export const AnyName = createToken({ name: "AnyName", pattern: Lexer.NA, label: "a name" });
export const BinOp = createToken({ name: "BinOp", pattern: Lexer.NA, label: "an operator" });
export const PrefixOp = createToken({ name: "PrefixOp", pattern: Lexer.NA, label: "`-`, `not` or `!`" });
export const Sep = createToken({ name: "Sep", pattern: Lexer.NA, label: "end of line or `;`" });
export const StringContent = createToken({ name: "StringContent", pattern: Lexer.NA, label: "string text" });
export const PatOp = createToken({ name: "PatOp", pattern: Lexer.NA, label: "`|` or `::`" });

// ---------------------------------------------------------------- Unicode-aware custom matchers
// Chevrotain drops the regexp `u` flag when it makes patterns sticky, so identifiers (Unicode
// letters, §1.3) and atoms use custom matchers with start-character hints.

const upperRe = /[\p{Lu}\p{Lt}][\p{L}\p{Nd}_]*/uy;
const identRe = /[\p{L}_][\p{L}\p{Nd}_]*/uy;
const atomRe = /:(?![\p{Lu}\p{Lt}])[\p{L}_][\p{L}\p{Nd}_]*/uy;
const identCharBefore = /[\p{L}\p{Nd}_]$/u;

// Identifiers are the most frequent tokens: scan ASCII by hand and use the Unicode regexps only
// when a non-ASCII character is involved. The result array is reused (Chevrotain reads `[0]`
// immediately).
const identResult = [""] as unknown as RegExpExecArray;
function isAsciiIdentChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}
function matchIdent(text: string, offset: number, upper: boolean): RegExpExecArray | null {
  const c = text.charCodeAt(offset);
  if (c < 128) {
    if (upper ? !(c >= 65 && c <= 90) : !((c >= 97 && c <= 122) || c === 95)) return null;
    let i = offset + 1;
    const n = text.length;
    let d = 0;
    while (i < n && isAsciiIdentChar((d = text.charCodeAt(i)))) i++;
    if (i === n || d < 128) {
      identResult[0] = text.slice(offset, i);
      return identResult;
    }
  }
  const re = upper ? upperRe : identRe;
  re.lastIndex = offset;
  return re.exec(text);
}
const matchUpper: CustomPatternMatcherFunc = (text, offset) => matchIdent(text, offset, true);
const matchLower: CustomPatternMatcherFunc = (text, offset) => matchIdent(text, offset, false);
// §1.9: `:name` is an atom unless the `:` directly follows an identifier character (`x:y`).
const matchAtom: CustomPatternMatcherFunc = (text, offset) => {
  if (offset > 0 && identCharBefore.test(text.slice(Math.max(0, offset - 2), offset))) return null;
  atomRe.lastIndex = offset;
  return atomRe.exec(text);
};
// `#= ... =#`, nesting. Returns the end offset, or -1 when the comment never closes.
function blockCommentEnd(text: string, offset: number): number {
  let depth = 0;
  let i = offset;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 35 /* # */ && text.charCodeAt(i + 1) === 61 /* = */) {
      depth++;
      i += 2;
    } else if (c === 61 && text.charCodeAt(i + 1) === 35) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return -1;
}
function execResult(text: string, start: number, end: number): RegExpExecArray {
  const r = [text.slice(start, end)] as unknown as RegExpExecArray;
  r.index = start;
  r.input = text;
  return r;
}
const matchBlockComment: CustomPatternMatcherFunc = (text, offset) => {
  if (text.charCodeAt(offset) !== 35 || text.charCodeAt(offset + 1) !== 61) return null;
  const end = blockCommentEnd(text, offset);
  return end < 0 ? null : execResult(text, offset, end);
};
const matchUnterminatedComment: CustomPatternMatcherFunc = (text, offset) => {
  if (text.charCodeAt(offset) !== 35 || text.charCodeAt(offset + 1) !== 61) return null;
  return blockCommentEnd(text, offset) < 0 ? execResult(text, offset, text.length) : null;
};
const matchBom: CustomPatternMatcherFunc = (text, offset) =>
  offset === 0 && text.charCodeAt(0) === 0xfeff ? execResult(text, 0, 1) : null;

// Start-character hints: every char code below 256 that can start the token, plus one code
// point per 255-wide bucket above (Chevrotain buckets non-Latin-1 start chars that way).
function letterHints(upper: boolean): number[] {
  const out: number[] = [];
  const isUpper = /^[\p{Lu}\p{Lt}]$/u;
  const isLetter = /^\p{L}$/u;
  for (let c = 0; c < 256; c++) {
    const ch = String.fromCharCode(c);
    if (upper ? isUpper.test(ch) : (isLetter.test(ch) && !isUpper.test(ch)) || ch === "_") out.push(c);
  }
  for (let c = 256; c < 65536; c += 255) out.push(c);
  out.push(65535);
  return out;
}

function anyCharHints(except: number[]): number[] {
  const out: number[] = [];
  for (let c = 0; c < 256; c++) if (!except.includes(c)) out.push(c);
  for (let c = 256; c < 65536; c += 255) out.push(c);
  out.push(65535);
  return out;
}

// ---------------------------------------------------------------- trivia

export const Whitespace = createToken({ name: "Whitespace", pattern: /[ \t]+/, group: Lexer.SKIPPED });
export const Bom = createToken({ name: "Bom", pattern: matchBom, start_chars_hint: [0xfeff], group: Lexer.SKIPPED, line_breaks: false });
export const Newline = createToken({ name: "Newline", pattern: /\r\n?|\n/, line_breaks: true, categories: [Sep], label: "end of line" });
export const UnterminatedComment = createToken({
  name: "UnterminatedComment",
  pattern: matchUnterminatedComment,
  start_chars_hint: ["#"],
  line_breaks: true,
  group: "trivia",
});
// Comments are trivia: kept in the lexer's "trivia" group, which the parser never sees and the
// formatter reads (tooling.md §1.7).
export const BlockComment = createToken({ name: "BlockComment", pattern: matchBlockComment, start_chars_hint: ["#"], line_breaks: true, group: "trivia" });
export const ModuleDoc = createToken({ name: "ModuleDoc", pattern: /##![^\r\n]*/, group: "trivia" });
export const DocComment = createToken({ name: "DocComment", pattern: /##[^\r\n]*/, group: "trivia" });
export const LineComment = createToken({ name: "LineComment", pattern: /#[^\r\n]*/, group: "trivia" });

// ---------------------------------------------------------------- strings

export const TStringStart = createToken({ name: "TStringStart", pattern: /"""/, push_mode: "tstr", label: "`\"\"\"`" });
export const StringStart = createToken({ name: "StringStart", pattern: /"/, push_mode: "str", label: "a string" });
export const StringEnd = createToken({ name: "StringEnd", pattern: /"/, pop_mode: true, label: "`\"`" });
export const TStringEnd = createToken({ name: "TStringEnd", pattern: /"""/, pop_mode: true, label: "`\"\"\"`" });
export const StrText = createToken({
  name: "StrText",
  pattern: /(?:[^"\\$]|\\[\s\S]|\$(?!\{))+/,
  start_chars_hint: anyCharHints([34]),
  line_breaks: true,
  categories: [StringContent],
  label: "string text",
});
export const TStrText = createToken({
  name: "TStrText",
  pattern: /(?:[^"\\$]|\\[\s\S]|\$(?!\{)|"(?!""))+/,
  start_chars_hint: anyCharHints([]),
  line_breaks: true,
  categories: [StringContent],
  label: "string text",
});
export const InterpStart = createToken({ name: "InterpStart", pattern: /\$\{/, push_mode: "interp", label: "`${`" });
export const InterpEnd = createToken({ name: "InterpEnd", pattern: /\}/, pop_mode: true, label: "`}`" });

// ---------------------------------------------------------------- literals

export const FloatLit = createToken({
  name: "FloatLit",
  pattern: /[0-9][0-9_]*(?:\.[0-9][0-9_]*(?:[eE][+-]?[0-9][0-9_]*)?|[eE][+-]?[0-9][0-9_]*)/,
  label: "a float",
});
export const IntLit = createToken({ name: "IntLit", pattern: /0[xX][0-9a-fA-F_]*|0[bB][01_]*|0[oO][0-7_]*|[0-9][0-9_]*/, label: "an integer" });
export const Atom = createToken({ name: "Atom", pattern: matchAtom, start_chars_hint: [":"], line_breaks: false, label: "an atom" });

// ---------------------------------------------------------------- identifiers and keywords

export const UpperIdent = createToken({
  name: "UpperIdent",
  pattern: matchUpper,
  start_chars_hint: letterHints(true),
  line_breaks: false,
  categories: [Identifier, AnyName],
  label: "an uppercase name",
});
export const LowerIdent = createToken({
  name: "LowerIdent",
  pattern: matchLower,
  start_chars_hint: letterHints(false),
  line_breaks: false,
  categories: [Identifier, AnyName],
  label: "a name",
});

function kw(word: string, extra: TokenType[] = []): TokenType {
  return createToken({
    name: word[0]!.toUpperCase() + word.slice(1),
    pattern: word,
    longer_alt: LowerIdent,
    categories: [AnyName, ...extra],
    label: "`" + word + "`",
  });
}

export const Fn = kw("fn");
export const Def = kw("def");
export const Do = kw("do");
export const End = kw("end");
export const Else = kw("else");
export const If = kw("if");
export const Case = kw("case");
export const Match = kw("match");
export const When = kw("when");
export const For = kw("for");
export const In = kw("in");
export const While = kw("while");
export const Break = kw("break");
export const Continue = kw("continue");
export const Return = kw("return");
export const Let = kw("let");
export const True = kw("true");
export const False = kw("false");
export const Nil = kw("nil");
export const And = kw("and", [BinOp]);
export const Or = kw("or", [BinOp]);
export const Not = kw("not", [PrefixOp]);
export const Pub = kw("pub");
export const Import = kw("import");
export const Struct = kw("struct");
export const Type = kw("type");
export const Interface = kw("interface");
export const Impl = kw("impl");
export const Where = kw("where");
export const Self = kw("self");
export const Module = kw("module");
export const Actor = kw("actor");
export const Service = kw("service");
export const Supervisor = kw("supervisor");
export const Call = kw("call");
export const Cast = kw("cast");
export const Receive = kw("receive");
export const After = kw("after");
export const Send = kw("send");
export const Spawn = kw("spawn");
export const Link = kw("link");
export const Monitor = kw("monitor");
export const Trap = kw("trap");
export const Terminate = kw("terminate");
export const Alias = kw("alias");
export const Cond = kw("cond");
export const Trait = kw("trait");
export const With = kw("with");

export const keywords: readonly TokenType[] = [
  Fn, Def, Do, End, Else, If, Case, Match, When, For, In, While, Break, Continue, Return, Let,
  True, False, Nil, And, Or, Not, Pub, Import, Struct, Type, Interface, Impl, Where, Self, Module,
  Actor, Service, Supervisor, Call, Cast, Receive, After, Send, Spawn, Link, Monitor, Trap,
  Terminate, Alias, Cond, Trait, With,
];

// ---------------------------------------------------------------- operators and punctuation

function op(name: string, image: string, categories: TokenType[] = []): TokenType {
  return createToken({ name, pattern: image, categories, label: "`" + image + "`" });
}

export const PipeOp = op("PipeOp", "|>", [BinOp]);
export const OrOr = op("OrOr", "||", [BinOp]);
export const Bar = op("Bar", "|", [PatOp]);
export const AndAnd = op("AndAnd", "&&", [BinOp]);
export const LtEq = op("LtEq", "<=", [BinOp]);
export const LtGt = op("LtGt", "<>", [BinOp]);
export const Lt = op("Lt", "<", [BinOp]);
export const GtEq = op("GtEq", ">=", [BinOp]);
export const Gt = op("Gt", ">", [BinOp]);
export const Arrow = op("Arrow", "->");
export const Minus = op("Minus", "-", [BinOp, PrefixOp]);
export const ColonColon = op("ColonColon", "::", [PatOp]);
export const Colon = op("Colon", ":");
export const DotDot = op("DotDot", "..", [BinOp]);
export const Dot = op("Dot", ".");
export const EqEq = op("EqEq", "==", [BinOp]);
export const FatArrow = op("FatArrow", "=>");
export const Eq = op("Eq", "=");
export const BangEq = op("BangEq", "!=", [BinOp]);
export const Bang = op("Bang", "!", [PrefixOp]);
export const PlusPlus = op("PlusPlus", "++", [BinOp]);
export const Plus = op("Plus", "+", [BinOp]);
export const Star = op("Star", "*", [BinOp]);
export const Slash = op("Slash", "/", [BinOp]);
export const PercentLBrace = op("PercentLBrace", "%{");
export const Percent = op("Percent", "%", [BinOp]);
export const Question = op("Question", "?");
export const LParen = op("LParen", "(");
export const RParen = op("RParen", ")");
export const LBracket = op("LBracket", "[");
export const RBracket = op("RBracket", "]");
export const Comma = op("Comma", ",");
export const Semi = op("Semi", ";", [Sep]);
export const LBrace = op("LBrace", "{");
export const RBrace = op("RBrace", "}");
// Inside an interpolation, braces must be counted so that the `}` closing a map or struct
// literal does not end the interpolation: these variants push/pop the "brace" mode and are
// seen by the parser as the plain tokens through their categories.
export const LBraceIn = createToken({ name: "LBraceIn", pattern: "{", push_mode: "brace", categories: [LBrace], label: "`{`" });
export const PercentLBraceIn = createToken({ name: "PercentLBraceIn", pattern: "%{", push_mode: "brace", categories: [PercentLBrace], label: "`%{`" });
export const RBraceIn = createToken({ name: "RBraceIn", pattern: "}", pop_mode: true, categories: [RBrace], label: "`}`" });

// ---------------------------------------------------------------- modes

// Longer keywords first so that e.g. `interface` is not lexed as `in` + longer_alt.
const keywordsByLength = [...keywords].sort((a, b) => (b.PATTERN as string).length - (a.PATTERN as string).length);

const code: TokenType[] = [
  Whitespace, Bom, Newline,
  UnterminatedComment, BlockComment, ModuleDoc, DocComment, LineComment,
  TStringStart, StringStart,
  FloatLit, IntLit,
  ColonColon, Atom, Colon,
  ...keywordsByLength, UpperIdent, LowerIdent,
  PipeOp, OrOr, Bar, AndAnd, LtEq, LtGt, Lt, GtEq, Gt, Arrow, Minus, DotDot, Dot,
  EqEq, FatArrow, Eq, BangEq, Bang, PlusPlus, Plus, Star, Slash,
];
const tail: TokenType[] = [Percent, Question, LParen, RParen, LBracket, RBracket, Comma, Semi];

export const lexerDefinition = {
  modes: {
    main: [...code, PercentLBrace, ...tail, LBrace, RBrace],
    interp: [...code, PercentLBraceIn, ...tail, LBraceIn, InterpEnd],
    brace: [...code, PercentLBraceIn, ...tail, LBraceIn, RBraceIn],
    str: [StringEnd, InterpStart, StrText],
    tstr: [TStringEnd, InterpStart, TStrText],
  },
  defaultMode: "main",
};

// Every token type the parser may see (categories included), for the parser's vocabulary.
export const allTokens: TokenType[] = [
  Identifier, AnyName, BinOp, PrefixOp, Sep, StringContent, PatOp,
  ...new Set([
    ...lexerDefinition.modes.main,
    ...lexerDefinition.modes.interp,
    ...lexerDefinition.modes.brace,
    ...lexerDefinition.modes.str,
    ...lexerDefinition.modes.tstr,
  ]),
];

export const meshLexer = new Lexer(lexerDefinition, {
  positionTracking: "onlyOffset",
  ensureOptimizations: true,
  recoveryEnabled: true,
});
