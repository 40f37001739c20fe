// The Mesh `Sqlite` module (stdlib.md §23). The spec builds it on `node:sqlite`, which Node.js 20
// (this project's engine) does not have, and a native addon cannot be built by a plain `npm ci`
// here. Until the project moves to Node.js >= 22.5 every call answers a clear `Err` (and `close`
// does nothing), so programs that use Sqlite still link and can report the failure.
import { Err, type Result } from "../core/builtin-types.js";
import type { List } from "../core/list.js";
import type { MeshMap } from "../core/map.js";

export const SQLITE_UNAVAILABLE = "Sqlite is not available in this runtime (it needs node:sqlite, Node.js 22.5 or newer)";

/** The Mesh `SqliteConn` handle (never produced while Sqlite is unavailable). */
export class SqliteConn {
  static readonly localOnly = "SqliteConn";
}

const unavailable = (): Err<string> => new Err(SQLITE_UNAVAILABLE);

export const Sqlite = {
  open: (_path: string): Result<SqliteConn, string> => unavailable(),
  close: (_c: SqliteConn): undefined => undefined,
  execute: (_c: SqliteConn, _sql: string, _params: List<string>): Result<number, string> => unavailable(),
  query: (_c: SqliteConn, _sql: string, _params: List<string>): Result<List<MeshMap<string, string>>, string> => unavailable(),
  begin: (_c: SqliteConn): Result<undefined, string> => unavailable(),
  commit: (_c: SqliteConn): Result<undefined, string> => unavailable(),
  rollback: (_c: SqliteConn): Result<undefined, string> => unavailable(),
};
