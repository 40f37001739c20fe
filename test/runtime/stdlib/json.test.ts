import { describe, expect, it } from "vitest";
import * as lib from "../../../runtime/stdlib/index.js";
import { List } from "../../../runtime/core/list.js";
import { MeshMap } from "../../../runtime/core/map.js";
import { Err, None, Ok, Some } from "../../../runtime/core/builtin-types.js";
import { JsonValue } from "../../../runtime/core/json.js";
import { text } from "../../../runtime/core/text.js";

const J = lib.Json;
const L = <T>(...xs: T[]) => List.fromArray(xs);
const parse = (s: string) => (J.parse(s) as Ok<JsonValue>)._0;

describe("Json module (stdlib.md §13.1)", () => {
  it("A10: encoders, parsing and extraction", () => {
    expect(J.encode_string('say "hi"\n\ttab \\ /')).toBe('"say \\"hi\\"\\n\\ttab \\\\ /"');
    expect(J.encode_int(-12) + " " + J.encode_bool(false) + " " + lib.JSON.encode_string("")).toBe('-12 false ""');
    expect(J.encode_list(L("a", "b/c", "ü"))).toBe('["a","b/c","ü"]');
    expect(J.encode_map(MeshMap.fromPairs([["zeta", "1"], ["alpha", "2"], ["Mid", "3"]]))).toBe('{"Mid":"3","alpha":"2","zeta":"1"}');
    const r = J.parse('{ "b": [1, 2.0, true, null], "a": {"z": "x", "k": 1e2} }');
    expect(r).toBeInstanceOf(Ok);
    expect(J.encode((r as Ok<JsonValue>)._0)).toBe('{"a":{"k":100.0,"z":"x"},"b":[1,2.0,true,null]}');
    expect(J.parse("{oops}")).toBeInstanceOf(Err);
    const body = '{"user":{"id":42,"tags":["a","b"]},"name":"Lee","gone":null}';
    expect(J.get(body, "name") + " " + J.get_nested(body, "user", "id") + " " + J.get_nested(body, "user", "tags")).toBe('Lee 42 ["a","b"]');
    expect(J.get(body, "user")).toBe('{"id":42,"tags":["a","b"]}');
    expect("[" + J.get(body, "gone") + "][" + J.get("not json", "x") + "]").toBe("[][]");
  });

  it("get / get_nested never fail", () => {
    expect(J.get("[1]", "x")).toBe("");
    expect(J.get('{"a":1.50}', "a")).toBe("1.5");
    expect(J.get('{"a":true}', "a")).toBe("true");
    expect(J.get('{"a":2.0}', "a")).toBe("2.0");
    expect(J.get('{"a":1}', "b")).toBe("");
    expect(J.get('{"a":1}', "toString")).toBe("");
    expect(J.get_nested('{"a":{"b":"x"}}', "a", "b")).toBe("x");
    expect(J.get_nested('{"a":[1]}', "a", "b")).toBe("");
    expect(J.get_nested('{"a":1}', "z", "b")).toBe("");
    expect(J.get_nested("", "a", "b")).toBe("");
  });

  it("kind, field, items and as_* accessors", () => {
    const j = parse('{"s":"x","i":3,"f":2.5,"g":4.0,"b":true,"n":null,"a":[1,"y"],"o":{},"big":1e300,"neg":-7.9}');
    const f = (k: string) => (J.field(j, k) as Some<JsonValue>)._0;
    expect(["s", "i", "f", "g", "b", "n", "a", "o"].map((k) => J.kind(f(k)))).toEqual(["string", "int", "float", "float", "bool", "null", "array", "object"]);
    expect(J.kind(j)).toBe("object");
    expect(J.field(j, "zz")).toBe(None);
    expect(J.field(f("a"), "x")).toBe(None);
    expect(text(J.items(f("a")))).toBe('[1, "y"]');
    expect(J.items(f("o")).length).toBe(0);
    expect(text(J.as_string(f("s")))).toBe("Some(x)");
    expect(J.as_string(f("i"))).toBe(None);
    expect(text(J.as_int(f("i")))).toBe("Some(3)");
    expect(text(J.as_int(f("neg")))).toBe("Some(-7)");
    expect(J.as_int(f("big"))).toBe(None);
    expect(J.as_int(f("s"))).toBe(None);
    expect(text(J.as_float(f("i")))).toBe("Some(3)");
    expect(text(J.as_float(f("g")))).toBe("Some(4)");
    expect(J.as_float(f("b"))).toBe(None);
    expect(text(J.as_bool(f("b")))).toBe("Some(true)");
    expect(J.as_bool(f("n"))).toBe(None);
  });

  it("Display of Json is its encoding; Json values compare structurally", () => {
    expect(text(parse('{"b":1,"a":[2.0]}'))).toBe('{"a":[2.0],"b":1}');
    expect(text(L(parse('"x"')))).toBe('["x"]');
    expect(parse("[1, 2]").$eq(parse("[1,2]"))).toBe(true);
    expect(parse("1").$eq(parse("1.0"))).toBe(false);
  });

  it("encode without a descriptor inspects the value; with one it follows the type", () => {
    expect(J.encode(L(1.5, 2.0, 100.0))).toBe("[1.5,2,100]");
    expect(J.encode(L(1.5, 2.0, 100.0), { k: "list", of: { k: "float" } })).toBe("[1.5,2.0,100.0]");
    expect(J.encode(MeshMap.fromPairs([["bo", 7], ["al", 12]]))).toBe('{"al":12,"bo":7}');
    expect(J.encode(new Some('q"uote'))).toBe('"q\\"uote"');
    expect(J.encode(None)).toBe("null");
  });
});
