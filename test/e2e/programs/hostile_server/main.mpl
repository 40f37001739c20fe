# A plain HTTP + WebSocket server for the hostile-client test (issue 12): GET /ping answers at
# once, POST /upload answers the body's length, and a broadcaster actor sends 128 KiB to every
# WebSocket client in room "all" every 5 ms, whether they read or not. Nothing here defends
# itself: the runtime's limits must keep the server responsive and its memory bounded.

fn env_int(name :: String, default_value :: Int) -> Int do
  case Env.get(name) do
    Some(text) -> case String.to_int(text) do
      Some(n) -> n
      None -> default_value
    end
    None -> default_value
  end
end

fn grow(s :: String, doublings :: Int) -> String do
  if doublings == 0 do
    s
  else
    grow(s <> s, doublings - 1)
  end
end

actor broadcaster(payload :: String, sent :: Int) do
  let _ = Ws.broadcast("all", payload)
  Timer.sleep(5)
  broadcaster(payload, sent + 1)
end

fn on_connect(conn, _path, _headers) do
  let _ = Ws.join(conn, "all")
  conn
end

fn on_message(_conn, _msg) do
  ()
end

fn on_close(_conn, _code, _reason) do
  ()
end

fn ping(_request) do
  HTTP.response(200, "pong")
end

fn upload(request) do
  HTTP.response(200, "${String.length(Request.body(request))}")
end

fn main() do
  spawn(broadcaster, grow("x", 17), 0)
  Ws.serve(on_connect, on_message, on_close, env_int("WS_PORT", 18701))
  let router = HTTP.router()
    |> HTTP.on_get("/ping", ping)
    |> HTTP.on_post("/upload", upload)
  HTTP.serve(router, env_int("PORT", 18700))
end
