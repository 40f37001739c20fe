# One program, two servers (stdlib.md §30): WebSocket rooms on WS_PORT and the blocking HTTP
# server on PORT, sharing a service. HTTP handlers suspend (service calls, Timer.sleep) while
# other requests keep being served (§29.1, §31), and can broadcast into WebSocket rooms.

service Hits do
  fn init(start :: Int) -> Map<String, Int> do
    %{"total" => start}
  end

  call Bump(key :: String) :: Int do |counts|
    let n = Map.get(counts, key) + 1
    let total = Map.get(counts, "total") + 1
    (Map.put(Map.put(counts, key, n), "total", total), n)
  end

  call Total() :: Int do |counts|
    (counts, Map.get(counts, "total"))
  end
end

fn port_from_env(name :: String, default_port :: Int) -> Int do
  case Env.get(name) do
    Some(text) -> case String.to_int(text) do
      Some(n) -> n
      None -> default_port
    end
    None -> default_port
  end
end

fn query_int(request, name :: String, fallback :: Int) -> Int do
  case Request.query(request, name) do
    Some(v) -> case String.to_int(v) do
      Some(n) -> n
      None -> fallback
    end
    None -> fallback
  end
end

fn on_connect(conn, path, headers) do
  if String.starts_with(path, "/rooms/") do
    let _ = Ws.join(conn, String.slice(path, 7, String.length(path)))
    conn
  else
    0
  end
end

fn main() do
  let hits = Hits.start(0)
  let on_message = fn(conn, msg) do
    let _ = Ws.send(conn, "echo " <> msg)
    ()
  end
  Ws.serve(on_connect, on_message, fn(conn, code, reason) -> () end, port_from_env("WS_PORT", 18631))
  let r = HTTP.router()
  let r = HTTP.use(r, fn(request, next) do
    let _ = Hits.bump(hits, Request.path(request))
    next(request)
  end)
  let r = HTTP.on_get(r, "/hits", fn(request) do
    let key = case Request.query(request, "path") do
      Some(p) -> p
      None -> "/hits"
    end
    let mine = Hits.bump(hits, "probe:" <> key)
    HTTP.response(200, "total=${Hits.total(hits)} probes=${mine}")
  end)
  let r = HTTP.on_get(r, "/slow", fn(request) do
    let ms = query_int(request, "ms", 100)
    Timer.sleep(ms)
    HTTP.response(200, "slept ${ms}")
  end)
  let r = HTTP.on_post(r, "/rooms/:room", fn(request) do
    case Request.param(request, "room") do
      Some(room) -> HTTP.response(202, "failed=${Ws.broadcast(room, Request.body(request))}")
      None -> HTTP.response(400, "no room")
    end
  end)
  let port = port_from_env("PORT", 18630)
  let base = "http://127.0.0.1:${port}"
  let r = HTTP.on_get(r, "/proxy", fn(request) do
    let got = HTTP.get(base <> "/slow?ms=10")
    let posted = HTTP.post(base <> "/rooms/nobody", "{\"x\":1}")
    let missing = HTTP.get(base <> "/missing")
    let refused = HTTP.get("http://127.0.0.1:1/")
    let refused_text = case refused do
      Ok(_) -> "connected?"
      Err(e) -> if String.starts_with(e, "http://127.0.0.1:1/: ") do "refused" else e end
    end
    HTTP.response(200, "get=${got} post=${posted} missing=${missing} refused=" <> refused_text)
  end)
  HTTP.serve(r, port)
end
