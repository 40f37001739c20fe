// The Mesh `Pg` module (stdlib.md §21, §28): single PostgreSQL connections. Real servers are reached
// through the `pg` package with every type parser disabled (values stay the server's text) and the
// extended protocol only (parameters are always bound, never interpolated); embedded URLs go to
// PGlite (pglite.ts). Every function is a suspension point: a generator that waits on a promise
// which never rejects, so errors come back as `Err` strings.
import pg from "pg";
import { Err, Ok, type Result } from "../core/builtin-types.js";
import type { List } from "../core/list.js";
import type { MeshMap } from "../core/map.js";
import { List as ListClass } from "../core/list.js";
import { awaitPromise, ExitNow, onExit, reasonOf, self, writeErr, type ExitHook, type Pid, type Scheduler } from "./host.js";
import { isEmbeddedUrl, openEmbeddedSession } from "./pglite.js";
import { messageOf, queryErrorText, rowCountOf, rowsToMaps, toServerError, type QueryResult, type Session, type TxStatus } from "./session.js";
import type { PoolHandle } from "./pool.js";

export const CONNECT_TIMEOUT_MS = 30_000;

/**
 * The Mesh `PgConn` handle: a session, or null once closed / checked in. Node-local, shareable
 * between processes. A handle is tied to processes through exit hooks (never polled), with the
 * semantics of an Erlang port linked to its owner: a connection opened by `Pg.connect` is closed
 * when the opening process exits abnormally (panic, kill, exit signal); the process that runs a
 * statement, or holds a transaction open, is its holder, and if it exits abnormally while the
 * transaction is open the transaction is rolled back and the connection closed (or given back to
 * its pool). A normal exit leaves the handle to the processes it was shared with. Without this a
 * crashed process would keep its locks forever and, on the embedded database, block every other
 * connection; on a real server it would leak a backend.
 */
export class PgConn {
  static readonly localOnly = "PgConn";
  /** `Pg.connect`: the owner's exit hook */
  ownerHook: ExitHook | null = null;
  /** the process running a statement or holding a transaction open, and its exit hook */
  holder: Pid | null = null;
  holdHook: ExitHook | null = null;
  /** the statement in flight (never rejects); cleanup waits for it before touching the session */
  inflight: Promise<unknown> | null = null;
  constructor(
    public session: Session | null,
    readonly pool: PoolHandle | null,
  ) {}
}

/** Detaches the session from its handle (the handle reads as closed from now on) and drops every
 * hook on it; the caller decides what happens to the session. */
export function detach(c: PgConn): Session | null {
  const s = c.session;
  c.session = null;
  c.ownerHook?.cancel();
  c.ownerHook = null;
  c.holdHook?.cancel();
  c.holdHook = null;
  c.holder = null;
  c.pool?.unlend(c);
  return s;
}

/** Resolves once the statement in flight on `c` (if any) has settled. */
export function afterInflight(c: PgConn): Promise<unknown> {
  return c.inflight ?? Promise.resolve();
}

/** Rolls back an open transaction block, then closes the session; never rejects. */
export async function rollbackAndClose(s: Session): Promise<void> {
  if (!s.broken && s.txStatus() !== "I") await s.query("ROLLBACK", []).catch(() => undefined);
  await s.close().catch(() => undefined);
}

/** Gives a session that a dead process left behind back (pool) or closes it, rolling back first. */
function abandon(c: PgConn, s: Session): void {
  const pool = c.pool;
  detach(c);
  if (pool !== null) void pool.release(s);
  else void rollbackAndClose(s);
}

/** The owner of a `Pg.connect` connection exited: if abnormally, close the connection once its
 * last statement settled. */
function ownerExited(c: PgConn, reason: string): void {
  c.ownerHook = null;
  const s = c.session;
  if (s === null || reason === "normal") return;
  void afterInflight(c).then(() => {
    if (c.session === s) abandon(c, s);
  });
}

/** A holder exited: if abnormally, leaving a transaction open, roll it back and close / give back
 * the session. */
function holderExited(c: PgConn, who: Pid, reason: string): void {
  if (c.holder !== who) return;
  c.holder = null;
  c.holdHook = null;
  const s = c.session;
  if (s === null || reason === "normal") return;
  void afterInflight(c).then(() => {
    if (c.session === s && c.holder === null && s.txStatus() !== "I") abandon(c, s);
  });
}

/** Makes the calling process the holder of `c` (before it sends a statement). */
function hold(c: PgConn): void {
  const me = self();
  if (c.holder === me || me.isNull() || c.session === null) return;
  c.holdHook?.cancel();
  c.holder = me;
  c.holdHook = onExit(null, (reason) => holderExited(c, me, reason));
}

/** After a statement: a connection back outside any transaction block has no holder. */
function releaseHold(c: PgConn): void {
  const s = c.session;
  if (s !== null && s.txStatus() !== "I") return;
  c.holdHook?.cancel();
  c.holdHook = null;
  c.holder = null;
}

/** Runs one statement on `c` for the calling process: waits for `run(session)` with the holder
 * guard in place, so the process exiting at any point leaves no transaction open behind it. */
export function* onConn<T>(c: PgConn, run: (s: Session | null) => Promise<Outcome<T>>): Generator<unknown, Outcome<T>, unknown> {
  hold(c);
  const p = run(c.session);
  c.inflight = p;
  const o = yield* awaitPromise(p);
  if (c.inflight === p) c.inflight = null;
  releaseHold(c);
  return o;
}

/** A connection for the process `owner` (null: not called from a process, no owner). */
function owned(s: Session, owner: Pid): PgConn {
  const c = new PgConn(s, null);
  if (owner.isNull()) return c;
  c.ownerHook = onExit(owner, (reason) => ownerExited(c, reason));
  // the owner died while connecting: nobody can use the connection
  if (c.ownerHook === null) abandon(c, s);
  return c;
}

// ---- URLs -------------------------------------------------------------------------------------

export interface PgUrl {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  ssl: boolean;
  options: string | undefined;
  applicationName: string | undefined;
}

class UrlError extends Error {}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Parses `postgres://user:pass@host:port/db?sslmode=...` with the spec's error messages. */
export function parsePgUrl(url: string): PgUrl {
  let rest: string;
  if (url.startsWith("postgres://")) rest = url.slice(11);
  else if (url.startsWith("postgresql://")) rest = url.slice(13);
  else throw new UrlError("URL must start with postgres:// or postgresql://");
  let query = "";
  const q = rest.indexOf("?");
  if (q >= 0) {
    query = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  const at = rest.lastIndexOf("@");
  if (at < 0) throw new UrlError("URL missing '@' separator");
  const userinfo = rest.slice(0, at);
  let hostpart = rest.slice(at + 1);
  let database = "";
  const slash = hostpart.indexOf("/");
  if (slash >= 0) {
    database = decode(hostpart.slice(slash + 1));
    hostpart = hostpart.slice(0, slash);
  }
  const colon = userinfo.indexOf(":");
  const user = decode(colon >= 0 ? userinfo.slice(0, colon) : userinfo);
  const password = colon >= 0 ? decode(userinfo.slice(colon + 1)) : "";
  let host = hostpart;
  let port = 5432;
  const portSep = hostpart.startsWith("[") ? hostpart.indexOf("]:") + 1 : hostpart.lastIndexOf(":");
  if (portSep > 0) {
    const p = hostpart.slice(portSep + 1);
    if (!/^\d+$/.test(p) || Number(p) < 1 || Number(p) > 65535) throw new UrlError(`invalid port: ${p}`);
    port = Number(p);
    host = hostpart.slice(0, portSep);
  }
  if (host.startsWith("[") && host.endsWith("]")) host = host.slice(1, -1);
  if (host === "") host = "localhost";
  let ssl = false;
  let options: string | undefined;
  let applicationName: string | undefined;
  for (const part of query.split("&")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const k = decode(part.slice(0, eq));
    const v = decode(part.slice(eq + 1).replace(/\+/g, " "));
    if (k === "sslmode") ssl = v === "require" || v === "verify-ca" || v === "verify-full";
    else if (k === "options") options = v;
    else if (k === "application_name") applicationName = v;
  }
  return { host, port, user, password, database: database || user, ssl, options, applicationName };
}

// ---- sessions on `pg` -------------------------------------------------------------------------

const identity = (v: string): string => v;
/** Every OID, text or binary: the raw server text. */
const RAW_TYPES = { getTypeParser: () => identity } as unknown as pg.CustomTypesConfig;

// Data statements are prepared once per connection under a name given to their text (the server
// then skips parsing and planning on later runs: a third to a half of a short statement's cost).
// Texts are named in first-use order, up to a bound, so programs that build SQL dynamically still
// work: past the bound, new texts simply run unprepared.
const MAX_PREPARED_TEXTS = 2000;
const prepared = new Map<string, string>();
const unprepared = new Set<string>();
const DML = /^\s*(select|insert|update|delete|with)\b/i;

function statementName(sql: string): string | undefined {
  const known = prepared.get(sql);
  if (known !== undefined) return unprepared.has(sql) ? undefined : known;
  if (prepared.size >= MAX_PREPARED_TEXTS || sql.length > 16384 || !DML.test(sql)) return undefined;
  const name = `mesh_${prepared.size + 1}`;
  prepared.set(sql, name);
  return name;
}

class PgSession implements Session {
  broken = false;

  constructor(private readonly client: pg.Client) {
    client.on("error", () => {
      this.broken = true;
    });
    client.on("end", () => {
      this.broken = true;
    });
  }

  async query(sql: string, params: readonly string[]): Promise<QueryResult> {
    try {
      const name = statementName(sql);
      const config = { name, text: sql, values: params as string[], rowMode: "array", types: RAW_TYPES, queryMode: "extended" } as pg.QueryArrayConfig;
      let r: pg.QueryArrayResult;
      try {
        r = await this.client.query(config);
      } catch (e) {
        // A table changed under a prepared statement whose result shape it fixed (SQLSTATE 0A000,
        // "cached plan must not change result type"): run this text unprepared from now on.
        if (name === undefined || (e as { code?: string } | null)?.code !== "0A000" || this.txStatus() !== "I") throw e;
        unprepared.add(sql);
        r = await this.client.query({ ...config, name: undefined });
      }
      return {
        fields: r.fields.map((f) => f.name),
        rows: r.rows as (string | null)[][],
        command: r.rowCount === null || r.rowCount === undefined ? String(r.command ?? "") : `${r.command} ${r.rowCount}`,
      };
    } catch (e) {
      // A FATAL error (e.g. the backend was terminated) or a transport failure ends the session;
      // mark it now, before pg's 'end' event, so a checkin right after discards it.
      const sev = (e as { severity?: string } | null)?.severity;
      if (sev === undefined || sev === "FATAL" || sev === "PANIC") this.broken = true;
      throw toServerError(e);
    }
  }

  txStatus(): TxStatus {
    const c = this.client as unknown as { getTransactionStatus?: () => string | null; _txStatus?: string | null };
    const s = c.getTransactionStatus?.() ?? c._txStatus ?? "I";
    return s === "T" || s === "E" ? s : "I";
  }

  async close(): Promise<void> {
    this.broken = true;
    await this.client.end().catch(() => undefined);
  }
}

async function openPgSession(u: PgUrl, timeoutMs: number): Promise<Session> {
  const client = new pg.Client({
    host: u.host,
    port: u.port,
    user: u.user,
    password: u.password,
    database: u.database,
    ssl: u.ssl ? { rejectUnauthorized: true } : false,
    connectionTimeoutMillis: timeoutMs,
    keepAlive: true,
    types: RAW_TYPES,
    options: u.options,
    application_name: u.applicationName,
  });
  // errors before 'connect' resolves are reported by connect(); afterwards PgSession marks it broken
  const early = () => undefined;
  client.on("error", early);
  try {
    await client.connect();
  } catch (e) {
    client.end().catch(() => undefined);
    throw e;
  }
  const s = new PgSession(client);
  client.off("error", early);
  return s;
}

/** Opens a session for any supported URL (real server or embedded, of the node `sched`: by default
 * the calling process's); rejects with a plain message. */
export async function openSession(url: string, timeoutMs = CONNECT_TIMEOUT_MS, sched?: Scheduler): Promise<Session> {
  if (isEmbeddedUrl(url)) return openEmbeddedSession(url, sched);
  return openPgSession(parsePgUrl(url), timeoutMs);
}

// ---- promise-level operations (never reject) ---------------------------------------------------

export type Outcome<T> = { ok: true; v: T } | { ok: false; e: string };

const CLOSED: Outcome<never> = { ok: false, e: "connection is closed" };

export async function runQuery(s: Session | null, sql: string, params: readonly string[]): Promise<Outcome<QueryResult>> {
  if (s === null) return CLOSED;
  try {
    return { ok: true, v: await s.query(sql, params) };
  } catch (e) {
    return { ok: false, e: queryErrorText(e) };
  }
}

/** BEGIN/COMMIT/ROLLBACK: the bare server message on failure. */
export async function runControl(s: Session | null, sql: string): Promise<Outcome<QueryResult>> {
  if (s === null) return CLOSED;
  try {
    return { ok: true, v: await s.query(sql, []) };
  } catch (e) {
    return { ok: false, e: messageOf(e) };
  }
}

function arr(params: List<string>): readonly string[] {
  return params.toArray();
}

function toRows(o: Outcome<QueryResult>): Result<List<MeshMap<string, string>>, string> {
  return o.ok ? new Ok(rowsToMaps(o.v)) : new Err(o.e);
}

function toCount(o: Outcome<QueryResult>): Result<number, string> {
  return o.ok ? new Ok(rowCountOf(o.v.command)) : new Err(o.e);
}

function toUnit(o: Outcome<unknown>): Result<undefined, string> {
  return o.ok ? new Ok(undefined) : new Err(o.e);
}

function isIter(x: unknown): x is Generator<unknown, unknown, unknown> {
  return x !== null && typeof x === "object" && typeof (x as Generator).next === "function" && typeof (x as Generator)[Symbol.iterator] === "function";
}

/** Calls a Mesh function value, plain or generator. */
export function* callMesh(f: Function, ...args: unknown[]): Generator<unknown, unknown, unknown> {
  const r = f(...args);
  return isIter(r) ? yield* r : r;
}

/** Applies `f` to every row (query_as): row failures stay inside the list. */
export function* mapRows(rows: List<MeshMap<string, string>>, f: Function): Generator<unknown, List<unknown>, unknown> {
  const src = rows.toArray();
  const out = new Array<unknown>(src.length);
  for (let i = 0; i < src.length; i++) out[i] = yield* callMesh(f, src[i]);
  return ListClass.fromArray(out);
}

/** The body of Pg.transaction / Pool.transaction, on a live session. A process killed inside the
 * body leaves the block open: its holder hook rolls it back (see `PgConn`). */
export function* transactionOn(c: PgConn, body: Function): Generator<unknown, Result<unknown, string>, unknown> {
  const begun = yield* onConn(c, (s) => runControl(s, "BEGIN"));
  if (!begun.ok) return new Err(`BEGIN: ${begun.e}`);
  let r: unknown;
  try {
    r = yield* callMesh(body, c);
  } catch (e) {
    if (e instanceof ExitNow) throw e;
    writeErr(`[mesh-rt] panic in transaction callback: ${reasonOf(e)}\n`);
    yield* onConn(c, (s) => runControl(s, "ROLLBACK"));
    return new Err("transaction aborted: panic in callback");
  }
  if (r instanceof Err) {
    yield* onConn(c, (s) => runControl(s, "ROLLBACK"));
    return r as Err<string>;
  }
  const committed = yield* onConn(c, (s) => runControl(s, "COMMIT"));
  if (!committed.ok) {
    yield* onConn(c, (s) => runControl(s, "ROLLBACK"));
    return new Err(`COMMIT: ${committed.e}`);
  }
  // COMMIT of a failed block answers ROLLBACK instead of an error: the body's work is gone
  if (committed.v.command === "ROLLBACK") return new Err("COMMIT: current transaction was aborted and has been rolled back");
  return r instanceof Ok ? r : new Ok(undefined);
}

// ---- the Mesh module ----------------------------------------------------------------------------

function* connect(url: string): Generator<unknown, Result<PgConn, string>, unknown> {
  const me = self();
  return yield* awaitPromise(
    openSession(url).then(
      (s) => new Ok(owned(s, me)) as Result<PgConn, string>,
      (e: unknown) => new Err(messageOf(e)),
    ),
  );
}

function* close(c: PgConn): Generator<unknown, undefined, unknown> {
  const pool = c.pool;
  const s = detach(c);
  if (s === null) return undefined;
  if (pool) pool.discard(s);
  else yield* awaitPromise(rollbackAndClose(s));
  return undefined;
}

function* query(c: PgConn, sql: string, params: List<string>): Generator<unknown, Result<List<MeshMap<string, string>>, string>, unknown> {
  return toRows(yield* onConn(c, (s) => runQuery(s, sql, arr(params))));
}

function* execute(c: PgConn, sql: string, params: List<string>): Generator<unknown, Result<number, string>, unknown> {
  return toCount(yield* onConn(c, (s) => runQuery(s, sql, arr(params))));
}

function* begin(c: PgConn): Generator<unknown, Result<undefined, string>, unknown> {
  return toUnit(yield* onConn(c, (s) => runControl(s, "BEGIN")));
}

function* commit(c: PgConn): Generator<unknown, Result<undefined, string>, unknown> {
  return toUnit(yield* onConn(c, (s) => runControl(s, "COMMIT")));
}

function* rollback(c: PgConn): Generator<unknown, Result<undefined, string>, unknown> {
  return toUnit(yield* onConn(c, (s) => runControl(s, "ROLLBACK")));
}

function* transaction(c: PgConn, body: Function): Generator<unknown, Result<unknown, string>, unknown> {
  if (c.session === null) return new Err("connection is closed");
  return yield* transactionOn(c, body);
}

function* queryAs(c: PgConn, sql: string, params: List<string>, f: Function): Generator<unknown, Result<List<unknown>, string>, unknown> {
  const o = yield* onConn(c, (s) => runQuery(s, sql, arr(params)));
  if (!o.ok) return new Err(o.e);
  return new Ok(yield* mapRows(rowsToMaps(o.v), f));
}

export const Pg = {
  connect,
  close,
  query,
  execute,
  begin,
  commit,
  rollback,
  transaction,
  query_as: queryAs,
};
