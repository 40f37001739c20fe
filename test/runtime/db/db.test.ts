// Database runtime (stdlib.md §21, §22, §28, Appendix B3/B4): the same suite runs on the embedded
// database (PGlite, always) and on a real PostgreSQL server when DATABASE_URL or
// MESH_TEST_DATABASE_URL is set (scripts/ci-postgres.sh starts one). All calls run inside processes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Pg, Pool, PgConn, PoolHandle } from "../../../runtime/db/index.js";
import { Err, Ok, type Result } from "../../../runtime/core/builtin-types.js";
import { List } from "../../../runtime/core/list.js";
import type { MeshMap } from "../../../runtime/core/map.js";
import { MeshPanic, awaitPromise } from "../../../runtime/sched/index.js";
import { installScheduler, inProcess } from "../web/harness.js";

const REAL_URL = process.env.MESH_TEST_DATABASE_URL || process.env.DATABASE_URL || "";
const L = (...xs: string[]) => List.fromArray(xs);
type Row = MeshMap<string, string>;
type Rows = List<Row>;

function ok<T>(r: Result<T, string>): T {
  if (r instanceof Err) throw new Error(`expected Ok, got Err(${JSON.stringify(r._0)})`);
  return (r as Ok<T>)._0;
}
function err(r: Result<unknown, string>): string {
  if (r instanceof Ok) throw new Error(`expected Err, got Ok(${String(r._0)})`);
  return (r as Err<string>)._0;
}
const obj = (row: Row) => Object.fromEntries(row.pairs());
const objs = (rows: Rows) => rows.toArray().map(obj);

const run = <T>(f: () => Generator<unknown, T, unknown>) => inProcess(f);
const suffix = `${process.pid}_${Date.now() % 100000}`;

let cap: ReturnType<typeof installScheduler>;
beforeAll(() => {
  cap = installScheduler();
});

function suite(name: string, url: string) {
  describe(name, () => {
    let pool: PoolHandle;
    const T = (base: string) => `${base}_${suffix}`;

    beforeAll(async () => {
      pool = ok(await run(() => Pool.open(url, 1, 4, 2000)));
    }, 60_000);
    afterAll(async () => {
      for (const t of ["notes", "wallet", "types", "inj", "conc"]) await run(() => Pool.execute(pool, `DROP TABLE IF EXISTS ${T(t)}`, L()));
      await run(() => Pool.close(pool));
    });

    it("B3: pool queries, text values, NULL and error strings", async () => {
      const t = T("notes");
      const out = await run(function* () {
        const lines: string[] = [];
        ok(yield* Pool.execute(pool, `DROP TABLE IF EXISTS ${t}`, L()));
        const created = ok(yield* Pool.execute(pool, `CREATE TABLE ${t} (id SERIAL PRIMARY KEY, title TEXT UNIQUE NOT NULL, stars INT, pinned BOOLEAN NOT NULL DEFAULT false, note TEXT)`, L()));
        const n1 = ok(yield* Pool.execute(pool, `INSERT INTO ${t} (title, stars, note) VALUES ($1, $2::int, $3)`, L("alpha", "5", "first")));
        const n2 = ok(yield* Pool.execute(pool, `INSERT INTO ${t} (title, stars, pinned) VALUES ($1, $2::int, $3::boolean)`, L("beta", "3", "true")));
        lines.push(`created ${created}, inserted ${n1 + n2}`);
        const rows = ok(yield* Pool.query(pool, `SELECT title, stars, pinned, note FROM ${t} ORDER BY id`, L()));
        for (const r of rows) lines.push(`${r.at("title")} stars=${r.at("stars")} pinned=${r.at("pinned")} note=[${r.at("note")}]`);
        const dup = err(yield* Pool.execute(pool, `INSERT INTO ${t} (title) VALUES ($1)`, L("alpha")));
        lines.push("dup: " + dup.split("\t").slice(0, 4).join("|"));
        lines.push(`updated ${ok(yield* Pool.execute(pool, `UPDATE ${t} SET stars = stars + 1 WHERE stars >= $1::int`, L("3")))}`);
        const agg = ok(yield* Pool.query(pool, `SELECT count(*) AS n, sum(stars) AS total, 1.50::numeric AS price, NULL::text AS nothing, 1 FROM ${t}`, L()));
        const row = agg.head();
        lines.push(`n=${row.at("n")} total=${row.at("total")} price=${row.at("price")} nothing=[${row.at("nothing")}]`);
        lines.push(`[${row.keys().toArray().join(", ")}]`);
        return lines;
      });
      expect(out).toEqual([
        "created 0, inserted 2",
        "alpha stars=5 pinned=f note=[first]",
        "beta stars=3 pinned=t note=[]",
        `dup: 23505|${t}_title_key|${t}|`,
        "updated 2",
        "n=2 total=10 price=1.50 nothing=[]",
        "[n, total, price, nothing, ?column?]",
      ]);
    });

    it("B4: checkout, explicit transactions, rollback on checkin, checkout timeout", async () => {
      const t = T("wallet");
      const single = ok(await run(() => Pool.open(url, 0, 1, 200)));
      const out = await run(function* () {
        const lines: string[] = [];
        const balance = function* () {
          const r = yield* Pool.query(single, `SELECT balance::text AS b FROM ${t}`, L());
          return r instanceof Ok ? (r._0 as Rows).head().at("b") : err(r);
        };
        ok(yield* Pool.execute(single, `DROP TABLE IF EXISTS ${t}`, L()));
        ok(yield* Pool.execute(single, `CREATE TABLE ${t} (name TEXT PRIMARY KEY, balance INT NOT NULL)`, L()));
        ok(yield* Pool.execute(single, `INSERT INTO ${t} VALUES ('ann', 100)`, L()));
        const conn = ok(yield* Pool.checkout(single));
        ok(yield* Pg.begin(conn));
        ok(yield* Pg.execute(conn, `UPDATE ${t} SET balance = balance - $1::int`, L("30")));
        ok(yield* Pg.commit(conn));
        ok(yield* Pg.begin(conn));
        ok(yield* Pg.execute(conn, `UPDATE ${t} SET balance = 0`, L()));
        ok(yield* Pg.rollback(conn));
        ok(yield* Pg.begin(conn));
        ok(yield* Pg.execute(conn, `UPDATE ${t} SET balance = -1`, L()));
        yield* Pool.checkin(single, conn);
        lines.push(`balance ${yield* balance()}`);
        // the handle is dead after checkin
        lines.push(`after checkin: ${err(yield* Pg.query(conn, "SELECT 1", L()))}`);
        const held = ok(yield* Pool.checkout(single));
        const t0 = Date.now();
        const again = yield* Pool.checkout(single);
        lines.push(`second checkout: ${err(again)} after ${Date.now() - t0 >= 190 ? "~200ms" : `${Date.now() - t0}ms`}`);
        yield* Pool.checkin(single, held);
        return lines;
      });
      expect(out).toEqual(["balance 70", "after checkin: connection is closed", "second checkout: pool checkout timeout after ~200ms"]);
      await run(() => Pool.close(single));
    });

    it("values arrive in PostgreSQL text format", async () => {
      const t = T("types");
      const rows = await run(function* () {
        ok(yield* Pool.execute(pool, `DROP TABLE IF EXISTS ${t}`, L()));
        ok(yield* Pool.execute(pool, `CREATE TABLE ${t} (id uuid PRIMARY KEY, at timestamptz, d date, iv interval, b boolean, n numeric, f float8, r real, j json, jb jsonb, a int[], big bigint, txt text)`, L()));
        ok(
          yield* Pool.execute(
            pool,
            `INSERT INTO ${t} VALUES ($1::uuid, $2::timestamptz, $3::date, $4::interval, $5::boolean, $6::numeric, $7::float8, $8::real, $9::json, $10::jsonb, $11::int[], $12::bigint, $13)`,
            L(
              "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11",
              "2025-03-01 10:15:00.123456+00",
              "2025-03-01",
              "1 day 02:03:04",
              "false",
              "1.50",
              "0.1",
              "1e20",
              '{"b":1,  "a":[1,2]}',
              '{"b":1,  "a":[1,2]}',
              "{1,2,3}",
              "9007199254740993",
              "héllo ✓ 😀 中文",
            ),
          ),
        );
        return ok(yield* Pool.query(pool, `SELECT * FROM ${t}`, L()));
      });
      const r = objs(rows)[0];
      // session time zone may differ between pool connections: compare the instant separately
      expect(r.at.startsWith("2025-03-01")).toBe(true);
      expect({ ...r, at: undefined }).toEqual({
        id: "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
        at: undefined,
        d: "2025-03-01",
        iv: "1 day 02:03:04",
        b: "f",
        n: "1.50",
        f: "0.1",
        r: "1e+20",
        j: '{"b":1,  "a":[1,2]}',
        jb: '{"a": [1, 2], "b": 1}',
        a: "{1,2,3}",
        big: "9007199254740993",
        txt: "héllo ✓ 😀 中文",
      });
      const utc = await run(function* () {
        const c = ok(yield* Pool.checkout(pool));
        ok(yield* Pg.execute(c, "SET TIME ZONE 'UTC'", L()));
        const rs = ok(yield* Pg.query(c, `SELECT at, at::date AS day, '2025-03-01 10:15:00+02'::timestamptz AS t2 FROM ${t}`, L()));
        ok(yield* Pg.execute(c, "RESET TIME ZONE", L()));
        yield* Pool.checkin(pool, c);
        return objs(rs)[0];
      });
      expect(utc).toEqual({ at: "2025-03-01 10:15:00.123456+00", day: "2025-03-01", t2: "2025-03-01 08:15:00+00" });
    });

    it("NULLs, empty strings, duplicate column names, unnamed columns", async () => {
      const rows = await run(() => Pool.query(pool, "SELECT NULL AS a, '' AS b, 1 AS x, 2 AS x, 'z' AS c, count(*) FROM (SELECT 1) s", L()));
      const row = ok(rows).head();
      expect(row.pairs()).toEqual([
        ["a", ""],
        ["b", ""],
        ["x", "2"],
        ["c", "z"],
        ["count", "1"],
      ]);
      expect(ok(await run(() => Pool.query(pool, "SELECT 1 WHERE false", L()))).length).toBe(0);
    });

    it("parameters are data, never SQL", async () => {
      const t = T("inj");
      const evil = ["x'); DROP TABLE " + t + "; --", "' OR '1'='1", "$1", "\\'; SELECT pg_sleep(1); --", "NULL"];
      const got = await run(function* () {
        ok(yield* Pool.execute(pool, `DROP TABLE IF EXISTS ${t}`, L()));
        ok(yield* Pool.execute(pool, `CREATE TABLE ${t} (v text)`, L()));
        for (const e of evil) ok(yield* Pool.execute(pool, `INSERT INTO ${t} (v) VALUES ($1)`, L(e)));
        const none = ok(yield* Pool.query(pool, `SELECT v FROM ${t} WHERE v = $1`, L("' OR '1'='1' --")));
        const all = ok(yield* Pool.query(pool, `SELECT v FROM ${t} ORDER BY v`, L()));
        const same = ok(yield* Pool.query(pool, `SELECT $1 AS a, $1 || $2 AS b`, L("x", "y")));
        return { none: none.length, all: all.toArray().map((r) => r.at("v")), same: obj(same.head()) };
      });
      expect(got.none).toBe(0);
      expect(got.all.sort()).toEqual([...evil].sort());
      expect(got.same).toEqual({ a: "x", b: "xy" });
    });

    it("execute counts come from the command tag; errors are SQLSTATE-tab strings", async () => {
      const got = await run(function* () {
        const sel = ok(yield* Pool.execute(pool, "SELECT * FROM generate_series(1, 5)", L()));
        const syntax = err(yield* Pool.query(pool, "SELEC 1", L()));
        const div = err(yield* Pool.query(pool, "SELECT 1 / $1::int", L("0")));
        const arity = err(yield* Pool.query(pool, "SELECT $1::int + $2::int", L("1")));
        const multi = err(yield* Pool.query(pool, "SELECT 1; SELECT 2", L()));
        const missing = err(yield* Pool.query(pool, "SELECT * FROM no_such_table_xyz", L()));
        return { sel, syntax, div, arity, multi, missing };
      });
      expect(got.sel).toBe(5);
      expect(got.syntax).toBe('42601\t\t\t\tsyntax error at or near "SELEC"');
      expect(got.div).toBe("22012\t\t\t\tdivision by zero");
      expect(got.arity.split("\t")[0]).toBe("08P01");
      expect(got.multi.split("\t")[0]).toBe("42601");
      expect(got.missing).toBe('42P01\t\t\t\trelation "no_such_table_xyz" does not exist');
    });

    it("Pg.transaction: commit on Ok, rollback on Err, rollback on panic, query_as", async () => {
      const t = T("wallet") + "_tx";
      const got = await run(function* () {
        const c = ok(yield* Pool.checkout(pool));
        ok(yield* Pg.execute(c, `DROP TABLE IF EXISTS ${t}`, L()));
        ok(yield* Pg.execute(c, `CREATE TABLE ${t} (n int)`, L()));
        const committed = yield* Pg.transaction(c, function* (tx: PgConn) {
          ok(yield* Pg.execute(tx, `INSERT INTO ${t} VALUES (1)`, L()));
          return new Ok(undefined);
        });
        const failed = yield* Pg.transaction(c, function* (tx: PgConn) {
          ok(yield* Pg.execute(tx, `INSERT INTO ${t} VALUES (2)`, L()));
          return new Err("nope");
        });
        const panicked = yield* Pg.transaction(c, function* (tx: PgConn) {
          ok(yield* Pg.execute(tx, `INSERT INTO ${t} VALUES (3)`, L()));
          throw new MeshPanic("boom");
        });
        const aborted = yield* Pg.transaction(c, function* (tx: PgConn) {
          yield* Pg.execute(tx, `INSERT INTO ${t} VALUES ('x')`, L());
          return new Ok(undefined);
        });
        const pooled = yield* Pool.transaction(pool, (tx: PgConn) => {
          void tx;
          return new Err("plain body");
        });
        const rows = ok(yield* Pg.query_as(c, `SELECT n FROM ${t} UNION ALL SELECT -1 ORDER BY 1`, L(), (row: Row) => (Number(row.at("n")) > 0 ? new Ok(Number(row.at("n"))) : new Err("negative"))));
        ok(yield* Pg.execute(c, `DROP TABLE ${t}`, L()));
        yield* Pool.checkin(pool, c);
        return { committed, failed, panicked, aborted: err(aborted).slice(0, 8), pooled, rows: rows.toArray() };
      });
      expect(got.committed).toEqual(new Ok(undefined));
      expect(got.failed).toEqual(new Err("nope"));
      expect(got.panicked).toEqual(new Err("transaction aborted: panic in callback"));
      expect(got.aborted).toBe("COMMIT: ");
      expect(got.pooled).toEqual(new Err("plain body"));
      expect(got.rows).toEqual([new Err("negative"), new Ok(1)]);
      expect(cap.stderr.join("")).toMatch(/panic in transaction callback: boom/);
    });

    it("many processes share a small pool; checkout waits for checkins", async () => {
      const t = T("conc");
      const small = ok(await run(() => Pool.open(url, 0, 3, 10_000)));
      await run(() => Pool.execute(small, `DROP TABLE IF EXISTS ${t}`, L()));
      await run(() => Pool.execute(small, `CREATE TABLE ${t} (n int)`, L()));
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          run(function* () {
            if (i % 4 === 0)
              return yield* Pool.transaction(small, function* (tx: PgConn) {
                ok(yield* Pg.execute(tx, `INSERT INTO ${t} VALUES ($1::int)`, L(String(i))));
                ok(yield* Pg.execute(tx, `INSERT INTO ${t} VALUES ($1::int)`, L(String(-i))));
                return new Ok(undefined);
              });
            return yield* Pool.execute(small, `INSERT INTO ${t} VALUES ($1::int)`, L(String(i)));
          }),
        ),
      );
      results.forEach((r) => expect(r).toBeInstanceOf(Ok));
      expect(small.size).toBeLessThanOrEqual(3);
      const n = ok(await run(() => Pool.query(small, `SELECT count(*)::text AS c, sum(n)::text AS s FROM ${t}`, L()))).head();
      expect([n.at("c"), n.at("s")]).toEqual(["50", String((39 * 40) / 2 - (0 + 4 + 8 + 12 + 16 + 20 + 24 + 28 + 32 + 36))]);
      await run(() => Pool.execute(small, `DROP TABLE ${t}`, L()));
      await run(() => Pool.close(small));
      expect(err(await run(() => Pool.checkout(small)))).toBe("pool is closed");
      expect(err(await run(() => Pool.query(small, "SELECT 1", L())))).toBe("pool is closed");
    });

    it("Pool.close wakes waiters; Pg.close makes the handle unusable", async () => {
      const p = ok(await run(() => Pool.open(url, 1, 1, 5000)));
      // the holder stays alive until `release`: a process's checkouts go back when it exits
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let checkedOut!: () => void;
      const out = new Promise<void>((r) => (checkedOut = r));
      const held = run(function* () {
        const holder = ok(yield* Pool.checkout(p));
        checkedOut();
        yield* awaitPromise(gate);
        yield* Pool.checkin(p, holder);
      });
      await out;
      const waiting = run(() => Pool.checkout(p));
      await new Promise((r) => setTimeout(r, 50));
      await run(() => Pool.close(p));
      expect(err(await waiting)).toBe("pool is closed");
      release();
      await held;
      expect(p.size).toBe(0);
      const c = ok(await run(() => Pg.connect(url)));
      await run(() => Pg.close(c));
      expect(err(await run(() => Pg.query(c, "SELECT 1", L())))).toBe("connection is closed");
      expect(err(await run(() => Pg.transaction(c, () => new Ok(undefined))))).toBe("connection is closed");
    });
  });
}

suite("embedded database (PGlite, in memory)", "pglite:memory");

describe.skipIf(!REAL_URL)("real PostgreSQL (set DATABASE_URL or MESH_TEST_DATABASE_URL; scripts/ci-postgres.sh starts one)", () => {
  suite("pg", REAL_URL);

  it("a terminated backend is reported as an error and the pool recovers", async () => {
    const pool = ok(await run(() => Pool.open(REAL_URL, 2, 2, 2000)));
    const got = await run(function* () {
      const c = ok(yield* Pool.checkout(pool));
      const pid = ok(yield* Pg.query(c, "SELECT pg_backend_pid()::text AS pid", L())).head().at("pid");
      // kill the checked-out connection from another one, then use it
      const killed = ok(yield* Pool.query(pool, "SELECT pg_terminate_backend($1::int)::text AS ok", L(pid))).head().at("ok");
      const broken = yield* Pg.query(c, "SELECT 1", L());
      yield* Pool.checkin(pool, c);
      // every pooled connection works again (the broken one was discarded and replaced)
      const after: Result<Rows, string>[] = [];
      for (let i = 0; i < 4; i++) after.push(yield* Pool.query(pool, "SELECT 1 AS one", L()));
      return { killed, broken, after };
    });
    expect(got.killed).toBe("true");
    expect(got.broken).toBeInstanceOf(Err);
    expect(err(got.broken).length).toBeGreaterThan(0);
    for (const r of got.after) expect(objs(ok(r))).toEqual([{ one: "1" }]);

    // an idle pooled connection killed behind the pool's back is discarded at checkout
    const idlePids = await run(function* () {
      const a = ok(yield* Pool.checkout(pool));
      const b = ok(yield* Pool.checkout(pool));
      const pa = ok(yield* Pg.query(a, "SELECT pg_backend_pid()::text AS p", L())).head().at("p");
      yield* Pool.checkin(pool, a);
      ok(yield* Pg.query(b, "SELECT pg_terminate_backend($1::int)", L(pa)));
      yield* Pool.checkin(pool, b);
      return pa;
    });
    expect(idlePids).toMatch(/^\d+$/);
    await new Promise((r) => setTimeout(r, 100));
    for (let i = 0; i < 4; i++) expect(objs(ok(await run(() => Pool.query(pool, "SELECT 2 AS two", L()))))).toEqual([{ two: "2" }]);
    await run(() => Pool.close(pool));
  });

  it("prepared data statements follow table changes (SELECT * after ALTER TABLE, a dropped and re-created table)", async () => {
    const t = `prep_${suffix}`;
    const pool = ok(await run(() => Pool.open(REAL_URL, 1, 1, 2000)));
    const got = await run(function* () {
      const seen: string[] = [];
      ok(yield* Pool.execute(pool, `CREATE TABLE ${t} (a INT)`, L()));
      ok(yield* Pool.execute(pool, `INSERT INTO ${t} VALUES ($1::int)`, L("1")));
      const sel = `SELECT * FROM ${t} WHERE a >= $1::int ORDER BY a`;
      seen.push(JSON.stringify(objs(ok(yield* Pool.query(pool, sel, L("0"))))));
      // the statement's result shape changes: it must still answer, with the new column
      ok(yield* Pool.execute(pool, `ALTER TABLE ${t} ADD COLUMN b TEXT DEFAULT 'x'`, L()));
      seen.push(JSON.stringify(objs(ok(yield* Pool.query(pool, sel, L("0"))))));
      seen.push(JSON.stringify(objs(ok(yield* Pool.query(pool, sel, L("0"))))));
      // the table is dropped and made again with another shape
      ok(yield* Pool.execute(pool, `DROP TABLE ${t}`, L()));
      ok(yield* Pool.execute(pool, `CREATE TABLE ${t} (a INT, c INT)`, L()));
      ok(yield* Pool.execute(pool, `INSERT INTO ${t} VALUES ($1::int, 7)`, L("2")));
      seen.push(JSON.stringify(objs(ok(yield* Pool.query(pool, sel, L("0"))))));
      ok(yield* Pool.execute(pool, `DROP TABLE ${t}`, L()));
      return seen;
    });
    await run(() => Pool.close(pool));
    expect(got).toEqual(['[{"a":"1"}]', '[{"a":"1","b":"x"}]', '[{"a":"1","b":"x"}]', '[{"a":"2","c":"7"}]']);
  });

  it("connection errors are plain messages", async () => {
    const bad = REAL_URL.replace(/:\/\/([^:]+):([^@]+)@/, "://$1:wrong-password@");
    const e = err(await run(() => Pg.connect(bad)));
    expect(e).toMatch(/password authentication failed/);
    expect(err(await run(() => Pool.open(bad, 1, 2, 1000)))).toMatch(/^pool open: password authentication failed/);
    const refused = err(await run(() => Pg.connect("postgres://u:p@127.0.0.1:1/db")));
    expect(refused).toMatch(/ECONNREFUSED/);
  });
});

describe("URLs", () => {
  it("reports the spec's URL errors", async () => {
    expect(err(await run(() => Pg.connect("mysql://u@h/db")))).toBe("URL must start with postgres:// or postgresql://");
    expect(err(await run(() => Pg.connect("postgres://localhost/db")))).toBe("URL missing '@' separator");
    expect(err(await run(() => Pg.connect("postgresql://u:p@h:99999/db")))).toBe("invalid port: 99999");
    expect(err(await run(() => Pg.connect("postgres://u:p@h:abc/db")))).toBe("invalid port: abc");
    expect(err(await run(() => Pool.open("nope", 0, 1, 100)))).toBe("pool open: URL must start with postgres:// or postgresql://");
  });

  it("parses user, password, database, port and sslmode", async () => {
    const { parsePgUrl } = await import("../../../runtime/db/index.js");
    expect(parsePgUrl("postgres://us%40er:p%3Aw@d@db.example:6543/my%20db?sslmode=require")).toMatchObject({
      user: "us@er",
      password: "p:w@d",
      host: "db.example",
      port: 6543,
      database: "my db",
      ssl: true,
    });
    expect(parsePgUrl("postgresql://app@[::1]/")).toMatchObject({ user: "app", host: "::1", port: 5432, database: "app", ssl: false });
    expect(parsePgUrl("postgres://a:b@h?sslmode=disable")).toMatchObject({ host: "h", database: "a", ssl: false });
  });

  it("embedded URLs", async () => {
    const { embeddedDir, isEmbeddedUrl } = await import("../../../runtime/db/index.js");
    for (const u of ["", "pglite:", "pglite:memory", "pglite:memory://", "pglite://memory"]) {
      expect(isEmbeddedUrl(u)).toBe(true);
      expect(embeddedDir(u)).toBeNull();
    }
    expect(embeddedDir("pglite:/tmp/x")).toBe("/tmp/x");
    expect(embeddedDir("pglite:///tmp/x")).toBe("/tmp/x");
    expect(embeddedDir("pglite:data/db")).toBe(`${process.cwd()}/data/db`);
    expect(isEmbeddedUrl("postgres://a@b/c")).toBe(false);
  });
});

describe("embedded database extras", () => {
  it("has pgcrypto and PostgreSQL 18 functions", async () => {
    const got = await run(function* () {
      const c = ok(yield* Pg.connect("pglite:memory"));
      ok(yield* Pg.execute(c, "CREATE EXTENSION IF NOT EXISTS pgcrypto", L()));
      const r = ok(yield* Pg.query(c, "SELECT crypt($1, gen_salt('bf', 4)) LIKE '$2a$%' AS bf, length(uuidv7()::text)::text AS u, length(encode(gen_random_bytes(8), 'hex'))::text AS hex", L("pw")));
      yield* Pg.close(c);
      return objs(r)[0];
    });
    expect(got).toEqual({ bf: "t", u: "36", hex: "16" });
  });
});

describe("embedded database on disk", () => {
  it("persists in its directory and serialises transactions across connections", async () => {
    const { mkdtempSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(`${tmpdir()}/mesh-pglite-`);
    try {
      const url = `pglite:${dir}`;
      const got = await run(function* () {
        const a = ok(yield* Pg.connect(url));
        const b = ok(yield* Pg.connect(url));
        ok(yield* Pg.execute(a, "CREATE TABLE k (v int)", L()));
        ok(yield* Pg.begin(a));
        ok(yield* Pg.execute(a, "INSERT INTO k VALUES (1)", L()));
        return { a, b };
      });
      // b's statement waits until a's transaction ends: it never sees (or joins) a's open block
      const seen = run(() => Pg.query(got.b, "SELECT count(*)::text AS n FROM k", L()));
      let settled = false;
      void seen.then(() => (settled = true));
      await new Promise((r) => setTimeout(r, 100));
      expect(settled).toBe(false);
      await run(() => Pg.rollback(got.a));
      expect(objs(ok(await seen))).toEqual([{ n: "0" }]);
      await run(() => Pg.execute(got.a, "INSERT INTO k VALUES (42)", L()));
      // a session closed inside a transaction releases the database for the others
      await run(() => Pg.begin(got.a));
      await run(() => Pg.close(got.a));
      expect(objs(ok(await run(() => Pg.query(got.b, "SELECT v::text FROM k", L()))))).toEqual([{ v: "42" }]);
      const { readdirSync } = await import("node:fs");
      expect(readdirSync(dir).length).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("Sqlite", () => {
  it("works on this Node.js (WebAssembly SQLite); bad SQL and a closed handle answer Err", async () => {
    const { Sqlite } = await import("../../../runtime/db/index.js");
    const opened = Sqlite.open(":memory:");
    expect(opened).toBeInstanceOf(Ok);
    const db = (opened as Ok<any>)._0;
    expect(err(Sqlite.execute(db, "SELEC 1", List.empty))).toBe('near "SELEC": syntax error');
    Sqlite.close(db);
    Sqlite.close(db);
    expect(err(Sqlite.query(db, "SELECT 1", List.empty))).toBe("database is closed");
  });
});
