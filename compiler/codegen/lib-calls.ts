// The hidden arguments a library call needs because the runtime cannot see static types (the zero
// value for `Map.get`/`default()`, the JSON descriptor for `Json.encode`; signatures.ts `hidden`),
// and JSON type descriptors (runtime/core/json.ts `JsonType`) built from types. Which calls
// suspend or take callbacks is compiler/stdlib/facts.ts.
import type * as S from "../ast/syntax.js";
import type { RType } from "../check/annotations.js";
import { findLib, type LibSig } from "../stdlib/signatures.js";
import { parseSig, type ParsedSig } from "../stdlib/parse-sig.js";
import { arr, call, num, obj, str, type JsExpr } from "./js-ast.js";
import { BUILTIN_TYPES, findType } from "./context.js";
import type { FnCtx } from "./state.js";

const parsed = new Map<LibSig, ParsedSig | null>();

export function libSig(module: string | null, name: string): { sig: LibSig; parsed: ParsedSig | null } | undefined {
  const sig = findLib(module, name);
  if (!sig) return undefined;
  if (!parsed.has(sig)) {
    let p: ParsedSig | null = null;
    try {
      p = parseSig(sig.type);
    } catch {
      p = null;
    }
    parsed.set(sig, p);
  }
  return { sig, parsed: parsed.get(sig)! };
}

// ---------------------------------------------------------------- hidden arguments

function zeroOf(ctx: FnCtx, t: RType | undefined): JsExpr | null {
  if (!t || t.kind !== "con") return null;
  switch (t.name) {
    case "Int":
    case "Float":
      return num(0);
    case "String":
      return str("");
    case "Bool":
      return { k: "bool", value: false };
    case "List":
      return call(ctx.rt("list"), [arr([])]);
    case "Map":
      return call(ctx.rt("mapOf"), [arr([])]);
    default:
      return null;
  }
}

// The extra argument a library call needs, or null.
export function hiddenArg(ctx: FnCtx, module: string | null, name: string, callNode: S.Expr, firstArg: S.Expr | null): JsExpr | null {
  const s = libSig(module, name);
  if (!s?.sig.hidden) return null;
  if (s.sig.hidden === "zero") return zeroOf(ctx, ctx.m.typeOf(callNode));
  if (s.sig.hidden === "json" && firstArg) {
    const t = ctx.m.typeOf(firstArg);
    return t ? jsonDescOfRType(ctx, t, []) : null;
  }
  return null;
}

// ---------------------------------------------------------------- JSON descriptors

const ANY = obj([["k", str("any")]]);
const kind = (k: string) => obj([["k", str(k)]]);

function metaRef(ctx: FnCtx, qname: string): { meta: JsExpr; kind: "struct" | "sum" } | null {
  const dot = qname.lastIndexOf(".");
  if (dot < 0) return null;
  const mod = ctx.m.px.mods.get(qname.slice(0, dot));
  const name = qname.slice(dot + 1);
  if (!mod) return null;
  const k = mod.structs.has(name) ? "struct" : mod.sums.has(name) ? "sum" : null;
  if (!k) return null;
  return { meta: ctx.m.ref(mod.name, `meta:${name}`), kind: k };
}

export function jsonDescOfRType(ctx: FnCtx, t: RType, params: readonly number[]): JsExpr {
  switch (t.kind) {
    case "tuple":
      return t.elems.length === 0 ? kind("unit") : obj([["k", str("tuple")], ["elems", arr(t.elems.map((e) => jsonDescOfRType(ctx, e, params)))]]);
    case "var": {
      const i = params.indexOf(t.id);
      return i >= 0 ? obj([["k", str("param")], ["i", num(i)]]) : ANY;
    }
    case "fun":
    case "never":
      return ANY;
    case "con":
      break;
  }
  const of = (x: RType | undefined) => (x ? jsonDescOfRType(ctx, x, params) : ANY);
  switch (t.name) {
    case "Int":
      return kind("int");
    case "Float":
      return kind("float");
    case "String":
      return kind("string");
    case "Bool":
      return kind("bool");
    case "Json":
      return kind("json");
    case "Option":
      return obj([["k", str("option")], ["of", of(t.args[0])]]);
    case "List":
      return obj([["k", str("list")], ["of", of(t.args[0])]]);
    case "Set":
      return obj([["k", str("set")], ["of", of(t.args[0])]]);
    case "Map":
      return obj([["k", str("map")], ["of", of(t.args[1])]]);
    default: {
      const m = metaRef(ctx, t.name);
      if (!m) return ANY;
      const props: [string, JsExpr][] = [["k", str(m.kind)], ["meta", m.meta]];
      if (t.args.length > 0) props.push(["args", arr(t.args.map((a) => jsonDescOfRType(ctx, a, params)))]);
      return obj(props);
    }
  }
}

// Descriptor of a field type written in a struct / variant declaration (`generics` are the
// declaring type's parameters, referenced as { k: "param", i }).
export function jsonDescOfTypeExpr(ctx: FnCtx, t: S.TypeExpr, generics: readonly string[]): JsExpr {
  switch (t.kind) {
    case "TTuple":
      return t.elems.length === 0 ? kind("unit") : obj([["k", str("tuple")], ["elems", arr(t.elems.map((e) => jsonDescOfTypeExpr(ctx, e, generics)))]]);
    case "TFun":
    case "TSelf":
      return ANY;
    case "TName":
      break;
  }
  const last = t.path[t.path.length - 1]!;
  const of = (x: S.TypeExpr | undefined) => (x ? jsonDescOfTypeExpr(ctx, x, generics) : ANY);
  if (t.path.length === 1) {
    const gi = generics.indexOf(last);
    if (gi >= 0) return obj([["k", str("param")], ["i", num(gi)]]);
    const userShadow = ctx.m.mod.structs.has(last) || ctx.m.mod.sums.has(last);
    if (!userShadow && (BUILTIN_TYPES.has(last) || last === "Json")) {
      switch (last) {
        case "Int":
          return kind("int");
        case "Float":
          return kind("float");
        case "String":
          return kind("string");
        case "Bool":
          return kind("bool");
        case "Json":
          return kind("json");
        case "Unit":
          return kind("unit");
        case "Option":
          return obj([["k", str("option")], ["of", of(t.args[0])]]);
        case "List":
          return obj([["k", str("list")], ["of", of(t.args[0])]]);
        case "Set":
          return obj([["k", str("set")], ["of", of(t.args[0])]]);
        case "Map":
          return obj([["k", str("map")], ["of", of(t.args[1])]]);
        default:
          return ANY;
      }
    }
  }
  const found = findType(ctx.m.px, ctx.m.mod, t.path);
  if (!found) return ANY;
  const props: [string, JsExpr][] = [["k", str(found.kind)], ["meta", ctx.m.ref(found.mod.name, `meta:${found.name}`)]];
  if (t.args.length > 0) props.push(["args", arr(t.args.map((a) => jsonDescOfTypeExpr(ctx, a, generics)))]);
  return obj(props);
}
