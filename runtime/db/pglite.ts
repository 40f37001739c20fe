// The embedded PostgreSQL (PGlite) behind the same Session contract as a real server. PGlite has a
// single backend session, so every statement goes through one queue, and while one virtual
// connection has a transaction block open (or failed) only its statements run: transactions never
// interleave with other connections' statements. Rows come straight from the wire protocol in text
// format, so values read exactly as PostgreSQL prints them.
//
// URL convention (stdlib.md is silent; this project chooses): `pglite:memory` (also `pglite:`,
// `pglite:memory://`, `pglite://memory`, and the empty string) is an in-memory database;
// `pglite:<dir>` (also `pglite://<abs dir>`) stores it in that directory. One instance per distinct
// database per node (scheduler): every pool and connection of a node with the same URL sees the
// same data; a second node in the same OS process gets its own in-memory database.
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { PGlite } from "@electric-sql/pglite";
import { currentScheduler, type Scheduler } from "./host.js";
import { ServerError, toServerError, type QueryResult, type Session, type TxStatus } from "./session.js";

export function isEmbeddedUrl(url: string): boolean {
  return url === "" || url.startsWith("pglite:");
}

/** The data directory named by an embedded URL, or null for an in-memory database. */
export function embeddedDir(url: string): string | null {
  let rest = url.startsWith("pglite:") ? url.slice(7) : "";
  if (rest.startsWith("//")) rest = rest.slice(2);
  if (rest === "" || rest === "memory" || rest === "memory://") return null;
  return resolve(rest);
}

type Serialize = typeof import("@electric-sql/pglite").protocol.serialize;

interface Op {
  s: EmbeddedSession;
  sql: string;
  params: readonly string[];
  resolve: (r: QueryResult) => void;
  reject: (e: unknown) => void;
}

class EmbeddedDb {
  private owner: EmbeddedSession | null = null;
  private readonly queue: Op[] = [];
  private running = false;

  constructor(
    private readonly pg: PGlite,
    private readonly ser: Serialize,
  ) {}

  run(s: EmbeddedSession, sql: string, params: readonly string[]): Promise<QueryResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ s, sql, params, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    if (this.running) return;
    const owner = this.owner;
    const i = owner === null ? (this.queue.length > 0 ? 0 : -1) : this.queue.findIndex((op) => op.s === owner);
    if (i < 0) return;
    const op = this.queue.splice(i, 1)[0];
    this.running = true;
    this.exec(op).finally(() => {
      this.running = false;
      this.pump();
    });
  }

  private async exec(op: Op): Promise<void> {
    const ser = this.ser;
    const parts = [ser.parse({ text: op.sql, types: [] }), ser.bind({ values: op.params as string[] }), ser.describe({ type: "P" }), ser.execute({}), ser.sync()];
    let len = 0;
    for (const p of parts) len += p.length;
    const buf = new Uint8Array(len);
    let off = 0;
    for (const p of parts) {
      buf.set(p, off);
      off += p.length;
    }
    let messages: { name: string; [k: string]: unknown }[];
    try {
      messages = (await this.pg.execProtocol(buf, { throwOnError: false })).messages as unknown as typeof messages;
    } catch (e) {
      op.reject(e instanceof Error ? e : new Error(String(e)));
      return;
    }
    const result: QueryResult = { fields: [], rows: [], command: "" };
    let error: unknown = null;
    let status: TxStatus = op.s.status;
    for (const m of messages) {
      switch (m.name) {
        case "rowDescription":
          result.fields = (m.fields as { name: string }[]).map((f) => f.name);
          break;
        case "dataRow":
          result.rows.push(m.fields as (string | null)[]);
          break;
        case "commandComplete":
          result.command = m.text as string;
          break;
        case "error":
          error ??= toServerError(m);
          break;
        case "readyForQuery":
          status = m.status as TxStatus;
          break;
      }
    }
    op.s.status = status;
    this.owner = status === "I" ? null : op.s;
    if (error) op.reject(error instanceof Error ? error : new ServerError(String(error), "XX000", "", "", ""));
    else op.resolve(result);
  }
}

class EmbeddedSession implements Session {
  status: TxStatus = "I";
  private closed = false;

  constructor(private readonly db: EmbeddedDb) {}

  get broken(): boolean {
    return this.closed;
  }

  query(sql: string, params: readonly string[]): Promise<QueryResult> {
    if (this.closed) return Promise.reject(new Error("connection is closed"));
    return this.db.run(this, sql, params);
  }

  txStatus(): TxStatus {
    return this.status;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // a session that ends inside a transaction block must not leave it open for everyone else
    if (this.status !== "I") await this.db.run(this, "ROLLBACK", []).catch(() => undefined);
    this.closed = true;
  }
}

/** The embedded databases of each node, by data directory (":memory:" for the in-memory one). */
const instancesBySched = new WeakMap<Scheduler, Map<string, Promise<EmbeddedDb>>>();

function instancesOf(s: Scheduler): Map<string, Promise<EmbeddedDb>> {
  let m = instancesBySched.get(s);
  if (m === undefined) instancesBySched.set(s, (m = new Map()));
  return m;
}

// A new database cluster (initdb) is most of PGlite's start-up: ~3x the time of loading a copy of
// a fresh cluster's files. The first new database on a machine dumps its pristine data directory
// to a cache file (keyed by the PGlite build); later new databases, in memory or in a new
// directory, start from that copy. MESH_PGLITE_CACHE=0 turns it off; MESH_PGLITE_CACHE=<dir>
// moves it.
function pristinePath(): string | null {
  const setting = process.env["MESH_PGLITE_CACHE"];
  if (setting === "0") return null;
  try {
    const lib = statSync(fileURLToPath(import.meta.resolve("@electric-sql/pglite")));
    const key = `${lib.size.toString(36)}-${Math.floor(lib.mtimeMs).toString(36)}`;
    return join(setting !== undefined && setting !== "" ? setting : join(tmpdir(), "meshc-pglite"), `pristine-${key}.tar`);
  } catch {
    return null;
  }
}

function readPristine(file: string | null): Buffer | null {
  if (file === null) return null;
  try {
    return readFileSync(file);
  } catch {
    return null;
  }
}

async function savePristine(pg: PGlite, file: string): Promise<void> {
  try {
    const image = Buffer.from(await (await pg.dumpDataDir("none")).arrayBuffer());
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, image);
    renameSync(tmp, file); // atomic: concurrent first starts never see half a file
  } catch {
    // a cache that cannot be written only costs the next start its speed-up
  }
}

async function createDb(dir: string | null): Promise<EmbeddedDb> {
  const { PGlite, protocol } = await import("@electric-sql/pglite");
  const { pgcrypto } = await import("@electric-sql/pglite/contrib/pgcrypto");
  if (dir !== null) mkdirSync(dir, { recursive: true });
  const fresh = dir === null || !existsSync(join(dir, "PG_VERSION"));
  const cache = fresh ? pristinePath() : null;
  const image = readPristine(cache);
  const pg = await PGlite.create({
    dataDir: dir ?? undefined,
    extensions: { pgcrypto },
    ...(image !== null ? { loadDataDir: new Blob([image as unknown as ArrayBuffer]) } : {}),
  });
  if (cache !== null && image === null) await savePristine(pg, cache);
  return new EmbeddedDb(pg, protocol.serialize);
}

/** A new virtual connection to the embedded database named by `url` (created on first use) of the
 * calling process's node. */
export async function openEmbeddedSession(url: string, sched: Scheduler = currentScheduler()): Promise<Session> {
  const dir = embeddedDir(url);
  const key = dir ?? ":memory:";
  const instances = instancesOf(sched);
  let p = instances.get(key);
  if (!p) {
    p = createDb(dir);
    instances.set(key, p);
    p.catch(() => instances.delete(key));
  }
  return new EmbeddedSession(await p);
}
