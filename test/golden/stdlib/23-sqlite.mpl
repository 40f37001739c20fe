# stdlib.md §23: Sqlite on an in-memory database and on a real file reopened after close.
fn show(r) -> String do
  case r do
    Ok(n) -> "ok ${n}"
    Err(e) -> "err: " <> e
  end
end

fn show_unit(r) -> String do
  case r do
    Ok(_) -> "ok"
    Err(e) -> "err: " <> e
  end
end

fn print_rows(r) do
  case r do
    Ok(rows) -> do
      for row in rows do
        println("${row}")
      end
      ()
    end
    Err(e) -> println("err: " <> e)
  end
end

fn transfer(db, ok :: Bool) -> Result<Int, String> do
  Sqlite.begin(db)?
  let n = Sqlite.execute(db, "UPDATE t SET n = n + 1 WHERE name = ?", ["ann"])?
  if ok do
    Sqlite.commit(db)?
    Ok(n)
  else
    Sqlite.rollback(db)?
    Err("rolled back")
  end
end

fn memory(db) do
  println(show(Sqlite.execute(db, "CREATE TABLE t (name TEXT UNIQUE, n INTEGER, score REAL, note)", [])))
  println(show(Sqlite.execute(db, "INSERT INTO t (name, n, score, note) VALUES (?, ?, ?, ?)", ["ann", "7", "95.5", "it's; --"])))
  println(show(Sqlite.execute(db, "INSERT INTO t (name, n, score) VALUES (?1, ?2, ?2)", ["bob", "1"])))
  println(show(Sqlite.execute(db, "INSERT INTO t (name) VALUES (?)", ["ann"])))
  println(show(Sqlite.execute(db, "INSERT INTO missing (a) VALUES (?)", ["1"])))
  println(show(Sqlite.execute(db, "UPDATE t SET n = n * 10", [])))
  print_rows(Sqlite.query(db, "SELECT name, n, score, note, typeof(n) AS ty FROM t ORDER BY name", []))
  print_rows(Sqlite.query(db, "SELECT 1 AS a; SELECT 2 AS b", []))
  print_rows(Sqlite.query(db, "SELEC nonsense", []))
  println(show(transfer(db, false)))
  println(show(transfer(db, true)))
  println(show_unit(Sqlite.commit(db)))
  print_rows(Sqlite.query(db, "SELECT n FROM t WHERE name = ?", ["ann"]))
end

fn on_file(path :: String) do
  let _ = File.delete(path)
  case Sqlite.open(path) do
    Ok(db) -> do
      println(show(Sqlite.execute(db, "CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT)", [])))
      println(show(Sqlite.execute(db, "INSERT INTO kv (k, v) VALUES (?, ?), (?, ?)", ["a", "1", "b", "two"])))
      Sqlite.close(db)
    end
    Err(e) -> println("err: " <> e)
  end
  println("file exists: ${File.exists(path)}")
  case Sqlite.open(path) do
    Ok(db) -> do
      print_rows(Sqlite.query(db, "SELECT k, v FROM kv ORDER BY k", []))
      Sqlite.close(db)
    end
    Err(e) -> println("err: " <> e)
  end
  let _ = File.delete(path)
end

fn main() do
  case Sqlite.open(":memory:") do
    Ok(db) -> do
      memory(db)
      Sqlite.close(db)
    end
    Err(e) -> println("err: " <> e)
  end
  case Sqlite.open("/tmp/mesh_spec_no_such_dir/x.db") do
    Ok(_) -> println("opened?")
    Err(e) -> println("err: " <> e)
  end
  on_file("/tmp/mesh_golden_sqlite_23.db")
end
