// The `Orm` module (orm.md §4): pure SQL text builders over string lists, independent of Query.
import type { List } from "../core/list.js";
import { qi } from "./sql.js";

const strs = (xs: List): string[] => xs.toArray() as string[];

/** Where entries: `col op` split at the first space; `IS [NOT] NULL` take no parameter. */
function wheres(ws: string[], next: { n: number }): string {
  return ws
    .map((w) => {
      const sp = w.indexOf(" ");
      if (sp < 0) return `${qi(w)} = $${next.n++}`;
      const col = w.slice(0, sp);
      const op = w.slice(sp + 1).trim();
      if (op === "IS NULL" || op === "IS NOT NULL") return `${qi(col)} ${op}`;
      return `${qi(col)} ${op} $${next.n++}`;
    })
    .join(" AND ");
}

/** Order entries: `col dir` split at the last space, direction upper-cased; default ASC. */
function orders(os: string[]): string {
  return os
    .map((o) => {
      const sp = o.lastIndexOf(" ");
      return sp < 0 ? `${qi(o)} ASC` : `${qi(o.slice(0, sp))} ${o.slice(sp + 1).toUpperCase()}`;
    })
    .join(", ");
}

function returning(rs: string[]): string {
  return rs.length === 0 ? "" : " RETURNING " + rs.map((r) => (r === "*" ? "*" : qi(r))).join(", ");
}

function buildSelect(table: string, columns: List, ws: List, os: List, limit: number, offset: number): string {
  const cols = strs(columns);
  let sql = `SELECT ${cols.length === 0 ? "*" : cols.map(qi).join(", ")} FROM ${qi(table)}`;
  const w = strs(ws);
  if (w.length > 0) sql += " WHERE " + wheres(w, { n: 1 });
  const o = strs(os);
  if (o.length > 0) sql += " ORDER BY " + orders(o);
  if (limit >= 0) sql += ` LIMIT ${limit}`;
  if (offset >= 0) sql += ` OFFSET ${offset}`;
  return sql;
}

function buildInsert(table: string, columns: List, ret: List): string {
  const cols = strs(columns);
  const marks = cols.map((_, i) => `$${i + 1}`).join(", ");
  return `INSERT INTO ${qi(table)} (${cols.map(qi).join(", ")}) VALUES (${marks})` + returning(strs(ret));
}

function buildUpdate(table: string, setColumns: List, ws: List, ret: List): string {
  const cols = strs(setColumns);
  const next = { n: 1 };
  let sql = `UPDATE ${qi(table)} SET ${cols.map((c) => `${qi(c)} = $${next.n++}`).join(", ")}`;
  const w = strs(ws);
  if (w.length > 0) sql += " WHERE " + wheres(w, next);
  return sql + returning(strs(ret));
}

function buildDelete(table: string, ws: List, ret: List): string {
  let sql = `DELETE FROM ${qi(table)}`;
  const w = strs(ws);
  if (w.length > 0) sql += " WHERE " + wheres(w, { n: 1 });
  return sql + returning(strs(ret));
}

export const Orm_ = { build_select: buildSelect, build_insert: buildInsert, build_update: buildUpdate, build_delete: buildDelete };
