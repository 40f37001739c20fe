// deriving(Schema) (orm.md §2): the static functions `Name.__table__()`, `__fields__`, … are
// compile-time constants; the checker computes them from the struct's fields (types after alias
// expansion) and option lines, and hands codegen the value to emit as a literal.
import type * as S from "../ast/syntax.js";
import type { Ctx } from "./context.js";
import type { TypeDecl } from "./env.js";
import { prune, tFun, tList, tString, type Type } from "./types.js";

const LIST_FNS = new Set(["__fields__", "__field_types__", "__relationships__", "__relationship_meta__"]);
const STRING_FNS = new Set(["__table__", "__primary_key__"]);
const COL = /^__(.+)_col__$/;

/** True for the names deriving(Schema) generates (whether or not this type derives it). */
export function isSchemaName(name: string): boolean {
  return LIST_FNS.has(name) || STRING_FNS.has(name) || COL.test(name);
}

const lower = (s: string) => s.toLowerCase();

function sqlType(t: Type): string {
  const p = prune(t);
  if (p.k === "con" && p.args.length === 0) {
    switch (p.name) {
      case "Int":
        return "BIGINT";
      case "Float":
        return "DOUBLE PRECISION";
      case "Bool":
        return "BOOLEAN";
    }
  }
  return "TEXT";
}

interface Schema {
  table: string;
  primaryKey: string;
  timestamps: boolean;
  relations: { kind: string; assoc: string; target: string }[];
}

function optionsOf(d: TypeDecl): Schema {
  const def = d.def as S.StructDef;
  const out: Schema = { table: lower(d.name) + "s", primaryKey: "id", timestamps: false, relations: [] };
  for (const o of def.schema) {
    const a = o.args[0]!;
    if (o.key === "table" && a.kind === "String") out.table = a.parts.join("");
    else if (o.key === "primary_key" && a.kind === "Atom") out.primaryKey = a.name;
    else if (o.key === "timestamps" && a.kind === "Bool") out.timestamps = a.value;
    else if (a.kind === "Atom" && o.args[1]?.kind === "Name") out.relations.push({ kind: o.key, assoc: a.name, target: o.args[1].name });
  }
  return out;
}

/** The constant of `d.<name>()`, or an error message (E0030). */
export function schemaValue(d: TypeDecl, name: string): string | string[] | { error: string } {
  if (d.kind !== "struct" || !d.derives.has("Schema")) return { error: `\`${d.name}\` does not derive \`Schema\`, so \`${d.name}.${name}\` does not exist` };
  const o = optionsOf(d);
  const fields = d.fields.map((f) => f.name);
  const types = d.fields.map((f) => `${f.name}:${sqlType(f.type)}`);
  if (o.timestamps) {
    fields.push("inserted_at", "updated_at");
    types.push("inserted_at:TEXT", "updated_at:TEXT");
  }
  switch (name) {
    case "__table__":
      return o.table;
    case "__primary_key__":
      return o.primaryKey;
    case "__fields__":
      return fields;
    case "__field_types__":
      return types;
    case "__relationships__":
      return o.relations.map((r) => `${r.kind}:${r.assoc}:${r.target}`);
    case "__relationship_meta__":
      return o.relations.map((r) => {
        const fk = r.kind === "belongs_to" ? `${r.assoc}_id` : `${lower(d.name)}_id`;
        return `${r.kind}:${r.assoc}:${r.target}:${fk}:${lower(r.target)}s`;
      });
  }
  const col = COL.exec(name)![1]!;
  return fields.includes(col) ? col : { error: `\`${d.name}\` has no field \`${col}\`, so \`${d.name}.${name}\` does not exist` };
}

/** Types `d.<name>` (a `Fun() -> String` or `Fun() -> List<String>`) and records its constant. */
export function schemaStatic(cx: Ctx, e: Extract<S.Expr, { kind: "Member" }>, d: TypeDecl): Type | null {
  const v = schemaValue(d, e.name);
  if (!Array.isArray(v) && typeof v === "object") {
    cx.error("E0030", v.error, e.nameSpan);
    return null;
  }
  cx.refs.set(e, { kind: "static", impl: { iface: "Schema", ifaceArgs: [], type: d.qname, module: d.module, derived: true }, method: e.name, value: v });
  return tFun([], Array.isArray(v) ? tList(tString) : tString);
}
