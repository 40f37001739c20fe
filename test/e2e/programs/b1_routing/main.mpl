# Appendix B1 (stdlib.md): routing, parameters, query strings, headers.
# The program is the spec's, except that the port comes from the environment (PORT, default
# 18600) so the test can pick a free one.

fn with_query(id :: String, request) do
  let verbose = Request.query(request, "verbose")
  case verbose do
    Some(flag) -> HTTP.response(200, "item " <> id <> " verbose=" <> flag)
    None -> HTTP.response(200, "item " <> id)
  end
end

fn item(request) do
  let id = Request.param(request, "id")
  case id do
    Some(v) -> with_query(v, request)
    None -> HTTP.response(400, "no id")
  end
end

fn special(request) do
  HTTP.response(200, "special")
end

fn echo(request) do
  let client = Request.header(request, "x-client")
  let who = case client do
    Some(c) -> c
    None -> "anonymous"
  end
  HTTP.response(201, Request.method(request) <> " " <> Request.path(request) <> " from " <> who <> ": " <> Request.body(request))
end

fn assets(request) do
  HTTP.response_with_headers(200, "{\"ok\":true}", %{"Cache-Control" => "no-store", "X-Served-By" => "mesh"})
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

fn main() do
  let r = HTTP.router()
  let r = HTTP.on_get(r, "/items/:id", item)
  let r = HTTP.on_get(r, "/items/special", special)
  let r = HTTP.on_post(r, "/echo", echo)
  let r = HTTP.route(r, "/static/*", assets)
  HTTP.serve(r, port_from_env(18600))
end
