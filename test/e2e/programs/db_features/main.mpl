# Database features from Mesh code (stdlib.md §21, §22, §28): unicode, uuid, jsonb, NULLs, value
# text forms, deriving(Row), SQL injection through parameters, transactions (commit, Err rollback,
# panic rollback, SQL error rollback), single connections, error strings, concurrent use of one
# pool. Prints one line per check; the test compares the whole stdout. DATABASE names the database
# ("" is the embedded one).

struct Person do
  name :: String
  age :: Int
  score :: Float
  active :: Bool
  nickname :: Option<String>
end deriving(Row)

fn describe_person(p :: Person) -> String do
  let nick = case p.nickname do
    Some(n) -> "Some(" <> n <> ")"
    None -> "None"
  end
  "${p.name} age=${p.age} score=${p.score} active=${p.active} nickname=${nick}"
end

fn first(rows) do
  List.head(rows)
end

fn col(row, name :: String) -> String do
  Map.get(row, name)
end

fn err_text(r) -> String do
  case r do
    Ok(_) -> "unexpected Ok"
    Err(e) -> e
  end
end

fn is_ok(r) -> Bool do
  case r do
    Ok(_) -> true
    Err(_) -> false
  end
end

fn is_err(r) -> Bool do
  not is_ok(r)
end

fn sqlstate(e :: String) -> String do
  List.head(String.split(e, "\t"))
end

fn setup(pool) -> Int!String do
  let _ = Pool.execute(pool, "DROP TABLE IF EXISTS feat_people", [])?
  let _ = Pool.execute(pool, "DROP TABLE IF EXISTS feat_accounts", [])?
  let _ = Pool.execute(pool, "CREATE TABLE feat_people (id UUID PRIMARY KEY DEFAULT gen_random_uuid(), name TEXT NOT NULL, age INT NOT NULL, score DOUBLE PRECISION NOT NULL DEFAULT 0, active BOOLEAN NOT NULL DEFAULT true, nickname TEXT, meta JSONB NOT NULL DEFAULT '{}')", [])?
  Pool.execute(pool, "CREATE TABLE feat_accounts (name TEXT PRIMARY KEY, balance INT NOT NULL CHECK (balance >= 0))", [])
end

fn unicode(pool) -> Int!String do
  let names = ["Zoë 😀", "Ωmega", "李雷", "tab\there", "quote ' and \" and \\"]
  let counts = List.map(names, fn(n) do
    Pool.execute(pool, "INSERT INTO feat_people (name, age) VALUES ($1, $2::int)", [n, "30"])
  end)
  println("inserted ${List.length(List.filter(counts, fn(r) -> r == Ok(1) end))} unicode names")
  let rows = Pool.query(pool, "SELECT name, length(name)::text AS len, octet_length(name)::text AS bytes FROM feat_people WHERE age = 30 ORDER BY name COLLATE \"C\"", [])?
  let _ = List.map(rows, fn(row) do
    let name = col(row, "name")
    println("[" <> name <> "] server length=" <> col(row, "len") <> " mesh length=${String.length(name)} bytes=" <> col(row, "bytes"))
  end)
  let found = Pool.query(pool, "SELECT count(*)::text AS n FROM feat_people WHERE name = $1", ["Zoë 😀"])?
  println("lookup by unicode name: " <> col(first(found), "n"))
  let echoed = Pool.query(pool, "SELECT $1 || '✓' AS c, $1 = 'straße ñ' AS same", ["straße ñ"])?
  println("server concat: " <> col(first(echoed), "c") <> ", equal to the literal: " <> col(first(echoed), "same"))
  Ok(0)
end

fn uuids(pool) -> Int!String do
  let inserted = Pool.query(pool, "INSERT INTO feat_people (name, age) VALUES ($1, $2::int) RETURNING id::text AS id", ["uuid person", "41"])?
  let id = col(first(inserted), "id")
  let groups = List.map(String.split(id, "-"), fn(g) -> String.length(g) end)
  println("generated uuid groups ${groups}, lowercase ${id == String.to_lower(id)}")
  let back = Pool.query(pool, "SELECT name FROM feat_people WHERE id = $1::uuid", [id])?
  println("found by uuid: " <> col(first(back), "name"))
  let upper_id = String.to_upper(id)
  let again = Pool.query(pool, "SELECT id::text AS id FROM feat_people WHERE id = $1::uuid", [upper_id])?
  println("uppercase parameter matches, server text lowercase: ${col(first(again), "id") == id}")
  let fixed = Pool.query(pool, "INSERT INTO feat_people (id, name, age) VALUES ($1::uuid, $2, 42) RETURNING id AS id", ["A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", "fixed"])?
  println("fixed uuid: " <> col(first(fixed), "id"))
  case Pool.query(pool, "SELECT name FROM feat_people WHERE id = $1::uuid", ["not-a-uuid"]) do
    Ok(_) -> println("bad uuid accepted")
    Err(e) -> println("bad uuid: " <> String.join(String.split(e, "\t"), "|"))
  end
  Ok(0)
end

fn jsonb(pool) -> Int!String do
  let doc = "{\"tags\":[\"a\",\"é\"],\"n\":1,\"nested\":{\"ok\":true,\"none\":null}}"
  let _ = Pool.execute(pool, "INSERT INTO feat_people (name, age, meta) VALUES ($1, 50, $2::jsonb)", ["json person", doc])?
  let rows = Pool.query(pool, "SELECT meta::text AS meta, meta->>'n' AS n, meta->'tags'->>1 AS tag, (meta->'nested'->>'ok')::boolean AS ok, meta->'nested'->>'none' AS none, jsonb_typeof(meta->'tags') AS kind FROM feat_people WHERE name = $1", ["json person"])?
  let row = first(rows)
  println("jsonb text: " <> col(row, "meta"))
  println("n=" <> col(row, "n") <> " tag=" <> col(row, "tag") <> " ok=" <> col(row, "ok") <> " none=[" <> col(row, "none") <> "] kind=" <> col(row, "kind"))
  case Json.parse(col(row, "meta")) do
    Ok(j) -> println("re-encoded by Mesh: ${Json.encode(j)}")
    Err(e) -> println("cannot parse jsonb text: " <> e)
  end
  let hits = Pool.query(pool, "SELECT name FROM feat_people WHERE meta @> $1::jsonb", ["{\"tags\":[\"é\"]}"])?
  println("containment matches: ${List.map(hits, fn(h) -> col(h, "name") end)}")
  let built = Pool.query(pool, "SELECT jsonb_build_object('k', $1::text, 'v', $2::int)::text AS j", ["x\"y", "7"])?
  println("built: " <> col(first(built), "j"))
  case Pool.query(pool, "SELECT $1::jsonb AS j", ["{bad json"]) do
    Ok(_) -> println("bad json accepted")
    Err(e) -> println("bad json: " <> sqlstate(e))
  end
  Ok(0)
end

fn nulls(pool) -> Int!String do
  let _ = Pool.execute(pool, "INSERT INTO feat_people (name, age, nickname) VALUES ($1, 60, NULLIF($2, ''))", ["no nick", ""])?
  let _ = Pool.execute(pool, "INSERT INTO feat_people (name, age, nickname) VALUES ($1, 61, NULLIF($2, ''))", ["empty nick", "x"])?
  let _ = Pool.execute(pool, "UPDATE feat_people SET nickname = '' WHERE name = $1", ["empty nick"])?
  let rows = Pool.query(pool, "SELECT name, nickname, (nickname IS NULL) AS is_null, COALESCE(nickname, '<null>') AS shown FROM feat_people WHERE age IN (60, 61) ORDER BY age", [])?
  let _ = List.map(rows, fn(row) do
    println(col(row, "name") <> ": nickname=[" <> col(row, "nickname") <> "] is_null=" <> col(row, "is_null") <> " shown=" <> col(row, "shown"))
  end)
  let agg = Pool.query(pool, "SELECT max(age) AS m FROM feat_people WHERE age > 1000", [])?
  println("aggregate over no rows: [" <> col(first(agg), "m") <> "] keys ${Map.keys(first(agg))}")
  let empty = Pool.query(pool, "SELECT name FROM feat_people WHERE age > 1000", [])?
  println("no rows: ${List.length(empty)}")
  Ok(0)
end

fn text_forms(pool) -> Int!String do
  let rows = Pool.query(pool, "SELECT true AS t, false AS f, 42::bigint AS big, -7 AS neg, 1.50::numeric(6,2) AS num, 0.5::float8 AS half, 1e20::float8 AS huge, ARRAY[1,2,3] AS arr, ARRAY['a b','c'] AS tarr, '2025-03-01 10:15:00.123456'::timestamp AS ts, '2025-03-01'::date AS d, '1 day 02:00:00'::interval AS iv, 1 AS a, 2 AS b, 3 AS a", [])?
  let row = first(rows)
  println("keys ${Map.keys(row)}")
  println("values ${Map.values(row)}")
  Ok(0)
end

fn rows_as_structs(pool) -> Int!String do
  let _ = Pool.execute(pool, "UPDATE feat_people SET score = 9.5, active = false, nickname = 'Zo' WHERE name = $1", ["Zoë 😀"])?
  let people = Pool.query_as(pool, "SELECT name, age, score, active, nickname FROM feat_people WHERE name IN ($1, $2) ORDER BY name", ["Zoë 😀", "Ωmega"], Person.from_row)?
  let _ = List.map(people, fn(r) do
    case r do
      Ok(p) -> println("row: " <> describe_person(p))
      Err(e) -> println("row error: " <> e)
    end
  end)
  let bad = Pool.query_as(pool, "SELECT 'x' AS name, 'old' AS age, 1.0 AS score, 'yes' AS active UNION ALL SELECT 'y', '3', 2.5, 'maybe' UNION ALL SELECT 'z', '4', 0.25, 'f'", [], Person.from_row)?
  let _ = List.map(bad, fn(r) do
    case r do
      Ok(p) -> println("row: " <> describe_person(p))
      Err(e) -> println("row error: " <> e)
    end
  end)
  let missing = Pool.query_as(pool, "SELECT 'x' AS name, 1 AS age", [], Person.from_row)?
  let _ = List.map(missing, fn(r) do
    case r do
      Ok(p) -> println("row: " <> describe_person(p))
      Err(e) -> println("row error: " <> e)
    end
  end)
  case Pool.query_as(pool, "SELECT nope FROM feat_people", [], Person.from_row) do
    Ok(_) -> println("bad query accepted")
    Err(e) -> println("query_as error: " <> sqlstate(e))
  end
  Ok(0)
end

fn injection(pool) -> Int!String do
  let before = Pool.query(pool, "SELECT count(*)::text AS n FROM feat_people", [])?
  let evil = "x'); DROP TABLE feat_people; --"
  let _ = Pool.execute(pool, "INSERT INTO feat_people (name, age) VALUES ($1, 70)", [evil])?
  let always = Pool.query(pool, "SELECT count(*)::text AS n FROM feat_people WHERE name = $1", ["' OR '1'='1"])?
  println("' OR '1'='1 matches " <> col(first(always), "n") <> " rows")
  let stored = Pool.query(pool, "SELECT name FROM feat_people WHERE name = $1", [evil])?
  println("stored verbatim: ${col(first(stored), "name") == evil}")
  let by_age = Pool.query(pool, "SELECT count(*)::text AS n FROM feat_people WHERE age = $1::int", ["70; DELETE FROM feat_people"])
  case by_age do
    Ok(_) -> println("injected integer accepted")
    Err(e) -> println("injected integer: " <> sqlstate(e))
  end
  let like = Pool.query(pool, "SELECT count(*)::text AS n FROM feat_people WHERE name LIKE $1", ["%' --"])?
  println("LIKE with quote matches " <> col(first(like), "n"))
  let later = Pool.query(pool, "SELECT count(*)::text AS n FROM feat_people", [])?
  let b = String.to_int(col(first(before), "n"))
  let a = String.to_int(col(first(later), "n"))
  println("table intact: before ${b} after ${a}")
  Ok(0)
end

fn balances(pool) -> String do
  case Pool.query(pool, "SELECT name || '=' || balance AS b FROM feat_accounts ORDER BY name", []) do
    Ok(rows) -> String.join(List.map(rows, fn(r) -> col(r, "b") end), " ")
    Err(e) -> "error " <> e
  end
end

fn transfer(tx, from :: String, to :: String, amount :: String) -> Result<(), String> do
  let _ = Pg.execute(tx, "UPDATE feat_accounts SET balance = balance - $1::int WHERE name = $2", [amount, from])?
  let _ = Pg.execute(tx, "UPDATE feat_accounts SET balance = balance + $1::int WHERE name = $2", [amount, to])?
  Ok(())
end

fn transactions(pool) -> Int!String do
  let n = Pool.execute(pool, "INSERT INTO feat_accounts VALUES ('ann', 100), ('bob', 50)", [])?
  println("accounts ${n}: " <> balances(pool))
  let r1 = Pool.transaction(pool, fn(tx) -> transfer(tx, "ann", "bob", "30") end)
  println("commit: ${r1} -> " <> balances(pool))
  let r2 = Pool.transaction(pool, fn(tx) do
    let _ = transfer(tx, "bob", "ann", "10")?
    Err("changed my mind")
  end)
  println("body Err: ${r2} -> " <> balances(pool))
  let r3 = Pool.transaction(pool, fn(tx) -> transfer(tx, "bob", "ann", "1000") end)
  case r3 do
    Ok(_) -> println("overdraft committed")
    Err(e) -> println("SQL error inside: " <> sqlstate(e) <> " -> " <> balances(pool))
  end
  let r4 = Pool.transaction(pool, fn(tx) do
    let _ = Pg.execute(tx, "UPDATE feat_accounts SET balance = 0", [])?
    let xs = [1, 2]
    let _ = List.get(xs, 9)
    Ok(())
  end)
  println("panic inside: ${r4} -> " <> balances(pool))
  let r5 = Pool.transaction(pool, fn(tx) do
    let _ = Pg.execute(tx, "UPDATE feat_accounts SET balance = balance + 1", [])?
    let bad = Pg.execute(tx, "SELECT nope", [])
    println("statement error inside: ${is_err(bad)}")
    Ok(())
  end)
  println("commit of a failed block: ${r5} -> " <> balances(pool))
  Ok(0)
end

fn single_connection(url :: String) -> Int!String do
  let c = Pg.connect(url)?
  let rows = Pg.query(c, "SELECT count(*)::text AS n FROM feat_accounts", [])?
  println("Pg.connect sees " <> col(first(rows), "n") <> " accounts")
  let tx = Pg.transaction(c, fn(t) do
    let _ = Pg.execute(t, "INSERT INTO feat_accounts VALUES ($1, $2::int)", ["cy", "5"])?
    Ok(())
  end)
  println("Pg.transaction: ${tx}")
  let counts = [Pg.execute(c, "UPDATE feat_accounts SET balance = balance WHERE balance > $1::int", ["0"]), Pg.execute(c, "SELECT 1 UNION ALL SELECT 2", []), Pg.execute(c, "DELETE FROM feat_accounts WHERE name = $1", ["cy"]), Pg.execute(c, "CREATE TEMP TABLE feat_tmp (x int)", [])]
  println("row counts ${counts}")
  let _ = Pg.begin(c)?
  let failed = Pg.execute(c, "INSERT INTO feat_accounts VALUES ('ann', 1)", [])
  println("in block: " <> sqlstate(err_text(failed)))
  let blocked = Pg.query(c, "SELECT 1 AS one", [])
  println("after an error in the block: " <> sqlstate(err_text(blocked)))
  let _ = Pg.rollback(c)?
  let one = Pg.query(c, "SELECT 1 AS one", [])?
  println("after rollback: " <> col(first(one), "one"))
  let nested = Pg.begin(c)
  let twice = Pg.begin(c)
  println("begin twice: ${nested} ${is_ok(twice)}")
  let _ = Pg.rollback(c)?
  Pg.close(c)
  println("after close: ${Pg.query(c, "SELECT 1", [])}")
  Ok(0)
end

fn errors(pool) -> Int!String do
  let e1 = Pool.query(pool, "SELECT * FROM feat_nope", [])
  println("undefined table: ${err_text(e1)}")
  let e2 = Pool.query(pool, "SELECT $1::int + $2::int AS s", ["1"])
  println("parameter count mismatch: " <> sqlstate(err_text(e2)))
  let e3 = Pool.execute(pool, "INSERT INTO feat_accounts VALUES ($1, $2::int)", ["neg", "-5"])
  println("check violation: " <> String.join(List.take(String.split(err_text(e3), "\t"), 3), "|"))
  let e4 = Pool.execute(pool, "INSERT INTO feat_people (name) VALUES ($1)", ["no age"])
  println("not null: " <> String.join(List.take(String.split(err_text(e4), "\t"), 4), "|"))
  let e5 = Pool.query(pool, "SELEC 1", [])
  println("syntax: " <> sqlstate(err_text(e5)))
  let e6 = Pool.query(pool, "SELECT 1/0 AS x", [])
  println("division: ${err_text(e6)}")
  let ok = Pool.query(pool, "SELECT 'still fine' AS s", [])?
  println("pool after errors: " <> col(first(ok), "s"))
  Ok(0)
end

fn urls() do
  let p1 = Pool.open("mysql://u:p@h/db", 0, 1, 100)
  println("${err_text(p1)}")
  let c1 = Pg.connect("postgres://localhost/db")
  println("${err_text(c1)}")
  let c2 = Pg.connect("postgresql://u:p@127.0.0.1:99999/db")
  println("${err_text(c2)}")
end

fn concurrent(pool) -> Int!String do
  let results = Job.map(Range.to_list(Range.new(1, 21)), fn(i) do
    case Pool.query(pool, "SELECT ($1::int * 2)::text AS d, pg_sleep(0.01)::text AS s", ["${i}"]) do
      Ok(rows) -> String.to_int(col(first(rows), "d"))
      Err(e) -> panic(e)
    end
  end)
  let total = List.reduce(results, 0, fn(acc, r) do
    case r do
      Ok(Some(d)) -> acc + d
      _ -> acc - 100000
    end
  end)
  println("20 concurrent jobs on one pool: sum ${total}")
  Ok(0)
end

fn run(url :: String, pool) -> Int!String do
  let _ = setup(pool)?
  let _ = unicode(pool)?
  let _ = uuids(pool)?
  let _ = jsonb(pool)?
  let _ = nulls(pool)?
  let _ = text_forms(pool)?
  let _ = rows_as_structs(pool)?
  let _ = injection(pool)?
  let _ = transactions(pool)?
  let _ = single_connection(url)?
  let _ = errors(pool)?
  urls()
  concurrent(pool)
end

fn main() do
  let url = case Env.get("DATABASE") do
    Some(u) -> u
    None -> ""
  end
  case Pool.open(url, 1, 4, 5000) do
    Ok(pool) -> case run(url, pool) do
      Ok(_) -> println("done")
      Err(e) -> println("failed: " <> e)
    end
    Err(e) -> println("pool error: " <> e)
  end
end
