import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  decodeDerived,
  decodeJson,
  encodeAny,
  encodeDerived,
  encodeNode,
  encodeValue,
  fromRow,
  JFloat,
  type JsonNode,
  type JsonType,
  JsonValue,
  MAX_DEPTH,
  nodeKind,
  parseJson,
  quote,
} from "../../../runtime/core/json.js";
import { Err, None, Ok, Some } from "../../../runtime/core/builtin-types.js";
import { List } from "../../../runtime/core/list.js";
import { MeshMap } from "../../../runtime/core/map.js";
import { MeshSet } from "../../../runtime/core/set.js";
import { eq } from "../../../runtime/core/equality.js";
import { text } from "../../../runtime/core/text.js";
import { defStruct, defSum } from "./helpers.js";

const L = (...xs: unknown[]) => List.fromArray(xs);
const I: JsonType = { k: "int" };
const F: JsonType = { k: "float" };
const S: JsonType = { k: "string" };
const B: JsonType = { k: "bool" };
const opt = (of: JsonType): JsonType => ({ k: "option", of });
const list = (of: JsonType): JsonType => ({ k: "list", of });

function okNode(s: string): JsonNode {
  const r = parseJson(s);
  if (!(r instanceof Ok)) throw new Error("parse failed: " + text(r));
  return r._0 as JsonNode;
}
const roundTrip = (s: string) => encodeNode(okNode(s));

describe("Json.parse", () => {
  it("accepts RFC 8259 values and re-encodes them with sorted keys (A10)", () => {
    expect(roundTrip('{ "b": [1, 2.0, true, null], "a": {"z": "x", "k": 1e2} }')).toBe('{"a":{"k":100.0,"z":"x"},"b":[1,2.0,true,null]}');
    expect(roundTrip(" 42 ")).toBe("42");
    expect(roundTrip('"x"')).toBe('"x"');
    expect(roundTrip("[]")).toBe("[]");
    expect(roundTrip("{}")).toBe("{}");
    expect(roundTrip("-0")).toBe("0");
    expect(roundTrip("-0.0")).toBe("-0.0");
    expect(roundTrip("0.5")).toBe("0.5");
    expect(roundTrip("1E400")).toBe("null"); // infinity encodes as null
    expect(roundTrip("9007199254740991")).toBe("9007199254740991");
    expect(roundTrip("9007199254740992")).toBe("9007199254740992.0"); // beyond Int: a Float
    expect(roundTrip("12345678901234567890")).toBe("1.2345678901234567e+19");
    expect(roundTrip('{"a":1,"a":2}')).toBe('{"a":2}');
    expect(roundTrip('{"2":"b","10":"a","x":"c"}')).toBe('{"10":"a","2":"b","x":"c"}');
    expect(roundTrip('{"__proto__":1,"constructor":2}')).toBe('{"__proto__":1,"constructor":2}');
    expect(roundTrip('"\\u00e9\\ud83d\\ude00\\/\\n"')).toBe('"é😀/\\n"');
    expect(roundTrip('{"k":"\\u0041", "n": 2.50}')).toBe('{"k":"A","n":2.5}');
  });

  it("classifies numbers as int or float", () => {
    expect(nodeKind(okNode("1"))).toBe("int");
    expect(nodeKind(okNode("1.0"))).toBe("float");
    expect(nodeKind(okNode("1e2"))).toBe("float");
    expect(nodeKind(okNode("1.5"))).toBe("float");
    expect(nodeKind(okNode("1e300"))).toBe("float");
    expect(okNode("[1.0]")).toEqual([new JFloat(1)]);
  });

  it("rejects invalid input with `<reason> at line L column C`", () => {
    const bad = ["", "   ", "{oops}", "[1,]", '{"a":1,}', "NaN", "[1] x", "// c\n1", "01", "1.", ".5", "+1", "'a'", '"a', '"\\x"', '"\\ud800"', '"\\udc00x"', "tru", "[1 2]", '{"a" 1}', '{1:2}', '"\t"', "-", "1e", "[", "{"];
    for (const s of bad) {
      const r = parseJson(s);
      expect(r, s).toBeInstanceOf(Err);
      expect((r as Err<string>)._0, s).toMatch(/ at line \d+ column \d+$/);
    }
    expect((parseJson("[1,\n  x]") as Err<string>)._0).toBe("expected value at line 2 column 3");
  });

  it("returns an Err for 100,000 levels of nesting instead of overflowing the stack", () => {
    for (const s of ["[".repeat(100_000) + "]".repeat(100_000), '{"a":'.repeat(100_000) + "1" + "}".repeat(100_000), "[".repeat(100_000)]) {
      const r = parseJson(s);
      expect(r).toBeInstanceOf(Err);
      expect((r as Err<string>)._0).toMatch(/^nesting too deep/);
    }
    expect(parseJson("[".repeat(MAX_DEPTH) + "]".repeat(MAX_DEPTH))).toBeInstanceOf(Ok);
    expect(parseJson("[".repeat(MAX_DEPTH + 1) + "]".repeat(MAX_DEPTH + 1))).toBeInstanceOf(Err);
    // long texts take the native path and then have their depth checked
    const pad = '"' + "x".repeat(3000) + '"';
    expect(parseJson("[".repeat(MAX_DEPTH) + pad + "]".repeat(MAX_DEPTH))).toBeInstanceOf(Ok);
    expect(parseJson("[".repeat(MAX_DEPTH + 1) + pad + "]".repeat(MAX_DEPTH + 1))).toBeInstanceOf(Err);
    expect(parseJson('{"a":' + "[".repeat(MAX_DEPTH) + pad + "]".repeat(MAX_DEPTH) + "}")).toBeInstanceOf(Err);
  });

  it("keeps integral floats as floats on every path", () => {
    const pad = "x".repeat(3000);
    expect(roundTrip(`{"pad":"${pad}","v":2.0,"w":[1e2, 3]}`)).toBe(`{"pad":"${pad}","v":2.0,"w":[100.0,3]}`);
    expect(roundTrip('{"id":"3f2a9c1e-8b7d-4e6f","n":1}')).toBe('{"id":"3f2a9c1e-8b7d-4e6f","n":1}');
    expect(roundTrip('{"s":"version 1.0","n":5}')).toBe('{"n":5,"s":"version 1.0"}');
    expect(roundTrip("[1.5e3,\n2.50,\t-0.0,1E+2]")).toBe("[1500.0,2.5,-0.0,100.0]");
  });

  it("native fast path and own parser agree on random documents", () => {
    fc.assert(
      fc.property(fc.json(), (s) => {
        const r = parseJson(s);
        expect(r).toBeInstanceOf(Ok);
        const again = parseJson(encodeNode((r as Ok<JsonNode>)._0));
        expect(again).toBeInstanceOf(Ok);
        expect(new JsonValue((again as Ok<JsonNode>)._0).$eq(new JsonValue((r as Ok<JsonNode>)._0))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe("Json encoding rules (§13.3)", () => {
  it("escapes strings exactly", () => {
    expect(quote('say "hi"\n\ttab \\ /')).toBe('"say \\"hi\\"\\n\\ttab \\\\ /"');
    expect(quote("\u0000\u0008\u000c\u001f\u007f é😀")).toBe('"\\u0000\\b\\f\\u001f\u007f é😀"');
    expect(quote("x".repeat(100) + '"')).toBe('"' + "x".repeat(100) + '\\""');
    expect(quote("x".repeat(100))).toBe('"' + "x".repeat(100) + '"');
  });

  it("encodes plain values by static type (A17)", () => {
    expect(encodeValue(MeshMap.fromPairs([["bo", 7], ["al", 12]]), { k: "map", of: I })).toBe('{"al":12,"bo":7}');
    expect(encodeValue(L(1.5, 2.0, 100.0), list(F))).toBe("[1.5,2.0,100.0]");
    expect(encodeValue(new Some('q"uote'), opt(S))).toBe('"q\\"uote"');
    expect(encodeValue(None, opt(S))).toBe("null");
    expect(encodeValue(undefined, { k: "unit" })).toBe("null");
    expect(encodeValue([1, "a", 2], { k: "tuple", elems: [I, S, F] })).toBe('[1,"a",2.0]');
    expect(encodeValue(MeshSet.fromArray([3, 1]), { k: "set", of: I })).toBe("[3,1]");
    expect(encodeValue(MeshMap.fromPairs([[2, "b"], [10, "a"]]), { k: "map", of: S })).toBe('{"10":"a","2":"b"}');
    expect(encodeValue(MeshMap.fromPairs([["😀", 1], ["\uff61", 2]]), { k: "map", of: I })).toBe('{"\uff61":2,"😀":1}');
    expect(encodeValue(new JsonValue(okNode("[1.0]")), { k: "json" })).toBe("[1.0]");
    const big = MeshMap.fromPairs(Array.from({ length: 50 }, (_, i) => [49 - i, i] as [number, number]));
    const names = Array.from({ length: 50 }, (_, i) => String(i)).sort();
    expect(encodeValue(big, { k: "map", of: I })).toBe("{" + names.map((k) => `"${k}":${49 - Number(k)}`).join(",") + "}");
    expect(encodeValue(MeshMap.fromPairs([[[1, "a"], 1], [[0, "b"], 2]]), { k: "map", of: I })).toBe('{"(0, b)":2,"(1, a)":1}');
  });

  it("encodes without types by inspecting values", () => {
    expect(encodeAny(L(1, 2.5, -0, "x", true, undefined))).toBe('[1,2.5,-0.0,"x",true,null]');
    expect(encodeAny(MeshMap.fromPairs([["b", L()], ["a", new Some(1)]]))).toBe('{"a":1,"b":[]}');
  });

  it("encodes derived structs and sum types (A11, A17)", () => {
    const Point = defStruct("JPoint", ["x", "y"], ["Json"], [I, F]);
    const Shape = defStruct("JShape", ["name", "points", "label", "closed"], ["Json"], [S, list({ k: "struct", meta: Point.meta }), opt(S), B]);
    const p = Point.make(3, 2.0);
    expect(encodeDerived(p)).toBe('{"x":3,"y":2.0}');
    const q = Point.make(-1, 0.25);
    expect(encodeDerived(Shape.make("tri", L(p, q), None, true))).toBe('{"closed":true,"label":null,"name":"tri","points":[{"x":3,"y":2.0},{"x":-1,"y":0.25}]}');
    expect(encodeDerived(Shape.make("big", L(), new Some("ok"), false))).toBe('{"closed":false,"label":"ok","name":"big","points":[]}');
    const Signal = defSum("Signal", [["Green", 0], ["Blink", 1], ["Custom", 2]], ["Json"], [[], [I], [S, F]]);
    expect(encodeDerived(Signal.mk.Green())).toBe('{"fields":[],"tag":"Green"}');
    expect(encodeDerived(Signal.mk.Blink(3))).toBe('{"fields":[3],"tag":"Blink"}');
    expect(encodeDerived(Signal.mk.Custom("amber", 0.5))).toBe('{"fields":["amber",0.5],"tag":"Custom"}');
    expect(encodeValue(L(Signal.mk.Custom("a", 1)), list({ k: "sum", meta: Signal.meta }))).toBe('[{"fields":["a",1.0],"tag":"Custom"}]');
  });

  it("resolves generic parameters of derived types", () => {
    const Box = defStruct("Box", ["value", "more"], ["Json"], [{ k: "param", i: 0 }, list({ k: "param", i: 0 })]);
    const Wrap = defStruct("Wrap", ["inner"], ["Json"], [{ k: "struct", meta: Box.meta, args: [{ k: "param", i: 0 }] }]);
    const d: JsonType = { k: "struct", meta: Wrap.meta, args: [F] };
    const v = Wrap.make(Box.make(2, L(3)));
    expect(encodeValue(v, d)).toBe('{"inner":{"more":[3.0],"value":2.0}}');
    const back = decodeDerived(d, '{"inner":{"value":1,"more":[]}}');
    expect(back).toBeInstanceOf(Ok);
    expect(eq((back as Ok<unknown>)._0, Wrap.make(Box.make(1, L())))).toBe(true);
  });
});

describe("deriving(Json) decoding (§13.2)", () => {
  const Account = defStruct("Account", ["id", "owner", "active"], ["Json"], [I, S, B]);
  const describe_ = (t: string) => {
    const r = decodeDerived(Account.meta, t);
    if (r instanceof Ok) {
      const a = r._0 as { id: number; owner: string; active: boolean };
      return `ok ${text(a.id)} ${a.owner} ${text(a.active)}`;
    }
    return `err ${(r as Err<string>)._0}`;
  };

  it("reproduces A12", () => {
    expect(describe_('{"owner":"kim","id":7,"active":false,"extra":[1]}')).toBe("ok 7 kim false");
    expect(describe_('{"id":7,"owner":"kim"}')).toBe("err missing field: active");
    expect(describe_('{"id":"7","owner":"kim","active":true}')).toBe("err expected Int");
    expect(describe_('{"id":7.9,"owner":"lu","active":true}')).toBe("ok 7 lu true");
    expect(describe_("[1, 2]")).toBe("err expected Object");
    expect(describe_("{oops")).toMatch(/^err .* at line 1 column \d+$/);
  });

  it("reports the first error in declaration order, per field type", () => {
    expect(describe_('{"id":1e300,"owner":1,"active":true}')).toBe("err expected Int");
    expect(describe_('{"id":-0.5,"owner":"x","active":true}')).toBe("ok 0 x true");
    expect(describe_('{"id":1,"owner":1}')).toBe("err expected String");
    expect(describe_('{"id":1,"owner":"o","active":"yes"}')).toBe("err expected Bool");
    const All = defStruct("All", ["f", "xs", "m", "o", "p", "j"], ["Json"], [F, list(I), { k: "map", of: I }, opt(I), { k: "struct", meta: Account.meta }, { k: "json" }]);
    const ok1 = decodeDerived(All.meta, '{"f":1,"xs":[1,2],"m":{"b":1,"a":2},"o":null,"p":{"id":1,"owner":"o","active":true},"j":[1.0]}');
    expect(ok1).toBeInstanceOf(Ok);
    const v = (ok1 as Ok<Record<string, unknown>>)._0;
    expect(text(v.m)).toBe("%{a => 2, b => 1}");
    expect(v.o).toBe(None);
    expect(text(v.j)).toBe("[1.0]");
    expect(text(decodeDerived(All.meta, '{"f":"1"}'))).toBe("Err(expected Float)");
    expect(text(decodeDerived(All.meta, '{"f":1,"xs":{}}'))).toBe("Err(expected Array)");
    expect(text(decodeDerived(All.meta, '{"f":1,"xs":[1,"2"]}'))).toBe("Err(expected Int)");
    expect(text(decodeDerived(All.meta, '{"f":1,"xs":[],"m":[]}'))).toBe("Err(expected Object)");
    expect(text(decodeDerived(All.meta, '{"f":1,"xs":[],"m":{"a":"x"}}'))).toBe("Err(expected Int)");
    expect(text(decodeDerived(All.meta, '{"f":1,"xs":[],"m":{},"o":"x"}'))).toBe("Err(expected Int)");
    expect(text(decodeDerived(All.meta, '{"f":1,"xs":[],"m":{},"p":3}'))).toBe("Err(expected Object)");
    expect(text(decodeDerived(All.meta, '{"f":1,"xs":[],"m":{},"p":{"id":1}}'))).toBe("Err(missing field: owner)");
    expect(text(decodeDerived(All.meta, '{"f":1,"xs":[],"m":{},"p":{"id":1,"owner":"o","active":true}}'))).toBe("Err(missing field: j)");
  });

  it("decodes sum types (A17) and reports their errors", () => {
    const Signal = defSum("Signal2", [["Green", 0], ["Blink", 1], ["Custom", 2]], ["Json"], [[], [I], [S, F]]);
    const dec = (t: string) => text(decodeDerived(Signal.meta, t));
    expect(dec('{"tag":"Blink","fields":[9]}')).toBe("Ok(Blink(9))");
    expect(dec('{"fields":["red",1],"tag":"Custom"}')).toBe("Ok(Custom(red, 1))");
    expect(dec('{"tag":"Green","fields":[]}')).toBe("Ok(Green)");
    expect((decodeDerived(Signal.meta, '{"tag":"Green"}') as Ok<unknown>)._0).toBe(Signal.mk.Green());
    expect(dec('{"tag":"Purple","fields":[]}')).toBe("Err(unknown variant for Signal2)");
    expect(dec('{"fields":[]}')).toBe("Err(missing field: tag)");
    expect(dec('{"tag":1,"fields":[]}')).toBe("Err(expected String)");
    expect(dec('{"tag":"Blink"}')).toBe("Err(missing field: fields)");
    expect(dec('{"tag":"Blink","fields":{}}')).toBe("Err(expected Array)");
    expect(dec('{"tag":"Blink","fields":[1,2]}')).toBe("Err(wrong number of fields for Blink)");
    expect(dec('{"tag":"Blink","fields":["x"]}')).toBe("Err(expected Int)");
    expect(dec("3")).toBe("Err(expected Object)");
  });

  it("decodes missing or null Option members as None", () => {
    const O = defStruct("O", ["a", "b"], ["Json"], [opt(I), opt(S)]);
    expect(text(decodeDerived(O.meta, "{}"))).toBe("Ok(O { a: None, b: None })");
    expect(text(decodeDerived(O.meta, '{"a":null,"b":"x"}'))).toBe("Ok(O { a: None, b: Some(x) })");
  });

  it("round-trips every value shape (property)", () => {
    const Inner = defStruct("Inner", ["n", "f"], ["Json", "Eq"], [I, F]);
    const Kind = defSum("Kind", [["A", 0], ["B", 2]], ["Json", "Eq"], [[], [S, list(F)]]);
    const Outer = defStruct(
      "Outer",
      ["i", "f", "s", "b", "o", "l", "m", "inner", "kind", "set", "t"],
      ["Json", "Eq"],
      [I, F, S, B, opt(list(I)), list({ k: "struct", meta: Inner.meta }), { k: "map", of: opt(F) }, { k: "struct", meta: Inner.meta }, { k: "sum", meta: Kind.meta }, { k: "set", of: S }, { k: "tuple", elems: [I, S] }],
    );
    const int = fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });
    const flt = fc.double({ noNaN: true, noDefaultInfinity: true });
    const str = fc.string({ unit: "grapheme" });
    const inner = fc.tuple(int, flt).map(([n, f]) => Inner.make(n, f));
    const kind = fc.oneof(fc.constant(Kind.mk.A()), fc.tuple(str, fc.array(flt, { maxLength: 3 })).map(([s, xs]) => Kind.mk.B(s, List.fromArray(xs))));
    const outer = fc
      .record({
        i: int,
        f: flt,
        s: str,
        b: fc.boolean(),
        o: fc.option(fc.array(int, { maxLength: 3 }), { nil: null }),
        l: fc.array(inner, { maxLength: 3 }),
        m: fc.dictionary(str, fc.option(flt, { nil: null }), { maxKeys: 4 }),
        inner,
        kind,
        set: fc.uniqueArray(str, { maxLength: 4 }),
        t: fc.tuple(int, str),
      })
      .map((r) =>
        Outer.make(
          r.i,
          r.f,
          r.s,
          r.b,
          r.o === null ? None : new Some(List.fromArray(r.o)),
          List.fromArray(r.l),
          MeshMap.fromPairs(Object.entries(r.m).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, v === null ? None : new Some(v)])),
          r.inner,
          r.kind,
          MeshSet.fromArray(r.set),
          r.t,
        ),
      );
    fc.assert(
      fc.property(outer, (v) => {
        const s = encodeDerived(v);
        const back = decodeDerived(Outer.meta, s);
        expect(back).toBeInstanceOf(Ok);
        const w = (back as Ok<Record<string, unknown>>)._0;
        expect(encodeDerived(w)).toBe(s);
        // maps decode in key order; compare everything else structurally
        expect(eq(w.inner, (v as Record<string, unknown>).inner)).toBe(true);
        expect(eq(w.kind, (v as Record<string, unknown>).kind)).toBe(true);
        expect(eq(w.m, (v as Record<string, unknown>).m)).toBe(true);
        expect(eq(w, v)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("decodeJson decodes a parsed tree against a descriptor", () => {
    expect(text(decodeJson(okNode("[1, 2]"), { k: "tuple", elems: [I, F] }))).toBe("Ok((1, 2))");
    expect(text(decodeJson(okNode("[1]"), { k: "tuple", elems: [I, F] }))).toBe("Err(expected Array)");
  });
});

describe("deriving(Row) (§28.4)", () => {
  const User = defStruct("User", ["id", "name", "score", "admin", "nick", "age"], ["Row"], [I, S, F, B, opt(S), opt(I)]);
  const row = (ps: [string, string][]) => MeshMap.fromPairs<string, string>(ps);
  const base: [string, string][] = [["id", " 42 "], ["name", " Ann "], ["score", "95.5"], ["admin", "t"], ["nick", ""], ["age", "7"]];

  it("converts text columns", () => {
    expect(text(fromRow(User.meta, row(base)))).toBe("Ok(User { id: 42, name:  Ann , score: 95.5, admin: true, nick: None, age: Some(7) })");
    const r2 = fromRow(User.meta, row([["id", "1"], ["name", "x"], ["score", "-Infinity"], ["admin", "NO"]]));
    expect(text(r2)).toBe("Ok(User { id: 1, name: x, score: -inf, admin: false, nick: None, age: None })");
    for (const [v, b] of [["TRUE", true], ["yes", true], ["1", true], ["f", false], ["0", false], ["False", false]] as const) {
      const r = fromRow(User.meta, row([["id", "1"], ["name", "x"], ["score", "1"], ["admin", v]]));
      expect((r as Ok<{ admin: boolean }>)._0.admin).toBe(b);
    }
  });

  it("reports errors with the trimmed text", () => {
    const withCol = (k: string, v: string) => fromRow(User.meta, row(base.map(([a, b]) => [a, a === k ? v : b])));
    expect(text(withCol("id", " 4.0 "))).toBe("Err(cannot parse '4.0' as Int)");
    expect(text(withCol("score", " abc"))).toBe("Err(cannot parse 'abc' as Float)");
    expect(text(withCol("admin", " maybe "))).toBe("Err(cannot parse 'maybe' as Bool)");
    expect(text(withCol("age", "x"))).toBe("Err(cannot parse 'x' as Int)");
    expect(text(fromRow(User.meta, row([["id", "1"]])))).toBe("Err(missing column: name)");
    expect(text(fromRow(User.meta, row([])))).toBe("Err(missing column: id)");
  });
});

describe("atoms and outside input (issue 12)", () => {
  it("parsing and decoding JSON never creates atoms (the atom table is never collected)", async () => {
    const { Atom } = await import("../../../runtime/core/meta.js");
    const names = Array.from({ length: 200 }, (_, i) => `json_atom_probe_${i}`);
    const doc = `{${names.map((n) => `"${n}": ["${n}", {"${n}x": "${n}"}]`).join(",")}}`;
    const parsed = parseJson(doc);
    expect(parsed).toBeInstanceOf(Ok);
    expect(decodeJson((parsed as Ok<JsonNode>)._0, { k: "any" })).toBeInstanceOf(Ok);
    for (const n of names) {
      expect(Atom.existing(n)).toBeUndefined();
      expect(Atom.existing(`${n}x`)).toBeUndefined();
    }
  });
});
