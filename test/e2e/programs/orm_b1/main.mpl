# orm.md Appendix B1. CRUD through Query and Repo, verbatim, with the shared database harness.
fn titles(rows :: List<Map<String, String>>) -> List<String> do
  List.map(rows, fn(r) do Map.get(r, "title") end)
end

fn run(pool :: PoolHandle) -> Int!String do
  Migration.drop_table(pool, "spec_books")?
  let created = Migration.create_table(pool, "spec_books", ["id:SERIAL:PRIMARY KEY", "title:TEXT:NOT NULL UNIQUE", "pages:INTEGER:NOT NULL DEFAULT 0", "genre:TEXT"])?
  let a = Repo.insert(pool, "spec_books", %{"title" => "Dune", "pages" => "412", "genre" => "sf"})?
  let b = Repo.insert(pool, "spec_books", %{"title" => "Emma", "pages" => "474"})?
  let _ = Repo.insert(pool, "spec_books", %{"genre" => "sf", "title" => "Ubik", "pages" => "202"})?
  println("created ${created}, first id " <> Map.get(a, "id"))
  println("${b}")
  let sf = Query.from("spec_books") |> Query.where(:genre, "sf") |> Query.order_by(:pages, :desc)
  let sf_rows = Repo.all(pool, sf)?
  println("${titles(sf_rows)}")
  let long = Repo.count(pool, Query.from("spec_books") |> Query.where_op(:pages, :gt, "300"))?
  let tiny = Repo.exists(pool, Query.from("spec_books") |> Query.where_op(:pages, :lt, "100"))?
  println("long ${long}, tiny ${tiny}")
  let emma = Repo.update(pool, "spec_books", Map.get(b, "id"), %{"genre" => "classic", "pages" => "480"})?
  println(Map.get(emma, "title") <> " " <> Map.get(emma, "genre") <> " " <> Map.get(emma, "pages"))
  let second = Repo.one(pool, Query.from("spec_books") |> Query.order_by(:title, :asc) |> Query.offset(1))?
  println("second: " <> Map.get(second, "title"))
  let ubik = Repo.get_by(pool, "spec_books", "title", "Ubik")?
  println("Ubik id " <> Map.get(ubik, "id"))
  case Repo.get(pool, "spec_books", "99") do
    Ok(_) -> println("unexpected")
    Err(e) -> println("get 99: " <> e)
  end
  case Repo.insert(pool, "spec_books", %{"title" => "Dune"}) do
    Ok(_) -> println("unexpected")
    Err(e) -> println("dup: " <> String.join(List.take(String.split(e, "\t"), 3), "|"))
  end
  let gone = Repo.delete(pool, "spec_books", Map.get(ubik, "id"))?
  let removed = Repo.delete_where(pool, "spec_books", Query.from("spec_books") |> Query.where_op(:pages, :lt, "450"))?
  println("deleted " <> Map.get(gone, "title") <> ", then ${removed}")
  let left = Repo.query_raw(pool, "SELECT title, pages FROM spec_books ORDER BY id", [])?
  println("${left}")
  Ok(0)
end

# ---- the shared database harness of stdlib.md Appendix B ----

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
