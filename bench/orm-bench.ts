// ORM overhead benchmark (issue 10): `Repo.insert` of N rows and `Repo.all` of them vs the same
// statements through `Pool.query`, both in one compiled .mpl program on the embedded PGlite and,
// when DATABASE_URL is set, on PostgreSQL; plus in-process renders/s of a 5-clause Query.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { List } from "../runtime/core/list.js";
import { Atom } from "../runtime/core/meta.js";
import { builders as Q, render } from "../runtime/orm/query.js";
import type { Row } from "./measure.js";

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const MESHC = path.join(ROOT, "bin/meshc.js");
const ROWS = Number(process.env.ORM_BENCH_ROWS ?? 10000);

// Three rounds; each runs both sides (which goes first alternates); the first round is warm-up.
// Times are Time.monotonic_ms inside the program, so neither start-up nor compilation counts.
const PROGRAM = `fn insert_orm(pool :: PoolHandle, i :: Int, n :: Int) -> Int!String do
  if i >= n do
    Ok(i)
  else
    let _ = Repo.insert(pool, "bench_orm", %{"name" => "item \${i}", "n" => "\${i}"})?
    insert_orm(pool, i + 1, n)
  end
end

fn insert_pool(pool :: PoolHandle, i :: Int, n :: Int) -> Int!String do
  if i >= n do
    Ok(i)
  else
    let _ = Pool.query(pool, "INSERT INTO \\"bench_pool\\" (\\"name\\", \\"n\\") VALUES ($1, $2) RETURNING *", ["item \${i}", "\${i}"])?
    insert_pool(pool, i + 1, n)
  end
end

fn timed_insert(pool :: PoolHandle, orm :: Bool, n :: Int) -> Int!String do
  let t0 = Time.monotonic_ms()
  if orm do insert_orm(pool, 0, n)? else insert_pool(pool, 0, n)? end
  Ok(Time.monotonic_ms() - t0)
end

fn timed_all(pool :: PoolHandle, orm :: Bool, n :: Int) -> Int!String do
  let t0 = Time.monotonic_ms()
  let rows = if orm do Repo.all(pool, Query.from("bench_orm"))? else Pool.query(pool, "SELECT * FROM \\"bench_pool\\"", [])? end
  let t = Time.monotonic_ms() - t0
  if List.length(rows) == n do Ok(t) else Err("expected \${n} rows, got \${List.length(rows)}") end
end

# Each round runs both sides; the side that goes first alternates between rounds.
fn round(pool :: PoolHandle, n :: Int, orm_first :: Bool) -> String!String do
  Pool.execute(pool, "DELETE FROM bench_orm", [])?
  Pool.execute(pool, "DELETE FROM bench_pool", [])?
  let i1 = timed_insert(pool, orm_first, n)?
  let i2 = timed_insert(pool, !orm_first, n)?
  let best = best_all(pool, n, 5, 1000000000, 1000000000)?
  if orm_first do
    Ok("orm_insert \${i1} pool_insert \${i2} \${best}")
  else
    Ok("orm_insert \${i2} pool_insert \${i1} \${best}")
  end
end

# Reading is short and noisy: k alternating pairs, the fastest of each side.
fn best_all(pool :: PoolHandle, n :: Int, k :: Int, orm :: Int, raw :: Int) -> String!String do
  if k <= 0 do
    Ok("orm_all \${orm} pool_all \${raw}")
  else
    let first = timed_all(pool, k % 2 == 0, n)?
    let second = timed_all(pool, k % 2 != 0, n)?
    let to = if k % 2 == 0 do first else second end
    let tr = if k % 2 == 0 do second else first end
    best_all(pool, n, k - 1, if to < orm do to else orm end, if tr < raw do tr else raw end)
  end
end

fn rounds(pool :: PoolHandle, k :: Int, n :: Int) -> Int!String do
  if k <= 0 do
    Ok(0)
  else
    let line = round(pool, n, k % 2 == 0)?
    println(line)
    rounds(pool, k - 1, n)
  end
end

fn main() do
  let url = case Env.get("ORM_BENCH_URL") do
    Some(u) -> u
    None -> ""
  end
  let n = case Env.get("ORM_BENCH_ROWS") do
    Some(s) -> case String.to_int(s) do
      Some(v) -> v
      None -> 10000
    end
    None -> 10000
  end
  case Pool.open(url, 1, 1, 5000) do
    Ok(pool) -> do
      let _ = Pool.execute(pool, "DROP TABLE IF EXISTS bench_orm", [])
      let _ = Pool.execute(pool, "DROP TABLE IF EXISTS bench_pool", [])
      let _ = Pool.execute(pool, "CREATE TABLE bench_orm (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL, n BIGINT NOT NULL)", [])
      let _ = Pool.execute(pool, "CREATE TABLE bench_pool (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL, n BIGINT NOT NULL)", [])
      case rounds(pool, 3, n) do
        Ok(_) -> println("done")
        Err(e) -> println("error: " <> e)
      end
      let _ = Pool.execute(pool, "DROP TABLE IF EXISTS bench_orm", [])
      let _ = Pool.execute(pool, "DROP TABLE IF EXISTS bench_pool", [])
      Pool.close(pool)
    end
    Err(e) -> println("error: " <> e)
  end
end
`;

function build(): string {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "mesh-orm-bench-")), "orm_bench");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "main.mpl"), PROGRAM);
  const r = spawnSync(process.execPath, [MESHC, "build", dir], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`meshc build failed: ${r.stderr}`);
  return path.join(dir, "_build/main.js");
}

interface Times {
  orm_insert: number;
  pool_insert: number;
  orm_all: number;
  pool_all: number;
}

function runProgram(main: string, url: string): Times {
  const r = spawnSync(process.execPath, ["--stack-size=4000", main], {
    encoding: "utf8",
    env: { ...process.env, ORM_BENCH_URL: url, ORM_BENCH_ROWS: String(ROWS) },
    timeout: 20 * 60_000,
  });
  const lines = r.stdout.trim().split("\n");
  if (r.status !== 0 || lines.at(-1) !== "done") throw new Error(`orm bench program failed: ${r.stdout.slice(-500)} ${r.stderr.slice(-500)}`);
  // the first round is warm-up; each figure is the best of the remaining rounds (interference
  // from other processes on the machine only ever adds time)
  const best: Times = { orm_insert: Infinity, pool_insert: Infinity, orm_all: Infinity, pool_all: Infinity };
  for (const line of lines.slice(1, -1)) {
    const w = line.split(" ");
    for (let i = 0; i + 1 < w.length; i += 2) best[w[i] as keyof Times] = Math.min(best[w[i] as keyof Times], Number(w[i + 1]));
  }
  return best;
}

function dbRows(label: string, t: Times): Row[] {
  return [
    { name: `${label}: Repo.insert of ${ROWS} rows vs Pool.query INSERT … RETURNING * (best of 2 rounds)`, ours: t.orm_insert, baseline: t.pool_insert, unit: "ms", target: "ratio <= 1.15" },
    { name: `${label}: Repo.all of ${ROWS} rows vs Pool.query SELECT * (best of 10)`, ours: t.orm_all, baseline: t.pool_all, unit: "ms", target: "ratio <= 1.15" },
  ];
}

/** Renders/s of a 5-clause query built once (where, where_in, order_by, limit, offset). */
function renderRate(): Row[] {
  const a = (s: string) => Atom.of(s);
  const q = Q.offset(Q.limit(Q.order_by(Q.where_in(Q.where(Q.from("events"), a("project_id"), "42"), a("level"), List.fromArray(["error", "fatal"])), a("received_at"), a("desc")), 50), 100);
  const hand = (v: string, l1: string, l2: string) => ({
    sql: 'SELECT * FROM "events" WHERE "project_id" = $1 AND "level" IN ($2, $3) ORDER BY "received_at" DESC LIMIT 50 OFFSET 100',
    params: [v, l1, l2],
  });
  if (render(q).sql !== hand("", "", "").sql) throw new Error(`unexpected rendering: ${render(q).sql}`);
  const rate = (f: () => unknown): number => {
    let best = 0;
    for (let round = 0; round < 5; round++) {
      const n = 200_000;
      const t0 = performance.now();
      for (let i = 0; i < n; i++) f();
      best = Math.max(best, n / ((performance.now() - t0) / 1000));
    }
    return best;
  };
  const ours = rate(() => render(q));
  const built = rate(() => render(Q.offset(Q.limit(Q.order_by(Q.where_in(Q.where(Q.from("events"), a("project_id"), "42"), a("level"), List.fromArray(["error", "fatal"])), a("received_at"), a("desc")), 50), 100)));
  return [
    { name: "Query rendering of a 5-clause query (render only, best of 5 × 200,000)", ours, baseline: null, unit: "renders/s", target: ">= 200000" },
    { name: "Query build (5 builders) + render", ours: built, baseline: null, unit: "renders/s" },
  ];
}

export async function run(): Promise<Row[]> {
  const rows = renderRate();
  const main = build();
  rows.push(...dbRows("PGlite", runProgram(main, "")));
  const url = process.env.DATABASE_URL ?? "";
  if (url !== "") rows.push(...dbRows("PostgreSQL", runProgram(main, url)));
  return rows;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const { printRows } = await import("./measure.js");
  printRows("ORM", await run());
}
