# Appendix B3 (stdlib.md): pool queries, text values, NULL and error strings, verbatim, with the
# shared database harness. SPEC_DATABASE_URL names the database ("" is the embedded one).
# One correction: the spec's aggregate query has no FROM clause, so `stars` is an unknown column
# (42703) and the expected `n=2 total=10` cannot come out; it reads FROM spec_notes here.

fn setup(pool) -> Int!String do
  let _ = Pool.execute(pool, "DROP TABLE IF EXISTS spec_notes", [])?
  Pool.execute(pool, "CREATE TABLE spec_notes (id SERIAL PRIMARY KEY, title TEXT UNIQUE NOT NULL, stars INT, pinned BOOLEAN NOT NULL DEFAULT false, note TEXT)", [])
end

fn show_row(row) do
  println(Map.get(row, "title") <> " stars=" <> Map.get(row, "stars") <> " pinned=" <> Map.get(row, "pinned") <> " note=[" <> Map.get(row, "note") <> "]")
end

fn run(pool) -> Int!String do
  let created = setup(pool)?
  let n1 = Pool.execute(pool, "INSERT INTO spec_notes (title, stars, note) VALUES ($1, $2::int, $3)", ["alpha", "5", "first"])?
  let n2 = Pool.execute(pool, "INSERT INTO spec_notes (title, stars, pinned) VALUES ($1, $2::int, $3::boolean)", ["beta", "3", "true"])?
  println("created ${created}, inserted ${n1 + n2}")
  let rows = Pool.query(pool, "SELECT title, stars, pinned, note FROM spec_notes ORDER BY id", [])?
  let _ = List.map(rows, fn(row) do show_row(row) end)
  let dup = Pool.execute(pool, "INSERT INTO spec_notes (title) VALUES ($1)", ["alpha"])
  case dup do
    Ok(_) -> println("duplicate accepted")
    Err(e) -> println("dup: " <> String.join(List.take(String.split(e, "\t"), 4), "|"))
  end
  let changed = Pool.execute(pool, "UPDATE spec_notes SET stars = stars + 1 WHERE stars >= $1::int", ["3"])?
  println("updated ${changed}")
  let agg = Pool.query(pool, "SELECT count(*) AS n, sum(stars) AS total, 1.50::numeric AS price, NULL::text AS nothing, 1 FROM spec_notes", [])?
  let row = List.head(agg)
  println("n=" <> Map.get(row, "n") <> " total=" <> Map.get(row, "total") <> " price=" <> Map.get(row, "price") <> " nothing=[" <> Map.get(row, "nothing") <> "]")
  println("${Map.keys(row)}")
  Ok(0)
end

# ---- the shared database harness of Appendix B ----

fn report(r) do
  case r do
    Ok(_) -> println("done")
    Err(e) -> println("failed: " <> e)
  end
end

fn open_and_run(url :: String) do
  let opened = Pool.open(url, 0, 1, 200)
  case opened do
    Ok(pool) -> report(run(pool))
    Err(e) -> println("pool error: " <> e)
  end
end

fn main() do
  let url = Env.get("SPEC_DATABASE_URL")
  case url do
    Some(u) -> open_and_run(u)
    None -> println("SPEC_DATABASE_URL not set")
  end
end
