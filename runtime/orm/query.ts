// The `Query` value and its rendering (orm.md §3): an immutable description of a SELECT; every
// builder returns a new Query sharing the unchanged parts of its input. Pure, no database: Repo
// (repo.ts) sends what `render*` produce.
import { List } from "../core/list.js";
import type { Atom } from "../core/meta.js";
import { atomName, countMarks, numberMarks, qi } from "./sql.js";

type Where =
  | { readonly k: "op"; readonly col: string; readonly op: string } // q(col) OP $n, one value
  | { readonly k: "in"; readonly col: string; readonly n: number } // IN with n values
  | { readonly k: "null"; readonly col: string; readonly not: boolean }
  | { readonly k: "raw"; readonly text: string }; // one value per `?`

interface Fragment {
  readonly sql: string;
  readonly params: readonly string[];
}

const OPS: Readonly<Record<string, string>> = { eq: "=", neq: "!=", lt: "<", gt: ">", lte: "<=", gte: ">=", like: "LIKE" };
const JOINS: Readonly<Record<string, string>> = { inner: "INNER", left: "LEFT", right: "RIGHT" };
const EMPTY: readonly never[] = [];

/** Immutable; arrays are never mutated after construction (builders copy on append). */
export class Query {
  constructor(
    readonly source: string,
    readonly select: readonly string[], // rendered entries (already quoted or raw)
    readonly joins: readonly string[], // rendered " KIND JOIN q(t) ON on"
    readonly wheres: readonly Where[],
    readonly whereParams: readonly string[],
    readonly groupBy: readonly string[],
    readonly having: readonly string[],
    readonly havingParams: readonly string[],
    readonly fragments: readonly Fragment[],
    readonly order: readonly string[],
    readonly limit: number,
    readonly offset: number,
  ) {}

  with(p: Partial<Query>): Query {
    return new Query(
      p.source ?? this.source,
      p.select ?? this.select,
      p.joins ?? this.joins,
      p.wheres ?? this.wheres,
      p.whereParams ?? this.whereParams,
      p.groupBy ?? this.groupBy,
      p.having ?? this.having,
      p.havingParams ?? this.havingParams,
      p.fragments ?? this.fragments,
      p.order ?? this.order,
      p.limit ?? this.limit,
      p.offset ?? this.offset,
    );
  }
}

export interface Rendered {
  readonly sql: string;
  readonly params: string[];
}

const listStrings = (xs: List): string[] => xs.toArray() as string[];

export function from(table: string): Query {
  return new Query(table, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, -1, -1);
}

function addWhere(q: Query, w: Where, values: readonly string[]): Query {
  return q.with({ wheres: [...q.wheres, w], whereParams: values.length === 0 ? q.whereParams : [...q.whereParams, ...values] });
}

export const builders = {
  from,
  where: (q: Query, field: Atom, value: string) => addWhere(q, { k: "op", col: atomName(field), op: "=" }, [value]),
  where_op: (q: Query, field: Atom, op: Atom, value: string) =>
    addWhere(q, { k: "op", col: atomName(field), op: OPS[atomName(op)] ?? "=" }, [value]),
  where_in: (q: Query, field: Atom, values: List) => {
    const vs = listStrings(values);
    return addWhere(q, { k: "in", col: atomName(field), n: vs.length }, vs);
  },
  where_null: (q: Query, field: Atom) => addWhere(q, { k: "null", col: atomName(field), not: false }, EMPTY),
  where_not_null: (q: Query, field: Atom) => addWhere(q, { k: "null", col: atomName(field), not: true }, EMPTY),
  where_raw: (q: Query, clause: string, params: List) => addWhere(q, { k: "raw", text: clause }, listStrings(params)),
  select: (q: Query, fields: List) =>
    q.with({ select: listStrings(fields).map((f) => (f.startsWith("RAW:") ? f.slice(4) : qi(f))) }),
  select_raw: (q: Query, exprs: List) => q.with({ select: [...q.select, ...listStrings(exprs)] }),
  order_by: (q: Query, field: Atom, dir: Atom) =>
    q.with({ order: [...q.order, `${qi(atomName(field))} ${atomName(dir) === "desc" ? "DESC" : "ASC"}`] }),
  limit: (q: Query, n: number) => q.with({ limit: n < 0 ? -1 : n }),
  offset: (q: Query, n: number) => q.with({ offset: n < 0 ? -1 : n }),
  join: (q: Query, kind: Atom, table: string, on: string) =>
    q.with({ joins: [...q.joins, ` ${JOINS[atomName(kind)] ?? "INNER"} JOIN ${qi(table)} ON ${on}`] }),
  group_by: (q: Query, field: Atom) => q.with({ groupBy: [...q.groupBy, qi(atomName(field))] }),
  having: (q: Query, clause: string, value: string) => q.with({ having: [...q.having, clause], havingParams: [...q.havingParams, value] }),
  fragment: (q: Query, sql: string, params: List) => q.with({ fragments: [...q.fragments, { sql, params: listStrings(params) }] }),
  to_sql: (q: Query) => render(q).sql,
  params: (q: Query) => List.fromArray(render(q).params),
};

/** Step 4 of §3.3: the where entries joined with AND, consuming the one shared value queue. */
function whereText(q: Query, next: { n: number }, params: string[]): string {
  const queue = q.whereParams;
  let qi0 = 0;
  const take = (): void => {
    if (qi0 < queue.length) params.push(queue[qi0++]!);
  };
  let out = "";
  for (let i = 0; i < q.wheres.length; i++) {
    const w = q.wheres[i]!;
    if (i > 0) out += " AND ";
    switch (w.k) {
      case "op":
        out += `${qi(w.col)} ${w.op} $${next.n++}`;
        take();
        break;
      case "in": {
        let marks = "";
        for (let j = 0; j < w.n; j++) {
          marks += (j > 0 ? ", " : "") + `$${next.n++}`;
          take();
        }
        out += `${qi(w.col)} IN (${marks})`;
        break;
      }
      case "null":
        out += `${qi(w.col)} ${w.not ? "IS NOT NULL" : "IS NULL"}`;
        break;
      case "raw": {
        const k = countMarks(w.text);
        out += numberMarks(w.text, next);
        for (let j = 0; j < k; j++) take();
        break;
      }
    }
  }
  return out;
}

/** Steps 3–7: joins, where, group by, having, fragments. */
function middle(q: Query, next: { n: number }, params: string[]): string {
  let sql = "";
  for (const j of q.joins) sql += j;
  if (q.wheres.length > 0) sql += " WHERE " + whereText(q, next, params);
  if (q.groupBy.length > 0) sql += " GROUP BY " + q.groupBy.join(", ");
  if (q.having.length > 0) {
    sql += " HAVING " + q.having.map((h) => `${h} $${next.n++}`).join(" AND ");
    params.push(...q.havingParams);
  }
  if (q.fragments.length > 0) {
    for (const f of q.fragments) sql += " " + numberMarks(f.sql, next);
    for (const f of q.fragments) params.push(...f.params);
  }
  return sql;
}

/** §3.3: the SELECT that `Repo.all` sends. `limitOverride` is `Repo.one`'s forced `LIMIT 1`. */
export function render(q: Query, limitOverride = -2): Rendered {
  const params: string[] = [];
  const next = { n: 1 };
  let sql = `SELECT ${q.select.length === 0 ? "*" : q.select.join(", ")} FROM ${qi(q.source)}`;
  sql += middle(q, next, params);
  if (q.order.length > 0) sql += " ORDER BY " + q.order.join(", ");
  const limit = limitOverride === -2 ? q.limit : limitOverride;
  if (limit >= 0) sql += ` LIMIT ${limit}`;
  if (q.offset >= 0) sql += ` OFFSET ${q.offset}`;
  return { sql, params };
}

/** §3.4 render_count. */
export function renderCount(q: Query): Rendered {
  const params: string[] = [];
  const sql = `SELECT COUNT(*) FROM ${qi(q.source)}` + middle(q, { n: 1 }, params);
  return { sql, params };
}

/** §3.4 render_exists: joins and where only. */
export function renderExists(q: Query): Rendered {
  const params: string[] = [];
  let sql = `SELECT EXISTS(SELECT 1 FROM ${qi(q.source)}`;
  for (const j of q.joins) sql += j;
  if (q.wheres.length > 0) sql += " WHERE " + whereText(q, { n: 1 }, params);
  return { sql: sql + " LIMIT 1)", params };
}

/** §3.4 render_where: the where entries alone, numbered from `$start`. */
export function renderWhere(q: Query, start: number): Rendered {
  const params: string[] = [];
  return { sql: whereText(q, { n: start }, params), params };
}
