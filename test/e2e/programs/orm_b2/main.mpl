# orm.md Appendix B2. Changesets against constraints, and transactions, verbatim, with the shared database harness.
fn account(params :: Map<String, String>) -> Changeset do
  Changeset.cast_with_types(%{}, params, [:email, :credits], ["email:TEXT", "credits:BIGINT"])
    |> Changeset.validate_required([:email])
    |> Changeset.validate_format(:email, "@")
    |> Changeset.validate_number(:credits, -1, -1, 0, -1)
end

fn show(label :: String, r :: Result<Map<String, String>, Changeset>) do
  case r do
    Ok(row) -> println(label <> ": ok " <> Map.get(row, "email") <> " credits=" <> Map.get(row, "credits"))
    Err(cs) -> println(label <> ": ${Changeset.errors(cs)}")
  end
end

fn run(pool :: PoolHandle) -> Int!String do
  Migration.drop_table(pool, "spec_accounts")?
  Migration.create_table(pool, "spec_accounts", ["id:SERIAL:PRIMARY KEY", "email:TEXT:NOT NULL UNIQUE", "credits:INTEGER:NOT NULL DEFAULT 0"])?
  show("first", Repo.insert_changeset(pool, "spec_accounts", account(%{"email" => "ann@x.io", "credits" => " 5 "})))
  show("again", Repo.insert_changeset(pool, "spec_accounts", account(%{"email" => "ann@x.io"})))
  show("bad", Repo.insert_changeset(pool, "spec_accounts", account(%{"email" => "bob", "credits" => "-3"})))
  show("edit", Repo.update_changeset(pool, "spec_accounts", "1", account(%{"email" => "ann@y.io", "credits" => "7"})))
  let t1 = Repo.transaction(pool, fn(conn) do
    Pg.execute(conn, "UPDATE spec_accounts SET credits = credits + 10", [])
  end)
  let t2 :: Int!String = Repo.transaction(pool, fn(conn) do
    let _ = Pg.execute(conn, "UPDATE spec_accounts SET credits = 0", [])
    Err("changed my mind")
  end)
  println("t1 ${t1}, t2 ${t2}")
  let rows = Repo.query_raw(pool, "SELECT email, credits::text AS credits FROM spec_accounts", [])?
  println("${rows}")
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
