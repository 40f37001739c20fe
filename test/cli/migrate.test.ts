// `meshc migrate` (orm.md §7, Appendix C): the whole CLI scenario in a temporary project, on a
// persistent embedded database (pglite:<dir>) and, when DATABASE_URL is set (CI), on a real
// PostgreSQL inside a schema of this run's own. stdout must stay empty; stderr is compared whole.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import pg from "pg";
import { meshc } from "../support/golden.js";

const REAL = process.env.DATABASE_URL || "";
const RUN = `${process.pid}_${Date.now().toString(36)}`;

function scenario(url: () => string) {
  it("Appendix C: generate, up, status, down, a failing migration", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "meshc-migrate-test-"));
    const P = path.join(root, "P");
    const env = () => ({ DATABASE_URL: url() });
    const step = async (args: string[], status: number, stderr: string | RegExp, opts: { unset?: boolean } = {}) => {
      const r = await meshc(["migrate", P, ...args], opts.unset ? { unsetEnv: ["DATABASE_URL"], timeout: 120_000 } : { env: env(), timeout: 120_000 });
      expect(r.stdout).toBe("");
      if (typeof stderr === "string") expect(r.stderr).toBe(stderr);
      else expect(r.stderr).toMatch(stderr);
      expect(r.status).toBe(status);
      return r;
    };
    await step(["generate", "Add users"], 1, "error: Migration name must contain only lowercase letters, digits, and underscores\n");
    await step(["status"], 1, "error: meshc migrate: DATABASE_URL environment variable is required\n", { unset: true });
    const gen = await step(["generate", "add_users"], 0, /^Created migration: migrations\/(\d{14})_add_users\.mpl\n$/);
    const v = /(\d{14})/.exec(gen.stderr)![1]!;
    const text = fs.readFileSync(path.join(P, "migrations", `${v}_add_users.mpl`), "utf8");
    expect(text.startsWith(`# Migration: add_users\n# Generated: ${v}\n`)).toBe(true);
    expect(text.endsWith("\n")).toBe(true);
    await step([], 0, `Running 1 pending migration(s):\n  Applying: ${v}_add_users\n  Applied:  ${v}_add_users\nApplied 1 migration(s)\n`);
    await step(["up"], 0, "No pending migrations\n");
    await step(["status"], 0, `Migration Status:\n  [x] ${v}_add_users\n1 applied, 0 pending\n`);
    await step(["down"], 0, `Rolling back: ${v}_add_users\nRolled back: ${v}_add_users\n`);
    await step(["down"], 0, "No migrations to roll back\n");
    fs.writeFileSync(
      path.join(P, "migrations", "20990101000000_broken.mpl"),
      'pub fn up(pool :: PoolHandle) -> Int!String do\n  Err("nope")\nend\n\npub fn down(pool :: PoolHandle) -> Int!String do\n  Ok(0)\nend\n',
    );
    await step(
      ["up"],
      1,
      `Running 2 pending migration(s):\n  Applying: ${v}_add_users\n  Applied:  ${v}_add_users\n  Applying: 20990101000000_broken\nerror: Migration 20990101000000_broken failed: nope\n`,
    );
    await step(["status"], 0, `Migration Status:\n  [x] ${v}_add_users\n  [ ] 20990101000000_broken\n1 applied, 1 pending\n`);
    fs.rmSync(root, { recursive: true, force: true });
  }, 600_000); // ~16 database opens; each embedded one takes seconds on a busy 2-core machine
}

describe("meshc migrate", () => {
  it("usage errors exit 2; a migration that does not compile is reported with its diagnostics", async () => {
    expect((await meshc(["migrate", "up", "somedir"])).status).toBe(2);
    expect((await meshc(["migrate", ".", "sideways"])).status).toBe(2);
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "meshc-migrate-test-"));
    fs.mkdirSync(path.join(root, "migrations"));
    fs.writeFileSync(path.join(root, "migrations", "1_bad.mpl"), "pub fn up(pool :: PoolHandle) -> Int!String do\n  Ok(nope)\nend\n");
    fs.writeFileSync(path.join(root, "migrations", "notes.txt"), "ignored\n");
    const db = `pglite:${path.join(root, "db")}`;
    const r = await meshc(["migrate", root], { env: { DATABASE_URL: db }, timeout: 120_000 });
    expect(r.stderr).toMatch(/^Running 1 pending migration\(s\):\n  Applying: 1_bad\nerror: Failed to compile migration 1_bad: error\[E\d{4}\]/);
    expect(r.status).toBe(1);
    const mem = await meshc(["migrate", root, "status"], { env: { DATABASE_URL: "pglite:memory" } });
    expect(mem.stderr).toMatch(/^error: meshc migrate needs a database that outlives one process/);
    fs.rmSync(root, { recursive: true, force: true });
  });

  describe("on a persistent embedded database", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "meshc-migrate-db-"));
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
    scenario(() => `pglite:${dir}`);
  });

  describe.skipIf(!REAL)("on a real PostgreSQL (DATABASE_URL)", () => {
    const schema = `mesh_migrate_${RUN}`;
    let admin: pg.Client;
    beforeAll(async () => {
      admin = new pg.Client({ connectionString: REAL });
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${schema}`);
    });
    afterAll(async () => {
      if (!admin) return;
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await admin.end();
    });
    scenario(() => `${REAL}${REAL.includes("?") ? "&" : "?"}options=${encodeURIComponent(`-c search_path=${schema}`)}`);
  });
});
