# orm.md Appendix B4. Preloading (this project's representation, §5.7), verbatim, with the shared database harness.
struct Author do
  id :: String
  name :: String
  has_many :books, Book
end deriving(Schema)

struct Book do
  id :: String
  author_id :: String
  title :: String
  belongs_to :author, Author
end deriving(Schema)

fn run(pool :: PoolHandle) -> Int!String do
  Migration.drop_table(pool, "books")?
  Migration.drop_table(pool, "authors")?
  Migration.create_table(pool, "authors", ["id:SERIAL:PRIMARY KEY", "name:TEXT:NOT NULL"])?
  Migration.create_table(pool, "books", ["id:SERIAL:PRIMARY KEY", "author_id:INTEGER:REFERENCES authors(id)", "title:TEXT:NOT NULL"])?
  let le = Repo.insert(pool, Author.__table__(), %{"name" => "Le Guin"})?
  let _ = Repo.insert(pool, Author.__table__(), %{"name" => "Nobody"})?
  let _ = Repo.insert(pool, Book.__table__(), %{"author_id" => Map.get(le, "id"), "title" => "Lathe"})?
  let authors = Repo.all(pool, Query.from(Author.__table__()) |> Query.order_by(:id, :asc))?
  let loaded = Repo.preload(pool, authors, ["books"], Author.__relationship_meta__())?
  let _ = List.map(loaded, fn(a) do println(Map.get(a, "name") <> " -> " <> Map.get(a, "books")) end)
  let books = Repo.all(pool, Query.from(Book.__table__()))?
  let with_author = Repo.preload(pool, books, ["author"], Book.__relationship_meta__())?
  println(Map.get(List.head(with_author), "author"))
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
