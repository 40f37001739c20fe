// Public entry of the database runtime: the Mesh modules `Pg` and `Pool` (stdlib.md §21, §22, §28),
// with property names equal to the Mesh function names. Every function is a suspension point
// (a generator function). URLs naming the embedded database run on PGlite (see pglite.ts).
export { Pg, PgConn, parsePgUrl, openSession } from "./pg.js";
export { Pool, PoolHandle } from "./pool.js";
export { isEmbeddedUrl, embeddedDir } from "./pglite.js";
export type { Session, QueryResult } from "./session.js";
export { Sqlite, SqliteConn } from "./sqlite.js";
