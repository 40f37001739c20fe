// The migration runner's own database connection (orm.md §7.3): the tracking table lives behind
// one direct connection to DATABASE_URL — `pg` for a PostgreSQL server, the embedded PGlite
// opened in this process for a `pglite:<dir>` URL (closed while a migration runs, since one
// directory can only be open in one process at a time).
import pg from "pg";
import * as path from "node:path";
import { createRequire } from "node:module";

export interface TrackingDb {
  query(sql: string, params?: readonly string[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

export type DbTarget = { kind: "pg"; url: string } | { kind: "pglite"; dir: string } | { kind: "memory" };

export function targetOf(url: string): DbTarget {
  if (url === "" || url.startsWith("pglite:")) {
    let rest = url.startsWith("pglite:") ? url.slice(7) : "";
    if (rest.startsWith("//")) rest = rest.slice(2);
    if (rest === "" || rest === "memory" || rest === "memory://") return { kind: "memory" };
    return { kind: "pglite", dir: path.resolve(rest) };
  }
  return { kind: "pg", url };
}

/** `anchor`: a file URL inside this package, from which PGlite is loaded with Node's own loader (the
 * bundled CLI runs in a vm script, where PGlite's internal dynamic imports would fail). */
export async function openTracking(t: Exclude<DbTarget, { kind: "memory" }>, anchor: string): Promise<TrackingDb> {
  if (t.kind === "pg") {
    const c = new pg.Client({ connectionString: t.url, connectionTimeoutMillis: 5000 });
    c.on("error", () => {}); // a dropped connection surfaces as the next query's error
    await c.connect();
    return {
      query: async (sql, params = []) => (await c.query(sql, params as string[])).rows as Record<string, unknown>[],
      close: () => c.end(),
    };
  }
  const load = createRequire(anchor);
  const { PGlite } = load("@electric-sql/pglite") as typeof import("@electric-sql/pglite");
  const { pgcrypto } = load("@electric-sql/pglite/contrib/pgcrypto") as typeof import("@electric-sql/pglite/contrib/pgcrypto");
  const db = await PGlite.create({ dataDir: t.dir, extensions: { pgcrypto } });
  return {
    query: async (sql, params = []) => (await db.query(sql, params as string[])).rows as Record<string, unknown>[],
    close: () => db.close(),
  };
}
