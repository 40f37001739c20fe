# Benchmark server (bench/web-bench.ts): answers POST /echo with a small JSON body by parsing it
# and answering {"echo":<body>,"ok":true}. With DATABASE set, every request also inserts the body
# with one parameterised INSERT into table BENCH_TABLE through a pool of 2..10 connections and
# answers 201. PORT sets the port; MESH_HTTP_KEEPALIVE=1 turns on keep-alive in the runtime.

fn env_or(name :: String, fallback :: String) -> String do
  case Env.get(name) do
    Some(v) -> v
    None -> fallback
  end
end

fn echo_body(body :: String) -> Result<String, String> do
  let value = Json.parse(body)?
  Ok("{\"echo\":" <> Json.encode(value) <> ",\"ok\":true}")
end

fn echo(request) do
  case echo_body(Request.body(request)) do
    Ok(out) -> HTTP.response(200, out)
    Err(_) -> HTTP.response(400, "{\"error\":\"invalid JSON\"}")
  end
end

fn echo_and_insert(pool, insert :: String, request) do
  let body = Request.body(request)
  case echo_body(body) do
    Err(_) -> HTTP.response(400, "{\"error\":\"invalid JSON\"}")
    Ok(out) -> case Pool.execute(pool, insert, [body]) do
      Ok(_) -> HTTP.response(201, out)
      Err(e) -> HTTP.response(500, "{\"error\":" <> Json.encode_string(e) <> "}")
    end
  end
end

fn main() do
  let port = case String.to_int(env_or("PORT", "18700")) do
    Some(n) -> n
    None -> 18700
  end
  let url = env_or("DATABASE", "")
  if url == "" do
    HTTP.serve(HTTP.on_post(HTTP.router(), "/echo", echo), port)
  else
    let insert = "INSERT INTO " <> env_or("BENCH_TABLE", "mesh_bench_events") <> " (payload) VALUES ($1)"
    case Pool.open(url, 2, 10, 5000) do
      Ok(pool) -> HTTP.serve(HTTP.on_post(HTTP.router(), "/echo", fn(request) -> echo_and_insert(pool, insert, request) end), port)
      Err(e) -> eprintln("pool error: " <> e)
    end
  end
end
