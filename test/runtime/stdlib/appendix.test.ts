// stdlib.md Appendix A, replayed without the compiler: each program is translated by hand into
// the calls generated code will make (`lib.Module.fn`, text() for interpolation, descriptors
// for Json.encode) and its output is compared with test/golden/stdlib/<NN>-*.out.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { closeSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import * as lib from "../../../runtime/stdlib/index.js";
import { List } from "../../../runtime/core/list.js";
import { MeshMap } from "../../../runtime/core/map.js";
import { Err, None, Ok, Some, type Option, type Result } from "../../../runtime/core/builtin-types.js";
import { text } from "../../../runtime/core/text.js";
import { lt, gt } from "../../../runtime/core/compare.js";
import { decodeDerived, encodeValue, type JsonType } from "../../../runtime/core/json.js";
import { MeshPanic } from "../../../runtime/core/panic.js";
import { setStdinFd } from "../../../runtime/stdlib/io.js";
import { defStruct, defSum } from "../core/helpers.js";

const GOLDEN = join(__dirname, "../../golden/stdlib");
const L = <T>(...xs: T[]) => List.fromArray(xs);
const $ = text; // "${x}"
const { println, print } = lib.prelude;

function expected(n: number): string {
  const f = readdirSync(GOLDEN).find((x) => x.startsWith(String(n).padStart(2, "0") + "-") && x.endsWith(".out"))!;
  return readFileSync(join(GOLDEN, f), "utf8");
}

let out = "";
beforeEach(() => {
  out = "";
  lib.setOutputSink({ stdout: (s) => (out += s), stderr: () => {} });
});
afterEach(() => lib.setOutputSink(null));
function run(n: number, main: () => void): void {
  main();
  lib.flushStdout();
  expect(out).toBe(expected(n));
}

const S = lib.String;
const Li = lib.List;
const M = lib.Map;
const I: JsonType = { k: "int" };
const F: JsonType = { k: "float" };
const Str: JsonType = { k: "string" };
const B: JsonType = { k: "bool" };

describe("Appendix A programs", () => {
  it("A1 code-point strings", () =>
    run(1, () => {
      const word = "naïve café";
      println($(S.length(word)));
      println(S.slice(word, 2, 5));
      println(S.slice(word, 6, 100));
      println(S.slice(word, 4, 2) + "|");
      const face = "😀ok";
      println($(S.length(face)));
      println(S.to_upper(word));
      println(S.slice(face, 0, 1) + S.slice(face, 1, 2));
    }));

  it("A2 split, join, trim, replace", () =>
    run(2, () => {
      const raw = "  alpha, beta,,gamma  ";
      const parts = S.split(S.trim(raw), ",");
      println($(Li.length(parts)));
      println(S.join(parts, "|"));
      const trimmed = Li.map(parts, (p: string) => S.trim(p));
      println($(trimmed));
      println(S.replace("a-b-c-d", "-", "+"));
      println(S.replace("aaa", "aa", "b"));
      println(S.replace("ab", "", "."));
      println($(Li.length(S.split("", ","))));
      println($(Li.length(S.split("xy", ""))));
    }));

  it("A3 number parsing", () =>
    run(3, () => {
      const asInt = (s: string) => {
        const r = S.to_int(s);
        return r instanceof Some ? $(r._0) : "none";
      };
      const asFloat = (s: string) => {
        const r = S.to_float(s);
        return r instanceof Some ? $(r._0) : "none";
      };
      println([" 42 ", "+7", "-007", "4.0", "9223372036854775808"].map(asInt).join(" "));
      println(["2.50", "1e3", ".5", "-0", "abc"].map(asFloat).join(" "));
    }));

  it("A4 float display and Math", () =>
    run(4, () => {
      const a = 7.0 / 2.0;
      println($(a));
      println(S.from(10.0));
      println(S.from(0.1 + 0.2));
      println(`${$(lib.Float.to_int(-3.9))} ${$(lib.Float.to_int(3.9))}`);
      println(`${$(lib.Math.round(2.5))} ${$(lib.Math.round(-2.5))} ${$(lib.Math.round(0.49))}`);
      println(`${$(lib.Math.floor(-1.5))} ${$(lib.Math.ceil(-1.5))}`);
      println(`${$(lib.Int.to_float(3))} ${$(lib.Math.sqrt(2.25))} ${$(lib.Math.pow(2.0, 10.0))}`);
      println($(lib.Int.to_float(1000000000000000) * 10.0));
      println($(1.0 / 10000000.0));
      println(`${$(lib.Math.max(3, 9))} ${$(lib.Math.min(-1.5, 2.0))} ${$(lib.Math.abs(-8))}`);
    }));

  it("A5 lists", () =>
    run(5, () => {
      const xs = L(5, 3, 8, 1);
      const ys = Li.append(xs, 9);
      println(`${$(xs)} ${$(ys)} ${$(Li.reverse(ys))}`);
      println($(Li.sort(ys, (a: number, b: number) => a - b)));
      println(`${$(Li.take(ys, 2))} ${$(Li.drop(ys, 3))} ${$(Li.take(ys, -1))} ${$(Li.tail(L(1)))}`);
      println(`${$(Li.get(ys, 2))} ${$(Li.last(ys))} ${$(Li.head(ys))} ${$(Li.concat(xs, L(0)))}`);
      const words = L("kiwi", "fig", "banana", "plum");
      const lens = Li.map(words, (w: string) => S.length(w));
      println(`${$(lens)} ${$(Li.filter(words, (w: string) => S.length(w) < 5))}`);
      println(`${$(Li.reduce(lens, 0, (acc: number, n: number) => acc + n))} ${$(Li.any(lens, (n: number) => n > 5))} ${$(Li.all(lens, (n: number) => n > 3))}`);
      const found = Li.find(words, (w: string) => S.starts_with(w, "b"));
      println(found instanceof Some ? `found ${found._0}` : "none");
      println(S.join(Li.sort(words, (a: string, b: string) => S.length(a) - S.length(b)), ","));
    }));

  it("A6 value equality, zip, enumerate, flatten", () =>
    run(6, () => {
      const levels = L("error", "warning", "info");
      const input = S.to_lower("WARNING");
      println($(Li.contains(levels, input)));
      println($(Li.contains(levels, "debug")));
      const pairs = Li.zip(L(1, 2, 3), L("a", "b"));
      println($(Li.length(pairs)));
      const first = Li.head(pairs);
      println(`${$(lib.Tuple.first(first))}-${$(lib.Tuple.second(first))}`);
      const last = Li.last(Li.enumerate(L("x", "y")));
      println(`${$(lib.Tuple.first(last))}:${$(lib.Tuple.second(last))}`);
      println($(Li.flat_map(L(1, 2), (n: number) => L(n, n * 100))));
      println($(Li.flatten(L(L(1), L<number>(), L(2, 3)))));
    }));

  it("A7 maps", () =>
    run(7, () => {
      let m = MeshMap.fromPairs<string, number>([["b", 2], ["a", 1]]);
      m = M.put(M.put(m, "c", 3), "b", 20);
      println(`${$(m)} ${$(M.keys(m))} ${$(M.values(m))}`);
      println(`${$(M.size(m))} ${$(M.has_key(m, "a"))} ${$(M.has_key(m, "z"))}`);
      const m2 = M.delete(m, "b");
      println(`${$(m2)} ${$(M.get(m2, "c", 0))} ${$(M.get(m2, "zzz", 0))}`);
      const names = MeshMap.fromPairs<number, string>([[1, "one"]]);
      println("[" + M.get(names, 2, "") + "]");
      const merged = M.merge(MeshMap.fromPairs([["host", "db"], ["port", "5432"]]), MeshMap.fromPairs([["port", "6543"], ["user", "app"]]));
      println(`${$(merged)} ${$(Li.length(M.to_list(merged)))}`);
      println(M.get(M.from_list(M.to_list(merged)), "user", ""));
      const words = L("a", "b", "a", "c", "a");
      const counts = Li.reduce(words, M.new<string, number>(), (acc: MeshMap<string, number>, k: string) => M.put(acc, k, M.get(acc, k, 0) + 1));
      println($(counts));
    }));

  it("A8 sets, queue, range", () =>
    run(8, () => {
      let s = lib.Set.from_list(L(3, 1, 3, 2, 1));
      println($(s));
      s = lib.Set.add(s, 5);
      s = lib.Set.remove(s, 1);
      println(`${$(lib.Set.size(s))} ${$(lib.Set.contains(s, 1))} ${$(lib.Set.contains(s, 5))}`);
      const t = lib.Set.from_list(L(2, 5, 7));
      println($(lib.Set.union(s, t)));
      println($(lib.Set.intersection(s, t)));
      println($(lib.Set.difference(s, t)));
      println($(lib.Set.to_list(t)));
      const tags = lib.Set.add(lib.Set.add(lib.Set.new(), "ops"), "ops");
      println($(lib.Set.size(tags)));
      const Q = lib.Queue;
      const q = Q.push(Q.push(Q.push(Q.new(), 10), 20), 30);
      println(`${$(Q.size(q))} ${$(Q.peek(q))} ${$(Q.is_empty(q))}`);
      const popped = Q.pop(q);
      const rest = lib.Tuple.second(popped) as typeof q;
      println(`${$(lib.Tuple.first(popped))} ${$(Q.size(rest))} ${$(Q.peek(rest))}`);
      const r = lib.Range.new(2, 6);
      println(`${$(lib.Range.length(r))} ${$(lib.Range.to_list(r))}`);
      println($(lib.Range.map(r, (i: number) => i * i)));
      println($(lib.Range.filter(r, (i: number) => i % 2 === 1)));
      println(`${$(lib.Range.length(lib.Range.new(5, 1)))} ${$(lib.Range.to_list(lib.Range.new(5, 1)))}`);
    }));

  it("A9 iterator pipelines and prelude functions", () =>
    run(9, () => {
      const It = lib.Iter;
      const nums = L(4, 9, 2, 7, 5, 8);
      println($(Li.collect(It.filter(It.from(nums), (x: number) => x % 2 === 0))));
      println($(It.sum(It.take(It.skip(It.map(It.from(nums), (x: number) => x + 1), 1), 3))));
      const firstBig = It.find(It.from(nums), (x: number) => x > 6);
      println(firstBig instanceof Some ? `first big ${$(firstBig._0)}` : "none");
      println($(M.collect(It.enumerate(It.from(L("p", "q"))))));
      println(S.collect(It.from(L("m", "e", "s", "h"))));
      const it = It.from(nums);
      const c1 = It.count(it);
      const c2 = It.count(it);
      println(`${$(c1)} ${$(c2)}`);
      println($(It.reduce(It.from(L(1, 2, 3, 4)), 1, (acc: number, x: number) => acc * x)));
      const P = lib.prelude;
      const squares = P.map(P.filter(L(1, 2, 3, 4, 5, 6), (x: number) => x % 2 === 0), (x: number) => x * x);
      const total = P.reduce(squares, 0, (acc: number, x: number) => acc + x);
      println(`${$(squares)} ${$(total)} ${$(P.head(squares))} ${$(P.tail(squares))}`);
    }));

  it("A10 JSON encoders, parsing and extraction", () =>
    run(10, () => {
      const J = lib.Json;
      println(J.encode_string('say "hi"\n\ttab \\ /'));
      println(J.encode_int(-12) + " " + J.encode_bool(false) + " " + lib.JSON.encode_string(""));
      println(J.encode_list(L("a", "b/c", "ü")));
      println(J.encode_map(MeshMap.fromPairs([["zeta", "1"], ["alpha", "2"], ["Mid", "3"]])));
      const r = J.parse('{ "b": [1, 2.0, true, null], "a": {"z": "x", "k": 1e2} }');
      println(r instanceof Ok ? J.encode(r._0, { k: "json" }) : "parse failed");
      println(J.parse("{oops}") instanceof Ok ? "unexpected" : "rejected");
      const body = '{"user":{"id":42,"tags":["a","b"]},"name":"Lee","gone":null}';
      println(J.get(body, "name") + " " + J.get_nested(body, "user", "id") + " " + J.get_nested(body, "user", "tags"));
      println(J.get(body, "user"));
      println("[" + J.get(body, "gone") + "][" + J.get("not json", "x") + "]");
    }));

  const Point = defStruct("Point", ["x", "y"], ["Json"], [I, F]);
  const pointT: JsonType = { k: "struct", meta: Point.meta };
  const Shape = defStruct("Shape", ["name", "points", "label", "closed"], ["Json"], [Str, { k: "list", of: pointT }, { k: "option", of: Str }, B]);
  const shapeT: JsonType = { k: "struct", meta: Shape.meta };

  it("A11 deriving(Json) encoding", () =>
    run(11, () => {
      const p = Point.make(3, 2.0);
      println(lib.Json.encode(p, pointT));
      const q = Point.make(-1, 0.25);
      println(lib.Json.encode(Shape.make("tri", L(p, q), None, true), shapeT));
      println(lib.Json.encode(Shape.make("big", L(), new Some("ok"), false), shapeT));
    }));

  const Account = defStruct("Account", ["id", "owner", "active"], ["Json"], [I, Str, B]);
  it("A12 deriving(Json) decoding and its errors", () =>
    run(12, () => {
      const describe_ = (t: string) => {
        const r = decodeDerived(Account.meta, t);
        if (r instanceof Ok) {
          const a = r._0 as { id: number; owner: string; active: boolean };
          return `ok ${$(a.id)} ${a.owner} ${$(a.active)}`;
        }
        return `err ${(r as Err<string>)._0}`;
      };
      println(describe_('{"owner":"kim","id":7,"active":false,"extra":[1]}'));
      println(describe_('{"id":7,"owner":"kim"}'));
      println(describe_('{"id":"7","owner":"kim","active":true}'));
      println(describe_('{"id":7.9,"owner":"lu","active":true}'));
      println(describe_("[1, 2]"));
    }));

  it("A13 environment variables", () => {
    const side = JSON.parse(readFileSync(join(GOLDEN, "13-environment-variables.json"), "utf8"));
    Object.assign(process.env, side.env);
    for (const k of side.unsetEnv) delete process.env[k];
    run(13, () => {
      const show = (name: string) => {
        const v = lib.Env.get(name);
        return v instanceof Some ? name + "=[" + v._0 + "]" : name + " unset";
      };
      println(show("SPEC_GREETING"));
      println(show("SPEC_EMPTY"));
      println(show("SPEC_MISSING"));
    });
  });

  it("A14 Result, Option and ?", () =>
    run(14, () => {
      const parsePort = (s: string): Result<number, string> => {
        const r = S.to_int(s);
        if (r instanceof Some) return r._0 > 0 && r._0 < 65536 ? new Ok(r._0) : new Err(`out of range: ${$(r._0)}`);
        return new Err("not a number: " + s);
      };
      const totalPorts = (a: string, b: string): Result<number, string> => {
        const x = parsePort(a);
        if (!(x instanceof Ok)) return x;
        const y = parsePort(b);
        if (!(y instanceof Ok)) return y;
        return new Ok(x._0 + y._0);
      };
      const lookup = (m: MeshMap<string, number>, key: string): Option<number> => (M.has_key(m, key) ? new Some(M.get(m, key, 0)) : None);
      const sumTwo = (m: MeshMap<string, number>, a: string, b: string): Option<number> => {
        const x = lookup(m, a);
        if (!(x instanceof Some)) return None;
        const y = lookup(m, b);
        if (!(y instanceof Some)) return None;
        return new Some(x._0 + y._0);
      };
      const showResult = (r: Result<number, string>) => (r instanceof Ok ? `ok ${$(r._0)}` : `error: ${$((r as Err<string>)._0)}`);
      const showOption = (o: Option<number>) => (o instanceof Some ? `Some(${$(o._0)})` : "None");
      println(showResult(totalPorts("8080", "443")));
      println(showResult(totalPorts("80", "http")));
      println(showResult(totalPorts("70000", "x")));
      println(showResult(totalPorts(" 1 ", "2")));
      const stock = MeshMap.fromPairs<string, number>([["apples", 4], ["pears", 0]]);
      println(showOption(sumTwo(stock, "apples", "pears")));
      println(showOption(sumTwo(stock, "apples", "plums")));
      println(showOption(Li.find(L(3, 8), (x: number) => x > 5)));
    }));

  it("A15 string predicates, conversions and code-point ordering", () =>
    run(15, () => {
      const byAlpha = (a: string, b: string) => (lt(a, b) ? -1 : gt(a, b) ? 1 : 0);
      const s = "Mesh-Lang";
      println(`${$(S.contains(s, "-"))} ${$(S.starts_with(s, "mesh"))} ${$(S.ends_with(s, "Lang"))}`);
      println(S.to_lower(s) + " " + S.to_upper(s));
      println(S.from(42) + S.from(true) + S.from(1.5));
      println(`${$(S.contains(s, ""))} ${$(S.starts_with("", ""))}`);
      println("[" + S.trim("\t line \n") + "]" + S.join(L(), ", ") + S.join(L("a"), ", "));
      const names = L("delta", "alpha", "Charlie", "bravo", "Alpha", "éclair");
      println(S.join(Li.sort(names, byAlpha), " "));
      const folded = Li.sort(names, (a: string, b: string) => byAlpha(S.to_lower(a), S.to_lower(b)));
      println(S.join(folded, " "));
    }));

  it("A16 nested Display, Int-keyed maps and for", () =>
    run(16, () => {
      const grid = L(L(1, 2), L<number>(), L(3));
      const flags = L(true, false);
      const temps = L(20.5, 21.0, -0.25);
      const nested = MeshMap.fromPairs([["xs", L(1, 2)], ["ys", L<number>()]]);
      println($(grid));
      println(`${$(flags)} ${$(temps)}`);
      println($(nested));
      println(text(L("Ann", "Bo")));
      const keys = L(3, 1, 2);
      const squares = M.from_list(Li.zip(keys, Li.map(keys, (n: number) => n * n)));
      println($(squares));
      const labels: string[] = [];
      for (const [k, v] of squares) labels.push(`${$(k)}:${$(v)}`);
      println(S.join(List.fromArray(labels), " "));
      println(`${$(M.get(squares, 2, 0))} ${$(M.get(squares, 4, 0))}`);
    }));

  it("A17 Json.encode of plain values and of sum types", () =>
    run(17, () => {
      const Signal = defSum("Signal", [["Green", 0], ["Blink", 1], ["Custom", 2]], ["Json"], [[], [I], [Str, F]]);
      const sig: JsonType = { k: "sum", meta: Signal.meta };
      const describeSignal = (s: unknown) => {
        const v = s as { $v: { name: string }; _0: unknown; _1: unknown };
        if (v.$v.name === "Green") return "green";
        if (v.$v.name === "Blink") return `blink ${$(v._0)}`;
        return `custom ${$(v._0)} ${$(v._1)}`;
      };
      const decode = (t: string) => {
        const r = decodeDerived(Signal.meta, t);
        return r instanceof Ok ? describeSignal(r._0) : `error ${$((r as Err<string>)._0)}`;
      };
      println(lib.Json.encode(MeshMap.fromPairs([["bo", 7], ["al", 12]]), { k: "map", of: I }));
      println(lib.Json.encode(L(1.5, 2.0, 100.0), { k: "list", of: F }));
      println(lib.Json.encode(new Some('q"uote'), { k: "option", of: Str }));
      println(encodeValue(Signal.mk.Green(), sig));
      println(encodeValue(Signal.mk.Blink(3), sig));
      println(encodeValue(Signal.mk.Custom("amber", 0.5), sig));
      println(decode('{"tag":"Blink","fields":[9]}'));
      println(decode('{"fields":["red",1],"tag":"Custom"}'));
      println(decode('{"tag":"Purple","fields":[]}'));
    }));

  it("A18 files", () =>
    run(18, () => {
      const showUnit = (r: Result<unknown, string>) => (r instanceof Ok ? "ok" : (r as Err<string>)._0);
      const path = "/tmp/mesh_spec_a23.txt";
      lib.File.delete(path);
      println($(lib.File.exists(path)));
      println(showUnit(lib.File.write(path, "one\n")));
      println(showUnit(lib.File.append(path, "two\n")));
      const r = lib.File.read(path);
      if (r instanceof Ok) print(r._0);
      else println("read failed: " + (r as Err<string>)._0);
      println($(lib.File.exists(path)));
      println(showUnit(lib.File.delete(path)));
      println(showUnit(lib.File.delete(path)));
      const missing = lib.File.read("/tmp/mesh_spec_no_such_dir/x.txt");
      println(missing instanceof Ok ? "?" : (missing as Err<string>)._0);
    }));

  it("A19 reading stdin", () => {
    const side = JSON.parse(readFileSync(join(GOLDEN, "19-reading-stdin.json"), "utf8"));
    const dir = mkdtempSync(join(tmpdir(), "mesh-a19-"));
    writeFileSync(join(dir, "stdin"), side.stdin);
    const fd = openSync(join(dir, "stdin"), "r");
    setStdinFd(fd);
    try {
      run(19, () => {
        const show = (r: Result<string, string>) => (r instanceof Ok ? "[" + r._0 + "]" : "error");
        const readLine = () => {
          const g = lib.IO.read_line();
          let s = g.next();
          while (!s.done) s = g.next();
          return s.value;
        };
        const a = readLine();
        const b = readLine();
        const c = readLine();
        println(show(a) + show(b) + show(c));
      });
    } finally {
      closeSync(fd);
      setStdinFd(0);
      rmSync(dir, { recursive: true });
    }
  });

  it("A20 panic in main: output before the panic is kept", () => {
    expect(() =>
      run(20, () => {
        println("before");
        const xs = L(1, 2);
        const n = Li.get(xs, 5);
        println(`after ${$(n)}`);
      }),
    ).toThrow(MeshPanic);
    lib.flushStdout();
    expect(out).toBe(expected(20));
  });
});
