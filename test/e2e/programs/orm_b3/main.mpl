# orm.md Appendix B3. Migration DSL, verbatim, with the shared database harness.
fn column_list(pool :: PoolHandle) -> String!String do
  let rows = Repo.query_raw(pool, "SELECT column_name AS c FROM information_schema.columns WHERE table_name = 'spec_tags' ORDER BY ordinal_position", [])?
  Ok(String.join(List.map(rows, fn(r) do Map.get(r, "c") end), ","))
end

fn run(pool :: PoolHandle) -> Int!String do
  Migration.drop_table(pool, "spec_tags")?
  let created = Migration.create_table(pool, "spec_tags", ["id:BIGSERIAL:PRIMARY KEY", "name:TEXT:NOT NULL", "active:BOOLEAN:NOT NULL DEFAULT true", "kind:TEXT", "CHECK (length(name) > 0)"])
  println("create: ${created}")
  Migration.add_column(pool, "spec_tags", "weight:INTEGER:NOT NULL DEFAULT 1")?
  Migration.rename_column(pool, "spec_tags", "kind", "category")?
  Migration.drop_column(pool, "spec_tags", "no_such_column")?
  Migration.create_index(pool, "spec_tags", ["name"], "unique:true where:active = true")?
  let cols = column_list(pool)?
  println(cols)
  let _ = Repo.insert(pool, "spec_tags", %{"name" => "red"})?
  let _ = Repo.insert(pool, "spec_tags", %{"name" => "red", "active" => "false"})?
  case Repo.insert(pool, "spec_tags", %{"name" => "red"}) do
    Ok(_) -> println("unexpected")
    Err(e) -> println("dup: " <> String.join(List.take(String.split(e, "\t"), 2), "|"))
  end
  case Migration.execute(pool, "CREATE TABLE spec_tags (id INT)") do
    Ok(_) -> println("unexpected")
    Err(e) -> println("exists: " <> List.head(String.split(e, "\t")))
  end
  Migration.drop_index(pool, "spec_tags", ["name"])?
  let _ = Repo.insert(pool, "spec_tags", %{"name" => "red"})?
  let reds = Repo.count(pool, Query.from("spec_tags") |> Query.where(:name, "red"))?
  println("reds ${reds}")
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
