// The database session contract shared by the PostgreSQL client (pg.ts, on `pg`) and the embedded
// database (pglite.ts), plus the conversions of stdlib.md §28: rows in text format as Mesh maps,
// server errors as tab-separated strings, row counts from command tags.
import { List } from "../core/list.js";
import { MeshMap } from "../core/map.js";

/** One statement's outcome, values in PostgreSQL text format (null for SQL NULL). */
export interface QueryResult {
  fields: string[];
  rows: (string | null)[][];
  /** the command tag, e.g. "INSERT 0 3", "SELECT 5", "CREATE TABLE" */
  command: string;
}

/** An ErrorResponse from the server. */
export class ServerError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly constraint: string,
    readonly table: string,
    readonly column: string,
  ) {
    super(message);
  }
}

/** Transaction state from the last ReadyForQuery: idle, in a block, in a failed block. */
export type TxStatus = "I" | "T" | "E";

/** One database session (a connection, or a virtual connection to the embedded database). */
export interface Session {
  /** Runs one statement with text parameters bound as $1..$n (type OID 0). Rejects with a
   * ServerError for server errors, with a plain Error for transport/protocol failures. */
  query(sql: string, params: readonly string[]): Promise<QueryResult>;
  txStatus(): TxStatus;
  /** true once the transport failed or the server ended the session */
  readonly broken: boolean;
  close(): Promise<void>;
}

export function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  return String(e);
}

/** §28.3: `<SQLSTATE>\t<constraint>\t<table>\t<column>\t<message>` for server errors. */
export function queryErrorText(e: unknown): string {
  if (e instanceof ServerError) return `${e.code}\t${e.constraint}\t${e.table}\t${e.column}\t${e.message}`;
  return messageOf(e);
}

/** Normalises an error object from `pg` or PGlite (both carry the ErrorResponse fields). */
export function toServerError(e: unknown): unknown {
  if (e instanceof ServerError) return e;
  if (e !== null && typeof e === "object" && "code" in e && typeof (e as { code: unknown }).code === "string" && /^[0-9A-Z]{5}$/.test((e as { code: string }).code) && "severity" in e) {
    const x = e as unknown as { message: string; code: string; constraint?: string; table?: string; column?: string };
    return new ServerError(x.message, x.code, x.constraint ?? "", x.table ?? "", x.column ?? "");
  }
  return e;
}

/** §28.1: one map per row, keys in column order; a repeated name keeps its first position and the last value. */
export function rowsToMaps(r: QueryResult): List<MeshMap<string, string>> {
  const { fields, rows } = r;
  const out = new Array<MeshMap<string, string>>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const vals = new Array<string>(fields.length);
    for (let j = 0; j < fields.length; j++) vals[j] = row[j] ?? "";
    out[i] = MeshMap.fromArrays<string, string>(fields, vals);
  }
  return List.fromArray(out);
}

/** `Pg.execute`'s count: the last word of the command tag when it is a number, else 0. */
export function rowCountOf(command: string): number {
  const sp = command.lastIndexOf(" ");
  const n = Number(command.slice(sp + 1));
  return sp >= 0 && Number.isInteger(n) ? n : 0;
}
