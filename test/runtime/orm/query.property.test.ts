// Property tests of the Query renderer (orm.md §3): random builder chains render SQL that
// PostgreSQL (an embedded PGlite, one instance for the file) parses, plans and runs with the
// rendered parameter list; placeholders are exactly $1..$n; identifiers with quotes and unicode
// round-trip through quoting; parameter values never appear in the SQL text.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { PGlite } from "@electric-sql/pglite";
import { List } from "../../../runtime/core/list.js";
import { Atom } from "../../../runtime/core/meta.js";
import { builders as Q, render, renderCount, renderExists, renderWhere, type Query } from "../../../runtime/orm/query.js";
import { qi } from "../../../runtime/orm/sql.js";

const TABLE = 't"ab le ü';
const OTHER = "other ✓";
// column names that need quoting: a quote, a space, unicode, a reserved word, upper case
const COLS = ["id", 'we"ird', "naïve", "名前", "sp ace", "order", "Mixed"];
const RUNS = 250;

let db: PGlite;

beforeAll(async () => {
  db = new PGlite();
  await db.exec(`CREATE TABLE ${qi(TABLE)} (${COLS.map((c) => `${qi(c)} TEXT`).join(", ")})`);
  await db.exec(`CREATE TABLE ${qi(OTHER)} ("ref" TEXT)`);
  await db.query(`INSERT INTO ${qi(TABLE)} (${COLS.map(qi).join(", ")}) VALUES (${COLS.map((_, i) => `$${i + 1}`).join(", ")})`, COLS.map((c) => `v-${c}`));
}, 60_000);

afterAll(async () => {
  await db?.close();
});

const atom = (s: string): Atom => Atom.of(s);
const list = (xs: string[]): List => List.fromArray(xs);

// A value that would break the SQL if it were spliced into it; the marker finds it in the text.
let serial = 0;
const hostile = fc
  .tuple(fc.constantFrom("'", "''", "$1", "--", ";", "?", '"', "\\", "); DROP TABLE x; --", "\u0000".slice(1), "é", "$$"), fc.string({ maxLength: 8 }))
  .map(([bad, s]) => `${bad}${s.replace(/\u0000/g, "")}⟦v${serial++}⟧${bad}`);

const col = fc.constantFrom(...COLS);
const op = fc.constantFrom("eq", "neq", "lt", "gt", "lte", "gte", "like", "bogus");

type Step = (q: Query, grouped: string[]) => Query;

const whereStep: fc.Arbitrary<Step> = fc.oneof(
  fc.tuple(col, hostile).map(([c, v]): Step => (q) => Q.where(q, atom(c), v)),
  fc.tuple(col, op, hostile).map(([c, o, v]): Step => (q) => Q.where_op(q, atom(c), atom(o), v)),
  fc.tuple(col, fc.array(hostile, { minLength: 1, maxLength: 4 })).map(([c, vs]): Step => (q) => Q.where_in(q, atom(c), list(vs))),
  col.map((c): Step => (q) => Q.where_null(q, atom(c))),
  col.map((c): Step => (q) => Q.where_not_null(q, atom(c))),
  // a raw clause with one value per `?`
  fc.tuple(col, col, hostile, hostile).map(([a, b, v, w]): Step => (q) => Q.where_raw(q, `(${qi(a)} = ? OR ${qi(b)} <> ?)`, list([v, w]))),
  fc.tuple(col, hostile).map(([c, v]): Step => (q) => Q.where_raw(q, `${qi(TABLE)}.${qi(c)} IS DISTINCT FROM ?`, list([v]))),
);

const shape = fc.record({
  wheres: fc.array(whereStep, { maxLength: 6 }),
  join: fc.option(fc.constantFrom("inner", "left", "right", "cross?"), { nil: undefined }),
  grouped: fc.boolean(),
  cols: fc.uniqueArray(col, { minLength: 1, maxLength: 3 }),
  rawSelect: fc.boolean(),
  having: fc.array(fc.nat({ max: 99 }), { maxLength: 2 }),
  order: fc.array(fc.tuple(col, fc.constantFrom("asc", "desc", "sideways")), { maxLength: 3 }),
  fragment: fc.option(hostile, { nil: undefined }),
  limit: fc.integer({ min: -2, max: 50 }),
  offset: fc.integer({ min: -2, max: 50 }),
});

/** A chain of builders that is valid SQL by construction (grouped queries select their group). */
function build(s: fc.RecordValue<typeof shape extends fc.Arbitrary<infer T> ? T : never>): Query {
  let q = Q.from(TABLE);
  if (s.join !== undefined) q = Q.join(q, atom(s.join), OTHER, `${qi(OTHER)}."ref" = ${qi(TABLE)}."id"`);
  for (const w of s.wheres) q = w(q, []);
  if (s.grouped) {
    q = Q.select(q, list(s.cols));
    if (s.rawSelect) q = Q.select_raw(q, list(["count(*) AS n"]));
    for (const c of s.cols) q = Q.group_by(q, atom(c));
    for (const h of s.having) q = Q.having(q, "count(*) >=", String(h));
    for (const [c] of s.order) if (s.cols.includes(c)) q = Q.order_by(q, atom(c), atom("desc"));
  } else {
    q = Q.select(q, list(s.rawSelect ? [...s.cols, "RAW:upper(\"id\") AS up"] : s.cols));
    if (s.fragment !== undefined && s.order.length === 0) q = Q.fragment(q, `ORDER BY ${qi(s.cols[0]!)} || ?`, list([s.fragment]));
    else for (const [c, d] of s.order) q = Q.order_by(q, atom(c), atom(d));
  }
  return Q.offset(Q.limit(q, s.limit), s.offset);
}

function placeholders(sql: string): number[] {
  return [...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]));
}

function assertNumbering(sql: string, params: readonly string[]): void {
  const used = new Set(placeholders(sql));
  expect([...used].sort((a, b) => a - b)).toEqual(params.map((_, i) => i + 1));
}

function assertNoValues(sql: string): void {
  expect(sql).not.toMatch(/⟦v\d+⟧/);
}

describe("Query rendering against PostgreSQL (PGlite)", () => {
  it("random builder chains: SELECT, COUNT and EXISTS run with exactly their parameters", async () => {
    await fc.assert(
      fc.asyncProperty(shape, async (s) => {
        const q = build(s);
        // COUNT keeps the fragments (§3.4); the ORDER BY fragment used here is not valid there
        const counted = q.fragments.length === 0;
        for (const [r, run] of [[render(q), true], [renderCount(q), counted], [renderExists(q), true]] as const) {
          assertNumbering(r.sql, r.params);
          assertNoValues(r.sql);
          // PostgreSQL rejects a bind with a different count than the statement's placeholders
          if (run) await db.query(r.sql, r.params);
        }
        expect(Q.to_sql(q)).toBe(render(q).sql);
        expect(Q.params(q).toArray()).toEqual(render(q).params);
      }),
      { numRuns: RUNS },
    );
  }, 120_000);

  it("render_where numbers from any start and fits an UPDATE ... WHERE", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(whereStep, { minLength: 1, maxLength: 5 }), hostile, async (ws, v) => {
        let q = Q.from(TABLE);
        for (const w of ws) q = w(q, []);
        const w = renderWhere(q, 2);
        const sql = `UPDATE ${qi(TABLE)} SET "naïve" = $1 WHERE ${w.sql}`;
        assertNumbering(sql, [v, ...w.params]);
        assertNoValues(sql);
        await db.query(sql, [v, ...w.params]);
      }),
      { numRuns: 100 },
    );
  }, 120_000);

  it("builders never mutate their input query", () => {
    fc.assert(
      fc.property(shape, (s) => {
        const base = Q.where(Q.from(TABLE), atom("id"), "⟦base⟧");
        const before = render(base);
        const q = build(s);
        void q;
        let derived = Q.where_in(base, atom("naïve"), list(["a"]));
        derived = Q.order_by(Q.limit(derived, 3), atom("id"), atom("asc"));
        expect(render(base)).toEqual(before);
        expect(render(derived).params).toEqual(["⟦base⟧", "a"]);
      }),
      { numRuns: 50 },
    );
  });

  it("any identifier (quotes, unicode, spaces, $ and ?) is quoted as one name", async () => {
    const ident = fc
      .string({ unit: "grapheme", minLength: 1, maxLength: 12 })
      .filter((s) => !s.includes("\u0000") && Buffer.byteLength(s) <= 63 && s !== "ref");
    await fc.assert(
      fc.asyncProperty(ident, async (name) => {
        const q = Q.select_raw(Q.from(OTHER), list([`1 AS ${qi(name)}`]));
        const r = await db.query<Record<string, unknown>>(render(q).sql, render(q).params);
        expect(r.fields.map((f) => f.name)).toEqual([name]);
        // as a column of a where entry it is one identifier too (the column does not exist)
        await expect(db.query(render(Q.where(Q.from(OTHER), atom(name), "x")).sql, ["x"])).rejects.toThrow(/does not exist/);
      }),
      { numRuns: 150 },
    );
  }, 120_000);
});
