# Malformed and hostile requests against a compiled server (stdlib.md §18.2, §29.1, §29.2).
# The runtime answers protocol-level problems itself (400 bad request line, 413 body too large,
# 431 headers too large, 500 for a panicking handler); the accessors are lenient by design (invalid
# UTF-8 becomes U+FFFD, a malformed %XX stays literal), so this program rejects such input itself
# with 400, which is what a careful application does.

fn port_from_env(default_port :: Int) -> Int do
  case Env.get("PORT") do
    Some(text) -> case String.to_int(text) do
      Some(n) -> n
      None -> default_port
    end
    None -> default_port
  end
end

fn bad_request(message :: String) do
  HTTP.response(400, "{\"error\":" <> Json.encode_string(message) <> "}")
end

# U+FFFD is what the runtime puts where a request had invalid UTF-8.
fn has_replacement(s :: String) -> Bool do
  String.contains(s, "�")
end

fn json_echo(request) do
  let body = Request.body(request)
  if has_replacement(body) do
    bad_request("body is not valid UTF-8")
  else
    case Json.parse(body) do
      Ok(value) -> HTTP.response(200, "{\"echo\":" <> Json.encode(value) <> "}")
      Err(_) -> bad_request("invalid JSON")
    end
  end
end

fn search(request) do
  case Request.query(request, "q") do
    Some(q) -> if has_replacement(q) do
      bad_request("query is not valid UTF-8")
    else
      HTTP.response(200, "q=[" <> q <> "]")
    end
    None -> bad_request("missing q")
  end
end

# No validation: shows what the accessors give for malformed input.
fn raw_query(request) do
  case Request.query(request, "q") do
    Some(q) -> HTTP.response(200, "q=[" <> q <> "]")
    None -> HTTP.response(200, "q=none")
  end
end

fn file(request) do
  case Request.param(request, "name") do
    Some(name) -> if has_replacement(name) or String.contains(name, "%") do
      bad_request("bad percent-encoding in path")
    else
      HTTP.response(200, "file " <> name)
    end
    None -> bad_request("no name")
  end
end

fn hello(request) do
  case Request.header(request, "x-name") do
    Some(name) -> if has_replacement(name) do
      bad_request("header is not valid UTF-8")
    else
      HTTP.response(200, "hello " <> name)
    end
    None -> HTTP.response(200, "hello stranger")
  end
end

fn size(request) do
  let body = Request.body(request)
  HTTP.response(200, "${String.length(body)}")
end

fn main() do
  let r = HTTP.router()
  let r = HTTP.on_get(r, "/ok", fn(request) -> HTTP.response(200, "ok") end)
  let r = HTTP.on_post(r, "/json", json_echo)
  let r = HTTP.on_get(r, "/search", search)
  let r = HTTP.on_get(r, "/raw", raw_query)
  let r = HTTP.on_get(r, "/files/:name", file)
  let r = HTTP.on_post(r, "/size", size)
  let r = HTTP.on_get(r, "/hello", hello)
  let r = HTTP.on_get(r, "/panic", fn(request) -> panic("boom: handler gave up") end)
  let r = HTTP.on_get(r, "/status/:code", fn(request) do
    let code = case Request.param(request, "code") do
      Some(c) -> String.to_int(c)
      None -> None
    end
    case code do
      Some(n) -> HTTP.response(n, "status body")
      None -> bad_request("not a number")
    end
  end)
  HTTP.serve(r, port_from_env(18610))
end
