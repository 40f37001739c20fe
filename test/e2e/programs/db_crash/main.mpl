# Issue 12, reproduction 1: an actor panics inside a transaction on a connection of its own.
# Its exit must roll the transaction back and close the connection, so a fresh connection in
# another process answers at once (the embedded database runs one transaction at a time) and a
# real server keeps no backend for it. DATABASE_URL names the database ("" is the embedded one).
# Main waits for one line on stdin while the driver runs (IO.read_line suspends only main), so the
# test can look at the database server after the checks and before the program exits.

fn database_url() -> String do
  case Env.get("DATABASE_URL") do
    Some(url) -> url
    None -> ""
  end
end

actor crasher(url :: String) do
  case Pg.connect(url) do
    Ok(c) -> case Pg.begin(c) do
      Ok(_) -> case Pg.execute(c, "INSERT INTO crash_probe VALUES (1)", []) do
        Ok(n) -> panic("crashed after inserting ${n} row inside the transaction")
        Err(e) -> println("insert failed: " <> e)
      end
      Err(e) -> println("begin failed: " <> e)
    end
    Err(e) -> println("connect failed: " <> e)
  end
end

fn count_rows(c) -> String do
  case Pg.query(c, "SELECT count(*)::text AS n FROM crash_probe", []) do
    Ok(rows) -> Map.get(List.head(rows), "n")
    Err(e) -> "error: " <> e
  end
end

actor checker(url :: String, parent) do
  case Pg.connect(url) do
    Ok(c2) -> case Pg.query(c2, "SELECT 1 AS one", []) do
      Ok(rows) -> println("fresh connection: one = " <> Map.get(List.head(rows), "one") <> ", rows kept = " <> count_rows(c2))
      Err(e) -> println("fresh query failed: " <> e)
    end
    Err(e) -> println("fresh connect failed: " <> e)
  end
  send(parent, "checked")
end

fn setup(url :: String) -> Int!String do
  let c = Pg.connect(url)?
  let _ = Pg.execute(c, "DROP TABLE IF EXISTS crash_probe", [])?
  let _ = Pg.execute(c, "CREATE TABLE crash_probe (v int)", [])?
  Pg.close(c)
  Ok(0)
end

actor driver(url :: String) do
  case setup(url) do
    Ok(_) -> println("table ready")
    Err(e) -> println("setup failed: " <> e)
  end
  let a = spawn(crasher, url)
  let _ = Process.monitor(a)
  receive do
    Down(_, _, why) -> println("crasher exited: " <> why)
  end
  spawn(checker, url, self())
  receive do
    "checked" -> println("checked")
  end
end

fn main() do
  spawn(driver, database_url())
  let line = IO.read_line()
  case line do
    Ok(text) -> println("stdin: " <> text)
    Err(e) -> println("stdin error: " <> e)
  end
end
