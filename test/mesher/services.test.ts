// Mesher periodic services (mesher.md §6.7, §6.8, §3.4) on the real PostgreSQL: the retention
// cleaner deletes events older than the project's retention and drops partitions older than 90
// days (only children of `events` with the exact name pattern); partitions are created on demand
// for a day that has none; the health checker reports; the uuidv7() fallback exists on servers
// before 18. Old rows are written straight into the database because the API never backdates.
import { afterAll, describe, expect, it } from "vitest";
import pg from "pg";
import { bootstrap, buildMesher, eventually, startMesher, stopAllMeshers } from "./harness.js";

const DATABASE_URL = process.env.DATABASE_URL || "";
const RUN = `${process.pid}_${Date.now().toString(36)}`;

afterAll(async () => {
  await stopAllMeshers();
}, 60_000);

describe.skipIf(!DATABASE_URL)("retention, partitions and health on PostgreSQL", () => {
  it("deletes expired events, drops old partitions only, and reports health", async () => {
    await buildMesher();
    const schema = `mesher_services_${RUN}`;
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.query(`SET search_path = ${schema}, public`);
    const u = new URL(DATABASE_URL);
    u.searchParams.set("options", `-c search_path=${schema},public`);
    const env = { MESHER_DATABASE_URL: u.toString(), MESHER_HEALTH_INTERVAL_MS: "1000" };

    // first start: schema, 7 partitions ahead, one project with an event of today
    const a = await startMesher({ env, readyTimeoutMs: 60_000 });
    const p = await bootstrap(a);
    // a missing partition is created on demand by the writer (§3.4): drop today's before the event
    const todayPart = (await client.query("SELECT 'events_' || to_char((now() AT TIME ZONE 'UTC')::date, 'YYYYMMDD') AS name")).rows[0].name;
    await client.query(`DROP TABLE ${todayPart}`);
    const today = await a.ingest(p.key, { message: "fresh" });
    expect(today.status).toBe(202);
    await a.waitLine("[Mesher] Health check: all services responsive", 5000);
    await eventually(async () => (await client.query("SELECT count(*)::int AS n FROM events")).rows[0].n === 1, 15_000, "today's event stored");
    const parts = await client.query("SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'events'::regclass ORDER BY 1");
    expect(parts.rows.length).toBe(7);
    expect(parts.rows.map((r: any) => r.name)).toContain(todayPart);
    expect(parts.rows.every((r: any) => /^events_\d{8}$/.test(r.name))).toBe(true);
    expect(a.stdout.lines.some((l) => l.includes("Dropping batch") || l.includes("Flush failed"))).toBe(false);
    await a.stop(30_000);

    // backdated data: an event 3 days old in a partition made for it, a 100-day-old partition with
    // an event, and a look-alike table that is not a partition of events
    const old = await client.query(
      "SELECT 'events_' || to_char(d, 'YYYYMMDD') AS name, to_char(d, 'YYYY-MM-DD') AS d0, to_char(d + 1, 'YYYY-MM-DD') AS d1 FROM (SELECT (now() AT TIME ZONE 'UTC')::date - 100 AS d) x",
    );
    const { name: oldName, d0, d1 } = old.rows[0];
    await client.query(`CREATE TABLE ${oldName} PARTITION OF events FOR VALUES FROM ('${d0} 00:00:00+00') TO ('${d1} 00:00:00+00')`);
    await client.query("CREATE TABLE events_19990101 (x int)");
    const issue = (await client.query("SELECT id FROM issues LIMIT 1")).rows[0].id;
    const insertOld = (days: number) =>
      client.query(
        "INSERT INTO events (id, project_id, issue_id, level, message, fingerprint, received_at) VALUES (gen_random_uuid(), $1, $2, 'error', 'old', 'msg:old', now() - make_interval(days => $3))",
        [p.projectId, issue, days],
      );
    const three = await client.query(
      "SELECT 'events_' || to_char(d, 'YYYYMMDD') AS name, to_char(d, 'YYYY-MM-DD') AS d0, to_char(d + 1, 'YYYY-MM-DD') AS d1 FROM (SELECT (now() AT TIME ZONE 'UTC' - interval '3 days')::date AS d) x",
    );
    await client.query(`CREATE TABLE ${three.rows[0].name} PARTITION OF events FOR VALUES FROM ('${three.rows[0].d0} 00:00:00+00') TO ('${three.rows[0].d1} 00:00:00+00')`);
    await insertOld(3);
    await insertOld(100);
    await client.query("UPDATE projects SET retention_days = 2 WHERE id = $1", [p.projectId]);

    // second start with a 1 s retention interval
    const b = await startMesher({ env: { ...env, MESHER_RETENTION_INTERVAL_MS: "1500" }, readyTimeoutMs: 60_000 });
    await b.waitLine(`[Mesher] Dropped expired partition: ${oldName}`, 10_000);
    await b.waitLine("[Mesher] Retention cleanup: deleted 2 expired events", 10_000);
    const left = await client.query("SELECT message FROM events");
    expect(left.rows.map((r: any) => r.message)).toEqual(["fresh"]);
    const still = await client.query("SELECT to_regclass('events_19990101') IS NOT NULL AS kept, to_regclass($1) IS NULL AS dropped", [oldName]);
    expect(still.rows[0]).toEqual({ kept: true, dropped: true });
    // the issue keeps its count and timestamps (§6.7)
    expect((await client.query("SELECT event_count FROM issues WHERE id = $1", [issue])).rows[0].event_count).toBe(1);
    expect(b.stdout.lines.filter((l) => l.startsWith("[Mesher] Dropped expired partition:"))).toEqual([`[Mesher] Dropped expired partition: ${oldName}`]);
    // the next run finds nothing more
    await b.waitLine("[Mesher] Retention cleanup: deleted 0 expired events", 10_000);
    // on a server before PostgreSQL 18 the schema bootstrap provided uuidv7()
    const v = await client.query("SELECT uuidv7()::text AS id");
    expect(v.rows[0].id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    await b.stop(30_000);
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }, 180_000);
});
