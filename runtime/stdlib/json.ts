// The Json module (stdlib.md §13) over core/json.ts.
import { None, Ok, ok, Some, type Option, type Result } from "../core/builtin-types.js";
import {
  ANY,
  encodeNode,
  encodeValue,
  JFloat,
  type JsonNode,
  type JsonType,
  JsonValue,
  nodeKind,
  parseJson,
  quote,
  sortKeys,
} from "../core/json.js";
import { List } from "../core/list.js";
import { MeshMap } from "../core/map.js";
import { floatText } from "../core/float-text.js";

const MAX_INT = Number.MAX_SAFE_INTEGER;

function parse(text: string): Result<JsonValue, string> {
  const r = parseJson(text);
  return r instanceof Ok ? ok(new JsonValue(r._0 as JsonNode)) : (r as Result<JsonValue, string>);
}

/**
 * Json.encode(v): the compiler passes the descriptor of v's static type as a second argument
 * (core/json.ts); without it the value is inspected at run time and integral numbers encode as
 * Ints.
 */
function encode(v: unknown, type?: JsonType): string {
  return encodeValue(v, type ?? ANY);
}

function encode_map(m: MeshMap<string, string>): string {
  const { keys, vals } = m.entryArrays();
  const idx = new Map<string, string>();
  for (let i = 0; i < keys.length; i++) idx.set(keys[i] as string, vals[i] as string);
  const names = sortKeys(keys as string[]);
  let s = "{";
  for (let i = 0; i < names.length; i++) s += (i > 0 ? "," : "") + quote(names[i]) + ":" + quote(idx.get(names[i])!);
  return s + "}";
}

function encode_list(xs: List<string>): string {
  let s = "[";
  for (let i = 0; i < xs.length; i++) s += (i > 0 ? "," : "") + quote(xs.get(i));
  return s + "]";
}

// Json.get's text form of a member: strings raw, null as "", everything else encoded.
function memberText(n: JsonNode): string {
  if (typeof n === "string") return n;
  if (n === null) return "";
  return encodeNode(n);
}

function member(n: JsonNode, key: string): JsonNode | undefined {
  if (typeof n !== "object" || n === null || Array.isArray(n) || n instanceof JFloat) return undefined;
  return Object.hasOwn(n, key) ? (n as Record<string, JsonNode>)[key] : undefined;
}

function get(text: string, key: string): string {
  const r = parseJson(text);
  if (!(r instanceof Ok)) return "";
  const m = member(r._0, key);
  return m === undefined ? "" : memberText(m);
}

function get_nested(text: string, k1: string, k2: string): string {
  const r = parseJson(text);
  if (!(r instanceof Ok)) return "";
  const m1 = member(r._0, k1);
  if (m1 === undefined) return "";
  const m2 = member(m1, k2);
  return m2 === undefined ? "" : memberText(m2);
}

function field(j: JsonValue, key: string): Option<JsonValue> {
  const m = member(j.node, key);
  return m === undefined ? None : new Some(new JsonValue(m));
}

function items(j: JsonValue): List<JsonValue> {
  const n = j.node;
  if (!Array.isArray(n)) return List.empty as List<JsonValue>;
  return List.fromArray(n.map((x) => new JsonValue(x)));
}

/** An object's members in ascending key order (the order Json.encode writes); [] for any other kind. */
function entries(j: JsonValue): List<[string, JsonValue]> {
  const n = j.node;
  if (typeof n !== "object" || n === null || Array.isArray(n) || n instanceof JFloat) return List.empty as List<[string, JsonValue]>;
  const o = n as Record<string, JsonNode>;
  return List.fromArray(sortKeys(Object.keys(o)).map((k): [string, JsonValue] => [k, new JsonValue(o[k]!)]));
}

function as_string(j: JsonValue): Option<string> {
  return typeof j.node === "string" ? new Some(j.node) : None;
}

function as_int(j: JsonValue): Option<number> {
  const n = j.node;
  const v = typeof n === "number" ? n : n instanceof JFloat ? n.f : undefined;
  if (v === undefined) return None;
  const t = Math.trunc(v);
  return t <= MAX_INT && t >= -MAX_INT ? new Some(t + 0) : None;
}

function as_float(j: JsonValue): Option<number> {
  const n = j.node;
  if (typeof n === "number") return new Some(n);
  if (n instanceof JFloat) return new Some(n.f);
  return None;
}

function as_bool(j: JsonValue): Option<boolean> {
  return typeof j.node === "boolean" ? new Some(j.node) : None;
}

export const Json_ = {
  parse,
  encode,
  encode_string: quote,
  encode_int: (n: number): string => floatText(n),
  encode_bool: (b: boolean): string => (b ? "true" : "false"),
  encode_map,
  encode_list,
  get,
  get_nested,
  kind: (j: JsonValue): string => nodeKind(j.node),
  field,
  items,
  entries,
  as_string,
  as_int,
  as_float,
  as_bool,
};
