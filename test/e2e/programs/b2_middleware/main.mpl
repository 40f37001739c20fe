# Appendix B2 (stdlib.md): middleware, short-circuits and crash isolation.
# The program is the spec's, except that the port comes from the environment (PORT, default
# 18601) so the test can pick a free one.

fn require_key(request, next) do
  let key = Request.header(request, "x-api-key")
  case key do
    Some(k) -> if k == "secret" do next(request) else HTTP.response(403, "{\"error\":\"forbidden\"}") end
    None -> HTTP.response(401, "{\"error\":\"unauthorized\"}")
  end
end

fn health(request) do
  HTTP.response(200, "{\"status\":\"ok\"}")
end

fn crash(request) do
  let xs = [1]
  let n = List.get(xs, 5)
  HTTP.response(200, "never ${n}")
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
  let tag = "v1"
  let r = HTTP.router()
  let r = HTTP.on_get(r, "/health", health)
  let r = HTTP.use(r, require_key)
  let r = HTTP.on_get(r, "/crash", crash)
  let r = HTTP.on_get(r, "/version", fn(request) -> HTTP.response(200, tag) end)
  HTTP.serve(r, port_from_env(18601))
end
