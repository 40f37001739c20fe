# Appendix B4 (stdlib.md): checkout, explicit transactions, rollback on checkin, checkout timeout,
# verbatim, with the shared database harness. SPEC_DATABASE_URL names the database ("" is the
# embedded one).

fn balance(pool) -> String do
  let r = Pool.query(pool, "SELECT balance::text AS b FROM spec_wallet", [])
  case r do
    Ok(rows) -> Map.get(List.head(rows), "b")
    Err(e) -> e
  end
end

fn run(pool) -> Int!String do
  let _ = Pool.execute(pool, "DROP TABLE IF EXISTS spec_wallet", [])?
  let _ = Pool.execute(pool, "CREATE TABLE spec_wallet (name TEXT PRIMARY KEY, balance INT NOT NULL)", [])?
  let _ = Pool.execute(pool, "INSERT INTO spec_wallet VALUES ('ann', 100)", [])?
  let conn = Pool.checkout(pool)?
  let _ = Pg.begin(conn)?
  let _ = Pg.execute(conn, "UPDATE spec_wallet SET balance = balance - $1::int", ["30"])?
  let _ = Pg.commit(conn)?
  let _ = Pg.begin(conn)?
  let _ = Pg.execute(conn, "UPDATE spec_wallet SET balance = 0", [])?
  let _ = Pg.rollback(conn)?
  let _ = Pg.begin(conn)?
  let _ = Pg.execute(conn, "UPDATE spec_wallet SET balance = -1", [])?
  Pool.checkin(pool, conn)
  println("balance " <> balance(pool))
  let held = Pool.checkout(pool)?
  let again = Pool.checkout(pool)
  case again do
    Ok(_) -> println("second checkout succeeded")
    Err(e) -> println("second checkout: " <> e)
  end
  Pool.checkin(pool, held)
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
