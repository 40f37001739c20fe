// `meshc migrate [DIR] [up | down | status | generate NAME]` (orm.md §7.2–§7.5): migration files
// under DIR/migrations/, a tracking table in the database named by DATABASE_URL, and each
// migration compiled on its own and run in a child Node process (its output discarded) with a
// small generated `main` that opens `Pool.open(DATABASE_URL, 1, 2, 5000)` and calls `up`/`down`.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawn } from "node:child_process";
import type { CompileOptions, CompileResult } from "../compiler/compile.js";
import type { SourceFile } from "../compiler/analyse/project.js";
import { renderDiagnostics } from "../compiler/diag/render.js";
import { hasErrors } from "../compiler/diag/diagnostic.js";
import { openTracking, targetOf, type TrackingDb } from "./migrate-db.js";

const TRACKING_DDL =
  "CREATE TABLE IF NOT EXISTS _mesh_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())";

class Failure extends Error {}
const say = (line: string) => process.stderr.write(line + "\n");

export interface MigrationFile {
  version: bigint;
  name: string;
  file: string;
  label: string; // `<v>_<name>` with the version as an integer
}

/** §7.2: `<int64>_<name>.mpl` files, ordered by version; others ignored. */
export function listMigrations(dir: string): MigrationFile[] | null {
  const mdir = path.join(dir, "migrations");
  if (!fs.existsSync(mdir) || !fs.statSync(mdir).isDirectory()) return null;
  const out: MigrationFile[] = [];
  for (const f of fs.readdirSync(mdir)) {
    if (!f.endsWith(".mpl")) continue;
    const us = f.indexOf("_");
    if (us < 0) continue;
    const head = f.slice(0, us);
    if (!/^[+-]?[0-9]+$/.test(head)) continue;
    const v = BigInt(head);
    if (v < -(2n ** 63n) || v >= 2n ** 63n) continue;
    const name = f.slice(us + 1, -4);
    out.push({ version: v, name, file: path.join(mdir, f), label: `${v}_${name}` });
  }
  out.sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
  for (let i = 1; i < out.length; i++) if (out[i]!.version === out[i - 1]!.version) throw new Failure(`Duplicate migration version ${out[i]!.version}`);
  return out;
}

function timestamp(d = new Date()): string {
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

function scaffold(name: string, ts: string): string {
  return `# Migration: ${name}
# Generated: ${ts}

pub fn up(pool :: PoolHandle) -> Int!String do
  # Migration.create_table(pool, "users", ["id:UUID:PRIMARY KEY DEFAULT gen_random_uuid()", "email:TEXT:NOT NULL UNIQUE"])?
  # Migration.create_index(pool, "users", ["email"], "unique:true")?
  Ok(0)
end

pub fn down(pool :: PoolHandle) -> Int!String do
  # Migration.drop_table(pool, "users")?
  Ok(0)
end
`;
}

function generate(dir: string, name: string): void {
  if (name === "") throw new Failure("Migration name cannot be empty");
  if (!/^[a-z0-9_]+$/.test(name)) throw new Failure("Migration name must contain only lowercase letters, digits, and underscores");
  const ts = timestamp();
  const rel = `migrations/${ts}_${name}.mpl`;
  fs.mkdirSync(path.join(dir, "migrations"), { recursive: true });
  const file = path.join(dir, rel);
  if (fs.existsSync(file)) throw new Failure(`Migration file already exists: ${rel}`);
  fs.writeFileSync(file, scaffold(name, ts));
  say(`Created migration: ${rel}`);
}

// The generated entry appended to a migration's own text (after its last line, so diagnostics keep
// the file's line numbers): the outcome goes to a file named by MESH_MIGRATE_RESULT.
const DRIVER = `

fn __migrate_outcome(pool :: PoolHandle, direction :: String) -> String do
  if direction == "down" do
    case down(pool) do
      Ok(_) -> "ok"
      Err(e) -> "failed:" <> e
    end
  else
    case up(pool) do
      Ok(_) -> "ok"
      Err(e) -> "failed:" <> e
    end
  end
end

fn __migrate_report(text :: String) do
  case Env.get("MESH_MIGRATE_RESULT") do
    Some(p) -> File.write(p, text)
    None -> Ok(())
  end
end

fn main() do
  let url = case Env.get("DATABASE_URL") do
    Some(u) -> u
    None -> ""
  end
  let direction = case Env.get("MESH_MIGRATE_DIRECTION") do
    Some(d) -> d
    None -> "up"
  end
  case Pool.open(url, 1, 2, 5000) do
    Ok(pool) -> do
      let outcome = __migrate_outcome(pool, direction)
      Pool.close(pool)
      let _ = __migrate_report(outcome)
    end
    Err(e) -> do
      let _ = __migrate_report("connection:" <> e)
    end
  end
end
`;

interface Runner {
  compile(files: readonly SourceFile[], opts: CompileOptions): Promise<CompileResult>;
  runtimeUrl: string;
  stackKb: number;
}

/** Compiles and runs one migration; resolves, or throws Failure with the §7.4 message. */
async function runMigration(r: Runner, m: MigrationFile, direction: "up" | "down", url: string): Promise<void> {
  let text = fs.readFileSync(m.file, "utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const file = path.basename(m.file);
  const result = await r.compile([{ file, name: "Main", text: text + DRIVER }], { runtimeImport: r.runtimeUrl, generate: true, requireMain: true });
  if (hasErrors(result.diagnostics)) {
    const shown = renderDiagnostics(result.diagnostics.filter((d) => d.severity === "error"), (f) => result.sources.get(f), false).trimEnd();
    throw new Failure(`Failed to compile migration ${m.label}: ${shown}`);
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "meshc-migrate-"));
  try {
    for (const o of result.outputs) {
      const p = path.join(work, o.path);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, o.js);
    }
    fs.writeFileSync(path.join(work, "package.json"), '{ "type": "module" }\n');
    const resultFile = path.join(work, "outcome.txt");
    const main = path.join(work, file.replace(/\.mpl$/, ".js"));
    const child = spawn(process.execPath, [`--stack-size=${r.stackKb}`, main], {
      env: { ...process.env, DATABASE_URL: url, MESH_MIGRATE_DIRECTION: direction, MESH_MIGRATE_RESULT: resultFile },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const status = await new Promise<string>((resolve) => child.on("exit", (code, sig) => resolve(sig ? `signal ${sig}` : `status ${code}`)));
    const outcome = fs.existsSync(resultFile) ? fs.readFileSync(resultFile, "utf8") : null;
    if (outcome === "ok") return;
    if (outcome?.startsWith("failed:")) throw new Failure(`Migration ${m.label} failed: ${outcome.slice(7)}`);
    if (outcome?.startsWith("connection:")) throw new Failure(`Migration ${m.label} connection failed: ${outcome.slice(11)}`);
    const detail = stderr.trim().split("\n").filter((l) => l !== "").slice(0, 3).join("; ");
    throw new Failure(`Migration ${m.label} exited with non-zero status: ${status}${detail ? ` (${detail})` : ""}`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

async function withTracking<T>(r: Runner, url: string, f: (db: TrackingDb, reopen: () => Promise<TrackingDb>, pause: () => Promise<void>) => Promise<T>): Promise<T> {
  const t = targetOf(url);
  if (t.kind === "memory") throw new Failure("meshc migrate needs a database that outlives one process: DATABASE_URL names the in-memory embedded database");
  let db: TrackingDb | null;
  try {
    db = await openTracking(t, r.runtimeUrl);
  } catch (e) {
    throw new Failure(`Failed to connect to database: ${e instanceof Error ? e.message : String(e)}`);
  }
  // the embedded database's directory is free only while this process has it closed
  const pause = async () => {
    if (t.kind === "pglite" && db !== null) {
      await db.close();
      db = null;
    }
  };
  const reopen = async () => (db ??= await openTracking(t, r.runtimeUrl));
  try {
    return await f(db, reopen, pause);
  } finally {
    if (db !== null) await (db as TrackingDb).close().catch(() => {});
  }
}

async function ensureTable(db: TrackingDb): Promise<void> {
  try {
    await db.query(TRACKING_DDL);
  } catch (e) {
    throw new Failure(`Failed to create tracking table: ${e instanceof Error ? e.message : String(e)}`);
  }
}

async function applied(db: TrackingDb): Promise<Set<bigint>> {
  const rows = await db.query("SELECT version FROM _mesh_migrations ORDER BY version");
  return new Set(rows.map((r) => BigInt(String(r["version"]))));
}

function needFiles(dir: string): MigrationFile[] | null {
  const files = listMigrations(dir);
  if (files === null) {
    say("No migrations directory found. Run 'meshc migrate generate <name>' to create your first migration.");
    return null;
  }
  if (files.length === 0) {
    say("No migration files found in migrations/");
    return null;
  }
  return files;
}

async function up(r: Runner, dir: string, url: string): Promise<void> {
  const files = needFiles(dir);
  if (files === null) return;
  await withTracking(r, url, async (db0, reopen, pause) => {
    await ensureTable(db0);
    const done = await applied(db0);
    const pending = files.filter((m) => !done.has(m.version));
    if (pending.length === 0) return say("No pending migrations");
    say(`Running ${pending.length} pending migration(s):`);
    for (const m of pending) {
      say(`  Applying: ${m.label}`);
      await pause();
      await runMigration(r, m, "up", url);
      const db = await reopen();
      try {
        await db.query("INSERT INTO _mesh_migrations (version, name) VALUES ($1, $2)", [m.version.toString(), m.name]);
      } catch (e) {
        throw new Failure(`Failed to record migration ${m.label}: ${e instanceof Error ? e.message : String(e)}`);
      }
      say(`  Applied:  ${m.label}`);
    }
    say(`Applied ${pending.length} migration(s)`);
  });
}

async function down(r: Runner, dir: string, url: string): Promise<void> {
  await withTracking(r, url, async (db0, reopen, pause) => {
    await ensureTable(db0);
    const done = [...(await applied(db0))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (done.length === 0) return say("No migrations to roll back");
    const v = done[done.length - 1]!;
    const m = (listMigrations(dir) ?? []).find((x) => x.version === v);
    if (m === undefined) throw new Failure(`Migration file for version ${v} not found in migrations/`);
    say(`Rolling back: ${m.label}`);
    await pause();
    await runMigration(r, m, "down", url);
    const db = await reopen();
    try {
      await db.query("DELETE FROM _mesh_migrations WHERE version = $1", [v.toString()]);
    } catch (e) {
      throw new Failure(`Failed to remove tracking row for version ${v}: ${e instanceof Error ? e.message : String(e)}`);
    }
    say(`Rolled back: ${m.label}`);
  });
}

async function status(r: Runner, dir: string, url: string): Promise<void> {
  const files = needFiles(dir);
  if (files === null) return;
  await withTracking(r, url, async (db) => {
    await ensureTable(db);
    const done = await applied(db);
    say("Migration Status:");
    let a = 0;
    for (const m of files) {
      const yes = done.has(m.version);
      if (yes) a++;
      say(`  [${yes ? "x" : " "}] ${m.label}`);
    }
    say(`${a} applied, ${files.length - a} pending`);
  });
}

const ACTIONS = new Set(["up", "down", "status", "generate"]);

/** Exit status: 0 done (also "nothing to do"), 1 failure (`error: …`), 2 usage error. */
export async function runMigrate(args: readonly string[], r: Runner): Promise<number> {
  let rest = [...args];
  let dir = ".";
  if (rest.length > 0 && !ACTIONS.has(rest[0]!)) dir = rest.shift()!;
  const action = rest.shift() ?? "up";
  const usage = (msg: string) => {
    process.stderr.write(`meshc migrate: ${msg}\nusage: meshc migrate [DIR] [up | down | status | generate NAME]\n`);
    return 2;
  };
  if (!ACTIONS.has(action)) return usage(`unknown action '${action}'`);
  if (action === "generate" ? rest.length !== 1 : rest.length !== 0) {
    return usage(action === "generate" && rest.length === 0 ? "generate needs a NAME" : `unexpected argument '${rest[action === "generate" ? 1 : 0]}'`);
  }
  try {
    if (action === "generate") {
      generate(dir, rest[0]!);
      return 0;
    }
    const url = process.env["DATABASE_URL"];
    if (url === undefined || url === "") throw new Failure("meshc migrate: DATABASE_URL environment variable is required");
    if (action === "up") await up(r, dir, url);
    else if (action === "down") await down(r, dir, url);
    else await status(r, dir, url);
    return 0;
  } catch (e) {
    if (!(e instanceof Failure)) throw e;
    say(`error: ${e.message}`);
    return 1;
  }
}
