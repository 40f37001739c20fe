# A small JSON API over a connection pool: HTTP handlers (closures over the pool) that query,
# insert, run transactions and report database errors as JSON. DATABASE names the database (""
# is the embedded one), PORT the port. Pool: min 1, max 2 connections, 5 s checkout timeout.

fn json_error(status :: Int, message :: String) do
  HTTP.response(status, "{\"error\":" <> Json.encode_string(message) <> "}")
end

fn first_field(e :: String) -> String do
  List.head(String.split(e, "\t"))
end

# Maps a database error string (stdlib.md §28.3) to a status.
fn db_error(e :: String) do
  let code = first_field(e)
  if code == "23505" do
    json_error(409, e)
  else if code == "22P02" do
    json_error(400, e)
  else
    json_error(503, e)
  end
end

fn note_json(row) -> String do
  "{\"id\":" <> Json.encode_string(Map.get(row, "id")) <> ",\"title\":" <> Json.encode_string(Map.get(row, "title")) <> ",\"doc\":" <> Map.get(row, "doc") <> "}"
end

fn create_note(pool, request) do
  case Json.parse(Request.body(request)) do
    Err(_) -> json_error(400, "invalid JSON")
    Ok(doc) -> case Json.field(doc, "title") do
      None -> json_error(422, "title is required")
      Some(t) -> case Json.as_string(t) do
        None -> json_error(422, "title must be a string")
        Some(title) -> insert_note(pool, title, Json.encode(doc))
      end
    end
  end
end

fn insert_note(pool, title :: String, doc :: String) do
  case Pool.query(pool, "INSERT INTO api_notes (title, doc) VALUES ($1, $2::jsonb) RETURNING id::text AS id", [title, doc]) do
    Ok(rows) -> HTTP.response(201, "{\"id\":" <> Json.encode_string(Map.get(List.head(rows), "id")) <> "}")
    Err(e) -> db_error(e)
  end
end

fn show_note(pool, request) do
  let id = case Request.param(request, "id") do
    Some(v) -> v
    None -> ""
  end
  case Pool.query(pool, "SELECT id::text AS id, title, doc::text AS doc FROM api_notes WHERE id = $1::uuid", [id]) do
    Ok(rows) -> if List.length(rows) == 0 do
      json_error(404, "no such note")
    else
      HTTP.response(200, note_json(List.head(rows)))
    end
    Err(e) -> db_error(e)
  end
end

fn find_notes(pool, request) do
  let title = case Request.query(request, "title") do
    Some(t) -> t
    None -> ""
  end
  case Pool.query(pool, "SELECT id::text AS id, title, doc::text AS doc FROM api_notes WHERE title = $1 ORDER BY title", [title]) do
    Ok(rows) -> HTTP.response(200, "[" <> String.join(List.map(rows, fn(r) -> note_json(r) end), ",") <> "]")
    Err(e) -> db_error(e)
  end
end

fn delete_note(pool, request) do
  let id = case Request.param(request, "id") do
    Some(v) -> v
    None -> ""
  end
  let r = Pool.transaction(pool, fn(tx) do
    let n = Pg.execute(tx, "DELETE FROM api_notes WHERE id = $1::uuid", [id])?
    let _ = Pg.execute(tx, "INSERT INTO api_log (what) VALUES ($1)", ["deleted " <> id])?
    if n == 0 do
      Err("no such note")
    else
      Ok(())
    end
  end)
  case r do
    Ok(_) -> HTTP.response(204, "")
    Err(e) -> if e == "no such note" do json_error(404, e) else db_error(e) end
  end
end

fn count(pool) do
  case Pool.query(pool, "SELECT (SELECT count(*) FROM api_notes)::text AS notes, (SELECT count(*) FROM api_log)::text AS log", []) do
    Ok(rows) -> HTTP.response(200, "{\"notes\":" <> Map.get(List.head(rows), "notes") <> ",\"log\":" <> Map.get(List.head(rows), "log") <> "}")
    Err(e) -> db_error(e)
  end
end

fn slow(pool, request) do
  let seconds = case Request.query(request, "s") do
    Some(s) -> s
    None -> "1"
  end
  case Pool.query(pool, "SELECT pg_sleep($1::float8)::text AS slept", [seconds]) do
    Ok(_) -> HTTP.response(200, "{\"slept\":true}")
    Err(e) -> db_error(e)
  end
end

# Panics while holding a checked-out connection inside a transaction that has locked every note:
# the pool must take the connection back (rolled back) when this request's process dies.
fn crash_in_transaction(pool) do
  case Pool.checkout(pool) do
    Err(e) -> db_error(e)
    Ok(conn) -> do
      let _ = Pg.begin(conn)
      let _ = Pg.execute(conn, "UPDATE api_notes SET doc = doc", [])
      let _ = Pg.execute(conn, "INSERT INTO api_log (what) VALUES ('never committed')", [])
      panic("handler crashed inside a transaction")
    end
  end
end

fn setup(pool) -> Int!String do
  let _ = Pool.execute(pool, "CREATE TABLE IF NOT EXISTS api_notes (id UUID PRIMARY KEY DEFAULT gen_random_uuid(), title TEXT UNIQUE NOT NULL, doc JSONB NOT NULL)", [])?
  Pool.execute(pool, "CREATE TABLE IF NOT EXISTS api_log (id SERIAL PRIMARY KEY, what TEXT NOT NULL)", [])
end

fn port_from_env(default_port :: Int) -> Int do
  case Env.get("PORT") do
    Some(text) -> case String.to_int(text) do
      Some(n) -> n
      None -> default_port
    end
    None -> default_port
  end
end

fn serve(pool) do
  case setup(pool) do
    Err(e) -> println("setup failed: " <> e)
    Ok(_) -> do
      let r = HTTP.router()
      let r = HTTP.on_post(r, "/notes", fn(request) -> create_note(pool, request) end)
      let r = HTTP.on_get(r, "/notes/:id", fn(request) -> show_note(pool, request) end)
      let r = HTTP.on_delete(r, "/notes/:id", fn(request) -> delete_note(pool, request) end)
      let r = HTTP.on_get(r, "/notes", fn(request) -> find_notes(pool, request) end)
      let r = HTTP.on_get(r, "/count", fn(request) -> count(pool) end)
      let r = HTTP.on_get(r, "/sleep", fn(request) -> slow(pool, request) end)
      let r = HTTP.on_post(r, "/crash-in-transaction", fn(request) -> crash_in_transaction(pool) end)
      HTTP.serve(r, port_from_env(18620))
    end
  end
end

fn main() do
  let url = case Env.get("DATABASE") do
    Some(u) -> u
    None -> ""
  end
  case Pool.open(url, 1, 2, 5000) do
    Ok(pool) -> serve(pool)
    Err(e) -> println("pool error: " <> e)
  end
end
