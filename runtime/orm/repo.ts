// The `Repo` module (orm.md §5): runs the SQL that query.ts renders through a PoolHandle. Every
// function is a suspension point (a generator driven by the scheduler) and performs at most one
// Pool.query/Pool.execute, except `transaction` (one connection for the body) and `preload` (one
// query per association level).
import { Err, Ok, type Result } from "../core/builtin-types.js";
import { List } from "../core/list.js";
import { MeshMap, NOT_FOUND } from "../core/map.js";
import { Pg, Pool, type PgConn, type PoolHandle } from "../db/index.js";
import { callMesh } from "../db/pg.js";
import { ExitNow } from "../sched/errors.js";
import { addDbError, type Changeset } from "./changeset.js";
import { render, renderCount, renderExists, renderWhere, type Query } from "./query.js";
import { preload } from "./preload.js";
import { qi } from "./sql.js";

type Row = MeshMap<string, string>;
type Gen<T> = Generator<unknown, T, unknown>;

const params = (xs: readonly string[]): List<string> => List.fromArray(xs as string[]);

function* rows(pool: PoolHandle, sql: string, ps: readonly string[]): Gen<Result<List<Row>, string>> {
  return (yield* Pool.query(pool, sql, params(ps))) as Result<List<Row>, string>;
}

/** The first row of a successful result, or `Err(none)` when there is none. */
function first(r: Result<List<Row>, string>, none: string): Result<Row, string> {
  if (r instanceof Err) return r;
  const l = (r as Ok<List<Row>>)._0;
  return l.length === 0 ? new Err(none) : new Ok(l.toArray()[0]!);
}

function column(row: Row, name: string): string | undefined {
  const v = row.lookup(name);
  return v === NOT_FOUND ? undefined : (v as string);
}

function* all(pool: PoolHandle, q: Query): Gen<Result<List<Row>, string>> {
  const r = render(q);
  return yield* rows(pool, r.sql, r.params);
}

function* one(pool: PoolHandle, q: Query): Gen<Result<Row, string>> {
  const r = render(q, 1);
  return first(yield* rows(pool, r.sql, r.params), "not found");
}

function* get(pool: PoolHandle, table: string, id: string): Gen<Result<Row, string>> {
  return first(yield* rows(pool, `SELECT * FROM ${qi(table)} WHERE "id" = $1 LIMIT 1`, [id]), "not found");
}

function* getBy(pool: PoolHandle, table: string, field: string, value: string): Gen<Result<Row, string>> {
  return first(yield* rows(pool, `SELECT * FROM ${qi(table)} WHERE ${qi(field)} = $1 LIMIT 1`, [value]), "not found");
}

function* count(pool: PoolHandle, q: Query): Gen<Result<number, string>> {
  const r = renderCount(q);
  const row = first(yield* rows(pool, r.sql, r.params), "count returned no rows");
  if (row instanceof Err) return row;
  const text = column((row as Ok<Row>)._0, "count");
  const n = text !== undefined && /^-?[0-9]+$/.test(text) ? Number(text) : 0;
  return new Ok(Number.isSafeInteger(n) ? n : 0);
}

function* exists(pool: PoolHandle, q: Query): Gen<Result<boolean, string>> {
  const r = renderExists(q);
  const res = yield* rows(pool, r.sql, r.params);
  if (res instanceof Err) return res;
  const l = (res as Ok<List<Row>>)._0;
  if (l.length === 0) return new Ok(false);
  const v = column(l.toArray()[0]!, "exists");
  return new Ok(v === "t" || v === "true" || v === "1");
}

function insertSql(table: string, fields: Row): { sql: string; ps: string[] } {
  const keys = fields.keys().toArray();
  const ps = fields.values().toArray();
  const marks = keys.map((_, i) => `$${i + 1}`).join(", ");
  return { sql: `INSERT INTO ${qi(table)} (${keys.map(qi).join(", ")}) VALUES (${marks}) RETURNING *`, ps };
}

function updateSql(table: string, fields: Row): { sql: string; ps: string[]; next: number } {
  const keys = fields.keys().toArray();
  const set = keys.map((k, i) => `${qi(k)} = $${i + 1}`).join(", ");
  return { sql: `UPDATE ${qi(table)} SET ${set}`, ps: fields.values().toArray(), next: keys.length + 1 };
}

function* insert(pool: PoolHandle, table: string, fields: Row): Gen<Result<Row, string>> {
  if (fields.size === 0) return new Err("insert: no fields provided");
  const s = insertSql(table, fields);
  return first(yield* rows(pool, s.sql, s.ps), "insert: no row returned");
}

function* update(pool: PoolHandle, table: string, id: string, fields: Row): Gen<Result<Row, string>> {
  if (fields.size === 0) return new Err("update: no fields provided");
  const s = updateSql(table, fields);
  return first(yield* rows(pool, `${s.sql} WHERE "id" = $${s.next} RETURNING *`, [...s.ps, id]), "update: no row returned (id not found)");
}

function* del(pool: PoolHandle, table: string, id: string): Gen<Result<Row, string>> {
  return first(yield* rows(pool, `DELETE FROM ${qi(table)} WHERE "id" = $1 RETURNING *`, [id]), "delete: no row returned (id not found)");
}

function* updateWhere(pool: PoolHandle, table: string, fields: Row, q: Query): Gen<Result<Row, string>> {
  if (fields.size === 0) return new Err("update_where: no fields provided");
  if (q.wheres.length === 0) return new Err("update_where: no WHERE conditions");
  const s = updateSql(table, fields);
  const w = renderWhere(q, s.next);
  return first(yield* rows(pool, `${s.sql} WHERE ${w.sql} RETURNING *`, [...s.ps, ...w.params]), "update_where: no rows matched");
}

function* deleteWhere(pool: PoolHandle, table: string, q: Query): Gen<Result<number, string>> {
  if (q.wheres.length === 0) return new Err("delete_where: no WHERE conditions");
  const w = renderWhere(q, 1);
  return (yield* Pool.execute(pool, `DELETE FROM ${qi(table)} WHERE ${w.sql}`, params(w.params))) as Result<number, string>;
}

function* queryRaw(pool: PoolHandle, sql: string, ps: List<string>): Gen<Result<List<Row>, string>> {
  return (yield* Pool.query(pool, sql, ps)) as Result<List<Row>, string>;
}

function* executeRaw(pool: PoolHandle, sql: string, ps: List<string>): Gen<Result<number, string>> {
  return (yield* Pool.execute(pool, sql, ps)) as Result<number, string>;
}

/** §5.5: one checked-out connection for the body; BEGIN errors bare, COMMIT failure named. */
function* transaction(pool: PoolHandle, body: Function): Gen<Result<unknown, string>> {
  const got = (yield* Pool.checkout(pool)) as Result<PgConn, string>;
  if (got instanceof Err) return got;
  const conn = (got as Ok<PgConn>)._0;
  try {
    const begun = (yield* Pg.begin(conn)) as Result<undefined, string>;
    if (begun instanceof Err) return begun;
    let r: unknown;
    try {
      r = yield* callMesh(body, conn);
    } catch (e) {
      if (e instanceof ExitNow) throw e;
      yield* Pg.rollback(conn);
      return new Err("transaction aborted: panic in callback");
    }
    if (r instanceof Err) {
      yield* Pg.rollback(conn);
      return r as Err<string>;
    }
    const committed = (yield* Pg.commit(conn)) as Result<undefined, string>;
    if (committed instanceof Err) {
      yield* Pg.rollback(conn);
      return new Err("transaction: COMMIT failed");
    }
    return r as Result<unknown, string>;
  } finally {
    yield* Pool.checkin(pool, conn);
  }
}

/** §5.6 steps 1–5 shared by insert_changeset and update_changeset. */
function* changesetWrite(cs: Changeset, run: () => Gen<Result<List<Row>, string>>, none: string | null): Gen<Result<Row, Changeset>> {
  if (!cs.valid || cs.changes.size === 0) return new Err(cs);
  const r = yield* run();
  if (r instanceof Err) return new Err(addDbError(cs, (r as Err<string>)._0));
  const l = (r as Ok<List<Row>>)._0;
  if (l.length === 0) return new Err(cs.withError("_base", none ?? "database error"));
  return new Ok(l.toArray()[0]!);
}

function* insertChangeset(pool: PoolHandle, table: string, cs: Changeset): Gen<Result<Row, Changeset>> {
  return yield* changesetWrite(cs, function* () {
    const s = insertSql(table, cs.changes);
    return yield* rows(pool, s.sql, s.ps);
  }, null);
}

function* updateChangeset(pool: PoolHandle, table: string, id: string, cs: Changeset): Gen<Result<Row, Changeset>> {
  return yield* changesetWrite(cs, function* () {
    const s = updateSql(table, cs.changes);
    return yield* rows(pool, `${s.sql} WHERE "id" = $${s.next} RETURNING *`, [...s.ps, id]);
  }, "not found");
}

export const Repo_ = {
  all,
  one,
  get,
  get_by: getBy,
  count,
  exists,
  insert,
  update,
  delete: del,
  update_where: updateWhere,
  delete_where: deleteWhere,
  query_raw: queryRaw,
  execute_raw: executeRaw,
  transaction,
  insert_changeset: insertChangeset,
  update_changeset: updateChangeset,
  *preload(pool: PoolHandle, rs: List<Row>, assocs: List<string>, meta: List<string>) {
    return yield* preload((sql, ps) => rows(pool, sql, ps), rs, assocs, meta);
  },
};
