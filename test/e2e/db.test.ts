// Appendix B3/B4 of stdlib.md and further database behaviour, from compiled Mesh programs. Every
// scenario runs on the embedded database (PGlite: the empty URL) and, when DATABASE_URL is set
// (CI: scripts/ci-postgres.sh), also on that real PostgreSQL server, inside a schema of its own
// (search_path set through the URL's `options`), so reruns and parallel runs never collide.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import {
  HTTP_READY, REAL_DATABASE_URL, RUN_ID, buildProgram, get, runProgram, sleep, startServer, stopAll, withTimeout, withUrlParams, type Server,
} from "./harness.js";

afterAll(stopAll);

const B3_OUT = `created 0, inserted 2
alpha stars=5 pinned=f note=[first]
beta stars=3 pinned=t note=[]
dup: 23505|spec_notes_title_key|spec_notes|
updated 2
n=2 total=10 price=1.50 nothing=[]
[n, total, price, nothing, ?column?]
done
`;

const B4_OUT = `balance 70
second checkout: pool checkout timeout
done
`;

const FEATURES_OUT = `inserted 5 unicode names
[Zoë 😀] server length=5 mesh length=5 bytes=9
[quote ' and " and \\] server length=19 mesh length=19 bytes=19
[tab\there] server length=8 mesh length=8 bytes=8
[Ωmega] server length=5 mesh length=5 bytes=6
[李雷] server length=2 mesh length=2 bytes=6
lookup by unicode name: 1
server concat: straße ñ✓, equal to the literal: t
generated uuid groups [8, 4, 4, 4, 12], lowercase true
found by uuid: uuid person
uppercase parameter matches, server text lowercase: true
fixed uuid: a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11
bad uuid: 22P02||||invalid input syntax for type uuid: "not-a-uuid"
jsonb text: {"n": 1, "tags": ["a", "é"], "nested": {"ok": true, "none": null}}
n=1 tag=é ok=t none=[] kind=array
re-encoded by Mesh: {"n":1,"nested":{"none":null,"ok":true},"tags":["a","é"]}
containment matches: [json person]
built: {"k": "x\\"y", "v": 7}
bad json: 22P02
no nick: nickname=[] is_null=t shown=<null>
empty nick: nickname=[] is_null=f shown=
aggregate over no rows: [] keys [m]
no rows: 0
keys [t, f, big, neg, num, half, huge, arr, tarr, ts, d, iv, a, b]
values [t, f, 42, -7, 1.50, 0.5, 1e+20, {1,2,3}, {"a b",c}, 2025-03-01 10:15:00.123456, 2025-03-01, 1 day 02:00:00, 3, 2]
row: Zoë 😀 age=30 score=9.5 active=false nickname=Some(Zo)
row: Ωmega age=30 score=0 active=true nickname=None
row error: cannot parse 'old' as Int
row error: cannot parse 'maybe' as Bool
row: z age=4 score=0.25 active=false nickname=None
row error: missing column: score
query_as error: 42703
' OR '1'='1 matches 0 rows
stored verbatim: true
injected integer: 22P02
LIKE with quote matches 0
table intact: before Some(10) after Some(11)
accounts 2: ann=100 bob=50
commit: Ok(()) -> ann=70 bob=80
body Err: Err(changed my mind) -> ann=70 bob=80
SQL error inside: 23514 -> ann=70 bob=80
panic inside: Err(transaction aborted: panic in callback) -> ann=70 bob=80
statement error inside: true
commit of a failed block: Err(COMMIT: current transaction was aborted and has been rolled back) -> ann=70 bob=80
Pg.connect sees 2 accounts
Pg.transaction: Ok(())
row counts [Ok(3), Ok(2), Ok(1), Ok(0)]
in block: 23505
after an error in the block: 25P02
after rollback: 1
begin twice: Ok(()) true
after close: Err(connection is closed)
undefined table: 42P01\t\t\t\trelation "feat_nope" does not exist
parameter count mismatch: 08P01
check violation: 23514|feat_accounts_balance_check|feat_accounts
not null: 23502||feat_people|age
syntax: 42601
division: 22012\t\t\t\tdivision by zero
pool after errors: still fine
pool open: URL must start with postgres:// or postgresql://
URL missing '@' separator
invalid port: 99999
20 concurrent jobs on one pool: sum 420
done
`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Variant {
  /** the URL handed to the Mesh program */
  url: string;
  real: boolean;
  /** application_name of the program's sessions (real server only) */
  app: string;
}

function scenarios(name: string, variant: () => Variant) {
  describe(name, () => {
    it("B3: pool queries, text values, NULL and error strings", async () => {
      const r = await runProgram(await buildProgram("b3_pool_queries"), { SPEC_DATABASE_URL: variant().url });
      expect(r.stdout).toBe(B3_OUT);
      expect(r.status, r.stderr).toBe(0);
    });

    it("B4: checkout, explicit transactions, rollback on checkin, checkout timeout", async () => {
      const r = await runProgram(await buildProgram("b4_checkout_tx"), { SPEC_DATABASE_URL: variant().url });
      expect(r.stdout).toBe(B4_OUT);
      expect(r.status, r.stderr).toBe(0);
    });

    it("unicode, uuid, jsonb, NULLs, text forms, deriving(Row), injection, transactions, Pg.*, error strings", async () => {
      const r = await runProgram(await buildProgram("db_features"), { DATABASE: variant().url });
      expect(r.stdout).toBe(FEATURES_OUT);
      expect(r.status, r.stderr).toBe(0);
      // the panicking transaction body logs one line; nothing else goes to stderr
      expect(r.stderr.split("\n").filter((l) => l !== "")).toEqual([expect.stringContaining("panic in transaction callback")]);
    });

    describe("an HTTP API over the pool", () => {
      let srv: Server;
      beforeAll(async () => {
        srv = await startServer(await buildProgram("db_api"), { ready: HTTP_READY, env: { DATABASE: variant().url } });
      });
      afterAll(() => srv?.stop());

      const post = (body: string) => get(srv.port, "/notes", { method: "POST", body, headers: { "content-type": "application/json" } });
      let firstId = "";

      it("creates and reads notes (unicode, jsonb normalised by the server)", async () => {
        const r = await post(JSON.stringify({ title: "Grüße 😀", tags: ["a", "ü"], n: 1.5 }));
        expect(r.status).toBe(201);
        firstId = (JSON.parse(r.body) as { id: string }).id;
        expect(firstId).toMatch(UUID);
        expect(Object.keys(JSON.parse(r.body))).toEqual(["id"]);
        const g = await get(srv.port, `/notes/${firstId}`);
        expect(g.status).toBe(200);
        expect(g.body).toBe(`{"id":"${firstId}","title":"Grüße 😀","doc":{"n": 1.5, "tags": ["a", "ü"], "title": "Grüße 😀"}}`);
        const upper = await get(srv.port, `/notes/${firstId.toUpperCase()}`);
        expect(upper.body).toBe(g.body);
        const byTitle = await get(srv.port, `/notes?title=${encodeURIComponent("Grüße 😀")}`);
        expect([byTitle.status, byTitle.body]).toEqual([200, `[${g.body}]`]);
      });

      it("maps database errors to statuses with the exact error strings", async () => {
        let r = await post(JSON.stringify({ title: "Grüße 😀" }));
        expect([r.status, r.body]).toEqual([
          409,
          JSON.stringify({ error: '23505\tapi_notes_title_key\tapi_notes\t\tduplicate key value violates unique constraint "api_notes_title_key"' }),
        ]);
        r = await get(srv.port, "/notes/not-a-uuid");
        expect([r.status, r.body]).toEqual([400, JSON.stringify({ error: '22P02\t\t\t\tinvalid input syntax for type uuid: "not-a-uuid"' })]);
        r = await get(srv.port, "/notes/00000000-0000-4000-8000-000000000000");
        expect([r.status, r.body]).toEqual([404, '{"error":"no such note"}']);
        r = await post("{not json");
        expect([r.status, r.body]).toEqual([400, '{"error":"invalid JSON"}']);
        r = await post('{"tags":[]}');
        expect([r.status, r.body]).toEqual([422, '{"error":"title is required"}']);
        r = await post('{"title":7}');
        expect([r.status, r.body]).toEqual([422, '{"error":"title must be a string"}']);
      });

      it("SQL injection through parameters stays data", async () => {
        const evil = "x'); DROP TABLE api_notes; --";
        let r = await post(JSON.stringify({ title: evil }));
        expect(r.status).toBe(201);
        r = await get(srv.port, `/notes?title=${encodeURIComponent("' OR '1'='1")}`);
        expect([r.status, r.body]).toEqual([200, "[]"]);
        r = await get(srv.port, `/notes?title=${encodeURIComponent(evil)}`);
        expect(r.status).toBe(200);
        expect((JSON.parse(r.body) as { title: string }[]).map((n) => n.title)).toEqual([evil]);
        r = await get(srv.port, `/notes/${encodeURIComponent("x'::uuid OR true --")}`);
        expect(r.status).toBe(400);
        r = await get(srv.port, "/count");
        expect([r.status, r.body]).toEqual([200, '{"notes":2,"log":0}']);
      });

      it("a transaction in a handler commits, and rolls back its log row when the body returns Err", async () => {
        let r = await get(srv.port, `/notes/${firstId}`, { method: "DELETE" });
        expect([r.status, r.body]).toEqual([204, ""]);
        r = await get(srv.port, `/notes/${firstId}`, { method: "DELETE" });
        expect([r.status, r.body]).toEqual([404, '{"error":"no such note"}']);
        r = await get(srv.port, "/count");
        expect(r.body).toBe('{"notes":1,"log":1}'); // the failed delete's log row was rolled back
      });

      it("serves 40 concurrent inserting requests through a pool of 2", async () => {
        const rs = await Promise.all(Array.from({ length: 40 }, (_, i) => post(JSON.stringify({ title: `bulk ${i}`, i }))));
        for (const r of rs) expect(r.status, r.body).toBe(201);
        expect(new Set(rs.map((r) => r.body)).size).toBe(40);
        const c = await get(srv.port, "/count");
        expect(c.body).toBe('{"notes":41,"log":1}');
        expect(srv.alive).toBe(true);
      });

      it("a handler that panics inside a checked-out transaction: 500, and the pool takes the connection back", async () => {
        const before = srv.stderr.lines.length;
        // three times: more than the pool's 2 connections, so leaked ones would exhaust it
        for (let i = 0; i < 3; i++) {
          const r = await get(srv.port, "/crash-in-transaction", { method: "POST" });
          expect([r.status, r.body]).toEqual([500, "Internal Server Error"]);
        }
        await srv.waitStderrLines(before + 3);
        expect(srv.stderr.lines.slice(before).every((l) => l.includes("handler crashed inside a transaction"))).toBe(true);
        // the abandoned transactions locked every note: deleting one needs them rolled back
        const found = await get(srv.port, `/notes?title=${encodeURIComponent("bulk 7")}`);
        const id = (JSON.parse(found.body) as { id: string }[])[0]!.id;
        const del = await get(srv.port, `/notes/${id}`, { method: "DELETE" }, 15_000);
        expect([del.status, del.body]).toEqual([204, ""]);
        const c = await get(srv.port, "/count");
        expect(c.body).toBe('{"notes":40,"log":2}'); // no "never committed" rows
      });

      it.skipIf(!variant().real)("a dropped connection (pg_terminate_backend) is reported as an error and the pool recovers (real server only: PGlite has one backend)", async () => {
        const side = new pg.Client({ connectionString: REAL_DATABASE_URL });
        await side.connect();
        try {
          const app = variant().app;
          // in flight: terminate the backend running the request's query
          const slow = get(srv.port, "/sleep?s=30", {}, 20_000);
          let pid: number | null = null;
          await withTimeout(
            (async () => {
              while (pid === null) {
                const r = await side.query("SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND state = 'active' AND query LIKE '%pg_sleep%'", [app]);
                if (r.rows.length > 0) pid = (r.rows[0] as { pid: number }).pid;
                else await sleep(50);
              }
            })(),
            10_000,
            "the request's pg_sleep to show up in pg_stat_activity",
          );
          const killed = await side.query("SELECT pg_terminate_backend($1::int) AS ok", [pid]);
          expect((killed.rows[0] as { ok: boolean }).ok).toBe(true);
          const r = await slow;
          expect([r.status, r.body]).toEqual([503, JSON.stringify({ error: "57P01\t\t\t\tterminating connection due to administrator command" })]);
          for (let i = 0; i < 3; i++) expect((await get(srv.port, "/count")).body).toBe('{"notes":40,"log":2}');

          // idle: terminate every session of the pool; the next checkouts discard them and reconnect
          await side.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", [app]);
          await withTimeout(
            (async () => {
              while ((await side.query("SELECT 1 FROM pg_stat_activity WHERE application_name = $1", [app])).rows.length > 0) await sleep(50);
            })(),
            10_000,
            "the terminated sessions to go away",
          );
          await sleep(300); // let the program's client see the closed sockets
          const rs = await Promise.all(Array.from({ length: 4 }, () => get(srv.port, "/count")));
          for (const x of rs) expect([x.status, x.body]).toEqual([200, '{"notes":40,"log":2}']);
          const sessions = await side.query("SELECT pid FROM pg_stat_activity WHERE application_name = $1", [app]);
          expect(sessions.rows.length).toBeGreaterThanOrEqual(1);
          expect(sessions.rows.length).toBeLessThanOrEqual(2); // max = 2: nothing leaked
          expect((sessions.rows as { pid: number }[]).map((x) => x.pid)).not.toContain(pid);
        } finally {
          await side.end();
        }
      });
    });
  });
}

scenarios("embedded database (PGlite, empty URL)", () => ({ url: "", real: false, app: "" }));

describe("without a database", () => {
  it("the shared harness reports a missing SPEC_DATABASE_URL", async () => {
    const r = await runProgram(await buildProgram("b3_pool_queries"), {}, { unsetEnv: ["SPEC_DATABASE_URL"] });
    expect([r.stdout, r.status]).toEqual(["SPEC_DATABASE_URL not set\n", 0]);
  });

  it("an unreachable server is an Err string, not a crash (pool min 0: the first checkout fails)", async () => {
    const r = await runProgram(await buildProgram("b3_pool_queries"), { SPEC_DATABASE_URL: "postgres://nobody:pw@127.0.0.1:1/none" });
    expect(r.stdout).toMatch(/^failed: pool connect: .*ECONNREFUSED.*\n$/);
    expect(r.status).toBe(0);
  });
});

const realVariant: Variant = { url: "", real: true, app: `mesh_e2e_${RUN_ID}` };
const schema = `mesh_e2e_${RUN_ID}`;

describe.skipIf(!REAL_DATABASE_URL)(
  REAL_DATABASE_URL ? "real PostgreSQL (DATABASE_URL)" : "real PostgreSQL (skipped: DATABASE_URL is not set; eval \"$(bash scripts/ci-postgres.sh)\" to run it)",
  () => {
    let admin: pg.Client;
    beforeAll(async () => {
      admin = new pg.Client({ connectionString: REAL_DATABASE_URL });
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${schema}`);
      realVariant.url = withUrlParams(REAL_DATABASE_URL, { options: `-c search_path=${schema}`, application_name: realVariant.app });
    });
    afterAll(async () => {
      if (!admin) return;
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await admin.end();
    });

    it("the programs' tables land in this run's schema", async () => {
      const r = await runProgram(await buildProgram("b3_pool_queries"), { SPEC_DATABASE_URL: realVariant.url });
      expect(r.stdout).toBe(B3_OUT);
      const t = await admin.query("SELECT table_schema FROM information_schema.tables WHERE table_name = 'spec_notes' AND table_schema = $1", [schema]);
      expect(t.rows).toEqual([{ table_schema: schema }]);
    });

    scenarios("scenarios", () => realVariant);
  },
);
