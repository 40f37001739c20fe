// The `Migration` module (orm.md §7.1): DDL helpers, each one `Pool.execute(pool, sql, [])`.
import type { Result } from "../core/builtin-types.js";
import { List } from "../core/list.js";
import { Pool, type PoolHandle } from "../db/index.js";
import { qi } from "./sql.js";

type Gen<T> = Generator<unknown, T, unknown>;
const NONE = List.fromArray<string>([]);

function* exec(pool: PoolHandle, sql: string): Gen<Result<number, string>> {
  return (yield* Pool.execute(pool, sql, NONE)) as Result<number, string>;
}

/** Column spec `name:TYPE:CONSTRAINTS` (split at the first two `:`); no `:` is verbatim. */
export function columnSpec(spec: string): string {
  const a = spec.indexOf(":");
  if (a < 0) return spec;
  const b = spec.indexOf(":", a + 1);
  if (b < 0) return `${qi(spec.slice(0, a))} ${spec.slice(a + 1)}`;
  return `${qi(spec.slice(0, a))} ${spec.slice(a + 1, b)} ${spec.slice(b + 1)}`;
}

const indexName = (table: string, cols: string[]) => qi(`idx_${table}_${cols.join("_")}`);

export function createIndexSql(table: string, cols: string[], options: string): string {
  const unique = options.includes("unique:true") || options.includes("unique: true");
  const w = options.indexOf("where:");
  const cond = w < 0 ? "" : options.slice(w + 6).trim();
  return (
    `CREATE ${unique ? "UNIQUE " : ""}INDEX IF NOT EXISTS ${indexName(table, cols)} ON ${qi(table)} (${cols.map(qi).join(", ")})` +
    (w < 0 ? "" : ` WHERE ${cond}`)
  );
}

export const Migration_ = {
  *create_table(pool: PoolHandle, table: string, columns: List<string>) {
    return yield* exec(pool, `CREATE TABLE IF NOT EXISTS ${qi(table)} (${columns.toArray().map(columnSpec).join(", ")})`);
  },
  *drop_table(pool: PoolHandle, table: string) {
    return yield* exec(pool, `DROP TABLE IF EXISTS ${qi(table)}`);
  },
  *add_column(pool: PoolHandle, table: string, column: string) {
    const sql = column.includes(":")
      ? `ALTER TABLE ${qi(table)} ADD COLUMN IF NOT EXISTS ${columnSpec(column)}`
      : `ALTER TABLE ${qi(table)} ADD COLUMN ${column}`;
    return yield* exec(pool, sql);
  },
  *drop_column(pool: PoolHandle, table: string, column: string) {
    return yield* exec(pool, `ALTER TABLE ${qi(table)} DROP COLUMN IF EXISTS ${qi(column)}`);
  },
  *rename_column(pool: PoolHandle, table: string, from: string, to: string) {
    return yield* exec(pool, `ALTER TABLE ${qi(table)} RENAME COLUMN ${qi(from)} TO ${qi(to)}`);
  },
  *create_index(pool: PoolHandle, table: string, columns: List<string>, options: string) {
    return yield* exec(pool, createIndexSql(table, columns.toArray(), options));
  },
  *drop_index(pool: PoolHandle, table: string, columns: List<string>) {
    return yield* exec(pool, `DROP INDEX IF EXISTS ${indexName(table, columns.toArray())}`);
  },
  *execute(pool: PoolHandle, sql: string) {
    return yield* exec(pool, sql);
  },
};
