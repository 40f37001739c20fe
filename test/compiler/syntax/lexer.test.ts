// Lexer (compiler/syntax/tokens.ts, lex.ts): token sequences for every literal form, strings and
// interpolation modes, atoms, comments, keywords, and lexical errors.
import { describe, expect, it } from "vitest";
import { lex } from "../../../compiler/syntax/lex.js";
import { meshLexer } from "../../../compiler/syntax/tokens.js";
import { messages, rawTokens } from "./helpers.js";

const names = (src: string) => rawTokens(src, false);

describe("interpolation", () => {
  it("produces the token sequence of §1.8", () => {
    expect(rawTokens('"a ${x} b"')).toEqual([
      'StringStart(")', "StrText(a )", "InterpStart(${)", "LowerIdent(x)", "InterpEnd(})", "StrText( b)", 'StringEnd(")',
    ]);
  });

  it("nests strings inside interpolations to any depth", () => {
    expect(rawTokens('"a ${"b ${c}"} d"')).toEqual([
      'StringStart(")', "StrText(a )", "InterpStart(${)",
      'StringStart(")', "StrText(b )", "InterpStart(${)", "LowerIdent(c)", "InterpEnd(})", 'StringEnd(")',
      "InterpEnd(})", "StrText( d)", 'StringEnd(")',
    ]);
  });

  it("counts braces of map literals inside an interpolation", () => {
    expect(rawTokens('"${%{1 => 2}}"')).toEqual([
      'StringStart(")', "InterpStart(${)", "PercentLBraceIn(%{)", "IntLit(1)", "FatArrow(=>)", "IntLit(2)", "RBraceIn(})",
      "InterpEnd(})", 'StringEnd(")',
    ]);
  });

  it("counts braces of struct literals and nested maps", () => {
    expect(names('"${Point { x: 1, y: %{2 => {3}} }}!"')).toEqual([
      "StringStart", "InterpStart", "UpperIdent", "LBraceIn", "LowerIdent", "Colon", "IntLit", "Comma", "LowerIdent", "Colon",
      "PercentLBraceIn", "IntLit", "FatArrow", "LBraceIn", "IntLit", "RBraceIn", "RBraceIn", "RBraceIn", "InterpEnd",
      "StrText", "StringEnd",
    ]);
  });

  it("allows comments and line breaks inside an interpolation", () => {
    expect(names('"${x #= c =# + # rest\n 1}"')).toEqual([
      "StringStart", "InterpStart", "LowerIdent", "Plus", "Newline", "IntLit", "InterpEnd", "StringEnd",
    ]);
  });

  it("treats an escaped `${` and a lone `$` as text", () => {
    expect(rawTokens('"\\${x} $5 $"')).toEqual(['StringStart(")', "StrText(\\${x} $5 $)", 'StringEnd(")']);
  });

  it("lexes triple-quoted strings with quotes, interpolation and raw line breaks", () => {
    expect(rawTokens('"""a "q" ""b""\n${x}"""')).toEqual([
      'TStringStart(""")', 'TStrText(a "q" ""b""\n)', "InterpStart(${)", "LowerIdent(x)", "InterpEnd(})", 'TStringEnd(""")',
    ]);
    // a triple string ends at the first `"""`
    expect(names('"""a""""')).toEqual(["TStringStart", "TStrText", "TStringEnd", "StringStart"]);
  });

  it("keeps raw line breaks inside ordinary strings", () => {
    expect(rawTokens('"a\nb"')).toEqual(['StringStart(")', "StrText(a\nb)", 'StringEnd(")']);
  });
});

describe("literals", () => {
  it("lexes integer forms", () => {
    expect(rawTokens("42 1_000_000 0xff_FF 0XA 0b1011 0B1 0o17 0O7")).toEqual([
      "IntLit(42)", "IntLit(1_000_000)", "IntLit(0xff_FF)", "IntLit(0XA)", "IntLit(0b1011)", "IntLit(0B1)", "IntLit(0o17)", "IntLit(0O7)",
    ]);
  });

  it("lexes float forms", () => {
    expect(rawTokens("3.0 2.5e-3 1e3 1.0E+21 1_0.2_5")).toEqual([
      "FloatLit(3.0)", "FloatLit(2.5e-3)", "FloatLit(1e3)", "FloatLit(1.0E+21)", "FloatLit(1_0.2_5)",
    ]);
  });

  it("makes a float only when a digit follows the dot", () => {
    expect(rawTokens("1..5")).toEqual(["IntLit(1)", "DotDot(..)", "IntLit(5)"]);
    expect(rawTokens("3.abs()")).toEqual(["IntLit(3)", "Dot(.)", "LowerIdent(abs)", "LParen(()", "RParen())"]);
    expect(rawTokens("2.5.to_string()")).toEqual(["FloatLit(2.5)", "Dot(.)", "LowerIdent(to_string)", "LParen(()", "RParen())"]);
  });

  it("lexes atoms, but not after an identifier character", () => {
    expect(rawTokens(":ok :_id :café")).toEqual(["Atom(:ok)", "Atom(:_id)", "Atom(:café)"]);
    expect(rawTokens("x:y")).toEqual(["LowerIdent(x)", "Colon(:)", "LowerIdent(y)"]);
    expect(names("Point{x:y}")).toEqual(["UpperIdent", "LBrace", "LowerIdent", "Colon", "LowerIdent", "RBrace"]);
    expect(rawTokens("f(a: :b)")).toEqual(["LowerIdent(f)", "LParen(()", "LowerIdent(a)", "Colon(:)", "Atom(:b)", "RParen())"]);
    expect(rawTokens(":Upper x::T")).toEqual(["Colon(:)", "UpperIdent(Upper)", "LowerIdent(x)", "ColonColon(::)", "UpperIdent(T)"]);
  });

  it("lexes `%{` as one token and `%` alone as modulo", () => {
    expect(names("%{} a % b")).toEqual(["PercentLBrace", "RBrace", "LowerIdent", "Percent", "LowerIdent"]);
  });

  it("matches operators longest first, with no `>>` token", () => {
    expect(rawTokens("|> || | <= <> < -> - :: .. . == => = != ! ++ + && >=")).toEqual([
      "PipeOp(|>)", "OrOr(||)", "Bar(|)", "LtEq(<=)", "LtGt(<>)", "Lt(<)", "Arrow(->)", "Minus(-)", "ColonColon(::)", "DotDot(..)",
      "Dot(.)", "EqEq(==)", "FatArrow(=>)", "Eq(=)", "BangEq(!=)", "Bang(!)", "PlusPlus(++)", "Plus(+)", "AndAnd(&&)", "GtEq(>=)",
    ]);
    expect(names("List<Map<String, Int>>")).toEqual(["UpperIdent", "Lt", "UpperIdent", "Lt", "UpperIdent", "Comma", "UpperIdent", "Gt", "Gt"]);
  });
});

describe("identifiers and keywords", () => {
  it("lexes keywords, with longer identifiers taking precedence", () => {
    expect(rawTokens("fn fnord end end_ interface in inx do2 self Self")).toEqual([
      "Fn(fn)", "LowerIdent(fnord)", "End(end)", "LowerIdent(end_)", "Interface(interface)", "In(in)", "LowerIdent(inx)",
      "LowerIdent(do2)", "Self(self)", "UpperIdent(Self)",
    ]);
  });

  it("recognises all 48 keywords", () => {
    const words =
      "fn def do end else if case match when for in while break continue return let true false nil and or not pub import struct type interface impl where self module actor service supervisor call cast receive after send spawn link monitor trap terminate alias cond trait with";
    const toks = meshLexer.tokenize(words).tokens;
    expect(toks).toHaveLength(48);
    expect(toks.every((t) => t.tokenType.name.toLowerCase() === t.image)).toBe(true);
  });

  it("keeps contextual words as identifiers", () => {
    expect(names("from as deriving Fun Unit")).toEqual(["LowerIdent", "LowerIdent", "LowerIdent", "UpperIdent", "UpperIdent"]);
  });

  it("accepts Unicode letters and splits upper/lower case by the first character", () => {
    expect(rawTokens("naïve Été _x x1 µ")).toEqual([
      "LowerIdent(naïve)", "UpperIdent(Été)", "LowerIdent(_x)", "LowerIdent(x1)", "LowerIdent(µ)",
    ]);
  });
});

describe("comments and line terminators", () => {
  it("skips nested block comments and keeps every comment aside as trivia", () => {
    const r = meshLexer.tokenize("a #= x #= y =# z =# b ## doc\n##! mod\nc # plain");
    expect(r.tokens.map((t) => t.image)).toEqual(["a", "b", "\n", "\n", "c"]);
    expect(r.groups["trivia"]!.map((t) => t.image)).toEqual(["#= x #= y =# z =#", "## doc", "##! mod", "# plain"]);
  });

  it("produces one NEWLINE per \\n, \\r\\n and lone \\r", () => {
    expect(names("a\nb\r\nc\rd")).toEqual(["LowerIdent", "Newline", "LowerIdent", "Newline", "LowerIdent", "Newline", "LowerIdent"]);
  });

  it("ignores a leading byte-order mark", () => {
    const r = lex("t.mpl", "\uFEFFfn");
    expect(r.diagnostics).toEqual([]);
    expect(r.tokens.map((t) => [t.image, t.startOffset])).toEqual([["fn", 1]]);
  });
});

describe("lexical errors", () => {
  it("reports stray characters with their span", () => {
    const r = lex("t.mpl", "a @ b & c ~ `");
    expect(r.diagnostics.map((d) => [d.code, d.message, d.span.start, d.span.end])).toEqual([
      ["P0001", "unexpected character `@`", 2, 3],
      ["P0001", "unexpected character `&`", 6, 7],
      ["P0001", "unexpected character `~`", 10, 11],
      ["P0001", "unexpected character `` ` ``", 12, 13],
    ]);
    expect(r.diagnostics[1]!.hint).toContain("&&");
  });

  it("reports integer literals above 2^53-1 as E0044", () => {
    expect(messages("let a = 9007199254740991\nlet b = 9007199254740992\nlet c = 0x20000000000000")).toEqual([
      "E0044 integer literal `9007199254740992` is too large (the largest Int is 9007199254740991)",
      "E0044 integer literal `0x20000000000000` is too large (the largest Int is 9007199254740991)",
    ]);
  });

  it("reports prefixes without digits", () => {
    expect(messages("let a = 0x\nlet b = 0b_1\nlet c = 0o")).toEqual([
      "P0001 hexadecimal literal `0x` needs at least one digit after `0x`",
      "P0001 binary literal `0b_1` needs at least one digit after `0b`",
      "P0001 octal literal `0o` needs at least one digit after `0o`",
    ]);
  });

  it("reports unterminated strings and block comments once", () => {
    expect(messages('fn main() do\n  println("abc)\nend\n')).toEqual([
      'P0001 unterminated string: no closing `"` before the end of the file',
    ]);
    expect(messages('let s = """abc')).toEqual(['P0001 unterminated string: no closing `"""` before the end of the file']);
    expect(messages("let x = 1 #= a #= b =#\nlet y = 2")).toEqual([
      "P0001 unterminated block comment: no closing `=#` before the end of the file",
    ]);
  });
});
