// The Mesh `Sqlite` module (stdlib.md §23) on node-sqlite3-wasm: SQLite compiled to WebAssembly with
// a VFS over node:fs, so real files work on every Node.js version (no native addon, no node:sqlite).
// One engine everywhere keeps the text of values identical: every column is read back through
// sqlite3_column_text, i.e. SQLite's own conversion (NULL gives "", REAL as CAST(x AS TEXT)).
import { createRequire } from "node:module";
import { Err, Ok, type Result } from "../core/builtin-types.js";
import { List } from "../core/list.js";
import { MeshMap } from "../core/map.js";

/** The parts of node-sqlite3-wasm used here (its Database/Statement plus the raw C entry points). */
interface WasmStatement {
  _ptr: number;
  _bind(values: unknown): void;
  finalize(): void;
}
interface WasmDatabase {
  _ptr: number | null;
  isOpen: boolean;
  prepare(sql: string): WasmStatement;
  close(): void;
}
interface WasmModule {
  Database: new (path: string) => WasmDatabase;
  cwrap(name: string, ret: string | null, args: string[]): (...a: number[]) => any;
}
interface Raw {
  step: (stmt: number) => number;
  columnCount: (stmt: number) => number;
  columnName: (stmt: number, i: number) => string;
  columnText: (stmt: number, i: number) => string;
  changes: (db: number) => number;
  errmsg: (db: number) => string;
}

const SQLITE_ROW = 100;
const SQLITE_DONE = 101;

let wasm: { mod: WasmModule; raw: Raw } | undefined;

/** Loads (and compiles) the WebAssembly build on first use, so programs without Sqlite never pay for it. */
function engine(): { mod: WasmModule; raw: Raw } {
  if (wasm === undefined) {
    const mod = createRequire(import.meta.url)("node-sqlite3-wasm") as WasmModule;
    const raw: Raw = {
      step: mod.cwrap("sqlite3_step", "number", ["number"]),
      columnCount: mod.cwrap("sqlite3_column_count", "number", ["number"]),
      columnName: mod.cwrap("sqlite3_column_name", "string", ["number", "number"]),
      columnText: mod.cwrap("sqlite3_column_text", "string", ["number", "number"]),
      changes: mod.cwrap("sqlite3_changes", "number", ["number"]),
      errmsg: mod.cwrap("sqlite3_errmsg", "string", ["number"]),
    };
    wasm = { mod, raw };
  }
  return wasm;
}

/** The Mesh `SqliteConn` handle: one open database (a file or a private `:memory:` one). */
export class SqliteConn {
  static readonly localOnly = "SqliteConn";
  constructor(readonly db: WasmDatabase) {}
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Runs the first statement of `sql` with `params` bound as TEXT; `onRow` sees each result row. */
function run(c: SqliteConn, sql: string, params: List<string>, onRow?: (stmt: number, raw: Raw, names: string[]) => void): string | undefined {
  if (!c.db.isOpen) return "database is closed";
  const { raw } = engine();
  let stmt: WasmStatement;
  try {
    stmt = c.db.prepare(sql);
  } catch (e) {
    return message(e);
  }
  try {
    stmt._bind(params.toArray().map(String));
    const names: string[] = [];
    if (onRow !== undefined) for (let i = 0, n = raw.columnCount(stmt._ptr); i < n; i++) names.push(raw.columnName(stmt._ptr, i));
    for (;;) {
      const rc = raw.step(stmt._ptr);
      if (rc === SQLITE_DONE) return undefined;
      if (rc !== SQLITE_ROW) return raw.errmsg(c.db._ptr as number);
      onRow?.(stmt._ptr, raw, names);
    }
  } catch (e) {
    return message(e);
  } finally {
    try {
      stmt.finalize();
    } catch {
      // finalize repeats the step's error code; the error was already reported
    }
  }
}

function plain(c: SqliteConn, sql: string): Result<undefined, string> {
  const failure = run(c, sql, List.empty);
  return failure === undefined ? new Ok(undefined) : new Err(failure);
}

export const Sqlite = {
  open: (path: string): Result<SqliteConn, string> => {
    try {
      return new Ok(new SqliteConn(new (engine().mod.Database)(path)));
    } catch (e) {
      // the wrapper replaces SQLite's message by its own; opening fails with SQLITE_CANTOPEN
      return new Err(/^Could not open/.test(message(e)) ? "unable to open database file" : message(e));
    }
  },
  close: (c: SqliteConn): undefined => {
    if (c.db.isOpen) c.db.close();
    return undefined;
  },
  execute: (c: SqliteConn, sql: string, params: List<string>): Result<number, string> => {
    const failure = run(c, sql, params);
    return failure === undefined ? new Ok(engine().raw.changes(c.db._ptr as number)) : new Err(failure);
  },
  query: (c: SqliteConn, sql: string, params: List<string>): Result<List<MeshMap<string, string>>, string> => {
    const rows: MeshMap<string, string>[] = [];
    const failure = run(c, sql, params, (stmt, raw, names) => {
      const vals = new Array<string>(names.length);
      for (let i = 0; i < names.length; i++) vals[i] = raw.columnText(stmt, i);
      rows.push(MeshMap.fromArrays<string, string>(names, vals));
    });
    return failure === undefined ? new Ok(List.fromArray(rows)) : new Err(failure);
  },
  begin: (c: SqliteConn): Result<undefined, string> => plain(c, "BEGIN"),
  commit: (c: SqliteConn): Result<undefined, string> => plain(c, "COMMIT"),
  rollback: (c: SqliteConn): Result<undefined, string> => plain(c, "ROLLBACK"),
};
